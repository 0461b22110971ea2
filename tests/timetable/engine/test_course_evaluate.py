"""The evaluation of course timetables on small instances written by hand: each distribution
type required and soft, student conflicts with travel times, rooms, and the course structure
students must follow."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from cartable.timetable.engine.course.evaluate import (
    Evaluation,
    HardKind,
    evaluate,
    merge_blocks,
)
from cartable.timetable.engine.course.itc2019 import (
    parse_problem,
    parse_solution,
    problem_to_xml,
    solution_to_xml,
)
from cartable.timetable.engine.course.model import (
    ClassAssignment,
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
    Travel,
)

WEEKS = 4
ALL = "1" * WEEKS
MON, TUE, WED, THU = "1000000", "0100000", "0010000", "0001000"
#: Rooms A, B and C: 3 slots to walk between A and B, 10 between A and C (listed once).
ROOMS = (
    Room("A", 30, travel=(Travel("B", 3), Travel("C", 10))),
    Room("B", 30),
    Room("C", 30),
)
PENALTY = 7


def at(days: str, start: int, length: int, weeks: str = ALL) -> Time:
    return Time.parse(days, start, length, weeks)


Placement = tuple[Time, str | None]


def single_classes(placements: Sequence[Placement]) -> tuple[Course, ...]:
    """One course per placed class ``c1``, ``c2``..., whose only time is the one placed."""
    return tuple(
        Course(
            f"k{number}",
            (
                Config(
                    "1",
                    (
                        Subpart(
                            "1",
                            (
                                CourseClass(
                                    f"c{number}",
                                    limit=10,
                                    times=(TimeOption(time),),
                                    rooms=tuple(RoomOption(room.id) for room in ROOMS)
                                    if room_id is not None
                                    else (),
                                    room_required=room_id is not None,
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        )
        for number, (time, room_id) in enumerate(placements, start=1)
    )


def placed(problem: Problem, placements: Sequence[Placement]) -> Solution:
    return Solution(
        name=problem.name,
        nr_days=7,
        nr_weeks=WEEKS,
        classes=tuple(
            ClassAssignment(f"c{number}", time.days, time.start, time.weeks, room_id)
            for number, (time, room_id) in enumerate(placements, start=1)
        ),
    )


def with_distribution(
    kind: DistributionType,
    parameters: tuple[int, ...],
    placements: Sequence[Placement],
    *,
    required: bool,
    order: Sequence[int] | None = None,
    penalty: int = PENALTY,
) -> Evaluation:
    listed = order or range(1, len(placements) + 1)
    problem = Problem(
        name="hand",
        nr_days=7,
        slots_per_day=288,
        nr_weeks=WEEKS,
        optimization=Optimization(1, 1, 10, 100),
        rooms=ROOMS,
        courses=single_classes(placements),
        distributions=(
            Distribution(
                kind,
                tuple(f"c{number}" for number in listed),
                required=required,
                penalty=0 if required else penalty,
                parameters=parameters,
            ),
        ),
    )
    return evaluate(problem, placed(problem, placements))


T = DistributionType

# type, parameters, placements, violation count (pairs, days, slots, breaks or blocks)
CASES: list[tuple[str, DistributionType, tuple[int, ...], list[Placement], int]] = [
    ("same start", T.SAME_START, (), [(at(MON, 10, 6), "A"), (at(TUE, 10, 3), "A")], 0),
    (
        "different starts",
        T.SAME_START,
        (),
        [(at(MON, 10, 6), "A"), (at(MON, 10, 6), "B"), (at(MON, 12, 6), "C")],
        2,
    ),
    ("nested times", T.SAME_TIME, (), [(at(MON, 10, 6), "A"), (at(TUE, 12, 2), "A")], 0),
    ("shifted times", T.SAME_TIME, (), [(at(MON, 10, 6), "A"), (at(TUE, 12, 6), "A")], 1),
    (
        "one after the other",
        T.DIFFERENT_TIME,
        (),
        [(at(MON, 10, 6), "A"), (at(MON, 16, 6), "A")],
        0,
    ),
    (
        "intersecting slots on other days",
        T.DIFFERENT_TIME,
        (),
        [(at(MON, 10, 6), "A"), (at(TUE, 15, 6), "A")],
        1,
    ),
    ("days within days", T.SAME_DAYS, (), [(at("1010000", 10, 6), "A"), (at(MON, 50, 6), "A")], 0),
    ("days apart", T.SAME_DAYS, (), [(at("1100000", 10, 6), "A"), (at("1010000", 50, 6), "A")], 1),
    ("no common day", T.DIFFERENT_DAYS, (), [(at(MON, 10, 6), "A"), (at(TUE, 10, 6), "A")], 0),
    ("a common day", T.DIFFERENT_DAYS, (), [(at("1100000", 10, 6), "A"), (at(TUE, 50, 6), "A")], 1),
    (
        "weeks within weeks",
        T.SAME_WEEKS,
        (),
        [(at(MON, 10, 6, "1100"), "A"), (at(TUE, 10, 6, "0100"), "A")],
        0,
    ),
    (
        "weeks apart",
        T.SAME_WEEKS,
        (),
        [(at(MON, 10, 6, "1100"), "A"), (at(TUE, 10, 6, "0110"), "A")],
        1,
    ),
    (
        "no common week",
        T.DIFFERENT_WEEKS,
        (),
        [(at(MON, 10, 6, "1100"), "A"), (at(MON, 10, 6, "0011"), "A")],
        0,
    ),
    (
        "a common week",
        T.DIFFERENT_WEEKS,
        (),
        [(at(MON, 10, 6, "1100"), "A"), (at(TUE, 10, 6, "0110"), "B")],
        1,
    ),
    ("overlapping", T.OVERLAP, (), [(at(MON, 10, 6), "A"), (at("1100000", 15, 6), "B")], 0),
    ("adjacent", T.OVERLAP, (), [(at(MON, 10, 6), "A"), (at(MON, 16, 6), "B")], 1),
    (
        "same slots in other weeks",
        T.OVERLAP,
        (),
        [(at(MON, 10, 6, "1100"), "A"), (at(MON, 10, 6, "0011"), "B")],
        1,
    ),
    ("adjacent", T.NOT_OVERLAP, (), [(at(MON, 10, 6), "A"), (at(MON, 16, 6), "B")], 0),
    (
        "same slots in other weeks",
        T.NOT_OVERLAP,
        (),
        [(at(MON, 10, 6, "1100"), "A"), (at(MON, 10, 6, "0011"), "B")],
        0,
    ),
    (
        "overlapping, three ways",
        T.NOT_OVERLAP,
        (),
        [(at(MON, 10, 6), "A"), (at(MON, 12, 6), "B"), (at(MON, 14, 6), "C")],
        3,
    ),
    ("same room", T.SAME_ROOM, (), [(at(MON, 10, 6), "A"), (at(TUE, 10, 6), "A")], 0),
    ("other rooms", T.SAME_ROOM, (), [(at(MON, 10, 6), "A"), (at(TUE, 10, 6), "B")], 1),
    ("a class without room", T.SAME_ROOM, (), [(at(MON, 10, 6), "A"), (at(TUE, 10, 6), None)], 0),
    ("other rooms", T.DIFFERENT_ROOM, (), [(at(MON, 10, 6), "A"), (at(MON, 20, 6), "B")], 0),
    ("same room", T.DIFFERENT_ROOM, (), [(at(MON, 10, 6), "A"), (at(TUE, 10, 6), "A")], 1),
    ("time to walk", T.SAME_ATTENDEES, (), [(at(MON, 10, 6), "A"), (at(MON, 19, 6), "B")], 0),
    ("too short a walk", T.SAME_ATTENDEES, (), [(at(MON, 10, 6), "A"), (at(MON, 18, 6), "B")], 1),
    ("back the other way", T.SAME_ATTENDEES, (), [(at(MON, 18, 6), "B"), (at(MON, 10, 6), "A")], 1),
    (
        "same room, adjacent",
        T.SAME_ATTENDEES,
        (),
        [(at(MON, 10, 6), "A"), (at(MON, 16, 6), "A")],
        0,
    ),
    ("without room", T.SAME_ATTENDEES, (), [(at(MON, 10, 6), "A"), (at(MON, 16, 6), None)], 0),
    ("other days", T.SAME_ATTENDEES, (), [(at(MON, 10, 6), "A"), (at(TUE, 12, 6), "C")], 0),
    ("overlapping", T.SAME_ATTENDEES, (), [(at(MON, 10, 6), "A"), (at(MON, 12, 6), "B")], 1),
    (
        "an earlier first week",
        T.PRECEDENCE,
        (),
        [(at(TUE, 50, 6, "1111"), "A"), (at(MON, 10, 6, "0111"), "A")],
        0,
    ),
    (
        "an earlier first day",
        T.PRECEDENCE,
        (),
        [(at("0101000", 50, 6), "A"), (at("0010000", 10, 6), "A")],
        0,
    ),
    (
        "a later first day",
        T.PRECEDENCE,
        (),
        [(at(TUE, 10, 6), "A"), (at("1100000", 50, 6), "A")],
        1,
    ),
    (
        "ending before the start",
        T.PRECEDENCE,
        (),
        [(at(MON, 10, 6), "A"), (at(MON, 16, 6), "A")],
        0,
    ),
    ("ending after the start", T.PRECEDENCE, (), [(at(MON, 10, 6), "A"), (at(MON, 15, 6), "B")], 1),
    ("a short day", T.WORK_DAY, (16,), [(at(MON, 10, 6), "A"), (at(MON, 20, 6), "A")], 0),
    ("a long day", T.WORK_DAY, (15,), [(at(MON, 10, 6), "A"), (at(MON, 20, 6), "A")], 1),
    (
        "a long span on other days",
        T.WORK_DAY,
        (15,),
        [(at(MON, 10, 6), "A"), (at(TUE, 20, 6), "A")],
        0,
    ),
    ("a long enough gap", T.MIN_GAP, (4,), [(at(MON, 20, 6), "A"), (at(MON, 10, 6), "A")], 0),
    ("too short a gap", T.MIN_GAP, (5,), [(at(MON, 20, 6), "A"), (at(MON, 10, 6), "A")], 1),
    (
        "in other weeks",
        T.MIN_GAP,
        (5,),
        [(at(MON, 20, 6, "1100"), "A"), (at(MON, 10, 6, "0011"), "A")],
        0,
    ),
    (
        "four days",
        T.MAX_DAYS,
        (4,),
        [(at("1100000", 10, 6), "A"), (at("0110000", 20, 6), "A"), (at(THU, 10, 6), "A")],
        0,
    ),
    (
        "two days too many",
        T.MAX_DAYS,
        (2,),
        [(at("1100000", 10, 6), "A"), (at("0110000", 20, 6), "A"), (at(THU, 10, 6), "A")],
        2,
    ),
    # Monday loads: 6 slots in weeks 1-2, 12 in weeks 3-4.
    (
        "a light load",
        T.MAX_DAY_LOAD,
        (12,),
        [(at(MON, 10, 6), "A"), (at(MON, 30, 6, "0011"), "A")],
        0,
    ),
    (
        "4 slots over in two weeks",
        T.MAX_DAY_LOAD,
        (8,),
        [(at(MON, 10, 6), "A"), (at(MON, 30, 6, "0011"), "A")],
        8,
    ),
    # gaps of 4 slots between three classes every Monday
    (
        "gaps merged",
        T.MAX_BREAKS,
        (0, 4),
        [(at(MON, 10, 6), "A"), (at(MON, 20, 6), "A"), (at(MON, 30, 6), "A")],
        0,
    ),
    (
        "two breaks allowed",
        T.MAX_BREAKS,
        (2, 3),
        [(at(MON, 10, 6), "A"), (at(MON, 20, 6), "A"), (at(MON, 30, 6), "A")],
        0,
    ),
    (
        "one break too many each week",
        T.MAX_BREAKS,
        (1, 3),
        [(at(MON, 10, 6), "A"), (at(MON, 20, 6), "A"), (at(MON, 30, 6), "A")],
        WEEKS,
    ),
    ("a short block", T.MAX_BLOCK, (14, 2), [(at(MON, 10, 6), "A"), (at(MON, 18, 6), "A")], 0),
    ("a long block", T.MAX_BLOCK, (13, 2), [(at(MON, 10, 6), "A"), (at(MON, 18, 6), "A")], WEEKS),
    ("a break between", T.MAX_BLOCK, (13, 1), [(at(MON, 10, 6), "A"), (at(MON, 18, 6), "A")], 0),
    (
        "a long class alone",
        T.MAX_BLOCK,
        (13, 2),
        [(at(MON, 10, 30), "A"), (at(TUE, 18, 6), "A")],
        0,
    ),
    (
        "a long block two weeks",
        T.MAX_BLOCK,
        (13, 2),
        [(at(MON, 10, 6), "A"), (at(MON, 18, 6, "0110"), "A")],
        2,
    ),
]


def _soft_cost(kind: DistributionType, count: int) -> int:
    if kind in (T.MAX_DAY_LOAD, T.MAX_BREAKS, T.MAX_BLOCK):
        return PENALTY * count // WEEKS
    return PENALTY * count


@pytest.mark.parametrize(
    ("kind", "parameters", "placements", "count"),
    [case[1:] for case in CASES],
    ids=[f"{case[1].value}: {case[0]}" for case in CASES],
)
def test_a_distribution_counts_its_violations_required_and_soft(
    kind: DistributionType,
    parameters: tuple[int, ...],
    placements: list[Placement],
    count: int,
) -> None:
    required = with_distribution(kind, parameters, placements, required=True)
    assert required.distribution_counts == (count,)
    assert required.distribution == 0
    assert required.feasible is (count == 0)
    if count:
        assert required.hard_counts() == {HardKind.DISTRIBUTION: 1}
    soft = with_distribution(kind, parameters, placements, required=False)
    assert soft.feasible
    assert soft.distribution_counts == (count,)
    assert soft.distribution == soft.distribution_penalties[0] == _soft_cost(kind, count)
    assert soft.total == 10 * soft.distribution


def test_every_distribution_type_is_covered() -> None:
    covered = {case[1] for case in CASES}
    assert covered == set(DistributionType)
    assert all(
        any(case[1] is kind and case[4] for case in CASES)
        and any(case[1] is kind and not case[4] for case in CASES)
        for kind in DistributionType
    )


def test_precedence_follows_the_order_of_the_list() -> None:
    placements = [(at(MON, 10, 6), "A"), (at(MON, 16, 6), "A")]
    assert with_distribution(T.PRECEDENCE, (), placements, required=True).feasible
    reversed_order = with_distribution(T.PRECEDENCE, (), placements, required=True, order=(2, 1))
    assert reversed_order.distribution_counts == (1,)


def test_the_per_week_penalty_is_divided_after_multiplying() -> None:
    # 1 slot over on the Mondays of weeks 3 and 4: 7 x 2 // 4 = 3
    placements = [(at(MON, 10, 6), "A"), (at(MON, 30, 6, "0011"), "A")]
    soft = with_distribution(T.MAX_DAY_LOAD, (11,), placements, required=False)
    assert soft.distribution_counts == (2,)
    assert soft.distribution == 3


def test_a_soft_per_week_violation_may_cost_nothing_but_a_required_one_fails() -> None:
    # 1 slot over on one Monday of the 4 weeks
    placements = [(at(MON, 10, 6), "A"), (at(MON, 30, 6, "0001"), "A")]
    soft = with_distribution(T.MAX_DAY_LOAD, (11,), placements, required=False, penalty=3)
    assert soft.distribution_counts == (1,)
    assert soft.distribution == 0
    assert not with_distribution(T.MAX_DAY_LOAD, (11,), placements, required=True).feasible


def test_an_unassigned_class_is_left_out_of_distributions() -> None:
    placements = [(at(MON, 10, 6), "A"), (at(MON, 12, 6), "B")]
    problem = Problem(
        name="hand",
        nr_days=7,
        slots_per_day=288,
        nr_weeks=WEEKS,
        optimization=Optimization(1, 1, 1, 1),
        rooms=ROOMS,
        courses=single_classes(placements),
        distributions=(Distribution(T.NOT_OVERLAP, ("c1", "c2"), required=True),),
    )
    solution = placed(problem, placements[:1])
    result = evaluate(problem, solution)
    assert result.distribution_counts == (0,)
    assert result.hard_counts() == {HardKind.UNASSIGNED_CLASS: 1}


def test_blocks_merge_across_short_gaps_whatever_the_order() -> None:
    assert merge_blocks([(30, 36), (10, 16), (18, 20), (12, 14)], 2) == [(10, 20, 3), (30, 36, 1)]
    assert merge_blocks([(10, 16), (19, 20)], 2) == [(10, 16, 1), (19, 20, 1)]


# --- students, rooms and penalties -------------------------------------------------------

LECTURES = Subpart(
    "lec",
    (
        CourseClass("L1", 2, (TimeOption(at(MON, 10, 6)),), (RoomOption("A"),)),
        CourseClass("L2", 2, (TimeOption(at(TUE, 10, 6)),), (RoomOption("A"),)),
    ),
)
LABS = Subpart(
    "lab",
    (
        CourseClass("B1", 1, (TimeOption(at(MON, 20, 6)),), (RoomOption("B"),), parent="L1"),
        CourseClass("B2", 2, (TimeOption(at(TUE, 20, 6)),), (RoomOption("B"),), parent="L2"),
    ),
)
MATHS = Course(
    "maths",
    (
        Config("full", (LECTURES, LABS)),
        Config(
            "online",
            (
                Subpart(
                    "web",
                    (CourseClass("W1", 5, (TimeOption(at(WED, 10, 6)),), room_required=False),),
                ),
            ),
        ),
    ),
)
#: Physics: one class, four times (penalties 0 to 3), two rooms (penalties 0 and 5).
PHYSICS = Course(
    "physics",
    (
        Config(
            "1",
            (
                Subpart(
                    "1",
                    (
                        CourseClass(
                            "P1",
                            3,
                            (
                                TimeOption(at(MON, 18, 6), 0),
                                TimeOption(at(MON, 19, 6), 1),
                                TimeOption(at(MON, 13, 6), 2),
                                TimeOption(at(THU, 10, 6, "0011"), 3),
                            ),
                            (RoomOption("A", 0), RoomOption("C", 5)),
                        ),
                    ),
                ),
            ),
        ),
    ),
)


def campus(*students: Student, unavailable: tuple[Time, ...] = ()) -> Problem:
    rooms = (
        Room("A", 30, travel=(Travel("B", 3), Travel("C", 10)), unavailable=unavailable),
        *ROOMS[1:],
    )
    return Problem(
        name="campus",
        nr_days=7,
        slots_per_day=288,
        nr_weeks=WEEKS,
        optimization=Optimization(time=2, room=3, distribution=5, student=11),
        rooms=rooms,
        courses=(MATHS, PHYSICS),
        students=students,
    )


def timetable(
    problem: Problem,
    students: dict[str, tuple[str, ...]],
    *,
    physics: tuple[int, str | None] = (0, "A"),
    drop: tuple[str, ...] = (),
    moved: dict[str, ClassAssignment] | None = None,
) -> Solution:
    """Every class at its first time and first room (physics at the given option and room)."""
    assignments: list[ClassAssignment] = []
    for course_class in problem.classes:
        if course_class.id in drop:
            continue
        option = physics[0] if course_class.id == "P1" else 0
        time = course_class.times[option].time
        if course_class.id == "P1":
            room_id = physics[1]
        else:
            room_id = course_class.rooms[0].room_id if course_class.rooms else None
        assignment = ClassAssignment(
            course_class.id,
            time.days,
            time.start,
            time.weeks,
            room_id,
            students.get(course_class.id, ()),
        )
        assignments.append((moved or {}).get(course_class.id, assignment))
    return Solution("campus", 7, WEEKS, tuple(assignments))


def test_a_student_conflict_counts_the_travel_time_between_rooms() -> None:
    problem = campus(Student("s1", ("maths", "physics")), Student("s2", ("maths", "physics")))
    enrolled = {"L1": ("s1",), "B1": ("s1",), "W1": ("s2",), "P1": ("s1", "s2")}
    # P1 (Monday 18-24) overlaps B1 (Monday 20-26) for s1; W1 is on Wednesday
    assert evaluate(problem, timetable(problem, enrolled)).student == 1
    # L1 (room A) ends at 16: P1 at 19 in room A leaves 3 slots, no walk needed
    clear = evaluate(
        problem, timetable(problem, {"L1": ("s2",), "W1": (), "P1": ("s2",)}, physics=(1, "A"))
    )
    assert (clear.student, clear.time, clear.room) == (0, 1, 0)
    # ... but from room A to room C takes 10 slots
    far = evaluate(problem, timetable(problem, {"L1": ("s2",), "P1": ("s2",)}, physics=(1, "C")))
    assert far.student == 1
    assert (far.time, far.room) == (1, 5)
    assert far.total == 2 * 1 + 3 * 5 + 11 * 1


def test_a_student_conflict_needs_a_common_day_and_week() -> None:
    problem = campus(Student("s1", ("maths", "physics")))
    # L1 on Monday of every week, P1 on Thursday of weeks 3-4: no conflict
    result = evaluate(
        problem,
        timetable(problem, {"L1": ("s1",), "B1": ("s1",), "P1": ("s1",)}, physics=(3, "C")),
    )
    assert result.feasible
    assert (result.student, result.time, result.room) == (0, 3, 5)


def test_each_conflicting_pair_counts_once_per_student() -> None:
    problem = campus(
        Student("s1", ("maths", "physics")),
        Student("s2", ("maths", "physics")),
    )
    # P1 at 13 overlaps L1 (10-16) for both students, and B1 (20-26) for neither
    enrolled = {"L1": ("s1", "s2"), "B1": ("s1",), "B2": ("s2",), "P1": ("s1", "s2", "s1")}
    result = evaluate(problem, timetable(problem, enrolled, physics=(2, "C")))
    assert result.student == 2
    assert result.hard_counts() == {HardKind.PARENT_MISSING: 1}


def test_a_room_is_unavailable_only_when_its_slots_overlap() -> None:
    problem = campus(unavailable=(at(MON, 12, 2, "0100"),))
    result = evaluate(problem, timetable(problem, {}))
    # L1 (Monday 10-16 every week, room A) meets the unavailability; P1 (18-24) does not
    assert result.hard_counts() == {HardKind.ROOM_UNAVAILABLE: 1}
    assert result.violations[0].class_ids == ("L1",)
    elsewhere = campus(unavailable=(at(MON, 12, 2, "0000"), at(TUE, 16, 2), at(MON, 16, 2)))
    assert evaluate(elsewhere, timetable(elsewhere, {})).feasible


def test_two_overlapping_classes_cannot_share_a_room() -> None:
    problem = campus()
    # P1 at Monday 13 in room A overlaps L1 (Monday 10-16, room A)
    result = evaluate(problem, timetable(problem, {}, physics=(2, "A")))
    assert result.hard_counts() == {HardKind.ROOM_CONFLICT: 1}
    assert result.violations[0].class_ids == ("L1", "P1")
    # in room C, or right after L1 in room A, it is fine
    assert evaluate(problem, timetable(problem, {}, physics=(2, "C"))).feasible
    assert evaluate(problem, timetable(problem, {}, physics=(0, "A"))).feasible


@pytest.mark.parametrize(
    ("enrolled", "expected"),
    [
        ({"L1": ("s",), "B1": ("s",)}, {}),
        ({"L2": ("s",), "B2": ("s",)}, {}),
        ({"W1": ("s",)}, {}),
        ({}, {HardKind.COURSE_MISSING: 1}),
        ({"L1": ("s",)}, {HardKind.SUBPART_MISSING: 1}),
        ({"L1": ("s",), "B2": ("s",)}, {HardKind.PARENT_MISSING: 1}),
        ({"L1": ("s",), "L2": ("s",), "B1": ("s",)}, {HardKind.SEVERAL_CLASSES: 1}),
        ({"L1": ("s",), "B1": ("s",), "W1": ("s",)}, {HardKind.SEVERAL_CONFIGS: 1}),
        ({"L1": ("s",), "B1": ("s",), "P1": ("s",)}, {HardKind.COURSE_NOT_REQUESTED: 1}),
        ({"L1": ("s", "s"), "B1": ("s", "s")}, {}),
        ({"L1": ("s", "x"), "B1": ("s",)}, {HardKind.UNKNOWN_STUDENT: 1}),
    ],
    ids=[
        "lecture and its lab",
        "the other lecture and its lab",
        "the other configuration",
        "nothing",
        "no lab",
        "lab of another lecture",
        "two lectures",
        "two configurations",
        "a course not requested",
        "listed twice",
        "unknown student",
    ],
)
def test_students_follow_the_structure_of_their_courses(
    enrolled: dict[str, tuple[str, ...]], expected: dict[HardKind, int]
) -> None:
    problem = campus(Student("s", ("maths",)))
    assert evaluate(problem, timetable(problem, enrolled)).hard_counts() == expected


def test_a_class_holds_no_more_students_than_its_limit() -> None:
    problem = campus(Student("s", ("maths",)), Student("t", ("maths",)))
    # B1 takes one student
    result = evaluate(problem, timetable(problem, {"L1": ("s", "t"), "B1": ("s", "t")}))
    assert result.hard_counts() == {HardKind.CLASS_LIMIT: 1}
    assert result.violations[0].class_ids == ("B1",)


def test_times_and_rooms_must_come_from_the_class_lists() -> None:
    problem = campus()
    odd_time = ClassAssignment("L1", at(MON, 11, 6).days, 11, at(MON, 11, 6).weeks, "A")
    odd_room = ClassAssignment("L2", at(TUE, 10, 6).days, 10, at(TUE, 10, 6).weeks, "C")
    no_room = ClassAssignment("B1", at(MON, 20, 6).days, 20, at(MON, 20, 6).weeks, None)
    room_given = ClassAssignment("W1", at(WED, 10, 6).days, 10, at(WED, 10, 6).weeks, "B")
    solution = timetable(
        problem,
        {},
        moved={"L1": odd_time, "L2": odd_room, "B1": no_room, "W1": room_given},
        drop=("B2",),
    )
    solution = Solution(
        solution.name,
        7,
        WEEKS,
        (
            *solution.classes,
            ClassAssignment("Z9", 1, 0, 1, "A"),
            solution.classes[0],
        ),
    )
    result = evaluate(problem, solution)
    assert result.hard_counts() == {
        HardKind.TIME_NOT_ALLOWED: 1,
        HardKind.ROOM_NOT_ALLOWED: 2,
        HardKind.ROOM_MISSING: 1,
        HardKind.UNASSIGNED_CLASS: 1,
        HardKind.UNKNOWN_CLASS: 1,
        HardKind.DUPLICATE_CLASS: 1,
    }
    assert (result.time, result.room) == (0, 0)


def test_penalties_are_weighted_into_the_total() -> None:
    problem = campus()
    result = evaluate(problem, timetable(problem, {}, physics=(3, "C")))
    assert result.feasible
    assert (result.time, result.room, result.distribution, result.student) == (3, 5, 0, 0)
    assert result.total == 2 * 3 + 3 * 5


def test_a_hand_made_instance_and_solution_survive_the_xml_round_trip() -> None:
    problem = Problem(
        name="campus & co",
        nr_days=7,
        slots_per_day=288,
        nr_weeks=WEEKS,
        optimization=Optimization(2, 3, 5, 11),
        rooms=(
            Room("A", 30, travel=(Travel("B", 3),), unavailable=(at(MON, 12, 2, "0100"),)),
            *ROOMS[1:],
        ),
        courses=(MATHS, PHYSICS),
        distributions=(
            Distribution(
                T.MAX_BLOCK, ("L1", "B1", "P1"), required=False, penalty=4, parameters=(13, 2)
            ),
            Distribution(T.PRECEDENCE, ("L1", "B1"), required=True),
            Distribution(T.SAME_ATTENDEES, ("L2", "B2"), required=True),
        ),
        students=(Student("s1", ("maths", "physics")), Student('s"2', ("maths",))),
    )
    assert parse_problem(problem_to_xml(problem).encode("utf-8")) == problem
    solution = timetable(problem, {"L1": ("s1",), "B1": ("s1",), "W1": ('s"2',), "P1": ("s1",)})
    solution = Solution(
        solution.name,
        solution.nr_days,
        solution.nr_weeks,
        solution.classes,
        runtime=1.5,
        cores=2,
        technique="local search",
        author="Équipe <emploi du temps>",
        institution="Cartable",
        country="France",
    )
    assert parse_solution(solution_to_xml(solution).encode("utf-8")) == solution
    # L1, P1 and B1 make one block of Mondays 10-26, longer than 13 slots, in each week
    result = evaluate(problem, solution)
    assert result.distribution_counts == (WEEKS, 0, 0)
    assert result.distribution == 4 * WEEKS // WEEKS


def test_an_instance_with_broken_references_is_refused() -> None:
    orphan = CourseClass("X1", 1, (TimeOption(at(MON, 10, 6)),), (RoomOption("A"),), parent="X0")
    problem = Problem(
        "broken",
        7,
        288,
        WEEKS,
        Optimization(),
        ROOMS,
        (Course("x", (Config("1", (Subpart("1", (orphan,)),)),)),),
    )
    with pytest.raises(ValueError, match="unknown class 'X0'"):
        _ = problem.index
    with pytest.raises(ValueError, match="takes 2 parameter"):
        Distribution(T.MAX_BREAKS, ("X1",), required=True, parameters=(1,))
    assert Distribution.parse_type("MaxBreaks(1,12)") == (T.MAX_BREAKS, (1, 12))
