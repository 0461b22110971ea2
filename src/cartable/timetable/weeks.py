"""Week patterns as people type them, and back: ``every``, ``odd``, ``even``, explicit week
numbers (``1,3,5`` or ranges ``1-4,9``), or the ``0``/``1`` string itself, always read against
a semester's calendar (:func:`cartable.timetable.rules.weeks_of_pattern` does the counting).

Plain Python: each function raises :class:`cartable.core.cells.Problem` with the reason in
French and English, and the caller names the field."""

from __future__ import annotations

import re

from cartable.core.cells import Problem, en_quote, fr_quote

from . import rules
from .data import WeekPattern

#: Words accepted for each named pattern (English first: it is what exports write).
WORDS: dict[WeekPattern, tuple[str, ...]] = {
    WeekPattern.EVERY: ("every", "all", "toutes", "chaque"),
    WeekPattern.ODD: ("odd", "impaires", "impaire"),
    WeekPattern.EVEN: ("even", "paires", "paire"),
}
_BY_WORD = {word: pattern for pattern, words in WORDS.items() for word in words}
_ITEM = re.compile(r"(\d{1,2})(?:\s*-\s*(\d{1,2}))?")
_SEPARATORS = re.compile(r"[,;\s]+")
LABELS_FR = {
    WeekPattern.EVERY: "toutes les semaines",
    WeekPattern.ODD: "semaines impaires",
    WeekPattern.EVEN: "semaines paires",
}
LABELS_EN = {
    WeekPattern.EVERY: "every week",
    WeekPattern.ODD: "odd weeks",
    WeekPattern.EVEN: "even weeks",
}


def _listed(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def holidays(teaching_weeks: str) -> list[int]:
    """Calendar week numbers (1-based) without classes."""
    return [i + 1 for i, c in enumerate(teaching_weeks) if c != "1"]


def explicit_numbers(text: str, week_count: int) -> list[int]:
    """Week numbers from ``1,3,5`` or ``1-4 9``; every number inside the calendar."""
    numbers: set[int] = set()
    for item in (part for part in _SEPARATORS.split(text.strip()) if part):
        found = _ITEM.fullmatch(item)
        if found is None:
            raise Problem(
                f"semaines illisibles {fr_quote(item)} (exemples : every, odd, even, 1,3,5, 1-8)",
                f"unreadable weeks {en_quote(item)} (examples: every, odd, even, 1,3,5, 1-8)",
            )
        first = int(found.group(1))
        last = int(found.group(2) or first)
        if last < first:
            raise Problem(
                f"intervalle à l'envers {fr_quote(item)}", f"reversed range {en_quote(item)}"
            )
        numbers.update(range(first, last + 1))
    outside = sorted(n for n in numbers if not 1 <= n <= week_count)
    if outside:
        raise Problem(
            f"semaines hors du calendrier : {_listed(outside)} (le semestre compte "
            f"{week_count} semaines)",
            f"weeks outside the calendar: {_listed(outside)} (the semester has {week_count} weeks)",
        )
    return sorted(numbers)


def _bits(text: str, teaching_weeks: str) -> str:
    if len(text) != len(teaching_weeks):
        raise Problem(
            f"{len(text)} semaines indiquées, le calendrier du semestre en compte "
            f"{len(teaching_weeks)}",
            f"{len(text)} weeks given, the semester's calendar has {len(teaching_weeks)}",
        )
    return text


def parse(text: str, teaching_weeks: str) -> str:
    """The ``0``/``1`` week string of ``text`` over a calendar's teaching weeks.

    A string of ``0`` and ``1`` longer than two characters is the week string itself (one
    character per calendar week); anything else is a named pattern or week numbers. No class
    may fall in a holiday week, and at least one week must be chosen."""
    raw = text.strip().lower()
    if not raw:
        raise Problem("semaines obligatoires", "weeks are required")
    if raw in _BY_WORD:
        weeks = rules.weeks_of_pattern(teaching_weeks, _BY_WORD[raw])
    elif len(raw) > 2 and set(raw) <= {"0", "1"}:
        weeks = _bits(raw, teaching_weeks)
    else:
        numbers = explicit_numbers(raw, len(teaching_weeks))
        off = sorted(set(numbers) & set(holidays(teaching_weeks)))
        if off:
            raise Problem(
                f"semaines sans cours dans le calendrier : {_listed(off)}",
                f"weeks without classes in the calendar: {_listed(off)}",
            )
        weeks = rules.weeks_of_pattern(teaching_weeks, WeekPattern.EXPLICIT, numbers)
    off = [n for n in holidays(teaching_weeks) if weeks[n - 1] == "1"]
    if off:
        raise Problem(
            f"semaines sans cours dans le calendrier : {_listed(off)}",
            f"weeks without classes in the calendar: {_listed(off)}",
        )
    if "1" not in weeks:
        raise Problem("aucune semaine choisie", "no week chosen")
    return weeks


def pattern_of(weeks: str, teaching_weeks: str) -> WeekPattern:
    """The named pattern a week string follows, else ``EXPLICIT``."""
    if len(weeks) == len(teaching_weeks):
        for pattern in (WeekPattern.EVERY, WeekPattern.ODD, WeekPattern.EVEN):
            if rules.weeks_of_pattern(teaching_weeks, pattern) == weeks:
                return pattern
    return WeekPattern.EXPLICIT


def numbers_of(weeks: str) -> list[int]:
    return [i + 1 for i, c in enumerate(weeks) if c == "1"]


def compact(numbers: list[int]) -> str:
    """``1-4,7,9-10`` for [1, 2, 3, 4, 7, 9, 10]."""
    parts: list[str] = []
    start = previous = None
    for n in [*numbers, None]:
        if n is not None and previous is not None and n == previous + 1:
            previous = n
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = n
    return ",".join(parts)


def written(weeks: str, teaching_weeks: str | None) -> str:
    """How an export writes a week string: the pattern's name when it follows one, else the
    ``0``/``1`` string (exact whatever the calendar)."""
    if teaching_weeks is not None:
        pattern = pattern_of(weeks, teaching_weeks)
        if pattern is not WeekPattern.EXPLICIT:
            return str(pattern)
    return weeks


def label(weeks: str, teaching_weeks: str | None, *, english: bool = False) -> str:
    """``semaines impaires`` or ``semaines 1-4, 9`` — how a screen shows a week string."""
    if teaching_weeks is not None:
        pattern = pattern_of(weeks, teaching_weeks)
        if pattern is not WeekPattern.EXPLICIT:
            return (LABELS_EN if english else LABELS_FR)[pattern]
    listed = compact(numbers_of(weeks)).replace(",", ", ")
    return f"weeks {listed}" if english else f"semaines {listed}"
