"""What an import tells its caller: counts per table, and every bad row with a bilingual
reason (the design of the referential imports, with a section: a CSV file or a JSON list)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .schema import TABLE_NAMES


@dataclass(frozen=True)
class RowError:
    """One problem in the file: where (section and line or index), which field, the value, why.

    ``section`` is a CSV file name (``offers.csv``) or a JSON list (``offers``); ``line`` is the
    CSV line (1 is the header) or the 1-based position in the JSON list (0: the whole file or
    section); ``field`` names the column, or the path inside a JSON item (``team[2].login``).
    """

    section: str
    line: int
    field: str
    value: str
    message_fr: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Counts:
    """What an import did (or, in a dry run or a refused run, would have done) to one table."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class ImportReport:
    """The outcome of :func:`cartable.catalogue.io.run_import`.

    Counts are per table (``by_table``) and in total; in a dry run they tell what a real run
    would do. ``committed`` is true only when the changes were written, which never happens in a
    dry run or when ``errors`` is not empty.
    """

    fmt: str
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    by_table: dict[str, Counts] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors

    def _total(self, name: str) -> int:
        return sum(getattr(counts, name) for counts in self.by_table.values())

    @property
    def rows_read(self) -> int:
        return self._total("read")

    @property
    def created(self) -> int:
        return self._total("created")

    @property
    def updated(self) -> int:
        return self._total("updated")

    @property
    def unchanged(self) -> int:
        return self._total("unchanged")

    @property
    def deleted(self) -> int:
        return self._total("deleted")

    @property
    def tables(self) -> list[tuple[str, Counts]]:
        """Counts of the tables the file has or changes, in the documented order."""
        return [
            (name, counts)
            for name in TABLE_NAMES
            if (counts := self.by_table.get(name)) is not None
            and (name in self.present or any(counts.as_dict().values()))
        ]

    def counts(self, table: str) -> Counts:
        return self.by_table.setdefault(table, Counts())

    def read(self, table: str, rows: int) -> None:
        """The file has this table, with ``rows`` rows."""
        self.counts(table).read = rows
        self.present.add(table)

    def as_dict(self) -> dict[str, Any]:
        return {
            "fmt": self.fmt,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "ok": self.ok,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "by_table": {name: counts.as_dict() for name, counts in self.tables},
            "errors": [error.as_dict() for error in self.errors],
        }


class ErrorLog:
    """Collects every problem of a run instead of stopping at the first one."""

    def __init__(self) -> None:
        self.items: list[RowError] = []

    def __len__(self) -> int:
        return len(self.items)

    def add(
        self,
        section: str,
        line: int,
        field: str,
        value: object,
        message_fr: str,
        message_en: str,
    ) -> None:
        shown = "" if value is None else str(value)
        self.items.append(RowError(section, line, field, shown, message_fr, message_en))

    def about(
        self, section: str, line: int, field: str, value: object, reason: tuple[str, str]
    ) -> None:
        """Record ``reason`` (French, English) prefixed with the field it concerns."""
        self.add(section, line, field, value, f"{field} : {reason[0]}", f"{field}: {reason[1]}")

    def sorted(self) -> list[RowError]:
        """Errors in the order of the documented sections, then by line."""
        order = {name: index for index, name in enumerate(TABLE_NAMES)}

        def key(error: RowError) -> tuple[int, int]:
            table = error.section.removesuffix(".csv")
            return (order.get(table, -1), error.line)

        return sorted(self.items, key=key)
