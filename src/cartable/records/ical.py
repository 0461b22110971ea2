"""A personal timetable as an iCalendar feed (RFC 5545).

One VEVENT per dated occurrence rather than a weekly RRULE with EXDATEs: week patterns are
arbitrary (odd or even teaching weeks, explicit weeks, holidays in the middle), so a rule
would need as many exceptions as it saves lines, and calendar clients disagree on recurring
events with exceptions across a daylight-saving change; single events are read the same way
by every client, and a semester holds a few hundred at most. Each UID is derived from what
the event is (date, start, UE, activity, group), so it stays the same from one download to
the next and clients update events in place. Times carry the Europe/Paris TZID, with its
VTIMEZONE."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, Timezone

from cartable.timetable.data import TimetableLine

TZID = "Europe/Paris"
PRODID = "-//Cartable//Emploi du temps//FR"


def summary(line: TimetableLine) -> str:
    """``LO41 TD2``: the UE and the group (with the activity when the group's code lacks it)."""
    group = line.group_code
    if not group.upper().startswith(line.activity_kind.upper()):
        group = f"{line.activity_kind} {group}"
    return f"{line.ue_code} {group}"


def uid(line: TimetableLine, day: date, domain: str) -> str:
    return (
        f"{day:%Y%m%d}T{line.start:%H%M}-{line.ue_code}-{line.activity_kind}-"
        f"{line.group_code}@{domain}"
    ).replace(" ", "_")


def calendar(
    lines: Iterable[TimetableLine], *, name: str, stamp: datetime, domain: str = ""
) -> bytes:
    """The iCalendar text of these timetable lines, one event per dated occurrence."""
    zone = ZoneInfo(TZID)
    domain = domain or f"cartable.{settings.CARTABLE_EPPN_SCOPE}"
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    days: list[date] = []
    for line in lines:
        for day in line.dates:
            days.append(day)
            event = Event()
            event.add("uid", uid(line, day, domain))
            event.add("dtstamp", stamp)
            event.add("dtstart", datetime.combine(day, line.start, tzinfo=zone))
            event.add("dtend", datetime.combine(day, line.end, tzinfo=zone))
            event.add("summary", summary(line))
            if line.room:
                event.add("location", line.room)
            event.add("categories", [line.activity_kind])
            cal.add_component(event)
    # The time zone always goes in: a calendar holds at least one component (RFC 5545 §3.4).
    around = days or [stamp.date()]
    cal.add_component(
        Timezone.from_tzinfo(
            zone,
            tzid=TZID,
            first_date=min(around) - timedelta(days=366),
            last_date=max(around) + timedelta(days=366),
        )
    )
    return bytes(cal.to_ical())
