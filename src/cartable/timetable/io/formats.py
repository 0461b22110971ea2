"""Reading and writing the rows of the weekly template: one row per slot (a group without
slot has one row with empty day, start, end and weeks).

CSV: UTF-8 (a byte-order mark is accepted and written), ``;`` or ``,`` separated, a header
row naming the columns. JSON: ``{"format": "cartable-timetable", "version": 1, "rows": […]}``
(or just the list of rows), each row an object with the same keys."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from .report import ErrorLog

FORMAT_NAME = "cartable-timetable"
FORMAT_VERSION = 1
COLUMNS = (
    "year",
    "semester",
    "ue_code",
    "activity",
    "group",
    "capacity",
    "room",
    "teacher",
    "parent",
    "day",
    "start",
    "end",
    "weeks",
    "slot_room",
)
REQUIRED = ("year", "semester", "ue_code", "activity", "group", "capacity")
HEADER_LINE = 1

Row = tuple[int, dict[str, str]]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def write_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def write_json(rows: list[dict[str, Any]], exported_at: datetime, scope: dict[str, Any]) -> bytes:
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": exported_at.isoformat(),
        **scope,
        "rows": [{name: row.get(name, "") for name in COLUMNS} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _decode(raw: bytes, errors: ErrorLog) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        errors.add(
            raw[: exc.start].count(b"\n") + 1,
            "file",
            "",
            "encodage invalide : le fichier doit être en UTF-8",
            "invalid encoding: the file must be UTF-8",
        )
        return None
    return text.removeprefix("\ufeff")


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | None, str]]:
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


def _header(cells: list[str], errors: ErrorLog) -> list[str] | None:
    header = [c.strip().lower() for c in cells]
    before = len(errors)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.about(HEADER_LINE, name, name, ("colonne en double", "duplicate column"))
        elif name not in COLUMNS:
            known = ", ".join(COLUMNS)
            errors.about(
                HEADER_LINE,
                name,
                name,
                (
                    f"colonne inconnue (colonnes possibles : {known})",
                    f"unknown column (known columns: {known})",
                ),
            )
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            errors.about(
                HEADER_LINE, name, "", ("colonne obligatoire absente", "required column missing")
            )
    return header if len(errors) == before else None


def read_csv(content: bytes, errors: ErrorLog) -> list[Row]:
    text = _decode(content, errors)
    if text is None:
        return []
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    records = _records(text, delimiter)
    first = next(records, None)
    if first is None or not first[1] or not any(c.strip() for c in first[1]):
        errors.add(HEADER_LINE, "header", "", "ligne d'en-tête absente", "header row missing")
        return []
    header = _header(first[1], errors)
    if header is None:
        return []
    rows: list[Row] = []
    for line, cells, problem in records:
        if cells is None:
            errors.add(line, "row", "", f"CSV illisible : {problem}", f"unreadable CSV: {problem}")
            return rows
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            errors.add(
                line,
                "row",
                "",
                f"{len(cells)} valeurs pour {len(header)} colonnes",
                f"{len(cells)} values for {len(header)} columns",
            )
            continue
        rows.append((line, dict(zip(header, cells, strict=True))))
    return rows


def read_json(content: bytes, errors: ErrorLog) -> list[Row]:
    text = _decode(content, errors)
    if text is None:
        return []
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.add(
            exc.lineno, "file", "", f"JSON illisible : {exc.msg}", f"unreadable JSON: {exc.msg}"
        )
        return []
    items = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(items, list):
        errors.add(
            0,
            "rows",
            "",
            "le document doit contenir une liste « rows »",
            "the document must hold a 'rows' list",
        )
        return []
    rows: list[Row] = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.add(index, "row", "", "chaque ligne est un objet", "each row is an object")
            continue
        unknown = sorted(set(item) - set(COLUMNS))
        for name in unknown:
            errors.about(index, name, "", ("clé inconnue", "unknown key"))
        missing = [name for name in REQUIRED if name not in item]
        for name in missing:
            errors.about(index, name, "", ("clé obligatoire absente", "required key missing"))
        if unknown or missing:
            continue
        rows.append((index, {name: _cell(value) for name, value in item.items()}))
    return rows
