"""``run_import`` (read, check every row, then write everything in one transaction or nothing)
and ``export`` (the templates of a semester, one row per slot, as CSV or JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.core import audit
from cartable.core.models import AuditEntry

from .. import values, weeks
from ..models import Activity, Group, Slot, TeachingCalendar
from . import formats
from .apply import compare, load, write
from .plan import Reader
from .report import ErrorLog, ImportReport

FORMATS = ("csv", "json")
EXTENSIONS = {".csv": "csv", ".json": "json"}
AUDIT_IMPORT = "timetable.import"
AUDIT_EXPORT = "timetable.export"
AUDIT_EXPORT_PERSONS = "timetable.export.person"
KIND_ORDER = {kind: i for i, kind in enumerate(Activity.Kind.values)}


def guess_format(filename: str) -> str | None:
    return EXTENSIONS.get(PurePath(filename).suffix.lower())


def run_import(
    content: bytes, *, fmt: str, dry_run: bool, acting_user: Any, filename: str = ""
) -> ImportReport:
    """Import weekly templates from a CSV or JSON file of slot rows.

    Every row is checked and every problem reported. Nothing is written in a dry run or when a
    single problem was found; otherwise everything is written in one transaction, with one
    journal entry. A template in the file replaces the stored one of its offer and semester;
    rows equal to what is stored are counted ``unchanged``."""
    report = ImportReport(fmt=fmt, dry_run=dry_run)
    errors = ErrorLog()
    if fmt not in FORMATS:
        listed = ", ".join(FORMATS)
        errors.add(
            0,
            "format",
            fmt,
            f"format inconnu (attendu : {listed})",
            f"unknown format (expected one of: {listed})",
        )
        report.errors = errors.sorted()
        return report
    rows = formats.read_csv(content, errors) if fmt == "csv" else formats.read_json(content, errors)
    report.rows_read = len(rows)
    if not rows and not errors:
        errors.add(0, "file", filename, "aucune ligne à importer", "no row to import")
    templates = Reader(rows, errors).read()
    report.templates = len(templates)
    changes = compare(templates, load(templates), report)
    if not errors and not dry_run:
        try:
            with transaction.atomic():
                write(templates, changes)
                audit.record(
                    AUDIT_IMPORT,
                    actor=acting_user,
                    object_type="timetable.template",
                    object_ref=filename,
                    detail={
                        "format": fmt,
                        "templates": sorted(
                            f"{t.offer.year}-{t.semester}-{t.offer.ue_code}" for t in templates
                        ),
                        "by_table": {name: c.as_dict() for name, c in report.tables},
                    },
                )
        except IntegrityError as exc:
            errors.add(
                0,
                "file",
                "",
                f"écriture refusée par la base, rien n'a été importé ({exc})",
                f"the database refused the write, nothing was imported ({exc})",
            )
        else:
            report.committed = True
    report.errors = errors.sorted()
    return report


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str
    rows: int


def _parent_text(group: Group, codes: dict[str, int]) -> str:
    parent = group.parent
    if parent is None:
        return ""
    return (
        parent.code if codes.get(parent.code, 0) == 1 else f"{parent.activity.kind}:{parent.code}"
    )


def _rows_of_group(
    base: dict[str, Any], group: Group, teaching: str | None
) -> list[dict[str, Any]]:
    slots = list(group.slots.all())
    if not slots:
        return [{**base, "day": "", "start": "", "end": "", "weeks": "", "slot_room": ""}]
    return [
        {
            **base,
            "day": values.DAY_NAMES[slot.day],
            "start": values.clock_text(slot.start),
            "end": values.clock_text(slot.end),
            "weeks": weeks.written(slot.weeks, teaching),
            "slot_room": slot.room.code if slot.room else "",
        }
        for slot in slots
    ]


def _activities(offer_uuids: list[Any], semester: str) -> dict[Any, list[Activity]]:
    """The activities of each offer in a semester, with their groups and slots, in the order
    of kinds (three queries)."""
    slots = Prefetch("slots", queryset=Slot.objects.select_related("room").order_by("day", "start"))
    groups = Prefetch(
        "groups",
        queryset=Group.objects.select_related("room", "teacher", "parent__activity")
        .prefetch_related(slots)
        .order_by("code"),
    )
    found = (
        Activity.objects.filter(offer__uuid__in=offer_uuids, semester=semester)
        .annotate(offer_uuid=F("offer__uuid"))
        .prefetch_related(groups)
    )
    by_offer: dict[Any, list[Activity]] = {}
    for item in found:
        by_offer.setdefault(item.offer_uuid, []).append(item)
    for listed in by_offer.values():
        listed.sort(key=lambda a: KIND_ORDER[a.kind])
    return by_offer


def rows_of(
    year: int, semester: str, ue_codes: Sequence[str] = ()
) -> tuple[list[dict[str, Any]], set[Any]]:
    """The rows of the published offers' templates of a semester, and the teachers named."""
    offers = catalogue.timetable_offers(year, semester, list(ue_codes) or None)
    calendar = TeachingCalendar.objects.filter(year=year, semester=semester).first()
    teaching = calendar.teaching_weeks if calendar else None
    by_offer = _activities([o.uuid for o in offers], semester)
    rows: list[dict[str, Any]] = []
    teachers: set[Any] = set()
    for offer in offers:
        activities = by_offer.get(offer.uuid, [])
        groups = [(a, g) for a in activities for g in a.groups.all()]
        codes: dict[str, int] = {}
        for _activity, group in groups:
            codes[group.code] = codes.get(group.code, 0) + 1
        for activity, group in groups:
            base = {
                "year": year,
                "semester": semester,
                "ue_code": offer.ue_code,
                "activity": activity.kind,
                "group": group.code,
                "capacity": group.capacity,
                "room": group.room.code if group.room else "",
                "teacher": (group.teacher.login or "") if group.teacher else "",
                "parent": _parent_text(group, codes),
            }
            if group.teacher:
                teachers.add(group.teacher.uuid)
            rows += _rows_of_group(base, group, teaching)
    return rows, teachers


def export(
    fmt: str, year: int, semester: str, ue_codes: Sequence[str] = (), *, acting_user: Any
) -> Export:
    """The templates of a semester as CSV or JSON; journaled as an export, with a read entry
    for each teacher named."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}")
    rows, teachers = rows_of(year, semester, ue_codes)
    scope = {"year": year, "semester": semester, "ue_codes": list(ue_codes)}
    audit.record(
        AUDIT_EXPORT,
        actor=acting_user,
        kind=AuditEntry.Kind.EXPORT,
        object_type="timetable.template",
        object_ref=f"{year}-{semester}",
        detail={"format": fmt, **scope, "rows": len(rows)},
    )
    audit.record_reads(
        AUDIT_EXPORT_PERSONS,
        actor=acting_user,
        subjects=teachers,
        kind=AuditEntry.Kind.EXPORT,
        detail={"format": fmt, "year": year, "semester": semester},
    )
    name = f"semaine-type-{year}-{semester}"
    if fmt == "json":
        content = formats.write_json(rows, timezone.now(), scope)
        return Export(content, f"{name}.json", "application/json", len(rows))
    return Export(formats.write_csv(rows), f"{name}.csv", "text/csv; charset=utf-8", len(rows))
