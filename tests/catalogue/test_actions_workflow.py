"""The workflow of an offer: draft → in review → published, and who may move it."""

from __future__ import annotations

from typing import Any

import pytest

from cartable.catalogue import actions
from cartable.catalogue.models import Offer
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from tests.catalogue.factories import (
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    TeachingAssignmentFactory,
)

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED = (
    Offer.Status.DRAFT,
    Offer.Status.IN_REVIEW,
    Offer.Status.PUBLISHED,
    Offer.Status.ARCHIVED,
)


@pytest.fixture
def teacher(persona: Any) -> Any:
    return persona("teacher")


@pytest.fixture
def head(persona: Any) -> Any:
    return persona("programme_head")


def offer_of(teacher: Any, status: str, **kwargs: Any) -> Offer:
    return OfferFactory(responsible=teacher.person, status=status, **kwargs)


def reviewed_by(head: Any, offer: Offer) -> Offer:
    OfferProgrammeFactory(offer=offer, programme=ProgrammeFactory(head=head.person))
    return offer


def status_of(offer: Offer) -> str:
    return Offer.objects.get(pk=offer.pk).status


def test_the_responsible_submits_a_draft_for_review(teacher: Any) -> None:
    offer = offer_of(teacher, DRAFT)
    actions.do_submit_for_review(offer.uuid, acting_user=teacher.user)
    assert status_of(offer) == IN_REVIEW


def test_a_team_member_cannot_submit_for_review(teacher: Any, persona: Any) -> None:
    member = persona("ue_coordinator")
    offer = offer_of(teacher, DRAFT)
    TeachingAssignmentFactory(offer=offer, person=member.person)
    with pytest.raises(DomainError):
        actions.do_submit_for_review(offer.uuid, acting_user=member.user)
    assert status_of(offer) == DRAFT


def test_an_offer_without_objectives_cannot_be_submitted(teacher: Any) -> None:
    offer = offer_of(teacher, DRAFT, objectives="")
    with pytest.raises(DomainError) as refused:
        actions.do_submit_for_review(offer.uuid, acting_user=teacher.user)
    assert refused.value.field == "objectives"


def test_a_head_of_one_of_its_programmes_publishes_an_offer_in_review(
    teacher: Any, head: Any
) -> None:
    offer = reviewed_by(head, offer_of(teacher, IN_REVIEW))
    actions.do_publish_offer(offer.uuid, acting_user=head.user)
    published = Offer.objects.get(pk=offer.pk)
    assert (published.status, published.published_at is not None) == (PUBLISHED, True)


def test_a_programme_head_cannot_publish_an_offer_of_another_programme(
    teacher: Any, head: Any
) -> None:
    offer = offer_of(teacher, IN_REVIEW)
    with pytest.raises(DomainError):
        actions.do_publish_offer(offer.uuid, acting_user=head.user)
    assert status_of(offer) == IN_REVIEW


def test_the_responsible_cannot_publish_their_own_offer(teacher: Any) -> None:
    offer = offer_of(teacher, IN_REVIEW)
    with pytest.raises(DomainError):
        actions.do_publish_offer(offer.uuid, acting_user=teacher.user)


def test_the_scolarite_publishes_an_offer_in_review(teacher: Any, persona: Any) -> None:
    offer = offer_of(teacher, IN_REVIEW)
    actions.do_publish_offer(offer.uuid, acting_user=persona("scolarite").user)
    assert status_of(offer) == PUBLISHED


def test_a_draft_is_not_published_without_review(teacher: Any, persona: Any) -> None:
    offer = offer_of(teacher, DRAFT)
    with pytest.raises(DomainError) as refused:
        actions.do_publish_offer(offer.uuid, acting_user=persona("scolarite").user)
    assert refused.value.field == "status"


def test_a_reviewer_returns_an_offer_to_draft_with_a_comment(teacher: Any, head: Any) -> None:
    offer = reviewed_by(head, offer_of(teacher, IN_REVIEW))
    actions.do_return_to_draft(offer.uuid, "Préciser l'évaluation.", acting_user=head.user)
    entry = AuditEntry.objects.get(action="catalogue.offer.return_to_draft")
    assert (status_of(offer), entry.detail["comment"]) == (DRAFT, "Préciser l'évaluation.")


def test_returning_to_draft_needs_a_comment(teacher: Any, head: Any) -> None:
    offer = reviewed_by(head, offer_of(teacher, IN_REVIEW))
    with pytest.raises(DomainError) as refused:
        actions.do_return_to_draft(offer.uuid, "  ", acting_user=head.user)
    assert (refused.value.field, status_of(offer)) == ("comment", IN_REVIEW)


def test_the_responsible_cannot_take_back_a_submitted_offer(teacher: Any) -> None:
    offer = offer_of(teacher, IN_REVIEW)
    with pytest.raises(DomainError):
        actions.do_return_to_draft(offer.uuid, "Oubli", acting_user=teacher.user)


def test_each_transition_is_journaled_with_the_status_before_and_after(
    teacher: Any, head: Any
) -> None:
    offer = reviewed_by(head, offer_of(teacher, DRAFT))
    actions.do_submit_for_review(offer.uuid, acting_user=teacher.user)
    actions.do_publish_offer(offer.uuid, acting_user=head.user)
    entries = AuditEntry.objects.filter(object_ref=str(offer.uuid)).order_by("id")
    assert [(e.action, e.detail["changes"]["status"]) for e in entries] == [
        ("catalogue.offer.submit", {"before": DRAFT, "after": IN_REVIEW}),
        ("catalogue.offer.publish", {"before": IN_REVIEW, "after": PUBLISHED}),
    ]


def test_the_journal_names_who_moved_the_offer(teacher: Any) -> None:
    offer = offer_of(teacher, DRAFT)
    actions.do_submit_for_review(offer.uuid, acting_user=teacher.user)
    entry = AuditEntry.objects.get(action="catalogue.offer.submit")
    assert entry.actor_person_uuid == teacher.person.uuid


def test_who_submitted_an_offer_does_not_publish_it(head: Any) -> None:
    offer = reviewed_by(head, OfferFactory(responsible=head.person, status=DRAFT))
    actions.do_submit_for_review(offer.uuid, acting_user=head.user)
    with pytest.raises(DomainError) as error:
        actions.do_publish_offer(offer.uuid, acting_user=head.user)
    assert "autre personne" in error.value.message_fr
    assert status_of(offer) == IN_REVIEW


def test_another_programme_head_publishes_what_a_colleague_submitted(
    head: Any, teacher: Any
) -> None:
    offer = reviewed_by(head, offer_of(teacher, DRAFT))
    actions.do_submit_for_review(offer.uuid, acting_user=teacher.user)
    actions.do_publish_offer(offer.uuid, acting_user=head.user)
    assert status_of(offer) == PUBLISHED


def test_the_scolarite_may_publish_what_it_submitted(persona: Any) -> None:
    scolarite = persona("scolarite")
    offer = OfferFactory(status=DRAFT)
    actions.do_submit_for_review(offer.uuid, acting_user=scolarite.user)
    actions.do_publish_offer(offer.uuid, acting_user=scolarite.user)
    assert status_of(offer) == PUBLISHED
