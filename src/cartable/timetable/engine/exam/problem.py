"""The instance compiled into flat tables for the solver.

The three student-based soft costs (two in a row, two in a day, period spread) decompose over
pairs of exams: for exams ``e`` and ``f`` with ``w`` shared students, in periods ``p`` and ``q``,
they cost ``w * pair_cost[p][q]``. Together with a hard weight on ``p == q`` (students in two
exams at once), this is all the local search needs to price moving an exam between periods.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Instance, PeriodConstraintKind

HARD = 1 << 32
"""The cost of one hard-constraint violation in the solver's single objective."""


@dataclass(frozen=True)
class PeriodRule:
    """A period constraint seen from one of its exams.

    ``relation`` is ``"gt"`` (this exam's period must be greater than the other's), ``"lt"``,
    ``"eq"`` or ``"ne"``; ``index`` identifies the constraint line (for de-duplicating).
    """

    index: int
    other: int
    relation: str


def rule_violated(relation: str, mine: int, theirs: int) -> bool:
    """Whether a period rule with these two periods is violated."""
    if relation == "gt":
        return not mine > theirs
    if relation == "lt":
        return not mine < theirs
    if relation == "eq":
        return mine != theirs
    return mine == theirs


class Problem:
    """Flat, index-based tables derived from an instance (built once per solve)."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        exams, periods, rooms = instance.exams, instance.periods, instance.rooms
        w = instance.weightings
        self.n_exams = n = len(exams)
        self.n_periods = n_p = len(periods)
        self.n_rooms = len(rooms)
        self.size = [exam.size for exam in exams]
        self.duration = [exam.duration for exam in exams]
        self.capacity = [r.capacity for r in rooms]
        self.room_penalty = [r.penalty for r in rooms]
        self.period_penalty = [p.penalty for p in periods]
        # Cartable's per-exam period costs (a re-plan's price for leaving a published period).
        self.extra: list[list[int]] | None = (
            [list(row) for row in instance.exam_period_costs]
            if any(any(row) for row in instance.exam_period_costs)
            else None
        )
        self.day = [p.day for p in periods]
        self.max_capacity = max(self.capacity, default=0)
        self.longest_period = max((p.duration for p in periods), default=0)

        # Periods long enough for each exam (all periods if none is: unavoidable violation).
        self.domain: list[list[int]] = []
        for exam in exams:
            fit = [p for p in range(n_p) if periods[p].duration >= exam.duration]
            self.domain.append(fit or list(range(n_p)))

        # Conflict graph weighted by shared students.
        exams_of: dict[int, list[int]] = defaultdict(list)
        for e, exam in enumerate(exams):
            for s in sorted(exam.students):
                exams_of[s].append(e)
        shared: dict[tuple[int, int], int] = defaultdict(int)
        student_sets: set[tuple[int, ...]] = set()
        for taken in exams_of.values():
            if len(taken) > 1:
                student_sets.add(tuple(taken))
            for i in range(len(taken)):
                for j in range(i + 1, len(taken)):
                    shared[(taken[i], taken[j])] += 1
        self.student_sets = sorted(student_sets)
        self.neighbours: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        for (a, b), count in sorted(shared.items()):
            self.neighbours[a].append((b, count))
            self.neighbours[b].append((a, count))
        self.degree = [len(nb) for nb in self.neighbours]

        # Pair cost per shared student (soft), and the same with the hard weight on p == q.
        g = w.period_spread
        self.pair_cost = [[0] * n_p for _ in range(n_p)]
        for p in range(n_p):
            for q in range(n_p):
                if p == q:
                    continue
                cost = 0
                if self.day[p] == self.day[q]:
                    cost += w.two_in_a_row if abs(p - q) == 1 else w.two_in_a_day
                if abs(p - q) <= g:
                    cost += 1
                self.pair_cost[p][q] = cost

        # Front load.
        front = instance.front_load_set
        self.front = [e in front for e in range(n)]
        late = set(instance.late_periods)
        self.late = [p in late for p in range(n_p)]
        self.front_weight = w.front_load_weight
        self.mixed_weight = w.non_mixed_durations
        self.exclusive = [e in instance.room_exclusive for e in range(n)]

        # Period rules per exam, and coincidence groups (union-find).
        self.rules: list[list[PeriodRule]] = [[] for _ in range(n)]
        parent = list(range(n))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, c in enumerate(instance.period_constraints):
            a, b = c.first, c.second
            if a == b:
                continue  # always met (coincidence) or always violated: no exam can change it
            if c.kind is PeriodConstraintKind.AFTER:
                self.rules[a].append(PeriodRule(i, b, "gt"))
                self.rules[b].append(PeriodRule(i, a, "lt"))
            elif c.kind is PeriodConstraintKind.EXAM_COINCIDENCE:
                self.rules[a].append(PeriodRule(i, b, "eq"))
                self.rules[b].append(PeriodRule(i, a, "eq"))
                parent[find(a)] = find(b)
            else:
                self.rules[a].append(PeriodRule(i, b, "ne"))
                self.rules[b].append(PeriodRule(i, a, "ne"))
        members: dict[int, list[int]] = defaultdict(list)
        for e in range(n):
            members[find(e)].append(e)
        self.group = [members[find(e)] for e in range(n)]
        self._narrow_domains()

        # Rooms each exam fits in alone, cheapest then smallest first.
        self.room_order: list[list[int]] = []
        by_preference = sorted(
            range(self.n_rooms), key=lambda r: (self.room_penalty[r], self.capacity[r], r)
        )
        for e in range(n):
            self.room_order.append([r for r in by_preference if self.capacity[r] >= self.size[e]])
        self.rooms_by_capacity = sorted(
            range(self.n_rooms), key=lambda r: (-self.capacity[r], self.room_penalty[r], r)
        )

    def _narrow_domains(self) -> None:
        """Shrink the period domains by bounds propagation over coincidence and ``AFTER``.

        Every timetable satisfying the hard constraints keeps each exam within its narrowed
        domain; if the propagation empties a domain (an impossible instance), nothing changes.
        """
        n_p = self.n_periods
        lo = [min(d, default=0) for d in self.domain]
        hi = [max(d, default=n_p - 1) for d in self.domain]
        after = [
            (c.first, c.second)
            for c in self.instance.period_constraints
            if c.kind is PeriodConstraintKind.AFTER and c.first != c.second
        ]
        for _ in range(n_p + 1):
            changed = False
            for a, b in after:
                if lo[a] < lo[b] + 1:
                    lo[a] = lo[b] + 1
                    changed = True
                if hi[b] > hi[a] - 1:
                    hi[b] = hi[a] - 1
                    changed = True
            for members in self.group:
                low, high = max(lo[m] for m in members), min(hi[m] for m in members)
                for m in members:
                    if lo[m] != low or hi[m] != high:
                        lo[m], hi[m] = low, high
                        changed = True
            if not changed:
                break
        narrowed = [[p for p in d if lo[e] <= p <= hi[e]] for e, d in enumerate(self.domain)]
        if all(narrowed):
            self.domain = narrowed

    def needs_split(self, exam: int) -> bool:
        """Whether the exam is larger than every room and must be split."""
        return not self.room_order[exam] and self.n_rooms > 0
