"""``run_import``: read, check everything, then write everything in one transaction or nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cartable.core import audit

from ..models import Population
from . import supann
from .contracts import ContractPlan, apply_contracts, plan_contracts
from .csv_format import parse_csv
from .ldif_format import parse_ldif
from .persons import PersonPlan, apply_persons, plan_persons
from .report import FORMATS, KINDS, ErrorLog, ImportReport
from .rows import Batch
from .structures import StructurePlan, apply_structures, plan_structures

AUDIT_ACTION = "referential.import"
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".ldif": "ldif", ".ldf": "ldif"}


@dataclass
class _Plans:
    structures: StructurePlan | None = None
    persons: PersonPlan | None = None
    contracts: ContractPlan | None = None


def guess_format(filename: str) -> str | None:
    """``csv`` or ``ldif`` from a file name's extension, None when it tells nothing."""
    return EXTENSIONS.get(PurePath(filename).suffix.lower())


def decode(content: str | bytes, errors: ErrorLog) -> str | None:
    """UTF-8 text without its byte-order mark; None (and an error) when it is not UTF-8."""
    if isinstance(content, bytes):
        raw = content
        try:
            content = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            errors.add(
                line,
                "file",
                "",
                "encodage invalide : le fichier doit être en UTF-8",
                "invalid encoding: the file must be UTF-8",
            )
            return None
    return content.removeprefix("\ufeff")


def _check_arguments(kind: str, fmt: str, errors: ErrorLog) -> bool:
    if kind not in KINDS:
        errors.add(
            0,
            "kind",
            kind,
            f"type d'import inconnu (attendu : {', '.join(KINDS)})",
            f"unknown import kind (expected one of: {', '.join(KINDS)})",
        )
    if fmt not in FORMATS:
        errors.add(
            0,
            "format",
            fmt,
            f"format inconnu (attendu : {', '.join(FORMATS)})",
            f"unknown format (expected one of: {', '.join(FORMATS)})",
        )
    return not errors


def populations() -> list[supann.PopulationInfo]:
    return [
        supann.PopulationInfo(code, kind, supann.parse_affiliations(affiliations))
        for code, kind, affiliations in Population.objects.values_list(
            "code", "kind", "eduperson_affiliations"
        )
    ]


def parse(kind: str, fmt: str, text: str, errors: ErrorLog, today: date) -> Batch:
    if fmt == "csv":
        return parse_csv(kind, text, errors, today)
    return parse_ldif(kind, text, errors, today, populations())


def _plan(kind: str, batch: Batch, errors: ErrorLog, now: datetime) -> _Plans:
    plans = _Plans()
    if kind in ("structures", "all"):
        plans.structures = plan_structures(batch.structures, errors)
    if kind in ("persons", "all"):
        plans.persons = plan_persons(batch.persons, errors, now)
    if kind in ("contracts", "all"):
        plans.contracts = plan_contracts(
            batch.contracts, errors, persons=plans.persons, structures=plans.structures
        )
    return plans


def _apply(plans: _Plans) -> None:
    if plans.structures is not None:
        apply_structures(plans.structures)
    if plans.persons is not None:
        apply_persons(plans.persons)
    if plans.contracts is not None:
        apply_contracts(plans.contracts)


def _count(report: ImportReport, plans: _Plans) -> None:
    for name in ("structures", "persons", "contracts"):
        plan = getattr(plans, name)
        if plan is not None:
            report.add_counts(name, plan.counts)


def _commit(report: ImportReport, plans: _Plans, errors: ErrorLog, acting_user: Any) -> None:
    try:
        with transaction.atomic():
            _apply(plans)
    except IntegrityError as exc:
        errors.add(
            0,
            "file",
            "",
            f"écriture refusée par la base, rien n'a été importé ({exc})",
            f"the database refused the write, nothing was imported ({exc})",
        )
        return
    detail = {k: v for k, v in report.as_dict().items() if k not in ("errors", "ok")}
    audit.record(AUDIT_ACTION, actor=acting_user, object_type="import", detail=detail)
    report.committed = True


def _silent(fraction: float, message: str = "") -> None:
    return None


def run_import(
    kind: str,
    content: str | bytes,
    *,
    fmt: str,
    dry_run: bool,
    acting_user: Any,
    progress: Callable[[float, str], None] = _silent,
) -> ImportReport:
    """Import structures, persons or contracts (or all three from one LDIF file).

    Every row is checked and every problem reported. Nothing is written in a dry run or when
    a single problem was found; otherwise everything is written in one transaction, with one
    audit entry. Rows equal to what is stored are counted ``unchanged`` and not written.
    ``progress(fraction, message)`` is told when each phase ends (background jobs show it)."""
    report = ImportReport(kind=kind, fmt=fmt, dry_run=dry_run)
    errors = ErrorLog()
    text = decode(content, errors) if _check_arguments(kind, fmt, errors) else None
    if text is not None:
        now = timezone.now()
        progress(0.05, "lecture du fichier / reading the file")
        batch = parse(kind, fmt, text, errors, timezone.localdate(now))
        report.rows_read = batch.rows_read
        progress(0.35, f"{batch.rows_read} lignes lues / rows read")
        guard: AbstractContextManager[Any] = nullcontext() if dry_run else transaction.atomic()
        with guard:
            plans = _plan(kind, batch, errors, now)
            _count(report, plans)
            progress(0.7, "vérification terminée / checks done")
            if not errors and not dry_run:
                _commit(report, plans, errors, acting_user)
    report.errors = sorted(errors.items, key=lambda error: error.line)
    progress(1.0, "terminé / done")
    return report
