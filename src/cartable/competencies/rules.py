"""Rules of a competency framework: what a code, a level or a title may be.

Plain Python: values in, values or :class:`DomainError` out; no HTTP and no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.text import slugify

from cartable.core.errors import DomainError

#: Path segments of ``/competences/`` that a framework code may not take.
RESERVED_CODES = frozenset({"nouveau", "import", "case"})
FRAMEWORK_CODE = re.compile(r"[A-Za-z0-9_-]{1,60}")
MAX_RANK = 20


@dataclass(frozen=True)
class FrameworkFields:
    code: str
    title: str
    title_en: str = ""
    description: str = ""
    diploma_code: str = ""
    version: str = ""
    creator: str = ""


@dataclass(frozen=True)
class LevelFields:
    rank: int
    code: str
    label: str
    label_en: str = ""
    descriptor: str = ""


@dataclass(frozen=True)
class BlockFields:
    code: str
    title: str
    title_en: str = ""
    description: str = ""
    position: int = 0


@dataclass(frozen=True)
class CompetencyFields:
    code: str
    title: str
    title_en: str = ""
    description: str = ""
    position: int = 0


@dataclass(frozen=True)
class OutcomeFields:
    code: str
    text: str
    text_en: str = ""
    position: int = 0
    level_rank: int | None = None


def check_framework_code(code: str) -> None:
    if not FRAMEWORK_CODE.fullmatch(code):
        raise DomainError(
            "code",
            "Code : lettres, chiffres, tirets et soulignés seulement (60 au plus).",
            "Code: letters, digits, hyphens and underscores only (at most 60).",
        )
    if code.lower() in RESERVED_CODES:
        raise DomainError(
            "code",
            f"Le code « {code} » est réservé : choisissez-en un autre.",
            f"The code '{code}' is reserved: choose another one.",
        )


def code_from_title(title: str) -> str:
    """A framework code made from its title, for packages that carry none."""
    head = re.split(r"\s[-–—:]\s|:\s", title, maxsplit=1)[0]
    code = slugify(head)[:60].strip("-") or "referentiel"
    return f"{code}-1" if code in RESERVED_CODES else code


def check_item_code(code: str) -> None:
    if not code.strip() or code != code.strip():
        raise DomainError(
            "code",
            "Code obligatoire, sans espace au début ni à la fin.",
            "A code is required, without leading or trailing spaces.",
        )


def check_title(title: str, field: str = "title") -> None:
    if not title.strip():
        raise DomainError(field, "L'intitulé est obligatoire.", "A title is required.")


def check_framework(fields: FrameworkFields) -> None:
    check_framework_code(fields.code)
    check_title(fields.title)


def check_level(fields: LevelFields) -> None:
    if not 1 <= fields.rank <= MAX_RANK:
        raise DomainError(
            "rank",
            f"Le rang va de 1 (le plus bas) à {MAX_RANK}.",
            f"The rank goes from 1 (the lowest) to {MAX_RANK}.",
        )
    check_item_code(fields.code)
    check_title(fields.label, "label")


def check_block(fields: BlockFields) -> None:
    check_item_code(fields.code)
    check_title(fields.title)


def check_competency(fields: CompetencyFields) -> None:
    check_item_code(fields.code)
    check_title(fields.title)


def check_outcome(fields: OutcomeFields) -> None:
    check_item_code(fields.code)
    check_title(fields.text, "text")
