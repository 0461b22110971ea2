"""Reading and writing the ITC 2007 examination formats.

Instance (``.exam``), plain text, sections in this order::

    [Exams:N]                 N lines: duration, student, student, ...
    [Periods:P]               P lines: dd:mm:yyyy, hh:mm:ss, duration, penalty
    [Rooms:R]                 R lines: capacity, penalty
    [PeriodHardConstraints]   e1, AFTER|EXAM_COINCIDENCE|EXCLUSION, e2
    [RoomHardConstraints]     e, ROOM_EXCLUSIVE
    [InstitutionalWeightings] TWOINAROW,w / TWOINADAY,w / PERIODSPREAD,g /
                              NONMIXEDDURATIONS,w / FRONTLOAD,n,k,w

Solution (``.sol``/``.sln``): one ``period, room`` line per exam, in exam order.

The readers accept CRLF line ends, blank lines, trailing blanks and a missing final newline.
Exams are named by their 0-based index, periods and rooms too.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from .model import (
    Assignment,
    Exam,
    Instance,
    Period,
    PeriodConstraint,
    PeriodConstraintKind,
    Room,
    Seating,
    Solution,
    Weightings,
)

# Best-known soft costs of the 12 ITC 2007 examination sets, approximately as reported in the
# literature up to about 2018 (Müller, "ITC2007 solver description: a hybrid approach", Annals
# of OR 172, 2009; Gogos, Alefragis & Housos, Annals of OR 194, 2012; Bykov & Petrovic,
# J. Scheduling 19, 2016; Battistutta, Schaerf & Urli, Annals of OR 252, 2017). They only serve
# to report how far a run is from the state of the art: verify them against those papers
# before quoting them; an entry that a run goes below is out of date.
BEST_KNOWN: dict[int, int] = {
    1: 3647,
    2: 380,
    3: 8930,
    4: 12989,
    5: 2667,
    6: 25365,
    7: 3558,
    8: 7088,
    9: 913,
    10: 12535,
    11: 22818,
    12: 5137,
}

_SECTION = re.compile(r"^\[(\w+)(?::(\d+))?\]$")


class FormatError(ValueError):
    """A file that does not follow the ITC 2007 examination format."""


def _fields(line: str) -> list[str]:
    return [f.strip() for f in line.split(",")]


def _int(text: str, what: str, lineno: int) -> int:
    try:
        return int(text)
    except ValueError:
        raise FormatError(f"line {lineno}: {what} is not an integer: {text!r}") from None


def parse_instance(text: str, name: str = "") -> Instance:
    """The instance described by ``text`` (the content of an ``.exam`` file)."""
    lines = [(i + 1, raw.strip()) for i, raw in enumerate(text.splitlines())]
    lines = [(i, line) for i, line in lines if line]
    sections: dict[str, list[tuple[int, str]]] = {}
    counts: dict[str, int] = {}
    current: str | None = None
    for lineno, line in lines:
        match = _SECTION.match(line)
        if match:
            current = match.group(1)
            sections[current] = []
            if match.group(2) is not None:
                counts[current] = int(match.group(2))
            continue
        if current is None:
            raise FormatError(f"line {lineno}: data before the first section")
        sections[current].append((lineno, line))
    for needed in ("Exams", "Periods", "Rooms"):
        if needed not in sections:
            raise FormatError(f"missing section [{needed}]")
        if counts.get(needed, len(sections[needed])) != len(sections[needed]):
            raise FormatError(
                f"[{needed}:{counts[needed]}] announces {counts[needed]} lines, "
                f"{len(sections[needed])} found"
            )

    exams: list[Exam] = []
    for lineno, line in sections["Exams"]:
        values = [v for v in _fields(line) if v]
        if not values:
            raise FormatError(f"line {lineno}: an exam line starts with its duration")
        duration = _int(values[0], "exam duration", lineno)
        students = frozenset(_int(v, "student", lineno) for v in values[1:])
        exams.append(Exam(duration, students, name=str(len(exams))))

    raw_periods = []
    for lineno, line in sections["Periods"]:
        values = _fields(line)
        if len(values) != 4:
            raise FormatError(f"line {lineno}: a period has 4 fields")
        try:
            date = datetime.datetime.strptime(values[0], "%d:%m:%Y").date()
            start = datetime.datetime.strptime(values[1], "%H:%M:%S").time()
        except ValueError:
            raise FormatError(f"line {lineno}: bad date or time") from None
        raw_periods.append(
            (date, start, _int(values[2], "duration", lineno), _int(values[3], "penalty", lineno))
        )
    day_of = {d: i for i, d in enumerate(sorted({p[0] for p in raw_periods}))}
    periods = tuple(
        Period(date, start, duration, penalty, day_of[date], name=str(i))
        for i, (date, start, duration, penalty) in enumerate(raw_periods)
    )

    rooms: list[Room] = []
    for lineno, line in sections["Rooms"]:
        values = _fields(line)
        if len(values) != 2:
            raise FormatError(f"line {lineno}: a room has 2 fields")
        rooms.append(
            Room(
                _int(values[0], "capacity", lineno),
                _int(values[1], "penalty", lineno),
                name=str(len(rooms)),
            )
        )

    constraints = []
    for lineno, line in sections.get("PeriodHardConstraints", []):
        values = _fields(line)
        if len(values) != 3:
            raise FormatError(f"line {lineno}: a period constraint has 3 fields")
        try:
            kind = PeriodConstraintKind(values[1])
        except ValueError:
            raise FormatError(f"line {lineno}: unknown period constraint {values[1]!r}") from None
        constraints.append(
            PeriodConstraint(_int(values[0], "exam", lineno), kind, _int(values[2], "exam", lineno))
        )

    exclusive = set()
    for lineno, line in sections.get("RoomHardConstraints", []):
        values = _fields(line)
        if len(values) != 2 or values[1] != "ROOM_EXCLUSIVE":
            raise FormatError(f"line {lineno}: expected 'exam, ROOM_EXCLUSIVE'")
        exclusive.add(_int(values[0], "exam", lineno))

    weights: dict[str, list[int]] = {}
    for lineno, line in sections.get("InstitutionalWeightings", []):
        values = _fields(line)
        weights[values[0]] = [_int(v, values[0], lineno) for v in values[1:]]
    front = [*weights.get("FRONTLOAD", []), 0, 0, 0]
    weightings = Weightings(
        two_in_a_row=weights.get("TWOINAROW", [0])[0],
        two_in_a_day=weights.get("TWOINADAY", [0])[0],
        period_spread=weights.get("PERIODSPREAD", [0])[0],
        non_mixed_durations=weights.get("NONMIXEDDURATIONS", [0])[0],
        front_load_exams=front[0],
        front_load_periods=front[1],
        front_load_weight=front[2],
    )
    try:
        return Instance(
            exams=tuple(exams),
            periods=periods,
            rooms=tuple(rooms),
            period_constraints=tuple(constraints),
            room_exclusive=frozenset(exclusive),
            weightings=weightings,
            name=name,
        )
    except ValueError as error:
        raise FormatError(str(error)) from None


def read_instance(path: str | Path) -> Instance:
    """The instance in the ``.exam`` file at ``path``, named after the file."""
    path = Path(path)
    return parse_instance(path.read_text(encoding="utf-8"), name=path.name)


def format_instance(instance: Instance) -> str:
    """The ``.exam`` text of an instance (students sorted, names dropped)."""
    out = [f"[Exams:{len(instance.exams)}]"]
    for exam in instance.exams:
        out.append(", ".join(str(v) for v in [exam.duration, *sorted(exam.students)]))
    out.append(f"[Periods:{len(instance.periods)}]")
    for p in instance.periods:
        out.append(
            f"{p.date:%d:%m:%Y}, {p.start:%H:%M:%S}, {p.duration}, {p.penalty}",
        )
    out.append(f"[Rooms:{len(instance.rooms)}]")
    out.extend(f"{r.capacity}, {r.penalty}" for r in instance.rooms)
    out.append("[PeriodHardConstraints]")
    out.extend(f"{c.first}, {c.kind.value}, {c.second}" for c in instance.period_constraints)
    out.append("[RoomHardConstraints]")
    out.extend(f"{e}, ROOM_EXCLUSIVE" for e in sorted(instance.room_exclusive))
    w = instance.weightings
    out += [
        "[InstitutionalWeightings]",
        f"TWOINAROW, {w.two_in_a_row}",
        f"TWOINADAY, {w.two_in_a_day}",
        f"PERIODSPREAD, {w.period_spread}",
        f"NONMIXEDDURATIONS,{w.non_mixed_durations}",
        f"FRONTLOAD,{w.front_load_exams},{w.front_load_periods},{w.front_load_weight}",
    ]
    return "\n".join(out) + "\n"


def parse_solution(text: str, instance: Instance) -> Solution:
    """The solution in ``text``: one ``period, room`` line per exam, all students in the room."""
    assignments: list[Assignment] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        values = _fields(line)
        if len(values) != 2:
            raise FormatError(f"line {lineno}: expected 'period, room'")
        period = _int(values[0], "period", lineno)
        room = _int(values[1], "room", lineno)
        if not 0 <= period < len(instance.periods):
            raise FormatError(f"line {lineno}: unknown period {period}")
        if not 0 <= room < len(instance.rooms):
            raise FormatError(f"line {lineno}: unknown room {room}")
        if len(assignments) >= len(instance.exams):
            raise FormatError(f"line {lineno}: more lines than exams")
        size = instance.exams[len(assignments)].size
        assignments.append(Assignment(period, (Seating(room, size),)))
    if len(assignments) != len(instance.exams):
        raise FormatError(f"{len(assignments)} lines for {len(instance.exams)} exams")
    return Solution(tuple(assignments))


def read_solution(path: str | Path, instance: Instance) -> Solution:
    """The solution in the file at ``path``."""
    return parse_solution(Path(path).read_text(encoding="utf-8"), instance)


def format_solution(solution: Solution) -> str:
    """The ``period, room`` text of a solution; every exam must be in exactly one room."""
    lines = []
    for e, a in enumerate(solution.assignments):
        if len(a.rooms) != 1:
            raise ValueError(f"exam {e} is split across rooms: not representable in ITC 2007")
        lines.append(f"{a.period}, {a.room}")
    return "\n".join(lines) + "\n"


def write_solution(path: str | Path, solution: Solution) -> None:
    """Write a solution file (``period, room`` per line)."""
    Path(path).write_text(format_solution(solution), encoding="utf-8")
