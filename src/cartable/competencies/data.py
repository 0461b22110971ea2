"""Values exchanged through :mod:`cartable.competencies.api` (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class FrameworkSummary:
    """A competency framework (a CASE CFDocument)."""

    uuid: UUID
    code: str
    title: str
    title_en: str
    description: str
    diploma_code: str
    version: str
    creator: str


@dataclass(frozen=True)
class LevelInfo:
    """One level of a framework's proficiency scale; rank 1 is the lowest."""

    uuid: UUID
    rank: int
    code: str
    label: str
    label_en: str
    descriptor: str


@dataclass(frozen=True)
class BlockInfo:
    """A certifiable block of competencies (RNCP "bloc de compétences")."""

    uuid: UUID
    code: str
    title: str
    title_en: str
    position: int


@dataclass(frozen=True)
class CompetencyInfo:
    """A competency with the block it belongs to."""

    uuid: UUID
    code: str
    title: str
    title_en: str
    description: str
    position: int
    block: BlockInfo


@dataclass(frozen=True)
class OutcomeInfo:
    """A learning outcome (acquis d'apprentissage), with the rank of its level if it has one."""

    uuid: UUID
    code: str
    text: str
    text_en: str
    position: int
    competency_uuid: UUID
    level_rank: int | None
