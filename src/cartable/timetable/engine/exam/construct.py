"""Construction of a first timetable: iterative forward search, then CP-SAT repairs.

Forward search: exams are placed most constrained first (most often displaced, then fewest
periods free of clashes, most neighbours, largest), each in the period where it clashes with
nobody, respects its period constraints and fits a room, adding the least soft cost. When there
is no such period, it goes where it displaces the fewest exams (clashing with it, or in the way
in a room); those are placed again later. After a budget of steps, what is left goes where it
does the least harm.

Repair: the exams involved in a violation, with their neighbours, are freed and the others
fixed; a CP-SAT model places the free exams in periods (one Boolean per exam and allowed
period, at most one exam per student and period, ``AFTER``/``EXCLUSION`` as linear
constraints, ``EXAM_COINCIDENCE`` groups sharing variables, and a relaxation of the room
packing: for every room capacity ``t``, the exams larger than ``t`` fit in the rooms larger
than ``t``). Rooms are then packed period by period (best-fit decreasing, else a small CP-SAT
bin packing; a period that cannot be packed becomes a no-good). When a sub-problem is
infeasible the freed set grows, up to the whole timetable.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .problem import Problem, rule_violated
from .search import Shares


@dataclass(frozen=True)
class CpSatLimits:
    """Budget of the construction: wall-clock seconds always; deterministic time if given.

    With ``deterministic_time`` set, every CP-SAT call runs one search thread under a
    deterministic time limit, so the result depends only on the seed (unless the wall-clock
    limit is reached first); otherwise CP-SAT uses ``workers`` threads.
    """

    seconds: float
    deterministic_time: float | None = None
    workers: int = 2
    seed: int = 0


def _solver(limits: CpSatLimits, seconds: float, share: float = 1.0) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, seconds)
    params.num_workers = max(1, limits.workers)
    params.random_seed = limits.seed % (1 << 31)
    params.log_search_progress = False
    if limits.deterministic_time is not None:
        # One search thread under a deterministic time limit: the outcome depends on the
        # seed only (interleaved multi-worker search is deterministic too, but aborts on
        # some small models in this OR-Tools version).
        params.num_workers = 1
        params.max_deterministic_time = max(0.01, limits.deterministic_time * share)
    return solver


# -- rooms ---------------------------------------------------------------------------------


class PeriodRooms:
    """The rooms of one period while exams are placed and removed."""

    def __init__(self, problem: Problem) -> None:
        self.pb = problem
        self.free = list(problem.capacity)
        self.holders: list[list[int]] = [[] for _ in range(problem.n_rooms)]
        self.exclusive = [0] * problem.n_rooms
        self.durations: list[dict[int, int]] = [{} for _ in range(problem.n_rooms)]

    def copy(self) -> PeriodRooms:
        """An independent copy."""
        other = PeriodRooms(self.pb)
        other.free = list(self.free)
        other.holders = [list(h) for h in self.holders]
        other.exclusive = list(self.exclusive)
        other.durations = [dict(d) for d in self.durations]
        return other

    def best(self, e: int) -> Shares | None:
        """Rooms for exam ``e`` (cheapest, same duration, best fit), or ``None``."""
        pb = self.pb
        size = pb.size[e]
        if pb.needs_split(e):
            if pb.exclusive[e]:
                return None
            shares: Shares = []
            left = size
            for r in sorted(range(pb.n_rooms), key=lambda r: (-self.free[r], r)):
                if left == 0 or self.free[r] <= 0 or self.exclusive[r]:
                    continue
                take = min(left, self.free[r])
                shares.append((r, take))
                left -= take
            return None if left else shares
        best = -1
        best_key: tuple[int, int, int] | None = None
        for r in pb.room_order[e]:
            if self.exclusive[r] or self.free[r] < size:
                continue
            if pb.exclusive[e] and self.holders[r]:
                continue
            mixed = 1 if self.holders[r] and pb.duration[e] not in self.durations[r] else 0
            key = (pb.room_penalty[r] + mixed * pb.mixed_weight, self.free[r] - size, r)
            if best_key is None or key < best_key:
                best, best_key = r, key
        return None if best < 0 else [(best, size)]

    def fallback(self, e: int) -> Shares:
        """Rooms for exam ``e`` whether it fits or not: the best, else the emptiest room."""
        pb = self.pb
        found = self.best(e)
        if found is not None:
            return found
        if pb.n_rooms == 0:
            return []
        r = max(range(pb.n_rooms), key=lambda r: (self.free[r], -r))
        return [(r, pb.size[e])]

    def in_the_way(self, e: int) -> list[int]:
        """The fewest exams to take out so that exam ``e`` fits a room (largest first)."""
        pb = self.pb
        best: list[int] | None = None
        for r in pb.room_order[e] or pb.rooms_by_capacity[:1]:
            holders = sorted(self.holders[r], key=lambda f: (-pb.size[f], f))
            if pb.exclusive[e] or self.exclusive[r]:
                out = holders
            else:
                out = []
                free = self.free[r]
                for f in holders:
                    if free >= pb.size[e]:
                        break
                    out.append(f)
                    free += pb.size[f]
            if best is None or len(out) < len(best):
                best = out
        return best or []

    def add(self, e: int, shares: Shares) -> None:
        """Seat exam ``e`` in ``shares``."""
        d = self.pb.duration[e]
        for r, seats in shares:
            self.free[r] -= seats
            self.holders[r].append(e)
            self.exclusive[r] += self.pb.exclusive[e]
            self.durations[r][d] = self.durations[r].get(d, 0) + 1

    def remove(self, e: int, shares: Shares) -> None:
        """Take exam ``e`` out of ``shares``."""
        d = self.pb.duration[e]
        for r, seats in shares:
            self.free[r] += seats
            self.holders[r].remove(e)
            self.exclusive[r] -= self.pb.exclusive[e]
            if self.durations[r][d] == 1:
                del self.durations[r][d]
            else:
                self.durations[r][d] -= 1


def pack_greedy(problem: Problem, exams: list[int]) -> dict[int, Shares] | None:
    """Rooms for the exams of one period by best-fit decreasing, or ``None``."""
    pb = problem
    rooms = PeriodRooms(pb)
    placed: dict[int, Shares] = {}
    order = sorted(
        exams, key=lambda e: (not pb.needs_split(e), not pb.exclusive[e], -pb.size[e], e)
    )
    for e in order:
        shares = rooms.best(e)
        if shares is None:
            return None
        rooms.add(e, shares)
        placed[e] = shares
    return placed


def pack_exact(
    problem: Problem, exams: list[int], limits: CpSatLimits, seconds: float
) -> dict[int, Shares] | bool | None:
    """Rooms for the exams of one period by CP-SAT bin packing.

    Returns the rooms, ``False`` when the packing is impossible, ``None`` when the time ran
    out or an exam must be split (left to the greedy packing).
    """
    pb = problem
    if any(pb.needs_split(e) for e in exams):
        return None
    model = cp_model.CpModel()
    z: dict[tuple[int, int], cp_model.IntVar] = {}
    for e in exams:
        if not pb.room_order[e]:
            return False
        for r in pb.room_order[e]:
            z[e, r] = model.new_bool_var(f"z{e}_{r}")
        model.add_exactly_one(z[e, r] for r in pb.room_order[e])
    for r in range(pb.n_rooms):
        inside = [e for e in exams if (e, r) in z]
        if not inside:
            continue
        model.add(sum(pb.size[e] * z[e, r] for e in inside) <= pb.capacity[r])
        for e in inside:
            others = [z[f, r] for f in inside if f != e]
            if pb.exclusive[e] and others:
                model.add(sum(others) == 0).only_enforce_if(z[e, r])
    solver = _solver(limits, seconds, 0.05)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return False
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {e: [(r, pb.size[e]) for r in pb.room_order[e] if solver.value(z[e, r])] for e in exams}


def pack_period(
    problem: Problem, exams: list[int], limits: CpSatLimits, seconds: float
) -> tuple[dict[int, Shares], bool]:
    """Rooms for the exams of one period, and whether they really fit."""
    placed = pack_greedy(problem, exams)
    if placed is not None:
        return placed, True
    exact = pack_exact(problem, exams, limits, seconds) if seconds > 0 else None
    if isinstance(exact, dict):
        return exact, True
    rooms = PeriodRooms(problem)
    placed = {}
    for e in sorted(exams, key=lambda e: (-problem.size[e], e)):
        placed[e] = rooms.fallback(e)
        rooms.add(e, placed[e])
    return placed, False


# -- forward search ------------------------------------------------------------------------


class _Forward:
    """The state of the iterative forward search."""

    def __init__(self, problem: Problem, rng: random.Random) -> None:
        pb = self.pb = problem
        n, n_p = pb.n_exams, pb.n_periods
        self.rng = rng
        self.periods = [-1] * n
        self.shares: list[Shares] = [[] for _ in range(n)]
        self.rooms = [PeriodRooms(pb) for _ in range(n_p)]
        self.blocked = [[0] * n_p for _ in range(n)]  # placed neighbours per period
        self.domain: list[list[int]] = []
        for e in range(n):
            allowed = set(pb.domain[e])
            for m in pb.group[e]:
                allowed &= set(pb.domain[m])
            self.domain.append(sorted(allowed) or list(pb.domain[e]))
        self.displaced = [0] * n
        self.tie = [rng.random() for _ in range(n)]
        self.members = [sorted(pb.group[e], key=lambda m: (-pb.size[m], m)) for e in range(n)]
        self.left_from: dict[int, int] = {}
        self.history: dict[tuple[int, int], int] = {}  # (exam, period): times displaced

    def key(self, e: int) -> tuple[int, int, int, int, float]:
        """Selection order: most displaced, fewest clash-free periods, most neighbours."""
        pb = self.pb
        group = pb.group[e]
        blocked = self.blocked
        free = sum(1 for p in self.domain[e] if all(blocked[m][p] == 0 for m in group))
        degree = sum(pb.degree[m] for m in group)
        size = sum(pb.size[m] for m in group)
        return (-self.displaced[e], free, -degree, -size, self.tie[e])

    def place(self, e: int, p: int, found: list[Shares]) -> None:
        """Put the group of ``e`` in period ``p`` with these rooms (one per member)."""
        for m, s in zip(self.members[e], found, strict=True):
            self.periods[m] = p
            self.shares[m] = s
            self.rooms[p].add(m, s)
            for f, _ in self.pb.neighbours[m]:
                self.blocked[f][p] += 1

    def unplace(self, e: int) -> None:
        """Take the group of ``e`` out of the timetable."""
        for m in self.pb.group[e]:
            p = self.periods[m]
            if p < 0:
                continue
            self.rooms[p].remove(m, self.shares[m])
            for f, _ in self.pb.neighbours[m]:
                self.blocked[f][p] -= 1
            self.periods[m] = -1
            self.shares[m] = []

    def clashes(self, e: int, p: int) -> set[int]:
        """The placed exams that clash with the group of ``e`` in ``p`` (students, rules)."""
        pb = self.pb
        group = pb.group[e]
        periods = self.periods
        out: set[int] = set()
        for m in group:
            if self.blocked[m][p]:
                out.update(f for f, _ in pb.neighbours[m] if periods[f] == p)
            for rule in pb.rules[m]:
                theirs = periods[rule.other]
                if (
                    theirs >= 0
                    and rule.other not in group
                    and rule_violated(rule.relation, p, theirs)
                ):
                    out.add(rule.other)
        return out

    def soft(self, e: int, p: int) -> int:
        """The soft cost the group of ``e`` would add in ``p`` (rooms aside)."""
        pb = self.pb
        cost = 0
        pair_cost = pb.pair_cost[p]
        periods = self.periods
        for m in pb.group[e]:
            cost += pb.period_penalty[p]
            if pb.extra is not None:
                cost += pb.extra[m][p]
            if pb.front[m] and pb.late[p]:
                cost += pb.front_weight
            for f, w in pb.neighbours[m]:
                pf = periods[f]
                if pf >= 0:
                    cost += w * pair_cost[pf]
        return cost

    def fit(self, e: int, p: int) -> list[Shares] | None:
        """Rooms in ``p`` for every member of the group of ``e``, or ``None``."""
        members = self.members[e]
        if len(members) == 1:
            found = self.rooms[p].best(e)
            return None if found is None else [found]
        trial = self.rooms[p].copy()
        fits: list[Shares] = []
        for m in members:
            s = trial.best(m)
            if s is None:
                return None
            trial.add(m, s)
            fits.append(s)
        return fits

    def in_the_way(self, e: int, p: int, leaving: set[int]) -> set[int]:
        """The exams to take out of ``p``'s rooms (besides ``leaving``) to seat group ``e``."""
        trial = self.rooms[p].copy()
        gone: set[int] = set()
        for f in leaving:
            if self.periods[f] == p:
                trial.remove(f, self.shares[f])
                gone.add(f)
        out: set[int] = set()
        for m in self.members[e]:
            if trial.best(m) is None:
                for f in trial.in_the_way(m):
                    for g in self.pb.group[f]:
                        if self.periods[g] == p and g not in gone:
                            gone.add(g)
                            out.add(g)
                            trial.remove(g, self.shares[g])
            trial.add(m, trial.fallback(m))
        return out

    def run(self, max_steps: int, deadline: float | None = None) -> None:
        """Place every exam (see ``greedy``); past ``deadline``, without displacing."""
        pb = self.pb
        leaders = [e for e in range(pb.n_exams) if e == min(pb.group[e])]
        heap = [(self.key(e), e) for e in leaders]
        heapq.heapify(heap)
        steps = 0
        while heap:
            k, e = heapq.heappop(heap)
            if self.periods[e] >= 0:
                continue
            current = self.key(e)
            if current != k:
                heapq.heappush(heap, (current, e))
                continue
            steps += 1
            if deadline is not None and steps % 32 == 0 and time.monotonic() > deadline:
                max_steps = 0
            clean: list[tuple[int, int]] = []
            dirty: list[tuple[int, int, int]] = []
            for p in self.domain[e]:
                out = self.clashes(e, p)
                if out:
                    dirty.append((len(out), self.soft(e, p), p))
                else:
                    clean.append((self.soft(e, p), p))
            clean.sort()
            for _, p in clean:
                found = self.fit(e, p)
                if found is not None:
                    self.place(e, p, found)
                    break
            else:
                if steps > max_steps:
                    self._place_anyway(e, clean, dirty)
                    continue
                for f in self._displace(e, clean, dirty):
                    heapq.heappush(heap, (self.key(f), f))

    def _displace(
        self, e: int, clean: list[tuple[int, int]], dirty: list[tuple[int, int, int]]
    ) -> list[int]:
        """Place group ``e`` displacing the fewest exams; return the displaced leaders."""
        pb = self.pb
        rng = self.rng
        options: list[tuple[int, float, int, set[int]]] = []
        dirty.sort()
        history = self.history
        for _, _, p in dirty[:8]:
            out = self.clashes(e, p)
            out |= self.in_the_way(e, p, out)
            weight = sum(1 + history.get((f, p), 0) for f in out)
            options.append((self.left_from.get(e) == p, weight + rng.random(), p, out))
        for _, p in clean[:8]:
            out = self.in_the_way(e, p, set())
            weight = sum(1 + history.get((f, p), 0) for f in out)
            options.append((self.left_from.get(e) == p, weight + rng.random(), p, out))
        _, _, p, out = min(options, key=lambda o: (o[0], o[1], o[2]))
        leaders = []
        for f in sorted(out):
            if self.periods[f] >= 0:
                leader = min(pb.group[f])
                self.unplace(f)
                self.displaced[leader] += 1
                self.left_from[leader] = p
                self.history[f, p] = self.history.get((f, p), 0) + 1
                leaders.append(leader)
        found = self.fit(e, p)
        if found is None:
            trial = self.rooms[p].copy()
            found = []
            for m in self.members[e]:
                s = trial.fallback(m)
                trial.add(m, s)
                found.append(s)
        self.place(e, p, found)
        return leaders

    def _place_anyway(
        self, e: int, clean: list[tuple[int, int]], dirty: list[tuple[int, int, int]]
    ) -> None:
        """Place group ``e`` where it does the least harm, violations allowed."""
        p = clean[0][1] if clean else min(dirty)[2]
        trial = self.rooms[p].copy()
        found = []
        for m in self.members[e]:
            s = trial.fallback(m)
            trial.add(m, s)
            found.append(s)
        self.place(e, p, found)


def greedy(
    problem: Problem,
    rng: random.Random,
    max_steps: int | None = None,
    deadline: float | None = None,
) -> tuple[list[int], list[Shares]]:
    """A complete timetable by iterative forward search (see the module documentation).

    After ``max_steps`` placements (default ``20 * exams``), or past ``deadline`` (a
    ``time.monotonic()`` value), exams that find no clean period go where they do the least
    harm.
    """
    forward = _Forward(problem, rng)
    if problem.n_periods == 0:
        return forward.periods, forward.shares
    forward.run(20 * problem.n_exams if max_steps is None else max_steps, deadline)
    return forward.periods, forward.shares


# -- violations ----------------------------------------------------------------------------


def violating_exams(problem: Problem, periods: list[int], shares: list[Shares]) -> set[int]:
    """The exams involved in some hard-constraint violation."""
    pb = problem
    bad: set[int] = set()
    for e in range(pb.n_exams):
        p = periods[e]
        if any(periods[f] == p for f, _ in pb.neighbours[e]):
            bad.add(e)
        duration = pb.duration[e]
        if pb.instance.periods[p].duration < duration <= pb.longest_period:
            bad.add(e)
        for rule in pb.rules[e]:
            if rule_violated(rule.relation, p, periods[rule.other]):
                bad.add(e)
    used: dict[tuple[int, int], list[int]] = {}
    for e in range(pb.n_exams):
        for r, _ in shares[e]:
            used.setdefault((periods[e], r), []).append(e)
    for (_, r), held in used.items():
        seats = sum(s for e in held for rr, s in shares[e] if rr == r)
        if seats > pb.capacity[r] or (len(held) > 1 and any(pb.exclusive[e] for e in held)):
            bad.update(held)
    for e in range(pb.n_exams):
        if sum(s for _, s in shares[e]) < pb.size[e]:
            bad.add(e)
    return bad


# -- CP-SAT period model -------------------------------------------------------------------


class PeriodModel:
    """The CP-SAT model placing the ``free`` exams in periods, the others staying put."""

    def __init__(
        self,
        problem: Problem,
        periods: list[int],
        free: set[int],
        nogoods: Sequence[tuple[frozenset[int], int]] = (),
    ) -> None:
        self.pb = pb = problem
        self.model = model = cp_model.CpModel()
        self.periods = periods
        n_p = pb.n_periods
        fixed_in: list[list[int]] = [[] for _ in range(n_p)]
        for e in range(pb.n_exams):
            if e not in free:
                fixed_in[periods[e]].append(e)
        # Units: coincidence groups (freed together).
        self.units: list[list[int]] = []
        self.unit_of: dict[int, int] = {}
        for e in sorted(free):
            if e not in self.unit_of:
                for m in pb.group[e]:
                    self.unit_of[m] = len(self.units)
                self.units.append(sorted(pb.group[e]))
        self.x: list[dict[int, cp_model.IntVar]] = []
        for u, members in enumerate(self.units):
            allowed = set(range(n_p))
            for m in members:
                allowed &= set(pb.domain[m])
                for f, _ in pb.neighbours[m]:
                    if f not in self.unit_of:
                        allowed.discard(periods[f])
                for rule in pb.rules[m]:
                    if rule.other not in self.unit_of:
                        allowed = {
                            p
                            for p in allowed
                            if not rule_violated(rule.relation, p, periods[rule.other])
                        }
            xs = {p: model.new_bool_var(f"x{u}_{p}") for p in sorted(allowed)}
            model.add_exactly_one(xs.values())
            self.x.append(xs)

        # Students: at most one free exam per student and period.
        cliques: set[tuple[int, ...]] = set()
        for taken in pb.student_sets:
            units = tuple(sorted({self.unit_of[e] for e in taken if e in self.unit_of}))
            if len(units) > 1:
                cliques.add(units)
        for units in _maximal(cliques):
            for p in range(n_p):
                literals = [self.x[u][p] for u in units if p in self.x[u]]
                if len(literals) > 1:
                    model.add_at_most_one(literals)

        # Period constraints between free exams.
        y: dict[int, cp_model.IntVar] = {}

        def period_var(u: int) -> cp_model.IntVar:
            if u not in y:
                y[u] = model.new_int_var(0, n_p - 1, f"y{u}")
                model.add(y[u] == sum(p * v for p, v in self.x[u].items()))
            return y[u]

        for c in pb.instance.period_constraints:
            if c.first in self.unit_of and c.second in self.unit_of:
                a, b = self.unit_of[c.first], self.unit_of[c.second]
                if a == b:
                    continue
                if c.kind.value == "AFTER":
                    model.add(period_var(a) >= period_var(b) + 1)
                elif c.kind.value == "EXCLUSION":
                    model.add(period_var(a) != period_var(b))

        # Seats: for every capacity t, the exams larger than t fit in the rooms larger than t.
        caps = sorted(pb.capacity)
        for p in range(n_p):
            for t in sorted({0, *caps}):
                room = sum(c for c in caps if c > t)
                room -= sum(_seats(pb, e) for e in fixed_in[p] if pb.size[e] > t)
                terms = [
                    (_seats(pb, m), self.x[u][p])
                    for u, members in enumerate(self.units)
                    if p in self.x[u]
                    for m in members
                    if pb.size[m] > t
                ]
                if terms and sum(s for s, _ in terms) > room:
                    model.add(sum(s * v for s, v in terms) <= max(room, 0))
            exclusive = sum(1 for e in fixed_in[p] if pb.exclusive[e])
            terms_x = [
                self.x[u][p]
                for u, members in enumerate(self.units)
                if p in self.x[u]
                for m in members
                if pb.exclusive[m]
            ]
            if len(terms_x) + exclusive > pb.n_rooms:
                model.add(sum(terms_x) <= max(pb.n_rooms - exclusive, 0))
        for exams, period in nogoods:
            fixed = [e for e in exams if e not in self.unit_of]
            if all(periods[e] == period for e in fixed) and len(fixed) < len(exams):
                self.forbid(sorted(exams), period)
        self.hint(periods)

    def hint(self, periods: list[int]) -> None:
        """Suggest the current periods to the solver."""
        self.model.clear_hints()
        for u, members in enumerate(self.units):
            p = periods[members[0]]
            for q, v in self.x[u].items():
                self.model.add_hint(v, q == p)

    def forbid(self, exams: list[int], period: int) -> None:
        """Forbid these (free) exams from being all together in ``period``."""
        units = {self.unit_of[e] for e in exams if e in self.unit_of}
        if any(period not in self.x[u] for u in units):
            return
        literals = [self.x[u][period] for u in sorted(units)]
        if literals:
            self.model.add_bool_or([v.Not() for v in literals])

    def solve(self, limits: CpSatLimits, seconds: float, share: float) -> list[int] | bool | None:
        """New periods for every exam, ``False`` if infeasible, ``None`` if out of time."""
        if any(not xs for xs in self.x):
            return False
        solver = _solver(limits, seconds, share)
        solver.parameters.stop_after_first_solution = True
        if len(self.units) > 400:
            # Large models: the default presolve costs more than the search it saves.
            solver.parameters.cp_model_probing_level = 0
            solver.parameters.symmetry_level = 0
        status = solver.solve(self.model)
        if status == cp_model.INFEASIBLE:
            return False
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        periods = list(self.periods)
        for u, members in enumerate(self.units):
            p = next(q for q, v in self.x[u].items() if solver.value(v))
            for m in members:
                periods[m] = p
        return periods


def _seats(pb: Problem, e: int) -> int:
    """Seats an exam takes in the relaxation: a room-exclusive exam takes a whole room."""
    if pb.exclusive[e] and pb.room_order[e]:
        return min(pb.capacity[r] for r in pb.room_order[e])
    return pb.size[e]


def _maximal(sets: set[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """The sets not contained in another one of the collection."""
    kept: list[frozenset[int]] = []
    containing: dict[int, list[int]] = {}
    for s in sorted(sets, key=lambda s: (-len(s), s)):
        fs = frozenset(s)
        if any(fs <= kept[i] for i in containing.get(s[0], [])):
            continue
        index = len(kept)
        kept.append(fs)
        for v in s:
            containing.setdefault(v, []).append(index)
    return [tuple(sorted(s)) for s in kept]


# -- the whole construction ----------------------------------------------------------------


@dataclass
class Construction:
    """A first timetable and how it was obtained."""

    periods: list[int]
    shares: list[Shares]
    violating: int
    repairs: int
    seconds: float


def _grow(pb: Problem, free: set[int]) -> set[int]:
    grown = set(free)
    for e in free:
        grown.update(f for f, _ in pb.neighbours[e])
        grown.update(pb.group[e])
    return grown


def construct(
    problem: Problem,
    limits: CpSatLimits,
    *,
    should_stop: Callable[[], bool] | None = None,
    forward_steps: int | None = None,
) -> Construction:
    """A complete timetable, feasible if the repairs succeed within ``limits``.

    ``forward_steps`` bounds the forward search (see ``greedy``).
    """
    started = time.monotonic()
    pb = problem
    rng = random.Random(limits.seed)
    periods, shares = greedy(pb, rng, forward_steps, started + limits.seconds)
    bad = violating_exams(pb, periods, shares)
    repairs = 0
    free = _grow(pb, bad)
    nogoods: list[tuple[frozenset[int], int]] = []

    def left() -> float:
        return limits.seconds - (time.monotonic() - started)

    while bad and left() > 0 and not (should_stop is not None and should_stop()):
        repairs += 1
        whole = len(free) >= pb.n_exams
        model = PeriodModel(pb, periods, free, nogoods)
        share = 1.0 if whole else 0.25
        found = model.solve(limits, left() if whole else min(left(), 10.0), share)
        if whole and not isinstance(found, list):
            break  # out of time, or no timetable satisfies the hard constraints
        if not isinstance(found, list):
            free = _grow(pb, free) if len(free) * 2 < pb.n_exams else set(range(pb.n_exams))
            continue
        if whole and found == periods and not nogoods:
            break  # what is left cannot be helped by moving exams between periods
        changed = {periods[e] for e in free} | {found[e] for e in free}
        periods = found
        for p in sorted(changed):
            exams = [e for e in range(pb.n_exams) if periods[e] == p]
            placed, fits = pack_period(pb, exams, limits, min(left(), 5.0))
            if not fits:
                nogoods.append((frozenset(exams), p))
            for e, s in placed.items():
                shares[e] = s
        bad = violating_exams(pb, periods, shares)
        free = _grow(pb, bad | (free if bad else set()))
    return Construction(periods, shares, len(bad), repairs, time.monotonic() - started)
