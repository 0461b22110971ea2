"""A teacher's own timetable (“Mon emploi du temps”): the weekly template of the groups they
teach in a semester, each slot with its weeks in words and its dated occurrences, and the
semester under way.

Only the timetable's own data is read: the groups whose ``teacher`` is the person, their
slots and the semester's calendar. A slot's occurrences fall on its weeks that are teaching
weeks of the calendar (a slot saved before a week became a holiday does not take place on
it)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.utils.text import capfirst

from cartable.core.calendar import FIRST_MONTH, academic_year
from cartable.referential import api as referential

from . import api, rules
from .data import SlotTime, TeachingGroup, TimetableLine
from .models import Semester, Slot, TeachingCalendar
from .weeks import label as week_label

#: Without a spring calendar, the spring semester starts on the first of February.
SPRING_MONTH = 2
#: Monday to Friday are always shown; Saturday only when a class falls on it.
WORKING_DAYS = 5


def semester_under_way(day: date | None = None) -> tuple[int, str]:
    """The (catalogue year, semester) ``day`` falls in: spring from the first Monday of the
    year's spring calendar (from February without one) to the end of August, autumn
    otherwise."""
    day = day or referential.today()
    year = academic_year(day)
    spring = api.calendar_first_monday(year, Semester.SPRING)
    if day.month >= FIRST_MONTH or day < (spring or date(year + 1, SPRING_MONTH, 1)):
        return year, Semester.AUTUMN
    return year, Semester.SPRING


def hours(minutes: int) -> str:
    """``4 h`` or ``1 h 30``."""
    whole, rest = divmod(minutes, 60)
    return f"{whole} h {rest:02d}" if rest else f"{whole} h"


def group_label(ue_code: str, activity_kind: str, group_code: str) -> str:
    """``LO21 TD1``: the UE and the group (with the activity when the group's code lacks
    it: ``MT44 CM 1``)."""
    if not group_code.upper().startswith(activity_kind.upper()):
        group_code = f"{activity_kind} {group_code}"
    return f"{ue_code} {group_code}"


def summary(line: TimetableLine) -> str:
    return group_label(line.ue_code, line.activity_kind, line.group_code)


@dataclass(frozen=True)
class Session:
    """A weekly slot of one of the teacher's groups."""

    group: uuid.UUID
    line: TimetableLine
    weeks: str  # in words: “toutes les semaines”, “semaines 1-4, 9”

    @property
    def summary(self) -> str:
        return summary(self.line)

    @property
    def minutes(self) -> int:
        start, end = self.line.start, self.line.end
        return rules.minutes(end.hour, end.minute) - rules.minutes(start.hour, start.minute)


@dataclass(frozen=True)
class TaughtGroup:
    group: TeachingGroup
    label: str
    scheduled: bool


@dataclass(frozen=True)
class WeekDay:
    label: str
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class TeacherTimetable:
    """The groups a person teaches in a semester and their weekly slots, in weekly order."""

    year: int
    semester: str
    has_calendar: bool
    groups: tuple[TeachingGroup, ...]
    sessions: tuple[Session, ...]

    @property
    def days(self) -> tuple[WeekDay, ...]:
        """One column per day, Monday to Friday (Saturday too when a class falls on it)."""
        last = max([WORKING_DAYS - 1, *(s.line.day for s in self.sessions)])
        return tuple(
            WeekDay(
                str(capfirst(Slot.Day(day).label)),
                tuple(s for s in self.sessions if s.line.day == day),
            )
            for day in range(last + 1)
        )

    @property
    def lines(self) -> tuple[TimetableLine, ...]:
        return tuple(s.line for s in self.sessions)

    @property
    def weekly_hours(self) -> str:
        """Hours of classes in the weekly template (every slot once)."""
        return hours(sum(s.minutes for s in self.sessions))

    @property
    def occurrence_count(self) -> int:
        return sum(len(s.line.dates) for s in self.sessions)

    @property
    def semester_hours(self) -> str:
        """Hours of classes over the semester's dated weeks."""
        return hours(sum(s.minutes * len(s.line.dates) for s in self.sessions))

    @property
    def taught(self) -> tuple[TaughtGroup, ...]:
        """Each group, named like its sessions, and whether it has a slot."""
        scheduled = {s.group for s in self.sessions}
        return tuple(
            TaughtGroup(g, group_label(g.ue_code, g.activity_kind, g.code), g.key in scheduled)
            for g in self.groups
        )


def teacher_timetable(
    teacher: uuid.UUID, year: int, semester: str, *, english: bool = False
) -> TeacherTimetable:
    """The groups ``teacher`` teaches in a semester with their slots (five queries, whatever
    their number)."""
    groups = tuple(
        api.teaching_groups(year=year, semesters=[semester], teacher=teacher, english=english)
    )
    calendar = TeachingCalendar.objects.filter(year=year, semester=semester).first()
    if not groups:
        return TeacherTimetable(year, semester, calendar is not None, (), ())
    teaching = calendar.teaching_weeks if calendar else None
    rows = (
        Slot.objects.filter(group__uuid__in=[g.key for g in groups])
        .order_by("day", "start", "group__activity__offer__ue__code", "group__code", "end")
        .values_list(
            "group__uuid",
            "group__activity__offer__ue__code",
            "group__activity__kind",
            "group__code",
            "day",
            "start",
            "end",
            "weeks",
            "room__code",
            "group__room__code",
        )
    )
    sessions = []
    for key, ue_code, kind, code, day, start, end, weeks, room, group_room in rows:
        dates: list[date] = []
        if calendar is not None:
            held = SlotTime(
                day=day,
                start=rules.minutes(start.hour, start.minute),
                end=rules.minutes(end.hour, end.minute),
                weeks=rules.mask(weeks) & rules.mask(calendar.teaching_weeks),
            )
            dates = rules.occurrences(calendar.first_monday, held)
        line = TimetableLine(
            ue_code=ue_code,
            activity_kind=kind,
            group_code=code,
            day=day,
            start=start,
            end=end,
            weeks=weeks,
            room=room or group_room or "",
            dates=tuple(dates),
        )
        sessions.append(Session(key, line, week_label(weeks, teaching, english=english)))
    return TeacherTimetable(year, semester, calendar is not None, groups, tuple(sessions))
