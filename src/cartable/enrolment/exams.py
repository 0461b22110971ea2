"""Exam sessions: gather each UE's candidates (who is enrolled), plan the session with the
timetable engine (ITC 2007 model: periods, rooms an exam may be split across, no student
with two exams at once, room capacities, precedence, coincidence and exclusion; then spread
each student's exams and put large exams early), review, publish. Each student then has an
exam timetable (and its iCalendar file); each room a sheet of who sits where.

A published session can be planned again after a late change: the exams stay where they were
published unless a hard rule needs them moved (exam_replanning), the new plan is reviewed
against the published one (:func:`plan_changes`), and publishing it again tells only the
candidates of the exams that changed. Until then, students see the published plan."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cartable.core import audit, jobs, notifications
from cartable.core.errors import DomainError
from cartable.timetable import api as timetable
from cartable.timetable.engine.exam import model as engine
from cartable.timetable.engine.exam.evaluate import evaluate

from .exam_replanning import Published, change_costs, keep_published_rooms
from .models import Enrolment, ExamSession, SessionExam

PARIS = ZoneInfo("Europe/Paris")


def parse_starts(raw: str) -> list[clock]:
    """``"08:00,10:30"`` as times; a DomainError naming what is wrong."""
    found = []
    for part in (p.strip() for p in raw.split(",")):
        try:
            hours, minutes = part.split(":")
            found.append(clock(int(hours), int(minutes)))
        except ValueError as error:
            raise DomainError(
                "starts",
                f"Heure illisible : « {part} » (attendu : 08:00,10:30…).",
                f"Unreadable time: “{part}” (expected: 08:00,10:30…).",
            ) from error
    if found != sorted(set(found)):
        raise DomainError(
            "starts",
            "Les heures de début doivent être croissantes et distinctes.",
            "Start times must be increasing and distinct.",
        )
    return found


def session_days(session: ExamSession) -> list[date]:
    days = []
    day = session.first_day
    while day <= session.last_day:
        if day.weekday() < 5 or (day.weekday() == 5 and session.saturdays):
            days.append(day)
        day += timedelta(days=1)
    return days


def check_session(session: ExamSession) -> None:
    """Refuse a session whose dates or periods cannot work (French and English)."""
    if session.last_day < session.first_day:
        raise DomainError(
            "last_day",
            "Le dernier jour précède le premier.",
            "The last day comes before the first.",
        )
    if (session.last_day - session.first_day).days > 42:
        raise DomainError(
            "last_day",
            "Une session dure six semaines au plus.",
            "A session lasts six weeks at most.",
        )
    if not session_days(session):
        raise DomainError(
            "first_day", "La session n'a aucun jour ouvré.", "The session has no working day."
        )
    parse_starts(session.starts)


@transaction.atomic
def do_create_session(values: dict[str, Any], *, acting_user: Any) -> ExamSession:
    session = ExamSession(**values)
    check_session(session)
    session.save()
    added = _add_semester_exams(session)
    audit.record(
        "enrolment.exams.session.create",
        actor=acting_user,
        object_type="exam_session",
        object_ref=str(session.uuid),
        detail={"title": session.title, "exams": added},
    )
    return session


def _candidates(session: ExamSession) -> dict[int, set[int]]:
    """Offer pk → the pks of the students enrolled (accepted) in it this semester."""
    found: dict[int, set[int]] = {}
    for offer, student in Enrolment.objects.filter(
        status=Enrolment.Status.ACCEPTED, offer__year=session.year, semester=session.semester
    ).values_list("offer_id", "student_id"):
        found.setdefault(offer, set()).add(student)
    return found


def _add_semester_exams(session: ExamSession) -> int:
    """One exam per UE offer of the semester that has candidates."""
    have = set(session.exams.values_list("offer_id", flat=True))
    rows = [
        SessionExam(session=session, offer_id=offer, candidates=len(students))
        for offer, students in _candidates(session).items()
        if offer not in have
    ]
    SessionExam.objects.bulk_create(rows)
    return len(rows)


@dataclass(frozen=True)
class Built:
    instance: engine.Instance
    exams: list[SessionExam]
    periods: list[datetime]
    rooms: list[str]
    students: dict[int, set[int]]  # exam index → student pks
    published: list[Published | None]  # exam index → where it was published, if it was


def build_instance(session: ExamSession) -> Built:
    """The session as an ITC 2007 instance (exams in code order, periods in time order)."""
    exams = list(session.exams.select_related("offer__ue").order_by("offer__ue__code"))
    candidates = _candidates(session)
    starts = parse_starts(session.starts)
    periods: list[datetime] = []
    engine_periods = []
    for day_index, day in enumerate(session_days(session)):
        for start in starts:
            periods.append(datetime.combine(day, start, tzinfo=PARIS))
            engine_periods.append(
                engine.Period(
                    date=day,
                    start=start,
                    duration=session.period_minutes,
                    penalty=0,
                    day=day_index,
                    name=str(len(periods) - 1),
                )
            )
    rooms = timetable.exam_rooms()
    room_codes = [code for code, _campus, _capacity in rooms]
    index = {exam.pk: i for i, exam in enumerate(exams)}
    students = {i: candidates.get(exam.offer_id, set()) for i, exam in enumerate(exams)}
    rules = [
        engine.PeriodConstraint(
            index[r.first_id], engine.PeriodConstraintKind(r.kind), index[r.second_id]
        )
        for r in session.rules.all()
        if r.first_id in index and r.second_id in index
    ]
    published = _published_placements(session, exams, periods, room_codes)
    instance = engine.Instance(
        exams=tuple(
            engine.Exam(exam.duration, frozenset(students[i]), name=str(exam.uuid))
            for i, exam in enumerate(exams)
        ),
        periods=tuple(engine_periods),
        rooms=tuple(engine.Room(capacity, 0, name=code) for code, _campus, capacity in rooms),
        period_constraints=tuple(rules),
        room_exclusive=frozenset(index[e.pk] for e in exams if e.alone_in_room),
        weightings=engine.Weightings(
            two_in_a_row=session.two_in_a_row,
            two_in_a_day=session.two_in_a_day,
            period_spread=session.spread_gap,
            non_mixed_durations=1,
            front_load_exams=session.front_load_exams,
            front_load_periods=len(starts) * 2,
            front_load_weight=session.front_load_weight,
        ),
        name=session.title,
        exam_period_costs=change_costs(
            published, [len(students[i]) for i in range(len(exams))], len(periods)
        ),
    )
    return Built(instance, exams, periods, room_codes, students, published)


def _published_placements(
    session: ExamSession, exams: list[SessionExam], periods: list[datetime], rooms: list[str]
) -> list[Published | None]:
    """Exam by exam, its published period and seats as indices of this instance (None for an
    exam published in no period of the session, or not published)."""
    period_index = {start: i for i, start in enumerate(periods)}
    room_index = {code: i for i, code in enumerate(rooms)}
    found: list[Published | None] = []
    for exam in exams:
        entry = session.published_plan.get(str(exam.uuid))
        period = period_index.get(datetime.fromisoformat(entry["starts_at"])) if entry else None
        if entry is None or period is None:
            found.append(None)
            continue
        seating = {
            room_index[code]: int(seats)
            for code, seats in entry.get("seating", {}).items()
            if code in room_index
        }
        found.append(Published(period, seating))
    return found


@transaction.atomic
def do_plan_session(session_uuid: uuid.UUID, *, time_limit: int, acting_user: Any) -> ExamSession:
    """Launch the planning of a session in the background. A published session may be planned
    again (after a late change): its candidates keep the published plan until it is published
    again, and its exams stay in their published periods unless a hard rule needs a move."""
    session = ExamSession.objects.select_for_update().filter(uuid=session_uuid).first()
    if session is None:
        raise DomainError("session", "Session inconnue.", "Unknown session.")
    if session.status == ExamSession.Status.PLANNING:
        raise DomainError("session", "Le calcul est déjà en cours.", "Planning is already running.")
    if not (5 <= time_limit <= 3600):
        raise DomainError(
            "time_limit",
            "Le temps de calcul va de 5 à 3600 secondes.",
            "The computing time ranges from 5 to 3600 seconds.",
        )
    if not session.exams.exists():
        raise DomainError("session", "La session n'a aucune épreuve.", "The session has no exam.")
    if not timetable.exam_rooms():
        raise DomainError(
            "session",
            "Aucune salle n'est connue : ajoutez les salles dans l'emploi du temps avant de "
            "planifier.",
            "No room is known: add the rooms in the timetable before planning.",
        )
    if not session_days(session) or not parse_starts(session.starts):
        raise DomainError(
            "session",
            "La session n'a aucun créneau d'épreuve (jours ou heures de début).",
            "The session has no exam period (days or start times).",
        )
    job = jobs.enqueue(
        "enrolment.exams",
        f"Planification : {session.title}",
        {"session": str(session.uuid)},
        acting_user=acting_user,
    )
    ExamSession.objects.filter(pk=session.pk).update(
        status=ExamSession.Status.PLANNING,
        job_uuid=job.uuid,
        time_limit=time_limit,
        stop_requested=False,
    )
    audit.record(
        "enrolment.exams.plan",
        actor=acting_user,
        object_type="exam_session",
        object_ref=str(session.uuid),
        detail={"time_limit": time_limit, "replan": bool(session.published_plan)},
    )
    session.refresh_from_db()
    return session


def _session(session_uuid: uuid.UUID) -> ExamSession:
    session = ExamSession.objects.filter(uuid=session_uuid).first()
    if session is None:
        raise DomainError("session", "Session inconnue.", "Unknown session.")
    return session


def _solve(
    instance: engine.Instance,
    *,
    time_limit: float,
    seed: int,
    progress: Callable[[float, str], None],
    should_stop: Callable[[], bool],
) -> engine.Solution:
    from cartable.timetable.engine.exam.solve import SolveOptions, solve

    result = solve(
        instance,
        SolveOptions(time_limit=time_limit, seed=seed, workers=settings.CARTABLE_SOLVER_WORKERS),
        progress=jobs.solver_progress(progress, time_limit),
        should_stop=should_stop,
    )
    return result.solution


def plan_job(progress: Callable[[float, str], None], session: str) -> dict[str, Any]:
    """Background job: plan a session and record where and when each exam is."""
    row = _session(uuid.UUID(session))
    try:
        return _plan(row, progress)
    except Exception:
        ExamSession.objects.filter(pk=row.pk).update(status=ExamSession.Status.DRAFT)
        raise


def _plan(row: ExamSession, progress: Callable[[float, str], None]) -> dict[str, Any]:
    built = build_instance(row)
    should_stop = jobs.stop_flag(ExamSession, row.pk)

    solution = _solve(
        built.instance,
        time_limit=row.time_limit,
        seed=0,
        progress=progress,
        should_stop=should_stop,
    )
    evaluation = evaluate(built.instance, solution)
    if any(p is not None for p in built.published):
        kept = keep_published_rooms(built.instance, solution, built.published)
        kept_evaluation = evaluate(built.instance, kept)
        if kept_evaluation.hard.total <= evaluation.hard.total:
            solution, evaluation = kept, kept_evaluation
    with transaction.atomic():
        for index, (exam, assignment) in enumerate(
            zip(built.exams, solution.assignments, strict=True)
        ):
            exam.starts_at = built.periods[assignment.period]
            exam.seating = {built.rooms[s.room]: s.seats for s in assignment.rooms}
            exam.candidates = len(built.students[index])
        SessionExam.objects.bulk_update(built.exams, ["starts_at", "seating", "candidates"])
        hard = evaluation.hard
        soft = evaluation.soft
        row.figures = {
            "exams": len(built.exams),
            "periods": len(built.periods),
            "rooms": len(built.rooms),
            "candidates": len({s for group in built.students.values() for s in group}),
            "feasible": evaluation.feasible,
            "hard": asdict(hard),
            "soft": asdict(soft),
            "soft_total": soft.total,
            "stopped_early": should_stop(),
        }
        row.status = ExamSession.Status.PLANNED
        row.save(update_fields=["figures", "status"])
    return {
        "summary": (
            "Session planifiée sans conflit."
            if evaluation.feasible
            else "Session planifiée, mais des contraintes dures restent violées."
        ),
        "next_url": reverse("exams:session", args=[row.uuid]),
    }


@dataclass(frozen=True)
class Placement:
    """When an exam starts and in which rooms (codes)."""

    starts_at: datetime
    rooms: tuple[str, ...]
    duration: int = 0  # minutes (0: as published before durations were kept)


@dataclass(frozen=True)
class ExamChange:
    """An exam whose placement differs from the published plan: ``before`` is None for an exam
    new since the publication, ``after`` None for an exam not planned yet."""

    exam: uuid.UUID
    ue_code: str
    before: Placement | None
    after: Placement | None
    students: frozenset[uuid.UUID]

    @property
    def candidates(self) -> int:
        return len(self.students)


@dataclass(frozen=True)
class PlanChanges:
    """The session's plan against its published plan: the published exams whose period or
    rooms changed, the exams new since, and every candidate of either (each counted once)."""

    moved: tuple[ExamChange, ...]
    new: tuple[ExamChange, ...]
    students: frozenset[uuid.UUID]

    @property
    def candidates(self) -> int:
        return len(self.students)


def _candidate_uuids(session: ExamSession) -> dict[int, set[uuid.UUID]]:
    """Offer pk → the uuids of the students enrolled (accepted) in it this semester."""
    found: dict[int, set[uuid.UUID]] = {}
    for offer, student in Enrolment.objects.filter(
        status=Enrolment.Status.ACCEPTED, offer__year=session.year, semester=session.semester
    ).values_list("offer_id", "student__uuid"):
        found.setdefault(offer, set()).add(student)
    return found


def _published_placement(entry: dict[str, Any]) -> Placement:
    return Placement(
        datetime.fromisoformat(entry["starts_at"]),
        tuple(sorted(entry["seating"])),
        int(entry.get("duration", 0)),
    )


def plan_changes(session: ExamSession) -> PlanChanges:
    """What publishing the session's current plan would change for its candidates (nothing
    before a first publication). Exams are in UE code order."""
    if not session.published_plan:
        return PlanChanges((), (), frozenset())
    students = _candidate_uuids(session)
    moved: list[ExamChange] = []
    new: list[ExamChange] = []
    for exam in session.exams.select_related("offer__ue").order_by("offer__ue__code"):
        entry = session.published_plan.get(str(exam.uuid))
        before = _published_placement(entry) if entry else None
        after = (
            Placement(exam.starts_at, tuple(sorted(exam.seating)), exam.duration)
            if exam.starts_at
            else None
        )
        if entry is not None and before == after:
            continue
        change = ExamChange(
            exam.uuid,
            exam.offer.ue.code,
            before,
            after,
            frozenset(students.get(exam.offer_id, set())),
        )
        (new if entry is None else moved).append(change)
    concerned = frozenset(s for change in moved + new for s in change.students)
    return PlanChanges(tuple(moved), tuple(new), concerned)


def _plan_snapshot(session: ExamSession) -> dict[str, Any]:
    return {
        str(exam.uuid): {
            "starts_at": exam.starts_at.isoformat(),
            "duration": exam.duration,
            "seating": dict(exam.seating),
        }
        for exam in session.exams.all()
        if exam.starts_at is not None
    }


@transaction.atomic
def do_publish_session(session_uuid: uuid.UUID, *, acting_user: Any) -> int:
    """Publish a planned session. The first time, every candidate is told; after a re-plan,
    only the candidates of the exams that moved or are new. Returns how many were told."""
    session = ExamSession.objects.select_for_update().filter(uuid=session_uuid).first()
    if session is None:
        raise DomainError("session", "Session inconnue.", "Unknown session.")
    if session.status != ExamSession.Status.PLANNED or not session.figures.get("feasible"):
        raise DomainError(
            "session",
            "Seule une session planifiée sans conflit se publie.",
            "Only a session planned without conflict can be published.",
        )
    first = not session.published_plan
    changes = plan_changes(session)
    session.status = ExamSession.Status.PUBLISHED
    session.published_at = timezone.now()
    session.published_plan = _plan_snapshot(session)
    session.save(update_fields=["status", "published_at", "published_plan"])
    if first:
        by_offer = _candidate_uuids(session)
        told = {
            s
            for offer in session.exams.values_list("offer_id", flat=True)
            for s in by_offer.get(offer, set())
        }
        for student in told:
            notifications.notify(
                student,
                title=f"Calendrier des examens publié : {session.title}",
                title_en=f"Exam timetable published: {session.title}",
                url=reverse("exams:mine"),
            )
    else:
        _tell_changes(session, changes)
        told = set(changes.students)
    audit.record(
        "enrolment.exams.publish",
        actor=acting_user,
        object_type="exam_session",
        object_ref=str(session.uuid),
        detail={
            "candidates": len(told),
            "first": first,
            "moved": len(changes.moved),
            "new": len(changes.new),
        },
    )
    return len(told)


def _tell_changes(session: ExamSession, changes: PlanChanges) -> None:
    """One message per candidate concerned, naming their exams that changed."""
    codes: dict[uuid.UUID, list[str]] = {}
    for change in changes.moved + changes.new:
        for student in change.students:
            codes.setdefault(student, []).append(change.ue_code)
    for student, ues in codes.items():
        listed = ", ".join(sorted(ues))
        notifications.notify(
            student,
            title=f"Vos examens changent : {session.title}",
            title_en=f"Your exams change: {session.title}",
            body=f"Épreuves concernées : {listed}.",
            body_en=f"Exams concerned: {listed}.",
            url=reverse("exams:mine"),
        )


@dataclass(frozen=True)
class StudentExam:
    session: str
    ue_code: str
    title: str
    starts_at: datetime
    ends_at: datetime
    rooms: tuple[str, ...]


def exams_of(student_uuid: uuid.UUID) -> list[StudentExam]:
    """A student's exams as last published, in time order (while a published session is
    being planned again, its candidates still see the published plan)."""
    offers = set(
        Enrolment.objects.filter(
            student__uuid=student_uuid, status=Enrolment.Status.ACCEPTED
        ).values_list("offer_id", flat=True)
    )
    rows = SessionExam.objects.filter(
        session__published_at__isnull=False, offer_id__in=offers
    ).select_related("session", "offer__ue")
    found = []
    for row in rows:
        entry = row.session.published_plan.get(str(row.uuid))
        if entry is None:  # new since the last publication
            continue
        starts_at = datetime.fromisoformat(entry["starts_at"])
        found.append(
            StudentExam(
                session=row.session.title,
                ue_code=row.offer.ue.code,
                title=row.offer.title,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=int(entry["duration"])),
                rooms=tuple(sorted(entry["seating"])),
            )
        )
    return sorted(found, key=lambda exam: (exam.starts_at, exam.ue_code))
