"""Values exchanged through :mod:`cartable.certification.api` (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class CompetencyLevelInfo:
    """A student's level on a competency, and where it comes from (UE codes, experiences)."""

    competency_uuid: UUID
    code: str
    title: str
    title_en: str
    block_uuid: UUID
    block_code: str
    block_title: str
    block_title_en: str
    rank: int | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class BlockState:
    """How far a student is in a competency block at a required level."""

    block_uuid: UUID
    code: str
    title: str
    title_en: str
    required_rank: int
    validated: bool
    #: codes of the competencies below the level
    missing: tuple[str, ...]
    #: uuids of those competencies (to find UEs that develop them)
    missing_uuids: tuple[UUID, ...]


@dataclass(frozen=True)
class CertificationScore:
    test: str
    score: int
    obtained_on: date


@dataclass(frozen=True)
class ExperienceCredits:
    title: str
    kind: str
    category: str
    credits: Decimal
    decided_at: datetime | None


@dataclass(frozen=True)
class BadgeInfo:
    uuid: UUID
    name: str
    kind: str
    issued_at: datetime
    revoked: bool
