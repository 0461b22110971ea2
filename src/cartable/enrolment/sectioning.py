"""Sectioning after the campaign: the students enrolled in the UE offers of a semester, put
in one group of each activity of their UEs by the timetable engine
(:mod:`cartable.timetable.engine.sectioning`). This module gathers the requests (enrolment
is the module that knows who takes what) and names things for people: UE codes, group codes,
reasons in French and English."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cartable.core import audit, jobs, notifications
from cartable.core.errors import DomainError
from cartable.core.permissions import Role
from cartable.referential import api as referential
from cartable.timetable import api as timetable
from cartable.timetable.engine import sectioning as engine

from .models import Enrolment, GroupMembership, SectioningRun

#: Who launches, reviews and publishes sectioning runs, and sees every group's students.
REVIEWERS = frozenset({Role.SCOLARITE})


@dataclass(frozen=True)
class Explanation:
    student: uuid.UUID
    ue_code: str
    reason: str
    message_fr: str
    message_en: str


def problem_of(
    year: int, semester: str, previous: dict[str, set[str]] | None = None
) -> tuple[engine.Problem, dict[str, str]]:
    """The sectioning problem of a semester (accepted enrolments in its offers), and each
    offer's UE code by offer uuid. ``previous``: each student's published groups (uuids)."""
    rows = list(
        Enrolment.objects.filter(
            status=Enrolment.Status.ACCEPTED, offer__year=year, semester=semester
        )
        .order_by("student__pk", "offer__ue__code")
        .values_list("student__uuid", "offer__uuid", "offer__ue__code")
    )
    requests: dict[str, list[str]] = {}
    codes: dict[str, str] = {}
    for student, offer, code in rows:
        requests.setdefault(str(student), []).append(str(offer))
        codes[str(offer)] = code
    courses, activities, groups = timetable.sectioning_parts(
        [uuid.UUID(o) for o in codes], semester
    )
    before = {
        student: {groups[g].activity: g for g in held if g in groups}
        for student, held in (previous or {}).items()
    }
    # a UE without any activity (an internship, a project abroad…) has nothing to section
    taught = {offer for offer, course in courses.items() if course.activities}
    problem = engine.Problem(
        courses={offer: courses[offer] for offer in taught},
        activities=activities,
        groups=groups,
        requests={
            s: tuple(o for o in offers if o in taught)
            for s, offers in requests.items()
            if any(o in taught for o in offers)
        },
        previous=before,
    )
    return problem, codes


def explain(unplaced: engine.Unplaced, codes: dict[str, str]) -> Explanation:
    """Why a student is not in a UE's groups, in words."""
    code = codes.get(unplaced.course, unplaced.course)
    if unplaced.reason == "conflict":
        others = ", ".join(codes.get(c, c) for c in unplaced.clashes_with)
        fr = f"{code} : l'emploi du temps ne permet pas de la suivre avec {others}."
        en = f"{code}: the timetable does not allow taking it with {others}."
    elif unplaced.reason == "capacity":
        fr = f"{code} : les groupes compatibles avec vos autres UE sont complets."
        en = f"{code}: the groups that fit your other UEs are full."
    else:
        fr = f"{code} : l'UE n'a pas encore de groupes dans la semaine type."
        en = f"{code}: the UE has no groups in the weekly template yet."
    return Explanation(uuid.UUID(unplaced.student), code, unplaced.reason, fr, en)


def section(
    year: int,
    semester: str,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    deterministic: bool = False,
    progress: Callable[[float, str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[engine.Result, list[Explanation]]:
    """Section the students of a semester; nothing is written."""
    problem, codes = problem_of(year, semester)
    result = engine.solve(
        problem,
        time_limit=time_limit,
        seed=seed,
        deterministic=deterministic,
        progress=progress,
        should_stop=should_stop,
    )
    return result, [explain(u, codes) for u in result.unplaced]


# --- runs: launched, watched, stopped, compared, published --------------------------------------

MIN_SECONDS, MAX_SECONDS = 5, 3600


def published_run(year: int, semester: str) -> SectioningRun | None:
    return SectioningRun.objects.filter(
        year=year, semester=semester, status=SectioningRun.Status.PUBLISHED
    ).first()


def memberships_of(run: SectioningRun | None) -> dict[str, set[str]]:
    """Each student's groups (uuids) in a run."""
    found: dict[str, set[str]] = {}
    if run is None:
        return found
    for student, group in GroupMembership.objects.filter(run=run).values_list(
        "student__uuid", "group__uuid"
    ):
        found.setdefault(str(student), set()).add(str(group))
    return found


def do_start_sectioning(
    year: int, semester: str, *, time_limit: int, seed: int, acting_user: Any
) -> SectioningRun:
    """Launch a run in the background; it starts from the published sectioning."""
    if not (MIN_SECONDS <= time_limit <= MAX_SECONDS):
        raise DomainError(
            "time_limit",
            f"Le temps de calcul va de {MIN_SECONDS} à {MAX_SECONDS} secondes.",
            f"The computing time ranges from {MIN_SECONDS} to {MAX_SECONDS} seconds.",
        )
    if SectioningRun.objects.filter(
        year=year, semester=semester, status=SectioningRun.Status.RUNNING
    ).exists():
        raise DomainError(
            "semester",
            "Une répartition de ce semestre est déjà en cours.",
            "A sectioning of this semester is already running.",
        )
    if not Enrolment.objects.filter(
        status=Enrolment.Status.ACCEPTED, offer__year=year, semester=semester
    ).exists():
        raise DomainError(
            "semester",
            "Personne n'est inscrit·e à ce semestre : rien à répartir.",
            "Nobody is enrolled in this semester: nothing to section.",
        )
    me = referential.person_uuid_for_user(acting_user) if acting_user is not None else None
    run = SectioningRun.objects.create(
        year=year,
        semester=semester,
        time_limit=time_limit,
        seed=seed,
        created_by_id=_pks("student", [str(me)]).get(str(me)) if me else None,
    )
    job = jobs.enqueue(
        "enrolment.sectioning",
        f"Répartition dans les groupes {year}{semester}",
        {"run": str(run.uuid)},
        acting_user=acting_user,
    )
    run.job_uuid = job.uuid
    run.save(update_fields=["job_uuid"])
    audit.record(
        "enrolment.sectioning.start",
        actor=acting_user,
        object_type="sectioning",
        object_ref=str(run.uuid),
        detail={"year": year, "semester": semester, "time_limit": time_limit, "seed": seed},
    )
    return run


def do_stop_sectioning(run_uuid: uuid.UUID, *, acting_user: Any) -> SectioningRun:
    """Ask a running run to stop: it keeps the best sectioning found so far."""
    run = _run(run_uuid)
    if run.status != SectioningRun.Status.RUNNING:
        raise DomainError("run", "Cette répartition ne tourne plus.", "This run is not running.")
    SectioningRun.objects.filter(pk=run.pk).update(stop_requested=True)
    audit.record(
        "enrolment.sectioning.stop",
        actor=acting_user,
        object_type="sectioning",
        object_ref=str(run.uuid),
    )
    return run


def _run(run_uuid: uuid.UUID) -> SectioningRun:
    run = SectioningRun.objects.filter(uuid=run_uuid).first()
    if run is None:
        raise DomainError("run", "Répartition inconnue.", "Unknown sectioning run.")
    return run


def _pks(field: str, uuids: Iterable[str]) -> dict[str, int]:
    """Primary keys of the people or groups a membership points to, by uuid."""
    model: Any = GroupMembership._meta.get_field(field).related_model
    wanted = [uuid.UUID(u) for u in uuids]
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 5000):
        for key, pk in model.objects.filter(uuid__in=wanted[start : start + 5000]).values_list(
            "uuid", "pk"
        ):
            found[str(key)] = pk
    return found


def sectioning_job(progress: Callable[[float, str], None], run: str) -> dict[str, Any]:
    """Background job: compute a run and record its memberships and figures."""
    row = _run(uuid.UUID(run))
    try:
        return _compute(row, progress)
    except Exception:
        SectioningRun.objects.filter(pk=row.pk).update(status=SectioningRun.Status.FAILED)
        raise


def _compute(
    row: SectioningRun,
    progress: Callable[[float, str], None],
    *,
    rounds: int | None = None,
    deterministic: bool = False,
) -> dict[str, Any]:
    started = time.perf_counter()
    previous = memberships_of(published_run(row.year, row.semester))
    problem, codes = problem_of(row.year, row.semester, previous)
    stop = jobs.stop_flag(SectioningRun, row.pk)
    result = engine.solve(
        problem,
        time_limit=row.time_limit,
        seed=row.seed,
        progress=progress,
        should_stop=stop,
        rounds=rounds,
        deterministic=deterministic,
    )
    explanations = [explain(u, codes) for u in result.unplaced]
    people = _pks("student", result.assignment)
    groups = _pks("group", problem.groups)
    rows = [
        GroupMembership(run=row, student_id=people[s], group_id=groups[g])
        for s, chosen in result.assignment.items()
        for g in chosen.values()
    ]
    with transaction.atomic():
        GroupMembership.objects.bulk_create(rows, batch_size=2000)
        row.status = SectioningRun.Status.READY
        row.figures = {
            "students": result.students,
            "fully_sectioned": result.fully_sectioned,
            "left_out": len(result.unplaced),
            "left_out_by_reason": dict(Counter(e.reason for e in explanations)),
            "groups_balanced": result.balance.groups,
            "largest_fill": round(result.balance.largest_fill, 3),
            "smallest_fill": round(result.balance.smallest_fill, 3),
            "share_off_mean": round(result.balance.share_off_mean, 3),
            "largest_gap": result.balance.largest_gap,
            "moved": result.moved,
            "had_previous": bool(previous),
            "subproblems": result.iterations,
            "stopped_early": stop(),
            "seconds": round(time.perf_counter() - started, 1),
            "history": [[round(t, 1), u, d] for t, u, d in result.history],
        }
        row.left_out = [
            {
                "student": str(e.student),
                "ue": e.ue_code,
                "reason": e.reason,
                "fr": e.message_fr,
                "en": e.message_en,
            }
            for e in explanations
        ]
        row.save(update_fields=["status", "figures", "left_out"])
    progress(1.0, f"{result.fully_sectioned}/{result.students} étudiant·es réparti·es")
    return {
        "summary": f"{result.fully_sectioned} / {result.students} étudiant·es réparti·es "
        f"dans tous leurs groupes ; {len(result.unplaced)} UE sans groupe.",
        "next_url": reverse("sectioning:run", args=[row.uuid]),
    }


@dataclass(frozen=True)
class Change:
    student: uuid.UUID
    before: tuple[str, ...]
    after: tuple[str, ...]


def changes(run: SectioningRun) -> list[Change]:
    """Students whose groups differ between the published run and this one (group labels)."""
    published = published_run(run.year, run.semester)
    if published is None or published.pk == run.pk:
        return []
    before, after = memberships_of(published), memberships_of(run)
    differing = sorted(s for s in set(before) | set(after) if before.get(s) != after.get(s))
    labels = timetable.group_labels(
        {uuid.UUID(g) for s in differing for g in before.get(s, set()) | after.get(s, set())}
    )
    return [
        Change(
            uuid.UUID(s),
            tuple(
                sorted(
                    labels.get(uuid.UUID(g), g) for g in before.get(s, set()) - after.get(s, set())
                )
            ),
            tuple(
                sorted(
                    labels.get(uuid.UUID(g), g) for g in after.get(s, set()) - before.get(s, set())
                )
            ),
        )
        for s in differing
    ]


@transaction.atomic
def do_publish_sectioning(run_uuid: uuid.UUID, *, acting_user: Any) -> int:
    """Make a run the students' groups (the one published before is superseded); tell the
    students whose groups changed. Returns how many were told."""
    run = SectioningRun.objects.select_for_update().filter(uuid=run_uuid).first()
    if run is None:
        raise DomainError("run", "Répartition inconnue.", "Unknown sectioning run.")
    if run.status != SectioningRun.Status.READY:
        raise DomainError(
            "run",
            "Seule une répartition terminée et pas encore publiée se publie.",
            "Only a finished run that is not yet published can be published.",
        )
    moved = changes(run)
    first = published_run(run.year, run.semester) is None
    SectioningRun.objects.filter(
        year=run.year, semester=run.semester, status=SectioningRun.Status.PUBLISHED
    ).update(status=SectioningRun.Status.SUPERSEDED)
    run.status = SectioningRun.Status.PUBLISHED
    run.published_at = timezone.now()
    run.save(update_fields=["status", "published_at"])
    told = [uuid.UUID(s) for s in memberships_of(run)] if first else [c.student for c in moved]
    for student in told:
        notifications.notify(
            student,
            title="Vos groupes de TD et de TP sont publiés",
            title_en="Your tutorial and lab groups are published",
            url=reverse("records:mine"),
        )
    audit.record(
        "enrolment.sectioning.publish",
        actor=acting_user,
        object_type="sectioning",
        object_ref=str(run.uuid),
        detail={"changed": len(moved), "told": len(told)},
    )
    return len(told)


def published_groups(student_uuid: uuid.UUID, year: int, semester: str) -> list[str]:
    """The student's groups (uuids) in the published sectioning of a semester (empty when
    none is published)."""
    run = published_run(year, semester)
    if run is None:
        return []
    return [
        str(g)
        for g in GroupMembership.objects.filter(run=run, student__uuid=student_uuid).values_list(
            "group__uuid", flat=True
        )
    ]


def build_demo_sectioning(seed: int) -> int:
    """The demo campus: each semester of the current year with enrolments sectioned (the
    construction only, deterministic) and published; the number of memberships."""
    from cartable.catalogue import api as catalogue

    year = catalogue.current_year()
    made = 0
    for semester in ("A", "P"):
        if not Enrolment.objects.filter(
            status=Enrolment.Status.ACCEPTED, offer__year=year, semester=semester
        ).exists():
            continue
        run = SectioningRun.objects.create(year=year, semester=semester, seed=seed, time_limit=600)
        _compute(run, lambda _fraction, _message: None, rounds=0, deterministic=True)
        do_publish_sectioning(run.uuid, acting_user=None)
        made += GroupMembership.objects.filter(run=run).count()
    return made
