"""What an import tells its caller: counts, and every bad row with a bilingual reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cartable.core.import_report import ErrorLog, RowError

KINDS = ("structures", "persons", "contracts", "all")
FORMATS = ("csv", "ldif")


@dataclass
class Counts:
    """What an import did (or, in a dry run or a refused run, would have done) to one kind."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class ImportReport:
    """The outcome of :func:`cartable.referential.imports.run_import`.

    ``created``/``updated``/``unchanged`` count objects (structures, persons, contracts); in a dry
    run they tell what a real run would do. ``committed`` is true only when the changes were
    written, which never happens in a dry run or when ``errors`` is not empty.
    """

    kind: str
    fmt: str
    dry_run: bool
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    by_kind: dict[str, Counts] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_counts(self, kind: str, counts: Counts) -> None:
        self.by_kind[kind] = counts
        self.created += counts.created
        self.updated += counts.updated
        self.unchanged += counts.unchanged

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "fmt": self.fmt,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "ok": self.ok,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "by_kind": {kind: counts.as_dict() for kind, counts in self.by_kind.items()},
            "errors": [error.as_dict() for error in self.errors],
        }


__all__ = ["Counts", "ErrorLog", "ImportReport", "RowError"]
