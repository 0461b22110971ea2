"""What a read CFPackage holds, in Cartable's shape, and the checks every reader shares."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from .common import EXTENSION, Kind
from .report import IssueLog

NOT_KEPT = ("non conservé par Cartable", "not kept by Cartable")


def limit(model: Any, name: str) -> int | None:
    return model._meta.get_field(name).max_length


@dataclass
class ParsedLevel:
    uuid: UUID
    rank: int
    code: str
    label: str
    label_en: str
    descriptor: str
    path: str


@dataclass
class ParsedItem:
    """A block, a competency or a learning outcome (``title`` is an outcome's text)."""

    uuid: UUID
    kind: Kind
    code: str
    title: str
    title_en: str
    description: str
    position: int
    parent: UUID | None
    path: str
    level: UUID | None = None


@dataclass
class ParsedFramework:
    uuid: UUID
    uri: str
    title: str
    title_en: str
    description: str
    creator: str
    version: str
    code: str
    diploma_code: str
    changed_at: datetime
    levels: list[ParsedLevel] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)

    def of_kind(self, kind: Kind) -> list[ParsedItem]:
        return [i for i in self.items if i.kind == kind]


def norm(identifier: Any) -> str:
    """A UUID in its canonical form; any other identifier unchanged."""
    try:
        return str(uuid.UUID(str(identifier)))
    except ValueError:
        return str(identifier)


def own(extensions: Any) -> dict[str, Any]:
    """Cartable's part of a CASE ``extensions`` (an object, or a list of objects for levels)."""
    candidates = extensions if isinstance(extensions, list) else [extensions]
    for candidate in candidates:
        if isinstance(candidate, dict) and isinstance(candidate.get(EXTENSION), dict):
            return candidate[EXTENSION]
    return {}


def english(extensions: Any, name: str) -> str:
    translations = own(extensions).get("translations")
    if not isinstance(translations, dict) or not isinstance(translations.get("en"), dict):
        return ""
    value = translations["en"].get(name, "")
    return value if isinstance(value, str) else ""


def foreign_extensions(extensions: Any) -> list[str]:
    candidates = extensions if isinstance(extensions, list) else [extensions]
    names: list[str] = []
    for candidate in candidates:
        if isinstance(candidate, dict):
            names += [k for k in candidate if k != EXTENSION]
    return names


def is_english(language: str) -> bool:
    return language.lower().startswith("en")


class Checks:
    """Reports shared by the readers of a package; problems go to ``log``."""

    def __init__(self, log: IssueLog) -> None:
        self.log = log

    def too_long(self, path: str, ident: str, name: str, value: str, limit: int | None) -> bool:
        if limit is not None and len(value) > limit:
            self.log.error(
                path,
                ident,
                name,
                f"trop long : {len(value)} caractères, {limit} au plus",
                f"too long: {len(value)} characters, at most {limit}",
            )
            return True
        return False

    def not_kept(self, path: str, ident: str, names: list[str]) -> None:
        for name in names:
            self.log.warning(path, ident, name, *NOT_KEPT)

    def unique(self, keys: list[tuple[Any, str, str]], name: str) -> None:
        seen: dict[Any, str] = {}
        for key, path, ident in keys:
            if key in seen:
                self.log.error(
                    path,
                    ident,
                    name,
                    f"« {key} » déjà pris par {seen[key]}",
                    f"'{key}' already used by {seen[key]}",
                )
            else:
                seen[key] = path
