"""What other modules may ask of the timetable."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db.models import Q, Sum

from . import rules
from .data import (
    ActivityOption,
    Compatibility,
    GroupOption,
    Placement,
    SlotTime,
    TeachingGroup,
    TimetableLine,
    UEWeek,
)
from .engine.sectioning import Activity as EngineActivity
from .engine.sectioning import Course, Meeting
from .engine.sectioning import Group as EngineGroup
from .models import Activity, Group, Room, Slot, TeachingCalendar
from .weeks import label as week_label


def _slot_time(slot: Slot) -> SlotTime:
    return SlotTime(
        day=slot.day,
        start=rules.minutes(slot.start.hour, slot.start.minute),
        end=rules.minutes(slot.end.hour, slot.end.minute),
        weeks=rules.mask(slot.weeks),
    )


def ue_weeks(offer_uuids: Iterable[uuid.UUID], semester: str) -> dict[uuid.UUID, UEWeek]:
    """The weekly template of each offer for a semester (two queries of plain values whatever
    their number: this answers at every click of an enrolment campaign). An offer without
    activities has an empty template: it constrains nothing."""
    wanted = list(offer_uuids)
    activities = list(
        Activity.objects.filter(offer__uuid__in=wanted, semester=semester)
        .order_by("offer__ue__code", "kind", "pk")
        .values_list("pk", "uuid", "kind", "offer__uuid", "offer__ue__code")
    )
    # groups with their slots (a group without slots comes once, with empty slot fields)
    rows = (
        Group.objects.filter(activity_id__in=[a[0] for a in activities])
        .order_by("activity_id", "code", "pk", "slots__day", "slots__start")
        .values_list(
            "activity_id",
            "uuid",
            "code",
            "parent__uuid",
            "slots__day",
            "slots__start",
            "slots__end",
            "slots__weeks",
        )
    )
    groups: dict[int, dict[uuid.UUID, tuple[str, str | None, list[SlotTime]]]] = {}
    for activity_id, key, code, parent, day, start, end, weeks in rows:
        slots = groups.setdefault(activity_id, {}).setdefault(
            key, (code, str(parent) if parent else None, [])
        )[2]
        if day is not None:
            slots.append(
                SlotTime(
                    day=day,
                    start=rules.minutes(start.hour, start.minute),
                    end=rules.minutes(end.hour, end.minute),
                    weeks=rules.mask(weeks),
                )
            )
    by_offer: dict[uuid.UUID, list[ActivityOption]] = {u: [] for u in wanted}
    codes: dict[uuid.UUID, str] = {}
    for activity_id, activity_uuid, kind, offer_uuid, ue_code in activities:
        codes[offer_uuid] = ue_code
        options = tuple(
            GroupOption(key=str(key), code=code, slots=tuple(slots), parent=parent)
            for key, (code, parent, slots) in groups.get(activity_id, {}).items()
        )
        by_offer[offer_uuid].append(
            ActivityOption(key=str(activity_uuid), kind=kind, groups=options)
        )
    return {
        offer: UEWeek(code=codes.get(offer, str(offer)), activities=tuple(activities_))
        for offer, activities_ in by_offer.items()
    }


def group_capacity(offer_uuids: Iterable[uuid.UUID], semester: str) -> dict[uuid.UUID, int]:
    """Places the groups of each offer can hold: the smallest total over its activities
    (every student attends one group of each). Offers without groups are left out (one
    query)."""
    rows = (
        Group.objects.filter(
            activity__offer__uuid__in=list(offer_uuids), activity__semester=semester
        )
        .values("activity__offer__uuid", "activity_id")
        .annotate(seats=Sum("capacity"))
        .order_by()
    )
    totals: dict[uuid.UUID, int] = {}
    for row in rows:
        offer, seats = row["activity__offer__uuid"], int(row["seats"])
        totals[offer] = min(totals.get(offer, seats), seats)
    return totals


def check_compatibility(ues: Sequence[UEWeek], *, keep: Sequence[str] = ()) -> Compatibility:
    """Whether these UEs can be taken together (see :func:`rules.check`)."""
    return rules.check(ues, keep=keep)


def fit(placed: Sequence[GroupOption], ue: UEWeek) -> tuple[Placement, ...] | None:
    """One group of each activity of ``ue`` that overlaps none of ``placed`` (the groups a
    student already holds, kept where they are) nor each other; None when there is none.
    Cheaper than :func:`check_compatibility` on the whole set, and stricter: a clash that
    moving an earlier group would resolve still refuses."""
    held = [slot for group in placed for slot in group.slots]
    activities = []
    for activity in ue.activities:
        free = tuple(
            g for g in activity.groups if not any(s.overlaps(h) for s in g.slots for h in held)
        )
        if activity.groups and not free:
            return None
        activities.append(ActivityOption(activity.key, activity.kind, free))
    found = rules.check([UEWeek(ue.code, tuple(activities))])
    return found.placements if found.compatible else None


def calendar_first_monday(year: int, semester: str) -> date | None:
    calendar = TeachingCalendar.objects.filter(year=year, semester=semester).first()
    return calendar.first_monday if calendar else None


def timetable_lines(group_keys: Iterable[str], year: int, semester: str) -> list[TimetableLine]:
    """The weekly slots of these groups, with their dates, in weekly order."""
    first_monday = calendar_first_monday(year, semester)
    slots = (
        Slot.objects.filter(group__uuid__in=[uuid.UUID(k) for k in group_keys])
        .select_related("group__activity__offer__ue", "group__room", "room")
        .order_by("day", "start", "group__activity__offer__ue__code")
    )
    lines = []
    for slot in slots:
        group = slot.group
        room = slot.room or group.room
        dates = rules.occurrences(first_monday, _slot_time(slot)) if first_monday else []
        lines.append(
            TimetableLine(
                ue_code=group.activity.offer.ue.code,
                activity_kind=group.activity.kind,
                group_code=group.code,
                day=slot.day,
                start=slot.start,
                end=slot.end,
                weeks=slot.weeks,
                room=room.code if room else "",
                dates=tuple(dates),
            )
        )
    return lines


def sectioning_parts(
    offer_uuids: Iterable[uuid.UUID], semester: str
) -> tuple[dict[str, Course], dict[str, EngineActivity], dict[str, EngineGroup]]:
    """The weekly template of these offers as the sectioning engine reads it: courses keyed
    by offer uuid, activities and groups by their uuids, meetings on dated weeks (three
    queries, whatever the number of offers)."""
    wanted = list(offer_uuids)
    activities = list(
        Activity.objects.filter(offer__uuid__in=wanted, semester=semester)
        .order_by("offer__ue__code", "kind", "pk")
        .values_list("pk", "uuid", "offer__uuid")
    )
    group_rows = list(
        Group.objects.filter(activity_id__in=[a[0] for a in activities])
        .order_by("activity_id", "code", "pk")
        .values_list("pk", "uuid", "activity_id", "capacity", "parent__uuid")
    )
    meetings: dict[int, list[Meeting]] = {}
    for group_id, day, start, end, weeks in Slot.objects.filter(
        group_id__in=[g[0] for g in group_rows]
    ).values_list("group_id", "day", "start", "end", "weeks"):
        meetings.setdefault(group_id, []).append(
            Meeting(
                days=1 << day,
                start=rules.minutes(start.hour, start.minute),
                end=rules.minutes(end.hour, end.minute),
                weeks=rules.mask(weeks),
            )
        )
    activity_key = {pk: str(key) for pk, key, _offer in activities}
    groups: dict[str, EngineGroup] = {}
    members: dict[int, list[str]] = {}
    for pk, key, activity_id, capacity, parent in group_rows:
        groups[str(key)] = EngineGroup(
            id=str(key),
            activity=activity_key[activity_id],
            capacity=capacity,
            meetings=tuple(meetings.get(pk, ())),
            parent=str(parent) if parent else None,
        )
        members.setdefault(activity_id, []).append(str(key))
    engine_activities = {
        str(key): EngineActivity(str(key), str(offer), tuple(members.get(pk, ())))
        for pk, key, offer in activities
    }
    by_offer: dict[str, list[str]] = {str(u): [] for u in wanted}
    for _pk, key, offer in activities:
        by_offer[str(offer)].append(str(key))
    courses = {offer: Course(offer, tuple(keys)) for offer, keys in by_offer.items()}
    return courses, engine_activities, groups


def group_labels(group_uuids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """“LO21 TD1” for each group (one query)."""
    return {
        key: f"{code_} {group_code}"
        for key, code_, group_code in Group.objects.filter(uuid__in=list(group_uuids)).values_list(
            "uuid", "activity__offer__ue__code", "code"
        )
    }


def group_capacities(year: int, semester: str) -> list[tuple[uuid.UUID, str, int]]:
    """Every group of a semester: (uuid, “LO21 TD1”, capacity), by UE and code."""
    return [
        (key, f"{code_} {group_code}", capacity)
        for key, code_, group_code, capacity in Group.objects.filter(
            activity__offer__year=year, activity__semester=semester
        )
        .order_by("activity__offer__ue__code", "activity__kind", "code")
        .values_list("uuid", "activity__offer__ue__code", "code", "capacity")
    ]


def exam_rooms() -> list[tuple[str, str, int]]:
    """Rooms that can hold exams: (code, campus code, capacity), largest first."""
    return list(
        Room.objects.order_by("-capacity", "code").values_list("code", "campus__code", "capacity")
    )


def teaching_groups(
    *,
    year: int | None = None,
    semesters: Iterable[str] = (),
    teacher: uuid.UUID | None = None,
    offers: Iterable[uuid.UUID] | None = None,
    keys: Iterable[uuid.UUID] | None = None,
    ue_code: str = "",
    search: str = "",
    english: bool = False,
) -> list[TeachingGroup]:
    """Groups with their activity, capacity, room, teacher and slots in words, by year,
    semester, UE, activity and code (three queries). Only those of ``year`` and
    ``semesters``, taught by ``teacher``, of ``offers``, among ``keys``, of the UE
    ``ue_code``, whose UE or group code contains every word of ``search`` — as given."""
    groups = Group.objects.all()
    if year is not None:
        groups = groups.filter(activity__offer__year=year)
    wanted = list(semesters)
    if wanted:
        groups = groups.filter(activity__semester__in=wanted)
    if teacher is not None:
        groups = groups.filter(teacher__uuid=teacher)
    if offers is not None:
        groups = groups.filter(activity__offer__uuid__in=list(offers))
    if keys is not None:
        groups = groups.filter(uuid__in=list(keys))
    if ue_code:
        groups = groups.filter(activity__offer__ue__code__iexact=ue_code)
    for word in search.split():
        groups = groups.filter(
            Q(activity__offer__ue__code__icontains=word) | Q(code__icontains=word)
        )
    rows = list(
        groups.order_by(
            "activity__offer__year",
            "activity__semester",
            "activity__offer__ue__code",
            "activity__kind",
            "code",
            "pk",
        ).values_list(
            "pk",
            "uuid",
            "activity__offer__uuid",
            "activity__offer__ue__code",
            "code",
            "activity__offer__year",
            "activity__semester",
            "activity__kind",
            "capacity",
            "room__code",
            "teacher__uuid",
        )
    )
    if not rows:
        return []
    calendars = {
        (year_, semester): teaching
        for year_, semester, teaching in TeachingCalendar.objects.filter(
            year__in={r[5] for r in rows}
        ).values_list("year", "semester", "teaching_weeks")
    }
    where = {row[0]: (row[5], row[6], row[9]) for row in rows}  # year, semester, room
    slots: dict[int, list[str]] = {}
    for group_id, day, start, end, weeks_, room in (
        Slot.objects.filter(group__in=groups.values("pk"))
        .order_by("group_id", "day", "start")
        .values_list("group_id", "day", "start", "end", "weeks", "room__code")
    ):
        if group_id not in where:
            continue
        year_, semester, group_room = where[group_id]
        said = week_label(weeks_, calendars.get((year_, semester)), english=english)
        if room and room != group_room:
            said += f", {'room' if english else 'salle'} {room}"
        slots.setdefault(group_id, []).append(
            f"{Slot.Day(day).label} {start:%H:%M}–{end:%H:%M} ({said})"
        )
    return [
        TeachingGroup(
            key=key,
            offer=offer,
            ue_code=code_,
            code=group_code,
            year=year_,
            semester=semester,
            activity_kind=kind,
            capacity=capacity,
            room=room or "",
            teacher=teacher_,
            slots=tuple(slots.get(pk, ())),
        )
        for (
            pk,
            key,
            offer,
            code_,
            group_code,
            year_,
            semester,
            kind,
            capacity,
            room,
            teacher_,
        ) in rows
    ]


def icalendar(
    lines: Sequence[TimetableLine], *, name: str, stamp: datetime, domain: str = ""
) -> bytes:
    """Timetable lines as an iCalendar file, one event per dated occurrence (see
    :mod:`cartable.timetable.ical`)."""
    from .ical import calendar

    return calendar(lines, name=name, stamp=stamp, domain=domain)
