"""Re-planning a published exam session while moving as few exams as possible: plain
functions over the exam engine's model (no database).

- :func:`change_costs` makes every period but its published one cost something to an exam, in
  proportion to the candidates who would have to be told of the move; the solver adds these
  costs to its objective, so it moves an exam only when a hard rule or a large gain needs it.
- :func:`keep_published_rooms` then gives each exam left in its published period the rooms it
  had, when the period's other exams can still be seated around it (the solver does not look
  at the published rooms: it would reseat freely and tell candidates of needless changes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cartable.timetable.engine.exam import model as engine

#: What moving one candidate's exam to another period costs. Ten times the heaviest default
#: comfort weight (two exams in a row: 10 per student): a published date is a promise, kept
#: unless a hard rule breaks it or the move spares many students two exams in a row.
CHANGE_PER_CANDIDATE = 100


@dataclass(frozen=True)
class Published:
    """Where an exam was published: a period index and its seats per room index."""

    period: int
    seating: dict[int, int]


def change_costs(
    published: Sequence[Published | None], sizes: Sequence[int], periods: int
) -> tuple[tuple[int, ...], ...]:
    """One row per exam for ``Instance.exam_period_costs``: 0 in its published period,
    ``CHANGE_PER_CANDIDATE × candidates`` elsewhere; all zeros for an exam not published.
    Empty when no exam was published (a first plan pays nothing)."""
    if all(p is None for p in published):
        return ()
    return tuple(
        tuple(
            0 if p is None or period == p.period else CHANGE_PER_CANDIDATE * size
            for period in range(periods)
        )
        for p, size in zip(published, sizes, strict=True)
    )


def keep_published_rooms(
    instance: engine.Instance, solution: engine.Solution, published: Sequence[Published | None]
) -> engine.Solution:
    """The solution with the exams still in their published period back in their published
    rooms, the others seated around them; a period where that does not fit keeps the
    solver's seating."""
    assignments = list(solution.assignments)
    by_period: dict[int, list[int]] = {}
    for exam, assignment in enumerate(solution.assignments):
        by_period.setdefault(assignment.period, []).append(exam)
    for period, exams in by_period.items():
        seated = _seat_period(instance, period, exams, published)
        if seated is not None:
            for exam, seating in seated.items():
                shares = tuple(engine.Seating(r, seats) for r, seats in seating.items() if seats)
                if shares:  # an exam without candidates keeps the solver's room
                    assignments[exam] = engine.Assignment(period, shares)
    return engine.Solution(tuple(assignments))


def _seat_period(
    instance: engine.Instance,
    period: int,
    exams: list[int],
    published: Sequence[Published | None],
) -> dict[int, dict[int, int]] | None:
    """Seat one period's exams, those published there first in their published rooms; None
    when some exam cannot be seated."""

    def kept(exam: int) -> dict[int, int]:
        p = published[exam]
        return p.seating if p is not None and p.period == period else {}

    left = [room.capacity for room in instance.rooms]
    holders: list[list[int]] = [[] for _ in instance.rooms]
    exclusive = instance.room_exclusive
    order = sorted(
        exams,
        key=lambda e: (not kept(e), e not in exclusive, -instance.exams[e].size, e),
    )
    found: dict[int, dict[int, int]] = {}
    for exam in order:
        wanted = kept(exam)

        def usable(room: int, exam: int = exam) -> bool:
            if exam in exclusive and holders[room]:
                return False
            return not any(other in exclusive for other in holders[room])

        seating: dict[int, int] = {}
        remaining = instance.exams[exam].size
        for room, seats in sorted(wanted.items(), key=lambda item: (-item[1], item[0])):
            if remaining and 0 <= room < len(left) and usable(room):
                seating[room] = min(seats, left[room], remaining)
                remaining -= seating[room]
        while remaining:
            free = [r for r in range(len(left)) if left[r] - seating.get(r, 0) > 0 and usable(r)]
            if not free:
                return None
            room_left = {r: left[r] - seating.get(r, 0) for r in free}
            fitting = [r for r in free if room_left[r] >= remaining]
            room = (
                min(fitting, key=lambda r: (room_left[r], r))
                if fitting
                else max(free, key=lambda r: (room_left[r], -r))
            )
            take = min(room_left[room], remaining)
            seating[room] = seating.get(room, 0) + take
            remaining -= take
        for room, seats in seating.items():
            left[room] -= seats
            if seats:
                holders[room].append(exam)
        found[exam] = seating
    return found
