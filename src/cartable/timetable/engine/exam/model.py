"""The examination timetabling model: an instance and a solution.

The model is the ITC 2007 examination track (McCollum et al., "A new model for automated
examination timetabling", Annals of Operations Research 194, 2012), with two additions for
Cartable's own exam sessions:

- every exam, period, room and the instance carry an optional ``name`` (the application's own
  identifier, as a string) so that a solution can be mapped back;
- an exam may be split across several rooms: an ``Assignment`` lists ``(room, seats)`` shares.
  The ITC format always has exactly one room holding all the students of the exam.

Everything is indexed from 0 in the order of the tuples. Students are integers (the
application numbers its students). All classes are frozen and hashable.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Exam:
    """An exam: its duration in minutes and the set of students who sit it."""

    duration: int
    students: frozenset[int]
    name: str = ""

    @property
    def size(self) -> int:
        """Number of distinct students, i.e. seats needed."""
        return len(self.students)


@dataclass(frozen=True)
class Period:
    """A period: when it starts, how long it lasts, its penalty and its day index.

    Periods with the same ``day`` form one day (the ITC reader numbers the distinct dates in
    chronological order). Periods are expected in chronological order: "two in a row" and the
    period spread look at consecutive indices.
    """

    date: datetime.date
    start: datetime.time
    duration: int
    penalty: int
    day: int
    name: str = ""


@dataclass(frozen=True)
class Room:
    """A room: its seating capacity and the penalty paid by every exam placed in it."""

    capacity: int
    penalty: int
    name: str = ""


class PeriodConstraintKind(enum.StrEnum):
    """The binary period constraints between two exams (hard)."""

    AFTER = "AFTER"
    """The first exam is in a strictly later period than the second."""
    EXAM_COINCIDENCE = "EXAM_COINCIDENCE"
    """Both exams are in the same period."""
    EXCLUSION = "EXCLUSION"
    """The two exams are in different periods."""


@dataclass(frozen=True)
class PeriodConstraint:
    """``first KIND second``, e.g. ``PeriodConstraint(11, AFTER, 10)``: 11 after 10."""

    first: int
    kind: PeriodConstraintKind
    second: int


@dataclass(frozen=True)
class Weightings:
    """The institutional weightings of the soft constraints.

    ``period_spread`` is the gap ``g``: two exams of one student at most ``g`` periods apart cost 1.
    Front load: the ``front_load_exams`` largest exams should not be in the last
    ``front_load_periods`` periods; each one there costs ``front_load_weight``.
    """

    two_in_a_row: int = 0
    two_in_a_day: int = 0
    period_spread: int = 0
    non_mixed_durations: int = 0
    front_load_exams: int = 0
    front_load_periods: int = 0
    front_load_weight: int = 0


@dataclass(frozen=True)
class Instance:
    """An examination timetabling problem.

    ``room_exclusive`` holds the exams that must be alone in their room (ITC ``ROOM_EXCLUSIVE``).
    Period constraints are kept as listed, duplicates included (each line counts once when
    violated, as in the ITC validator).
    """

    exams: tuple[Exam, ...]
    periods: tuple[Period, ...]
    rooms: tuple[Room, ...]
    period_constraints: tuple[PeriodConstraint, ...] = ()
    room_exclusive: frozenset[int] = frozenset()
    weightings: Weightings = field(default_factory=Weightings)
    name: str = ""
    #: Cartable's addition: what each exam costs in each period on top of the ITC objective
    #: (one row of ``len(periods)`` values per exam, or empty): a re-plan pays for every exam
    #: it moves from its published period. Not part of the ITC cost: the evaluator ignores it.
    exam_period_costs: tuple[tuple[int, ...], ...] = ()

    def __post_init__(self) -> None:
        n = len(self.exams)
        if n and (not self.periods or not self.rooms):
            raise ValueError("exams need at least one period and one room")
        for c in self.period_constraints:
            if not (0 <= c.first < n and 0 <= c.second < n):
                raise ValueError(f"period constraint on an unknown exam: {c}")
        for e in self.room_exclusive:
            if not 0 <= e < n:
                raise ValueError(f"room-exclusive constraint on an unknown exam: {e}")
        if self.exam_period_costs and (
            len(self.exam_period_costs) != n
            or any(len(row) != len(self.periods) for row in self.exam_period_costs)
            or any(v < 0 for row in self.exam_period_costs for v in row)
        ):
            raise ValueError("exam_period_costs needs one row of period costs (>= 0) per exam")
        days = [p.day for p in self.periods]
        if days != sorted(days):
            raise ValueError("periods must be in chronological order (non-decreasing days)")

    @property
    def front_load_set(self) -> frozenset[int]:
        """The exams that count for the front load: the largest ones, ties by lower id."""
        w = self.weightings
        if w.front_load_exams <= 0 or w.front_load_periods <= 0:
            return frozenset()
        order = sorted(range(len(self.exams)), key=lambda e: (-self.exams[e].size, e))
        return frozenset(order[: w.front_load_exams])

    @property
    def late_periods(self) -> range:
        """The periods in which a front-load exam is penalised (the last ``k``)."""
        k = min(self.weightings.front_load_periods, len(self.periods))
        return range(len(self.periods) - k, len(self.periods)) if k > 0 else range(0)


@dataclass(frozen=True)
class Seating:
    """A share of an exam in one room: ``seats`` of its students sit in ``room``."""

    room: int
    seats: int


@dataclass(frozen=True)
class Assignment:
    """Where an exam is held: one period and one or more rooms."""

    period: int
    rooms: tuple[Seating, ...]

    @property
    def room(self) -> int:
        """The (first) room: the only one in the ITC model."""
        return self.rooms[0].room


@dataclass(frozen=True)
class Solution:
    """A timetable: one assignment per exam, in exam order."""

    assignments: tuple[Assignment, ...]

    @classmethod
    def single_rooms(
        cls, instance: Instance, periods: Sequence[int], rooms: Sequence[int]
    ) -> Solution:
        """The solution giving each exam one period and one room for all its students."""
        if len(periods) != len(instance.exams) or len(rooms) != len(instance.exams):
            raise ValueError("one period and one room are needed per exam")
        return cls(
            tuple(
                Assignment(p, (Seating(r, exam.size),))
                for exam, p, r in zip(instance.exams, periods, rooms, strict=True)
            )
        )

    @property
    def periods(self) -> tuple[int, ...]:
        """The period of each exam."""
        return tuple(a.period for a in self.assignments)

    def with_assignment(self, exam: int, assignment: Assignment) -> Solution:
        """A copy of this solution with ``exam`` assigned differently."""
        items = list(self.assignments)
        items[exam] = assignment
        return Solution(tuple(items))
