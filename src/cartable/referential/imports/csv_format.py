"""CSV files: a header row naming the columns, ``;`` or ``,`` as delimiter (auto-detected)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from datetime import date

from . import rows as r
from .persons import FIELDS as PERSON_FIELDS
from .report import ErrorLog

#: Columns of each kind, in the documented order (docs/samples/README.md).
COLUMNS: dict[str, tuple[str, ...]] = {
    "structures": ("code", "name", "name_en", "acronym", "kind", "parent_code", "campus_code"),
    "persons": PERSON_FIELDS,
    "contracts": r.CONTRACT_FIELDS,
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "structures": ("code", "name", "kind"),
    "persons": ("civil_last_name", "civil_first_name"),
    "contracts": ("reference", "person_login", "population", "structure", "start_date"),
}
HEADER_LINE = 1

RowMaker = Callable[[int, Mapping[str, str], ErrorLog], r.Row | None]


def detect_delimiter(header: str) -> str:
    return ";" if header.count(";") >= header.count(",") else ","


def _row_maker(kind: str, today: date) -> RowMaker:
    if kind == "structures":
        s_specs = r.structure_specs()
        return lambda line, cells, errors: r.structure_row(line, cells, errors, s_specs)
    if kind == "persons":
        p_specs = r.person_specs(today)
        return lambda line, cells, errors: r.person_row(line, cells, errors, p_specs)
    c_specs = r.contract_specs()
    return lambda line, cells, errors: r.contract_row(line, cells, errors, c_specs)


def check_header(kind: str, header: list[str], errors: ErrorLog) -> bool:
    """Record every unknown, repeated or missing column; False when rows cannot be read."""
    known = COLUMNS[kind]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.about(HEADER_LINE, name, name, ("colonne en double", "duplicate column"))
        elif name not in known:
            errors.about(
                HEADER_LINE,
                name,
                name,
                (
                    f"colonne inconnue (colonnes possibles : {', '.join(known)})",
                    f"unknown column (known columns: {', '.join(known)})",
                ),
            )
        seen.add(name)
    missing = [name for name in REQUIRED_COLUMNS[kind] if name not in seen]
    for name in missing:
        errors.about(
            HEADER_LINE, name, "", ("colonne obligatoire absente", "required column missing")
        )
    if kind == "persons" and not seen & set(r.PERSON_KEYS):
        names = ", ".join(r.PERSON_KEYS)
        errors.about(
            HEADER_LINE,
            "login",
            "",
            (
                f"il faut au moins une colonne d'identifiant ({names})",
                f"at least one identifier column is needed ({names})",
            ),
        )
        return False
    return not missing


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | None, str]]:
    """(first line of the record, its cells or None, csv error message) for each record."""
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


def parse_csv(kind: str, text: str, errors: ErrorLog, today: date) -> r.Batch:
    """Read every record; rows that pass their checks go into the batch."""
    batch = r.Batch()
    if kind not in COLUMNS:
        errors.add(
            0,
            "kind",
            kind,
            "type d'import : « all » n'existe qu'en LDIF (un fichier CSV par type)",
            "import kind: 'all' exists only for LDIF (one CSV file per kind)",
        )
        return batch
    records = _records(text, detect_delimiter(text.split("\n", 1)[0]))
    first = next(records, None)
    if first is None or not first[1] or not any(cell.strip() for cell in first[1]):
        errors.add(HEADER_LINE, "header", "", "ligne d'en-tête absente", "header row missing")
        return batch
    header = [cell.strip().lower() for cell in first[1]]
    if not check_header(kind, header, errors):
        return batch
    make = _row_maker(kind, today)
    target = getattr(batch, kind)
    for line, cells, problem in records:
        if cells is None:
            errors.add(line, "row", "", f"CSV illisible : {problem}", f"unreadable CSV: {problem}")
            break
        if not any(cell.strip() for cell in cells):
            continue
        batch.rows_read += 1
        if len(cells) != len(header):
            errors.add(
                line,
                "row",
                "",
                f"{len(cells)} valeurs pour {len(header)} colonnes",
                f"{len(cells)} values for {len(header)} columns",
            )
            continue
        row = make(line, dict(zip(header, cells, strict=True)), errors)
        if row is not None:
            target.append(row)
    return batch
