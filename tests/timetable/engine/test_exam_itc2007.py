"""Reading and writing the ITC 2007 examination formats."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from cartable.timetable.engine.exam import (
    BEST_KNOWN,
    Assignment,
    FormatError,
    PeriodConstraintKind,
    Seating,
    Solution,
    format_instance,
    format_solution,
    parse_instance,
    parse_solution,
    read_instance,
    read_solution,
    write_solution,
)

DATA = Path(__file__).resolve().parents[3] / "bench" / "data" / "itc2007-exam"

TINY = """[Exams:3]
120, 1, 2, 3, 2
60, 3, 4
90
[Periods:3]
15:04:2005, 09:30:00, 210, 0
15:04:2005, 14:00:00, 120, 70
18:04:2005, 09:30:00, 210, 5
[Rooms:2]
260, 0
50, 20
[PeriodHardConstraints]
1, AFTER, 0
0, EXCLUSION, 2
0, EXAM_COINCIDENCE, 2
[RoomHardConstraints]
1, ROOM_EXCLUSIVE
[InstitutionalWeightings]
TWOINAROW, 7
TWOINADAY, 5
PERIODSPREAD, 5
NONMIXEDDURATIONS,10
FRONTLOAD,100,30,5
"""


def test_parse_a_small_instance() -> None:
    instance = parse_instance(TINY, name="tiny")
    assert instance.name == "tiny"
    assert [e.duration for e in instance.exams] == [120, 60, 90]
    assert instance.exams[0].students == frozenset({1, 2, 3})  # duplicates counted once
    assert instance.exams[0].size == 3
    assert instance.exams[2].size == 0
    assert [e.name for e in instance.exams] == ["0", "1", "2"]
    first, second, _ = instance.periods
    assert first.date == datetime.date(2005, 4, 15)
    assert second.start == datetime.time(14, 0)
    assert (second.duration, second.penalty) == (120, 70)
    assert [p.day for p in instance.periods] == [0, 0, 1]
    assert [(r.capacity, r.penalty) for r in instance.rooms] == [(260, 0), (50, 20)]
    kinds = [(c.first, c.kind, c.second) for c in instance.period_constraints]
    assert kinds == [
        (1, PeriodConstraintKind.AFTER, 0),
        (0, PeriodConstraintKind.EXCLUSION, 2),
        (0, PeriodConstraintKind.EXAM_COINCIDENCE, 2),
    ]
    assert instance.room_exclusive == frozenset({1})
    w = instance.weightings
    assert (w.two_in_a_row, w.two_in_a_day, w.period_spread, w.non_mixed_durations) == (
        7,
        5,
        5,
        10,
    )
    assert (w.front_load_exams, w.front_load_periods, w.front_load_weight) == (100, 30, 5)


def test_crlf_trailing_blanks_and_no_final_newline_are_accepted() -> None:
    messy = "\r\n".join(line + "  " for line in TINY.splitlines()).rstrip() + "\r\n\r\n  "
    assert parse_instance(messy) == parse_instance(TINY)
    assert parse_instance(TINY.rstrip("\n")) == parse_instance(TINY)


def test_write_then_read_gives_the_same_instance() -> None:
    instance = parse_instance(TINY)
    assert parse_instance(format_instance(instance)) == instance
    real = read_instance(DATA / "exam_comp_set12.exam")
    again = parse_instance(format_instance(real), name=real.name)
    assert again == real


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (TINY.replace("[Exams:3]", "[Exams:4]"), "announces"),
        (TINY.replace("15:04:2005, 09:30:00, 210, 0", "15/04/2005, 09:30:00, 210, 0"), "date"),
        (TINY.replace("260, 0", "260"), "room"),
        (TINY.replace("1, AFTER, 0", "1, BEFORE, 0"), "BEFORE"),
        (TINY.replace("1, AFTER, 0", "1, AFTER, 9"), "unknown exam"),
        (TINY.replace("60, 3, 4", "sixty, 3, 4"), "not an integer"),
        ("120, 1\n" + TINY, "before the first section"),
    ],
)
def test_malformed_instances_are_reported(broken: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        parse_instance(broken)


def test_solutions_round_trip(tmp_path: Path) -> None:
    instance = parse_instance(TINY)
    solution = parse_solution("0, 0\r\n1, 1\n0, 0", instance)
    assert solution.periods == (0, 1, 0)
    assert solution.assignments[0] == Assignment(0, (Seating(0, 3),))
    assert format_solution(solution) == "0, 0\n1, 1\n0, 0\n"
    path = tmp_path / "tiny.sol"
    write_solution(path, solution)
    assert read_solution(path, instance) == solution


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0, 0\n1, 1", "2 lines for 3 exams"),
        ("0, 0\n1, 9\n0, 0", "unknown room"),
        ("0\n", "period, room"),
    ],
)
def test_malformed_solutions_are_reported(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        parse_solution(text, parse_instance(TINY))


def test_split_exams_cannot_be_written_in_the_itc_format() -> None:
    split = Solution((Assignment(0, (Seating(0, 1), Seating(1, 2))),))
    with pytest.raises(ValueError, match="split"):
        format_solution(split)


def test_best_known_values_cover_the_twelve_sets() -> None:
    assert sorted(BEST_KNOWN) == list(range(1, 13))
    assert all(v > 0 for v in BEST_KNOWN.values())
