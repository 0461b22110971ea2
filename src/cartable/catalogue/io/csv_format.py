"""CSV: one file per table (``offers.csv`` …), ``;``-separated UTF-8 with a byte-order mark,
gathered in a ZIP archive. An import takes the archive, or one CSV file of one table.

A child table's file (``team.csv``) gives the complete list of children of every parent that
appears in the parent's file of the same archive or in the child file itself: stored children
of those parents that it does not list are removed. A table without its file is left alone.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from .records import Batch, Scope, convert
from .report import ErrorLog
from .schema import TABLES, Table

HEADER_LINE = 1
ZIP_MAGIC = b"PK\x03\x04"
#: Guards against archives that expand to far more than they weigh.
MAX_EXPANDED_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 100


def cell(value: Any) -> str:
    """How a stored value is written in a cell."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def write_table(table: Table, rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.column_names)
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in table.column_names])
    return buffer.getvalue().encode("utf-8")


def write_archive(tables: Mapping[str, list[dict[str, Any]]]) -> bytes:
    """Every table as ``<table>.csv`` in one ZIP archive, in the documented order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, table in TABLES.items():
            archive.writestr(table.filename, write_table(table, tables.get(name, [])))
    return buffer.getvalue()


def decode(raw: bytes, section: str, errors: ErrorLog) -> str | None:
    """UTF-8 text without its byte-order mark; None (and an error) when it is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.add(
            section,
            line,
            "file",
            "",
            "encodage invalide : le fichier doit être en UTF-8",
            "invalid encoding: the file must be UTF-8",
        )
        return None
    return text.removeprefix("\ufeff")


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


def _check_header(table: Table, header: list[str], errors: ErrorLog) -> bool:
    """Record every unknown, repeated or missing column; False when rows cannot be read."""
    section = table.filename
    known = table.column_names
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.about(
                section, HEADER_LINE, name, name, ("colonne en double", "duplicate column")
            )
        elif name not in known:
            errors.about(
                section,
                HEADER_LINE,
                name,
                name,
                (
                    f"colonne inconnue (colonnes possibles : {', '.join(known)})",
                    f"unknown column (known columns: {', '.join(known)})",
                ),
            )
        seen.add(name)
    missing = [name for name in table.required_key if name not in seen]
    for name in missing:
        errors.about(
            section,
            HEADER_LINE,
            name,
            "",
            ("colonne obligatoire absente", "required column missing"),
        )
    return not missing and len(seen) == len(header)


def read_table(table: Table, text: str, batch: Batch, errors: ErrorLog) -> None:
    section = table.filename
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    records = _records(text, delimiter)
    first = next(records, None)
    if first is None or not first[1] or not any(c.strip() for c in first[1]):
        errors.add(
            section, HEADER_LINE, "header", "", "ligne d'en-tête absente", "header row missing"
        )
        return
    header = [name.strip().lower() for name in first[1]]
    if not _check_header(table, header, errors):
        return
    batch.open(table.name)
    for line, cells, problem in records:
        if cells is None:
            errors.add(
                section, line, "row", "", f"CSV illisible : {problem}", f"unreadable CSV: {problem}"
            )
            return
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            errors.add(
                section,
                line,
                "row",
                "",
                f"{len(cells)} valeurs pour {len(header)} colonnes",
                f"{len(cells)} values for {len(header)} columns",
            )
            batch.count(table.name)
            continue
        cells_by_name = dict(zip(header, cells, strict=True))
        batch.add(convert(table, cells_by_name, errors, section=section, line=line), errors)


def _claim_scopes(batch: Batch) -> None:
    """A child table's file is complete for the parents of the archive and those it names."""
    for name, table in TABLES.items():
        if table.parent is None or not batch.present(name):
            continue
        parent = TABLES[table.parent]
        for record in batch.table(table.parent):
            if all(n in record.values for n in parent.key):
                batch.claim(name, record.key(), Scope(record, table.filename))
        for record in batch.table(name):
            key = record.parent_key()
            if None not in key:
                batch.claim(name, key, Scope(record, record.label(table.parent_columns[0])))


def _table_of(name: str) -> Table | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.suffix.lower() != ".csv":
        return None
    return TABLES.get(path.stem.lower())


def _members(content: bytes, errors: ErrorLog) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        errors.add(
            "", 0, "file", "", f"archive ZIP illisible ({exc})", f"unreadable ZIP archive ({exc})"
        )
        return
    with archive:
        infos = [
            i
            for i in archive.infolist()
            if not i.is_dir() and not i.filename.startswith("__MACOSX/")
        ]
        if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_EXPANDED_BYTES:
            errors.add(
                "",
                0,
                "file",
                "",
                "archive trop volumineuse une fois décompressée",
                "the archive is too large once expanded",
            )
            return
        for info in infos:
            yield info.filename, archive.read(info)


def parse(content: bytes, filename: str, errors: ErrorLog) -> Batch:
    """Read a ZIP archive of table files, or a single CSV file named after its table."""
    batch = Batch()
    if content.startswith(ZIP_MAGIC):
        members = list(_members(content, errors))
    else:
        members = [(filename or "", content)]
    seen: dict[str, str] = {}
    for name, raw in members:
        table = _table_of(name)
        if table is None:
            names = ", ".join(t.filename for t in TABLES.values())
            errors.add(
                name,
                0,
                "file",
                name,
                f"fichier inconnu « {name} » (attendu : {names})",
                f"unknown file '{name}' (expected: {names})",
            )
            continue
        if table.name in seen:
            errors.add(
                table.filename,
                0,
                "file",
                name,
                f"table en double dans l'archive (déjà dans « {seen[table.name]} »)",
                f"table twice in the archive (already in '{seen[table.name]}')",
            )
            continue
        seen[table.name] = name
        text = decode(raw, table.filename, errors)
        if text is not None:
            read_table(table, text, batch, errors)
    _claim_scopes(batch)
    return batch
