"""The exact evaluator of examination timetables: the golden values of the 12 ITC 2007 sets,
component by component, and every hard constraint on small hand-made instances."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from cartable.timetable.engine.exam import (
    Assignment,
    Exam,
    Instance,
    Period,
    PeriodConstraint,
    PeriodConstraintKind,
    Room,
    Seating,
    Solution,
    Weightings,
    evaluate,
    read_instance,
    read_solution,
)

DATA = Path(__file__).resolve().parents[3] / "bench" / "data" / "itc2007-exam"

# set: total, two in a row, two in a day, period spread, mixed durations, front load,
# period penalty, room penalty (bench/data/itc2007-exam/README.md).
GOLDEN = {
    1: (6207, 182, 0, 3335, 410, 260, 320, 1700),
    2: (535, 0, 10, 0, 0, 525, 0, 0),
    3: (13459, 2430, 3260, 6549, 160, 890, 170, 0),
    4: (15649, 6570, 3870, 4009, 0, 150, 1050, 0),
    5: (4227, 80, 0, 2057, 0, 1490, 600, 0),
    6: (26730, 4280, 0, 19900, 275, 375, 500, 1400),
    7: (5508, 0, 0, 4848, 120, 540, 0, 0),
    8: (8716, 0, 0, 7562, 0, 400, 409, 345),
    9: (1030, 0, 0, 845, 25, 160, 0, 0),
    10: (14338, 0, 0, 14088, 0, 210, 0, 40),
    11: (42616, 13650, 8550, 16151, 1225, 2950, 0, 90),
    12: (5234, 3115, 0, 1989, 0, 130, 0, 0),
}


def reference(number: int) -> tuple[Instance, Solution]:
    instance = read_instance(DATA / f"exam_comp_set{number}.exam")
    solution = read_solution(
        DATA / "reference-solutions" / "cma-run1" / f"exam_comp_set{number}.exam.sol", instance
    )
    return instance, solution


@pytest.mark.parametrize("number", sorted(GOLDEN))
def test_reference_solutions_match_the_golden_values(number: int) -> None:
    instance, solution = reference(number)
    evaluation = evaluate(instance, solution)
    soft = evaluation.soft
    assert evaluation.feasible
    assert evaluation.hard.total == 0
    assert (
        soft.total,
        soft.two_in_a_row,
        soft.two_in_a_day,
        soft.period_spread,
        soft.non_mixed_durations,
        soft.front_load,
        soft.period_penalty,
        soft.room_penalty,
    ) == GOLDEN[number]
    assert evaluation.total == GOLDEN[number][0]


def test_a_tampered_reference_solution_is_infeasible() -> None:
    instance, solution = reference(1)
    # Put exam 0 in the period of an exam that shares a student with it.
    student = next(iter(instance.exams[0].students))
    other = next(e for e in range(1, len(instance.exams)) if student in instance.exams[e].students)
    moved = Assignment(solution.assignments[other].period, solution.assignments[0].rooms)
    evaluation = evaluate(instance, solution.with_assignment(0, moved))
    assert not evaluation.feasible
    assert evaluation.hard.student_conflicts >= 1


def test_a_reference_solution_with_every_exam_in_one_room_is_infeasible() -> None:
    instance, solution = reference(9)
    crowded = Solution(
        tuple(Assignment(a.period, (Seating(0, a.rooms[0].seats),)) for a in solution.assignments)
    )
    evaluation = evaluate(instance, crowded)
    assert not evaluation.feasible
    assert evaluation.hard.room_capacity > 0


# -- hand-made instances -------------------------------------------------------------------

DAY1 = datetime.date(2026, 6, 1)
DAY2 = datetime.date(2026, 6, 2)


def periods_two_days() -> tuple[Period, ...]:
    """Day 1: periods 0, 1, 2; day 2: periods 3, 4."""
    times = [(DAY1, 8), (DAY1, 11), (DAY1, 14), (DAY2, 8), (DAY2, 11)]
    return tuple(
        Period(day, datetime.time(hour), 120, penalty=10 * i, day=0 if day == DAY1 else 1)
        for i, (day, hour) in enumerate(times)
    )


def small(
    exams: list[tuple[int, set[int]]],
    *,
    rooms: list[tuple[int, int]] | None = None,
    constraints: tuple[PeriodConstraint, ...] = (),
    exclusive: frozenset[int] = frozenset(),
    weightings: Weightings | None = None,
) -> Instance:
    return Instance(
        exams=tuple(Exam(d, frozenset(s), name=f"E{i}") for i, (d, s) in enumerate(exams)),
        periods=periods_two_days(),
        rooms=tuple(
            Room(c, p, name=f"R{i}") for i, (c, p) in enumerate(rooms or [(10, 0), (10, 0)])
        ),
        period_constraints=constraints,
        room_exclusive=exclusive,
        weightings=weightings or Weightings(),
    )


def place(instance: Instance, *pairs: tuple[int, int]) -> Solution:
    return Solution.single_rooms(instance, [p for p, _ in pairs], [r for _, r in pairs])


def test_student_conflicts_count_pairs_of_exams_per_student() -> None:
    instance = small([(60, {1, 2}), (60, {1, 2}), (60, {2})])
    evaluation = evaluate(instance, place(instance, (0, 0), (0, 1), (0, 1)))
    # Student 1: one pair; student 2: three pairs.
    assert evaluation.hard.student_conflicts == 4
    assert evaluate(instance, place(instance, (0, 0), (1, 0), (2, 0))).feasible


def test_room_capacity_counts_overfull_room_periods() -> None:
    instance = small([(60, set(range(6))), (60, set(range(6, 12)))])
    assert evaluate(instance, place(instance, (0, 0), (0, 0))).hard.room_capacity == 1
    assert evaluate(instance, place(instance, (0, 0), (0, 1))).feasible
    assert evaluate(instance, place(instance, (0, 0), (1, 0))).feasible


def test_period_duration() -> None:
    instance = small([(180, {1})])
    assert evaluate(instance, place(instance, (0, 0))).hard.period_duration == 1


@pytest.mark.parametrize(
    ("kind", "first_period", "second_period", "violated"),
    [
        (PeriodConstraintKind.AFTER, 2, 1, False),
        (PeriodConstraintKind.AFTER, 1, 1, True),
        (PeriodConstraintKind.AFTER, 0, 1, True),
        (PeriodConstraintKind.EXAM_COINCIDENCE, 1, 1, False),
        (PeriodConstraintKind.EXAM_COINCIDENCE, 1, 2, True),
        (PeriodConstraintKind.EXCLUSION, 1, 2, False),
        (PeriodConstraintKind.EXCLUSION, 1, 1, True),
    ],
)
def test_period_constraints(
    kind: PeriodConstraintKind, first_period: int, second_period: int, violated: bool
) -> None:
    instance = small([(60, {1}), (60, {2})], constraints=(PeriodConstraint(0, kind, 1),))
    hard = evaluate(instance, place(instance, (first_period, 0), (second_period, 1))).hard
    field = {
        PeriodConstraintKind.AFTER: "after",
        PeriodConstraintKind.EXAM_COINCIDENCE: "coincidence",
        PeriodConstraintKind.EXCLUSION: "exclusion",
    }[kind]
    assert getattr(hard, field) == int(violated)
    assert hard.total == int(violated)


def test_room_exclusive() -> None:
    instance = small([(60, {1}), (60, {2})], exclusive=frozenset({0}))
    assert evaluate(instance, place(instance, (0, 0), (0, 0))).hard.room_exclusive == 1
    assert evaluate(instance, place(instance, (0, 0), (0, 1))).feasible
    # The other exam is not exclusive itself: sharing is counted once.
    both = small([(60, {1}), (60, {2})], exclusive=frozenset({0, 1}))
    assert evaluate(both, place(both, (0, 0), (0, 0))).hard.room_exclusive == 2


def test_soft_components_on_a_small_instance() -> None:
    weightings = Weightings(
        two_in_a_row=7,
        two_in_a_day=5,
        period_spread=3,
        non_mixed_durations=10,
        front_load_exams=2,
        front_load_periods=2,
        front_load_weight=4,
    )
    instance = small(
        [(60, {1, 2, 3}), (60, {1}), (90, {2, 3}), (60, {3})],
        rooms=[(10, 6), (10, 0)],
        weightings=weightings,
    )
    # Exam 0 in period 0, exam 1 in 1 (row for student 1), exam 2 in 2 (day for students
    # 2 and 3 with exam 0, row for nobody), exam 3 in 3 (next day).
    solution = place(instance, (0, 0), (1, 1), (2, 1), (3, 0))
    soft = evaluate(instance, solution).soft
    assert soft.two_in_a_row == 7 * 1  # (0, 1) for student 1
    # Student 2: (0, 2). Student 3: (0, 2); (2, 3) and (0, 3) are on different days.
    assert soft.two_in_a_day == 5 * 2
    # Within 3 periods: student 1 (0,1); student 2 (0,2); student 3 (0,2), (0,3), (2,3).
    assert soft.period_spread == 5
    assert soft.non_mixed_durations == 0  # one exam per room-period
    # The two largest exams are 0 (3 students) and 2 (2 students): none in periods 3, 4.
    assert soft.front_load == 0
    assert soft.period_penalty == 0 + 10 + 20 + 30
    assert soft.room_penalty == 6 + 6

    mixed = place(instance, (4, 0), (1, 1), (1, 1), (3, 0))
    soft = evaluate(instance, mixed).soft
    assert soft.non_mixed_durations == 10  # exams 1 (60) and 2 (90) share a room-period
    assert soft.front_load == 4  # exam 0 in the last two periods


def test_front_load_ties_go_to_the_lower_exam_id() -> None:
    weightings = Weightings(front_load_exams=1, front_load_periods=1, front_load_weight=3)
    instance = small([(60, {1, 2}), (60, {3, 4})], weightings=weightings)
    assert instance.front_load_set == frozenset({0})
    assert evaluate(instance, place(instance, (4, 0), (0, 0))).soft.front_load == 3
    assert evaluate(instance, place(instance, (0, 0), (4, 0))).soft.front_load == 0


def test_a_split_exam_sums_its_rooms_and_pays_each_room() -> None:
    instance = small(
        [(60, set(range(15))), (90, set(range(20, 26)))],
        rooms=[(10, 5), (12, 7)],
        weightings=Weightings(non_mixed_durations=10),
    )
    split = Assignment(0, (Seating(0, 10), Seating(1, 5)))
    elsewhere = Assignment(1, (Seating(0, 6),))
    evaluation = evaluate(instance, Solution((split, elsewhere)))
    assert evaluation.feasible
    assert evaluation.soft.room_penalty == 5 + 7 + 5
    # Too few seats.
    short = Assignment(0, (Seating(0, 10), Seating(1, 4)))
    assert evaluate(instance, Solution((short, elsewhere))).hard.room_capacity == 1
    # Sharing room 1 with the split exam: 5 + 6 seats fit in 12, and the two durations
    # differ in that room only.
    beside = Assignment(0, (Seating(1, 6),))
    evaluation = evaluate(instance, Solution((split, beside)))
    assert evaluation.feasible
    assert evaluation.soft.non_mixed_durations == 10
    # Sharing room 0 overfills it.
    over = Assignment(0, (Seating(0, 6),))
    assert evaluate(instance, Solution((split, over))).hard.room_capacity == 1


def test_instances_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown exam"):
        small([(60, {1})], constraints=(PeriodConstraint(0, PeriodConstraintKind.AFTER, 3),))
    with pytest.raises(ValueError, match="period and one room"):
        Instance(exams=(Exam(60, frozenset({1})),), periods=periods_two_days(), rooms=())


def test_malformed_solutions_are_rejected() -> None:
    instance = small([(60, {1})])
    with pytest.raises(ValueError, match="assignments"):
        evaluate(instance, Solution(()))
    with pytest.raises(ValueError, match="unknown period"):
        evaluate(instance, Solution((Assignment(9, (Seating(0, 1),)),)))
    with pytest.raises(ValueError, match="unknown room"):
        evaluate(instance, Solution((Assignment(0, (Seating(5, 1),)),)))
    with pytest.raises(ValueError, match="no room"):
        evaluate(instance, Solution((Assignment(0, ()),)))
