"""PIX results on the student's record, and what they say in DigComp 2.2 terms.

The import reads a CSV file (``;`` or ``,``, UTF-8) with the columns ``numero_etudiant``,
``date`` (``JJ/MM/AAAA`` or ``AAAA-MM-JJ``), ``score`` (the Pix score, 0–1024) and optionally
one column per CRCN competence (``1.1`` … ``5.2``) holding the level reached (0–8). Every bad
line is reported (line, column, value, reason) and nothing is written unless the whole file is
good; importing the same file twice changes nothing."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from cartable.core import audit
from cartable.core.import_report import ErrorLog, RowError

from .actions import award_badges_later
from .models import Certification

DATA = Path(__file__).resolve().parent / "data"
MAX_SCORE = 1024


@cache
def crcn() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / "pix-crcn-16.json").read_text(encoding="utf-8"))
    return loaded


@cache
def digcomp() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / "digcomp-2.2.json").read_text(encoding="utf-8"))
    return loaded


def crcn_codes() -> list[str]:
    return [c["code"] for d in crcn()["domains"] for c in d["competences"]]


@dataclass(frozen=True)
class DigCompLine:
    code: str
    title: str
    #: the PIX competences that cover it, with their level: [(code, label, level)]
    pix: tuple[tuple[str, str, int | None], ...]


@dataclass(frozen=True)
class DigCompArea:
    code: str
    title: str
    competences: tuple[DigCompLine, ...]


def digcomp_view(levels: dict[str, int]) -> list[DigCompArea]:
    """PIX levels by CRCN code, laid out on the DigComp 2.2 areas and competences through the
    crosswalk (a DigComp competence with no PIX competence shows none)."""
    covering: dict[str, list[tuple[str, str, int | None]]] = {}
    for domain in crcn()["domains"]:
        for competence in domain["competences"]:
            for target in competence.get("digcomp_2_2", []):
                covering.setdefault(target, []).append(
                    (competence["code"], competence["label"], levels.get(competence["code"]))
                )
    return [
        DigCompArea(
            code=area["code"],
            title=area["title"],
            competences=tuple(
                DigCompLine(c["code"], c["title"], tuple(covering.get(c["code"], [])))
                for c in area["competences"]
            ),
        )
        for area in digcomp()["areas"]
    ]


@dataclass
class PixReport:
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True


def _day(raw: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def _person_model() -> Any:
    return Certification._meta.get_field("student").related_model


def _read(text: str, errors: ErrorLog) -> list[tuple[int, str, date, int, dict[str, int]]]:
    sample = text[:2048]
    dialect = csv.Sniffer().sniff(sample, delimiters=";,") if sample.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = reader.fieldnames or []
    missing = [c for c in ("numero_etudiant", "date", "score") if c not in columns]
    if missing:
        errors.add(
            1,
            "columns",
            ", ".join(missing),
            "Colonnes manquantes : " + ", ".join(missing) + ".",
            "Missing columns: " + ", ".join(missing) + ".",
        )
        return []
    known = set(crcn_codes())
    unknown = [
        c for c in columns if c not in known and c not in ("numero_etudiant", "date", "score")
    ]
    if unknown:
        errors.add(
            1,
            "columns",
            ", ".join(unknown),
            "Colonnes inconnues (ni une compétence CRCN, ni numero_etudiant, date, score) : "
            + ", ".join(unknown)
            + ".",
            "Unknown columns (neither a CRCN competence nor numero_etudiant, date, score): "
            + ", ".join(unknown)
            + ".",
        )
        return []
    rows = []
    for line, row in enumerate(reader, start=2):
        number = (row.get("numero_etudiant") or "").strip()
        day = _day((row.get("date") or "").strip())
        raw_score = (row.get("score") or "").strip()
        if not number:
            errors.add(line, "numero_etudiant", "", "Numéro manquant.", "Missing number.")
        if day is None:
            errors.add(
                line,
                "date",
                row.get("date"),
                "Date illisible (JJ/MM/AAAA ou AAAA-MM-JJ).",
                "Unreadable date (DD/MM/YYYY or YYYY-MM-DD).",
            )
        score = int(raw_score) if raw_score.isdigit() else None
        if score is None or score > MAX_SCORE:
            errors.add(
                line,
                "score",
                raw_score,
                f"Le score est un entier de 0 à {MAX_SCORE}.",
                f"The score is a whole number from 0 to {MAX_SCORE}.",
            )
        detail = {}
        for code in known & set(columns):
            raw = (row.get(code) or "").strip()
            if not raw:
                continue
            if not raw.isdigit() or int(raw) > 8:
                errors.add(
                    line,
                    code,
                    raw,
                    "Le niveau est un entier de 0 à 8.",
                    "The level is a whole number from 0 to 8.",
                )
                continue
            detail[code] = int(raw)
        if number and day is not None and score is not None:
            rows.append((line, number, day, score, detail))
    return rows


@transaction.atomic
def do_import_pix(text: str, *, dry_run: bool, acting_user: Any, source: str = "") -> PixReport:
    """Check the file and, unless ``dry_run`` or some line is bad, write every result."""
    errors = ErrorLog()
    rows = _read(text, errors)
    people = {
        p.student_number: p
        for p in _person_model().objects.filter(student_number__in={r[1] for r in rows})
    }
    report = PixReport(lines=len(rows), dry_run=dry_run)
    for line, number, *_rest in rows:
        if number not in people:
            errors.add(
                line,
                "numero_etudiant",
                number,
                "Aucun·e étudiant·e n'a ce numéro.",
                "No student has this number.",
            )
    report.errors = errors.sorted()
    if report.errors or dry_run:
        return report
    for _line, number, day, score, detail in rows:
        found = Certification.objects.filter(
            student=people[number], test="pix", obtained_on=day
        ).first()
        if found is None:
            Certification.objects.create(
                student=people[number],
                test="pix",
                obtained_on=day,
                score=score,
                detail=detail,
                source=source[:200],
            )
            report.created += 1
        elif found.score == score and found.detail == detail:
            report.unchanged += 1
        else:
            found.score, found.detail = score, detail
            found.save(update_fields=["score", "detail"])
            report.updated += 1
    award_badges_later((p.uuid for p in people.values()), acting_user=acting_user)
    audit.record(
        "certification.pix.import",
        actor=acting_user,
        object_type="file",
        object_ref=source[:200],
        detail={"created": report.created, "updated": report.updated, "lines": report.lines},
    )
    return report


def latest_pix(student_uuid: uuid.UUID) -> Certification | None:
    return (
        Certification.objects.filter(student__uuid=student_uuid, test="pix")
        .order_by("-obtained_on")
        .first()
    )
