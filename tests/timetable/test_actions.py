"""Named writes of the weekly template: every refusal names its field in French and English
and writes nothing; every change is journaled."""

from __future__ import annotations

from datetime import date, time

import pytest

from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from cartable.timetable import actions
from cartable.timetable.actions import GroupValues, SlotValues
from cartable.timetable.models import Activity, Group, Room, Slot, TeachingCalendar
from tests.factories import CampusFactory, PersonFactory
from tests.timetable.factories import (
    HOLIDAY_CALENDAR,
    ActivityFactory,
    CalendarFactory,
    GroupFactory,
    SlotFactory,
    teaching_offer,
)

pytestmark = pytest.mark.django_db


def refusal(call: object) -> DomainError:
    with pytest.raises(DomainError) as refused:
        call()  # type: ignore[operator]
    return refused.value


# --- calendars -----------------------------------------------------------------------------


def test_a_calendar_must_start_on_a_monday() -> None:
    error = refusal(
        lambda: actions.do_create_calendar(
            2026, "A", first_monday=date(2026, 9, 1), teaching_weeks="1111", acting_user=None
        )
    )
    assert error.field == "first_monday"
    assert error.message_fr.startswith("Lundi de la première semaine : le 2026-09-01 est un mardi")
    assert error.message_en.startswith("Monday of the first week: 2026-09-01 is a Tuesday")
    assert not TeachingCalendar.objects.exists()


def test_teaching_weeks_are_zeros_and_ones() -> None:
    error = refusal(
        lambda: actions.do_create_calendar(
            2026, "A", first_monday=date(2026, 9, 7), teaching_weeks="11x1", acting_user=None
        )
    )
    assert error.field == "teaching_weeks"
    assert "Semaines d'enseignement" in error.message_fr
    assert not TeachingCalendar.objects.exists()


def test_a_calendar_is_created_once_and_journaled() -> None:
    actions.do_create_calendar(
        2026, "A", first_monday=date(2026, 9, 7), teaching_weeks="1110111", acting_user=None
    )
    error = refusal(
        lambda: actions.do_create_calendar(
            2026, "A", first_monday=date(2026, 9, 7), teaching_weeks="1111", acting_user=None
        )
    )
    assert error.field == "semester"
    assert TeachingCalendar.objects.get().teaching_weeks == "1110111"
    assert AuditEntry.objects.filter(action="timetable.calendar.create").count() == 1


def test_a_calendar_with_slots_keeps_its_number_of_weeks() -> None:
    slot = SlotFactory(weeks="1" * 16)
    calendar = CalendarFactory(year=slot.group.activity.offer.year)
    error = refusal(
        lambda: actions.do_update_calendar(
            calendar.year,
            "A",
            first_monday=calendar.first_monday,
            teaching_weeks="1" * 17,
            acting_user=None,
        )
    )
    assert error.field == "teaching_weeks"
    calendar.refresh_from_db()
    assert calendar.week_count == 16


def test_a_week_with_slots_cannot_become_a_holiday() -> None:
    slot = SlotFactory(weeks="0001" + "0" * 12)
    calendar = CalendarFactory(year=slot.group.activity.offer.year)
    error = refusal(
        lambda: actions.do_update_calendar(
            calendar.year,
            "A",
            first_monday=calendar.first_monday,
            teaching_weeks="1110" + "1" * 12,
            acting_user=None,
        )
    )
    assert "semaines 4" in error.message_fr


# --- rooms ---------------------------------------------------------------------------------


def test_a_room_code_is_unique_and_its_capacity_a_whole_number() -> None:
    CampusFactory()
    actions.do_create_room(
        code="B201", name="Salle B201", campus_code="belfort", capacity="30", acting_user=None
    )
    twice = refusal(
        lambda: actions.do_create_room(
            code="B201", name="Autre", campus_code="belfort", capacity="30", acting_user=None
        )
    )
    size = refusal(
        lambda: actions.do_create_room(
            code="B202", name="Salle", campus_code="belfort", capacity="beaucoup", acting_user=None
        )
    )
    assert (twice.field, size.field) == ("code", "capacity")
    assert list(Room.objects.values_list("code", flat=True)) == ["B201"]


def test_a_room_on_an_unknown_campus_is_refused() -> None:
    error = refusal(
        lambda: actions.do_create_room(
            code="X1", name="Salle", campus_code="lune", capacity="30", acting_user=None
        )
    )
    assert error.field == "campus"
    assert "lune" in error.message_fr


# --- groups --------------------------------------------------------------------------------


def test_a_group_teacher_comes_from_the_teaching_team() -> None:
    offer = teaching_offer()
    activity = ActivityFactory(offer=offer, kind="TD")
    outsider = PersonFactory()
    error = refusal(
        lambda: actions.do_save_group(
            activity.uuid, GroupValues("TD1", "30", teacher=outsider.uuid), acting_user=None
        )
    )
    assert error.field == "teacher"
    assert not Group.objects.exists()
    member = offer.team.get().person
    group = actions.do_save_group(
        activity.uuid, GroupValues("TD1", "30", teacher=member.uuid), acting_user=None
    )
    assert group.teacher == member
    entry = AuditEntry.objects.get(action="timetable.group.add")
    assert entry.subject_uuid == member.uuid
    assert entry.object_ref == f"{offer.year}-A-LO41"


def test_a_group_is_attached_only_to_a_group_of_another_activity() -> None:
    offer = teaching_offer()
    td = ActivityFactory(offer=offer, kind="TD")
    tp = ActivityFactory(offer=offer, kind="TP")
    td1 = GroupFactory(activity=td, code="TD1")
    same = refusal(
        lambda: actions.do_save_group(
            td.uuid, GroupValues("TD2", "30", parent=td1.uuid), acting_user=None
        )
    )
    assert same.field == "parent"
    tp1 = actions.do_save_group(
        tp.uuid, GroupValues("TP1", "15", parent=td1.uuid), acting_user=None
    )
    assert tp1.parent == td1


def test_two_groups_of_an_activity_have_different_codes() -> None:
    group = GroupFactory(code="TD1")
    error = refusal(
        lambda: actions.do_save_group(
            group.activity.uuid, GroupValues("TD1", "30"), acting_user=None
        )
    )
    assert error.field == "code"
    assert Group.objects.count() == 1


def test_an_unchanged_group_writes_nothing() -> None:
    group = GroupFactory(code="TD1", capacity=30)
    actions.do_save_group(
        group.activity.uuid, GroupValues("TD1", "30"), group_uuid=group.uuid, acting_user=None
    )
    assert not AuditEntry.objects.filter(action="timetable.group.update").exists()


# --- slots ---------------------------------------------------------------------------------


def _td_group() -> Group:
    offer = teaching_offer()
    return GroupFactory(activity=ActivityFactory(offer=offer, kind="TD"), code="TD1")


def test_a_slot_on_odd_weeks_follows_the_teaching_weeks() -> None:
    group = _td_group()
    slot = actions.do_add_slot(
        group.uuid, SlotValues("mardi", "10h15", "12:15", "odd", room="B101"), acting_user=None
    )
    assert (slot.day, slot.start, slot.end) == (1, time(10, 15), time(12, 15))
    assert slot.weeks == "10101010010101010"
    assert slot.room is not None
    assert slot.room.code == "B101"
    assert AuditEntry.objects.filter(action="timetable.slot.add").count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (SlotValues(0, "10:00", "08:00", "every"), "end"),
        (SlotValues(0, "8:00", "10:00", "9"), "weeks"),
        (SlotValues("dimanche", "8:00", "10:00", "every"), "day"),
        (SlotValues(0, "25:00", "10:00", "every"), "start"),
        (SlotValues(0, "8:00", "10:00", "every", room="Z999"), "slot_room"),
    ],
)
def test_a_wrong_slot_is_refused_on_its_field(values: SlotValues, field: str) -> None:
    group = _td_group()
    error = refusal(lambda: actions.do_add_slot(group.uuid, values, acting_user=None))
    assert error.field == field
    assert not Slot.objects.exists()


def test_a_slot_may_not_overlap_another_slot_of_its_group() -> None:
    group = _td_group()
    actions.do_add_slot(group.uuid, SlotValues(0, "8:00", "10:00", "odd"), acting_user=None)
    error = refusal(
        lambda: actions.do_add_slot(
            group.uuid, SlotValues(0, "9:00", "11:00", "every"), acting_user=None
        )
    )
    assert error.field == "start"
    actions.do_add_slot(group.uuid, SlotValues(0, "8:00", "10:00", "even"), acting_user=None)
    assert group.slots.count() == 2


def test_a_slot_needs_the_calendar_of_its_semester() -> None:
    group = GroupFactory()
    error = refusal(
        lambda: actions.do_add_slot(
            group.uuid, SlotValues(0, "8:00", "10:00", "every"), acting_user=None
        )
    )
    assert error.field == "weeks"
    assert "calendrier" in error.message_fr


def test_only_the_scolarite_writes(persona: object) -> None:
    teacher = persona("teacher")  # type: ignore[operator]
    error = refusal(
        lambda: actions.do_create_calendar(
            2026,
            "A",
            first_monday=date(2026, 9, 7),
            teaching_weeks=HOLIDAY_CALENDAR,
            acting_user=teacher.user,
        )
    )
    assert error.field == "user"


def test_an_activity_is_added_once_per_kind_and_removed_with_its_groups() -> None:
    offer = teaching_offer()
    activity = actions.do_add_activity(offer.year, "A", "LO41", "td", acting_user=None)
    assert activity.kind == "TD"
    twice = refusal(
        lambda: actions.do_add_activity(offer.year, "A", "LO41", "TD", acting_user=None)
    )
    assert twice.field == "kind"
    GroupFactory(activity=activity)
    actions.do_delete_activity(activity.uuid, acting_user=None)
    assert not Activity.objects.exists()
    assert not Group.objects.exists()


def test_an_activity_needs_a_semester_the_offer_is_taught_in() -> None:
    offer = teaching_offer()
    error = refusal(
        lambda: actions.do_add_activity(offer.year, "P", "LO41", "TD", acting_user=None)
    )
    assert error.field == "semester"
