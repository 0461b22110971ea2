"""From raw cells (a CSV line, a JSON item) to checked records, whatever the file format.

A record only holds the columns its source gives: a column absent from the CSV header or a key
absent from the JSON item leaves the stored value alone (or takes the model's default when the
row creates an object). Every cell is checked; every problem is recorded, none stops the reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import fields as f
from .report import ErrorLog
from .schema import REQUIRED, TABLES, Column, Table

REQUIRED_REASON = ("valeur obligatoire manquante", "required value missing")


@dataclass
class Record:
    """One row of a table, reduced to checked values keyed by column name.

    ``section``/``line`` locate it (``offers.csv`` line 12, or the 3rd item of the JSON list
    ``offers``); ``prefix`` is its path inside that item when it is nested (``team[2].``)."""

    table: str
    section: str
    line: int
    values: dict[str, Any]
    prefix: str = ""
    failed: frozenset[str] = frozenset()

    def label(self, name: str) -> str:
        """The field as the file calls it: a column, or a path inside a JSON item."""
        return f"{self.prefix}{name}"

    def missing(self, name: str) -> bool:
        """Not given at all (a value that failed its check is not reported twice)."""
        return name not in self.values and name not in self.failed

    def key(self) -> tuple[Any, ...]:
        return tuple(self.values.get(name) for name in TABLES[self.table].key)

    def parent_key(self) -> tuple[Any, ...]:
        return tuple(self.values.get(name) for name in TABLES[self.table].parent_columns)


@dataclass(frozen=True)
class Scope:
    """A parent whose child list the file gives in full: stored children it does not list are
    removed. ``record`` and ``field`` tell where to report a problem about the list."""

    record: Record
    field: str


@dataclass
class Batch:
    """Every record of a file, by table, and the parents whose child lists are complete."""

    rows: dict[str, list[Record]] = field(default_factory=dict)
    read: dict[str, int] = field(default_factory=dict)
    scopes: dict[str, dict[tuple[Any, ...], Scope]] = field(default_factory=dict)

    def table(self, name: str) -> list[Record]:
        return self.rows.get(name, [])

    def present(self, name: str) -> bool:
        """The file has this table (a CSV file, or at least one JSON item)."""
        return name in self.read

    def open(self, table: str) -> None:
        """The file has this table, even if it holds no row."""
        self.rows.setdefault(table, [])
        self.read.setdefault(table, 0)

    def count(self, table: str) -> None:
        self.open(table)
        self.read[table] += 1

    def add(self, record: Record, errors: ErrorLog) -> bool:
        """Count the record, and keep it for planning when its natural key is complete."""
        self.count(record.table)
        if not complete_key(record, errors):
            return False
        self.rows[record.table].append(record)
        return True

    def claim(self, table: str, parent_key: tuple[Any, ...], scope: Scope) -> None:
        """The file lists every child of ``parent_key`` in ``table`` (first claim wins)."""
        self.scopes.setdefault(table, {}).setdefault(parent_key, scope)


def _parse_cell(column: Column, raw: str) -> Any:
    value = raw.strip() if column.strip else raw
    if not value.strip():
        return column.empty
    return column.parser(value)


def convert(
    table: Table,
    cells: Mapping[str, str],
    errors: ErrorLog,
    *,
    section: str,
    line: int,
    prefix: str = "",
    columns: tuple[Column, ...] | None = None,
    failed: set[str] | None = None,
) -> Record:
    """Check every given cell of one row; a bad cell is recorded and left out of the record
    (``failed``: cells the format already found bad)."""
    values: dict[str, Any] = {}
    failed = set(failed or ())
    for column in columns if columns is not None else table.columns:
        raw = cells.get(column.name)
        if raw is None:
            continue
        label = f"{prefix}{column.name}"
        try:
            value = _parse_cell(column, raw)
        except f.Problem as problem:
            errors.about(section, line, label, raw, problem.reason)
            failed.add(column.name)
            continue
        if value is REQUIRED:
            errors.about(section, line, label, raw, REQUIRED_REASON)
            failed.add(column.name)
            continue
        values[column.name] = value
    return Record(table.name, section, line, values, prefix, frozenset(failed))


def complete_key(record: Record, errors: ErrorLog) -> bool:
    """True when every required column of the record's natural key is there; reports the
    missing ones (a value that failed its check was reported already)."""
    complete = True
    for name in TABLES[record.table].required_key:
        if name in record.values:
            continue
        complete = False
        if name not in record.failed:
            errors.about(record.section, record.line, record.label(name), "", REQUIRED_REASON)
    return complete
