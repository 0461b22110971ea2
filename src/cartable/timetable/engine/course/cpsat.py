"""Placing a set of classes with OR-Tools CP-SAT while every other class stays where it is.

Each free class gets one boolean per placement (time option, room option) with exactly one
true. Rooms: at most one class at each (day, week, slot) point where two uses of a room can
meet. Required pairwise distributions between free classes are support clauses ("if this
class takes value ``a``, the other takes a value compatible with ``a``"), on times, rooms or
placements as the type needs; with fixed classes they prune the free class's placements.
``MaxDays`` and ``MaxDayLoad`` are linear constraints; ``MaxBlock`` and ``MaxBreaks`` are
checked on each solution and cut off by a no-good until they hold. The objective is the
weighted time and room penalties, soft distributions (the day-by-day ones are left to the
caller's exact evaluation), student conflicts for the given pairs of classes and the penalty
for leaving a reference placement.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from time import monotonic

from ortools.sat.python import cp_model

from .evaluate import Placed, pair_holds, student_conflict, violation_count
from .model import DistributionType, Time
from .state import Choice, State

__all__ = ["SubproblemResult", "SubproblemSettings", "solve_subproblem"]

Literal = cp_model.IntVar
Level = list[tuple[Hashable, Literal]]

_ROOM_KINDS = frozenset({DistributionType.SAME_ROOM, DistributionType.DIFFERENT_ROOM})
_LAZY_KINDS = frozenset({DistributionType.MAX_BLOCK, DistributionType.MAX_BREAKS})
_NO_OVERLAP_KINDS = frozenset({DistributionType.NOT_OVERLAP, DistributionType.SAME_ATTENDEES})
#: The most variables allowed in the clauses of one soft pair before it is left out.
MAX_PAIR_SIZE = 20_000


@dataclass(frozen=True)
class SubproblemSettings:
    """How to run CP-SAT: a wall-clock limit, or a deterministic-time budget (with
    interleaved workers, the same budget and seed give the same result)."""

    seed: int = 0
    time_limit: float = 10.0
    deterministic_time: float | None = None
    workers: int = 2
    should_stop: Callable[[], bool] | None = None
    lazy_rounds: int = 8
    objective: bool = True
    #: A separate limit on building the model (``time_limit`` then counts from the end of
    #: the building); ``None``: ``time_limit`` covers both.
    build_time_limit: float | None = None


class _OutOfTime(Exception):
    """Raised while the model is built when the time limit has passed or a stop is asked."""


@dataclass(frozen=True)
class SubproblemResult:
    """The placements found for the free classes (``None`` when none was found), whether
    CP-SAT proved them optimal for its model, and its objective."""

    choices: dict[int, Choice] | None
    optimal: bool
    objective: float
    infeasible: bool = False


class _Builder:
    def __init__(
        self,
        state: State,
        free: Sequence[int],
        pair_weights: Mapping[tuple[int, int], int],
        deadline: float = float("inf"),
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.deadline = deadline
        self.should_stop = should_stop
        self._ticks = 0
        self.state = state
        self.instance = state.instance
        self.free = list(dict.fromkeys(free))
        self.free_set = set(self.free)
        self.pair_weights = pair_weights
        self.model = cp_model.CpModel()
        self.domains: dict[int, list[Choice]] = {}
        self.unary: dict[int, list[int]] = {}
        self.z: dict[int, list[Literal]] = {}
        self._x: dict[tuple[int, int], Literal] = {}
        self._y: dict[tuple[int, int], Literal] = {}
        self.objective: list[tuple[int, Literal]] = []
        self.empty = False
        self._tables: dict[Hashable, list[list[bool]]] = {}

    def check(self, weight: int = 1) -> None:
        """Give up building (``_OutOfTime``) once the deadline has passed or a stop is asked;
        the clock is read about every thousand units of work."""
        self._ticks += weight
        if self._ticks < 1000:
            return
        self._ticks = 0
        if monotonic() > self.deadline or (self.should_stop is not None and self.should_stop()):
            raise _OutOfTime

    # -- domains ------------------------------------------------------------------------------

    def build_domains(self) -> None:
        instance = self.instance
        state = self.state
        weights = instance.weights
        for number in self.free:
            required: list[tuple[DistributionType, Sequence[int], Placed, bool]] = []
            soft: list[tuple[DistributionType, Sequence[int], Placed, bool, int]] = []
            for distribution_number in instance.class_distributions[number]:
                distribution = instance.distributions[distribution_number]
                if not distribution.type.is_pairwise:
                    continue
                members = instance.distribution_classes[distribution_number]
                position = members.index(number)
                for other_position, other in enumerate(members):
                    if other in self.free_set:
                        continue
                    entry = (
                        distribution.type,
                        distribution.parameters,
                        state.placed(other),
                        position < other_position,
                    )
                    if distribution.required:
                        required.append(entry)
                    else:
                        soft.append((*entry, weights.distribution * distribution.penalty))
            students = [
                (state.placed(other), weight * weights.student)
                for other, weight in state.partners[number].items()
                if other not in self.free_set
            ]
            rooms_taken: dict[int, list[Time]] = {}
            domain: list[Choice] = []
            costs: list[int] = []
            for choice in instance.choices[number]:
                self.check(1 + len(required) + len(soft) + len(students))
                here = instance.placed(number, choice)
                time, room = here
                if room is not None:
                    if room not in rooms_taken:
                        rooms_taken[room] = [
                            state.placed(taken)[0]
                            for taken in state.room_classes.get(room, ())
                            if taken not in self.free_set
                        ]
                    if any(time.overlaps(busy) for busy in rooms_taken[room]):
                        continue
                if not all(
                    _holds(kind, parameters, here, partner, first, instance.travel)
                    for kind, parameters, partner, first in required
                ):
                    continue
                cost = instance.choice_penalty(number, choice) + state.change_cost(number, choice)
                for kind, parameters, partner, first, penalty in soft:
                    if not _holds(kind, parameters, here, partner, first, instance.travel):
                        cost += penalty
                for (other_time, other_room), weight in students:
                    if student_conflict(time, room, other_time, other_room, instance.travel):
                        cost += weight
                domain.append(choice)
                costs.append(cost)
            if not domain:
                self.empty = True
                return
            self.domains[number] = domain
            self.unary[number] = costs
            variables = [self.model.new_bool_var(f"z{number}_{k}") for k in range(len(domain))]
            self.model.add_exactly_one(variables)
            self.z[number] = variables
            for cost, variable in zip(costs, variables, strict=True):
                if cost:
                    self.objective.append((cost, variable))

    # -- value levels -------------------------------------------------------------------------

    def x(self, number: int, time_option: int) -> Literal | None:
        key = (number, time_option)
        if key not in self._x:
            members = [
                variable
                for choice, variable in zip(self.domains[number], self.z[number], strict=True)
                if choice[0] == time_option
            ]
            if not members:
                return None
            if len(members) == 1:
                self._x[key] = members[0]
            else:
                literal = self.model.new_bool_var(f"x{number}_{time_option}")
                self.model.add(sum(members) == literal)
                self._x[key] = literal
        return self._x[key]

    def times_level(self, number: int) -> Level:
        found: Level = []
        times = self.instance.times[number]
        for time_option in sorted({choice[0] for choice in self.domains[number]}):
            literal = self.x(number, time_option)
            if literal is not None:
                found.append((times[time_option], literal))
        return found

    def rooms_level(self, number: int) -> Level:
        found: Level = []
        rooms = self.instance.rooms[number]
        for room_option in sorted(
            {choice[1] for choice in self.domains[number] if choice[1] is not None}
        ):
            key = (number, room_option)
            if key not in self._y:
                members = [
                    variable
                    for choice, variable in zip(self.domains[number], self.z[number], strict=True)
                    if choice[1] == room_option
                ]
                if len(members) == 1:
                    self._y[key] = members[0]
                else:
                    literal = self.model.new_bool_var(f"y{number}_{room_option}")
                    self.model.add(sum(members) == literal)
                    self._y[key] = literal
            found.append((rooms[room_option], self._y[key]))
        return found

    def placements_level(self, number: int) -> Level:
        return [
            (self.instance.placed(number, choice), variable)
            for choice, variable in zip(self.domains[number], self.z[number], strict=True)
        ]

    def _max_travel(self, first: int, second: int) -> int:
        travel = self.instance.travel
        rooms_a = {choice[1] for choice in self.domains[first]}
        rooms_b = {choice[1] for choice in self.domains[second]}
        room_numbers_a = [self.instance.rooms[first][r] for r in rooms_a if r is not None]
        room_numbers_b = [self.instance.rooms[second][r] for r in rooms_b if r is not None]
        return max(
            (travel[a][b] for a in room_numbers_a for b in room_numbers_b),
            default=0,
        )

    # -- constraints --------------------------------------------------------------------------

    def rooms(self) -> None:
        """At most one class in a room at any point where two of its uses can meet."""
        uses: defaultdict[int, list[tuple[int, Time, Literal]]] = defaultdict(list)
        for number in self.free:
            for choice, variable in zip(self.domains[number], self.z[number], strict=True):
                time, room = self.instance.placed(number, choice)
                if room is not None:
                    uses[room].append((number, time, variable))
        for room_uses in uses.values():
            self._cliques(room_uses)

    def _cliques(self, uses: Sequence[tuple[int, Time, Literal]]) -> None:
        """At most one of the uses covering each (day, week, slot) point where two can meet."""
        if len({number for number, _, _ in uses}) < 2:
            return
        day_atoms = _atoms([time.days for _, time, _ in uses])
        week_atoms = _atoms([time.weeks for _, time, _ in uses])
        starts = sorted({time.start for _, time, _ in uses})
        points: defaultdict[tuple[int, int, int], list[tuple[int, Literal]]] = defaultdict(list)
        for number, time, variable in uses:
            days = [atom for atom in day_atoms if time.days >> atom & 1]
            weeks = [atom for atom in week_atoms if time.weeks >> atom & 1]
            slots = [start for start in starts if time.start <= start < time.end]
            self.check(1 + len(days) * len(weeks) * len(slots))
            for day in days:
                for week in weeks:
                    for slot in slots:
                        points[(day, week, slot)].append((number, variable))
        seen: set[tuple[int, ...]] = set()
        for members in points.values():
            self.check(len(members))
            if len({number for number, _ in members}) < 2:
                continue
            key = tuple(sorted(variable.index for _, variable in members))
            if key in seen:
                continue
            seen.add(key)
            self.model.add_at_most_one([variable for _, variable in members])

    def distributions(self) -> list[int]:
        """Distribution constraints among free classes; returns the required distributions
        left to be checked on solutions."""
        instance = self.instance
        weights = instance.weights
        lazy: list[int] = []
        touched: set[int] = set()
        for number in self.free:
            touched.update(instance.class_distributions[number])
        for distribution_number in sorted(touched):
            distribution = instance.distributions[distribution_number]
            members = list(dict.fromkeys(instance.distribution_classes[distribution_number]))
            kind = distribution.type
            if kind.is_pairwise:
                penalty = (
                    0 if distribution.required else weights.distribution * distribution.penalty
                )
                if distribution.required and kind in _NO_OVERLAP_KINDS:
                    self._no_overlap(kind, members)
                    continue
                for position, first in enumerate(members):
                    for second in members[position + 1 :]:
                        if first in self.free_set and second in self.free_set:
                            self._pair(kind, distribution.parameters, first, second, penalty)
                continue
            if kind is DistributionType.MAX_DAYS:
                self._max_days(distribution_number, members)
            elif kind is DistributionType.MAX_DAY_LOAD:
                self._max_day_load(distribution_number, members)
            elif distribution.required and kind in _LAZY_KINDS:
                lazy.append(distribution_number)
                if kind is DistributionType.MAX_BLOCK:
                    self._block_pairs(distribution.parameters, members)
        return lazy

    def _no_overlap(self, kind: DistributionType, members: Sequence[int]) -> None:
        """Pairwise disjoint times as cliques over (day, week, slot) points; for
        ``SameAttendees`` also the pairs of placements too close to walk between."""
        free = [member for member in members if member in self.free_set]
        if len(free) < 2:
            return
        uses = [
            (member, time, literal)
            for member in free
            for time, literal in self.times_level(member)
            if isinstance(time, Time)
        ]
        self._cliques(uses)
        if kind is not DistributionType.SAME_ATTENDEES:
            return
        travel = self.instance.travel
        for position, first in enumerate(free):
            for second in free[position + 1 :]:
                reach = self._max_travel(first, second)
                if reach:
                    self._near(first, second, reach, travel)

    def _near(self, first: int, second: int, reach: int, travel: Sequence[Sequence[int]]) -> None:
        """Forbid placements of two classes that do not overlap but leave less than the
        travel time between their rooms: for a pair of times ``gap`` slots apart and a room
        of the first class, the second class is not in a room more than ``gap`` away (one
        literal stands for those rooms)."""
        level_a, level_b = self.times_level(first), self.times_level(second)
        rooms_a, rooms_b = self.rooms_level(first), self.rooms_level(second)
        far: dict[tuple[int, int], Literal | None] = {}

        def far_from(room_a: int, gap: int) -> Literal | None:
            key = (room_a, gap)
            if key not in far:
                members = [
                    literal
                    for room_b, literal in rooms_b
                    if isinstance(room_b, int) and travel[room_a][room_b] > gap
                ]
                if not members:
                    far[key] = None
                elif len(members) == 1:
                    far[key] = members[0]
                else:
                    literal = self.model.new_bool_var(f"far{second}_{room_a}_{gap}")
                    for member in members:
                        self.model.add_implication(member, literal)
                    far[key] = literal
            return far[key]

        for time_a, literal_a in level_a:
            assert isinstance(time_a, Time)
            for time_b, literal_b in level_b:
                assert isinstance(time_b, Time)
                self.check()
                if not time_a.shares_days_and_weeks(time_b) or time_a.overlaps(time_b):
                    continue
                gap = max(time_b.start - time_a.end, time_a.start - time_b.end)
                if gap >= reach:
                    continue
                self.check(len(rooms_a))
                for room_a, room_literal_a in rooms_a:
                    assert isinstance(room_a, int)
                    literal_far = far_from(room_a, gap)
                    if literal_far is not None:
                        self.model.add_bool_or(
                            [
                                literal_a.Not(),
                                literal_b.Not(),
                                room_literal_a.Not(),
                                literal_far.Not(),
                            ]
                        )

    def _pair(
        self,
        kind: DistributionType,
        parameters: Sequence[int],
        first: int,
        second: int,
        penalty: int,
    ) -> None:
        travel = self.instance.travel
        if kind in _ROOM_KINDS:
            if not self.instance.rooms[first] or not self.instance.rooms[second]:
                return
            level_a, level_b = self.rooms_level(first), self.rooms_level(second)

            def compatible(a: Hashable, b: Hashable) -> bool:
                return (a == b) == (kind is DistributionType.SAME_ROOM)

        elif kind is DistributionType.SAME_ATTENDEES and self._max_travel(first, second):
            level_a, level_b = self.placements_level(first), self.placements_level(second)

            def compatible(a: Hashable, b: Hashable) -> bool:
                assert isinstance(a, tuple)
                assert isinstance(b, tuple)
                return pair_holds(kind, parameters, a, b, travel)

        else:
            level_a, level_b = self.times_level(first), self.times_level(second)

            def compatible(a: Hashable, b: Hashable) -> bool:
                assert isinstance(a, Time)
                assert isinstance(b, Time)
                return pair_holds(kind, parameters, (a, None), (b, None), travel)

        memo = (kind, tuple(parameters))
        self._support(level_a, level_b, compatible, penalty, f"d{first}_{second}", memo)

    def _support(
        self,
        level_a: Level,
        level_b: Level,
        compatible: Callable[[Hashable, Hashable], bool],
        penalty: int,
        name: str,
        memo: Hashable = None,
    ) -> None:
        """``a`` implies a compatible ``b`` (and the converse when required); a soft pair gets
        a violation literal instead."""
        if penalty and len(level_a) * len(level_b) > MAX_PAIR_SIZE:
            return
        key = (name[0], tuple(a for a, _ in level_a), tuple(b for b, _ in level_b), memo)
        table = self._tables.get(key) if memo is not None else None
        if table is None:
            self.check(len(level_a) * len(level_b))
            table = [[compatible(a, b) for b, _ in level_b] for a, _ in level_a]
            if memo is not None:
                self._tables[key] = table
        if all(all(row) for row in table):
            return
        if penalty:
            violated = self.model.new_bool_var(f"v{name}")
            self.objective.append((penalty, violated))
            for (_, literal), row in zip(level_a, table, strict=True):
                if not all(row):
                    supports = [lit for (_, lit), ok in zip(level_b, row, strict=True) if ok]
                    self.model.add_bool_or([literal.Not(), violated, *supports])
            return
        for (_, literal), row in zip(level_a, table, strict=True):
            if not all(row):
                supports = [lit for (_, lit), ok in zip(level_b, row, strict=True) if ok]
                self.model.add_bool_or([literal.Not(), *supports])
        for column, (_, literal) in enumerate(level_b):
            flags = [row[column] for row in table]
            if not all(flags):
                supports = [lit for (_, lit), ok in zip(level_a, flags, strict=True) if ok]
                self.model.add_bool_or([literal.Not(), *supports])

    def _block_pairs(self, parameters: Sequence[int], members: Sequence[int]) -> None:
        """Two classes that would form one block longer than allowed are kept apart (longer
        chains are cut off on solutions)."""
        longest, gap = parameters

        def compatible(a: Hashable, b: Hashable) -> bool:
            assert isinstance(a, Time)
            assert isinstance(b, Time)
            if not a.shares_days_and_weeks(b):
                return True
            if max(a.start - b.end, b.start - a.end) > gap:
                return True
            return max(a.end, b.end) - min(a.start, b.start) <= longest

        free = [member for member in members if member in self.free_set]
        for position, first in enumerate(free):
            for second in free[position + 1 :]:
                self._support(
                    self.times_level(first),
                    self.times_level(second),
                    compatible,
                    0,
                    f"b{first}_{second}",
                    ("block", longest, gap),
                )

    def _max_days(self, distribution_number: int, members: Sequence[int]) -> None:
        instance = self.instance
        distribution = instance.distributions[distribution_number]
        (limit,) = distribution.parameters
        fixed_days = 0
        for member in members:
            if member not in self.free_set:
                fixed_days |= self.state.placed(member)[0].days
        used: list[Literal] = []
        for day in range(instance.problem.nr_days):
            if fixed_days >> day & 1:
                continue
            literals = [
                literal
                for member in members
                if member in self.free_set
                for time, literal in self.times_level(member)
                if isinstance(time, Time) and time.days >> day & 1
            ]
            if not literals:
                continue
            day_used = self.model.new_bool_var(f"day{distribution_number}_{day}")
            for literal in literals:
                self.model.add_implication(literal, day_used)
            used.append(day_used)
        base = fixed_days.bit_count()
        if distribution.required:
            self.model.add(sum(used) + base <= limit)
        elif used:
            excess = self.model.new_int_var(0, len(used) + base, f"days{distribution_number}")
            self.model.add(excess >= sum(used) + base - limit)
            self.objective.append((instance.weights.distribution * distribution.penalty, excess))

    def _max_day_load(self, distribution_number: int, members: Sequence[int]) -> None:
        instance = self.instance
        problem = instance.problem
        distribution = instance.distributions[distribution_number]
        (limit,) = distribution.parameters
        loads: defaultdict[tuple[int, int], list[tuple[int, Literal]]] = defaultdict(list)
        fixed: defaultdict[tuple[int, int], int] = defaultdict(int)
        for member in members:
            entries: list[tuple[Time, Literal | None]]
            if member in self.free_set:
                entries = [
                    (time, literal)
                    for time, literal in self.times_level(member)
                    if isinstance(time, Time)
                ]
            else:
                entries = [(self.state.placed(member)[0], None)]
            for time, literal in entries:
                for week in range(problem.nr_weeks):
                    if not time.weeks >> week & 1:
                        continue
                    for day in range(problem.nr_days):
                        if time.days >> day & 1:
                            if literal is None:
                                fixed[(week, day)] += time.length
                            else:
                                loads[(week, day)].append((time.length, literal))
        for key, terms in loads.items():
            load = sum(length * literal for length, literal in terms) + fixed[key]
            if distribution.required:
                self.model.add(load <= limit)
            else:
                top = sum(length for length, _ in terms) + fixed[key]
                excess = self.model.new_int_var(0, max(top, 0), f"load{distribution_number}")
                self.model.add(excess >= load - limit)
                weight = max(
                    instance.weights.distribution * distribution.penalty // problem.nr_weeks, 1
                )
                self.objective.append((weight, excess))

    def student_pairs(self) -> None:
        """Student conflicts between free classes, weighted by the students they share."""
        travel = self.instance.travel
        weight = self.instance.weights.student
        for (first, second), count in self.pair_weights.items():
            self.check()
            if first not in self.free_set or second not in self.free_set or not count:
                continue
            if self._max_travel(first, second):
                level_a, level_b = self.placements_level(first), self.placements_level(second)

                def compatible(a: Hashable, b: Hashable) -> bool:
                    assert isinstance(a, tuple)
                    assert isinstance(b, tuple)
                    return not student_conflict(a[0], a[1], b[0], b[1], travel)

            else:
                level_a, level_b = self.times_level(first), self.times_level(second)

                def compatible(a: Hashable, b: Hashable) -> bool:
                    assert isinstance(a, Time)
                    assert isinstance(b, Time)
                    return not student_conflict(a, None, b, None, travel)

            self._support(level_a, level_b, compatible, weight * count, f"s{first}_{second}")

    def finish(self, objective: bool = True) -> None:
        if self.objective and objective:
            self.model.minimize(sum(coefficient * term for coefficient, term in self.objective))
        for number in self.free:
            current = self.state.choices[number]
            for choice, variable in zip(self.domains[number], self.z[number], strict=True):
                self.model.add_hint(variable, choice == current)


def _holds(
    kind: DistributionType,
    parameters: Sequence[int],
    here: Placed,
    other: Placed,
    first: bool,
    travel: Sequence[Sequence[int]],
) -> bool:
    if first:
        return pair_holds(kind, parameters, here, other, travel)
    return pair_holds(kind, parameters, other, here, travel)


def _atoms(masks: Sequence[int]) -> list[int]:
    """One representative bit for each group of bits that no mask tells apart."""
    distinct = sorted(set(masks))
    union = 0
    for mask in distinct:
        union |= mask
    seen: dict[tuple[int, ...], int] = {}
    for bit in range(union.bit_length()):
        if union >> bit & 1:
            signature = tuple(mask >> bit & 1 for mask in distinct)
            seen.setdefault(signature, bit)
    return sorted(seen.values())


def solve_subproblem(
    state: State,
    free: Sequence[int],
    settings: SubproblemSettings,
    pair_weights: Mapping[tuple[int, int], int] | None = None,
) -> SubproblemResult:
    """Re-place the ``free`` classes optimally (for the model) around the others.

    ``settings.time_limit`` covers building the model as well as solving it: a model not
    built in time gives no placements."""
    started = monotonic()
    building = (
        settings.time_limit if settings.build_time_limit is None else settings.build_time_limit
    )
    builder = _Builder(
        state,
        free,
        state.pair_students if pair_weights is None else pair_weights,
        deadline=started + building,
        should_stop=settings.should_stop,
    )
    try:
        builder.build_domains()
        if builder.empty:
            return SubproblemResult(None, False, 0.0, infeasible=True)
        builder.rooms()
        lazy = builder.distributions()
        builder.student_pairs()
        builder.finish(settings.objective)
    except _OutOfTime:
        return SubproblemResult(None, False, 0.0)
    limit = settings.time_limit
    if settings.build_time_limit is not None:
        limit = min(limit, started + building - monotonic())
        started = monotonic()
    instance = state.instance
    for _ in range(settings.lazy_rounds):
        if monotonic() - started >= limit:
            return SubproblemResult(None, False, 0.0)
        solver = cp_model.CpSolver()
        parameters = solver.parameters
        parameters.num_workers = settings.workers
        parameters.random_seed = settings.seed
        left = limit - (monotonic() - started)
        parameters.max_time_in_seconds = max(left, 0.05)
        if settings.deterministic_time is not None:
            parameters.interleave_search = True
            parameters.max_deterministic_time = settings.deterministic_time
        status = _run(solver, builder.model, settings.should_stop)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return SubproblemResult(None, False, 0.0, infeasible=status == cp_model.INFEASIBLE)
        choices: dict[int, Choice] = {}
        for number in builder.free:
            for choice, variable in zip(builder.domains[number], builder.z[number], strict=True):
                if solver.boolean_value(variable):
                    choices[number] = choice
                    break
        cut = False
        for distribution_number in lazy:
            distribution = instance.distributions[distribution_number]
            members = instance.distribution_classes[distribution_number]
            placed = [
                instance.placed(member, choices[member])
                if member in choices
                else state.placed(member)
                for member in members
            ]
            count = violation_count(
                distribution.type,
                distribution.parameters,
                placed,
                instance.travel,
                instance.problem.nr_days,
                instance.problem.nr_weeks,
            )
            if count:
                literals = [
                    builder.x(member, choices[member][0])
                    for member in dict.fromkeys(members)
                    if member in choices
                ]
                present = [literal.Not() for literal in literals if literal is not None]
                if not present:
                    return SubproblemResult(None, False, 0.0, infeasible=True)
                builder.model.add_bool_or(present)
                cut = True
        if not cut:
            return SubproblemResult(
                choices, status == cp_model.OPTIMAL, float(solver.objective_value)
            )
        builder.model.clear_hints()
        for number, choice in choices.items():
            for option, variable in zip(builder.domains[number], builder.z[number], strict=True):
                builder.model.add_hint(variable, option == choice)
    return SubproblemResult(None, False, 0.0)


def _run(
    solver: cp_model.CpSolver, model: cp_model.CpModel, should_stop: Callable[[], bool] | None
) -> int:
    """Solve, stopping early when ``should_stop`` turns true (polled by a watcher thread)."""
    if should_stop is None:
        return int(solver.solve(model))
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(0.05):
            if should_stop():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return int(solver.solve(model))
    finally:
        finished.set()
        watcher.join()
