"""Matching the templates of a file to what is stored, counting, and writing.

A template in the file is complete: the stored activities, groups and slots of that offer and
semester that the file does not list are removed; templates absent from the file are left
alone. Activities match by kind, groups by (kind, code), slots by (group, day, start); a row
equal to what is stored is counted ``unchanged`` and not written."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from django.db.models import Prefetch

from ..actions import related
from ..models import Activity, Group, Slot
from .plan import GroupSpec, SlotSpec, TemplateSpec
from .report import ImportReport

GroupKey = tuple[str, str]
SlotKey = tuple[str, str, int, time]


@dataclass
class Stored:
    activities: dict[str, Activity] = field(default_factory=dict)
    groups: dict[GroupKey, Group] = field(default_factory=dict)
    slots: dict[SlotKey, Slot] = field(default_factory=dict)


@dataclass
class Changes:
    """What a real run writes."""

    new_activities: list[tuple[TemplateSpec, str]] = field(default_factory=list)
    new_groups: list[tuple[TemplateSpec, GroupSpec]] = field(default_factory=list)
    changed_groups: list[tuple[Group, GroupSpec]] = field(default_factory=list)
    new_slots: list[tuple[TemplateSpec, GroupKey, SlotSpec]] = field(default_factory=list)
    changed_slots: list[tuple[Slot, SlotSpec]] = field(default_factory=list)
    gone_activities: list[int] = field(default_factory=list)
    gone_groups: list[int] = field(default_factory=list)
    gone_slots: list[int] = field(default_factory=list)
    parents: dict[tuple[uuid.UUID, str], dict[GroupKey, GroupKey | None]] = field(
        default_factory=dict
    )


def load(templates: list[TemplateSpec]) -> dict[tuple[uuid.UUID, str], Stored]:
    """What is stored for these offers and semesters (three queries)."""
    wanted = {t.key for t in templates}
    stored: dict[tuple[uuid.UUID, str], Stored] = {key: Stored() for key in wanted}
    groups = Prefetch(
        "groups",
        queryset=Group.objects.select_related("room", "teacher", "parent__activity")
        .prefetch_related(Prefetch("slots", queryset=Slot.objects.select_related("room")))
        .order_by("code"),
    )
    activities = (
        Activity.objects.filter(offer__uuid__in=[key[0] for key in wanted])
        .select_related("offer")
        .prefetch_related(groups)
    )
    for activity in activities:
        found = stored.get((activity.offer.uuid, activity.semester))
        if found is None:
            continue
        found.activities[activity.kind] = activity
        for group in activity.groups.all():
            found.groups[(activity.kind, group.code)] = group
            for slot in group.slots.all():
                found.slots[(activity.kind, group.code, slot.day, slot.start)] = slot
    return stored


def _parent_key(group: Group) -> GroupKey | None:
    return (group.parent.activity.kind, group.parent.code) if group.parent else None


def _group_differs(group: Group, spec: GroupSpec) -> bool:
    teacher = group.teacher.uuid if group.teacher else None
    return (
        group.capacity != spec.capacity
        or group.room_id != (spec.room.pk if spec.room else None)
        or teacher != spec.teacher
        or _parent_key(group) != spec.parent
    )


def _slot_differs(slot: Slot, spec: SlotSpec) -> bool:
    return (
        slot.end != spec.end
        or slot.weeks != spec.weeks
        or slot.room_id != (spec.room.pk if spec.room else None)
    )


def compare(
    templates: list[TemplateSpec], stored: dict[tuple[uuid.UUID, str], Stored], report: ImportReport
) -> Changes:
    changes = Changes()
    counts = report.by_table
    for template in templates:
        old = stored[template.key]
        kinds = set(template.kinds)
        for kind in sorted(kinds):
            if kind in old.activities:
                counts["activities"].unchanged += 1
            else:
                changes.new_activities.append((template, kind))
                counts["activities"].created += 1
        for kind, activity in old.activities.items():
            if kind not in kinds:
                changes.gone_activities.append(activity.pk)
                counts["activities"].deleted += 1
        for key, spec in template.groups.items():
            group = old.groups.get(key)
            if group is None:
                changes.new_groups.append((template, spec))
                counts["groups"].created += 1
            elif _group_differs(group, spec):
                changes.changed_groups.append((group, spec))
                counts["groups"].updated += 1
            else:
                counts["groups"].unchanged += 1
            for (day, start), slot_spec in spec.slots.items():
                slot = old.slots.get((*key, day, start))
                if slot is None:
                    changes.new_slots.append((template, key, slot_spec))
                    counts["slots"].created += 1
                elif _slot_differs(slot, slot_spec):
                    changes.changed_slots.append((slot, slot_spec))
                    counts["slots"].updated += 1
                else:
                    counts["slots"].unchanged += 1
        for key, group in old.groups.items():
            if key not in template.groups:
                counts["groups"].deleted += 1
                if key[0] in kinds:
                    changes.gone_groups.append(group.pk)
        for slot_key, slot in old.slots.items():
            owner = template.groups.get((slot_key[0], slot_key[1]))
            if owner is None or (slot_key[2], slot_key[3]) not in owner.slots:
                counts["slots"].deleted += 1
                if owner is not None:
                    changes.gone_slots.append(slot.pk)
        changes.parents[template.key] = {k: g.parent for k, g in template.groups.items()}
    return changes


def _pks(model_field: tuple[type[Any], str], uuids: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    model = related(*model_field)
    return dict(model.objects.filter(uuid__in=list(uuids)).values_list("uuid", "pk"))


def write(templates: list[TemplateSpec], changes: Changes) -> None:
    """Write the changes (the caller holds the transaction)."""
    Slot.objects.filter(pk__in=changes.gone_slots).delete()
    Group.objects.filter(pk__in=changes.gone_groups).delete()
    Activity.objects.filter(pk__in=changes.gone_activities).delete()
    offers = _pks((Activity, "offer"), {t.offer.uuid for t in templates})
    teachers = _pks(
        (Group, "teacher"), {g.teacher for t in templates for g in t.groups.values() if g.teacher}
    )
    Activity.objects.bulk_create(
        Activity(offer_id=offers[t.offer.uuid], semester=t.semester, kind=kind)
        for t, kind in changes.new_activities
    )
    stored = load(templates)
    groups = [
        Group(
            activity=stored[t.key].activities[spec.kind],
            code=spec.code,
            capacity=spec.capacity,
            room=spec.room,
            teacher_id=teachers.get(spec.teacher) if spec.teacher else None,
        )
        for t, spec in changes.new_groups
    ]
    Group.objects.bulk_create(groups)
    for group, spec in changes.changed_groups:
        group.capacity, group.room = spec.capacity, spec.room
        group.teacher_id = teachers.get(spec.teacher) if spec.teacher else None
    Group.objects.bulk_update(
        [g for g, _s in changes.changed_groups], ["capacity", "room", "teacher"]
    )
    stored = load(templates)
    attached = []
    for key, parents in changes.parents.items():
        found = stored[key].groups
        for group_key, parent_key in parents.items():
            group = found[group_key]
            parent = found[parent_key] if parent_key else None
            if group.parent_id != (parent.pk if parent else None):
                group.parent = parent
                attached.append(group)
    Group.objects.bulk_update(attached, ["parent"])
    Slot.objects.bulk_create(
        Slot(
            group=stored[t.key].groups[key],
            day=s.day,
            start=s.start,
            end=s.end,
            weeks=s.weeks,
            room=s.room,
        )
        for t, key, s in changes.new_slots
    )
    for slot, wanted in changes.changed_slots:
        slot.end, slot.weeks, slot.room = wanted.end, wanted.weeks, wanted.room
    Slot.objects.bulk_update([s for s, _spec in changes.changed_slots], ["end", "weeks", "room"])
