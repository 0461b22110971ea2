"""The academic calendar: a catalogue year runs from 1 September to 31 August."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

FIRST_MONTH = 9


def academic_year(day: date | None = None) -> int:
    """The catalogue year containing ``day``, named by the calendar year it starts in."""
    day = day or timezone.localdate()
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def academic_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


def academic_year_bounds(year: int) -> tuple[date, date]:
    return date(year, FIRST_MONTH, 1), date(year + 1, FIRST_MONTH - 1, 31)
