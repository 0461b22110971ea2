"""Reading and checking the values of the weekly template, shared by the screens, the actions
and the import: each parser takes what was typed and returns a value or raises
:class:`cartable.core.cells.Problem`; :func:`error` names the field in French and English."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from typing import Any, TypeVar

from cartable.core.cells import Problem, check_length, en_quote, fr_quote
from cartable.core.errors import DomainError

from .models import Activity, Group, Room, Slot, TeachingCalendar

T = TypeVar("T")

FIELDS: dict[str, tuple[str, str]] = {
    "year": ("Année du catalogue", "Catalogue year"),
    "semester": ("Semestre", "Semester"),
    "first_monday": ("Lundi de la première semaine", "Monday of the first week"),
    "teaching_weeks": ("Semaines d'enseignement", "Teaching weeks"),
    "code": ("Code", "Code"),
    "name": ("Nom", "Name"),
    "campus": ("Campus", "Campus"),
    "capacity": ("Capacité", "Capacity"),
    "features": ("Équipements", "Features"),
    "ue_code": ("UE", "UE"),
    "kind": ("Type d'activité", "Activity kind"),
    "activity": ("Activité", "Activity"),
    "group": ("Groupe", "Group"),
    "room": ("Salle", "Room"),
    "slot_room": ("Salle du créneau", "Room of the slot"),
    "teacher": ("Enseignant·e", "Teacher"),
    "parent": ("Rattaché au groupe", "Attached to group"),
    "day": ("Jour", "Day"),
    "start": ("Début", "Start"),
    "end": ("Fin", "End"),
    "weeks": ("Semaines", "Weeks"),
}

MAX_WEEKS = TeachingCalendar._meta.get_field("teaching_weeks").max_length or 60
CODE_LIMIT = Group._meta.get_field("code").max_length or 20
ROOM_CODE_LIMIT = Room._meta.get_field("code").max_length or 30
ROOM_NAME_LIMIT = Room._meta.get_field("name").max_length or 120
FEATURES_LIMIT = Room._meta.get_field("features").max_length or 250
MAX_CAPACITY = 5000
SEMESTERS = {
    "a": "A",
    "automne": "A",
    "autumn": "A",
    "fall": "A",
    "p": "P",
    "printemps": "P",
    "spring": "P",
}
KINDS = tuple(Activity.Kind.values)
DAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("lundi", "lun", "monday", "mon"),
        ("mardi", "mar", "tuesday", "tue"),
        ("mercredi", "mer", "wednesday", "wed"),
        ("jeudi", "jeu", "thursday", "thu"),
        ("vendredi", "ven", "friday", "fri"),
        ("samedi", "sam", "saturday", "sat"),
    )
):
    DAYS.update(dict.fromkeys(_names, _number))
    DAYS[str(_number + 1)] = _number  # ISO weekday numbers: Monday is 1
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
GROUP_CODE = re.compile(r"[-a-zA-Z0-9_.]+")
TIME = re.compile(r"(\d{1,2})\s*(?:[:hH]\s*(\d{2})?)?")


def error(field: str, problem: Problem) -> DomainError:
    """A domain error whose messages start with the field's name."""
    label_fr, label_en = FIELDS.get(field, (field, field))
    reason_fr, reason_en = problem.reason
    return DomainError(field, f"{label_fr} : {reason_fr}.", f"{label_en}: {reason_en}.")


def checked(field: str, parser: Callable[[Any], T], raw: Any) -> T:
    """``parser(raw)``, its problem turned into the field's domain error."""
    try:
        return parser(raw)
    except Problem as problem:
        raise error(field, problem) from None


def required(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise Problem("valeur obligatoire", "value required")
    return value


def year(raw: str) -> int:
    value = required(str(raw))
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise Problem(
            f"année invalide {fr_quote(value)} (exemple : 2026 pour 2026-2027)",
            f"invalid year {en_quote(value)} (example: 2026 for 2026-2027)",
        )
    return int(value)


def semester(raw: str) -> str:
    value = required(raw)
    found = SEMESTERS.get(value.lower())
    if found is None:
        raise Problem(
            f"semestre inconnu {fr_quote(value)} (attendu : A pour l'automne, P pour le printemps)",
            f"unknown semester {en_quote(value)} (expected A for autumn, P for spring)",
        )
    return found


def monday(value: date) -> date:
    if value.weekday() != 0:
        days = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
        raise Problem(
            f"le {value.isoformat()} est un {days[value.weekday()]}, pas un lundi",
            f"{value.isoformat()} is a {value.strftime('%A')}, not a Monday",
        )
    return value


def teaching_weeks(raw: str) -> str:
    value = re.sub(r"\s+", "", raw)
    if not value:
        raise Problem("valeur obligatoire", "value required")
    if not set(value) <= {"0", "1"}:
        raise Problem(
            "une suite de 0 et de 1, un caractère par semaine (1 : cours, 0 : vacances)",
            "a string of 0 and 1, one character per week (1: classes, 0: holidays)",
        )
    if len(value) > MAX_WEEKS:
        raise Problem(
            f"{len(value)} semaines, {MAX_WEEKS} au plus",
            f"{len(value)} weeks, {MAX_WEEKS} at most",
        )
    if "1" not in value:
        raise Problem("aucune semaine de cours", "no teaching week")
    return value


def capacity(raw: object) -> int:
    value = required(str(raw))
    if not value.isdigit() or not 1 <= int(value) <= MAX_CAPACITY:
        raise Problem(
            f"nombre de places invalide {fr_quote(value)} (un entier de 1 à {MAX_CAPACITY})",
            f"invalid number of places {en_quote(value)} (a whole number from 1 to {MAX_CAPACITY})",
        )
    return int(value)


def room_code(raw: str) -> str:
    value = required(raw)
    if not SLUG.fullmatch(value):
        raise Problem(
            f"code invalide {fr_quote(value)} (lettres sans accent, chiffres, - et _)",
            f"invalid code {en_quote(value)} (unaccented letters, digits, - and _)",
        )
    return check_length(value, ROOM_CODE_LIMIT)


def room_name(raw: str) -> str:
    return check_length(required(raw), ROOM_NAME_LIMIT)


def features(raw: str) -> str:
    """Comma-separated features, trimmed, without repeats, in the order given."""
    items = [item.strip().lower() for item in raw.split(",")]
    return check_length(", ".join(dict.fromkeys(i for i in items if i)), FEATURES_LIMIT)


def group_code(raw: str) -> str:
    value = required(raw)
    if not GROUP_CODE.fullmatch(value):
        raise Problem(
            f"code de groupe invalide {fr_quote(value)} (lettres sans accent, chiffres, "
            "-, _ et ., sans espace)",
            f"invalid group code {en_quote(value)} (unaccented letters, digits, -, _ and ., "
            "no spaces)",
        )
    return check_length(value, CODE_LIMIT)


def kind(raw: str) -> str:
    value = required(raw).upper()
    if value not in KINDS:
        raise Problem(
            f"type inconnu {fr_quote(raw.strip())} (attendu : {', '.join(KINDS)})",
            f"unknown kind {en_quote(raw.strip())} (expected one of: {', '.join(KINDS)})",
        )
    return value


def day(raw: str) -> int:
    value = required(raw).lower()
    if value not in DAYS:
        raise Problem(
            f"jour inconnu {fr_quote(raw.strip())} (lundi à samedi, monday à saturday, ou 1 à 6)",
            f"unknown day {en_quote(raw.strip())} (lundi to samedi, monday to saturday, or 1 to 6)",
        )
    return DAYS[value]


def clock(raw: str) -> time:
    """``8:00``, ``08:30``, ``8h``, ``14h15``."""
    value = required(raw)
    found = TIME.fullmatch(value)
    hour = int(found.group(1)) if found else -1
    minute = int(found.group(2) or 0) if found else -1
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise Problem(
            f"heure invalide {fr_quote(value)} (exemples : 08:00, 13h30)",
            f"invalid time {en_quote(value)} (examples: 08:00, 13h30)",
        )
    return time(hour, minute)


def clock_text(value: time) -> str:
    return f"{value:%H:%M}"


def after(start: time, end: time) -> time:
    if end <= start:
        raise Problem(
            f"la fin ({clock_text(end)}) doit suivre le début ({clock_text(start)})",
            f"the end ({clock_text(end)}) must come after the start ({clock_text(start)})",
        )
    return end


def day_label(number: int) -> str:
    return str(Slot.Day(number).label)
