"""What an import of the weekly template tells its caller: counts per table (activities,
groups, slots) and every bad row with the field, the value and the reason in French and
English (the design of the referential and catalogue imports)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from cartable.core.import_report import ErrorLog, RowError

TABLES = ("activities", "groups", "slots")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class ImportReport:
    """The outcome of :func:`cartable.timetable.io.run_import`: in a dry run (or a refused
    run) the counts tell what a real run would do; ``committed`` only when written."""

    fmt: str
    dry_run: bool
    rows_read: int = 0
    templates: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    by_table: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TABLES})

    @property
    def ok(self) -> bool:
        return not self.errors

    def _total(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.by_table.values())

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
        return [(name, self.by_table[name]) for name in TABLES]

    def as_dict(self) -> dict[str, Any]:
        return {
            "fmt": self.fmt,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "ok": self.ok,
            "rows_read": self.rows_read,
            "templates": self.templates,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "by_table": {name: counts.as_dict() for name, counts in self.tables},
            "errors": [e.as_dict() for e in self.errors],
        }


__all__ = ["Counts", "ErrorLog", "ImportReport", "RowError"]
