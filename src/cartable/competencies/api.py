"""What other modules may ask of the competency frameworks.

Every function answers frozen dataclasses of :mod:`cartable.competencies.data`, never model
objects; each costs one query whatever the size of the framework."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from .data import BlockInfo, CompetencyInfo, FrameworkSummary, LevelInfo, OutcomeInfo
from .models import Block, Competency, Framework, LearningOutcome, Level


def _framework(row: Framework) -> FrameworkSummary:
    return FrameworkSummary(
        uuid=row.uuid,
        code=row.code,
        title=row.title,
        title_en=row.title_en,
        description=row.description,
        diploma_code=row.diploma_code,
        version=row.version,
        creator=row.creator,
    )


def _level(row: Level) -> LevelInfo:
    return LevelInfo(
        uuid=row.uuid,
        rank=row.rank,
        code=row.code,
        label=row.label,
        label_en=row.label_en,
        descriptor=row.descriptor,
    )


def _block(row: Block) -> BlockInfo:
    return BlockInfo(
        uuid=row.uuid, code=row.code, title=row.title, title_en=row.title_en, position=row.position
    )


def _competency(row: Competency) -> CompetencyInfo:
    return CompetencyInfo(
        uuid=row.uuid,
        code=row.code,
        title=row.title,
        title_en=row.title_en,
        description=row.description,
        position=row.position,
        block=_block(row.block),
    )


def frameworks() -> list[FrameworkSummary]:
    """Every framework, by code."""
    return [_framework(f) for f in Framework.objects.order_by("code")]


def framework(code: str) -> FrameworkSummary | None:
    found = Framework.objects.filter(code=code).first()
    return _framework(found) if found else None


def framework_by_uuid(framework_uuid: uuid.UUID) -> FrameworkSummary | None:
    found = Framework.objects.filter(uuid=framework_uuid).first()
    return _framework(found) if found else None


def framework_for_diploma(diploma_code: str) -> FrameworkSummary | None:
    """The framework of a diploma: when several versions exist, the one changed last."""
    if not diploma_code:
        return None
    found = Framework.objects.filter(diploma_code=diploma_code).order_by("-updated_at").first()
    return _framework(found) if found else None


def blocks(framework_uuid: uuid.UUID) -> list[BlockInfo]:
    rows = Block.objects.filter(framework__uuid=framework_uuid).order_by("position", "code")
    return [_block(b) for b in rows]


def competencies(framework_uuid: uuid.UUID) -> list[CompetencyInfo]:
    """The competencies of a framework, block by block, in their order."""
    rows = (
        Competency.objects.filter(block__framework__uuid=framework_uuid)
        .select_related("block")
        .order_by("block__position", "block__code", "position", "code")
    )
    return [_competency(c) for c in rows]


def competency(competency_uuid: uuid.UUID) -> CompetencyInfo | None:
    found = Competency.objects.select_related("block").filter(uuid=competency_uuid).first()
    return _competency(found) if found else None


def outcomes(framework_uuid: uuid.UUID) -> list[OutcomeInfo]:
    """The learning outcomes of a framework, competency by competency."""
    rows: Any = (
        LearningOutcome.objects.filter(competency__block__framework__uuid=framework_uuid)
        .order_by(
            "competency__block__position",
            "competency__block__code",
            "competency__position",
            "competency__code",
            "position",
            "code",
        )
        .values("uuid", "code", "text", "text_en", "position", "competency__uuid", "level__rank")
    )
    return [
        OutcomeInfo(
            uuid=r["uuid"],
            code=r["code"],
            text=r["text"],
            text_en=r["text_en"],
            position=r["position"],
            competency_uuid=r["competency__uuid"],
            level_rank=r["level__rank"],
        )
        for r in rows
    ]


def scale(framework_uuid: uuid.UUID) -> list[LevelInfo]:
    """The proficiency scale of a framework, lowest level first."""
    rows = Level.objects.filter(framework__uuid=framework_uuid).order_by("rank")
    return [_level(lv) for lv in rows]


def level(framework_uuid: uuid.UUID, rank: int) -> LevelInfo | None:
    found = Level.objects.filter(framework__uuid=framework_uuid, rank=rank).first()
    return _level(found) if found else None


def level_by_uuid(level_uuid: uuid.UUID) -> LevelInfo | None:
    found = Level.objects.filter(uuid=level_uuid).first()
    return _level(found) if found else None


def top_level(framework_uuid: uuid.UUID) -> LevelInfo | None:
    """The highest level of the scale, None when the framework has no scale."""
    found = Level.objects.filter(framework__uuid=framework_uuid).order_by("-rank").first()
    return _level(found) if found else None


def case_package(code: str, *, base_uri: str) -> dict[str, Any] | None:
    """The framework as a 1EdTech CASE 1.1 CFPackage (JSON-ready), None when unknown."""
    from .case import export_package

    return export_package(code, base_uri=base_uri)


def competencies_by_uuid(competency_uuids: Iterable[uuid.UUID]) -> dict[uuid.UUID, CompetencyInfo]:
    """These competencies with their blocks (one query)."""
    rows = Competency.objects.filter(uuid__in=list(competency_uuids)).select_related("block")
    return {c.uuid: _competency(c) for c in rows}


def block_competencies(block_uuid: uuid.UUID) -> list[CompetencyInfo]:
    """The competencies of a block, in their order (one query)."""
    rows = (
        Competency.objects.filter(block__uuid=block_uuid)
        .select_related("block")
        .order_by("position", "code")
    )
    return [_competency(c) for c in rows]


def framework_of_block(block_uuid: uuid.UUID) -> uuid.UUID | None:
    found: uuid.UUID | None = (
        Block.objects.filter(uuid=block_uuid).values_list("framework__uuid", flat=True).first()
    )
    return found


def competencies_of_blocks(
    block_uuids: Iterable[uuid.UUID],
) -> dict[uuid.UUID, list[CompetencyInfo]]:
    """The competencies of each block, in their order (one query)."""
    wanted = list(block_uuids)
    result: dict[uuid.UUID, list[CompetencyInfo]] = {b: [] for b in wanted}
    rows = (
        Competency.objects.filter(block__uuid__in=wanted)
        .select_related("block")
        .order_by("position", "code")
    )
    for row in rows:
        result[row.block.uuid].append(_competency(row))
    return result
