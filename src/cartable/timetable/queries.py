"""Reading the weekly template for the scolarité's screens: semester calendars, the offers of
a semester with the state of their template, and one offer's template with its findings."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import TeamMember, TimetableOffer

from . import api, findings, weeks
from .models import Activity, Group, Room, Slot, TeachingCalendar

KIND_ORDER = {kind: i for i, kind in enumerate(Activity.Kind.values)}


def catalogue_years() -> list[int]:
    """Years with a calendar, the current catalogue year and the next one, newest first."""
    current = catalogue.current_year()
    known = set(TeachingCalendar.objects.values_list("year", flat=True))
    return sorted(known | {current, current + 1}, reverse=True)


def calendars() -> list[TeachingCalendar]:
    return list(TeachingCalendar.objects.order_by("-year", "semester"))


def calendar(year: int, semester: str) -> TeachingCalendar | None:
    return TeachingCalendar.objects.filter(year=year, semester=semester).first()


def campuses() -> list[tuple[str, str]]:
    campus_model = Room._meta.get_field("campus").related_model
    return list(campus_model._default_manager.order_by("name").values_list("code", "name"))


def rooms(text: str = "", campus: str = "") -> QuerySet[Room]:
    found = Room.objects.select_related("campus").order_by("campus__name", "code")
    for word in text.split():
        found = found.filter(
            Q(code__icontains=word) | Q(name__icontains=word) | Q(features__icontains=word)
        )
    if campus:
        found = found.filter(campus__code=campus)
    return found


# --- the offers of a semester --------------------------------------------------------------


class Status:
    MISSING = "missing"
    INCOMPLETE = "incomplete"
    CONFLICT = "conflict"
    READY = "ready"


STATUS_LABELS = {
    Status.MISSING: _("Sans semaine type"),
    Status.INCOMPLETE: _("Incomplète"),
    Status.CONFLICT: _("Avec conflits"),
    Status.READY: _("Prête"),
}


@dataclass(frozen=True)
class OfferRow:
    """An offer of the semester and the state of its template."""

    offer: TimetableOffer
    activities: int
    groups: int
    slots: int
    capacity: int | None
    status: str

    @property
    def has_template(self) -> bool:
        return self.activities > 0

    @property
    def ready(self) -> bool:
        return self.status == Status.READY

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _counts(offer_uuids: list[uuid.UUID], semester: str) -> dict[uuid.UUID, dict[str, Any]]:
    """Activities, groups, slots and group places (per activity) of each offer."""
    per_activity = (
        Activity.objects.filter(offer__uuid__in=offer_uuids, semester=semester)
        .values("offer__uuid", "pk")
        .annotate(
            group_count=Count("groups", distinct=True),
            slot_count=Count("groups__slots", distinct=True),
        )
    )
    seats = dict(
        Group.objects.filter(activity__offer__uuid__in=offer_uuids, activity__semester=semester)
        .values("activity_id")
        .annotate(total=Sum("capacity"))
        .values_list("activity_id", "total")
    )
    result: dict[uuid.UUID, dict[str, Any]] = defaultdict(
        lambda: {"activities": 0, "groups": 0, "slots": 0, "seats": []}
    )
    for row in per_activity:
        counts = result[row["offer__uuid"]]
        counts["activities"] += 1
        counts["groups"] += row["group_count"]
        counts["slots"] += row["slot_count"]
        if row["group_count"]:
            counts["seats"].append(seats.get(row["pk"], 0))
    return result


def _status(counts: dict[str, Any], week: Any) -> str:
    if not counts["activities"]:
        return Status.MISSING
    if not counts["slots"] or len(counts["seats"]) < counts["activities"]:
        return Status.INCOMPLETE
    found = findings.examine(week, unusable=False)
    return Status.READY if found.ok else Status.CONFLICT


def offer_rows(
    year: int,
    semester: str,
    *,
    text: str = "",
    programme: str = "",
    campus: str = "",
    status: str = "",
) -> list[OfferRow]:
    """The published offers of a semester with the state of their template, filtered."""
    offers = catalogue.timetable_offers(year, semester)
    words = text.lower().split()
    offers = [
        o
        for o in offers
        if all(w in f"{o.ue_code} {o.title} {o.title_en}".lower() for w in words)
        and (not programme or programme in o.programmes)
        and (not campus or o.campus_code == campus)
    ]
    uuids = [o.uuid for o in offers]
    counts = _counts(uuids, semester)
    templates = api.ue_weeks(uuids, semester)
    rows = []
    for offer in offers:
        found = counts[offer.uuid]
        row = OfferRow(
            offer=offer,
            activities=found["activities"],
            groups=found["groups"],
            slots=found["slots"],
            capacity=min(found["seats"]) if found["seats"] else None,
            status=_status(found, templates[offer.uuid]),
        )
        if not status or row.status == status:
            rows.append(row)
    return rows


def programmes_of(rows: list[TimetableOffer]) -> list[str]:
    return sorted({p for o in rows for p in o.programmes})


# --- one offer's template ------------------------------------------------------------------


@dataclass
class GroupView:
    group: Group
    slots: list[Slot]
    clashes: list[str] = field(default_factory=list)
    unusable: bool = False


@dataclass
class ActivityView:
    activity: Activity
    groups: list[GroupView]


@dataclass
class TemplateView:
    offer: TimetableOffer
    semester: str
    calendar: TeachingCalendar | None
    activities: list[ActivityView]
    team: list[TeamMember]
    feasible: bool
    clashes: list[tuple[str, str]]
    rooms: list[Room]

    @property
    def other_kinds(self) -> list[tuple[str, str]]:
        """Activity kinds the UE does not have yet this semester."""
        held = {a.activity.kind for a in self.activities}
        return [(k, str(label)) for k, label in Activity.Kind.choices if k not in held]

    def groups_outside(self, activity: Activity) -> list[Group]:
        """Groups a group of ``activity`` may be attached to."""
        return [g.group for a in self.activities if a.activity.pk != activity.pk for g in a.groups]

    def weeks_label(self, slot: Slot) -> str:
        teaching = self.calendar.teaching_weeks if self.calendar else None
        return weeks.label(slot.weeks, teaching)


def rooms_for(offer: TimetableOffer, semester: str) -> list[Room]:
    """Rooms offered for a template: those of the offer's campus (every room when it has
    none), and those its groups and slots already use."""
    found = Room.objects.select_related("campus").order_by("code")
    if not offer.campus_code:
        return list(found)
    used = Q(group__activity__offer__uuid=offer.uuid, group__activity__semester=semester) | Q(
        slot__group__activity__offer__uuid=offer.uuid, slot__group__activity__semester=semester
    )
    return list(found.filter(Q(campus__code=offer.campus_code) | used).distinct())


def missing_kinds(offer: TimetableOffer, semester: str) -> list[tuple[str, str]]:
    held = set(
        Activity.objects.filter(offer__uuid=offer.uuid, semester=semester).values_list(
            "kind", flat=True
        )
    )
    return [(k, str(label)) for k, label in Activity.Kind.choices if k not in held]


def groups_outside(offer: TimetableOffer, semester: str, activity: Activity) -> list[Group]:
    """Groups of the template's other activities (those a group may be attached to)."""
    return list(
        Group.objects.filter(activity__offer__uuid=offer.uuid, activity__semester=semester)
        .exclude(activity=activity)
        .select_related("activity")
        .order_by("activity__kind", "code")
    )


def _label(group: Group) -> str:
    return f"{group.activity.kind} {group.code}"


def template(offer: TimetableOffer, semester: str) -> TemplateView:
    """An offer's activities, groups and slots in a semester, with what clashes inside."""
    slots = Prefetch("slots", queryset=Slot.objects.select_related("room").order_by("day", "start"))
    groups = Prefetch(
        "groups",
        queryset=Group.objects.select_related("room", "teacher", "parent__activity")
        .prefetch_related(slots)
        .order_by("code"),
    )
    activities = sorted(
        Activity.objects.filter(offer__uuid=offer.uuid, semester=semester).prefetch_related(groups),
        key=lambda a: KIND_ORDER.get(a.kind, 99),
    )
    views = [
        ActivityView(a, [GroupView(g, list(g.slots.all())) for g in a.groups.all()])
        for a in activities
    ]
    by_key = {str(g.group.uuid): g for a in views for g in a.groups}
    for a in views:
        for g in a.groups:
            g.group.activity = a.activity  # already loaded: labels need no query
    week = api.ue_weeks([offer.uuid], semester)[offer.uuid]
    found = findings.examine(week)
    clashes = []
    for clash in found.clashes:
        first, second = by_key[clash.first], by_key[clash.second]
        clashes.append((_label(first.group), _label(second.group)))
        first.clashes.append(_label(second.group))
        if clash.first != clash.second:
            second.clashes.append(_label(first.group))
    for key in found.unusable:
        by_key[key].unusable = True
    team = catalogue.teaching_teams([offer.uuid]).get(offer.uuid, [])
    return TemplateView(
        offer=offer,
        semester=semester,
        calendar=calendar(offer.year, semester),
        activities=views,
        team=team,
        feasible=found.feasible,
        clashes=clashes,
        rooms=rooms_for(offer, semester),
    )
