"""The compatibility rule: exact, on dated weeks, with attached groups (no database)."""

from __future__ import annotations

import random
from datetime import date
from itertools import product

import pytest

from cartable.timetable import rules
from cartable.timetable.data import ActivityOption, GroupOption, SlotTime, UEWeek, WeekPattern

EVERY = rules.mask("1" * 16)


def slot(day: int, start: int, end: int, weeks: int = EVERY) -> SlotTime:
    return SlotTime(day, start * 60, end * 60, weeks)


def ue(code: str, *activities: list[GroupOption]) -> UEWeek:
    return UEWeek(
        code,
        tuple(
            ActivityOption(f"{code}-{i}", kind, tuple(groups))
            for i, (kind, groups) in enumerate(zip(("CM", "TD", "TP"), activities, strict=False))
        ),
    )


def grp(key: str, *slots: SlotTime, parent: str | None = None) -> GroupOption:
    return GroupOption(key, key, tuple(slots), parent)


def test_two_ues_at_different_times_are_compatible() -> None:
    found = rules.check([ue("A", [grp("a", slot(0, 8, 10))]), ue("B", [grp("b", slot(0, 10, 12))])])
    assert found.compatible
    assert {p.group.key for p in found.placements} == {"a", "b"}


def test_overlapping_hours_on_the_same_day_clash() -> None:
    found = rules.check([ue("A", [grp("a", slot(0, 8, 10))]), ue("B", [grp("b", slot(0, 9, 11))])])
    assert not found.compatible
    assert found.clashing == ("A", "B")


def test_alternating_weeks_do_not_clash() -> None:
    odd = rules.mask(rules.weeks_of_pattern("1" * 16, WeekPattern.ODD))
    even = rules.mask(rules.weeks_of_pattern("1" * 16, WeekPattern.EVEN))
    found = rules.check(
        [ue("A", [grp("a", slot(2, 14, 18, odd))]), ue("B", [grp("b", slot(2, 14, 18, even))])]
    )
    assert found.compatible


def test_a_choice_of_groups_that_avoids_the_clash_is_found() -> None:
    a = ue(
        "A", [grp("cm", slot(0, 8, 10))], [grp("td1", slot(1, 8, 10)), grp("td2", slot(3, 8, 10))]
    )
    b = ue("B", [grp("b", slot(1, 8, 10))])
    found = rules.check([a, b])
    assert found.compatible
    assert "td2" in {p.group.key for p in found.placements}


def test_an_attached_group_comes_with_its_parent() -> None:
    # TP1 belongs to TD1 and TP2 to TD2; B sits on TD2's time, so TD1 + TP1 it must be,
    # and TP1 clashes with C: no valid choice although each activity alone has a free group.
    a = ue(
        "A",
        [grp("td1", slot(0, 8, 10)), grp("td2", slot(1, 8, 10))],
        [grp("tp1", slot(2, 8, 10), parent="td1"), grp("tp2", slot(3, 8, 10), parent="td2")],
    )
    b = ue("B", [grp("b", slot(1, 8, 10))])
    c = ue("C", [grp("c", slot(2, 8, 10))])
    assert rules.check([a, b]).compatible
    assert rules.check([a, c]).compatible
    found = rules.check([a, b, c])
    assert not found.compatible
    assert found.clashing == ("A", "B", "C")


def test_the_clash_names_only_the_ues_that_cause_it() -> None:
    found = rules.check(
        [
            ue("A", [grp("a", slot(0, 8, 10))]),
            ue("B", [grp("b", slot(4, 8, 10))]),
            ue("C", [grp("c", slot(0, 9, 10))]),
        ],
        keep=["C"],
    )
    assert found.clashing == ("A", "C")


def test_a_ue_without_a_template_constrains_nothing() -> None:
    assert rules.check([ue("A"), ue("B", [grp("b", slot(0, 8, 10))])]).compatible


def test_weeks_of_a_pattern_skip_holidays_without_shifting_the_alternation() -> None:
    calendar = "1111" + "0" + "1111"
    assert rules.weeks_of_pattern(calendar, WeekPattern.ODD) == "1010" + "0" + "1010"
    assert rules.weeks_of_pattern(calendar, WeekPattern.EVEN) == "0101" + "0" + "0101"
    assert (
        rules.weeks_of_pattern(calendar, WeekPattern.EXPLICIT, [1, 5, 6]) == "1000" + "0" + "1000"
    )


def test_explicit_weeks_outside_the_calendar_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        rules.weeks_of_pattern("1111", WeekPattern.EXPLICIT, [7])


def test_occurrences_are_the_dated_days_of_the_weeks() -> None:
    weeks = rules.mask("101")
    assert rules.occurrences(date(2026, 9, 7), SlotTime(2, 480, 600, weeks)) == [
        date(2026, 9, 9),
        date(2026, 9, 23),
    ]


def _brute_force(ues: list[UEWeek]) -> bool:
    """Every combination of groups, for checking the search on small random cases."""
    activities = [a for u in ues for a in u.activities if a.groups]
    for choice in product(*(a.groups for a in activities)):
        keys = {g.key for g in choice}
        if any(
            g.parent is not None and g.parent not in keys and _parent_in(g.parent, activities)
            for g in choice
        ):
            continue
        slots = [s for g in choice for s in g.slots]
        if not any(x.overlaps(y) for i, x in enumerate(slots) for y in slots[i + 1 :]):
            return True
    return not activities


def _parent_in(key: str, activities: list[ActivityOption]) -> bool:
    return any(g.key == key for a in activities for g in a.groups)


@pytest.mark.parametrize("seed", range(40))
def test_the_search_agrees_with_trying_every_combination(seed: int) -> None:
    rng = random.Random(seed)
    ues = []
    for u in range(rng.randint(2, 5)):
        activities = []
        for a in range(rng.randint(1, 3)):
            activities.append(
                [
                    grp(
                        f"{u}-{a}-{g}",
                        slot(
                            rng.randint(0, 2),
                            (h := rng.randint(8, 12)),
                            h + 2,
                            rng.choice([EVERY, 0b0101, 0b1010]),
                        ),
                    )
                    for g in range(rng.randint(1, 3))
                ]
            )
        ues.append(ue(f"U{u}", *activities))
    assert rules.check(ues).compatible == _brute_force(ues)
