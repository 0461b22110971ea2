"""The examination solver: exact incremental costs, construction, determinism with a move
budget, progress and cancellation, split exams, and the command line."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import pytest

from cartable.timetable.engine.exam import (
    Exam,
    Instance,
    Period,
    PeriodConstraint,
    PeriodConstraintKind,
    Room,
    SolveOptions,
    Weightings,
    evaluate,
    format_instance,
    read_instance,
    solve,
)
from cartable.timetable.engine.exam.__main__ import main
from cartable.timetable.engine.exam.construct import CpSatLimits, construct, greedy
from cartable.timetable.engine.exam.problem import HARD, Problem
from cartable.timetable.engine.exam.search import State, anneal
from cartable.timetable.engine.exam.solve import to_solution

DATA = Path(__file__).resolve().parents[3] / "bench" / "data" / "itc2007-exam"


def tiny() -> Instance:
    """Twelve exams over six periods (three days) and three rooms, with every constraint.

    Feasible by construction: each student takes exams from distinct periods of a hidden
    timetable (exam ``e`` in period ``e % 6``).
    """
    rng = random.Random(5)
    takers: list[set[int]] = [set() for _ in range(12)]
    for student in range(30):
        for period in rng.sample(range(6), rng.randint(1, 3)):
            takers[period + 6 * rng.randint(0, 1)].add(student)
    exams = [
        Exam(rng.choice([60, 90, 120]), frozenset(t), name=f"X{i}") for i, t in enumerate(takers)
    ]
    periods = tuple(
        Period(
            datetime.date(2026, 6, 1 + i // 2),
            datetime.time(9 if i % 2 == 0 else 14),
            120,
            penalty=5 * (i % 3),
            day=i // 2,
            name=f"P{i}",
        )
        for i in range(6)
    )
    rooms = (Room(20, 0, "A"), Room(15, 3, "B"), Room(10, 0, "C"))
    constraints = (
        PeriodConstraint(1, PeriodConstraintKind.AFTER, 0),
        PeriodConstraint(2, PeriodConstraintKind.EXCLUSION, 3),
        PeriodConstraint(4, PeriodConstraintKind.EXAM_COINCIDENCE, 10),
    )
    return Instance(
        exams=tuple(exams),
        periods=periods,
        rooms=rooms,
        period_constraints=constraints,
        room_exclusive=frozenset({6}),
        weightings=Weightings(7, 5, 2, 10, 3, 2, 5),
        name="tiny",
    )


def test_incremental_costs_equal_the_evaluator_after_many_moves() -> None:
    instance = read_instance(DATA / "exam_comp_set12.exam")
    problem = Problem(instance)
    periods, shares = greedy(problem, random.Random(1))
    state = State(problem, periods, shares)
    before = evaluate(instance, to_solution(state.period, state.shares))
    assert state.cost == HARD * before.hard.total + before.soft.total
    # Hot annealing accepts many period, Kempe-chain and room moves.
    report = anneal(
        state, random.Random(2), iterations=4000, deadline=None, t_start=200.0, t_end=50.0
    )
    assert report.accepted > 500
    state.check()
    after = evaluate(instance, to_solution(state.period, state.shares))
    assert state.cost == HARD * after.hard.total + after.soft.total
    best = evaluate(instance, to_solution(report.best.periods, report.best.shares))
    assert report.best.cost == HARD * best.hard.total + best.soft.total


@pytest.mark.parametrize("number", [6, 12])
def test_incremental_costs_stay_exact_from_an_infeasible_start(number: int) -> None:
    # Set 6 has a constraint of an exam with itself ("152, EXAM_COINCIDENCE, 152").
    instance = read_instance(DATA / f"exam_comp_set{number}.exam")
    problem = Problem(instance)
    rng = random.Random(number)
    periods = [rng.randrange(problem.n_periods) for _ in range(problem.n_exams)]
    shares = [[(rng.randrange(problem.n_rooms), problem.size[e])] for e in range(problem.n_exams)]
    state = State(problem, periods, shares)
    anneal(state, rng, iterations=3000, deadline=None, t_start=1e12, t_end=1e11)
    state.check()
    evaluation = evaluate(instance, to_solution(state.period, state.shares))
    assert evaluation.hard.total > 0
    assert state.cost == HARD * evaluation.hard.total + evaluation.soft.total


def test_cp_sat_repairs_what_the_forward_search_leaves() -> None:
    instance = read_instance(DATA / "exam_comp_set12.exam")
    problem = Problem(instance)
    periods, shares = greedy(problem, random.Random(0), max_steps=0)
    assert not evaluate(instance, to_solution(periods, shares)).feasible
    built = construct(problem, CpSatLimits(seconds=30, workers=2, seed=0), forward_steps=0)
    assert built.repairs >= 1
    assert built.violating == 0
    assert evaluate(instance, to_solution(built.periods, built.shares)).feasible


def test_a_tiny_instance_is_solved_feasibly_and_deterministically() -> None:
    options = SolveOptions(time_limit=120, seed=3, iterations=3000, workers=1)
    first = solve(tiny(), options)
    second = solve(tiny(), options)
    assert first.evaluation.feasible
    assert first.solution == second.solution
    assert first.iterations == second.iterations == 3000


def test_two_workers_are_deterministic_with_a_move_budget() -> None:
    options = SolveOptions(time_limit=120, seed=11, iterations=2000, workers=2)
    first = solve(tiny(), options)
    second = solve(tiny(), options)
    assert first.workers == 2
    assert first.evaluation.feasible
    assert first.solution == second.solution


def test_a_real_set_is_feasible_with_a_small_budget() -> None:
    instance = read_instance(DATA / "exam_comp_set9.exam")
    result = solve(instance, SolveOptions(time_limit=120, seed=1, iterations=20_000, workers=1))
    assert result.evaluation.feasible
    assert result.evaluation == evaluate(instance, result.solution)


def test_progress_is_reported_and_the_run_can_be_stopped() -> None:
    instance = read_instance(DATA / "exam_comp_set9.exam")
    seen: list[tuple[float, int, int, int]] = []

    def progress(elapsed: float, current: int, best: int, hard: int) -> None:
        seen.append((elapsed, current, best, hard))

    result = solve(
        instance,
        SolveOptions(time_limit=120, seed=1, iterations=10**9, workers=1),
        progress=progress,
        should_stop=lambda: len(seen) >= 2,
    )
    assert result.stopped
    assert result.iterations < 10**9
    assert len(seen) >= 2
    assert all(len(item) == 4 for item in seen)
    assert result.evaluation.feasible
    assert seen[-1][2] == result.evaluation.soft.total


def test_an_exam_larger_than_every_room_is_split() -> None:
    base = tiny()
    big = Exam(90, frozenset(range(100, 130)), name="big")  # 30 students, rooms of 20/15/10
    instance = Instance(
        exams=(*base.exams, big),
        periods=base.periods,
        rooms=base.rooms,
        period_constraints=base.period_constraints,
        room_exclusive=base.room_exclusive,
        weightings=base.weightings,
    )
    result = solve(instance, SolveOptions(time_limit=120, seed=2, iterations=2000, workers=1))
    assert result.evaluation.feasible
    shares = result.solution.assignments[-1].rooms
    assert len(shares) >= 2
    assert sum(s.seats for s in shares) >= 30


def test_an_impossible_instance_gives_its_least_bad_timetable() -> None:
    periods = tiny().periods[:1]
    rooms = (Room(10, 0),)
    exams = (Exam(60, frozenset({1, 2})), Exam(60, frozenset({2, 3})), Exam(500, frozenset({4})))
    instance = Instance(exams=exams, periods=periods, rooms=rooms)
    result = solve(instance, SolveOptions(time_limit=60, seed=1, iterations=500, workers=1))
    hard = result.evaluation.hard
    assert (hard.student_conflicts, hard.period_duration, hard.total) == (1, 1, 2)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tiny.exam"
    path.write_text(format_instance(tiny()))
    out = tmp_path / "tiny.sol"
    status = main(
        [str(path), "--iterations", "1000", "--workers", "1", "--seed", "4", "--out", str(out)]
    )
    printed = capsys.readouterr().out
    assert status == 0
    assert "feasible: yes" in printed
    assert main([str(path), "--check", str(out)]) == 0
    assert "soft cost:" in capsys.readouterr().out


def test_exam_period_costs_stay_exact_and_keep_exams_where_they_were() -> None:
    """A re-plan pays for every exam it moves from its published period: the incremental
    costs include those prices, and a solve keeps the exams where nothing forces a move."""
    import dataclasses

    instance = read_instance(DATA / "exam_comp_set12.exam")
    published = solve(instance, SolveOptions(time_limit=20, seed=1, workers=1, iterations=3000))
    assert published.evaluation.feasible
    where = [a.period for a in published.solution.assignments]
    change = 1000
    costs = tuple(
        tuple(0 if p == where[e] else change for p in range(len(instance.periods)))
        for e in range(len(instance.exams))
    )
    replan = dataclasses.replace(instance, exam_period_costs=costs)
    problem = Problem(replan)
    rng = random.Random(3)
    periods = [rng.randrange(problem.n_periods) for _ in range(problem.n_exams)]
    shares = [[(rng.randrange(problem.n_rooms), problem.size[e])] for e in range(problem.n_exams)]
    state = State(problem, periods, shares)
    anneal(state, rng, iterations=3000, deadline=None, t_start=1e6, t_end=1e3)
    state.check()  # the incremental cost equals the cost from scratch, prices included
    moved = sum(1 for e, p in enumerate(state.period) if p != where[e])
    evaluation = evaluate(replan, to_solution(state.period, state.shares))
    assert state.cost == HARD * evaluation.hard.total + evaluation.soft.total + change * moved
    again = solve(replan, SolveOptions(time_limit=20, seed=2, workers=1, iterations=3000))
    assert again.evaluation.feasible
    kept = sum(1 for e, a in enumerate(again.solution.assignments) if a.period == where[e])
    assert kept >= 0.9 * len(where)
