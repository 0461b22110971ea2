"""Editing a draft offer: syllabus, timetable needs, software needs and the teaching team."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cartable.catalogue import actions
from cartable.catalogue.models import Offer, TeachingAssignment
from cartable.catalogue.rules import SoftwareChoice
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from tests.catalogue.factories import (
    OfferFactory,
    SoftwareFactory,
    SoftwareNeedFactory,
    TeachingAssignmentFactory,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(persona: Any) -> Any:
    return persona("teacher")


@pytest.fixture
def draft(teacher: Any) -> Offer:
    return OfferFactory(responsible=teacher.person, status=Offer.Status.DRAFT, title="Systèmes")


def journal(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


def test_a_syllabus_change_is_journaled_with_before_and_after(draft: Offer, teacher: Any) -> None:
    actions.do_update_syllabus(
        draft.uuid,
        {"title": "Systèmes d'exploitation", "credits": "5", "objectives": draft.objectives},
        acting_user=teacher.user,
    )
    assert journal("catalogue.offer.update_syllabus").detail["changes"] == {
        "title": {"before": "Systèmes", "after": "Systèmes d'exploitation"},
        "credits": {"before": "6.0", "after": "5.0"},
    }


def test_a_syllabus_change_is_saved(draft: Offer, teacher: Any) -> None:
    actions.do_update_syllabus(
        draft.uuid, {"content_en": "Processes, memory"}, acting_user=teacher.user
    )
    assert Offer.objects.get(pk=draft.pk).content_en == "Processes, memory"


def test_saving_the_same_values_writes_nothing_to_the_journal(draft: Offer, teacher: Any) -> None:
    changed = actions.do_update_syllabus(
        draft.uuid, {"title": "Systèmes"}, acting_user=teacher.user
    )
    assert changed == {}
    assert not AuditEntry.objects.exists()


def test_a_team_member_edits_the_syllabus(draft: Offer, persona: Any) -> None:
    member = persona("ue_coordinator")
    TeachingAssignmentFactory(offer=draft, person=member.person)
    actions.do_update_syllabus(draft.uuid, {"bibliography": "Tanenbaum"}, acting_user=member.user)
    assert Offer.objects.get(pk=draft.pk).bibliography == "Tanenbaum"


def test_a_team_member_cannot_change_the_timetable_needs(draft: Offer, persona: Any) -> None:
    member = persona("ue_coordinator")
    TeachingAssignmentFactory(offer=draft, person=member.person)
    with pytest.raises(DomainError):
        actions.do_update_timetable_needs(draft.uuid, {"groups_td": 2}, acting_user=member.user)


def test_credits_out_of_range_change_nothing(draft: Offer, teacher: Any) -> None:
    with pytest.raises(DomainError) as refused:
        actions.do_update_syllabus(
            draft.uuid, {"title": "Autre", "credits": "75"}, acting_user=teacher.user
        )
    assert refused.value.field == "credits"
    assert Offer.objects.get(pk=draft.pk).title == "Systèmes"


def test_timetable_needs_are_saved_and_journaled(draft: Offer, teacher: Any) -> None:
    actions.do_update_timetable_needs(
        draft.uuid,
        {"groups_td": "3", "hours_tp": "12.5", "room_needs": "Salle réseau", "capacity": ""},
        acting_user=teacher.user,
    )
    saved = Offer.objects.get(pk=draft.pk)
    assert (saved.groups_td, saved.hours_tp, saved.room_needs, saved.capacity) == (
        3,
        Decimal("12.5"),
        "Salle réseau",
        None,
    )
    changes = journal("catalogue.offer.update_timetable_needs").detail["changes"]
    assert changes["capacity"] == {"before": 72, "after": None}


def test_negative_hours_are_refused(draft: Offer, teacher: Any) -> None:
    with pytest.raises(DomainError) as refused:
        actions.do_update_timetable_needs(draft.uuid, {"hours_cm": "-4"}, acting_user=teacher.user)
    assert (refused.value.field, refused.value.message_en) == (
        "hours_cm",
        "Lecture hours: this number cannot be negative.",
    )


def test_software_needs_are_replaced_and_journaled(draft: Offer, teacher: Any) -> None:
    SoftwareNeedFactory(offer=draft)
    SoftwareFactory(code="catia", name="CATIA")
    actions.do_set_software_needs(
        draft.uuid, [SoftwareChoice("catia", "lab", "Salle CAO")], acting_user=teacher.user
    )
    assert list(draft.software_needs.values_list("software__code", "mode", "note")) == [
        ("catia", "lab", "Salle CAO")
    ]
    assert journal("catalogue.offer.set_software_needs").detail["changes"] == {
        "software_needs": {
            "before": [{"software": "python", "mode": "byod", "note": ""}],
            "after": [{"software": "catia", "mode": "lab", "note": "Salle CAO"}],
        }
    }


def test_an_unknown_software_is_refused(draft: Offer, teacher: Any) -> None:
    with pytest.raises(DomainError) as refused:
        actions.do_set_software_needs(
            draft.uuid, [SoftwareChoice("nope", "lab")], acting_user=teacher.user
        )
    assert refused.value.field == "software"


@pytest.mark.parametrize("identifier", ["dupont", "dupont@utbm.fr", "DUPONT"])
def test_a_team_member_is_added_by_login_or_address(
    draft: Offer, teacher: Any, identifier: str
) -> None:
    colleague = PersonFactory(login="dupont")
    actions.do_add_team_member(draft.uuid, identifier, acting_user=teacher.user)
    assert list(draft.team.values_list("person_id", flat=True)) == [colleague.pk]


def test_a_team_member_is_added_by_uuid_with_activity_and_hours(draft: Offer, teacher: Any) -> None:
    colleague = PersonFactory()
    actions.do_add_team_member(
        draft.uuid, colleague.uuid, activity="tp", hours="16", acting_user=teacher.user
    )
    assignment = draft.team.get()
    assert (assignment.activity, assignment.hours) == ("tp", Decimal("16"))


def test_adding_a_team_member_is_journaled_about_that_person(draft: Offer, teacher: Any) -> None:
    colleague = PersonFactory(login="dupont")
    actions.do_add_team_member(draft.uuid, "dupont", acting_user=teacher.user)
    entry = journal("catalogue.offer.add_team_member")
    assert entry.subject_uuid == colleague.uuid
    assert entry.detail["changes"]["team"]["after"]["login"] == "dupont"


def test_an_unknown_person_cannot_join_the_team(draft: Offer, teacher: Any) -> None:
    with pytest.raises(DomainError) as refused:
        actions.do_add_team_member(draft.uuid, "inconnu", acting_user=teacher.user)
    assert refused.value.field == "person"
    assert refused.value.message_fr.startswith("Personne :")


def test_a_person_joins_the_team_once_per_activity(draft: Offer, teacher: Any) -> None:
    colleague = PersonFactory(login="dupont")
    TeachingAssignmentFactory(offer=draft, person=colleague, activity="td")
    with pytest.raises(DomainError):
        actions.do_add_team_member(draft.uuid, "dupont", activity="td", acting_user=teacher.user)


def test_a_team_member_is_removed_and_journaled(draft: Offer, teacher: Any) -> None:
    colleague = PersonFactory()
    TeachingAssignmentFactory(offer=draft, person=colleague, activity="td", hours=10)
    actions.do_remove_team_member(draft.uuid, colleague.uuid, acting_user=teacher.user)
    assert not TeachingAssignment.objects.exists()
    before = journal("catalogue.offer.remove_team_member").detail["changes"]["team"]["before"]
    assert before == [
        {"person": str(colleague.uuid), "login": colleague.login, "activity": "td", "hours": "10.0"}
    ]


def test_removing_someone_not_in_the_team_is_refused(draft: Offer, teacher: Any) -> None:
    with pytest.raises(DomainError):
        actions.do_remove_team_member(draft.uuid, PersonFactory().uuid, acting_user=teacher.user)


def test_a_team_member_cannot_manage_the_team(draft: Offer, persona: Any) -> None:
    member = persona("ue_coordinator")
    TeachingAssignmentFactory(offer=draft, person=member.person)
    with pytest.raises(DomainError):
        actions.do_add_team_member(draft.uuid, PersonFactory().uuid, acting_user=member.user)
