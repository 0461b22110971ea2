"""The ITC 2019 instances and published solutions of ``bench/data/itc2019``: reading them,
writing them back, and evaluating the published solutions to their published penalties."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from cartable.timetable.engine.course.evaluate import HardKind, evaluate
from cartable.timetable.engine.course.itc2019 import (
    parse_problem,
    parse_solution,
    problem_to_xml,
    read_problem,
    read_solution,
    save,
    solution_to_xml,
)
from cartable.timetable.engine.course.model import (
    Optimization,
    Problem,
    Solution,
    Time,
    solution_from_choices,
)

DATA = Path(__file__).resolve().parents[3] / "bench" / "data" / "itc2019"
SOLUTIONS = DATA / "solutions"


@cache
def instance(name: str) -> Problem:
    return read_problem(DATA / f"{name}.xml")


@cache
def published(path: str) -> Solution:
    return read_solution(SOLUTIONS / path)


# file, instance, feasible, time, room, distribution, students, total (bench README)
PUBLISHED = [
    ("lemos-mpptimetables/solution-lums-sum17.xml", "lums-sum17", True, 0, 17, 0, 0, 17),
    (
        "lemos-mpptimetables/solution-muni-fsps-spr17.xml",
        "muni-fsps-spr17",
        True,
        58,
        292,
        360,
        2040,
        211142,
    ),
    (
        "departurezsh-itc2019-optimizer/solution77_muni-fsps-spr17.xml",
        "muni-fsps-spr17",
        False,
        0,
        68,
        20,
        0,
        368,
    ),
    (
        "departurezsh-itc2019-optimizer/solution31_muni-fi-spr16.xml",
        "muni-fi-spr16",
        False,
        60,
        162,
        3,
        0,
        372,
    ),
]


@pytest.mark.parametrize(
    ("path", "name", "feasible", "time", "room", "distribution", "student", "total"),
    PUBLISHED,
    ids=[row[0].split("/")[1] for row in PUBLISHED],
)
def test_a_published_solution_has_its_published_penalties(
    path: str,
    name: str,
    feasible: bool,
    time: int,
    room: int,
    distribution: int,
    student: int,
    total: int,
) -> None:
    problem = instance(name)
    solution = published(path)
    assert solution.name == name
    result = evaluate(problem, solution)
    assert (result.time, result.room, result.distribution, result.student) == (
        time,
        room,
        distribution,
        student,
    )
    assert result.total == total
    assert result.feasible is feasible
    if not feasible:
        # Classes only: every course request is unmet, and nothing else is wrong.
        requests = sum(len(student.course_ids) for student in problem.students)
        assert result.hard_counts() == {HardKind.COURSE_MISSING: requests}


def test_the_student_penalty_of_the_published_muni_fsps_solution_needs_travel_times() -> None:
    problem = instance("muni-fsps-spr17")
    result = evaluate(problem, published("lemos-mpptimetables/solution-muni-fsps-spr17.xml"))
    weights = problem.optimization
    assert weights == Optimization(time=25, room=1, distribution=15, student=100)
    assert result.total == 25 * 58 + 292 + 15 * 360 + 100 * 2040
    # without travel times between rooms, 605 of the 2040 conflicts would go unnoticed
    walkless = replace(problem, rooms=tuple(replace(room, travel=()) for room in problem.rooms))
    solution = published("lemos-mpptimetables/solution-muni-fsps-spr17.xml")
    assert evaluate(walkless, solution).student == 1435
    # its soft distributions: SameDays, SameTime and NotOverlap, one penalty per pair
    assert sorted(
        (distribution.type_name, count, cost)
        for distribution, count, cost in zip(
            problem.distributions,
            result.distribution_counts,
            result.distribution_penalties,
            strict=True,
        )
        if cost
    ) == [
        ("NotOverlap", 1, 1),
        ("NotOverlap", 1, 1),
        ("NotOverlap", 2, 2),
        ("NotOverlap", 2, 2),
        ("NotOverlap", 4, 4),
        ("NotOverlap", 10, 10),
        ("SameDays", 38, 152),
        ("SameTime", 47, 188),
    ]


def test_the_published_muni_fsps_solution_lists_students_twice_and_they_count_once() -> None:
    problem = instance("muni-fsps-spr17")
    solution = published("lemos-mpptimetables/solution-muni-fsps-spr17.xml")
    limits = {course_class.id: course_class.limit for course_class in problem.classes}
    assert any(len(item.student_ids) > limits[item.class_id] for item in solution.classes)
    assert evaluate(problem, solution).hard_counts() == {}


def test_max_block_ignores_a_block_of_a_single_class_and_divides_by_the_weeks() -> None:
    # muni-fi-spr16 has classes of 22 slots under required MaxBlock(20,9): they are met
    # because a block of one class is not limited; the soft MaxBlock(40,9) is exceeded on 52
    # days of the 15 weeks, which costs 52 // 15 = 3.
    problem = instance("muni-fi-spr16")
    result = evaluate(
        problem, published("departurezsh-itc2019-optimizer/solution31_muni-fi-spr16.xml")
    )
    blocks = [
        (distribution.type_name, distribution.required, count, cost)
        for distribution, count, cost in zip(
            problem.distributions,
            result.distribution_counts,
            result.distribution_penalties,
            strict=True,
        )
        if distribution.type.value == "MaxBlock"
    ]
    assert blocks == [
        ("MaxBlock(20,9)", True, 0, 0),
        ("MaxBlock(20,9)", True, 0, 0),
        ("MaxBlock(20,9)", False, 0, 0),
        ("MaxBlock(20,9)", True, 0, 0),
        ("MaxBlock(40,9)", False, 52, 3),
    ]


# name, rooms, courses, classes, students, requests, hard, soft, weights, weeks (bench README)
INSTANCES = [
    ("wbg-fal10", 7, 21, 150, 19, 97, 56, 26, (1, 1, 10, 10), 16),
    ("lums-sum17", 62, 19, 20, 0, 0, 2, 0, (1, 1, 10, 10), 9),
    ("bet-sum18", 46, 48, 127, 0, 0, 110, 34, (1, 1, 10, 10), 6),
    ("pu-cs-fal07", 13, 44, 174, 2002, 2393, 68, 34, (1, 1, 10, 10), 15),
    ("muni-fsps-spr17", 44, 226, 561, 865, 6715, 331, 69, (25, 1, 15, 100), 19),
    ("muni-fi-spr16", 35, 228, 575, 1543, 9633, 645, 95, (3, 1, 10, 5), 15),
]


@pytest.mark.parametrize(
    (
        "name",
        "rooms",
        "courses",
        "classes",
        "students",
        "requests",
        "hard",
        "soft",
        "weights",
        "weeks",
    ),
    INSTANCES,
    ids=[row[0] for row in INSTANCES],
)
def test_an_instance_is_read_whole_and_written_back_unchanged(
    name: str,
    rooms: int,
    courses: int,
    classes: int,
    students: int,
    requests: int,
    hard: int,
    soft: int,
    weights: tuple[int, int, int, int],
    weeks: int,
) -> None:
    problem = instance(name)
    assert problem.name == name
    assert (problem.nr_days, problem.slots_per_day, problem.nr_weeks) == (7, 288, weeks)
    assert len(problem.rooms) == rooms
    assert len(problem.courses) == courses
    assert len(problem.classes) == classes
    assert len(problem.students) == students
    assert sum(len(student.course_ids) for student in problem.students) == requests
    required = sum(distribution.required for distribution in problem.distributions)
    assert (required, len(problem.distributions) - required) == (hard, soft)
    optimization = problem.optimization
    assert (
        optimization.time,
        optimization.room,
        optimization.distribution,
        optimization.student,
    ) == weights
    assert parse_problem(problem_to_xml(problem).encode()) == problem


def test_rooms_without_travel_entries_are_reached_in_the_travel_time_listed_either_way() -> None:
    problem = instance("muni-fi-spr16")
    index = problem.index
    first = problem.rooms[0]
    assert first.travel, "room 1 lists travel times"
    entry = first.travel[0]
    here, there = index.room_number[first.id], index.room_number[entry.room_id]
    assert index.travel[here][there] == index.travel[there][here] == entry.value
    assert all(index.travel[room][room] == 0 for room in range(len(problem.rooms)))


def test_classes_without_room_are_read_as_such() -> None:
    problem = instance("muni-fi-spr16")
    without = [course_class for course_class in problem.classes if not course_class.room_required]
    assert len(without) == 75
    assert all(not course_class.rooms for course_class in without)
    solution = published("departurezsh-itc2019-optimizer/solution31_muni-fi-spr16.xml")
    assignment = {item.class_id: item for item in solution.classes}
    assert all(assignment[course_class.id].room_id is None for course_class in without)


def test_a_published_solution_is_written_back_unchanged(tmp_path: Path) -> None:
    solution = published("lemos-mpptimetables/solution-muni-fsps-spr17.xml")
    assert solution.runtime == 346
    assert solution.cores == 32
    assert solution.technique == "Pseudo-Boolean"
    assert solution.country == "Portugal"
    target = tmp_path / "solution.xml"
    save(solution_to_xml(solution), target)
    assert read_solution(target) == solution


def test_a_written_solution_has_the_official_form() -> None:
    text = solution_to_xml(published("lemos-mpptimetables/solution-lums-sum17.xml"))
    lines = text.splitlines()
    assert lines[0] == '<?xml version="1.0" encoding="UTF-8"?>'
    assert lines[1].startswith("<!DOCTYPE solution PUBLIC")
    assert lines[2] == (
        '<solution name="lums-sum17" runtime="105.210359" cores="4" technique="LocalSearch" '
        'author="Alexandre Lemos" institution="INESC-ID" country="Portugal">'
    )
    assert lines[3] == '  <class id="1" days="1111000" start="96" weeks="111111111" room="22"/>'


def test_a_solution_built_from_option_numbers_evaluates_like_the_published_one() -> None:
    problem = instance("muni-fi-spr16")
    solution = published("departurezsh-itc2019-optimizer/solution31_muni-fi-spr16.xml")
    index = problem.index
    time_choices: list[int | None] = [None] * len(problem.classes)
    room_choices: list[int | None] = [None] * len(problem.classes)
    for item in solution.classes:
        number = index.class_number[item.class_id]
        time_choices[number] = next(
            option
            for option, time in enumerate(index.class_times[number])
            if (time.days, time.start, time.weeks) == (item.days, item.start, item.weeks)
        )
        if item.room_id is not None:
            room_choices[number] = index.class_rooms[number].index(index.room_number[item.room_id])
    rebuilt = solution_from_choices(problem, time_choices, room_choices, technique="MIP")
    assert {item.class_id: item for item in rebuilt.classes} == {
        item.class_id: item for item in solution.classes
    }
    assert evaluate(problem, rebuilt) == evaluate(problem, solution)


def test_a_time_reads_its_bit_strings_from_the_first_day_and_week() -> None:
    time = Time.parse("0100100", 96, 22, "011")
    assert (time.days, time.weeks, time.end) == (0b0010010, 0b110, 118)
    assert time.days_string(7) == "0100100"
    assert time.weeks_string(3) == "011"


def test_documents_declaring_entities_are_refused() -> None:
    document = (
        b'<?xml version="1.0"?><!DOCTYPE solution [<!ENTITY a "aaaa">]><solution name="&a;"/>'
    )
    with pytest.raises(ValueError, match="entity"):
        parse_solution(document)


def test_a_document_of_the_other_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="<problem>"):
        parse_problem(b'<solution name="x"/>')
