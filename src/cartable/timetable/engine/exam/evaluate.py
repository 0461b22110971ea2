"""The exact evaluation of an examination timetable.

Hard constraints, each counted separately (a solution is feasible when all counts are 0):

- ``student_conflicts``: for every student, every pair of their exams in the same period;
- ``room_capacity``: room-periods whose seats exceed the room's capacity, plus exams whose
  shares seat fewer students than the exam has;
- ``period_duration``: exams longer than their period;
- ``after``, ``coincidence``, ``exclusion``: violated period-constraint lines;
- ``room_exclusive``: room-exclusive exams sharing one of their room-periods with another exam.

Soft costs, already multiplied by their weights (ITC 2007 definition): for every student and
every pair of their exams in different periods ``p1 != p2``,

- two in a row: same day and ``|p1 - p2| == 1``;
- two in a day: same day and ``|p1 - p2| > 1``;
- period spread: ``|p1 - p2| <= g`` (on top of the two above, weight 1);

and furthermore non-mixed durations (per room-period, number of distinct durations minus 1),
front load (the largest exams in the last periods, ties broken by lower exam id), period penalty
(per exam, the penalty of its period) and room penalty (per exam, the penalty of its room).

Split exams: an exam held in several rooms uses, in each, the seats of its share (the room
capacities are in effect summed for it); it pays the penalty of every room it uses, and its
duration counts in each of its room-periods for the non-mixed durations. With one room per exam
this is exactly the ITC 2007 evaluation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields

from .model import Instance, PeriodConstraintKind, Solution


@dataclass(frozen=True)
class HardViolations:
    """The number of violations of each hard constraint."""

    student_conflicts: int = 0
    room_capacity: int = 0
    period_duration: int = 0
    after: int = 0
    coincidence: int = 0
    exclusion: int = 0
    room_exclusive: int = 0

    @property
    def total(self) -> int:
        """All violations together."""
        return sum(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class SoftCost:
    """Each soft component, already weighted."""

    two_in_a_row: int = 0
    two_in_a_day: int = 0
    period_spread: int = 0
    non_mixed_durations: int = 0
    front_load: int = 0
    period_penalty: int = 0
    room_penalty: int = 0

    @property
    def total(self) -> int:
        """The soft cost: the sum of the components."""
        return sum(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Evaluation:
    """Hard violations and soft cost of a solution."""

    hard: HardViolations
    soft: SoftCost

    @property
    def feasible(self) -> bool:
        """No hard constraint is violated."""
        return self.hard.total == 0

    @property
    def total(self) -> int:
        """The soft cost (the ITC score of a feasible solution)."""
        return self.soft.total

    def as_dict(self) -> dict[str, int | bool]:
        """Every count and component by name, with ``hard``, ``soft`` and ``feasible``."""
        out: dict[str, int | bool] = {}
        for f in fields(self.hard):
            out[f.name] = getattr(self.hard, f.name)
        for f in fields(self.soft):
            out[f.name] = getattr(self.soft, f.name)
        out["hard"] = self.hard.total
        out["soft"] = self.soft.total
        out["feasible"] = self.feasible
        return out


def check_shape(instance: Instance, solution: Solution) -> None:
    """Raise ``ValueError`` unless the solution places every exam in known periods and rooms."""
    if len(solution.assignments) != len(instance.exams):
        raise ValueError(f"{len(solution.assignments)} assignments for {len(instance.exams)} exams")
    for e, a in enumerate(solution.assignments):
        if not 0 <= a.period < len(instance.periods):
            raise ValueError(f"exam {e}: unknown period {a.period}")
        if not a.rooms:
            raise ValueError(f"exam {e}: no room")
        seen = set()
        for share in a.rooms:
            if not 0 <= share.room < len(instance.rooms):
                raise ValueError(f"exam {e}: unknown room {share.room}")
            if share.room in seen:
                raise ValueError(f"exam {e}: room {share.room} listed twice")
            if share.seats < 0:
                raise ValueError(f"exam {e}: negative seats")
            seen.add(share.room)


def evaluate(instance: Instance, solution: Solution) -> Evaluation:
    """The exact hard violations and soft cost of ``solution``."""
    check_shape(instance, solution)
    exams, periods, rooms = instance.exams, instance.periods, instance.rooms
    w = instance.weightings
    period_of = [a.period for a in solution.assignments]

    # Student-based terms.
    exams_of: dict[int, list[int]] = defaultdict(list)
    for e, exam in enumerate(exams):
        for s in exam.students:
            exams_of[s].append(e)
    conflicts = row = day = spread = 0
    gap = w.period_spread
    for taken in exams_of.values():
        ps = [period_of[e] for e in taken]
        for i in range(len(ps)):
            p1 = ps[i]
            d1 = periods[p1].day
            for j in range(i + 1, len(ps)):
                p2 = ps[j]
                if p1 == p2:
                    conflicts += 1
                    continue
                distance = abs(p1 - p2)
                if periods[p2].day == d1:
                    if distance == 1:
                        row += 1
                    else:
                        day += 1
                if distance <= gap:
                    spread += 1

    # Room-period terms.
    seats: dict[tuple[int, int], int] = defaultdict(int)
    occupants: dict[tuple[int, int], list[int]] = defaultdict(list)
    underseated = 0
    room_penalty = 0
    for e, a in enumerate(solution.assignments):
        total = 0
        for share in a.rooms:
            key = (a.period, share.room)
            seats[key] += share.seats
            occupants[key].append(e)
            room_penalty += rooms[share.room].penalty
            total += share.seats
        if total < exams[e].size:
            underseated += 1
    over = sum(1 for (_, r), n in seats.items() if n > rooms[r].capacity)
    exclusive = sum(
        1
        for e in instance.room_exclusive
        if any(
            len(occupants[(solution.assignments[e].period, share.room)]) > 1
            for share in solution.assignments[e].rooms
        )
    )
    mixed = sum(len({exams[e].duration for e in held}) - 1 for held in occupants.values())

    # Exam-based terms.
    too_long = sum(
        1 for e, exam in enumerate(exams) if exam.duration > periods[period_of[e]].duration
    )
    period_penalty = sum(periods[p].penalty for p in period_of)
    late = set(instance.late_periods)
    front = sum(1 for e in instance.front_load_set if period_of[e] in late)

    after = coincidence = exclusion = 0
    for c in instance.period_constraints:
        p1, p2 = period_of[c.first], period_of[c.second]
        if c.kind is PeriodConstraintKind.AFTER and not p1 > p2:
            after += 1
        elif c.kind is PeriodConstraintKind.EXAM_COINCIDENCE and p1 != p2:
            coincidence += 1
        elif c.kind is PeriodConstraintKind.EXCLUSION and p1 == p2:
            exclusion += 1

    return Evaluation(
        hard=HardViolations(
            student_conflicts=conflicts,
            room_capacity=over + underseated,
            period_duration=too_long,
            after=after,
            coincidence=coincidence,
            exclusion=exclusion,
            room_exclusive=exclusive,
        ),
        soft=SoftCost(
            two_in_a_row=w.two_in_a_row * row,
            two_in_a_day=w.two_in_a_day * day,
            period_spread=spread,
            non_mixed_durations=w.non_mixed_durations * mixed,
            front_load=w.front_load_weight * front,
            period_penalty=period_penalty,
            room_penalty=room_penalty,
        ),
    )


def format_evaluation(evaluation: Evaluation) -> str:
    """A human-readable, one-item-per-line report of an evaluation."""
    lines = [f"feasible: {'yes' if evaluation.feasible else 'no'}"]
    lines.append(f"hard violations: {evaluation.hard.total}")
    lines += [f"  {f.name}: {getattr(evaluation.hard, f.name)}" for f in fields(evaluation.hard)]
    lines.append(f"soft cost: {evaluation.soft.total}")
    lines += [f"  {f.name}: {getattr(evaluation.soft, f.name)}" for f in fields(evaluation.soft)]
    return "\n".join(lines)
