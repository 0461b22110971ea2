"""Timetable rules, plain Python over plain data: week patterns, dated occurrences, overlaps,
and the compatibility of a set of UEs.

A set of UEs is *compatible* when one group can be chosen for every activity of every UE so
that no two chosen groups have an overlapping occurrence: same day, overlapping hours, and at
least one common week (weeks are bit masks, so alternating weeks never clash). Groups attached
to another group (a TP to its TD) are chosen together.

The check is exact: a backtracking search over the activities, the most constrained first,
removing from the other activities every group that clashes with a choice (forward checking).
A student's semester holds five to eight UEs of two or three activities with a handful of
groups each; the search answers in well under a millisecond on such sets, and it proves
incompatibility as surely as it finds a timetable (docs/decisions/0008)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from .data import (
    ActivityOption,
    Compatibility,
    GroupOption,
    Placement,
    SlotTime,
    UEWeek,
    WeekPattern,
)


def weeks_of_pattern(
    teaching_weeks: str, pattern: WeekPattern, explicit: Iterable[int] = ()
) -> str:
    """The ``0``/``1`` week string of a pattern over a calendar's teaching weeks.

    Odd and even count *teaching* weeks (the first week of classes is odd), so a holiday does
    not shift the alternation; explicit weeks are calendar week numbers (1-based) and must be
    teaching weeks."""
    bits = ["0"] * len(teaching_weeks)
    teaching = [i for i, c in enumerate(teaching_weeks) if c == "1"]
    if pattern is WeekPattern.EVERY:
        chosen = teaching
    elif pattern is WeekPattern.ODD:
        chosen = teaching[0::2]
    elif pattern is WeekPattern.EVEN:
        chosen = teaching[1::2]
    else:
        wanted = set(explicit)
        outside = sorted(w for w in wanted if not 1 <= w <= len(teaching_weeks))
        if outside:
            raise ValueError(f"weeks outside the calendar: {outside}")
        chosen = [i for i in teaching if i + 1 in wanted]
    for i in chosen:
        bits[i] = "1"
    return "".join(bits)


def mask(weeks: str) -> int:
    """A week string as a bit mask (bit 0 is week 1)."""
    return sum(1 << i for i, c in enumerate(weeks) if c == "1")


def minutes(hour: int, minute: int) -> int:
    return hour * 60 + minute


def occurrences(first_monday: date, slot: SlotTime) -> list[date]:
    """The dates on which a slot takes place."""
    dates = []
    week, weeks = 0, slot.weeks
    while weeks:
        if weeks & 1:
            dates.append(first_monday + timedelta(weeks=week, days=slot.day))
        weeks >>= 1
        week += 1
    return dates


def _clash(a: GroupOption, b: GroupOption) -> bool:
    return any(x.overlaps(y) for x in a.slots for y in b.slots)


class _Clashes:
    """Whether two groups overlap, each pair judged once per check (the search and the
    deletion filter ask the same pairs many times)."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], bool] = {}

    def __call__(self, a: GroupOption, b: GroupOption) -> bool:
        pair = (a.key, b.key) if a.key <= b.key else (b.key, a.key)
        found = self.known.get(pair)
        if found is None:
            found = self.known[pair] = _clash(a, b)
        return found


def _solve(ues: Sequence[UEWeek], clashes: _Clashes | None = None) -> list[Placement] | None:
    variables: list[tuple[str, ActivityOption]] = [
        (ue.code, activity) for ue in ues for activity in ue.activities if activity.groups
    ]
    if not variables:
        return []
    clash = clashes or _Clashes()
    group_activity = {g.key: i for i, (_c, a) in enumerate(variables) for g in a.groups}
    domains: list[list[GroupOption]] = [list(a.groups) for _c, a in variables]
    chosen: dict[int, GroupOption] = {}

    def consistent(index: int, group: GroupOption, other: int, candidate: GroupOption) -> bool:
        if clash(group, candidate):
            return False
        # attached groups go together, in both directions
        if group.parent is not None and group_activity.get(group.parent) == other:
            return candidate.key == group.parent
        if candidate.parent is not None and group_activity.get(candidate.parent) == index:
            return candidate.parent == group.key
        return True

    def search(current: list[list[GroupOption]]) -> bool:
        open_ = [i for i in range(len(variables)) if i not in chosen]
        if not open_:
            return True
        index = min(open_, key=lambda i: len(current[i]))
        for group in current[index]:
            pruned = list(current)
            ok = True
            for other in open_:
                if other == index:
                    continue
                kept = [g for g in current[other] if consistent(index, group, other, g)]
                if not kept:
                    ok = False
                    break
                pruned[other] = kept
            if not ok:
                continue
            chosen[index] = group
            if search(pruned):
                return True
            del chosen[index]
        return False

    if not search(domains):
        return None
    return [
        Placement(code, activity.kind, chosen[i]) for i, (code, activity) in enumerate(variables)
    ]


def check(ues: Sequence[UEWeek], *, keep: Sequence[str] = ()) -> Compatibility:
    """Whether ``ues`` can be taken together. When they cannot, ``clashing`` is an
    irreducible subset (removing any one of its UEs makes the rest compatible), always
    holding the UEs named in ``keep`` when those belong to such a subset (the UE a student is
    adding, so that the answer names what it clashes with)."""
    clashes = _Clashes()
    found = _solve(ues, clashes)
    if found is not None:
        return Compatibility(True, tuple(found))
    kept = [u for u in ues if u.code in keep]
    subset = [u for u in ues if u.code not in keep] + kept
    # deletion filter: drop every UE whose removal leaves the rest still incompatible
    i = 0
    while i < len(subset):
        if subset[i].code in keep and _solve(subset[:i] + subset[i + 1 :], clashes) is not None:
            i += 1
            continue
        trial = subset[:i] + subset[i + 1 :]
        if trial and _solve(trial, clashes) is None:
            subset = trial
        else:
            i += 1
    return Compatibility(False, clashing=tuple(sorted(u.code for u in subset)))
