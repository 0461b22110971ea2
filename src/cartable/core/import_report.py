"""The bad rows of a line-based import (a CSV file, an LDIF file, a JSON list), shared by the
imports of the referential and of the weekly template: every problem is collected with its
line, field, value and reason in French and English, instead of stopping at the first one."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RowError:
    """One problem: the line (CSV line, 1 being the header, or 1-based rank in a JSON list;
    0 for the whole file), the field, the value as written, and why."""

    line: int
    field: str
    value: str
    message_fr: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ErrorLog:
    """Collects every problem of a run instead of stopping at the first one."""

    def __init__(self) -> None:
        self.items: list[RowError] = []

    def __len__(self) -> int:
        return len(self.items)

    def add(self, line: int, field: str, value: object, message_fr: str, message_en: str) -> None:
        shown = "" if value is None else str(value)
        self.items.append(RowError(line, field, shown, message_fr, message_en))

    def about(self, line: int, field: str, value: object, reason: tuple[str, str]) -> None:
        """Record ``reason`` (French, English) prefixed with the field it concerns."""
        self.add(line, field, value, f"{field} : {reason[0]}", f"{field}: {reason[1]}")

    def sorted(self) -> list[RowError]:
        return sorted(self.items, key=lambda e: e.line)
