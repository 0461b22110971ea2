"""Values exchanged through :mod:`cartable.timetable.api` (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from uuid import UUID


class WeekPattern(StrEnum):
    EVERY = "every"
    ODD = "odd"
    EVEN = "even"
    EXPLICIT = "explicit"


@dataclass(frozen=True)
class SlotTime:
    """When a group meets: a day (0 = Monday), minutes since midnight, weeks as a mask."""

    day: int
    start: int
    end: int
    weeks: int

    def overlaps(self, other: SlotTime) -> bool:
        return (
            self.day == other.day
            and self.start < other.end
            and other.start < self.end
            and bool(self.weeks & other.weeks)
        )


@dataclass(frozen=True)
class GroupOption:
    """A group a student may join: its key (UUID as text), code, slots, and the key of the
    group it is attached to, if any."""

    key: str
    code: str
    slots: tuple[SlotTime, ...]
    parent: str | None = None


@dataclass(frozen=True)
class ActivityOption:
    key: str
    kind: str
    groups: tuple[GroupOption, ...]


@dataclass(frozen=True)
class UEWeek:
    """A UE's weekly template for a semester."""

    code: str
    activities: tuple[ActivityOption, ...]


@dataclass(frozen=True)
class Placement:
    ue_code: str
    activity_kind: str
    group: GroupOption


@dataclass(frozen=True)
class Compatibility:
    """Whether UEs can be taken together; when they can, one personal timetable; when they
    cannot, a smallest set of them that already cannot (every UE in it is needed)."""

    compatible: bool
    placements: tuple[Placement, ...] = ()
    clashing: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimetableLine:
    """One weekly slot of a personal timetable, as a student or teacher reads it."""

    ue_code: str
    activity_kind: str
    group_code: str
    day: int
    start: time
    end: time
    weeks: str
    room: str
    dates: tuple[date, ...]


@dataclass(frozen=True)
class TeachingGroup:
    """A group as its lists and sheets show it: “LO21 TD1”, its activity, capacity, room and
    teacher (a person's uuid), and its weekly slots in words (“lundi 08:00–10:00, toutes les
    semaines”)."""

    key: UUID
    offer: UUID
    ue_code: str
    code: str
    year: int
    semester: str
    activity_kind: str
    capacity: int
    room: str
    teacher: UUID | None
    slots: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.ue_code} {self.code}"
