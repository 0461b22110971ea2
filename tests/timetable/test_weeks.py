"""Week patterns as typed on the screens and in imported files, read against a calendar."""

from __future__ import annotations

import pytest

from cartable.core.cells import Problem
from cartable.timetable import weeks

#: 17 weeks, the 9th without classes.
CALENDAR = "11111111011111111"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("every", "11111111011111111"),
        ("toutes", "11111111011111111"),
        ("odd", "10101010010101010"),
        ("impaires", "10101010010101010"),
        ("even", "01010101001010101"),
        ("1,3,5", "10101000000000000"),
        ("1-3 10", "11100000010000000"),
        ("12", "00000000000100000"),
        ("00000000011111111", "00000000011111111"),
    ],
)
def test_a_pattern_becomes_the_week_string_of_the_calendar(typed: str, expected: str) -> None:
    assert weeks.parse(typed, CALENDAR) == expected


def test_alternation_skips_the_holiday_week_without_shifting() -> None:
    odd = weeks.parse("odd", CALENDAR)
    # the tenth calendar week is the ninth week of classes: odd
    assert odd[8] == "0"
    assert odd[9] == "1"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "semaines obligatoires"),
        ("9", "semaines sans cours dans le calendrier : 9"),
        ("1,20", "semaines hors du calendrier : 20"),
        ("4-2", "intervalle à l'envers"),
        ("chaque lundi", "semaines illisibles"),
        ("111", "3 semaines indiquées, le calendrier du semestre en compte 17"),
        ("11111111111111111", "semaines sans cours dans le calendrier : 9"),
        ("00000000000000000", "aucune semaine choisie"),
    ],
)
def test_a_wrong_pattern_is_refused_with_its_reason(typed: str, reason: str) -> None:
    with pytest.raises(Problem) as refused:
        weeks.parse(typed, CALENDAR)
    assert reason in refused.value.reason[0]
    assert refused.value.reason[1]


@pytest.mark.parametrize(
    ("week_string", "written", "label"),
    [
        ("11111111011111111", "every", "toutes les semaines"),
        ("10101010010101010", "odd", "semaines impaires"),
        ("01010101001010101", "even", "semaines paires"),
        ("11110000010000000", "11110000010000000", "semaines 1-4, 10"),
    ],
)
def test_a_week_string_is_written_by_its_pattern_when_it_has_one(
    week_string: str, written: str, label: str
) -> None:
    assert weeks.written(week_string, CALENDAR) == written
    assert weeks.label(week_string, CALENDAR) == label
    assert weeks.parse(written, CALENDAR) == week_string
