"""The working state of the course solver: a placement (time and room option per class) and
the students' enrolments, with the exact cost kept up to date as classes move.

The cost has the same four soft components as :func:`.evaluate.evaluate` and counts the hard
violations a placement can have (room conflicts, unavailable rooms, required distributions,
class limits and unmet course requests), so that a move can be judged by its delta without
re-evaluating the whole solution.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .evaluate import Placed, distribution_cost, pair_holds, student_conflict, violation_count
from .model import Distribution, Problem, ProblemIndex

__all__ = ["Cost", "Instance", "State"]

#: A class's placement: its time option number and room option number (``None`` without room).
Choice = tuple[int, int | None]


@dataclass(frozen=True, slots=True)
class Cost:
    """Hard violations, the four raw soft components and the weighted total; ``extra`` is the
    penalty for moving classes away from a reference placement."""

    hard: int
    time: int
    room: int
    distribution: int
    student: int
    total: int
    extra: int = 0

    @property
    def key(self) -> tuple[int, int]:
        """What the solver minimises: hard violations first, then the penalised total."""
        return (self.hard, self.total + self.extra)


class Instance:
    """An instance prepared for the solver: per class its placements, i.e. the (time option,
    room option) pairs whose room is available at that time."""

    def __init__(self, problem: Problem) -> None:
        index = problem.index
        self.problem = problem
        self.index: ProblemIndex = index
        self.nr_classes = len(index.classes)
        self.weights = problem.optimization
        self.times = index.class_times
        self.time_penalties = index.class_time_penalties
        self.rooms = index.class_rooms
        self.room_penalties = index.class_room_penalties
        self.travel = index.travel
        self.distributions: tuple[Distribution, ...] = problem.distributions
        self.distribution_classes = index.distribution_classes
        self.class_distributions = index.class_distributions
        choices: list[tuple[Choice, ...]] = []
        for number in range(self.nr_classes):
            found: list[Choice] = []
            for time_option, time in enumerate(self.times[number]):
                if not self.rooms[number]:
                    found.append((time_option, None))
                    continue
                for room_option, room in enumerate(self.rooms[number]):
                    if not any(time.overlaps(blocked) for blocked in index.room_unavailable[room]):
                        found.append((time_option, room_option))
            choices.append(tuple(found))
        self.choices: tuple[tuple[Choice, ...], ...] = tuple(choices)
        related: list[set[int]] = [set() for _ in range(self.nr_classes)]
        for members in self.distribution_classes:
            for member in members:
                related[member].update(members)
        for number in range(self.nr_classes):
            related[number].discard(number)
        self.distribution_neighbours: tuple[tuple[int, ...], ...] = tuple(
            tuple(sorted(found)) for found in related
        )

    def placed(self, number: int, choice: Choice) -> Placed:
        """The time and room number of a class placed at ``choice``."""
        time_option, room_option = choice
        room = None if room_option is None else self.rooms[number][room_option]
        return self.times[number][time_option], room

    def choice_penalty(self, number: int, choice: Choice) -> int:
        """The weighted time and room penalty of a placement."""
        time_option, room_option = choice
        penalty = self.weights.time * self.time_penalties[number][time_option]
        if room_option is not None:
            penalty += self.weights.room * self.room_penalties[number][room_option]
        return penalty


@dataclass
class _Totals:
    hard: int = 0
    time: int = 0
    room: int = 0
    distribution: int = 0
    student: int = 0
    extra: int = 0


@dataclass
class State:
    """A placement of every class with the students' enrolments, and their exact cost.

    ``enrolled[k]`` lists the students of class ``k``; ``pair_students`` counts, per pair of
    classes ``(a, b)`` with ``a < b``, the students attending both. ``reference`` and
    ``change_penalty`` price each class placed differently from a reference placement.
    """

    instance: Instance
    choices: list[Choice]
    enrolled: list[set[int]] = field(default_factory=list)
    student_classes: list[list[int]] = field(default_factory=list)
    reference: Sequence[Choice | None] = ()
    change_penalty: int = 0
    pair_students: dict[tuple[int, int], int] = field(default_factory=dict)
    partners: list[dict[int, int]] = field(default_factory=list)
    room_classes: dict[int, set[int]] = field(default_factory=dict)
    distribution_counts: list[int] = field(default_factory=list)
    totals: _Totals = field(default_factory=_Totals)

    def __post_init__(self) -> None:
        instance = self.instance
        count = instance.nr_classes
        if not self.enrolled:
            self.enrolled = [set() for _ in range(count)]
        if not self.student_classes:
            self.student_classes = [[] for _ in instance.problem.students]
        self.partners = [{} for _ in range(count)]
        self.pair_students = {}
        for classes in self.student_classes:
            self._add_student_pairs(classes, 1)
        self.recompute()

    # -- bookkeeping -------------------------------------------------------------------------

    def _add_student_pairs(self, classes: Sequence[int], sign: int) -> None:
        ordered = sorted(classes)
        for position, first in enumerate(ordered):
            for second in ordered[position + 1 :]:
                key = (first, second)
                value = self.pair_students.get(key, 0) + sign
                if value:
                    self.pair_students[key] = value
                    self.partners[first][second] = value
                    self.partners[second][first] = value
                else:
                    self.pair_students.pop(key, None)
                    self.partners[first].pop(second, None)
                    self.partners[second].pop(first, None)

    def placed(self, number: int) -> Placed:
        return self.instance.placed(number, self.choices[number])

    def room_of(self, number: int) -> int | None:
        return self.placed(number)[1]

    def recompute(self) -> None:
        """Recompute every total from scratch."""
        instance = self.instance
        self.room_classes = defaultdict(set)
        for number in range(instance.nr_classes):
            room = self.room_of(number)
            if room is not None:
                self.room_classes[room].add(number)
        totals = _Totals()
        for number in range(instance.nr_classes):
            time_option, room_option = self.choices[number]
            totals.time += instance.time_penalties[number][time_option]
            if room_option is not None:
                totals.room += instance.room_penalties[number][room_option]
            totals.extra += self.change_cost(number, self.choices[number])
            totals.hard += self._unavailable(number)
        totals.hard += self._room_conflicts(range(instance.nr_classes))
        self.distribution_counts = []
        for number in range(len(instance.distributions)):
            count = self._distribution_count(number)
            self.distribution_counts.append(count)
            hard, cost = self._distribution_value(number, count)
            totals.hard += hard
            totals.distribution += cost
        totals.student = sum(
            weight for (a, b), weight in self.pair_students.items() if self._conflict(a, b)
        )
        totals.hard += self.student_hard()
        self.totals = totals

    def change_cost(self, number: int, choice: Choice) -> int:
        if not self.change_penalty or number >= len(self.reference):
            return 0
        reference = self.reference[number]
        return 0 if reference is None or reference == choice else self.change_penalty

    def _unavailable(self, number: int) -> int:
        time, room = self.placed(number)
        if room is None:
            return 0
        blocked = self.instance.index.room_unavailable[room]
        return int(any(time.overlaps(other) for other in blocked))

    def _room_conflicts(self, numbers: Iterable[int]) -> int:
        """Room conflicts of pairs with at least one class among ``numbers``."""
        chosen = set(numbers)
        found = 0
        for number in chosen:
            time, room = self.placed(number)
            if room is None:
                continue
            for other in self.room_classes.get(room, ()):
                if other == number or (other in chosen and other < number):
                    continue
                if time.overlaps(self.placed(other)[0]):
                    found += 1
        return found

    def _distribution_count(self, number: int) -> int:
        instance = self.instance
        distribution = instance.distributions[number]
        placed = [self.placed(member) for member in instance.distribution_classes[number]]
        return violation_count(
            distribution.type,
            distribution.parameters,
            placed,
            instance.travel,
            instance.problem.nr_days,
            instance.problem.nr_weeks,
        )

    def _distribution_value(self, number: int, count: int) -> tuple[int, int]:
        distribution = self.instance.distributions[number]
        if distribution.required:
            return count, 0
        return 0, distribution_cost(distribution, count, self.instance.problem.nr_weeks)

    def _conflict(self, a: int, b: int) -> bool:
        time_a, room_a = self.placed(a)
        time_b, room_b = self.placed(b)
        return student_conflict(time_a, room_a, time_b, room_b, self.instance.travel)

    def student_hard(self) -> int:
        """Class-limit excess and course requests without classes."""
        index = self.instance.index
        excess = sum(
            max(len(members) - index.class_limit[number], 0)
            for number, members in enumerate(self.enrolled)
        )
        missing = 0
        for student, classes in enumerate(self.student_classes):
            courses = {index.class_course[number] for number in classes}
            missing += sum(1 for course in index.student_courses[student] if course not in courses)
        return excess + missing

    # -- costs ---------------------------------------------------------------------------------

    def cost(self) -> Cost:
        totals = self.totals
        weights = self.instance.weights
        return Cost(
            hard=totals.hard,
            time=totals.time,
            room=totals.room,
            distribution=totals.distribution,
            student=totals.student,
            total=weights.time * totals.time
            + weights.room * totals.room
            + weights.distribution * totals.distribution
            + weights.student * totals.student,
            extra=totals.extra,
        )

    def _local(self, numbers: Sequence[int]) -> tuple[_Totals, dict[int, int]]:
        """The part of the totals that depends on the placement of ``numbers``."""
        instance = self.instance
        chosen = set(numbers)
        local = _Totals()
        for number in chosen:
            time_option, room_option = self.choices[number]
            local.time += instance.time_penalties[number][time_option]
            if room_option is not None:
                local.room += instance.room_penalties[number][room_option]
            local.extra += self.change_cost(number, self.choices[number])
            local.hard += self._unavailable(number)
        local.hard += self._room_conflicts(chosen)
        touched: set[int] = set()
        for number in chosen:
            touched.update(instance.class_distributions[number])
        counts: dict[int, int] = {}
        for distribution in touched:
            count = self._distribution_count(distribution)
            counts[distribution] = count
            hard, cost = self._distribution_value(distribution, count)
            local.hard += hard
            local.distribution += cost
        for number in chosen:
            for other, weight in self.partners[number].items():
                if other in chosen and other < number:
                    continue
                if self._conflict(number, other):
                    local.student += weight
        return local, counts

    def _move_rooms(self, changes: Mapping[int, Choice]) -> None:
        for number, choice in changes.items():
            old = self.room_of(number)
            if old is not None:
                self.room_classes[old].discard(number)
            self.choices[number] = choice
            new = self.room_of(number)
            if new is not None:
                self.room_classes.setdefault(new, set()).add(number)

    def apply(self, changes: Mapping[int, Choice]) -> None:
        """Move classes to new placements, keeping the totals exact."""
        numbers = [number for number, choice in changes.items() if self.choices[number] != choice]
        if not numbers:
            return
        before, _ = self._local(numbers)
        self._move_rooms({number: changes[number] for number in numbers})
        after, counts = self._local(numbers)
        for name in ("hard", "time", "room", "distribution", "student", "extra"):
            setattr(
                self.totals,
                name,
                getattr(self.totals, name) + getattr(after, name) - getattr(before, name),
            )
        for distribution, count in counts.items():
            self.distribution_counts[distribution] = count

    def try_changes(self, changes: Mapping[int, Choice]) -> Cost:
        """The cost the state would have after ``changes`` (the state is left as it was)."""
        old = {number: self.choices[number] for number in changes}
        old_counts = list(self.distribution_counts)
        self.apply(changes)
        cost = self.cost()
        self.apply(old)
        self.distribution_counts = old_counts
        return cost

    # -- students ----------------------------------------------------------------------------

    def enrol(self, student: int, classes: Sequence[int]) -> None:
        """Add a student to classes (the student's other classes stay)."""
        self._change_student(student, classes, 1)

    def unenrol(self, student: int, classes: Sequence[int]) -> None:
        """Remove a student from classes."""
        self._change_student(student, classes, -1)

    def _change_student(self, student: int, classes: Sequence[int], sign: int) -> None:
        index = self.instance.index
        current = self.student_classes[student]
        changed = list(dict.fromkeys(classes))
        changed_set = set(changed)
        others = [number for number in current if number not in changed_set]
        conflicts = sum(1 for a in changed for b in others if self._conflict(a, b)) + sum(
            1
            for position, a in enumerate(changed)
            for b in changed[position + 1 :]
            if self._conflict(a, b)
        )
        missing_before = self._missing(student)
        excess_before = sum(
            max(len(self.enrolled[number]) - index.class_limit[number], 0) for number in changed
        )
        self._add_pairs(changed, others, sign)
        if sign > 0:
            current.extend(changed)
            for number in changed:
                self.enrolled[number].add(student)
        else:
            current[:] = others
            for number in changed:
                self.enrolled[number].discard(student)
        excess_after = sum(
            max(len(self.enrolled[number]) - index.class_limit[number], 0) for number in changed
        )
        self.totals.student += sign * conflicts
        self.totals.hard += excess_after - excess_before + self._missing(student) - missing_before

    def _add_pairs(self, changed: Sequence[int], others: Sequence[int], sign: int) -> None:
        pairs = [(a, b) for a in changed for b in others]
        pairs += [(a, b) for position, a in enumerate(changed) for b in changed[position + 1 :]]
        for a, b in pairs:
            key = (a, b) if a < b else (b, a)
            value = self.pair_students.get(key, 0) + sign
            first, second = key
            if value:
                self.pair_students[key] = value
                self.partners[first][second] = value
                self.partners[second][first] = value
            else:
                self.pair_students.pop(key, None)
                self.partners[first].pop(second, None)
                self.partners[second].pop(first, None)

    def _missing(self, student: int) -> int:
        index = self.instance.index
        courses = {index.class_course[number] for number in self.student_classes[student]}
        return sum(1 for course in index.student_courses[student] if course not in courses)

    def hard_groups(self) -> list[tuple[int, ...]]:
        """The hard violations of the placement, each as the classes involved: a class in an
        unavailable room, two classes using a room at once, the classes of a violated required
        distribution (for a pairwise one, those of its violating pairs only)."""
        instance = self.instance
        groups: list[tuple[int, ...]] = [
            (number,) for number in range(instance.nr_classes) if self._unavailable(number)
        ]
        for room in sorted(self.room_classes):
            ordered = sorted(self.room_classes[room])
            for position, first in enumerate(ordered):
                time = self.placed(first)[0]
                for second in ordered[position + 1 :]:
                    if time.overlaps(self.placed(second)[0]):
                        groups.append((first, second))
        for number, count in enumerate(self.distribution_counts):
            distribution = instance.distributions[number]
            if not count or not distribution.required:
                continue
            members = instance.distribution_classes[number]
            if not distribution.type.is_pairwise:
                groups.append(tuple(sorted(set(members))))
                continue
            found: set[int] = set()
            for position, first in enumerate(members):
                for second in members[position + 1 :]:
                    if not pair_holds(
                        distribution.type,
                        distribution.parameters,
                        self.placed(first),
                        self.placed(second),
                        instance.travel,
                    ):
                        found.update((first, second))
            if found:
                groups.append(tuple(sorted(found)))
        return groups

    def conflicts_between(self, a: int, b: int) -> bool:
        """Whether one student cannot attend both classes as placed now."""
        return self._conflict(a, b)
