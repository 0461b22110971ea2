"""Student sectioning for a fixed timetable: each student gets, for each requested course, one
configuration and one class of each of its subparts with their parents, within class limits,
with as few student conflicts as possible (a greedy pass, then rounds of re-sectioning one
student's course at a time)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from .model import ProblemIndex
from .state import State

__all__ = ["CourseOptions", "improve_students", "section_students"]

#: The most enrolment options listed per course; larger courses are sectioned subpart by subpart.
MAX_OPTIONS = 3000
#: Cost of a class that is full, so that it is taken only when nothing else fits.
FULL = 1_000_000


class CourseOptions:
    """The ways of attending each course: tuples of class numbers, one per subpart of a
    configuration, with every parent included (``None`` for a course with too many)."""

    def __init__(self, index: ProblemIndex) -> None:
        self.index = index
        self.options: list[list[tuple[int, ...]] | None] = []
        for configs in index.course_configs:
            found: list[tuple[int, ...]] | None = []
            for config in configs:
                listed = self._config_options(config, MAX_OPTIONS - len(found or []))
                if listed is None or found is None:
                    found = None
                    break
                found.extend(listed)
            self.options.append(found)

    def _ordered_subparts(self, config: int) -> list[int]:
        """Subparts of a configuration, parents' subparts first."""
        index = self.index
        subparts = list(index.config_subparts[config])
        parent_of: dict[int, int] = {}
        for subpart in subparts:
            for number in index.subpart_classes[subpart]:
                parent = index.class_parent[number]
                if parent >= 0:
                    parent_of[subpart] = index.class_subpart[parent]
        ordered: list[int] = []
        placed: set[int] = set()

        def visit(subpart: int, depth: int) -> None:
            if subpart in placed or depth > len(subparts):
                return
            parent = parent_of.get(subpart)
            if parent is not None and parent in subparts:
                visit(parent, depth + 1)
            placed.add(subpart)
            ordered.append(subpart)

        for subpart in subparts:
            visit(subpart, 0)
        return ordered

    def _config_options(self, config: int, room: int) -> list[tuple[int, ...]] | None:
        index = self.index
        found: list[tuple[int, ...]] = []
        subparts = self._ordered_subparts(config)

        def extend(position: int, chosen: list[int]) -> bool:
            if position == len(subparts):
                found.append(tuple(chosen))
                return len(found) <= room
            taken = set(chosen)
            for number in index.subpart_classes[subparts[position]]:
                parent = index.class_parent[number]
                if parent >= 0 and parent not in taken:
                    continue
                chosen.append(number)
                fine = extend(position + 1, chosen)
                chosen.pop()
                if not fine:
                    return False
            return True

        return found if extend(0, []) else None

    def ordered_subparts(self, config: int) -> list[int]:
        return self._ordered_subparts(config)


def _best_option(
    state: State,
    options: CourseOptions,
    student: int,
    course: int,
    rng: random.Random,
) -> tuple[int, ...]:
    """The cheapest way for ``student`` to attend ``course`` given their other classes."""
    index = state.instance.index
    others = state.student_classes[student]
    conflict = state.conflicts_between
    class_cost: dict[int, int] = {}

    def cost_of(number: int) -> int:
        value = class_cost.get(number)
        if value is None:
            value = sum(1 for other in others if conflict(number, other))
            if len(state.enrolled[number]) >= index.class_limit[number]:
                value += FULL
            class_cost[number] = value
        return value

    listed = options.options[course]
    if listed is not None:
        best: tuple[int, ...] = ()
        best_value = -1
        ties = 0
        for option in listed:
            value = sum(cost_of(number) for number in option)
            if best_value >= 0 and value > best_value:
                continue
            for position, first in enumerate(option):
                for second in option[position + 1 :]:
                    if conflict(first, second):
                        value += 1
            if best_value < 0 or value < best_value:
                best, best_value, ties = option, value, 1
            elif value == best_value:
                ties += 1
                if rng.randrange(ties) == 0:
                    best = option
        return best
    # Too many combinations: choose the configuration, then one subpart at a time.
    best_choice: tuple[int, ...] = ()
    best_total = -1
    for config in index.course_configs[course]:
        chosen: list[int] = []
        total = 0
        for subpart in options.ordered_subparts(config):
            candidates = [
                number
                for number in index.subpart_classes[subpart]
                if index.class_parent[number] < 0 or index.class_parent[number] in chosen
            ]
            if not candidates:
                total += FULL * 10
                continue
            scored = [
                (cost_of(number) + sum(1 for other in chosen if conflict(number, other)), number)
                for number in candidates
            ]
            value, number = min(scored)
            chosen.append(number)
            total += value
        if best_total < 0 or total < best_total:
            best_choice, best_total = tuple(chosen), total
    return best_choice


def _course_classes(state: State, student: int, course: int) -> list[int]:
    index = state.instance.index
    return [
        number for number in state.student_classes[student] if index.class_course[number] == course
    ]


def section_students(
    state: State,
    options: CourseOptions,
    rng: random.Random,
    students: Sequence[int] | None = None,
) -> None:
    """Enrol every student (or the ones given) greedily, in a random order, the courses with
    the fewest options first."""
    index = state.instance.index
    students = list(range(len(index.student_courses)) if students is None else students)
    rng.shuffle(students)

    def option_count(course: int) -> int:
        listed = options.options[course]
        return MAX_OPTIONS if listed is None else len(listed)

    for student in students:
        for student_class in list(state.student_classes[student]):
            state.unenrol(student, [student_class])
        for course in sorted(dict.fromkeys(index.student_courses[student]), key=option_count):
            state.enrol(student, _best_option(state, options, student, course, rng))


def improve_students(
    state: State,
    options: CourseOptions,
    rng: random.Random,
    *,
    rounds: int = 3,
    students: Sequence[int] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Re-section students one course at a time while it lowers the cost; returns the number
    of changes made."""
    index = state.instance.index
    chosen = list(range(len(index.student_courses))) if students is None else list(students)
    changes = 0
    for _ in range(rounds):
        rng.shuffle(chosen)
        improved = 0
        for student in chosen:
            if should_stop is not None and should_stop():
                return changes
            for course in dict.fromkeys(index.student_courses[student]):
                current = _course_classes(state, student, course)
                before = state.cost().key
                state.unenrol(student, current)
                option = _best_option(state, options, student, course, rng)
                if sorted(option) == sorted(current):
                    state.enrol(student, current)
                    continue
                state.enrol(student, option)
                after = state.cost().key
                if after < before:
                    improved += 1
                elif after > before:
                    state.unenrol(student, option)
                    state.enrol(student, current)
        changes += improved
        if not improved:
            break
    return changes
