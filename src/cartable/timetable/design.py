"""Designing the weekly template ("semaine type", §5.2.3): the semester's teaching needs and
groups become the classes of an ITC 2019 problem, solved by the course engine, and the
proposal is reviewed (what moves, for whom) before it is published onto the template.

* Every session of a group is a class. An activity with a need (:class:`ActivityNeed`) gets
  its number of groups, of sessions a week, their length and weeks from the need: missing
  groups and sessions are created on publication, groups beyond the need's count stay as they
  are (reported). An activity without a need keeps the shape its groups have.
* A class may start on any working day at any start time of the institution's grid (the start
  times the semester's template uses), never on a forbidden half-day of its need, nor when its
  teacher is unavailable; outside the need's preferred half-days it costs ``NOT_PREFERRED``. It
  goes in a room of its offer's campus that holds it and has the need's features. A pinned UE
  or group (``LO21``, ``IA41/TD1``) keeps its times and rooms.
* A teacher's sessions, and the sessions of one group, are never at the same time, with the
  travel time between campuses (required ``SameAttendees``); a group's sessions go on
  different days when they can (soft ``DifferentDays``). Rooms are never double-booked.
* The expected demand (which UEs students take together: the campaign's choices, or this
  year's enrolments) becomes the students' course requests: the solver minimises the students
  who cannot attend all their UEs, sectioning them without group capacities (whether UEs can
  be taken together at all, as the campaign checks it); the review counts the pairs of UEs
  wanted together that have no compatible combination of groups, before and after.
* The current template is the starting point and every moved session costs
  ``CHANGE_PENALTY``: re-solving after pinning parts changes as little as possible of what is
  published.
"""

from __future__ import annotations

import itertools
import math
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import time as clock
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from cartable.catalogue import api as catalogue
from cartable.core import audit, jobs, notifications
from cartable.core.errors import DomainError

from .data import ActivityOption, GroupOption, SlotTime, UEWeek
from .engine.course import model as itc
from .engine.course.evaluate import evaluate
from .models import (
    Activity,
    ActivityNeed,
    Group,
    Room,
    Slot,
    TeacherUnavailability,
    TeachingCalendar,
    TemplateRun,
)
from .needs import half_days, touched, travel_minutes
from .rules import check as check_compatibility

STEP = 5  # minutes per slot of the ITC time grid
CHANGE_PENALTY = 2
NOT_PREFERRED = 1
DIFFERENT_DAYS_PENALTY = 5
DAYS = 5
#: The start times used when the semester's template has none yet.
DEFAULT_STARTS = (8 * 60, 10 * 60 + 15, 13 * 60 + 30, 15 * 60 + 45)
DEFAULT_LATEST = 20 * 60
NEW = "new"
#: Students are sectioned without group capacities: the design judges whether a student's
#: UEs can be taken together at all, as the enrolment campaign does; filling groups within
#: their places is the sectioning's work once the campaign is over (rooms still hold them).
UNLIMITED = 1_000_000


@dataclass(frozen=True)
class Session:
    """A class of the problem: one weekly session of a group."""

    group: str  # group uuid, or "new:<activity uuid>:<code>" for a group to create
    label: str  # "LO21 TD1"
    slot: str | None  # the slot it replaces, None for a new session
    length: int  # minutes
    teacher: int | None
    activity: str = ""  # activity uuid
    attached_to: str | None = None  # the group (uuid) a student of this one also attends
    capacity: int = 0  # places, as the need (or else the group) says
    #: where the session is now: day, start and end (minutes), week mask, room code, places
    current: tuple[int, int, int, int, str, int] | None = None


@dataclass(frozen=True)
class Design:
    problem: itc.Problem
    movable: frozenset[str]  # class ids that may move
    initial: itc.Solution
    sessions: dict[str, Session]  # class id → session
    offers_of_class: dict[str, str]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (French, English)

    @property
    def labels(self) -> dict[str, str]:
        return {key: s.label for key, s in self.sessions.items()}


def _minutes(value: clock) -> int:
    return value.hour * 60 + value.minute


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _mask(weeks: str) -> int:
    return sum(1 << i for i, c in enumerate(weeks) if c == "1")


def parse_pinned(raw: str) -> tuple[set[str], set[tuple[str, str]]]:
    """``"LO21 IA41/TD1"`` → ({"LO21"}, {("IA41", "TD1")})."""
    ues: set[str] = set()
    groups: set[tuple[str, str]] = set()
    for token in raw.replace(",", " ").split():
        code, _slash, group = token.upper().partition("/")
        if group:
            groups.add((code, group))
        else:
            ues.add(code)
    return ues, groups


def _features(text: str) -> set[str]:
    return {f.strip().lower() for f in text.split(",") if f.strip()}


@dataclass
class _Builder:
    """What :func:`design_of` accumulates while it walks the semester's activities."""

    starts: list[int]
    latest: int
    nr_weeks: int
    teaching: int  # week mask of the calendar's teaching weeks
    rooms: list[Room]
    campus_of_offer: dict[str, str]
    unavailable: dict[int, list[tuple[int, int, int]]]  # teacher pk → (day, start, end)
    pinned_ues: set[str]
    pinned_groups: set[tuple[str, str]]
    sessions: dict[str, Session] = field(default_factory=dict)
    offers_of_class: dict[str, str] = field(default_factory=dict)
    movable: set[str] = field(default_factory=set)
    assignments: list[itc.ClassAssignment] = field(default_factory=list)
    together: list[tuple[str, ...]] = field(default_factory=list)  # one group's sessions
    kept: list[itc.CourseClass] = field(default_factory=list)  # sessions left where they are
    notes: list[tuple[str, str]] = field(default_factory=list)

    def times(
        self, length: int, weeks: int, need: ActivityNeed | None, teacher: int | None
    ) -> tuple[itc.TimeOption, ...]:
        forbidden = half_days(need.forbidden_times) if need else frozenset()
        preferred = half_days(need.preferred_times) if need else frozenset()
        found = []
        for day in range(DAYS):
            for begin in self.starts:
                end = begin + length
                if end > self.latest:
                    continue
                cells = touched(day, begin, end)
                if cells & forbidden:
                    continue
                if not self.free(teacher, day, begin, end):
                    continue
                penalty = NOT_PREFERRED if preferred and not cells <= preferred else 0
                found.append(
                    itc.TimeOption(
                        itc.Time(1 << day, begin // STEP, length // STEP, weeks), penalty
                    )
                )
        return tuple(found)

    def free(self, teacher: int | None, day: int, begin: int, end: int) -> bool:
        """Whether ``teacher`` can teach on ``day`` from ``begin`` to ``end`` (minutes)."""
        busy = self.unavailable.get(teacher, []) if teacher else []
        return not any(d == day and begin < b and end > a for d, a, b in busy)

    def room_options(
        self, campus: str | None, capacity: int, features: set[str], current: Room | None
    ) -> tuple[itc.RoomOption, ...]:
        fitting = [
            r
            for r in self.rooms
            if r.capacity >= capacity
            and (campus is None or r.campus.code == campus)
            and features <= _features(r.features)
        ]
        if current is not None and current not in fitting and not features:
            fitting.insert(0, current)
        return tuple(itc.RoomOption(r.code) for r in fitting)


def _unavailabilities(year: int, semester: str) -> dict[int, list[tuple[int, int, int]]]:
    found: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for row in TeacherUnavailability.objects.filter(year=year, semester=semester):
        found[row.person_id].append((row.day, _minutes(row.start), _minutes(row.end)))
    return found


def _fixed_session(
    builder: _Builder, key: str, session: Session, slot: Slot, room: Room | None, limit: int
) -> itc.CourseClass:
    start = _minutes(slot.start)
    length = _minutes(slot.end) - start
    time_ = itc.Time(1 << slot.day, start // STEP, length // STEP, _mask(slot.weeks))
    builder.assignments.append(
        itc.ClassAssignment(key, time_.days, time_.start, time_.weeks, room.code if room else None)
    )
    builder.sessions[key] = session
    return itc.CourseClass(
        id=key,
        limit=UNLIMITED,
        times=(itc.TimeOption(time_),),
        rooms=(itc.RoomOption(room.code),) if room else (),
        room_required=room is not None,
    )


def _planned_groups(builder: _Builder, activity: Activity, groups: list[Group]) -> list[Group]:
    """The groups the need asks for: the existing ones first, by code, then new (unsaved)
    groups named after the activity (``TD3``)."""
    need: ActivityNeed | None = getattr(activity, "need", None)
    if need is None:
        return groups
    planned = list(groups[: need.group_count])
    used = {g.code.upper() for g in groups}
    number = 1
    while len(planned) < need.group_count:
        while f"{activity.kind}{number}".upper() in used:
            number += 1
        code = f"{activity.kind}{number}"
        used.add(code.upper())
        planned.append(Group(activity=activity, code=code, capacity=need.group_capacity))
        label = f"{activity.offer.ue.code} {code}"
        builder.notes.append(
            (
                f"{label} : nouveau groupe (le besoin en demande {need.group_count}), sans "
                "enseignant·e : à désigner après publication.",
                f"{label}: new group (the need asks for {need.group_count}), without a "
                "teacher: to be named after publication.",
            )
        )
    return planned


def _keep(builder: _Builder, group: Group, slot: Slot, why_fr: str, why_en: str) -> None:
    """A session the design does not place: it stays where it is, and others avoid it."""
    key = str(slot.uuid)
    label = f"{group.activity.offer.ue.code} {group.code}"
    session = Session(str(group.uuid), label, key, 0, group.teacher_id)
    builder.offers_of_class[key] = str(group.activity.offer.uuid)
    builder.kept.append(_fixed_session(builder, key, session, slot, slot.room or group.room, 0))
    note = (f"{label} : {why_fr}", f"{label}: {why_en}")
    if note not in builder.notes:  # once per group, however many sessions it keeps
        builder.notes.append(note)


def _activity_classes(
    builder: _Builder,
    activity: Activity,
    groups: list[Group],
    slots: dict[int, list[Slot]],
    last_of_group: dict[int, str],
) -> list[list[itc.CourseClass]]:
    """The classes of an activity, one list per session index (one ITC subpart each): every
    student of a group attends all its sessions, so each session's parent is the one before,
    and the first one's is the last session of the group it is attached to."""
    offer = activity.offer
    code = offer.ue.code
    need: ActivityNeed | None = getattr(activity, "need", None)
    campus = builder.campus_of_offer.get(str(offer.uuid))
    features = _features(need.room_features) if need else set()
    planned = _planned_groups(builder, activity, groups)
    if need is not None:
        per_group = need.sessions_per_week
        for group in groups[need.group_count :]:
            for beyond in slots[group.pk]:
                _keep(
                    builder,
                    group,
                    beyond,
                    f"au-delà des {need.group_count} groupes du besoin, gardé tel quel.",
                    f"beyond the {need.group_count} groups of the need, kept as it is.",
                )
    else:
        # without a need, every group keeps its number of sessions; when they differ, the
        # sessions beyond the smallest number stay where they are
        per_group = min((len(slots[g.pk]) for g in groups if slots[g.pk]), default=0)
    columns: list[list[itc.CourseClass]] = [[] for _ in range(per_group)]
    for group in planned:
        is_new = group.pk is None
        own = [] if is_new else slots[group.pk]
        if need is None and not own:
            continue
        group_key = f"{NEW}:{activity.uuid}:{group.code}" if is_new else str(group.uuid)
        label = f"{code} {group.code}"
        fixed = code.upper() in builder.pinned_ues or (
            (code.upper(), group.code.upper()) in builder.pinned_groups
        )
        teacher = None if is_new else group.teacher_id
        attached = (
            str(group.parent.uuid)
            if group.parent is not None and group.parent.activity.offer_id == activity.offer_id
            else None
        )
        keys: list[str] = []
        for index in range(per_group):
            slot = own[index] if index < len(own) else None
            room = (slot.room if slot else None) or (None if is_new else group.room)
            key = str(slot.uuid) if slot else f"{group_key}:{index + 1}"
            builder.offers_of_class[key] = str(offer.uuid)
            if fixed and slot is not None:
                length = _minutes(slot.end) - _minutes(slot.start)
                session = Session(
                    group_key, label, key, length, teacher, str(activity.uuid), attached
                )
                course_class = _fixed_session(builder, key, session, slot, room, group.capacity)
            else:
                length = need.length if need else 0
                if need is None and slot is not None:
                    length = _minutes(slot.end) - _minutes(slot.start)
                course_class = _movable_session(
                    builder,
                    key,
                    Session(
                        group_key,
                        label,
                        str(slot.uuid) if slot else None,
                        length,
                        teacher,
                        str(activity.uuid),
                        attached,
                        need.group_capacity if need else group.capacity,
                        (
                            slot.day,
                            _minutes(slot.start),
                            _minutes(slot.end),
                            _mask(slot.weeks),
                            room.code if room else "",
                            group.capacity,
                        )
                        if slot
                        else None,
                    ),
                    slot,
                    room,
                    need.group_capacity if need else group.capacity,
                    need,
                    campus if need or room is None else room.campus.code,
                    features,
                )
            parent = keys[-1] if keys else None
            if (
                parent is None
                and group.parent is not None
                and group.parent.pk in last_of_group
                and group.parent.activity.offer_id == activity.offer_id
            ):
                parent = last_of_group[group.parent.pk]
            if parent is not None:
                course_class = replace(course_class, parent=parent)
            keys.append(key)
            columns[index].append(course_class)
        for extra in own[per_group:]:
            if not is_new:
                _keep(
                    builder,
                    group,
                    extra,
                    f"séance au-delà des {per_group} par semaine, gardée telle quelle.",
                    f"session beyond the {per_group} a week, kept as it is.",
                )
        if keys and not is_new:
            last_of_group[group.pk] = keys[-1]
        if len(keys) > 1:
            builder.together.append(tuple(keys))
    return [column for column in columns if column]


def _movable_session(
    builder: _Builder,
    key: str,
    session: Session,
    slot: Slot | None,
    room: Room | None,
    limit: int,
    need: ActivityNeed | None,
    campus: str | None,
    features: set[str],
) -> itc.CourseClass:
    label = session.label
    weeks = (_mask(need.weeks) or builder.teaching) if need else _mask(slot.weeks if slot else "")
    times = builder.times(session.length, weeks, need, session.teacher)
    current = None
    if slot is not None:
        start = _minutes(slot.start)
        current = itc.Time(1 << slot.day, start // STEP, session.length // STEP, weeks)
        fits = builder.free(session.teacher, slot.day, start, start + session.length)
        if need is None and fits and current not in {t.time for t in times}:
            times = (itc.TimeOption(current), *times)
    if not times:
        raise DomainError(
            "semester",
            f"{label} : aucun créneau possible (demi-journées interdites, indisponibilités de "
            "l'enseignant·e).",
            f"{label}: no possible time (forbidden half-days, the teacher's unavailabilities).",
        )
    rooms: tuple[itc.RoomOption, ...] = ()
    if need is not None or room is not None:
        rooms = builder.room_options(campus, limit, features, None if need else room)
        if not rooms:
            raise DomainError(
                "semester",
                f"{label} : aucune salle du campus {campus} n'a {limit} places et les "
                "équipements requis.",
                f"{label}: no room of campus {campus} has {limit} places and the required "
                "features.",
            )
    builder.movable.add(key)
    builder.sessions[key] = session
    if current is not None:
        builder.assignments.append(
            itc.ClassAssignment(
                key, current.days, current.start, current.weeks, room.code if room else None
            )
        )
    return itc.CourseClass(
        id=key, limit=UNLIMITED, times=times, rooms=rooms, room_required=bool(rooms)
    )


def design_of(
    year: int, semester: str, demand: Mapping[str, Sequence[str]], pinned: str = ""
) -> Design:
    """The semester's template and needs as an ITC 2019 problem (see the module's docstring);
    a :class:`DomainError` names a session that has no possible time or room."""
    activities = list(
        Activity.objects.filter(offer__year=year, semester=semester)
        .select_related("offer__ue", "need")
        .order_by("offer__ue__code", "kind")
    )
    groups = list(
        Group.objects.filter(activity__offer__year=year, activity__semester=semester)
        .select_related("room__campus", "parent__activity")
        .prefetch_related("slots__room__campus")
        .order_by("activity__offer__ue__code", "activity__kind", "code")
    )
    calendar = TeachingCalendar.objects.filter(year=year, semester=semester).first()
    slots = {g.pk: sorted(g.slots.all(), key=lambda s: (s.day, s.start)) for g in groups}
    every = [s for ss in slots.values() for s in ss]
    nr_weeks = (
        len(calendar.teaching_weeks) if calendar else max((len(s.weeks) for s in every), default=1)
    )
    teaching = _mask(calendar.teaching_weeks) if calendar else (1 << nr_weeks) - 1
    rooms = list(Room.objects.select_related("campus").order_by("code"))
    travel = travel_minutes()
    pinned_ues, pinned_groups = parse_pinned(pinned)
    builder = _Builder(
        starts=sorted({_minutes(s.start) for s in every}) or list(DEFAULT_STARTS),
        latest=max((_minutes(s.end) for s in every), default=DEFAULT_LATEST),
        nr_weeks=nr_weeks,
        teaching=teaching,
        rooms=rooms,
        campus_of_offer={
            str(o.uuid): o.campus_code for o in catalogue.timetable_offers(year, semester)
        },
        unavailable=_unavailabilities(year, semester),
        pinned_ues=pinned_ues,
        pinned_groups=pinned_groups,
    )
    itc_rooms = tuple(
        itc.Room(
            id=r.code,
            capacity=r.capacity,
            travel=tuple(
                itc.Travel(o.code, math.ceil(minutes / STEP))
                for o in rooms
                if o.code > r.code
                and (minutes := travel.get((r.campus.code, o.campus.code), 0)) > 0
            ),
        )
        for r in rooms
    )
    by_activity: dict[int, list[Group]] = defaultdict(list)
    for group in groups:
        by_activity[group.activity_id].append(group)
    by_offer: dict[uuid.UUID, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_offer[activity.offer.uuid].append(activity)
    courses = []
    last_of_group: dict[int, str] = {}
    for offer_uuid, offer_activities in by_offer.items():
        subparts = []
        # attached groups (a TP to its TD) need their parent's classes first
        ordered = sorted(
            offer_activities,
            key=lambda a: any(g.parent_id for g in by_activity[a.pk]),
        )
        for activity in ordered:
            columns = _activity_classes(
                builder, activity, by_activity[activity.pk], slots, last_of_group
            )
            for index, column in enumerate(columns):
                subparts.append(itc.Subpart(f"{activity.uuid}:{index + 1}", tuple(column)))
        if subparts:
            courses.append(
                itc.Course(str(offer_uuid), (itc.Config(str(offer_uuid), tuple(subparts)),))
            )
    known = {c.id for c in courses}
    if builder.kept:
        # nobody requests this course: its classes only hold their rooms and teachers
        courses.append(
            itc.Course(
                "kept",
                (
                    itc.Config(
                        "kept",
                        tuple(itc.Subpart(f"kept:{c.id}", (c,)) for c in builder.kept),
                    ),
                ),
            )
        )
    teachers: dict[int, list[str]] = defaultdict(list)
    for key, session in builder.sessions.items():
        if session.teacher is not None:
            teachers[session.teacher].append(key)
    distributions = [
        itc.Distribution(itc.DistributionType.SAME_ATTENDEES, tuple(keys), required=True)
        for keys in [*teachers.values(), *builder.together]
        if len(keys) > 1
    ]
    distributions += [
        itc.Distribution(
            itc.DistributionType.DIFFERENT_DAYS,
            keys,
            required=False,
            penalty=DIFFERENT_DAYS_PENALTY,
        )
        for keys in builder.together
        if any(k in builder.movable for k in keys)
    ]
    students = tuple(
        itc.Student(student, tuple(o for o in dict.fromkeys(offers) if o in known))
        for student, offers in sorted(demand.items())
        if any(o in known for o in offers)
    )
    problem = itc.Problem(
        name=f"cartable-{year}{semester}",
        nr_days=7,
        slots_per_day=24 * 60 // STEP,
        nr_weeks=nr_weeks,
        optimization=itc.Optimization(time=1, room=0, distribution=1, student=1),
        rooms=itc_rooms,
        courses=tuple(courses),
        distributions=tuple(distributions),
        students=students,
    )
    initial = itc.Solution(
        name=problem.name, nr_days=7, nr_weeks=nr_weeks, classes=tuple(builder.assignments)
    )
    return Design(
        problem,
        frozenset(builder.movable),
        initial,
        builder.sessions,
        builder.offers_of_class,
        builder.notes,
    )


@dataclass(frozen=True)
class Pairs:
    """Pairs of UEs that students want together, and how many of them have no compatible
    combination of groups (with the students who want them)."""

    requested: int
    incompatible: int
    students: int  # students who want at least one incompatible pair


def incompatible_pairs(
    design: Design, placed: Sequence[itc.ClassAssignment], demand: Mapping[str, Sequence[str]]
) -> Pairs:
    """How many pairs of UEs wanted together (``demand``) cannot be taken together when the
    sessions are where ``placed`` puts them (sessions it does not place are left out)."""
    slots: dict[str, list[SlotTime]] = defaultdict(list)
    groups: dict[str, dict[str, GroupShape]] = defaultdict(dict)
    for item in placed:
        session = design.sessions.get(item.class_id)
        if session is None or not session.activity:
            continue
        start = item.start * STEP
        slots[session.group].append(
            SlotTime(item.days.bit_length() - 1, start, start + session.length, item.weeks)
        )
        offer = design.offers_of_class[item.class_id]
        groups[offer][session.group] = GroupShape(session.activity, session.attached_to)
    weeks: dict[str, UEWeek] = {}
    for offer, shapes in groups.items():
        by_activity: dict[str, list[GroupOption]] = defaultdict(list)
        for key, shape in shapes.items():
            by_activity[shape.activity].append(
                GroupOption(key, key, tuple(slots[key]), shape.attached_to)
            )
        weeks[offer] = UEWeek(
            offer,
            tuple(ActivityOption(a, a, tuple(g)) for a, g in sorted(by_activity.items())),
        )
    placed_offers = set(design.offers_of_class.values())  # once: a set, not a scan per offer
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for student, offers in demand.items():
        known = sorted({o for o in offers if o in placed_offers})
        for pair in itertools.combinations(known, 2):
            wanted[pair].add(student)
    bad = [
        pair
        for pair in wanted
        if pair[0] not in weeks
        or pair[1] not in weeks
        or not check_compatibility([weeks[pair[0]], weeks[pair[1]]]).compatible
    ]
    return Pairs(len(wanted), len(bad), len({s for pair in bad for s in wanted[pair]}))


@dataclass(frozen=True)
class GroupShape:
    activity: str
    attached_to: str | None


# --- runs --------------------------------------------------------------------------------------


def _run(run_uuid: uuid.UUID) -> TemplateRun:
    run = TemplateRun.objects.filter(uuid=run_uuid).first()
    if run is None:
        raise DomainError("run", "Calcul inconnu.", "Unknown computation.")
    return run


def do_start_design(
    year: int, semester: str, *, time_limit: int, seed: int, pinned: str, acting_user: Any
) -> TemplateRun:
    if not (5 <= time_limit <= 3600):
        raise DomainError(
            "time_limit",
            "Le temps de calcul va de 5 à 3600 secondes.",
            "The computing time ranges from 5 to 3600 seconds.",
        )
    if TemplateRun.objects.filter(
        year=year, semester=semester, status=TemplateRun.Status.RUNNING
    ).exists():
        raise DomainError(
            "semester",
            "Un calcul de ce semestre est déjà en cours.",
            "A computation of this semester is already running.",
        )
    if not (
        Group.objects.filter(activity__offer__year=year, activity__semester=semester).exists()
        or ActivityNeed.objects.filter(
            activity__offer__year=year, activity__semester=semester
        ).exists()
    ):
        raise DomainError(
            "semester",
            "Ce semestre n'a aucun groupe : rien à placer.",
            "This semester has no group: nothing to place.",
        )
    design_of(year, semester, {}, pinned)  # a session without any time or room is named now
    run = TemplateRun.objects.create(
        year=year, semester=semester, time_limit=time_limit, seed=seed, pinned=pinned.strip()
    )
    job = jobs.enqueue(
        "timetable.design",
        f"Semaine type {year}{semester}",
        {"run": str(run.uuid)},
        acting_user=acting_user,
    )
    run.job_uuid = job.uuid
    run.save(update_fields=["job_uuid"])
    audit.record(
        "timetable.design.start",
        actor=acting_user,
        object_type="template_run",
        object_ref=str(run.uuid),
        detail={"year": year, "semester": semester, "pinned": run.pinned},
    )
    return run


def do_stop_design(run_uuid: uuid.UUID, *, acting_user: Any) -> None:
    run = _run(run_uuid)
    TemplateRun.objects.filter(pk=run.pk, status=TemplateRun.Status.RUNNING).update(
        stop_requested=True
    )
    audit.record(
        "timetable.design.stop",
        actor=acting_user,
        object_type="template_run",
        object_ref=str(run.uuid),
    )


def demand_of(year: int, semester: str) -> dict[str, list[str]]:
    """Who is expected to take what (student → offer uuids), from the configured provider."""
    provider: Callable[[int, str], dict[str, list[str]]] = import_string(
        settings.CARTABLE_DEMAND_PROVIDER
    )
    return provider(year, semester)


def design_job(progress: Callable[[float, str], None], run: str) -> dict[str, Any]:
    row = _run(uuid.UUID(run))
    try:
        return _design(row, progress)
    except Exception:
        TemplateRun.objects.filter(pk=row.pk).update(status=TemplateRun.Status.FAILED)
        raise


def _weeks_text(mask: int, nr_weeks: int) -> str:
    return "".join("1" if mask >> i & 1 else "0" for i in range(nr_weeks))


def _design(row: TemplateRun, progress: Callable[[float, str], None]) -> dict[str, Any]:
    from .engine.course.solve import solve

    started = time.perf_counter()
    demand = demand_of(row.year, row.semester)
    design = design_of(row.year, row.semester, demand, row.pinned)
    should_stop = jobs.stop_flag(TemplateRun, row.pk)
    report = jobs.solver_progress(progress, row.time_limit)
    pinned = set(design.sessions) - design.movable
    result = solve(
        design.problem,
        time_limit=row.time_limit,
        seed=row.seed,
        progress=report,
        should_stop=should_stop,
        initial=design.initial,
        pinned=pinned,
        change_penalty=CHANGE_PENALTY,
    )
    evaluation = evaluate(design.problem, result.solution)
    pairs_before = incompatible_pairs(design, design.initial.classes, demand)
    pairs_after = incompatible_pairs(design, result.solution.classes, demand)
    lengths = {key: s.length for key, s in design.sessions.items()}
    nr_weeks = design.problem.nr_weeks
    proposal: dict[str, dict[str, Any]] = {}
    for after in result.solution.classes:
        if after.class_id not in design.movable:
            continue
        session = design.sessions[after.class_id]
        start = after.start * STEP
        placed = (
            after.days.bit_length() - 1,
            start,
            start + session.length,
            after.weeks,
            after.room_id or "",
            session.capacity,
        )
        if session.current == placed:
            continue
        proposal[after.class_id] = {
            "group": session.group,
            "label": session.label,
            "slot": session.slot or "",
            "day": after.days.bit_length() - 1,
            "start": _clock(start),
            "end": _clock(start + lengths[after.class_id]),
            "weeks": _weeks_text(after.weeks, nr_weeks),
            "room": after.room_id or "",
            "capacity": session.capacity,
        }
    row.proposal = proposal
    row.figures = {
        "groups": len({s.group for s in design.sessions.values()}),
        "sessions": len(design.sessions),
        "movable": len(design.movable),
        "moved": len(proposal),
        "new_sessions": sum(1 for p in proposal.values() if not p["slot"]),
        "new_groups": len({p["group"] for p in proposal.values() if p["group"].startswith(NEW)}),
        "students": len(design.problem.students),
        "feasible": evaluation.feasible,
        "hard": sum(evaluation.hard_counts().values()),
        "student_conflicts": evaluation.student,
        "distribution": evaluation.distribution,
        "time_penalty": evaluation.time,
        "pairs": pairs_after.requested,
        "pairs_incompatible_before": pairs_before.incompatible,
        "pairs_incompatible": pairs_after.incompatible,
        "pairs_students_before": pairs_before.students,
        "pairs_students": pairs_after.students,
        "notes": design.notes,
        "seconds": round(time.perf_counter() - started, 1),
        "stopped_early": should_stop(),
    }
    row.status = TemplateRun.Status.READY
    row.save(update_fields=["proposal", "figures", "status"])
    return {
        "summary": f"{len(proposal)} séances à placer ou déplacer sur {len(design.movable)}.",
        "next_url": reverse("timetable:design_run", args=[row.uuid]),
    }


DAY_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


def _members() -> Callable[[int, str], dict[str, list[str]]]:
    provider: Callable[[int, str], dict[str, list[str]]] = import_string(
        settings.CARTABLE_GROUP_MEMBERS_PROVIDER
    )
    return provider


@dataclass(frozen=True)
class Move:
    label: str
    before: str
    after: str
    students: int  # in the group, in the published sectioning
    teacher: str


def _placement(entry: Mapping[str, Any]) -> str:
    return f"{DAY_SHORT[entry['day']]} {entry['start']}–{entry['end']} {entry['room']}".strip()


def moves(run: TemplateRun) -> list[Move]:
    """What the proposal changes, session by session, in words, with how many students and
    which teacher each change concerns."""
    slots = {
        str(s.uuid): s
        for s in Slot.objects.filter(
            uuid__in=[p["slot"] for p in run.proposal.values() if p["slot"]]
        ).select_related("room", "group__room", "group__teacher")
    }
    members = _members()(run.year, run.semester)
    found = []
    for entry in run.proposal.values():
        slot = slots.get(entry["slot"])
        where = (slot.room or slot.group.room) if slot else None
        before = (
            f"{DAY_SHORT[slot.day]} {slot.start:%H:%M}–{slot.end:%H:%M} "
            f"{where.code if where else ''}".strip()
            if slot
            else "—"
        )
        teacher = slot.group.teacher if slot else None
        found.append(
            Move(
                entry["label"],
                before,
                _placement(entry),
                len(members.get(entry["group"], ())),
                teacher.display_name if teacher else "",
            )
        )
    return sorted(found, key=lambda m: (m.label, m.before))


@dataclass(frozen=True)
class Difference:
    label: str
    first: str
    second: str


def compare(first: TemplateRun, second: TemplateRun) -> list[Difference]:
    """The sessions two proposals of a semester place differently (``—``: as published)."""
    found = []
    for key in sorted(set(first.proposal) | set(second.proposal)):
        a, b = first.proposal.get(key), second.proposal.get(key)
        one = _placement(a) if a else "—"
        two = _placement(b) if b else "—"
        if one != two:
            found.append(Difference((a or b or {}).get("label", key), one, two))
    return sorted(found, key=lambda d: d.label)


def _group_for(
    key: str, created: dict[str, Group], rooms: dict[str, Room], room: str
) -> Group | None:
    """The group a proposal entry belongs to (None when it was deleted since the
    computation); a new one is created on first use."""
    if not key.startswith(f"{NEW}:"):
        return Group.objects.select_related("room").filter(uuid=key).first()
    if key not in created:
        _new, activity_uuid, code = key.split(":", 2)
        activity = Activity.objects.select_related("need").filter(uuid=activity_uuid).first()
        if activity is None:
            return None
        need = getattr(activity, "need", None)
        # get: a group of that code may have been added by hand since the computation
        created[key], _made = Group.objects.get_or_create(
            activity=activity,
            code=code,
            defaults={"capacity": need.group_capacity if need else 1, "room": rooms.get(room)},
        )
    return created[key]


def _parse_clock(text: str) -> clock:
    hours, minutes = (int(x) for x in text.split(":"))
    return clock(hours, minutes)


@transaction.atomic
def do_publish_design(run_uuid: uuid.UUID, *, acting_user: Any) -> int:
    """Write the proposal onto the template: moved sessions change slot, new sessions and
    groups are created, groups take the places of their need; the students and teachers of
    the changed groups are told. The semester's other proposals, computed from the template as
    it was, are superseded. Returns the number of sessions written."""
    run = TemplateRun.objects.select_for_update().filter(uuid=run_uuid).first()
    if run is None:
        raise DomainError("run", "Calcul inconnu.", "Unknown computation.")
    if run.status != TemplateRun.Status.READY or not run.figures.get("feasible"):
        raise DomainError(
            "run",
            "Seule une proposition terminée, sans conflit dur et pas encore remplacée se publie.",
            "Only a finished proposal without hard conflict, not yet superseded, can be published.",
        )
    rooms = {r.code: r for r in Room.objects.all()}
    created: dict[str, Group] = {}
    changed: set[str] = set()
    written: list[dict[str, Any]] = []
    skipped: list[str] = []
    for entry in run.proposal.values():
        group = _group_for(entry["group"], created, rooms, entry["room"])
        slot = Slot.objects.filter(uuid=entry["slot"]).first() if entry["slot"] else None
        if group is None or (entry["slot"] and slot is None):
            skipped.append(entry["label"])  # deleted by hand since the computation
            continue
        if entry.get("capacity") and group.capacity != entry["capacity"]:
            group.capacity = entry["capacity"]
            group.save(update_fields=["capacity"])
        before = (
            f"{DAY_SHORT[slot.day]} {slot.start:%H:%M}–{slot.end:%H:%M} {slot.weeks}"
            if slot
            else ""
        )
        slot = slot or Slot(group=group)
        slot.day = entry["day"]
        slot.start = _parse_clock(entry["start"])
        slot.end = _parse_clock(entry["end"])
        slot.weeks = entry["weeks"]
        room = entry["room"]
        slot.room = (
            None if not room or (group.room and group.room.code == room) else rooms.get(room)
        )
        slot.save()
        changed.add(str(group.uuid))
        written.append(
            {
                "label": entry["label"],
                "slot": str(slot.uuid),
                "before": before,
                "after": f"{_placement(entry)} {entry['weeks']}",
            }
        )
    superseded = TemplateRun.objects.filter(
        year=run.year, semester=run.semester, status=TemplateRun.Status.READY
    ).exclude(pk=run.pk)
    superseded_count = superseded.update(status=TemplateRun.Status.SUPERSEDED)
    members = _members()(run.year, run.semester)
    students = {s for group in changed for s in members.get(group, ())}
    teachers = set(
        Group.objects.filter(uuid__in=changed, teacher__isnull=False).values_list(
            "teacher__uuid", flat=True
        )
    )
    message = {
        "title": "Votre emploi du temps change",
        "title_en": "Your timetable changes",
        "body": "La semaine type du semestre a été publiée : un de vos groupes change de "
        "créneau ou de salle.",
        "body_en": "The semester's weekly template is published: one of your groups changes "
        "time or room.",
    }
    for student in sorted(students):
        notifications.notify(uuid.UUID(student), url=reverse("records:mine"), **message)
    for teacher in sorted(teachers, key=str):
        notifications.notify(teacher, url=reverse("timetable:my_timetable"), **message)
    run.status = TemplateRun.Status.PUBLISHED
    run.published_at = timezone.now()
    run.save(update_fields=["status", "published_at"])
    audit.record(
        "timetable.design.publish",
        actor=acting_user,
        object_type="template_run",
        object_ref=str(run.uuid),
        detail={
            "sessions": written,
            "skipped": skipped,
            "new_groups": len(created),
            "superseded_runs": superseded_count,
            "told_students": len(students),
            "told_teachers": len(teachers),
        },
    )
    return len(written)
