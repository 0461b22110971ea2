"""The course timetabling solver: CP-SAT construction, student sectioning, then large
neighbourhood search.

1. Construction: CP-SAT places every class that is not pinned (see :mod:`.cpsat`), with the
   time, room and distribution penalties and the conflicts between classes that students of
   single-class courses must attend together in the objective. A given initial solution is
   the hint. When it breaks a hard constraint, the classes of each violation (and the classes
   it does not place) are first re-placed by CP-SAT, every other class fixed, their
   distribution neighbours freed too when that is not enough; the full construction runs only
   when violations are left.
2. Sectioning: students are enrolled greedily, then re-sectioned course by course while it
   lowers the cost (:mod:`.students`).
3. Improvement: repeatedly a few classes (around a class that costs something, or a course)
   are freed and re-placed optimally by CP-SAT around the others, with the real student
   conflicts of the current enrolments in the objective; a move is kept when the exact cost
   (:class:`.state.State`) does not get worse, and the students of the moved classes are
   re-sectioned.

The best solution (fewest hard violations, then lowest total plus the change penalty) is
returned and checked with :func:`.evaluate.evaluate`.

Every phase works within ``time_limit``: CP-SAT models stop being built at the deadline, and
the re-sectioning and improvement loops check the clock (only the greedy sectioning, which
every solution needs, always runs whole).

Determinism: with ``deterministic=True`` every CP-SAT call runs with interleaved workers and a
deterministic-time budget, and the loop stops after ``iterations`` neighbourhoods, so the same
seed and budget give the same solution. ``time_limit`` still applies as a safety net; a run it
cuts short (or a wall-clock run) is reproducible only up to where it stopped.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from itertools import combinations
from time import monotonic

from .cpsat import SubproblemSettings, solve_subproblem
from .evaluate import Evaluation, evaluate
from .model import Problem, Solution, solution_from_choices
from .state import Choice, Cost, Instance, State
from .students import CourseOptions, improve_students, section_students

__all__ = ["Progress", "SolveResult", "solve"]

#: ``progress(elapsed_seconds, current_cost, best_cost, best_hard_violations)``.
Progress = Callable[[float, int, int, int], None]
#: Pairs of classes kept in the construction's estimate of student conflicts.
MAX_ESTIMATED_PAIRS = 3000


@dataclass(frozen=True)
class SolveResult:
    """The best solution found, its exact evaluation, and how the search went."""

    solution: Solution
    evaluation: Evaluation
    time_choices: tuple[int, ...]
    room_choices: tuple[int | None, ...]
    iterations: int
    elapsed: float
    changed_classes: int = 0


class _Clock:
    """Elapsed time, the stop condition and the throttled progress report."""

    def __init__(
        self, time_limit: float, should_stop: Callable[[], bool] | None, progress: Progress | None
    ) -> None:
        self.started = monotonic()
        self.time_limit = time_limit
        self.external = should_stop
        self.progress = progress
        self.reported = -1.0

    def elapsed(self) -> float:
        return monotonic() - self.started

    def left(self) -> float:
        return self.time_limit - self.elapsed()

    def should_stop(self) -> bool:
        return self.left() <= 0 or (self.external is not None and self.external())

    def report(self, current: Cost, best: Cost, *, force: bool = False) -> None:
        if self.progress is None:
            return
        elapsed = self.elapsed()
        if force or elapsed - self.reported >= 0.25:
            self.reported = elapsed
            self.progress(elapsed, current.total, best.total, best.hard)


def _initial_choices(instance: Instance, initial: Solution | None) -> list[Choice | None]:
    """Per class, the placement ``initial`` gives it (``None`` when missing or not listed)."""
    found: list[Choice | None] = [None] * instance.nr_classes
    if initial is None:
        return found
    index = instance.index
    for item in initial.classes:
        number = index.class_number.get(item.class_id)
        if number is None:
            continue
        time_option = next(
            (
                option
                for option, time in enumerate(instance.times[number])
                if (time.days, time.start, time.weeks) == (item.days, item.start, item.weeks)
            ),
            None,
        )
        if time_option is None:
            continue
        room_option: int | None = None
        if instance.rooms[number]:
            room = index.room_number.get(item.room_id or "")
            if room is None or room not in instance.rooms[number]:
                continue
            room_option = instance.rooms[number].index(room)
        found[number] = (time_option, room_option)
    return found


def _initial_enrolments(instance: Instance, initial: Solution) -> list[list[int]]:
    index = instance.index
    classes: list[list[int]] = [[] for _ in index.student_courses]
    for item in initial.classes:
        number = index.class_number.get(item.class_id)
        if number is None:
            continue
        for student_id in item.student_ids:
            student = index.student_number.get(student_id)
            if student is not None:
                classes[student].append(number)
    return classes


def _estimated_pairs(instance: Instance) -> dict[tuple[int, int], int]:
    """Pairs of classes students must attend together whatever the sectioning (classes
    alone in their subpart of a course with one configuration), weighted by those students."""
    index = instance.index
    forced: list[tuple[int, ...]] = []
    for configs in index.course_configs:
        if len(configs) != 1:
            forced.append(())
            continue
        forced.append(
            tuple(
                index.subpart_classes[subpart][0]
                for subpart in index.config_subparts[configs[0]]
                if len(index.subpart_classes[subpart]) == 1
            )
        )
    counts: Counter[tuple[int, int]] = Counter()
    for courses in index.student_courses:
        classes = sorted({number for course in courses for number in forced[course]})
        counts.update(combinations(classes, 2))
    return dict(counts.most_common(MAX_ESTIMATED_PAIRS))


class _Search:
    """The improvement loop over one state."""

    def __init__(
        self,
        state: State,
        options: CourseOptions,
        movable: list[int],
        rng: random.Random,
        clock: _Clock,
        seed: int,
        deterministic: bool,
    ) -> None:
        self.state = state
        self.options = options
        self.movable = movable
        self.movable_set = set(movable)
        self.rng = rng
        self.clock = clock
        self.seed = seed
        self.deterministic = deterministic
        self.size = 10
        self.best = state.cost()
        self.best_choices = list(state.choices)
        self.best_students = [list(classes) for classes in state.student_classes]
        self.iterations = 0
        self._costly: list[int] = []

    def remember(self) -> None:
        cost = self.state.cost()
        if cost.key < self.best.key:
            self.best = cost
            self.best_choices = list(self.state.choices)
            self.best_students = [list(classes) for classes in self.state.student_classes]
        self.clock.report(cost, self.best)

    def _refresh_costly(self) -> None:
        """Classes that cost something now, listed once per unit of cost (roughly)."""
        state = self.state
        instance = state.instance
        weights = instance.weights
        costly: list[int] = []
        for (first, second), count in state.pair_students.items():
            if state.conflicts_between(first, second):
                costly.extend([first, second] * min(count * weights.student // 10 + 1, 5))
        for number, distribution_count in enumerate(state.distribution_counts):
            if distribution_count and not instance.distributions[number].required:
                costly.extend(list(instance.distribution_classes[number]) * 2)
        if state.cost().hard > state.student_hard():
            for group in state.hard_groups():
                costly.extend(list(group) * 20)
        for number in self.movable:
            penalty = instance.choice_penalty(number, state.choices[number])
            if penalty:
                costly.extend([number] * min(penalty // 5 + 1, 3))
        self._costly = sorted(number for number in costly if number in self.movable_set)

    def neighbourhood(self) -> list[int]:
        rng = self.rng
        state = self.state
        instance = state.instance
        if self.iterations % 10 == 0:
            self._refresh_costly()
        if rng.random() < 0.15:
            course = instance.index.class_course[rng.choice(self.movable)]
            free = [
                number for number in self.movable if instance.index.class_course[number] == course
            ]
            rng.shuffle(free)
            return free[: self.size * 2]
        if self._costly and rng.random() < 0.85:
            start = rng.choice(self._costly)
        else:
            start = rng.choice(self.movable)
        chosen = [start]
        seen = {start}
        frontier = [start]
        while frontier and len(chosen) < self.size:
            number = frontier.pop(rng.randrange(len(frontier)))
            linked = list(instance.distribution_neighbours[number])
            partners = sorted(state.partners[number].items(), key=lambda item: (-item[1], item[0]))
            linked += [other for other, _ in partners[:8]]
            rng.shuffle(linked)
            for other in linked:
                if other in seen or other not in self.movable_set:
                    continue
                seen.add(other)
                chosen.append(other)
                frontier.append(other)
                if len(chosen) >= self.size:
                    break
        return chosen

    def step(self) -> None:
        state = self.state
        free = self.neighbourhood()
        self.iterations += 1
        if not free:
            return
        if self.deterministic:
            settings = SubproblemSettings(
                seed=self.seed + self.iterations,
                time_limit=max(self.clock.left(), 0.05),
                deterministic_time=0.3,
                should_stop=self.clock.external,
            )
        else:
            settings = SubproblemSettings(
                seed=self.seed + self.iterations,
                time_limit=min(1.0, max(self.clock.left(), 0.05)),
                should_stop=self.clock.external,
            )
        result = solve_subproblem(state, free, settings)
        if result.choices is None:
            self.size = max(4, self.size - 1)
            return
        if result.optimal:
            self.size = min(40, self.size + 1)
        else:
            self.size = max(4, self.size - 1)
        before = state.cost()
        changes = {
            number: choice
            for number, choice in result.choices.items()
            if choice != state.choices[number]
        }
        if not changes:
            return
        after = state.try_changes(changes)
        if after.key > before.key:
            return
        state.apply(changes)
        students = sorted({student for number in changes for student in state.enrolled[number]})
        if students:
            improve_students(
                state,
                self.options,
                self.rng,
                rounds=1,
                students=students,
                should_stop=self.clock.should_stop,
            )
        self.remember()


def _repair(
    state: State,
    movable: list[int],
    missing: Collection[int],
    clock: _Clock,
    seed: int,
    deterministic: bool,
    budget: float,
) -> None:
    """Re-place the classes of each hard violation (and the classes without a valid initial
    placement), every other class staying where it is; when that cannot be done, their
    neighbours (classes sharing a distribution with them) are freed too, a ring at a time."""
    instance = state.instance
    movable_set = set(movable)
    stop_at = float("inf") if deterministic else clock.elapsed() + budget
    groups = [(tuple(sorted(missing)), True)] if missing else []
    groups += [(group, False) for group in state.hard_groups()]
    attempts = 0
    for group, forced in groups:
        for rings in range(3):
            if clock.should_stop() or clock.elapsed() >= stop_at:
                return
            before = state.cost()
            free = {number for number in group if number in movable_set}
            if not forced:
                violating = {number for found in state.hard_groups() for number in found}
                free &= violating
            if not free:
                break
            for _ in range(rings):
                free |= {
                    other
                    for number in free
                    for other in instance.distribution_neighbours[number]
                    if other in movable_set
                }
            attempts += 1
            if deterministic:
                settings = SubproblemSettings(
                    seed=seed + attempts,
                    time_limit=max(clock.left(), 0.05),
                    deterministic_time=0.5 * (rings + 1),
                    should_stop=clock.external,
                )
            else:
                left = min(clock.left(), stop_at - clock.elapsed())
                settings = SubproblemSettings(
                    seed=seed + attempts,
                    time_limit=max(min(left, 2.0 * (rings + 1)), 0.05),
                    should_stop=clock.external,
                )
            result = solve_subproblem(state, sorted(free), settings, {})
            if result.choices is None:
                continue
            changes = {
                number: choice
                for number, choice in result.choices.items()
                if choice != state.choices[number]
            }
            if changes and state.try_changes(changes).key < before.key:
                state.apply(changes)
                break


def _construct(
    state: State,
    movable: list[int],
    clock: _Clock,
    seed: int,
    deterministic: bool,
    time_limit: float,
    construction_time: float | None,
) -> None:
    """Place the movable classes: first any feasible placement, then a good one."""
    for phase in ("feasible", "good"):
        if clock.should_stop():
            return
        if deterministic:
            budget = 20.0 if construction_time is None else construction_time
            settings = SubproblemSettings(
                seed=seed,
                time_limit=max(clock.left(), 0.05),
                deterministic_time=budget / 2,
                should_stop=clock.external,
                objective=phase == "good",
            )
        else:
            limit = 0.4 * time_limit if construction_time is None else construction_time
            settings = SubproblemSettings(
                seed=seed,
                time_limit=max(min(limit / 2, clock.left()), 0.05),
                should_stop=clock.external,
                objective=phase == "good",
                build_time_limit=max(clock.left(), 0.05),
            )
        weights = _estimated_pairs(state.instance) if phase == "good" else {}
        result = solve_subproblem(state, movable, settings, weights)
        if result.choices is not None:
            state.apply(result.choices)


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    deterministic: bool = False,
    iterations: int | None = None,
    construction_time: float | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    initial: Solution | None = None,
    pinned: Collection[str] = (),
    change_penalty: int = 0,
) -> SolveResult:
    """Solve ``problem`` within ``time_limit`` seconds (or until ``should_stop()``).

    ``deterministic`` runs CP-SAT on deterministic-time budgets and stops after
    ``iterations`` improvement steps (default 200), so that a seed gives one solution.
    ``initial`` is a solution to start from; the classes whose ids are in ``pinned`` keep the
    time and room ``initial`` gives them; ``change_penalty`` is added to the objective for each
    class placed differently from ``initial``. ``construction_time`` caps the construction
    (default: 40 % of the time limit, or a deterministic-time budget of 20 in deterministic
    mode).
    """
    clock = _Clock(time_limit, should_stop, progress)
    rng = random.Random(seed)
    instance = Instance(problem)
    index = instance.index
    given = _initial_choices(instance, initial)
    pinned_numbers = {index.class_number[id_] for id_ in pinned if id_ in index.class_number}
    missing_pins = sorted(
        index.classes[number].id for number in pinned_numbers if given[number] is None
    )
    if missing_pins:
        raise ValueError(f"pinned classes without a valid placement in initial: {missing_pins}")
    choices = [
        found if found is not None else instance.choices[number][0]
        for number, found in enumerate(given)
    ]
    state = State(
        instance,
        choices,
        reference=given if change_penalty else (),
        change_penalty=change_penalty,
    )
    movable = [number for number in range(instance.nr_classes) if number not in pinned_numbers]
    placement_hard = state.cost().hard - state.student_hard()
    if movable and initial is not None and placement_hard:
        if deterministic:
            repair_time = 20.0 if construction_time is None else construction_time
        else:
            repair_time = 0.3 * time_limit if construction_time is None else construction_time
        missing = [number for number in movable if given[number] is None]
        _repair(state, movable, missing, clock, seed, deterministic, repair_time)
        placement_hard = state.cost().hard - state.student_hard()
    if movable and (initial is None or placement_hard):
        _construct(state, movable, clock, seed, deterministic, time_limit, construction_time)
    options = CourseOptions(index)
    if initial is not None and any(item.student_ids for item in initial.classes):
        for student, classes in enumerate(_initial_enrolments(instance, initial)):
            if classes:
                state.enrol(student, classes)
        missing = [
            student
            for student, classes in enumerate(state.student_classes)
            if not classes and index.student_courses[student]
        ]
        section_students(state, options, rng, students=missing)
    else:
        section_students(state, options, rng)
    improve_students(state, options, rng, rounds=2, should_stop=clock.should_stop)
    search = _Search(state, options, movable, rng, clock, seed, deterministic)
    search.remember()
    budget = iterations if iterations is not None else (200 if deterministic else None)
    while movable and not clock.should_stop():
        if budget is not None and search.iterations >= budget:
            break
        search.step()
        if search.iterations % 50 == 0:
            improve_students(state, options, rng, rounds=1, should_stop=clock.should_stop)
            search.remember()
    clock.report(state.cost(), search.best, force=True)
    enrolments: list[list[int]] = [[] for _ in range(instance.nr_classes)]
    for student, classes in enumerate(search.best_students):
        for number in classes:
            enrolments[number].append(student)
    best = search.best_choices
    elapsed = clock.elapsed()
    solution = solution_from_choices(
        problem,
        [choice[0] for choice in best],
        [choice[1] for choice in best],
        [sorted(members) for members in enrolments],
        runtime=round(elapsed, 3),
        cores=2,
        technique="CP-SAT construction, student sectioning, CP-SAT large neighbourhood search",
    )
    changed = sum(
        1
        for number, choice in enumerate(best)
        if given[number] is not None and given[number] != choice
    )
    return SolveResult(
        solution=solution,
        evaluation=evaluate(problem, solution),
        time_choices=tuple(choice[0] for choice in best),
        room_choices=tuple(choice[1] for choice in best),
        iterations=search.iterations,
        elapsed=elapsed,
        changed_classes=changed,
    )
