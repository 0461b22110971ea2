"""Student sectioning: after the enrolment campaign, put each student in one group of every
activity of each UE they chose, so that no two of their meetings overlap (on dated weeks:
alternating weeks do not clash), no group exceeds its capacity, attached groups go together
(a TP group with its TD group), group sizes stay balanced, and a re-run after late changes
moves as few students as possible from the published sectioning.

Two phases:

1. *Construction.* Students are placed one by one, hardest first (fewest possible
   combinations), by a depth-first search over their UEs that tries the emptiest groups first
   and the student's published groups before anything else. A student whose UEs cannot all be
   placed keeps as many as possible; each UE left out is explained: either its compatible
   groups are full, or it clashes with a named set of the student's other UEs (an irreducible
   set found by a deletion filter, capacities aside).
2. *Improvement.* A loop of small CP-SAT problems, one UE at a time with every other UE of its
   students fixed: choose each student's combination of this UE's groups to place the most
   students, then balance the groups (sizes proportional to capacities), then move the fewest
   students from the published sectioning. Each subproblem starts from the current solution
   (given as a hint) and is kept only if it is not worse, so the loop is anytime: stopping it
   returns the best solution so far.

With ``deterministic=True`` each subproblem is bounded by CP-SAT's deterministic time and
searches with interleaved workers, so a run with the same seed and budget gives the same
sectioning; otherwise subproblems are bounded by wall-clock time and both cores race.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

#: placing a student outweighs any balance; moving one outweighs three students of imbalance
MOVE_WEIGHT_STUDENTS = 3
NODE_BUDGET = 4000


@dataclass(frozen=True)
class Meeting:
    """A weekly meeting: ``days`` and ``weeks`` are bit masks (bit 0: Monday, week 1)."""

    days: int
    start: int  # minutes from midnight
    end: int
    weeks: int

    def overlaps(self, other: Meeting) -> bool:
        return (
            bool(self.days & other.days)
            and bool(self.weeks & other.weeks)
            and self.start < other.end
            and other.start < self.end
        )


@dataclass(frozen=True)
class Group:
    """A group of an activity; a group with a ``parent`` (a group of another activity of the
    same UE) is taken together with it."""

    id: str
    activity: str
    capacity: int
    meetings: tuple[Meeting, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class Activity:
    id: str
    course: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Course:
    """A UE (offer) of the semester: every student takes one group of each activity."""

    id: str
    activities: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    courses: Mapping[str, Course]
    activities: Mapping[str, Activity]
    groups: Mapping[str, Group]
    #: student → the courses they chose
    requests: Mapping[str, tuple[str, ...]]
    #: student → activity → group, as published (re-runs move as few as possible)
    previous: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Unplaced:
    """A course a student could not be put in, and why: ``capacity`` (the compatible groups
    are full), ``conflict`` (it clashes with the courses in ``clashes_with``), ``no_groups``
    (the course has an activity without groups)."""

    student: str
    course: str
    reason: str
    clashes_with: tuple[str, ...] = ()
    activity: str = ""


@dataclass(frozen=True)
class GroupFill:
    group: str
    activity: str
    size: int
    capacity: int


@dataclass(frozen=True)
class Balance:
    """How even the groups are, over activities with two groups or more."""

    groups: int
    largest_fill: float  # size / capacity, the fullest group
    smallest_fill: float
    share_off_mean: float  # share of groups more than 10 % away from their activity's mean
    largest_gap: int  # the largest difference of sizes between two groups of one activity


@dataclass
class Result:
    #: student → activity → group
    assignment: dict[str, dict[str, str]]
    unplaced: list[Unplaced]
    fills: list[GroupFill]
    balance: Balance
    students: int
    fully_sectioned: int
    moved: int  # students whose groups differ from the published ones
    iterations: int
    elapsed: float
    history: list[tuple[float, int, int]] = field(default_factory=list)  # (s, unplaced, dev)


Progress = Callable[[float, str], None]


def _masks(groups: Iterable[Group]) -> dict[str, int]:
    """Each group's meetings as a bit set of dated time cells (week × day × step of the
    coarsest grid that all start and end times fall on): two groups overlap on some dated
    occurrence exactly when their sets intersect."""
    groups = list(groups)
    meetings = [m for g in groups for m in g.meetings]
    if not meetings:
        return {g.id: 0 for g in groups}
    step = 0
    for m in meetings:
        step = math.gcd(step, m.start, m.end)
    step = step or 1
    first = min(m.start for m in meetings) // step
    cells = max(m.end for m in meetings) // step - first
    days = max(m.days.bit_length() for m in meetings)
    found = {}
    for group in groups:
        mask = 0
        for m in group.meetings:
            run = ((1 << (m.end - m.start) // step) - 1) << (m.start // step - first)
            for week in range(m.weeks.bit_length()):
                if not m.weeks >> week & 1:
                    continue
                for day in range(days):
                    if m.days >> day & 1:
                        mask |= run << ((week * days + day) * cells)
        found[group.id] = mask
    return found


class _State:
    """The incumbent: each student's chosen combination per course, and group loads."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.options: dict[str, list[tuple[str, ...]]] = {}
        self.group_mask = _masks(problem.groups.values())
        self.combo_mask: dict[tuple[str, ...], int] = {}
        self.load: dict[str, int] = defaultdict(int)
        self.chosen: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
        self.previous_combo: dict[tuple[str, str], tuple[str, ...]] = {}
        for course in problem.courses.values():
            self.options[course.id] = self._combinations(course)
        for student, groups in problem.previous.items():
            for course_id in problem.requests.get(student, ()):
                known = problem.courses.get(course_id)
                if known is None:
                    continue
                combo = tuple(groups.get(a, "") for a in known.activities)
                if all(combo) and combo in set(self.options[course_id]):
                    self.previous_combo[(student, course_id)] = combo

    def mask(self, combo: tuple[str, ...]) -> int:
        """The dated time cells a combination occupies."""
        found = self.combo_mask.get(combo)
        if found is None:
            found = 0
            for g in combo:
                found |= self.group_mask[g]
            self.combo_mask[combo] = found
        return found

    def combos_clash(self, x: tuple[str, ...], y: tuple[str, ...]) -> bool:
        return bool(self.mask(x) & self.mask(y))

    def _combinations(self, course: Course) -> list[tuple[str, ...]]:
        """Every choice of one group per activity that respects attachments and has no
        overlap inside the course."""
        problem = self.problem
        activities = [problem.activities[a] for a in course.activities]
        if not activities or any(not a.groups for a in activities):
            return []
        position = {a.id: i for i, a in enumerate(activities)}
        found = []
        for combo in itertools.product(*(a.groups for a in activities)):
            ok = True
            for group_id in combo:
                parent = problem.groups[group_id].parent
                if parent is not None:
                    parent_activity = problem.groups[parent].activity
                    if parent_activity in position and combo[position[parent_activity]] != parent:
                        ok = False
                        break
            if ok and not any(
                self.group_mask[a] & self.group_mask[b] for a, b in itertools.combinations(combo, 2)
            ):
                found.append(combo)
        return found

    def fits(self, combo: Sequence[str]) -> bool:
        groups = self.problem.groups
        return all(self.load[g] < groups[g].capacity for g in combo)

    def take(self, student: str, course: str, combo: tuple[str, ...]) -> None:
        self.chosen[student][course] = combo
        for g in combo:
            self.load[g] += 1

    def drop(self, student: str, course: str) -> None:
        combo = self.chosen[student].pop(course, None)
        for g in combo or ():
            self.load[g] -= 1


def _search(
    state: _State,
    student: str,
    courses: Sequence[str],
    *,
    capacity: bool,
    rng: random.Random,
    partial: bool = False,
) -> dict[str, tuple[str, ...]] | None:
    """A choice of combinations for all ``courses``, preferring published combinations, then
    the emptiest groups; None when none exists within the node budget. With ``partial``, the
    choice that places the most courses (a course may be left out, as a last resort)."""
    groups = state.problem.groups
    order = sorted(courses, key=lambda c: (len(state.options[c]), c))
    picked: list[tuple[str, ...] | None] = []
    best: list[tuple[str, ...] | None] = []
    best_placed = -1
    nodes = 0
    occupied = [0]

    def ranked(course: str) -> list[tuple[str, ...]]:
        previous = state.previous_combo.get((student, course))
        taken = occupied[-1]
        candidates = [
            combo
            for combo in state.options[course]
            if not (state.mask(combo) & taken) and (not capacity or state.fits(combo))
        ]
        jitter = {combo: rng.random() for combo in candidates}
        return sorted(
            candidates,
            key=lambda combo: (
                combo != previous,
                sum((state.load[g] + 1) / max(groups[g].capacity, 1) for g in combo),
                jitter[combo],
            ),
        )

    def descend(index: int, skipped: int) -> bool:
        nonlocal nodes, best, best_placed
        if index == len(order):
            placed = len(order) - skipped
            if placed > best_placed:
                best, best_placed = list(picked), placed
            return skipped == 0
        if len(order) - skipped <= best_placed:
            return False  # cannot beat the best partial choice
        for combo in ranked(order[index]):
            nodes += 1
            if nodes > NODE_BUDGET:
                return False
            picked.append(combo)
            occupied.append(occupied[-1] | state.mask(combo))
            if descend(index + 1, skipped):
                return True
            picked.pop()
            occupied.pop()
            if nodes > NODE_BUDGET:
                return False
        if partial:
            picked.append(None)
            occupied.append(occupied[-1])
            done = descend(index + 1, skipped + 1)
            picked.pop()
            occupied.pop()
            return done
        return False

    complete = descend(0, 0)
    if complete or (partial and best_placed >= 0):
        return {c: combo for c, combo in zip(order, best, strict=True) if combo is not None}
    return None


def _irreducible_clash(
    state: _State, student: str, courses: Sequence[str], rng: random.Random
) -> tuple[str, ...]:
    """A smallest-by-deletion set of the courses that cannot be timetabled together,
    capacities aside."""
    kept = list(courses)
    for course in list(courses):
        trial = [c for c in kept if c != course]
        if trial and _search(state, student, trial, capacity=False, rng=rng) is None:
            kept = trial
    return tuple(sorted(kept))


def _place(state: _State, student: str, rng: random.Random) -> None:
    """Place one student's courses (as many as possible); those left out are explained once,
    at the end (:func:`_result`)."""
    requested = list(dict.fromkeys(state.problem.requests[student]))
    courses = [c for c in requested if state.options.get(c)]
    found = _search(state, student, courses, capacity=True, rng=rng, partial=True) or {}
    for course, combo in found.items():
        state.take(student, course, combo)


def _explain(
    state: _State, student: str, course: str, courses: Sequence[str], rng: random.Random
) -> Unplaced:
    if _search(state, student, courses, capacity=False, rng=rng) is not None:
        others = [c for c in state.chosen[student] if c != course]
        for activity in state.problem.courses[course].activities:
            groups = state.problem.activities[activity].groups
            taken = 0
            for o in others:
                taken |= state.mask(state.chosen[student][o])
            free = [g for g in groups if not state.group_mask[g] & taken]
            if free and all(state.load[g] >= state.problem.groups[g].capacity for g in free):
                return Unplaced(student, course, "capacity", activity=activity)
        return Unplaced(student, course, "capacity")
    clash = _irreducible_clash(state, student, courses, rng)
    return Unplaced(
        student, course, "conflict", clashes_with=tuple(c for c in clash if c != course)
    )


def _course_students(problem: Problem) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for student, courses in problem.requests.items():
        for course in dict.fromkeys(courses):
            found[course].append(student)
    return found


def _deviation(state: _State, course: str) -> int:
    """Σ over the course's activities and groups of |size·Σcap − cap·N| (integer form of the
    distance to sizes proportional to capacities)."""
    problem = state.problem
    total = 0
    for activity_id in problem.courses[course].activities:
        groups = problem.activities[activity_id].groups
        if len(groups) < 2:
            continue
        caps = sum(problem.groups[g].capacity for g in groups)
        placed = sum(state.load[g] for g in groups)
        total += sum(
            abs(state.load[g] * caps - problem.groups[g].capacity * placed) for g in groups
        )
    return total


def _improve_course(
    state: _State,
    course: str,
    students: Sequence[str],
    *,
    seed: int,
    budget: float,
    deterministic: bool,
) -> bool:
    """Re-choose every student's combination of one course, the others fixed; True when the
    solution changed for the better."""
    problem = state.problem
    options = state.options[course]
    activities = problem.courses[course].activities
    if not options or not students:
        return False
    model = cp_model.CpModel()
    variables: dict[str, list[tuple[tuple[str, ...], cp_model.IntVar]]] = {}
    placed_terms: list[cp_model.IntVar] = []
    move_terms: list[cp_model.LinearExprT] = []
    for student in students:
        taken = 0
        for other, combo in state.chosen[student].items():
            if other != course:
                taken |= state.mask(combo)
        allowed = [combo for combo in options if not state.mask(combo) & taken]
        if not allowed:
            continue
        row = [(combo, model.new_bool_var("")) for combo in allowed]
        variables[student] = row
        model.add(sum(v for _c, v in row) <= 1)
        placed_terms.extend(v for _c, v in row)
        current = state.chosen[student].get(course)
        for combo, var in row:
            model.add_hint(var, combo == current)
        previous = state.previous_combo.get((student, course))
        if previous is not None:
            kept = [v for c, v in row if c == previous]
            move_terms.append(1 - kept[0] if kept else 1)
    if not variables:
        return False
    loads: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for row in variables.values():
        for combo, var in row:
            for g in combo:
                loads[g].append(var)
    fixed_outside = {g: 0 for combo in options for g in combo}
    deviations = []
    scale = 1
    for activity_id in activities:
        groups = problem.activities[activity_id].groups
        for g in groups:
            model.add(sum(loads[g]) + fixed_outside.get(g, 0) <= problem.groups[g].capacity)
        if len(groups) < 2:
            continue
        caps = sum(problem.groups[g].capacity for g in groups)
        scale = max(scale, caps)
        placed = sum(v for g in groups for v in loads[g])
        for g in groups:
            cap = problem.groups[g].capacity
            dev = model.new_int_var(0, caps * len(students) + 1, "")
            expr = caps * sum(loads[g]) - cap * placed
            model.add(dev >= expr)
            model.add(dev >= -expr)
            deviations.append(dev)
    unplaced_weight = (scale * len(students) + 1) * max(len(activities), 1) * 4 + 1
    move_weight = MOVE_WEIGHT_STUDENTS * scale
    total = cp_model.LinearExpr.sum
    model.minimize(
        unplaced_weight * (len(variables) - total(placed_terms))
        + move_weight * total(move_terms)
        + total(deviations)
    )
    before_unplaced = sum(1 for s in variables if course not in state.chosen[s])
    before_moves = sum(
        1
        for s in variables
        if (s, course) in state.previous_combo
        and state.chosen[s].get(course) != state.previous_combo[(s, course)]
    )
    before = (
        unplaced_weight * before_unplaced + move_weight * before_moves + _deviation(state, course)
    )
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 2
    if deterministic:
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = budget
    else:
        solver.parameters.max_time_in_seconds = budget
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    if solver.objective_value >= before:
        return False
    for student, row in variables.items():
        state.drop(student, course)
        for combo, var in row:
            if solver.boolean_value(var):
                state.take(student, course, combo)
    return True


def _fills(state: _State) -> list[GroupFill]:
    problem = state.problem
    return [
        GroupFill(g.id, g.activity, state.load[g.id], g.capacity) for g in problem.groups.values()
    ]


def balance_of(problem: Problem, fills: Iterable[GroupFill]) -> Balance:
    """The spread of group sizes over activities with two groups or more."""
    by_activity: dict[str, list[GroupFill]] = defaultdict(list)
    for fill in fills:
        by_activity[fill.activity].append(fill)
    counted: list[GroupFill] = []
    off = 0
    gap = 0
    for activity in problem.activities.values():
        members = by_activity.get(activity.id, [])
        if len(members) < 2 or not any(m.size for m in members):
            continue
        counted += members
        mean = sum(m.size for m in members) / len(members)
        off += sum(1 for m in members if abs(m.size - mean) > 0.1 * mean)
        gap = max(gap, max(m.size for m in members) - min(m.size for m in members))
    ratios = [m.size / m.capacity for m in counted if m.capacity]
    return Balance(
        groups=len(counted),
        largest_fill=max(ratios, default=0.0),
        smallest_fill=min(ratios, default=0.0),
        share_off_mean=off / len(counted) if counted else 0.0,
        largest_gap=gap,
    )


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    deterministic: bool = False,
    rounds: int | None = None,
    subproblem_budget: float = 0.5,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Result:
    """Section every student; stops at ``time_limit`` seconds (or after ``rounds`` passes
    over the courses, or when ``should_stop`` says so) with the best sectioning found."""
    started = time.monotonic()
    rng = random.Random(seed)
    state = _State(problem)
    report = progress or (lambda _fraction, _message: None)
    stop = should_stop or (lambda: False)
    hardness = {
        s: sum(len(state.options.get(c, ())) for c in courses)
        for s, courses in problem.requests.items()
    }
    order = sorted(problem.requests, key=lambda s: (hardness[s], rng.random()))
    for index, student in enumerate(order, start=1):
        _place(state, student, rng)
        if index % 500 == 0:
            report(
                0.5 * index / len(order),
                f"construction : {index}/{len(order)} étudiant·es placé·es",
            )
            if stop():
                break
    history = [(time.monotonic() - started, _count_unplaced(state), _total_deviation(state))]
    by_course = _course_students(problem)
    iterations = 0
    passes = 0
    improve_deadline = started + time_limit
    while not stop() and time.monotonic() < improve_deadline:
        if rounds is not None and passes >= rounds:
            break
        courses = sorted(
            (c for c in by_course if state.options.get(c)),
            key=lambda c: (-_deviation(state, c), c),
        )
        changed = False
        for course in courses:
            if stop() or time.monotonic() >= improve_deadline:
                break
            iterations += 1
            remaining = improve_deadline - time.monotonic()
            budget = subproblem_budget if deterministic else min(subproblem_budget, remaining)
            if budget <= 0:
                break
            if _improve_course(
                state,
                course,
                by_course[course],
                seed=seed + iterations,
                budget=budget,
                deterministic=deterministic,
            ):
                changed = True
            if iterations % 10 == 0:
                elapsed = time.monotonic() - started
                report(
                    0.5 + 0.5 * min(elapsed / time_limit, 1.0),
                    f"amélioration : {iterations} sous-problèmes, écart {_total_deviation(state)}",
                )
        passes += 1
        history.append(
            (time.monotonic() - started, _count_unplaced(state), _total_deviation(state))
        )
        if not changed:
            break
    return _result(state, rng, iterations, started, history)


def _total_deviation(state: _State) -> int:
    return sum(_deviation(state, c) for c in state.problem.courses)


def _count_unplaced(state: _State) -> int:
    problem = state.problem
    return sum(
        1
        for student, courses in problem.requests.items()
        for c in dict.fromkeys(courses)
        if c not in state.chosen.get(student, {})
    )


def _result(
    state: _State,
    rng: random.Random,
    iterations: int,
    started: float,
    history: list[tuple[float, int, int]],
) -> Result:
    problem = state.problem
    assignment: dict[str, dict[str, str]] = {}
    unplaced: list[Unplaced] = []
    moved = 0
    full = 0
    for student, requested in problem.requests.items():
        courses = list(dict.fromkeys(requested))
        chosen = state.chosen.get(student, {})
        groups = {
            activity: group
            for course, combo in chosen.items()
            for activity, group in zip(problem.courses[course].activities, combo, strict=True)
        }
        assignment[student] = groups
        left = [c for c in courses if c not in chosen]
        if not left:
            full += 1
        for course in left:
            if not state.options.get(course):
                unplaced.append(Unplaced(student, course, "no_groups"))
            else:
                unplaced.append(_explain(state, student, course, courses, rng))
        before = problem.previous.get(student)
        if before and any(groups.get(a) != g for a, g in before.items()):
            moved += 1
    fills = _fills(state)
    return Result(
        assignment=assignment,
        unplaced=unplaced,
        fills=fills,
        balance=balance_of(problem, fills),
        students=len(problem.requests),
        fully_sectioned=full,
        moved=moved,
        iterations=iterations,
        elapsed=time.monotonic() - started,
        history=history,
    )
