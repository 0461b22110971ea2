"""JSON: one document, the child tables nested in their parents' items.

    {"format": "cartable-catalogue", "version": 1, "exported_at": "…", "years": [2025],
     "categories": […], "software": […], "ues": [{"code": "LO41", "aliases": […]}],
     "diplomas": […], "programmes": [{…, "tracks": […]}],
     "offers": [{…, "programmes": […], "team": […], "elements": […], "prerequisites": […],
                 "software": […], "contributions": […]}]}

An item that has a child list (an offer's ``team``) gives that list in full: stored children it
does not list are removed. An item without the key leaves the stored list alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from .records import Batch, Record, Scope, convert
from .report import ErrorLog
from .schema import CHILDREN, FORMAT_NAME, FORMAT_VERSION, TABLES, TOP_LEVEL, Table

META_KEYS = ("format", "version", "exported_at", "years")


def _plain(value: Any) -> Any:
    """A stored value as JSON: decimals as strings (exact), dates in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def document(
    tables: Mapping[str, list[dict[str, Any]]], exported_at: datetime, years: list[int] | None
) -> dict[str, Any]:
    """The nested document of flat tables (children carry their parent's key columns)."""
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": exported_at.isoformat(),
        "years": years,
    }
    for name in TOP_LEVEL:
        table = TABLES[name]
        children: dict[str, dict[tuple[Any, ...], list[dict[str, Any]]]] = {}
        for child_name in CHILDREN[name]:
            child = TABLES[child_name]
            grouped = children.setdefault(child_name, {})
            for row in tables.get(child_name, []):
                parent_key = tuple(row[column] for column in child.parent_columns)
                grouped.setdefault(parent_key, []).append(
                    {c.name: _plain(row.get(c.name)) for c in child.own_columns}
                )
        items = []
        for row in tables.get(name, []):
            item = {column: _plain(row.get(column)) for column in table.column_names}
            key = tuple(row[column] for column in table.key)
            for child_name in CHILDREN[name]:
                item[TABLES[child_name].json_key] = children[child_name].get(key, [])
            items.append(item)
        doc[name] = items
    return doc


def write(
    tables: Mapping[str, list[dict[str, Any]]], exported_at: datetime, years: list[int] | None
) -> bytes:
    text = json.dumps(document(tables, exported_at, years), ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


def _cell(value: Any) -> str | None:
    """The text of a JSON value for the column parsers; None when it cannot be one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        return str(value)
    return None


def _cells(
    item: dict[str, Any],
    table: Table,
    child_keys: set[str],
    where: tuple[str, int, str],
    errors: ErrorLog,
) -> tuple[dict[str, str], set[str]]:
    """The item's values as text for the column parsers, and the fields of the wrong type."""
    section, line, prefix = where
    known = {column.name for column in (table.own_columns if table.parent else table.columns)}
    cells: dict[str, str] = {}
    bad: set[str] = set()
    for name, value in item.items():
        if name in child_keys:
            continue
        if name not in known:
            listed = ", ".join(sorted(known | child_keys))
            errors.about(
                section,
                line,
                f"{prefix}{name}",
                "",
                (
                    f"champ inconnu (champs possibles : {listed})",
                    f"unknown field (known fields: {listed})",
                ),
            )
            continue
        text = _cell(value)
        if text is None:
            errors.about(
                section,
                line,
                f"{prefix}{name}",
                json.dumps(value, ensure_ascii=False)[:80],
                (
                    "type de valeur invalide (texte ou nombre attendu)",
                    "invalid value type (text or number expected)",
                ),
            )
            bad.add(name)
            continue
        cells[name] = text
    return cells, bad


def _read_children(parent: Record, item: dict[str, Any], batch: Batch, errors: ErrorLog) -> None:
    for child_name in CHILDREN[parent.table]:
        child = TABLES[child_name]
        if child.json_key not in item:
            continue
        values = item[child.json_key]
        label = parent.label(child.json_key)
        if not isinstance(values, list):
            errors.about(
                parent.section, parent.line, label, "", ("liste attendue", "a list is expected")
            )
            continue
        batch.open(child_name)
        batch.claim(child_name, parent.key(), Scope(parent, label))
        inherited = dict(zip(child.parent_columns, parent.key(), strict=True))
        for index, value in enumerate(values, start=1):
            prefix = f"{label}[{index}]."
            if not isinstance(value, dict):
                batch.count(child_name)
                errors.about(
                    parent.section,
                    parent.line,
                    prefix.rstrip("."),
                    "",
                    ("objet attendu", "an object is expected"),
                )
                continue
            cells, bad = _cells(value, child, set(), (parent.section, parent.line, prefix), errors)
            record = convert(
                child,
                cells,
                errors,
                section=parent.section,
                line=parent.line,
                prefix=prefix,
                columns=child.own_columns,
                failed=bad,
            )
            record.values.update(inherited)
            batch.add(record, errors)


def _read_section(doc: dict[str, Any], name: str, batch: Batch, errors: ErrorLog) -> None:
    items = doc.get(name)
    if items is None:
        return
    if not isinstance(items, list):
        errors.about(name, 0, name, "", ("liste attendue", "a list is expected"))
        return
    table = TABLES[name]
    child_keys = {TABLES[c].json_key for c in CHILDREN[name]}
    batch.open(name)
    seen: set[tuple[Any, ...]] = set()
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            batch.count(name)
            errors.about(name, index, name, "", ("objet attendu", "an object is expected"))
            continue
        cells, bad = _cells(item, table, child_keys, (name, index, ""), errors)
        record = convert(table, cells, errors, section=name, line=index, failed=bad)
        if batch.add(record, errors) and record.key() not in seen:
            seen.add(record.key())
            _read_children(record, item, batch, errors)


def _check_header(doc: dict[str, Any], errors: ErrorLog) -> bool:
    if doc.get("format") != FORMAT_NAME:
        errors.about(
            "",
            0,
            "format",
            doc.get("format", ""),
            (
                f"document inattendu (attendu « {FORMAT_NAME} »)",
                f"unexpected document (expected '{FORMAT_NAME}')",
            ),
        )
        return False
    if doc.get("version") != FORMAT_VERSION:
        errors.about(
            "",
            0,
            "version",
            doc.get("version", ""),
            (
                f"version non prise en charge (attendu {FORMAT_VERSION})",
                f"unsupported version (expected {FORMAT_VERSION})",
            ),
        )
        return False
    for name in doc:
        if name not in META_KEYS and name not in TOP_LEVEL:
            listed = ", ".join((*META_KEYS, *TOP_LEVEL))
            errors.about(
                "",
                0,
                name,
                "",
                (
                    f"section inconnue (sections possibles : {listed})",
                    f"unknown section (known sections: {listed})",
                ),
            )
    return True


def parse(content: bytes, errors: ErrorLog) -> Batch:
    batch = Batch()
    try:
        doc = json.loads(content.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        errors.add(
            "",
            0,
            "file",
            "",
            "encodage invalide : le fichier doit être en UTF-8",
            "invalid encoding: the file must be UTF-8",
        )
        return batch
    except json.JSONDecodeError as exc:
        errors.add(
            "",
            exc.lineno,
            "file",
            "",
            f"JSON illisible : {exc.msg} (ligne {exc.lineno}, colonne {exc.colno})",
            f"unreadable JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
        )
        return batch
    except (ValueError, RecursionError):  # what Python refuses to read
        errors.add(
            "",
            0,
            "file",
            "",
            "JSON illisible : nombre trop long ou imbrication trop profonde",
            "unreadable JSON: a number too long or nesting too deep",
        )
        return batch
    if not isinstance(doc, dict):
        errors.add("", 0, "file", "", "un objet JSON est attendu", "a JSON object is expected")
        return batch
    if _check_header(doc, errors):
        for name in TOP_LEVEL:
            _read_section(doc, name, batch, errors)
    return batch
