"""Local search on a complete timetable: incremental costs and simulated annealing.

The state keeps, for every exam ``e`` and period ``q``, the cost ``G[e, q]`` that the pairs of
``e`` would pay if ``e`` were in ``q`` and every other exam stayed where it is: the sum over
neighbours ``f`` (``w`` shared students) of ``w * pair_cost[q][period(f)]``, plus ``HARD`` per
shared student when ``q == period(f)``. Moving one exam is then priced in constant time for the
pairs; the table is updated (one row per neighbour) only when a move is accepted.

Moves:

- period move: an exam to another period (a random one, or the cheapest one for the pairs,
  penalties and front load) and its cheapest room there; when the exam has neighbours in the
  target period or coincidence partners, the Kempe chain of the two periods is swapped
  instead, which keeps students conflict-free;
- room move: an exam to another room of its period;
- repack: all the exams of a period seated again, one by one, in their cheapest room.

The objective is ``HARD * violations + soft cost``; all deltas are exact, so the cost of the
state always equals the evaluator's (``check`` recomputes it from scratch).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .problem import HARD, Problem, rule_violated

Shares = list[tuple[int, int]]
"""The rooms of one exam: ``(room, seats)`` pairs."""


@dataclass
class Snapshot:
    """A copy of a timetable and its cost in the solver's objective."""

    periods: list[int]
    shares: list[Shares]
    cost: int

    @property
    def hard(self) -> int:
        """Hard violations."""
        return self.cost // HARD

    @property
    def soft(self) -> int:
        """Soft cost."""
        return self.cost % HARD


class State:
    """A complete timetable with the tables that price moves incrementally."""

    def __init__(self, problem: Problem, periods: list[int], shares: list[Shares]) -> None:
        self.pb = pb = problem
        n, n_p, n_r = pb.n_exams, pb.n_periods, pb.n_rooms
        # Hard violations and soft cost share one integer: the soft part must stay below HARD.
        worst_pair = max((max(row) for row in pb.pair_cost), default=0)
        worst_exam = max(pb.period_penalty, default=0) + pb.front_weight + pb.mixed_weight
        worst_exam += max((max(row, default=0) for row in pb.extra or ()), default=0)
        worst_exam += max(pb.room_penalty, default=0) * max(1, n_r)
        shared = sum(w for nb in pb.neighbours for _, w in nb)
        if shared * worst_pair + n * worst_exam >= HARD:
            raise ValueError("weights too large for the solver's cost encoding")
        self.period = list(periods)
        self.shares: list[Shares] = [list(s) for s in shares]
        self.matrix = np.array(pb.pair_cost, dtype=np.int64) + HARD * np.eye(n_p, dtype=np.int64)
        self.nb_index: list[npt.NDArray[np.int64]] = []
        self.nb_weight: list[npt.NDArray[np.int64]] = []  # as a column
        for e in range(n):
            self.nb_index.append(np.array([f for f, _ in pb.neighbours[e]], dtype=np.int64))
            self.nb_weight.append(
                np.array([[w] for _, w in pb.neighbours[e]], dtype=np.int64).reshape(-1, 1)
            )
        self.too_long = [
            [pb.duration[e] > pb.instance.periods[q].duration for q in range(n_p)] for e in range(n)
        ]
        self.group_domain: list[list[int]] = []
        for e in range(n):
            allowed = set(pb.domain[e])
            for m in pb.group[e]:
                allowed &= set(pb.domain[m])
            self.group_domain.append(sorted(allowed) or list(pb.domain[e]))
        # Room-period tables, indexed by period * n_rooms + room.
        self.used = [0] * (n_p * n_r)
        self.occupants = [0] * (n_p * n_r)
        self.n_exclusive = [0] * (n_p * n_r)
        self.durations: list[dict[int, int]] = [{} for _ in range(n_p * n_r)]
        for e in range(n):
            self._attach(e, self.period[e], self.shares[e])
        # Conflict and coincidence links as bit sets, for Kempe chains.
        self.link_bits = [0] * n
        for e in range(n):
            bits = 0
            for f, _ in pb.neighbours[e]:
                bits |= 1 << f
            for m in pb.group[e]:
                if m != e:
                    bits |= 1 << m
            self.link_bits[e] = bits
        self.member_bits = [0] * n_p
        for e in range(n):
            self.member_bits[self.period[e]] |= 1 << e
        self.front_bits = sum(1 << e for e in range(n) if pb.front[e])
        self.rule_bits = sum(1 << e for e in range(n) if pb.rules[e])
        self.too_long_bits = [
            sum(1 << e for e in range(n) if self.too_long[e][q]) for q in range(n_p)
        ]
        # What an exam pays in each period on its own: penalty, front load, too long.
        late = np.array(pb.late, dtype=np.int64)
        self.alone = np.tile(np.array(pb.period_penalty, dtype=np.int64), (n, 1))
        for e in range(n):
            if pb.front[e]:
                self.alone[e] += pb.front_weight * late
            self.alone[e] += HARD * np.array(self.too_long[e], dtype=np.int64)
        if pb.extra is not None:
            self.alone += np.array(pb.extra, dtype=np.int64)
        # Most the room cost of an exam can fall when it leaves (in a feasible state).
        self.floor = [self._floor(s) for s in self.shares]
        counts = np.zeros((n, n_p), dtype=np.int64)
        for e in range(n):
            if len(self.nb_index[e]):
                counts[self.nb_index[e], self.period[e]] += self.nb_weight[e][:, 0]
        self.gain = counts @ self.matrix
        self.cost = self.full_cost()

    # -- costs from scratch --------------------------------------------------------------

    def _room_period_cost(self, k: int) -> int:
        occupants = self.occupants[k]
        if occupants == 0:
            return 0
        cost = self.pb.mixed_weight * (len(self.durations[k]) - 1)
        if self.used[k] > self.pb.capacity[k % self.pb.n_rooms]:
            cost += HARD
        if occupants > 1:
            cost += HARD * self.n_exclusive[k]
        return cost

    def rules_cost(self) -> int:
        """Violated period-constraint lines, times ``HARD``."""
        pb = self.pb
        violated = 0
        for c in pb.instance.period_constraints:
            relation = {"AFTER": "gt", "EXAM_COINCIDENCE": "eq", "EXCLUSION": "ne"}[c.kind.value]
            violated += rule_violated(relation, self.period[c.first], self.period[c.second])
        return HARD * violated

    def full_cost(self) -> int:
        """The objective recomputed from scratch (pairs from the gain table)."""
        pb = self.pb
        pairs = sum(self.gain.item(e, self.period[e]) for e in range(pb.n_exams))
        assert pairs % 2 == 0
        cost = pairs // 2
        for e in range(pb.n_exams):
            p = self.period[e]
            cost += pb.period_penalty[p]
            if pb.extra is not None:
                cost += pb.extra[e][p]
            if pb.front[e] and pb.late[p]:
                cost += pb.front_weight
            if self.too_long[e][p]:
                cost += HARD
            cost += sum(pb.room_penalty[r] for r, _ in self.shares[e])
        cost += sum(self._room_period_cost(k) for k in range(len(self.used)))
        return cost + self.rules_cost()

    def check(self) -> None:
        """Raise ``AssertionError`` if the incremental tables drifted from the truth."""
        fresh = State(self.pb, self.period, self.shares)
        assert np.array_equal(fresh.gain, self.gain), "gain table drifted"
        assert fresh.cost == self.cost, f"cost drifted: {self.cost} != {fresh.cost}"

    def snapshot(self) -> Snapshot:
        """A copy of the current timetable."""
        return Snapshot(list(self.period), [list(s) for s in self.shares], self.cost)

    # -- room-period bookkeeping ---------------------------------------------------------

    def _floor(self, shares: Shares) -> int:
        pb = self.pb
        return sum(pb.room_penalty[r] + pb.mixed_weight for r, _ in shares)

    def _attach(self, e: int, p: int, shares: Shares) -> None:
        base = p * self.pb.n_rooms
        d = self.pb.duration[e]
        x = self.pb.exclusive[e]
        for r, seats in shares:
            k = base + r
            self.used[k] += seats
            self.occupants[k] += 1
            self.n_exclusive[k] += x
            counts = self.durations[k]
            counts[d] = counts.get(d, 0) + 1

    def _detach(self, e: int, p: int, shares: Shares) -> None:
        base = p * self.pb.n_rooms
        d = self.pb.duration[e]
        x = self.pb.exclusive[e]
        for r, seats in shares:
            k = base + r
            self.used[k] -= seats
            self.occupants[k] -= 1
            self.n_exclusive[k] -= x
            counts = self.durations[k]
            if counts[d] == 1:
                del counts[d]
            else:
                counts[d] -= 1

    def _leave_delta(self, e: int, p: int, shares: Shares) -> int:
        """Cost change when exam ``e`` leaves its rooms in period ``p``."""
        pb = self.pb
        base = p * pb.n_rooms
        d = pb.duration[e]
        x = pb.exclusive[e]
        delta = 0
        for r, seats in shares:
            k = base + r
            delta -= pb.room_penalty[r]
            occupants = self.occupants[k]
            counts = self.durations[k]
            if occupants > 1 and counts[d] == 1:
                delta -= pb.mixed_weight
            used = self.used[k]
            cap = pb.capacity[r]
            if used > cap and used - seats <= cap:
                delta -= HARD
            if occupants > 1:
                before = self.n_exclusive[k]
                after = before - x if occupants > 2 else 0
                delta += HARD * (after - before)
        return delta

    def _enter_cost(self, e: int, k: int, r: int, seats: int) -> int:
        """Cost change when exam ``e`` enters room-period ``k`` (room ``r``) with ``seats``."""
        pb = self.pb
        cost = pb.room_penalty[r]
        occupants = self.occupants[k]
        used = self.used[k]
        cap = pb.capacity[r]
        if occupants:
            if pb.duration[e] not in self.durations[k]:
                cost += pb.mixed_weight
            before = self.n_exclusive[k] if occupants > 1 else 0
            cost += HARD * (self.n_exclusive[k] + pb.exclusive[e] - before)
        if used + seats > cap and used <= cap:
            cost += HARD
        return cost

    def best_rooms(self, e: int, p: int) -> tuple[Shares, int]:
        """The cheapest rooms for exam ``e`` in period ``p`` (given the others) and their cost."""
        pb = self.pb
        order = pb.room_order[e]
        if not order:
            return self._split_rooms(e, p)
        base = p * pb.n_rooms
        size = pb.size[e]
        best_room = -1
        best_cost = 1 << 62
        room_penalty = pb.room_penalty
        for r in order:
            pr = room_penalty[r]
            if pr >= best_cost:
                break
            k = base + r
            cost = pr if self.occupants[k] == 0 else self._enter_cost(e, k, r, size)
            if cost < best_cost:
                best_cost = cost
                best_room = r
                if cost == pr:
                    break
        return [(best_room, size)], best_cost

    def _split_rooms(self, e: int, p: int) -> tuple[Shares, int]:
        """Rooms for an exam larger than every room: the emptiest rooms until all are seated."""
        pb = self.pb
        base = p * pb.n_rooms
        if pb.n_rooms == 0:
            return [], 0
        order = sorted(
            range(pb.n_rooms),
            key=lambda r: (-(pb.capacity[r] - self.used[base + r]), pb.room_penalty[r], r),
        )
        shares: Shares = []
        left = pb.size[e]
        for r in order:
            free = pb.capacity[r] - self.used[base + r]
            if free <= 0:
                break
            take = min(free, left)
            shares.append((r, take))
            left -= take
            if left == 0:
                break
        if left:
            if shares:
                r, take = shares[0]
                shares[0] = (r, take + left)
            else:
                shares = [(order[0], left)]
        cost = sum(self._enter_cost(e, base + r, r, seats) for r, seats in shares)
        return shares, cost

    # -- moves ---------------------------------------------------------------------------

    def period_delta(self, e: int, q: int, limit: int | None = None) -> tuple[int, Shares] | None:
        """Cost change and new rooms when the single exam ``e`` moves to period ``q``.

        Only for an exam without coincidence partners. Returns ``None`` when the change is
        sure to be at least ``limit`` (given, in a feasible state).
        """
        pb = self.pb
        p = self.period[e]
        delta = self.gain.item(e, q) - self.gain.item(e, p)
        delta += pb.period_penalty[q] - pb.period_penalty[p]
        if pb.extra is not None:
            delta += pb.extra[e][q] - pb.extra[e][p]
        if pb.front[e]:
            delta += pb.front_weight * (pb.late[q] - pb.late[p])
        too_long = self.too_long[e]
        if too_long[q] != too_long[p]:
            delta += HARD if too_long[q] else -HARD
        rules = pb.rules[e]
        if rules:
            period = self.period
            for rule in rules:
                theirs = period[rule.other]
                delta += HARD * (
                    rule_violated(rule.relation, q, theirs)
                    - rule_violated(rule.relation, p, theirs)
                )
        if limit is not None and self.cost < HARD and delta - self.floor[e] >= limit:
            return None
        delta += self._leave_delta(e, p, self.shares[e])
        shares, enter = self.best_rooms(e, q)
        return delta + enter, shares

    def apply_period_move(self, e: int, q: int, shares: Shares, delta: int) -> None:
        """Move the single exam ``e`` to period ``q`` in ``shares`` (priced at ``delta``)."""
        p = self.period[e]
        self._detach(e, p, self.shares[e])
        self._attach(e, q, shares)
        self.shares[e] = shares
        self.floor[e] = self._floor(shares)
        self.period[e] = q
        self.member_bits[p] ^= 1 << e
        self.member_bits[q] ^= 1 << e
        self._shift_gain(e, p, q)
        self.cost += delta

    def _shift_gain(self, e: int, p: int, q: int) -> None:
        index = self.nb_index[e]
        if len(index) and p != q:
            self.gain[index] += self.nb_weight[e] * (self.matrix[q] - self.matrix[p])

    def room_delta(self, e: int, r: int) -> int:
        """Cost change when the single-room exam ``e`` moves to room ``r`` of its period."""
        p = self.period[e]
        old = self.shares[e][0][0]
        seats = self.shares[e][0][1]
        if r == old:
            return 0
        k = p * self.pb.n_rooms + r
        return self._leave_delta(e, p, self.shares[e]) + self._enter_cost(e, k, r, seats)

    def apply_room_move(self, e: int, r: int, delta: int) -> None:
        """Move exam ``e`` to room ``r`` of its period (priced at ``delta``)."""
        p = self.period[e]
        seats = self.shares[e][0][1]
        self._detach(e, p, self.shares[e])
        self.shares[e] = [(r, seats)]
        self.floor[e] = self._floor(self.shares[e])
        self._attach(e, p, self.shares[e])
        self.cost += delta

    def kempe_chain(self, e: int, q: int) -> tuple[list[int], list[int], int, int]:
        """The Kempe chain of ``e`` between its period ``p`` and ``q``.

        The chain is the connected part, around ``e``, of the exams of the two periods
        linked by shared students or coincidence; swapping it moves ``e`` to ``q``. Returns
        the chain's exams in ``p``, those in ``q``, and the same two sets as bit sets.
        """
        links = self.link_bits
        mine = self.member_bits[self.period[e]]
        inside = mine | self.member_bits[q]
        here: list[int] = []
        there: list[int] = []
        reach = frontier = 1 << e
        while frontier:
            grown = 0
            while frontier:
                low = frontier & -frontier
                f = low.bit_length() - 1
                if low & mine:
                    here.append(f)
                else:
                    there.append(f)
                grown |= links[f]
                frontier ^= low
            frontier = grown & inside & ~reach
            reach |= frontier
        return here, there, reach & mine, reach & ~mine

    def kempe_delta(
        self, e: int, q: int, limit: int | None = None
    ) -> tuple[int, dict[int, int], dict[int, Shares]] | None:
        """Cost change, moves and new rooms of swapping the Kempe chain of ``e`` and ``q``.

        Returns ``None`` when the change is sure to be at least ``limit`` (given, in a
        feasible state). The chain is closed: every neighbour, in either period, of a chain
        exam is in the chain, so the shared students inside it are read off the gain table.
        """
        here, there, here_bits, there_bits = self.kempe_chain(e, q)
        return self._chain_delta(here, there, here_bits, there_bits, self.period[e], q, limit)

    def _chain_delta(
        self,
        here: list[int],
        there: list[int],
        here_bits: int,
        there_bits: int,
        p: int,
        q: int,
        limit: int | None,
    ) -> tuple[int, dict[int, int], dict[int, Shares]] | None:
        """Price swapping a closed chain: ``here`` (in ``p``) to ``q``, ``there`` to ``p``."""
        pb = self.pb
        item = self.gain.item
        floor = self.floor
        delta = 0
        cross = same = 0
        rooms_floor = 0
        for f in here:
            to, at = item(f, q), item(f, p)
            delta += to - at
            cross += to >> 32
            same += at >> 32
            rooms_floor += floor[f]
        for f in there:
            to, at = item(f, p), item(f, q)
            delta += to - at
            same += at >> 32
            rooms_floor += floor[f]
        # Pairs inside the chain were priced against the old place of the other exam.
        delta -= (HARD - self.matrix.item(p, q)) * (2 * cross - same)
        delta += (len(here) - len(there)) * (pb.period_penalty[q] - pb.period_penalty[p])
        if pb.extra is not None:
            extra = pb.extra
            delta += sum(extra[f][q] - extra[f][p] for f in here)
            delta += sum(extra[f][p] - extra[f][q] for f in there)
        if pb.late[q] != pb.late[p]:
            front = (here_bits & self.front_bits).bit_count()
            front -= (there_bits & self.front_bits).bit_count()
            delta += pb.front_weight * front * (pb.late[q] - pb.late[p])
        too_long = self.too_long_bits
        delta += HARD * (
            (here_bits & too_long[q]).bit_count()
            - (here_bits & too_long[p]).bit_count()
            + (there_bits & too_long[p]).bit_count()
            - (there_bits & too_long[q]).bit_count()
        )
        chain = here_bits | there_bits
        ruled = chain & self.rule_bits
        if ruled:
            period = self.period
            seen: set[int] = set()
            for f in _bits(ruled):
                of = period[f]
                nf = q if of == p else p
                for rule in pb.rules[f]:
                    if rule.index in seen:
                        continue
                    seen.add(rule.index)
                    og = period[rule.other]
                    ng = (q if og == p else p) if chain >> rule.other & 1 else og
                    delta += HARD * (
                        rule_violated(rule.relation, nf, ng) - rule_violated(rule.relation, of, og)
                    )
        if limit is not None and self.cost < HARD and delta - rooms_floor >= limit:
            return None
        moves = dict.fromkeys(here, q)
        moves.update(dict.fromkeys(there, p))
        rooms, placed = self._rooms_delta(moves)
        return delta + rooms, moves, placed

    def repack_delta(
        self, p: int, rng: random.Random | None = None
    ) -> tuple[int, dict[int, int], dict[int, Shares]]:
        """Cost change, moves and new rooms when the exams of period ``p`` are re-seated.

        Exams are placed again one by one in their cheapest room: room-exclusive first,
        then largest first, or in a random order if ``rng`` is given.
        """
        moves = dict.fromkeys(_bits(self.member_bits[p]), p)
        order = None
        if rng is not None:
            order = list(moves)
            rng.shuffle(order)
        delta, placed = self._rooms_delta(moves, order)
        return delta, moves, placed

    def _rooms_delta(
        self, moves: dict[int, int], order: list[int] | None = None
    ) -> tuple[int, dict[int, Shares]]:
        """Room cost change and new rooms when these exams change periods.

        Every moving exam is taken out, then they are placed one by one (in ``order``, by
        default room-exclusive first, then largest); the room tables are restored.
        """
        pb = self.pb
        period = self.period
        delta = 0
        for f in moves:
            delta += self._leave_delta(f, period[f], self.shares[f])
            self._detach(f, period[f], self.shares[f])
        placed: dict[int, Shares] = {}
        if order is None:
            order = sorted(moves, key=lambda f: (not pb.exclusive[f], -pb.size[f], f))
        for f in order:
            shares, enter = self.best_rooms(f, moves[f])
            delta += enter
            self._attach(f, moves[f], shares)
            placed[f] = shares
        for f in order:
            self._detach(f, moves[f], placed[f])
        for f in moves:
            self._attach(f, period[f], self.shares[f])
        return delta, placed

    def apply_multi(self, moves: dict[int, int], placed: dict[int, Shares], delta: int) -> None:
        """Carry out a move priced by ``kempe_delta``."""
        for f in moves:
            self._detach(f, self.period[f], self.shares[f])
        for f, q in moves.items():
            self._attach(f, q, placed[f])
            self.shares[f] = placed[f]
            self.floor[f] = self._floor(placed[f])
            p = self.period[f]
            self.period[f] = q
            self.member_bits[p] ^= 1 << f
            self.member_bits[q] ^= 1 << f
            self._shift_gain(f, p, q)
        self.cost += delta


def _bits(mask: int) -> list[int]:
    """The positions of the set bits of ``mask``, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


@dataclass
class AnnealingReport:
    """How a run went: iterations done, moves accepted, and the best timetable."""

    iterations: int
    accepted: int
    best: Snapshot


def anneal(
    state: State,
    rng: random.Random,
    *,
    iterations: int | None,
    deadline: Callable[[], float] | None,
    t_start: float,
    t_end: float,
    stop: Callable[[], bool] | None = None,
    report: Callable[[int, int, int], None] | None = None,
    check_every: int = 1024,
    room_move_rate: float = 0.15,
    best_period_rate: float = 0.0,
    repack_rate: float = 0.0,
) -> AnnealingReport:
    """Simulated annealing from ``state`` (modified in place); returns the best timetable.

    The temperature falls geometrically from ``t_start`` to ``t_end`` over the budget:
    ``iterations`` if given (deterministic), else the fraction of time returned by
    ``deadline()`` (0 at the start, 1 at the end). ``stop()`` is polled every
    ``check_every`` iterations, as is ``report(iterations, current cost, best cost)``; a
    timetable of cost 0 ends the run.
    A move is accepted if it does not worsen the cost, or with probability
    ``exp(-delta / temperature)``; a move adding a hard violation never is. Of the moves,
    ``room_move_rate`` are room moves, ``repack_rate`` repacks, and ``best_period_rate`` of
    the period moves of single exams go to the exam's cheapest period.
    """
    pb = state.pb
    n = pb.n_exams
    best = state.snapshot()
    best_saved = True
    best_cost = state.cost
    if n == 0 or pb.n_periods == 0:
        return AnnealingReport(0, 0, best)
    domains = state.group_domain
    singles = [len(pb.group[e]) == 1 for e in range(n)]
    room_choices = pb.room_order
    can_move_room = [len(room_choices[e]) > 1 and not pb.needs_split(e) for e in range(n)]
    room_rate = room_move_rate if pb.n_rooms > 1 and any(can_move_room) else 0.0
    ratio = math.log(t_end / t_start) if t_start > 0 and t_end > 0 else 0.0
    temperature = t_start
    accepted = 0
    it = 0
    random_ = rng.random
    log = math.log
    gain_item = state.gain.item
    period = state.period
    alone = state.alone
    next_check = 0
    while True:
        if it >= next_check:
            if iterations is not None:
                fraction = it / iterations if iterations else 1.0
                next_check = min(it + check_every, iterations)
            else:
                fraction = deadline() if deadline is not None else 1.0
                next_check = it + check_every
            if fraction >= 1.0 or best_cost == 0 or (stop is not None and stop()):
                break
            temperature = t_start * math.exp(ratio * fraction)
            if report is not None:
                report(it, state.cost, best_cost)
        it += 1
        e = int(random_() * n)
        # Accept when delta < limit (limit >= 0); improving or neutral moves always.
        limit = min(int(-temperature * log(1.0 - random_())) + 1, HARD)
        if repack_rate and random_() < repack_rate:
            p = int(random_() * pb.n_periods)
            delta, moves, placed = state.repack_delta(p, rng if random_() < 0.5 else None)
            if delta > 0 and delta >= limit:
                continue
            if delta > 0 and best_cost == state.cost and not best_saved:
                best = state.snapshot()
                best_saved = True
            state.apply_multi(moves, placed, delta)
        elif room_rate and can_move_room[e] and random_() < room_rate:
            choices = room_choices[e]
            r = choices[int(random_() * len(choices))]
            delta = state.room_delta(e, r)
            if delta > 0 and delta >= limit:
                continue
            if delta > 0 and best_cost == state.cost and not best_saved:
                best = state.snapshot()
                best_saved = True
            state.apply_room_move(e, r, delta)
        else:
            if best_period_rate and singles[e] and random_() < best_period_rate:
                row = state.gain[e] + alone[e]
                row[period[e]] = 1 << 62
                q = int(row.argmin())
            else:
                domain = domains[e]
                q = domain[int(random_() * len(domain))]
            if q == period[e]:
                continue
            if singles[e] and gain_item(e, q) < HARD:
                found = state.period_delta(e, q, limit)
                if found is None:
                    continue
                delta, shares = found
                if delta > 0 and delta >= limit:
                    continue
                if delta > 0 and best_cost == state.cost and not best_saved:
                    best = state.snapshot()
                    best_saved = True
                state.apply_period_move(e, q, shares, delta)
            else:
                kempe = state.kempe_delta(e, q, limit)
                if kempe is None:
                    continue
                delta, moves, placed = kempe
                if delta > 0 and delta >= limit:
                    continue
                if delta > 0 and best_cost == state.cost and not best_saved:
                    best = state.snapshot()
                    best_saved = True
                state.apply_multi(moves, placed, delta)
        accepted += 1
        if state.cost < best_cost:
            best_cost = state.cost
            best_saved = False
    if not best_saved or state.cost < best.cost:
        best = state.snapshot()
    return AnnealingReport(it, accepted, best)
