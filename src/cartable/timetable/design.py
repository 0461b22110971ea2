"""Designing the weekly template ("semaine type", §5.2.3): the semester's groups become the
classes of an ITC 2019 problem, solved by the course engine, and the proposal is reviewed
before it is published onto the template.

* Each group is a class: its length and weeks are kept; it may start on any working day at any
  start time the semester's template already uses (the institution's slot grid), in any room of
  its campus that holds it. A pinned group (a whole UE, or ``UE/GROUP``), a group without
  exactly one slot, keeps its time and room.
* A teacher's groups are never at the same time, with the travel time between campuses
  (required ``SameAttendees``). Rooms are never double-booked (the model's hard rule).
* The expected demand (which UEs students take together: the campaign's choices, or this
  year's enrolments) becomes the students' course requests: the solver minimises the students
  who cannot attend all their UEs, and sections them.
* The current template is the starting point and every moved group costs ``CHANGE_PENALTY``:
  re-solving after pinning parts changes as little as possible of what is published.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time as clock
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from cartable.core import audit, jobs
from cartable.core.errors import DomainError

from .engine.course import model as itc
from .engine.course.evaluate import evaluate
from .models import Group, Room, Slot, TeachingCalendar, TemplateRun

STEP = 5  # minutes per slot of the ITC time grid
TRAVEL_BETWEEN_CAMPUSES = 6  # slots (30 minutes)
CHANGE_PENALTY = 2
DAYS = 5


@dataclass(frozen=True)
class Design:
    problem: itc.Problem
    movable: frozenset[str]  # group uuids that may move
    initial: itc.Solution
    labels: dict[str, str]  # group uuid → "LO21 TD1"
    offers_of_group: dict[str, str]


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


def design_of(
    year: int, semester: str, demand: Mapping[str, Sequence[str]], pinned: str = ""
) -> Design:
    """The semester's template as an ITC 2019 problem (see the module's docstring)."""
    groups = list(
        Group.objects.filter(activity__offer__year=year, activity__semester=semester)
        .select_related("activity__offer__ue", "room__campus", "teacher", "parent")
        .prefetch_related("slots")
        .order_by("activity__offer__ue__code", "activity__kind", "code")
    )
    calendar = TeachingCalendar.objects.filter(year=year, semester=semester).first()
    slots = {g.pk: list(g.slots.all()) for g in groups}
    nr_weeks = (
        len(calendar.teaching_weeks)
        if calendar
        else max((len(s.weeks) for ss in slots.values() for s in ss), default=1)
    )
    starts = sorted({_minutes(s.start) for ss in slots.values() for s in ss})
    latest = max((_minutes(s.end) for ss in slots.values() for s in ss), default=20 * 60)
    pinned_ues, pinned_groups = parse_pinned(pinned)
    rooms = list(Room.objects.select_related("campus").order_by("code"))
    campus_of = {r.code: r.campus_id for r in rooms}
    itc_rooms = tuple(
        itc.Room(
            id=r.code,
            capacity=r.capacity,
            travel=tuple(
                itc.Travel(o.code, TRAVEL_BETWEEN_CAMPUSES)
                for o in rooms
                if o.campus_id != r.campus_id and o.code > r.code
            ),
        )
        for r in rooms
    )
    by_activity: dict[int, list[Group]] = defaultdict(list)
    activities: dict[int, Any] = {}
    for group in groups:
        by_activity[group.activity_id].append(group)
        activities[group.activity_id] = group.activity
    by_offer: dict[uuid.UUID, list[int]] = defaultdict(list)
    for activity_id, activity in activities.items():
        by_offer[activity.offer.uuid].append(activity_id)
    movable: set[str] = set()
    assignments: list[itc.ClassAssignment] = []
    labels: dict[str, str] = {}
    offers_of_group: dict[str, str] = {}
    courses = []
    teachers: dict[int, list[str]] = defaultdict(list)
    for offer_uuid, activity_ids in by_offer.items():
        subparts = []
        for activity_id in activity_ids:
            classes = []
            for group in by_activity[activity_id]:
                code = group.activity.offer.ue.code
                key = str(group.uuid)
                labels[key] = f"{code} {group.code}"
                offers_of_group[key] = str(offer_uuid)
                own = slots[group.pk]
                fixed = (
                    len(own) != 1
                    or code.upper() in pinned_ues
                    or (code.upper(), group.code.upper()) in pinned_groups
                )
                if not own:
                    continue  # nothing to place
                slot = own[0]
                start, length = _minutes(slot.start), _minutes(slot.end) - _minutes(slot.start)
                weeks = _mask(slot.weeks)
                room = slot.room or group.room
                current = itc.Time(1 << slot.day, start // STEP, length // STEP, weeks)
                times: tuple[itc.TimeOption, ...]
                room_options: tuple[itc.RoomOption, ...]
                if fixed:
                    times = (itc.TimeOption(current),)
                    room_options = (itc.RoomOption(room.code),) if room else ()
                else:
                    movable.add(key)
                    times = tuple(
                        itc.TimeOption(itc.Time(1 << day, begin // STEP, length // STEP, weeks))
                        for day in range(DAYS)
                        for begin in starts
                        if begin + length <= latest
                    )
                    if current not in {t.time for t in times}:
                        times = (itc.TimeOption(current), *times)
                    room_options = (
                        tuple(
                            itc.RoomOption(r.code)
                            for r in rooms
                            if r.capacity >= group.capacity
                            and campus_of[r.code] == campus_of[room.code]
                        )
                        or (itc.RoomOption(room.code),)
                        if room
                        else ()
                    )
                    if room and room.code not in {o.room_id for o in room_options}:
                        room_options = (itc.RoomOption(room.code), *room_options)
                classes.append(
                    itc.CourseClass(
                        id=key,
                        limit=group.capacity,
                        times=times,
                        rooms=room_options,
                        parent=str(group.parent.uuid)
                        if group.parent
                        and group.parent.activity.offer_id == group.activity.offer_id
                        else None,
                        room_required=bool(room_options),
                    )
                )
                assignments.append(
                    itc.ClassAssignment(
                        key, 1 << slot.day, start // STEP, weeks, room.code if room else None
                    )
                )
                if group.teacher_id:
                    teachers[group.teacher_id].append(key)
            if classes:
                subparts.append(itc.Subpart(str(activities[activity_id].uuid), tuple(classes)))
        if subparts:
            courses.append(
                itc.Course(str(offer_uuid), (itc.Config(str(offer_uuid), tuple(subparts)),))
            )
    known = {c.id for c in courses}
    distributions = tuple(
        itc.Distribution(itc.DistributionType.SAME_ATTENDEES, tuple(keys), required=True)
        for keys in teachers.values()
        if len(keys) > 1
    )
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
        optimization=itc.Optimization(time=0, room=0, distribution=1, student=1),
        rooms=itc_rooms,
        courses=tuple(courses),
        distributions=distributions,
        students=students,
    )
    initial = itc.Solution(
        name=problem.name, nr_days=7, nr_weeks=nr_weeks, classes=tuple(assignments)
    )
    return Design(problem, frozenset(movable), initial, labels, offers_of_group)


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
    if not Group.objects.filter(activity__offer__year=year, activity__semester=semester).exists():
        raise DomainError(
            "semester",
            "Ce semestre n'a aucun groupe : rien à placer.",
            "This semester has no group: nothing to place.",
        )
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


def _design(row: TemplateRun, progress: Callable[[float, str], None]) -> dict[str, Any]:
    from .engine.course.solve import solve

    started = time.perf_counter()
    design = design_of(row.year, row.semester, demand_of(row.year, row.semester), row.pinned)
    should_stop = jobs.stop_flag(TemplateRun, row.pk)
    report = jobs.solver_progress(progress, row.time_limit)

    pinned = {
        c.id
        for course in design.problem.courses
        for cfg in course.configs
        for sub in cfg.subparts
        for c in sub.classes
    } - design.movable
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
    before = {a.class_id: a for a in design.initial.classes}
    proposal: dict[str, list[Any]] = {}
    lengths = {
        c.id: c.times[0].time.length
        for course in design.problem.courses
        for cfg in course.configs
        for sub in cfg.subparts
        for c in sub.classes
    }
    for after in result.solution.classes:
        old = before.get(after.class_id)
        if old is None or (old.days, old.start, old.room_id) == (
            after.days,
            after.start,
            after.room_id,
        ):
            continue
        start = after.start * STEP
        proposal[after.class_id] = [
            after.days.bit_length() - 1,
            _clock(start),
            _clock(start + lengths[after.class_id] * STEP),
            after.weeks,
            after.room_id or "",
        ]
    row.proposal = proposal
    row.figures = {
        "groups": len(before),
        "movable": len(design.movable),
        "moved": len(proposal),
        "students": len(design.problem.students),
        "feasible": evaluation.feasible,
        "hard": sum(evaluation.hard_counts().values()),
        "student_conflicts": evaluation.student,
        "distribution": evaluation.distribution,
        "seconds": round(time.perf_counter() - started, 1),
        "stopped_early": should_stop(),
    }
    row.status = TemplateRun.Status.READY
    row.save(update_fields=["proposal", "figures", "status"])
    return {
        "summary": f"{len(proposal)} groupes déplacés sur {len(design.movable)} déplaçables.",
        "next_url": reverse("timetable:design_run", args=[row.uuid]),
    }


@dataclass(frozen=True)
class Move:
    label: str
    before: str
    after: str


def moves(run: TemplateRun) -> list[Move]:
    """What the proposal changes, group by group, in words."""
    days = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
    groups = {
        str(g.uuid): g
        for g in Group.objects.filter(uuid__in=list(run.proposal))
        .select_related("activity__offer__ue", "room")
        .prefetch_related("slots__room")
    }
    found = []
    for key, (day, start, end, _weeks, room) in sorted(run.proposal.items()):
        group = groups.get(key)
        if group is None:
            continue
        slot = group.slots.all()[0] if group.slots.all() else None
        where = (slot.room if slot else None) or group.room
        before = (
            f"{days[slot.day]} {slot.start:%H:%M}–{slot.end:%H:%M} {where.code if where else ''}"
            if slot
            else "—"
        )
        found.append(
            Move(
                f"{group.activity.offer.ue.code} {group.code}",
                before.strip(),
                f"{days[day]} {start}–{end} {room}".strip(),
            )
        )
    return sorted(found, key=lambda m: m.label)


@transaction.atomic
def do_publish_design(run_uuid: uuid.UUID, *, acting_user: Any) -> int:
    """Write the proposal onto the template (one slot per moved group); the number moved."""
    run = TemplateRun.objects.select_for_update().filter(uuid=run_uuid).first()
    if run is None:
        raise DomainError("run", "Calcul inconnu.", "Unknown computation.")
    if run.status != TemplateRun.Status.READY or not run.figures.get("feasible"):
        raise DomainError(
            "run",
            "Seule une proposition terminée et sans conflit dur se publie.",
            "Only a finished proposal without hard conflict can be published.",
        )
    rooms = {r.code: r for r in Room.objects.all()}
    moved = 0
    for key, (day, start, end, _weeks, room) in run.proposal.items():
        slot = Slot.objects.filter(group__uuid=key).select_related("group__room").first()
        if slot is None:
            continue
        hours, minutes = (int(x) for x in start.split(":"))
        end_hours, end_minutes = (int(x) for x in end.split(":"))
        slot.day = day
        slot.start = clock(hours, minutes)
        slot.end = clock(end_hours, end_minutes)
        own = slot.group.room
        slot.room = None if not room or (own and own.code == room) else rooms.get(room)
        slot.save(update_fields=["day", "start", "end", "room"])
        moved += 1
    run.status = TemplateRun.Status.PUBLISHED
    run.published_at = timezone.now()
    run.save(update_fields=["status", "published_at"])
    audit.record(
        "timetable.design.publish",
        actor=acting_user,
        object_type="template_run",
        object_ref=str(run.uuid),
        detail={"moved": moved},
    )
    return moved
