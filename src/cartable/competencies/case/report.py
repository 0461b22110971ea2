"""What a CASE import tells its caller: counts per kind, and every problem where it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
KINDS = ("frameworks", "levels", "blocks", "competencies", "outcomes")


@dataclass(frozen=True)
class Issue:
    """One problem of the package.

    ``path`` locates it in the JSON (``CFItems[3]``, ``CFAssociations[12].associationType``);
    ``identifier`` is the CASE identifier of the object concerned when it has one. An error
    stops the import; a warning says what Cartable does not keep, and lets it go on."""

    severity: str
    path: str
    identifier: str
    field: str
    message_fr: str
    message_en: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class IssueLog:
    """Collects every problem instead of stopping at the first one."""

    def __init__(self) -> None:
        self.items: list[Issue] = []

    def error(self, path: str, identifier: str, field: str, fr: str, en: str) -> None:
        self.items.append(Issue(ERROR, path, identifier, field, fr, en))

    def warning(self, path: str, identifier: str, field: str, fr: str, en: str) -> None:
        self.items.append(Issue(WARNING, path, identifier, field, fr, en))

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.items)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class CaseImportReport:
    """The outcome of :func:`cartable.competencies.case.import_package`.

    The counts tell what was written, or in a dry run (or a refused run) what a real run would
    write. ``committed`` is true only when the changes were written: never in a dry run, never
    when there is an error."""

    dry_run: bool
    framework_code: str = ""
    framework_uuid: str = ""
    framework_title: str = ""
    committed: bool = False
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.deleted for c in self.counts.values())

    def count_rows(self) -> list[tuple[str, Counts]]:
        return list(self.counts.items())

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "committed": self.committed,
            "ok": self.ok,
            "framework": {
                "code": self.framework_code,
                "uuid": self.framework_uuid,
                "title": self.framework_title,
            },
            "counts": {kind: counts.as_dict() for kind, counts in self.counts.items()},
            "errors": [i.as_dict() for i in self.errors],
            "warnings": [i.as_dict() for i in self.warnings],
        }
