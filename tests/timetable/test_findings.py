"""What the template page tells about one UE: clashes a student could meet, groups nobody can
take, and whether the UE can be taken at all (plain data, no database)."""

from __future__ import annotations

from cartable.timetable.data import ActivityOption, GroupOption, SlotTime, UEWeek
from cartable.timetable.findings import examine
from cartable.timetable.rules import mask

EVERY = mask("1111")
ODD = mask("1010")
EVEN = mask("0101")


def at(day: int, start: int, end: int, weeks: int = EVERY) -> SlotTime:
    return SlotTime(day, start * 60, end * 60, weeks)


def group(key: str, *slots: SlotTime, parent: str | None = None) -> GroupOption:
    return GroupOption(key=key, code=key, slots=slots, parent=parent)


def ue(*activities: tuple[str, tuple[GroupOption, ...]]) -> UEWeek:
    return UEWeek("LO41", tuple(ActivityOption(kind, kind, groups) for kind, groups in activities))


def test_a_template_without_overlap_is_feasible_and_clean() -> None:
    found = examine(
        ue(("CM", (group("CM1", at(0, 8, 10)),)), ("TD", (group("TD1", at(1, 8, 10)),)))
    )
    assert found.feasible
    assert found.ok


def test_a_td_group_over_the_lecture_clashes_and_nobody_can_take_it() -> None:
    found = examine(
        ue(
            ("CM", (group("CM1", at(0, 8, 10)),)),
            ("TD", (group("TD1", at(0, 9, 11)), group("TD2", at(2, 8, 10)))),
        )
    )
    assert found.feasible
    assert [(c.first, c.second) for c in found.clashes] == [("CM1", "TD1")]
    assert found.unusable == frozenset({"TD1"})


def test_labs_on_alternating_weeks_do_not_clash() -> None:
    found = examine(
        ue(
            ("TD", (group("TD1", at(0, 8, 10, ODD)),)),
            ("TP", (group("TP1", at(0, 8, 10, EVEN)),)),
        )
    )
    assert found.ok


def test_a_lab_attached_to_another_td_group_does_not_clash_with_this_one() -> None:
    found = examine(
        ue(
            ("TD", (group("TD1", at(0, 8, 10)), group("TD2", at(1, 8, 10)))),
            ("TP", (group("TP1", at(0, 8, 10), parent="TD2"),)),
        )
    )
    assert found.clashes == ()
    assert found.feasible


def test_a_ue_whose_only_groups_overlap_cannot_be_taken() -> None:
    found = examine(
        ue(("CM", (group("CM1", at(0, 8, 10)),)), ("TD", (group("TD1", at(0, 8, 10)),)))
    )
    assert not found.feasible
    assert found.unusable == frozenset({"CM1", "TD1"})


def test_a_group_whose_own_slots_overlap_clashes_with_itself() -> None:
    found = examine(
        ue(
            ("CM", (group("CM1", at(0, 8, 10), at(0, 9, 11)),)),
        )
    )
    assert [(c.first, c.second) for c in found.clashes] == [("CM1", "CM1")]
