"""Timetable lines as an iCalendar file (RFC 5545), with the ``icalendar`` library.

One VEVENT per dated occurrence rather than a weekly RRULE with EXDATEs (week patterns are
arbitrary and clients disagree on exceptions across a daylight-saving change); a UID derived
from what the event is (date, start, UE, activity, group), so it stays the same from one
download to the next and a session has the same UID in a student's feed and in its teacher's
file; local times with the Europe/Paris TZID and its VTIMEZONE. The student's feed (records)
uses it through ``timetable.api.icalendar``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, Timezone

from .data import TimetableLine
from .teaching import summary

TZID = "Europe/Paris"
PRODID = "-//Cartable//Emploi du temps//FR"


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
