"""Importing the grades of an offer from a CSV file (§5.2.3).

The file has a header row and ``;`` or ``,`` between cells (detected), UTF-8 (with or without
byte-order mark) or Windows-1252 as a French spreadsheet saves it. Columns, in any order:

* one identifier of the student: ``numero_etudiant`` (student number), ``login`` or
  ``courriel`` (institutional e-mail); when several are given, the first one filled is used;
* ``resultat``: A, B, C, D, E, FX, F or ABS (lower case accepted); an empty cell leaves the
  student's grade as it is, ``-`` clears it;
* ``nom``, ``prenom``, ``publie``: read by people, ignored by the import — so the CSV export of
  the grid can be filled in and imported back.

A dry run reports every bad row (line, field, value, reason in French and English: unknown
student, student not enrolled in this UE, invalid grade, duplicate row…) and writes nothing; a
real run writes all or nothing, through :func:`cartable.enrolment.grades.apply_entries`, so
the same rules hold as in the grid. Importing the same file twice changes nothing the second
time."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models.functions import Lower

from cartable.core.text import fold

from . import grades
from .grades import Entry, RowProblem
from .models import Enrolment

HEADER_LINE = 1
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
IDENTIFIERS = ("numero_etudiant", "login", "courriel")
GRADE = "resultat"
IGNORED = ("nom", "prenom", "publie")
#: Other spellings of the column names (after folding: lower case, no accents, ``_``).
ALIASES = {
    "numero": "numero_etudiant",
    "numero_d_etudiant": "numero_etudiant",
    "n_etudiant": "numero_etudiant",
    "student_number": "numero_etudiant",
    "identifiant": "login",
    "email": "courriel",
    "e-mail": "courriel",
    "mail": "courriel",
    "note": GRADE,
    "grade": GRADE,
    "result": GRADE,
    "last_name": "nom",
    "first_name": "prenom",
    "published": "publie",
}
KNOWN = (*IDENTIFIERS, GRADE, *IGNORED)
#: The person field each identifier column is matched against.
PERSON_FIELD = {
    "numero_etudiant": "student_number",
    "login": "login",
    "courriel": "institutional_email",
}


@dataclass
class GradeImportReport:
    """What an import did, or in a dry run would do; ``committed`` only when written."""

    dry_run: bool
    rows_read: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows without a grade: left as they are
    errors: list[RowProblem] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _column(name: str) -> str:
    folded = fold(name).replace(" ", "_").replace("'", "_")
    return ALIASES.get(folded, folded)


def decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _records(text: str) -> Iterator[tuple[int, list[str] | None, str]]:
    """(first line of the record, its cells or None, csv error message) for each record."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, None, str(exc)
            return
        yield start, cells, ""
        start = reader.line_num + 1


def _problem(line: int, field_name: str, value: str, fr: str, en: str) -> RowProblem:
    return RowProblem(line, field_name, value, fr, en)


def _check_header(header: list[str], errors: list[RowProblem]) -> bool:
    seen: set[str] = set()
    listed = ", ".join(KNOWN)
    for name in header:
        if name in seen:
            errors.append(
                _problem(HEADER_LINE, name, name, "colonne en double", "duplicate column")
            )
        elif name not in KNOWN:
            errors.append(
                _problem(
                    HEADER_LINE,
                    name,
                    name,
                    f"colonne inconnue (colonnes possibles : {listed})",
                    f"unknown column (known columns: {listed})",
                )
            )
        seen.add(name)
    if GRADE not in seen:
        errors.append(
            _problem(
                HEADER_LINE,
                GRADE,
                "",
                "colonne obligatoire absente",
                "required column missing",
            )
        )
    if not seen & set(IDENTIFIERS):
        names = ", ".join(IDENTIFIERS)
        errors.append(
            _problem(
                HEADER_LINE,
                IDENTIFIERS[0],
                "",
                f"il faut une colonne d'identifiant de l'étudiant·e ({names})",
                f"a column identifying the student is needed ({names})",
            )
        )
    return not errors


@dataclass(frozen=True)
class _Row:
    line: int
    column: str  # which identifier column names the student
    identifier: str
    grade: str


def _rows(text: str, report: GradeImportReport) -> list[_Row]:
    records = _records(text)
    first = next(records, None)
    if first is None or not first[1] or not any(cell.strip() for cell in first[1]):
        report.errors.append(
            _problem(HEADER_LINE, "header", "", "ligne d'en-tête absente", "header row missing")
        )
        return []
    header = [_column(cell) for cell in first[1]]
    if not _check_header(header, report.errors):
        return []
    rows: list[_Row] = []
    for line, cells, problem in records:
        if cells is None:
            report.errors.append(
                _problem(
                    line, "row", "", f"CSV illisible : {problem}", f"unreadable CSV: {problem}"
                )
            )
            break
        if not any(cell.strip() for cell in cells):
            continue
        report.rows_read += 1
        if len(cells) != len(header):
            report.errors.append(
                _problem(
                    line,
                    "row",
                    "",
                    f"{len(cells)} valeurs pour {len(header)} colonnes",
                    f"{len(cells)} values for {len(header)} columns",
                )
            )
            continue
        values = dict(zip(header, cells, strict=True))
        column = next((c for c in IDENTIFIERS if values.get(c, "").strip()), "")
        grade = values.get(GRADE, "")
        if not column:
            report.errors.append(
                _problem(
                    line,
                    IDENTIFIERS[0],
                    "",
                    "étudiant·e non identifié·e (numéro, identifiant ou courriel vide)",
                    "student not identified (number, login or e-mail empty)",
                )
            )
            continue
        if not grade.strip():
            report.skipped += 1
            continue
        rows.append(_Row(line, column, values[column].strip(), grade))
    return rows


def _people(rows: list[_Row]) -> dict[tuple[str, str], uuid.UUID]:
    """(column, identifier as written) → person, in one query per identifier column."""
    person_model: Any = Enrolment._meta.get_field("student").related_model
    found: dict[tuple[str, str], uuid.UUID] = {}
    for column in IDENTIFIERS:
        wanted = {r.identifier for r in rows if r.column == column}
        if not wanted:
            continue
        if column == "courriel":
            by_mail = dict(
                person_model.objects.annotate(mail=Lower("institutional_email"))
                .filter(mail__in=[w.lower() for w in wanted])
                .values_list("mail", "uuid")
            )
            found.update({(column, w): by_mail[w.lower()] for w in wanted if w.lower() in by_mail})
            continue
        matches = person_model.objects.filter(**{f"{PERSON_FIELD[column]}__in": wanted})
        found.update(
            {(column, value): u for value, u in matches.values_list(PERSON_FIELD[column], "uuid")}
        )
    return found


def _entries(rows: list[_Row], report: GradeImportReport) -> list[Entry]:
    people = _people(rows)
    first_line: dict[uuid.UUID, int] = {}
    entries: list[Entry] = []
    for row in rows:
        person = people.get((row.column, row.identifier))
        if person is None:
            report.errors.append(
                _problem(
                    row.line,
                    row.column,
                    row.identifier,
                    f"étudiant·e inconnu·e : « {row.identifier} »",
                    f"unknown student: '{row.identifier}'",
                )
            )
            continue
        if person in first_line:
            report.errors.append(
                _problem(
                    row.line,
                    row.column,
                    row.identifier,
                    f"ligne en double : cet·te étudiant·e figure déjà ligne {first_line[person]}",
                    f"duplicate row: this student is already on line {first_line[person]}",
                )
            )
            continue
        first_line[person] = row.line
        entries.append(Entry(person, row.grade, line=row.line, label=row.identifier))
    return entries


def _in_file_terms(problem: RowProblem, columns: dict[int, str]) -> RowProblem:
    """A problem found by the grade rules, naming the file's column rather than the field."""
    names = {"grade": GRADE, "student": columns.get(problem.line, IDENTIFIERS[0])}
    if problem.field not in names:
        return problem
    return replace(problem, field=names[problem.field])


def do_import_grades(
    offer_uuid: uuid.UUID,
    content: bytes,
    *,
    dry_run: bool,
    acting_user: Any,
    reason: str = "",
) -> GradeImportReport:
    """Check (dry run) or import the grades of a CSV file; atomic, journaled, idempotent."""
    report = GradeImportReport(dry_run=dry_run)
    rows = _rows(decode(content), report)
    entries = _entries(rows, report) if rows else []
    outcome = grades.apply_entries(
        offer_uuid,
        entries,
        action=grades.IMPORT,
        acting_user=acting_user,
        reason=reason,
        dry_run=dry_run,
        problems=report.errors,
    )
    columns = {row.line: row.column for row in rows}
    report.errors = sorted(
        (_in_file_terms(p, columns) for p in outcome.problems), key=lambda p: p.line
    )
    report.changed = outcome.changed
    report.unchanged = outcome.unchanged
    report.committed = outcome.committed and not dry_run
    return report
