"""Sectioning after the campaign: the students enrolled in the UE offers of a semester, put
in one group of each activity of their UEs by the timetable engine
(:mod:`cartable.timetable.engine.sectioning`). This module gathers the requests (enrolment
is the module that knows who takes what) and names things for people: UE codes, group codes,
reasons in French and English."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from cartable.timetable import api as timetable
from cartable.timetable.engine import sectioning as engine

from .models import Enrolment


@dataclass(frozen=True)
class Explanation:
    student: uuid.UUID
    ue_code: str
    reason: str
    message_fr: str
    message_en: str


def problem_of(year: int, semester: str) -> tuple[engine.Problem, dict[str, str]]:
    """The sectioning problem of a semester (accepted enrolments in its offers), and each
    offer's UE code by offer uuid."""
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
    problem = engine.Problem(
        courses=courses,
        activities=activities,
        groups=groups,
        requests={s: tuple(o) for s, o in requests.items()},
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
