"""The exact evaluation of an ITC 2019 solution: its hard violations, kind by kind, and the
four soft components with the weighted total, as the competition defines them.

Definitions (times ``a`` and ``b``, ``end = start + length``, days and weeks as masks):

- ``a`` and ``b`` overlap when they share a day and a week and ``a.start < b.end`` and
  ``b.start < a.end``;
- a student conflict is a pair of a student's classes that share a day and a week and are
  neither ``a.end + travel <= b.start`` nor ``b.end + travel <= a.start``, ``travel`` being the
  travel time between their rooms (0 when one has no room); each pair of classes counts once
  per student;
- a pairwise distribution counts one violation per violating pair of its classes (for
  ``Precedence`` the pair is ordered as listed); ``MaxDays(D)`` counts the days over ``D``;
  ``MaxDayLoad(S)``, ``MaxBreaks(R,S)`` and ``MaxBlock(M,S)`` count, over every day of every
  week, the slots over ``S``, the breaks over ``R`` and the blocks longer than ``M`` slots.
  ``SameRoom`` and ``DifferentRoom`` do not constrain a class without room. A required
  distribution holds when its count is 0; a soft one costs its penalty times the
  count, divided by the number of weeks (integer division of the product) for the three
  day-by-day types.

A solver can use the same pieces: :func:`pair_holds`, :func:`violation_count`,
:func:`distribution_cost` and :func:`student_conflict` work on times and room numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

from .model import (
    Distribution,
    DistributionType,
    Problem,
    Solution,
    Time,
    bits_to_string,
    first_bit,
)

__all__ = [
    "Evaluation",
    "HardKind",
    "HardViolation",
    "Placed",
    "distribution_cost",
    "evaluate",
    "merge_blocks",
    "pair_holds",
    "student_conflict",
    "violation_count",
]

#: A placed class: its time and its room number (``None`` without room).
Placed = tuple[Time, int | None]
Travel = Sequence[Sequence[int]]


class HardKind(StrEnum):
    """The kinds of hard violations."""

    UNKNOWN_CLASS = "unknown class"
    DUPLICATE_CLASS = "class given twice"
    UNASSIGNED_CLASS = "class not assigned"
    TIME_NOT_ALLOWED = "time not among the class's times"
    ROOM_NOT_ALLOWED = "room not among the class's rooms"
    ROOM_MISSING = "room missing"
    ROOM_UNAVAILABLE = "room unavailable"
    ROOM_CONFLICT = "room used by two overlapping classes"
    DISTRIBUTION = "required distribution violated"
    UNKNOWN_STUDENT = "unknown student"
    COURSE_NOT_REQUESTED = "class of a course the student did not request"
    COURSE_MISSING = "course request not met"
    SEVERAL_CONFIGS = "classes of several configurations of a course"
    SUBPART_MISSING = "no class of a subpart"
    SEVERAL_CLASSES = "several classes of a subpart"
    PARENT_MISSING = "parent class missing"
    CLASS_LIMIT = "class limit exceeded"


@dataclass(frozen=True, slots=True)
class HardViolation:
    kind: HardKind
    detail: str
    class_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    """Hard violations and raw soft components (``time``, ``room``, ``distribution`` and
    ``student`` conflicts), with ``total`` weighted by the instance's optimisation weights.
    ``distribution_counts`` and ``distribution_penalties`` give, per distribution of the
    instance, its violation count and its cost (0 for a required one)."""

    violations: tuple[HardViolation, ...]
    time: int
    room: int
    distribution: int
    student: int
    total: int
    distribution_counts: tuple[int, ...]
    distribution_penalties: tuple[int, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations

    def hard_counts(self) -> dict[HardKind, int]:
        """The number of hard violations of each kind present."""
        return dict(Counter(violation.kind for violation in self.violations))


def student_conflict(
    a: Time, room_a: int | None, b: Time, room_b: int | None, travel: Travel
) -> bool:
    """Whether one student cannot attend both classes (overlap, or too little time to walk)."""
    if not (a.days & b.days and a.weeks & b.weeks):
        return False
    distance = 0 if room_a is None or room_b is None else travel[room_a][room_b]
    return a.start + a.length + distance > b.start and b.start + b.length + distance > a.start


def _same_start(
    a: Time, _ra: int | None, b: Time, _rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    return a.start == b.start


def _same_time(
    a: Time, _ra: int | None, b: Time, _rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    a_end, b_end = a.start + a.length, b.start + b.length
    return (a.start <= b.start and b_end <= a_end) or (b.start <= a.start and a_end <= b_end)


def _different_time(
    a: Time, _ra: int | None, b: Time, _rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    return a.start + a.length <= b.start or b.start + b.length <= a.start


def _same_days(
    a: Time, _ra: int | None, b: Time, _rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    both = a.days | b.days
    return both in (a.days, b.days)


def _different_days(
    a: Time, _ra: int | None, b: Time, _rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    return not a.days & b.days


def _same_weeks(
    a: Time, _ra: int | None, b: Time, _rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    both = a.weeks | b.weeks
    return both in (a.weeks, b.weeks)


def _different_weeks(
    a: Time, _ra: int | None, b: Time, _rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    return not a.weeks & b.weeks


def _overlap(
    a: Time, _ra: int | None, b: Time, _rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    return a.overlaps(b)


def _not_overlap(
    a: Time, _ra: int | None, b: Time, _rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    return not a.overlaps(b)


def _same_room(
    _a: Time, ra: int | None, _b: Time, rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    return ra is None or rb is None or ra == rb


def _different_room(
    _a: Time, ra: int | None, _b: Time, rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    return ra is None or rb is None or ra != rb


def _same_attendees(
    a: Time, ra: int | None, b: Time, rb: int | None, _p: Sequence[int], travel: Travel
) -> bool:
    return not student_conflict(a, ra, b, rb, travel)


def _precedence(
    a: Time, _ra: int | None, b: Time, _rb: int | None, _p: Sequence[int], _t: Travel
) -> bool:
    a_week, b_week = first_bit(a.weeks), first_bit(b.weeks)
    if a_week != b_week:
        return a_week < b_week
    a_day, b_day = first_bit(a.days), first_bit(b.days)
    if a_day != b_day:
        return a_day < b_day
    return a.start + a.length <= b.start


def _work_day(
    a: Time, _ra: int | None, b: Time, _rb: int | None, p: Sequence[int], _t: Travel
) -> bool:
    if not (a.days & b.days and a.weeks & b.weeks):
        return True
    return max(a.start + a.length, b.start + b.length) - min(a.start, b.start) <= p[0]


def _min_gap(
    a: Time, _ra: int | None, b: Time, _rb: int | None, p: Sequence[int], _t: Travel
) -> bool:
    if not (a.days & b.days and a.weeks & b.weeks):
        return True
    gap = p[0]
    return a.start + a.length + gap <= b.start or b.start + b.length + gap <= a.start


PairTest = Callable[[Time, int | None, Time, int | None, Sequence[int], Travel], bool]

_PAIR_TESTS: Mapping[DistributionType, PairTest] = {
    DistributionType.SAME_START: _same_start,
    DistributionType.SAME_TIME: _same_time,
    DistributionType.DIFFERENT_TIME: _different_time,
    DistributionType.SAME_DAYS: _same_days,
    DistributionType.DIFFERENT_DAYS: _different_days,
    DistributionType.SAME_WEEKS: _same_weeks,
    DistributionType.DIFFERENT_WEEKS: _different_weeks,
    DistributionType.OVERLAP: _overlap,
    DistributionType.NOT_OVERLAP: _not_overlap,
    DistributionType.SAME_ROOM: _same_room,
    DistributionType.DIFFERENT_ROOM: _different_room,
    DistributionType.SAME_ATTENDEES: _same_attendees,
    DistributionType.PRECEDENCE: _precedence,
    DistributionType.WORK_DAY: _work_day,
    DistributionType.MIN_GAP: _min_gap,
}


def pair_holds(
    kind: DistributionType,
    parameters: Sequence[int],
    first: Placed,
    second: Placed,
    travel: Travel,
) -> bool:
    """Whether a pairwise distribution holds for two placed classes, ``first`` listed before
    ``second`` in the distribution."""
    return _PAIR_TESTS[kind](first[0], first[1], second[0], second[1], parameters, travel)


def merge_blocks(intervals: Iterable[tuple[int, int]], gap: int) -> list[tuple[int, int, int]]:
    """The competition's blocks: intervals ``(start, end)`` merged while one starts at most
    ``gap`` slots after the end of another; each block as ``(start, end, intervals merged)``."""
    blocks: list[tuple[int, int, int]] = []
    for start, end in sorted(intervals):
        if blocks and start <= blocks[-1][1] + gap:
            first, last, count = blocks[-1]
            blocks[-1] = (first, max(last, end), count + 1)
        else:
            blocks.append((start, end, 1))
    return blocks


def _day_week_groups(times: Sequence[Time], nr_days: int, nr_weeks: int) -> Iterable[list[Time]]:
    """For each day of each week, the times meeting on it (days or weeks without any skipped)."""
    days = 0
    weeks = 0
    for time in times:
        days |= time.days
        weeks |= time.weeks
    for week in range(nr_weeks):
        if not weeks >> week & 1:
            continue
        in_week = [time for time in times if time.weeks >> week & 1]
        for day in range(nr_days):
            if days >> day & 1:
                on_day = [time for time in in_week if time.days >> day & 1]
                if on_day:
                    yield on_day


def violation_count(
    kind: DistributionType,
    parameters: Sequence[int],
    placed: Sequence[Placed],
    travel: Travel,
    nr_days: int,
    nr_weeks: int,
) -> int:
    """How much a distribution is violated by its placed classes, in the order listed: pairs
    violating a pairwise type, days over ``D`` for ``MaxDays``, and over the days of all weeks
    the slots over ``S`` (``MaxDayLoad``), breaks over ``R`` (``MaxBreaks``) or blocks longer than
    ``M`` (``MaxBlock``). Zero exactly when the constraint holds."""
    test = _PAIR_TESTS.get(kind)
    if test is not None:
        return sum(
            1
            for (a, ra), (b, rb) in combinations(placed, 2)
            if not test(a, ra, b, rb, parameters, travel)
        )
    times = [time for time, _room in placed]
    if kind is DistributionType.MAX_DAYS:
        days = 0
        for time in times:
            days |= time.days
        return max(days.bit_count() - parameters[0], 0)
    groups = _day_week_groups(times, nr_days, nr_weeks)
    if kind is DistributionType.MAX_DAY_LOAD:
        limit = parameters[0]
        return sum(max(sum(time.length for time in group) - limit, 0) for group in groups)
    if kind is DistributionType.MAX_BREAKS:
        breaks, gap = parameters
        return sum(
            max(
                len(merge_blocks(((t.start, t.start + t.length) for t in group), gap)) - breaks - 1,
                0,
            )
            for group in groups
        )
    if kind is DistributionType.MAX_BLOCK:
        longest, gap = parameters
        return sum(
            1
            for group in groups
            for start, end, count in merge_blocks(
                ((t.start, t.start + t.length) for t in group), gap
            )
            if end - start > longest and count > 1
        )
    raise ValueError(f"unknown distribution type {kind!r}")


_PER_WEEK = frozenset(
    {DistributionType.MAX_DAY_LOAD, DistributionType.MAX_BREAKS, DistributionType.MAX_BLOCK}
)


def distribution_cost(distribution: Distribution, count: int, nr_weeks: int) -> int:
    """The cost of a soft distribution violated ``count`` times (0 for a required one)."""
    if distribution.required or not count:
        return 0
    if distribution.type in _PER_WEEK:
        return distribution.penalty * count // nr_weeks
    return distribution.penalty * count


@dataclass
class _Placement:
    """A solution read against its instance: per class number, its time, time option, room and
    room option (``None`` when absent or not among the options) and its students."""

    times: list[Time | None]
    time_options: list[int | None]
    rooms: list[int | None]
    room_options: list[int | None]
    students: list[list[int]]


def _bits(mask: int, length: int) -> str:
    return bits_to_string(mask, max(length, mask.bit_length()))


def _place(problem: Problem, solution: Solution, violations: list[HardViolation]) -> _Placement:
    index = problem.index
    count = len(index.classes)
    placement = _Placement([None] * count, [None] * count, [None] * count, [None] * count, [])
    student_sets: list[dict[int, None]] = [{} for _ in range(count)]
    seen: set[int] = set()
    unknown_students: set[str] = set()
    for item in solution.classes:
        number = index.class_number.get(item.class_id)
        if number is None:
            violations.append(
                HardViolation(HardKind.UNKNOWN_CLASS, item.class_id, (item.class_id,))
            )
            continue
        if number in seen:
            violations.append(
                HardViolation(HardKind.DUPLICATE_CLASS, item.class_id, (item.class_id,))
            )
            continue
        seen.add(number)
        times = index.class_times[number]
        option = next(
            (
                position
                for position, time in enumerate(times)
                if time.start == item.start and time.days == item.days and time.weeks == item.weeks
            ),
            None,
        )
        if option is None:
            violations.append(
                HardViolation(
                    HardKind.TIME_NOT_ALLOWED,
                    f"class {item.class_id}: days {_bits(item.days, problem.nr_days)}, "
                    f"start {item.start}, weeks {_bits(item.weeks, problem.nr_weeks)}",
                    (item.class_id,),
                )
            )
            # The length is the class's: that of a time starting at the same slot if any.
            length = next(
                (time.length for time in times if time.start == item.start), times[0].length
            )
            placement.times[number] = Time(item.days, item.start, length, item.weeks)
        else:
            placement.times[number] = times[option]
            placement.time_options[number] = option
        if item.room_id is None:
            if index.class_needs_room[number]:
                violations.append(
                    HardViolation(HardKind.ROOM_MISSING, item.class_id, (item.class_id,))
                )
        else:
            room = index.room_number.get(item.room_id)
            placement.rooms[number] = room
            rooms = index.class_rooms[number]
            if room is None or room not in rooms:
                violations.append(
                    HardViolation(
                        HardKind.ROOM_NOT_ALLOWED,
                        f"class {item.class_id}: room {item.room_id}",
                        (item.class_id,),
                    )
                )
            else:
                placement.room_options[number] = rooms.index(room)
        members = student_sets[number]
        for student_id in item.student_ids:
            student = index.student_number.get(student_id)
            if student is None:
                unknown_students.add(student_id)
            else:
                members[student] = None
    violations.extend(
        HardViolation(HardKind.UNKNOWN_STUDENT, student_id)
        for student_id in sorted(unknown_students)
    )
    for number, course_class in enumerate(index.classes):
        if number not in seen:
            violations.append(
                HardViolation(HardKind.UNASSIGNED_CLASS, course_class.id, (course_class.id,))
            )
    placement.students = [list(members) for members in student_sets]
    return placement


def _room_violations(
    problem: Problem, placement: _Placement, violations: list[HardViolation]
) -> None:
    index = problem.index
    ids = [course_class.id for course_class in index.classes]
    by_room: defaultdict[int, list[int]] = defaultdict(list)
    for number, (time, room) in enumerate(zip(placement.times, placement.rooms, strict=True)):
        if time is None or room is None:
            continue
        by_room[room].append(number)
        if any(time.overlaps(blocked) for blocked in index.room_unavailable[room]):
            violations.append(
                HardViolation(
                    HardKind.ROOM_UNAVAILABLE,
                    f"class {ids[number]} in room {problem.rooms[room].id}",
                    (ids[number],),
                )
            )
    for room, numbers in by_room.items():
        for first, second in combinations(numbers, 2):
            time = placement.times[first]
            other = placement.times[second]
            if time is not None and other is not None and time.overlaps(other):
                violations.append(
                    HardViolation(
                        HardKind.ROOM_CONFLICT,
                        f"classes {ids[first]} and {ids[second]} in room {problem.rooms[room].id}",
                        (ids[first], ids[second]),
                    )
                )


def _student_violations(
    problem: Problem, placement: _Placement, violations: list[HardViolation]
) -> list[list[int]]:
    """Course-structure and limit violations; returns each student's classes."""
    index = problem.index
    ids = [course_class.id for course_class in index.classes]
    student_classes: list[list[int]] = [[] for _ in problem.students]
    for number, members in enumerate(placement.students):
        if len(members) > index.class_limit[number]:
            violations.append(
                HardViolation(
                    HardKind.CLASS_LIMIT,
                    f"class {ids[number]}: {len(members)} students for {index.class_limit[number]}",
                    (ids[number],),
                )
            )
        for student in members:
            student_classes[student].append(number)
    for student, classes in enumerate(student_classes):
        student_id = problem.students[student].id
        requested = dict.fromkeys(index.student_courses[student])
        by_course: defaultdict[int, list[int]] = defaultdict(list)
        for number in classes:
            course = index.class_course[number]
            if course in requested:
                by_course[course].append(number)
            else:
                violations.append(
                    HardViolation(
                        HardKind.COURSE_NOT_REQUESTED,
                        f"student {student_id} in class {ids[number]}",
                        (ids[number],),
                    )
                )
        for course in requested:
            course_id = problem.courses[course].id
            enrolled = by_course.get(course, [])
            configs = {index.class_config[number] for number in enrolled}
            if not configs:
                violations.append(
                    HardViolation(
                        HardKind.COURSE_MISSING, f"student {student_id}, course {course_id}"
                    )
                )
                continue
            if len(configs) > 1:
                violations.append(
                    HardViolation(
                        HardKind.SEVERAL_CONFIGS,
                        f"student {student_id}, course {course_id}",
                        tuple(ids[number] for number in enrolled),
                    )
                )
                continue
            (config,) = configs
            per_subpart = Counter(index.class_subpart[number] for number in enrolled)
            for subpart in index.config_subparts[config]:
                taken = per_subpart.get(subpart, 0)
                if taken != 1:
                    violations.append(
                        HardViolation(
                            HardKind.SUBPART_MISSING if not taken else HardKind.SEVERAL_CLASSES,
                            f"student {student_id}, course {course_id}, "
                            f"subpart {index.subparts[subpart].id}",
                            tuple(
                                ids[number]
                                for number in enrolled
                                if index.class_subpart[number] == subpart
                            ),
                        )
                    )
        attended = set(classes)
        for number in classes:
            parent = index.class_parent[number]
            if parent >= 0 and parent not in attended:
                violations.append(
                    HardViolation(
                        HardKind.PARENT_MISSING,
                        f"student {student_id} in class {ids[number]} without class {ids[parent]}",
                        (ids[number], ids[parent]),
                    )
                )
    return student_classes


def _student_conflicts(
    problem: Problem, placement: _Placement, student_classes: Sequence[Sequence[int]]
) -> int:
    pairs: Counter[tuple[int, int]] = Counter()
    for classes in student_classes:
        placed = sorted(number for number in classes if placement.times[number] is not None)
        pairs.update(combinations(placed, 2))
    travel = problem.index.travel
    total = 0
    for (first, second), students in pairs.items():
        a = placement.times[first]
        b = placement.times[second]
        if (
            a is not None
            and b is not None
            and student_conflict(a, placement.rooms[first], b, placement.rooms[second], travel)
        ):
            total += students
    return total


def evaluate(problem: Problem, solution: Solution) -> Evaluation:
    """Evaluate a solution of ``problem`` exactly as the competition does."""
    index = problem.index
    violations: list[HardViolation] = []
    placement = _place(problem, solution, violations)
    _room_violations(problem, placement, violations)

    counts: list[int] = []
    penalties: list[int] = []
    for distribution, members in zip(
        problem.distributions, index.distribution_classes, strict=True
    ):
        placed: list[Placed] = []
        for number in members:
            time = placement.times[number]
            if time is not None:
                placed.append((time, placement.rooms[number]))
        count = violation_count(
            distribution.type,
            distribution.parameters,
            placed,
            index.travel,
            problem.nr_days,
            problem.nr_weeks,
        )
        counts.append(count)
        penalties.append(distribution_cost(distribution, count, problem.nr_weeks))
        if distribution.required and count:
            violations.append(
                HardViolation(
                    HardKind.DISTRIBUTION,
                    f"{distribution.type_name} on {', '.join(distribution.class_ids)}: "
                    f"{count} violation(s)",
                    distribution.class_ids,
                )
            )

    student_classes = _student_violations(problem, placement, violations)
    time_penalty = sum(
        index.class_time_penalties[number][option]
        for number, option in enumerate(placement.time_options)
        if option is not None
    )
    room_penalty = sum(
        index.class_room_penalties[number][option]
        for number, option in enumerate(placement.room_options)
        if option is not None
    )
    distribution_penalty = sum(penalties)
    conflicts = _student_conflicts(problem, placement, student_classes)
    weights = problem.optimization
    return Evaluation(
        violations=tuple(violations),
        time=time_penalty,
        room=room_penalty,
        distribution=distribution_penalty,
        student=conflicts,
        total=weights.time * time_penalty
        + weights.room * room_penalty
        + weights.distribution * distribution_penalty
        + weights.student * conflicts,
        distribution_counts=tuple(counts),
        distribution_penalties=tuple(penalties),
    )
