"""The course timetabling solver on a small instance written by hand and on small competition
instances, with deterministic budgets: feasibility as judged by the evaluator, the same
solution for the same seed, pinned classes left in place and cancellation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from time import monotonic

import pytest

from cartable.timetable.engine.course.evaluate import evaluate
from cartable.timetable.engine.course.itc2019 import read_problem
from cartable.timetable.engine.course.model import (
    Config,
    Course,
    CourseClass,
    Distribution,
    DistributionType,
    Optimization,
    Problem,
    Room,
    RoomOption,
    Solution,
    Student,
    Subpart,
    Time,
    TimeOption,
)
from cartable.timetable.engine.course.solve import SolveResult, solve

DATA = Path(__file__).resolve().parents[3] / "bench" / "data" / "itc2019"
WEEKS = "1111"


def _times(*starts: int, days: str = "1010000", penalty_from: int = 1) -> tuple[TimeOption, ...]:
    return tuple(
        TimeOption(Time.parse(days, start, 12, WEEKS), penalty=position * penalty_from)
        for position, start in enumerate(starts)
    )


def small_problem() -> Problem:
    """Two courses sharing students: a lecture with two labs (children), and a seminar; three
    rooms, one of them closed on Monday mornings; required and soft distributions."""
    rooms = (
        Room("R1", 40, unavailable=(Time.parse("1000000", 96, 24, WEEKS),)),
        Room("R2", 20),
        Room("R3", 20),
    )
    lecture = CourseClass(
        "L",
        40,
        _times(96, 108, 120),
        (RoomOption("R1"), RoomOption("R2", 2)),
    )
    labs = tuple(
        CourseClass(
            f"B{n}",
            10,
            _times(96, 108, 120, 132, days="0100000"),
            (RoomOption("R2"), RoomOption("R3", 1)),
            parent="L",
        )
        for n in (1, 2)
    )
    seminar = CourseClass("S", 20, _times(96, 108, 120), (RoomOption("R1"), RoomOption("R3")))
    no_room = CourseClass("E", 20, _times(96, 132, days="0001000"), room_required=False)
    courses = (
        Course(
            "C1",
            (Config("c1", (Subpart("lec", (lecture,)), Subpart("lab", labs))),),
        ),
        Course("C2", (Config("c2", (Subpart("sem", (seminar,)), Subpart("ex", (no_room,)))),)),
    )
    distributions = (
        Distribution(DistributionType.NOT_OVERLAP, ("L", "S"), required=True),
        Distribution(DistributionType.DIFFERENT_TIME, ("B1", "B2"), required=True),
        Distribution(DistributionType.SAME_ROOM, ("L", "S"), required=False, penalty=3),
        Distribution(DistributionType.SAME_ATTENDEES, ("S", "E"), required=True),
    )
    students = tuple(Student(f"s{n}", ("C1", "C2") if n % 2 else ("C1",)) for n in range(16))
    return Problem(
        name="small",
        nr_days=7,
        slots_per_day=288,
        nr_weeks=4,
        optimization=Optimization(1, 1, 10, 10),
        rooms=rooms,
        courses=courses,
        distributions=distributions,
        students=students,
    )


def _placements(solution: Solution) -> dict[str, tuple[int, int, int, str | None]]:
    return {
        item.class_id: (item.days, item.start, item.weeks, item.room_id)
        for item in solution.classes
    }


def _budget(problem: Problem, seed: int = 3, **options: object) -> SolveResult:
    return solve(
        problem,
        time_limit=300.0,
        seed=seed,
        deterministic=True,
        iterations=15,
        construction_time=2.0,
        **options,  # type: ignore[arg-type]
    )


def test_small_instance_is_solved_feasibly_and_exactly() -> None:
    problem = small_problem()
    result = _budget(problem)
    assert result.evaluation.feasible, result.evaluation.violations
    assert evaluate(problem, result.solution) == result.evaluation
    assert result.evaluation.total <= 33


def test_same_seed_and_budget_give_the_same_solution() -> None:
    problem = small_problem()
    first = _budget(problem, seed=5)
    second = _budget(problem, seed=5)
    assert first.solution.classes == second.solution.classes


@pytest.mark.parametrize("name", ["lums-sum17", "bet-sum18"])
def test_small_competition_instances_are_feasible_and_deterministic(name: str) -> None:
    problem = read_problem(DATA / f"{name}.xml")
    first = _budget(problem)
    assert first.evaluation.feasible, first.evaluation.hard_counts()
    second = _budget(problem)
    assert first.solution.classes == second.solution.classes


def test_pinned_classes_keep_their_placement() -> None:
    problem = read_problem(DATA / "lums-sum17.xml")
    start = _budget(problem, seed=1)
    pinned = [item.class_id for item in start.solution.classes[::3]]
    result = _budget(problem, seed=2, initial=start.solution, pinned=pinned, change_penalty=50)
    before = _placements(start.solution)
    after = _placements(result.solution)
    assert all(after[id_] == before[id_] for id_ in pinned)
    assert result.evaluation.feasible
    assert result.changed_classes <= len(problem.classes) - len(pinned)


def test_staying_close_to_the_initial_solution() -> None:
    problem = small_problem()
    start = _budget(problem, seed=1)
    result = _budget(problem, seed=9, initial=start.solution, change_penalty=1000)
    assert result.changed_classes == 0
    assert result.evaluation.feasible


def test_cancellation_returns_a_valid_best_so_far() -> None:
    problem = read_problem(DATA / "bet-sum18.xml")
    calls = {"count": 0}

    def should_stop() -> bool:
        calls["count"] += 1
        return calls["count"] > 40

    seen: list[tuple[float, int, int, int]] = []
    result = solve(
        problem,
        time_limit=300.0,
        seed=4,
        should_stop=should_stop,
        progress=lambda *values: seen.append(values),
    )
    assert evaluate(problem, result.solution) == result.evaluation
    assert len(result.solution.classes) == len(problem.classes)
    assert seen


def test_an_infeasible_initial_solution_is_repaired() -> None:
    """The initial timetable puts two classes that share attendees (and a room) at the same
    time: the solver moves one of them however much a change costs, and only what it must."""
    problem = small_problem()
    start = _budget(problem, seed=1)
    assert start.evaluation.feasible
    placements = {item.class_id: item for item in start.solution.classes}
    lecture, seminar = placements["L"], placements["S"]
    clashing = replace(seminar, days=lecture.days, start=lecture.start, weeks=lecture.weeks)
    broken = replace(
        start.solution,
        classes=tuple(
            clashing if item.class_id == "S" else replace(item, student_ids=())
            for item in start.solution.classes
        ),
    )
    assert not evaluate(problem, broken).feasible
    result = _budget(problem, seed=2, initial=broken, change_penalty=1000)
    assert result.evaluation.feasible, result.evaluation.violations
    assert evaluate(problem, result.solution) == result.evaluation
    assert 1 <= result.changed_classes <= 3


def test_a_small_time_limit_is_respected() -> None:
    problem = read_problem(DATA / "bet-sum18.xml")
    started = monotonic()
    result = solve(problem, time_limit=3.0, seed=1)
    assert monotonic() - started < 60
    assert result.elapsed < 60
    assert evaluate(problem, result.solution) == result.evaluation
