"""What is wrong inside one UE's weekly template, in plain Python over :class:`UEWeek`.

A student of a UE attends one group of each activity; groups attached to another group (a TP
to its TD) go with it. Two groups *clash* when a student could be in both (different
activities, not excluded by an attachment) and they have an overlapping occurrence; a group
whose own slots overlap clashes with itself. A group is *unusable* when no choice of the other
activities' groups lets a student take it; the template is *feasible* when some student can
take the UE at all (:func:`cartable.timetable.rules.check` on the UE alone)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from . import rules
from .data import ActivityOption, GroupOption, UEWeek


@dataclass(frozen=True)
class Clash:
    """Two groups (keys), or one group with itself, that a student could hold together and
    whose slots overlap."""

    first: str
    second: str


@dataclass(frozen=True)
class TemplateFindings:
    feasible: bool
    clashes: tuple[Clash, ...] = ()
    unusable: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return self.feasible and not self.clashes and not self.unusable


def _overlap(a: GroupOption, b: GroupOption) -> bool:
    return any(x.overlaps(y) for x in a.slots for y in b.slots)


def _self_overlap(group: GroupOption) -> bool:
    return any(x.overlaps(y) for x, y in combinations(group.slots, 2))


def _same_path(
    a: GroupOption, b: GroupOption, activity_of: dict[str, str], a_activity: str
) -> bool:
    """Whether one student may hold both groups (of different activities)."""
    b_activity = activity_of[b.key]
    if a.parent is not None and activity_of.get(a.parent) == b_activity and a.parent != b.key:
        return False
    return not (
        b.parent is not None and activity_of.get(b.parent) == a_activity and b.parent != a.key
    )


def _with_only(ue: UEWeek, activity: ActivityOption, group: GroupOption) -> UEWeek:
    activities = tuple(
        ActivityOption(a.key, a.kind, (group,)) if a.key == activity.key else a
        for a in ue.activities
    )
    return UEWeek(ue.code, activities)


def examine(ue: UEWeek, *, unusable: bool = True) -> TemplateFindings:
    """Clashes, feasibility and (unless ``unusable`` is false) unusable groups of one UE's
    template."""
    activity_of = {g.key: a.key for a in ue.activities for g in a.groups}
    clashes: list[Clash] = []
    for activity in ue.activities:
        clashes += [Clash(g.key, g.key) for g in activity.groups if _self_overlap(g)]
    for first, second in combinations(ue.activities, 2):
        for a in first.groups:
            for b in second.groups:
                if _same_path(a, b, activity_of, first.key) and _overlap(a, b):
                    clashes.append(Clash(a.key, b.key))
    feasible = rules.check([ue]).compatible
    lost: set[str] = set()
    for activity in ue.activities if unusable else ():
        if len(activity.groups) < 2 and feasible:
            continue
        for group in activity.groups:
            if not rules.check([_with_only(ue, activity, group)]).compatible:
                lost.add(group.key)
    return TemplateFindings(feasible, tuple(clashes), frozenset(lost))
