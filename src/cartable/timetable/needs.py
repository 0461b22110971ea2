"""The teaching needs the weekly-template design reads (§5.2.3): per activity, its groups,
sessions, lengths, weeks, room features and preferred or forbidden half-days; per teacher, the
times they cannot teach; per pair of campuses, the travel time between them.

Named, audited writes; each wrong value raises a :class:`DomainError` naming its field in
French and English, and nothing is written. The scolarité writes the needs and travel times;
a teacher writes their own unavailabilities (the scolarité may write anyone's)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from cartable.core import audit
from cartable.core.cells import Problem
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, roles_of
from cartable.referential import api as referential

from . import values, weeks
from .actions import _activity, _journal, _ref_of, calendar_of, related, require_scolarite
from .models import (
    Activity,
    ActivityNeed,
    CampusTravel,
    Room,
    Semester,
    Slot,
    TeacherUnavailability,
)

HALVES = ("M", "A", "E")
#: Where each half-day starts and ends, in minutes from midnight.
HALF_BOUNDS = {"M": (0, 12 * 60), "A": (12 * 60, 18 * 60), "E": (18 * 60, 24 * 60)}
#: The half-days the design places sessions on (Monday to Friday, mornings and afternoons).
DESIGNED_HALF_DAYS = frozenset(f"{d}{h}" for d in range(5) for h in "MA")
MAX_GROUPS = 60
MAX_SESSIONS = 5
MAX_TRAVEL = 240

values.FIELDS.update(
    {
        "group_count": ("Nombre de groupes", "Number of groups"),
        "group_capacity": ("Places par groupe", "Places per group"),
        "sessions_per_week": ("Séances par semaine", "Sessions per week"),
        "length": ("Durée d'une séance", "Length of a session"),
        "room_features": ("Équipements requis", "Required features"),
        "preferred_times": ("Demi-journées préférées", "Preferred half-days"),
        "forbidden_times": ("Demi-journées interdites", "Forbidden half-days"),
        "minutes": ("Trajet", "Travel"),
        "person": ("Enseignant·e", "Teacher"),
        "note": ("Motif", "Reason"),
    }
)


# --- rules ---------------------------------------------------------------------------------


def half_days(text: str) -> frozenset[str]:
    """``"0M 2A"`` → {"0M", "2A"} (day 0 is Monday; M morning, A afternoon, E evening)."""
    return frozenset(text.split())


def half_days_text(cells: set[str] | frozenset[str]) -> str:
    return " ".join(sorted(cells, key=lambda c: (c[0], HALVES.index(c[1]))))


def touched(day: int, start: int, end: int) -> frozenset[str]:
    """The half-days a session of ``day`` from ``start`` to ``end`` (minutes) overlaps."""
    return frozenset(
        f"{day}{half}" for half, (low, high) in HALF_BOUNDS.items() if start < high and end > low
    )


def whole_number(low: int, high: int, unit_fr: str = "", unit_en: str = "") -> Any:
    def parse(raw: object) -> int:
        text = str(raw).strip()
        if not text.isdigit() or not low <= int(text) <= high:
            raise Problem(
                f"« {text} » n'est pas un entier de {low} à {high}{unit_fr}",
                f"'{text}' is not a whole number from {low} to {high}{unit_en}",
            )
        return int(text)

    return parse


def session_length(raw: object) -> int:
    minutes = whole_number(15, 480, " minutes", " minutes")(raw)
    if minutes % 5:
        raise Problem("un multiple de 5 minutes", "a multiple of 5 minutes")
    return minutes


@dataclass(frozen=True)
class NeedValues:
    """An activity's need as typed (see :class:`ActivityNeed`); ``weeks`` is a pattern, week
    numbers or a ``0``/``1`` string, blank for every teaching week."""

    group_count: object
    group_capacity: object
    sessions_per_week: object
    length: object
    weeks: str = ""
    room_features: str = ""
    preferred_times: frozenset[str] = frozenset()
    forbidden_times: frozenset[str] = frozenset()


def _check_rooms(campus_code: str, capacity: int, features: str) -> None:
    wanted = {f.strip() for f in features.split(",") if f.strip()}
    rooms = list(Room.objects.select_related("campus"))
    known = {f.strip().lower() for r in rooms for f in r.features.split(",") if f.strip()}
    unknown = sorted(wanted - known)
    if unknown:
        listed = ", ".join(unknown)
        raise DomainError(
            "room_features",
            f"Équipements requis : aucune salle n'a « {listed} ».",
            f"Required features: no room has '{listed}'.",
        )
    fitting = [
        r
        for r in rooms
        if r.capacity >= capacity
        and wanted <= {f.strip().lower() for f in r.features.split(",")}
        and (not campus_code or r.campus.code == campus_code)
    ]
    if not fitting:
        raise DomainError(
            "group_capacity",
            f"Places par groupe : aucune salle du campus {campus_code} n'a {capacity} places "
            "et les équipements requis.",
            f"Places per group: no room of campus {campus_code} has {capacity} places and the "
            "required features.",
        )


def _need_fields(activity: Any, given: NeedValues, campus_code: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "group_count": values.checked(
            "group_count", whole_number(1, MAX_GROUPS), given.group_count
        ),
        "group_capacity": values.checked("group_capacity", values.capacity, given.group_capacity),
        "sessions_per_week": values.checked(
            "sessions_per_week", whole_number(1, MAX_SESSIONS), given.sessions_per_week
        ),
        "length": values.checked("length", session_length, given.length),
        "room_features": values.checked("room_features", values.features, given.room_features),
    }
    fields["weeks"] = ""
    if given.weeks.strip():
        calendar = calendar_of(activity.offer.year, activity.semester)
        fields["weeks"] = values.checked(
            "weeks", lambda w: weeks.parse(w, calendar.teaching_weeks), given.weeks
        )
    valid = {f"{d}{h}" for d in range(len(Slot.Day.choices)) for h in HALVES}
    for name, cells in (
        ("preferred_times", given.preferred_times),
        ("forbidden_times", given.forbidden_times),
    ):
        wrong = sorted(set(cells) - valid)
        if wrong:
            raise values.error(
                name, Problem(f"demi-journées inconnues {wrong}", f"unknown half-days {wrong}")
            )
        fields[name] = half_days_text(cells)
    both = sorted(given.preferred_times & given.forbidden_times)
    if both:
        raise values.error(
            "forbidden_times",
            Problem(
                "une demi-journée ne peut être à la fois préférée et interdite",
                "a half-day cannot be both preferred and forbidden",
            ),
        )
    if given.forbidden_times >= DESIGNED_HALF_DAYS:
        raise values.error(
            "forbidden_times",
            Problem(
                "toutes les demi-journées sont interdites (matins et après-midi du lundi au "
                "vendredi)",
                "every half-day is forbidden (Monday to Friday mornings and afternoons)",
            ),
        )
    _check_rooms(campus_code, fields["group_capacity"], fields["room_features"])
    return fields


@transaction.atomic
def do_save_need(
    activity_uuid: uuid.UUID, given: NeedValues, *, campus_code: str, acting_user: Any
) -> ActivityNeed:
    """Create or replace an activity's need."""
    require_scolarite(acting_user)
    activity = _activity(activity_uuid)
    fields = _need_fields(activity, given, campus_code)
    need, created = ActivityNeed.objects.update_or_create(activity=activity, defaults=fields)
    _journal(
        "timetable.need.save",
        _ref_of(activity),
        acting_user,
        {"kind": activity.kind, "created": created, **{k: str(v) for k, v in fields.items()}},
    )
    return need


@transaction.atomic
def do_delete_need(activity_uuid: uuid.UUID, *, acting_user: Any) -> None:
    require_scolarite(acting_user)
    activity = _activity(activity_uuid)
    deleted, _detail = ActivityNeed.objects.filter(activity=activity).delete()
    if deleted:
        _journal("timetable.need.delete", _ref_of(activity), acting_user, {"kind": activity.kind})


def _as_day(raw: object) -> int:
    """A day as the screens give it (0 is Monday … 5 is Saturday) or as people type it."""
    if isinstance(raw, int):
        if not 0 <= raw <= 5:
            raise Problem("jour inconnu", "unknown day")
        return raw
    return values.day(str(raw))


# --- the semester's list ---------------------------------------------------------------------

HALF_LABELS = {
    "M": gettext_lazy("matin"),
    "A": gettext_lazy("après-midi"),
    "E": gettext_lazy("soir"),
}


@dataclass(frozen=True)
class NeedRow:
    ue_code: str
    kind: str
    groups: int
    need: ActivityNeed | None
    half_days_preferred: str
    half_days_forbidden: str


def _cells_text(text: str) -> str:
    labels = dict(Slot.Day.choices)
    return ", ".join(
        f"{labels[int(c[0])]} {HALF_LABELS[c[1]]}" for c in text.split() if int(c[0]) in labels
    )


def need_rows(year: int, semester: str, text: str = "", state: str = "") -> list[NeedRow]:
    """The semester's activities with their needs (``state``: "with", "without" or all),
    those of UEs whose code contains ``text``."""
    activities = (
        Activity.objects.filter(offer__year=year, semester=semester)
        .select_related("offer__ue", "need")
        .prefetch_related("groups")
        .order_by("offer__ue__code", "kind")
    )
    if text.strip():
        activities = activities.filter(offer__ue__code__icontains=text.strip())
    if state == "with":
        activities = activities.filter(need__isnull=False)
    elif state == "without":
        activities = activities.filter(need__isnull=True)
    rows = []
    for activity in activities:
        need = getattr(activity, "need", None)
        rows.append(
            NeedRow(
                activity.offer.ue.code,
                activity.kind,
                len(activity.groups.all()),
                need,
                _cells_text(need.preferred_times) if need else "",
                _cells_text(need.forbidden_times) if need else "",
            )
        )
    return rows


# --- teachers' unavailabilities ---------------------------------------------------------------


def may_manage_unavailabilities_of(acting_user: Any, person_uuid: uuid.UUID) -> bool:
    if acting_user is None or Role.SCOLARITE in roles_of(acting_user):
        return True
    return referential.person_uuid_for_user(acting_user) == person_uuid


def _require_own_or_scolarite(acting_user: Any, person_uuid: uuid.UUID) -> None:
    if not may_manage_unavailabilities_of(acting_user, person_uuid):
        raise DomainError(
            "person",
            "Enseignant·e : vous ne saisissez que vos propres indisponibilités.",
            "Teacher: you enter only your own unavailabilities.",
        )


@transaction.atomic
def do_add_unavailability(
    person_uuid: uuid.UUID,
    year: int,
    semester: str,
    *,
    day: object,
    start: object,
    end: object,
    note: str = "",
    acting_user: Any,
) -> TeacherUnavailability:
    _require_own_or_scolarite(acting_user, person_uuid)
    person_model = related(TeacherUnavailability, "person")
    person = person_model.objects.filter(uuid=person_uuid).first()
    if person is None:
        raise DomainError("person", "Enseignant·e inconnu·e.", "Unknown teacher.")
    if semester not in Semester.values:
        raise values.error("semester", Problem("semestre inconnu", "unknown semester"))
    if not 2000 <= year <= 2100:
        raise values.error("year", Problem("une année de 2000 à 2100", "a year from 2000 to 2100"))
    found_day = values.checked("day", _as_day, day)
    begin: time = values.checked(
        "start", lambda t: t if isinstance(t, time) else values.clock(str(t)), start
    )
    finish: time = values.checked(
        "end", lambda t: t if isinstance(t, time) else values.clock(str(t)), end
    )
    values.checked("end", lambda e: values.after(begin, e), finish)
    text = note.strip()
    if len(text) > 200:
        raise values.error("note", Problem("200 caractères au plus", "at most 200 characters"))
    overlapping = TeacherUnavailability.objects.filter(
        person=person, year=year, semester=semester, day=found_day, start__lt=finish, end__gt=begin
    ).first()
    if overlapping is not None:
        raise DomainError(
            "start",
            f"Début : cette indisponibilité chevauche celle de {overlapping.start:%H:%M} à "
            f"{overlapping.end:%H:%M} le même jour.",
            f"Start: this unavailability overlaps the one from {overlapping.start:%H:%M} to "
            f"{overlapping.end:%H:%M} on the same day.",
        )
    row = TeacherUnavailability.objects.create(
        person=person,
        year=year,
        semester=semester,
        day=found_day,
        start=begin,
        end=finish,
        note=text,
    )
    audit.record(
        "timetable.unavailability.add",
        actor=acting_user,
        object_type="timetable.unavailability",
        object_ref=str(row.uuid),
        subject=person_uuid,
        detail={
            "year": year,
            "semester": semester,
            "day": found_day,
            "start": f"{begin:%H:%M}",
            "end": f"{finish:%H:%M}",
        },
    )
    return row


@transaction.atomic
def do_delete_unavailability(row_uuid: uuid.UUID, *, acting_user: Any) -> None:
    row = TeacherUnavailability.objects.select_related("person").filter(uuid=row_uuid).first()
    if row is None:
        raise DomainError("unavailability", "Indisponibilité inconnue.", "Unknown unavailability.")
    _require_own_or_scolarite(acting_user, row.person.uuid)
    row.delete()
    audit.record(
        "timetable.unavailability.delete",
        actor=acting_user,
        object_type="timetable.unavailability",
        object_ref=str(row_uuid),
        subject=row.person.uuid,
    )


# --- travel between campuses ------------------------------------------------------------------


@transaction.atomic
def do_set_travel(campus: str, other: str, minutes: object, *, acting_user: Any) -> None:
    """Set the travel time between two campuses (blank removes it: no travel time)."""
    require_scolarite(acting_user)
    campus_model = related(CampusTravel, "campus")
    found = {c.code: c for c in campus_model.objects.filter(code__in=[campus, other])}
    if campus not in found or other not in found or campus == other:
        raise DomainError(
            "campus", "Campus : deux campus différents et connus.", "Campus: two known campuses."
        )
    first, second = sorted((found[campus], found[other]), key=lambda c: c.pk)
    text = str(minutes).strip()
    before = CampusTravel.objects.filter(campus=first, other=second).first()
    if not text and before is None:
        return  # nothing to remove
    if not text:
        CampusTravel.objects.filter(campus=first, other=second).delete()
        value = None
    else:
        value = values.checked("minutes", whole_number(0, MAX_TRAVEL, " minutes", " minutes"), text)
        if before is not None and before.minutes == value:
            return  # unchanged
        CampusTravel.objects.update_or_create(
            campus=first, other=second, defaults={"minutes": value}
        )
    audit.record(
        "timetable.travel.set",
        actor=acting_user,
        object_type="timetable.travel",
        object_ref=f"{first.code}-{second.code}",
        detail={"before": before.minutes if before else None, "after": value},
    )


def travel_minutes() -> dict[tuple[str, str], int]:
    """(campus code, campus code) → minutes, both ways."""
    found: dict[tuple[str, str], int] = {}
    for row in CampusTravel.objects.select_related("campus", "other"):
        found[(row.campus.code, row.other.code)] = row.minutes
        found[(row.other.code, row.campus.code)] = row.minutes
    return found
