"""New versions: a draft copy of a published offer, which archives it once published."""

from __future__ import annotations

from typing import Any

import pytest

from cartable.catalogue import actions
from cartable.catalogue.models import Offer
from cartable.catalogue.rules import SoftwareChoice
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from tests.catalogue.factories import OfferFactory, offer_with_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(persona: Any) -> Any:
    return persona("teacher")


@pytest.fixture
def scolarite(persona: Any) -> Any:
    return persona("scolarite")


def rows_of(offer: Offer) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "programmes": list(offer.programme_links.values_list("programme_id", "category_id")),
        "team": list(offer.team.values_list("person_id", "activity", "hours")),
        "elements": list(offer.elements.values_list("code", "title", "hours", "weight")),
        "prerequisites": list(
            offer.prerequisites.values_list("required_ue_id", "competency_id", "min_level_id")
        ),
        "software": list(offer.software_needs.values_list("software_id", "mode", "note")),
        "contributions": list(
            offer.contributions.values_list("competency_id", "level_id", "weight")
        ),
    }


def test_a_new_version_copies_every_row_that_belongs_to_the_offer(teacher: Any) -> None:
    published = offer_with_everything(responsible=teacher.person)
    draft = actions.do_new_version(published.uuid, acting_user=teacher.user)
    copied = rows_of(draft)
    assert copied == rows_of(published)
    assert all(copied.values())


def test_a_new_version_is_a_draft_numbered_after_the_previous_one(teacher: Any) -> None:
    published = OfferFactory(responsible=teacher.person, version=2)
    draft = actions.do_new_version(published.uuid, acting_user=teacher.user)
    assert (draft.status, draft.version, draft.supersedes_id, draft.year) == (
        Offer.Status.DRAFT,
        3,
        published.pk,
        published.year,
    )


def test_a_new_version_keeps_the_syllabus_and_hours(teacher: Any) -> None:
    published = OfferFactory(responsible=teacher.person, content="Noyau Linux", hours_tp=18)
    draft = actions.do_new_version(published.uuid, acting_user=teacher.user)
    assert (draft.content, draft.hours_tp, draft.responsible_id) == (
        "Noyau Linux",
        18,
        teacher.person.pk,
    )


def test_a_team_member_cannot_create_a_new_version(teacher: Any, persona: Any) -> None:
    member = persona("ue_coordinator")
    published = offer_with_everything(responsible=teacher.person)
    published.team.update(person=member.person)
    with pytest.raises(DomainError):
        actions.do_new_version(published.uuid, acting_user=member.user)


def test_only_one_version_is_prepared_at_a_time(teacher: Any) -> None:
    published = OfferFactory(responsible=teacher.person)
    actions.do_new_version(published.uuid, acting_user=teacher.user)
    with pytest.raises(DomainError) as refused:
        actions.do_new_version(published.uuid, acting_user=teacher.user)
    assert "déjà en préparation" in refused.value.message_fr


def test_publishing_a_new_version_archives_the_previous_one(teacher: Any, scolarite: Any) -> None:
    published = OfferFactory(responsible=teacher.person)
    draft = actions.do_new_version(published.uuid, acting_user=teacher.user)
    actions.do_submit_for_review(draft.uuid, acting_user=teacher.user)
    actions.do_publish_offer(draft.uuid, acting_user=scolarite.user)
    statuses = dict(Offer.objects.filter(ue=published.ue).values_list("version", "status"))
    assert statuses == {1: Offer.Status.ARCHIVED, 2: Offer.Status.PUBLISHED}


def test_the_archiving_is_journaled_on_the_previous_version(teacher: Any, scolarite: Any) -> None:
    published = OfferFactory(responsible=teacher.person)
    draft = actions.do_new_version(published.uuid, acting_user=teacher.user)
    actions.do_submit_for_review(draft.uuid, acting_user=teacher.user)
    actions.do_publish_offer(draft.uuid, acting_user=scolarite.user)
    entry = AuditEntry.objects.get(action="catalogue.offer.archive")
    assert (entry.object_ref, entry.detail["replaced_by"]) == (
        str(published.uuid),
        str(draft.uuid),
    )


def test_the_published_version_is_untouched_while_the_new_one_is_edited(teacher: Any) -> None:
    published = OfferFactory(responsible=teacher.person, title="Systèmes")
    draft = actions.do_new_version(published.uuid, acting_user=teacher.user)
    actions.do_update_syllabus(draft.uuid, {"title": "Systèmes 2"}, acting_user=teacher.user)
    assert Offer.objects.get(pk=published.pk).title == "Systèmes"


@pytest.mark.parametrize(
    "edit",
    [
        lambda o, u: actions.do_update_syllabus(o, {"title": "Autre"}, acting_user=u),
        lambda o, u: actions.do_update_timetable_needs(o, {"groups_td": 3}, acting_user=u),
        lambda o, u: actions.do_set_software_needs(o, [], acting_user=u),
        lambda o, u: actions.do_add_team_member(o, "nobody", acting_user=u),
    ],
    ids=["syllabus", "timetable needs", "software needs", "team"],
)
def test_a_published_offer_cannot_be_edited(teacher: Any, edit: Any) -> None:
    published = offer_with_everything(responsible=teacher.person, title="Systèmes")
    with pytest.raises(DomainError) as refused:
        edit(published.uuid, teacher.user)
    assert refused.value.field == "status"
    assert Offer.objects.get(pk=published.pk).title == "Systèmes"
    assert not AuditEntry.objects.filter(object_ref=str(published.uuid)).exists()


def test_a_published_offer_keeps_its_software_needs_when_an_edit_is_refused(
    teacher: Any,
) -> None:
    published = offer_with_everything(responsible=teacher.person)
    with pytest.raises(DomainError):
        actions.do_set_software_needs(
            published.uuid, [SoftwareChoice("python", "lab")], acting_user=teacher.user
        )
    assert list(published.software_needs.values_list("mode", flat=True)) == ["byod"]
