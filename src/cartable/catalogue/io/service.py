"""``run_import`` (read, check everything, then write everything in one transaction or nothing)
and ``export`` (the whole catalogue, or some years of it, as JSON or as a ZIP of CSV files)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cartable.core import audit
from cartable.core.models import AuditEntry

from ..models import Offer, Programme
from . import csv_format, json_format
from .apply import write
from .dump import dump, persons_named
from .plan_lists import ListPlanner
from .plan_offers import OfferPlanner
from .plan_top import plan_references
from .planning import Planner
from .records import Batch
from .report import ErrorLog, ImportReport
from .state import State, load

FORMATS = ("json", "csv")
AUDIT_IMPORT = "catalogue.import"
AUDIT_EXPORT = "catalogue.export"
#: One entry per person named in an export (RGPD: who saw whose data).
AUDIT_EXPORT_PERSONS = "catalogue.export.person"
EXTENSIONS = {".json": "json", ".csv": "csv", ".zip": "csv"}


def catalogue_years() -> list[int]:
    """Every catalogue year that has a programme or an offer, newest first."""
    years = set(Offer.objects.order_by().values_list("year", flat=True).distinct())
    years |= set(Programme.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def guess_format(filename: str) -> str | None:
    """``json`` or ``csv`` (a ZIP archive or one CSV file) from a file name's extension."""
    return EXTENSIONS.get(PurePath(filename).suffix.lower())


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str
    rows: int


def export(fmt: str, years: Sequence[int] | None = None, *, acting_user: Any) -> Export:
    """The catalogue as one JSON document or a ZIP of CSV files; journaled as an export."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}")
    wanted = sorted(set(years)) if years else None
    tables = dump(wanted)
    now = timezone.now()
    suffix = "-".join(str(year) for year in wanted) if wanted else "complet"
    counts = {name: len(rows) for name, rows in tables.items()}
    audit.record(
        AUDIT_EXPORT,
        actor=acting_user,
        kind=AuditEntry.Kind.EXPORT,
        object_type="catalogue",
        detail={"format": fmt, "years": wanted, "rows": counts},
    )
    audit.record_reads(
        AUDIT_EXPORT_PERSONS,
        actor=acting_user,
        subjects=persons_named(wanted),
        kind=AuditEntry.Kind.EXPORT,
        detail={"format": fmt, "years": wanted},
    )
    rows = sum(counts.values())
    if fmt == "json":
        content = json_format.write(tables, now, wanted)
        return Export(content, f"catalogue-{suffix}.json", "application/json", rows)
    content = csv_format.write_archive(tables)
    return Export(content, f"catalogue-{suffix}.zip", "application/zip", rows)


def parse(content: bytes, fmt: str, filename: str, errors: ErrorLog) -> Batch:
    if fmt == "json":
        return json_format.parse(content, errors)
    return csv_format.parse(content, filename, errors)


def plan(batch: Batch, report: ImportReport, errors: ErrorLog) -> State:
    state = load(batch)
    planner = Planner(state, errors, report.counts, batch.scopes)
    plan_references(planner, batch)
    OfferPlanner(planner, batch).plan()
    ListPlanner(planner, batch).plan()
    return state


def _commit(report: ImportReport, state: State, errors: ErrorLog, acting_user: Any) -> None:
    try:
        with transaction.atomic():
            write(state, timezone.now())
    except IntegrityError as exc:
        errors.add(
            "",
            0,
            "file",
            "",
            f"écriture refusée par la base, rien n'a été importé ({exc})",
            f"the database refused the write, nothing was imported ({exc})",
        )
        return
    detail = {k: v for k, v in report.as_dict().items() if k not in ("errors", "ok")}
    audit.record(AUDIT_IMPORT, actor=acting_user, object_type="catalogue", detail=detail)
    report.committed = True


def run_import(
    content: bytes,
    *,
    fmt: str,
    dry_run: bool,
    acting_user: Any,
    filename: str = "",
) -> ImportReport:
    """Import a catalogue file (JSON document, ZIP of CSV files, or one CSV file named after
    its table, e.g. ``offers.csv``).

    Every row is checked and every problem reported. Nothing is written in a dry run or when
    a single problem was found; otherwise everything is written in one transaction, with one
    audit entry. Rows equal to what is stored are counted ``unchanged`` and not written."""
    report = ImportReport(fmt=fmt, dry_run=dry_run)
    errors = ErrorLog()
    if fmt not in FORMATS:
        errors.add(
            "",
            0,
            "format",
            fmt,
            f"format inconnu (attendu : {', '.join(FORMATS)})",
            f"unknown format (expected one of: {', '.join(FORMATS)})",
        )
    else:
        batch = parse(content, fmt, filename, errors)
        for table, read in batch.read.items():
            report.read(table, read)
        guard: AbstractContextManager[Any] = nullcontext() if dry_run else transaction.atomic()
        with guard:
            state = plan(batch, report, errors)
            if not errors and not dry_run:
                _commit(report, state, errors, acting_user)
    report.errors = errors.sorted()
    return report
