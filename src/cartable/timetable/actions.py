"""Named, audited writes of the weekly template: semester calendars, rooms, and each offer's
activities, groups and slots.

Every action is one transaction; a wrong value raises a :class:`DomainError` naming the field
in French and English and nothing is written. Only the scolarité writes (``acting_user=None``
is the system: commands and the demo). Journal entries of a template have
``object_type="timetable.template"`` and ``object_ref`` ``<year>-<semester>-<UE code>``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db import transaction
from django.db.models import Model

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import TimetableOffer
from cartable.core import audit
from cartable.core.cells import Problem
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, roles_of

from . import values, weeks
from .models import Activity, Group, Room, Slot, TeachingCalendar
from .values import checked

TEMPLATE = "timetable.template"
CALENDAR = "timetable.calendar"
ROOM = "timetable.room"


def related(model: type[Model], name: str) -> Any:
    """The model another app's foreign key points to (reached without importing it)."""
    return model._meta.get_field(name).related_model


def require_scolarite(acting_user: Any) -> None:
    if acting_user is not None and Role.SCOLARITE not in roles_of(acting_user):
        raise DomainError(
            "user",
            "Seule la scolarité modifie les emplois du temps.",
            "Only the scolarité edits timetables.",
        )


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        name: {"before": str(before[name]), "after": str(after[name])}
        for name in after
        if before.get(name) != after[name]
    }


# --- calendars -----------------------------------------------------------------------------


def _slot_weeks(year: int, semester: str) -> list[str]:
    return list(
        Slot.objects.filter(group__activity__offer__year=year, group__activity__semester=semester)
        .values_list("weeks", flat=True)
        .distinct()
    )


def _check_slots_fit(calendar: TeachingCalendar, teaching: str) -> None:
    """A calendar whose slots exist keeps its number of weeks, and no slot may fall in a week
    it turns into a holiday."""
    used = _slot_weeks(calendar.year, calendar.semester)
    if not used:
        return
    if len(teaching) != len(calendar.teaching_weeks):
        raise DomainError(
            "teaching_weeks",
            f"Semaines d'enseignement : des créneaux existent déjà, le semestre garde ses "
            f"{calendar.week_count} semaines.",
            f"Teaching weeks: slots already exist, the semester keeps its "
            f"{calendar.week_count} weeks.",
        )
    busy = sorted({i + 1 for w in used for i, c in enumerate(w) if c == "1"})
    off = [n for n in busy if teaching[n - 1] != "1"]
    if off:
        listed = ", ".join(str(n) for n in off)
        raise DomainError(
            "teaching_weeks",
            f"Semaines d'enseignement : des créneaux ont lieu les semaines {listed}, qui ne "
            "peuvent pas devenir des semaines sans cours.",
            f"Teaching weeks: slots take place in weeks {listed}, which cannot become weeks "
            "without classes.",
        )


def _calendar_values(first_monday: date | None, teaching_weeks: str) -> dict[str, Any]:
    if first_monday is None:
        raise values.error("first_monday", Problem("valeur obligatoire", "value required"))
    return {
        "first_monday": checked("first_monday", values.monday, first_monday),
        "teaching_weeks": checked("teaching_weeks", values.teaching_weeks, teaching_weeks),
    }


@transaction.atomic
def do_create_calendar(
    year: int | str,
    semester: str,
    *,
    first_monday: date | None,
    teaching_weeks: str,
    acting_user: Any,
) -> TeachingCalendar:
    require_scolarite(acting_user)
    found_year = checked("year", values.year, str(year))
    found_semester = checked("semester", values.semester, semester)
    cleaned = _calendar_values(first_monday, teaching_weeks)
    if TeachingCalendar.objects.filter(year=found_year, semester=found_semester).exists():
        raise DomainError(
            "semester",
            "Semestre : ce semestre a déjà un calendrier ; modifiez-le.",
            "Semester: this semester already has a calendar; edit it.",
        )
    calendar = TeachingCalendar.objects.create(year=found_year, semester=found_semester, **cleaned)
    audit.record(
        "timetable.calendar.create",
        actor=acting_user,
        object_type=CALENDAR,
        object_ref=f"{found_year}-{found_semester}",
        detail={k: str(v) for k, v in cleaned.items()},
    )
    return calendar


@transaction.atomic
def do_update_calendar(
    year: int,
    semester: str,
    *,
    first_monday: date | None,
    teaching_weeks: str,
    acting_user: Any,
) -> bool:
    """Change a semester's first Monday or teaching weeks; returns whether anything changed."""
    require_scolarite(acting_user)
    calendar = (
        TeachingCalendar.objects.select_for_update().filter(year=year, semester=semester).first()
    )
    if calendar is None:
        raise DomainError("semester", "Calendrier inconnu.", "Unknown calendar.")
    cleaned = _calendar_values(first_monday, teaching_weeks)
    _check_slots_fit(calendar, cleaned["teaching_weeks"])
    changes = _changes(
        {"first_monday": calendar.first_monday, "teaching_weeks": calendar.teaching_weeks},
        cleaned,
    )
    if not changes:
        return False
    for name, value in cleaned.items():
        setattr(calendar, name, value)
    calendar.save()
    audit.record(
        "timetable.calendar.update",
        actor=acting_user,
        object_type=CALENDAR,
        object_ref=f"{year}-{semester}",
        detail={"changes": changes},
    )
    return True


# --- rooms ---------------------------------------------------------------------------------


def _room_values(name: str, campus_code: str, capacity: object, features: str) -> dict[str, Any]:
    campus_model = related(Room, "campus")
    code = checked("campus", values.required, campus_code)
    campus = campus_model.objects.filter(code=code).first()
    if campus is None:
        raise DomainError(
            "campus", f"Campus : campus inconnu « {code} ».", f"Campus: unknown campus '{code}'."
        )
    return {
        "name": checked("name", values.room_name, name),
        "campus": campus,
        "capacity": checked("capacity", values.capacity, capacity),
        "features": checked("features", values.features, features),
    }


@transaction.atomic
def do_create_room(
    *,
    code: str,
    name: str,
    campus_code: str,
    capacity: object,
    features: str = "",
    acting_user: Any,
) -> Room:
    require_scolarite(acting_user)
    found = checked("code", values.room_code, code)
    cleaned = _room_values(name, campus_code, capacity, features)
    if Room.objects.filter(code=found).exists():
        raise DomainError(
            "code",
            f"Code : la salle « {found} » existe déjà.",
            f"Code: room '{found}' already exists.",
        )
    room = Room.objects.create(code=found, **cleaned)
    audit.record(
        "timetable.room.create",
        actor=acting_user,
        object_type=ROOM,
        object_ref=found,
        detail={k: str(v) for k, v in cleaned.items()},
    )
    return room


@transaction.atomic
def do_update_room(
    code: str,
    *,
    name: str,
    campus_code: str,
    capacity: object,
    features: str = "",
    acting_user: Any,
) -> bool:
    require_scolarite(acting_user)
    room = Room.objects.select_for_update().select_related("campus").filter(code=code).first()
    if room is None:
        raise DomainError("code", "Salle inconnue.", "Unknown room.")
    cleaned = _room_values(name, campus_code, capacity, features)
    before = {"name": room.name, "campus": room.campus, "capacity": room.capacity}
    changes = _changes({**before, "features": room.features}, cleaned)
    if not changes:
        return False
    for field, value in cleaned.items():
        setattr(room, field, value)
    room.save()
    audit.record(
        "timetable.room.update",
        actor=acting_user,
        object_type=ROOM,
        object_ref=code,
        detail={"changes": changes},
    )
    return True


# --- the template of an offer --------------------------------------------------------------


@dataclass(frozen=True)
class TemplateRef:
    """Which template an activity, group or slot belongs to."""

    year: int
    semester: str
    ue_code: str
    offer_uuid: uuid.UUID

    @property
    def ref(self) -> str:
        return f"{self.year}-{self.semester}-{self.ue_code}"


def _ref_of(activity: Activity) -> TemplateRef:
    offer = activity.offer
    return TemplateRef(offer.year, activity.semester, offer.ue.code, offer.uuid)


def _journal(
    action: str,
    ref: TemplateRef,
    acting_user: Any,
    detail: dict[str, Any],
    *,
    subject: uuid.UUID | None = None,
) -> None:
    audit.record(
        action,
        actor=acting_user,
        object_type=TEMPLATE,
        object_ref=ref.ref,
        subject=subject,
        detail={"ue": ref.ue_code, "year": ref.year, "semester": ref.semester, **detail},
    )


def published_offer(year: int, semester: str, ue_code: str) -> TimetableOffer:
    """The published offer of a UE for a year, given in ``semester``."""
    offer = catalogue.timetable_offer(ue_code, year)
    if offer is None:
        raise DomainError(
            "ue_code",
            f"UE : aucune offre publiée de « {ue_code} » pour {year}-{year + 1}.",
            f"UE: no published offer of '{ue_code}' for {year}-{year + 1}.",
        )
    if semester not in offer.semesters:
        raise DomainError(
            "semester",
            f"Semestre : {offer.ue_code} n'est pas donnée au semestre {semester}.",
            f"Semester: {offer.ue_code} is not taught in semester {semester}.",
        )
    return offer


def _activity(activity_uuid: uuid.UUID) -> Activity:
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("offer__ue")
        .filter(uuid=activity_uuid)
        .first()
    )
    if activity is None:
        raise DomainError("activity", "Activité inconnue.", "Unknown activity.")
    return activity


def _group(group_uuid: uuid.UUID) -> Group:
    group = (
        Group.objects.select_for_update(of=("self",))
        .select_related("activity__offer__ue")
        .filter(uuid=group_uuid)
        .first()
    )
    if group is None:
        raise DomainError("group", "Groupe inconnu.", "Unknown group.")
    return group


@transaction.atomic
def do_add_activity(
    year: int, semester: str, ue_code: str, kind: str, *, acting_user: Any
) -> Activity:
    require_scolarite(acting_user)
    offer = published_offer(year, semester, ue_code)
    found = checked("kind", values.kind, kind)
    offer_pk = related(Activity, "offer").objects.values_list("pk", flat=True).get(uuid=offer.uuid)
    if Activity.objects.filter(offer_id=offer_pk, semester=semester, kind=found).exists():
        raise DomainError(
            "kind",
            f"Type d'activité : l'UE a déjà une activité {found} ce semestre.",
            f"Activity kind: the UE already has a {found} activity this semester.",
        )
    activity = Activity.objects.create(offer_id=offer_pk, semester=semester, kind=found)
    ref = TemplateRef(offer.year, semester, offer.ue_code, offer.uuid)
    _journal("timetable.activity.add", ref, acting_user, {"kind": found})
    return activity


@transaction.atomic
def do_delete_activity(activity_uuid: uuid.UUID, *, acting_user: Any) -> None:
    """Remove an activity with its groups and their slots."""
    require_scolarite(acting_user)
    activity = _activity(activity_uuid)
    ref = _ref_of(activity)
    groups = list(activity.groups.values_list("code", flat=True))
    activity.delete()
    _journal(
        "timetable.activity.delete",
        ref,
        acting_user,
        {"kind": activity.kind, "groups": sorted(groups)},
    )


def _room(field: str, code: str) -> Room | None:
    if not code.strip():
        return None
    room = Room.objects.filter(code=code.strip()).first()
    if room is None:
        label_fr, label_en = values.FIELDS[field]
        raise DomainError(
            field,
            f"{label_fr} : salle inconnue « {code.strip()} ».",
            f"{label_en}: unknown room '{code.strip()}'.",
        )
    return room


def _teacher_pk(offer_uuid: uuid.UUID, teacher: uuid.UUID | None) -> int | None:
    if teacher is None:
        return None
    team = catalogue.teaching_teams([offer_uuid]).get(offer_uuid, [])
    if teacher not in {m.person_uuid for m in team}:
        raise DomainError(
            "teacher",
            "Enseignant·e : cette personne n'est pas dans l'équipe pédagogique de l'UE "
            "(ajoutez-la depuis le Tableau de bord UE).",
            "Teacher: this person is not in the UE's teaching team (add them from the UE "
            "dashboard).",
        )
    pk: int = related(Group, "teacher").objects.values_list("pk", flat=True).get(uuid=teacher)
    return pk


def _parent(activity: Activity, group: Group | None, parent: uuid.UUID | None) -> Group | None:
    if parent is None:
        return None
    found = (
        Group.objects.select_related("activity")
        .filter(
            uuid=parent,
            activity__offer_id=activity.offer_id,
            activity__semester=activity.semester,
        )
        .exclude(activity=activity)
        .first()
    )
    if found is None:
        raise DomainError(
            "parent",
            "Rattaché au groupe : choisissez un groupe d'une autre activité de la même UE.",
            "Attached to group: choose a group of another activity of the same UE.",
        )
    if group is not None and found.parent_id == group.pk:
        raise DomainError(
            "parent",
            f"Rattaché au groupe : {found.code} est déjà rattaché à ce groupe.",
            f"Attached to group: {found.code} is already attached to this group.",
        )
    return found


@dataclass(frozen=True)
class GroupValues:
    """A group as typed: code, places, room code (empty: none), teacher and parent group."""

    code: str
    capacity: object
    room: str = ""
    teacher: uuid.UUID | None = None
    parent: uuid.UUID | None = None


def _group_fields(activity: Activity, group: Group | None, given: GroupValues) -> dict[str, Any]:
    code = checked("code", values.group_code, given.code)
    taken = Group.objects.filter(activity=activity, code=code)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise DomainError(
            "code",
            f"Code : l'activité a déjà un groupe « {code} ».",
            f"Code: the activity already has a group '{code}'.",
        )
    return {
        "code": code,
        "capacity": checked("capacity", values.capacity, given.capacity),
        "room": _room("room", given.room),
        "teacher_id": _teacher_pk(activity.offer.uuid, given.teacher),
        "parent": _parent(activity, group, given.parent),
    }


def _group_snapshot(group: Group) -> dict[str, Any]:
    return {
        "code": group.code,
        "capacity": group.capacity,
        "room": group.room.code if group.room else "",
        "teacher_id": group.teacher_id,
        "parent": group.parent.code if group.parent else "",
    }


@transaction.atomic
def do_save_group(
    activity_uuid: uuid.UUID,
    given: GroupValues,
    *,
    group_uuid: uuid.UUID | None = None,
    acting_user: Any,
) -> Group:
    """Create a group of an activity, or change one (``group_uuid``)."""
    require_scolarite(acting_user)
    activity = _activity(activity_uuid)
    group: Group | None = None
    if group_uuid is not None:
        group = _group(group_uuid)
        if group.activity_id != activity.pk:
            raise DomainError("group", "Groupe inconnu.", "Unknown group.")
    fields = _group_fields(activity, group, given)
    teacher = related(Group, "teacher").objects.filter(pk=fields["teacher_id"]).first()
    subject = teacher.uuid if teacher else None
    if group is None:
        group = Group.objects.create(activity=activity, **fields)
        _journal(
            "timetable.group.add",
            _ref_of(activity),
            acting_user,
            {"kind": activity.kind, **{k: str(v) for k, v in _group_snapshot(group).items()}},
            subject=subject,
        )
        return group
    before = _group_snapshot(group)
    for name, value in fields.items():
        setattr(group, name, value)
    changes = _changes(before, _group_snapshot(group))
    if changes:
        group.save()
        _journal(
            "timetable.group.update",
            _ref_of(activity),
            acting_user,
            {"kind": activity.kind, "group": group.code, "changes": changes},
            subject=subject,
        )
    return group


@transaction.atomic
def do_delete_group(group_uuid: uuid.UUID, *, acting_user: Any) -> None:
    require_scolarite(acting_user)
    group = _group(group_uuid)
    ref = _ref_of(group.activity)
    slots = group.slots.count()
    group.delete()
    _journal(
        "timetable.group.delete",
        ref,
        acting_user,
        {"kind": group.activity.kind, "group": group.code, "slots": slots},
    )


@dataclass(frozen=True)
class SlotValues:
    """A slot as typed: day (0 is Monday), start, end, weeks (a pattern, week numbers or the
    ``0``/``1`` string) and a room code when other than the group's."""

    day: object
    start: object
    end: object
    weeks: str
    room: str = ""


def calendar_of(year: int, semester: str) -> TeachingCalendar:
    calendar = TeachingCalendar.objects.filter(year=year, semester=semester).first()
    if calendar is None:
        raise DomainError(
            "weeks",
            f"Semaines : le semestre {semester} {year}-{year + 1} n'a pas encore de calendrier.",
            f"Weeks: semester {semester} {year}-{year + 1} has no calendar yet.",
        )
    return calendar


def _as_day(raw: object) -> int:
    if isinstance(raw, int):
        if not 0 <= raw <= 5:
            raise Problem("jour inconnu", "unknown day")
        return raw
    return values.day(str(raw))


def _as_time(raw: object) -> time:
    return raw if isinstance(raw, time) else values.clock(str(raw))


def _slot_fields(group: Group, given: SlotValues) -> dict[str, Any]:
    activity = group.activity
    day = checked("day", _as_day, given.day)
    start = checked("start", _as_time, given.start)
    end = checked("end", _as_time, given.end)
    checked("end", lambda e: values.after(start, e), end)
    calendar = calendar_of(activity.offer.year, activity.semester)
    found = checked("weeks", lambda w: weeks.parse(w, calendar.teaching_weeks), given.weeks)
    return {
        "day": day,
        "start": start,
        "end": end,
        "weeks": found,
        "room": _room("slot_room", given.room),
    }


def _check_own_overlap(group: Group, fields: dict[str, Any], slot: Slot | None) -> None:
    others = group.slots.filter(day=fields["day"], start__lt=fields["end"], end__gt=fields["start"])
    if slot is not None:
        others = others.exclude(pk=slot.pk)
    mine = fields["weeks"]
    for other in others:
        if any(a == b == "1" for a, b in zip(other.weeks, mine, strict=False)):
            raise DomainError(
                "start",
                f"Début : ce créneau chevauche le créneau de {other.start:%H:%M} à "
                f"{other.end:%H:%M} du même groupe.",
                f"Start: this slot overlaps the {other.start:%H:%M}–{other.end:%H:%M} slot "
                "of the same group.",
            )


def _slot_snapshot(slot: Slot) -> dict[str, str]:
    return {
        "day": str(slot.day),
        "start": f"{slot.start:%H:%M}",
        "end": f"{slot.end:%H:%M}",
        "weeks": slot.weeks,
        "room": slot.room.code if slot.room else "",
    }


@transaction.atomic
def do_add_slot(group_uuid: uuid.UUID, given: SlotValues, *, acting_user: Any) -> Slot:
    require_scolarite(acting_user)
    group = _group(group_uuid)
    fields = _slot_fields(group, given)
    _check_own_overlap(group, fields, None)
    slot = Slot.objects.create(group=group, **fields)
    _journal(
        "timetable.slot.add",
        _ref_of(group.activity),
        acting_user,
        {"kind": group.activity.kind, "group": group.code, **_slot_snapshot(slot)},
    )
    return slot


def _slot(slot_uuid: uuid.UUID) -> Slot:
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("group__activity__offer__ue", "room")
        .filter(uuid=slot_uuid)
        .first()
    )
    if slot is None:
        raise DomainError("slot", "Créneau inconnu.", "Unknown slot.")
    return slot


@transaction.atomic
def do_update_slot(slot_uuid: uuid.UUID, given: SlotValues, *, acting_user: Any) -> bool:
    require_scolarite(acting_user)
    slot = _slot(slot_uuid)
    group = slot.group
    fields = _slot_fields(group, given)
    _check_own_overlap(group, fields, slot)
    before = _slot_snapshot(slot)
    for name, value in fields.items():
        setattr(slot, name, value)
    changes = _changes(before, _slot_snapshot(slot))
    if not changes:
        return False
    slot.save()
    _journal(
        "timetable.slot.update",
        _ref_of(group.activity),
        acting_user,
        {"kind": group.activity.kind, "group": group.code, "changes": changes},
    )
    return True


@transaction.atomic
def do_delete_slot(slot_uuid: uuid.UUID, *, acting_user: Any) -> None:
    require_scolarite(acting_user)
    slot = _slot(slot_uuid)
    group = slot.group
    snapshot = _slot_snapshot(slot)
    slot.delete()
    _journal(
        "timetable.slot.delete",
        _ref_of(group.activity),
        acting_user,
        {"kind": group.activity.kind, "group": group.code, **snapshot},
    )
