"""What other modules may ask of competency certification (the records' diploma profile, the
portal): frozen dataclasses of :mod:`.data`, never model objects."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from cartable.competencies import api as competencies

from .data import BadgeInfo, BlockState, CertificationScore, CompetencyLevelInfo, ExperienceCredits
from .levels import levels_of
from .models import Certification, CreditRule, ExperienceClaim, IssuedBadge


def competency_levels(student_uuid: uuid.UUID) -> list[CompetencyLevelInfo]:
    """Every competency the student has evidence for, with its level and sources."""
    return [
        CompetencyLevelInfo(
            competency_uuid=level.competency.uuid,
            code=level.competency.code,
            title=level.competency.title,
            title_en=level.competency.title_en,
            block_uuid=level.competency.block.uuid,
            block_code=level.competency.block.code,
            block_title=level.competency.block.title,
            block_title_en=level.competency.block.title_en,
            rank=level.rank,
            sources=tuple(sorted({e.source for e in level.counted})),
        )
        for level in levels_of(student_uuid)
    ]


def block_states(
    student_uuid: uuid.UUID,
    required: Iterable[tuple[uuid.UUID, int]],
    levels: list[CompetencyLevelInfo] | None = None,
) -> dict[uuid.UUID, BlockState]:
    """Each block (with the level its competencies must reach): validated or what is missing."""
    known = {
        lv.competency_uuid: lv.rank
        for lv in (levels if levels is not None else competency_levels(student_uuid))
    }
    wanted = list(required)
    members_of = competencies.competencies_of_blocks(b for b, _r in wanted)
    states = {}
    for block_uuid, rank in wanted:
        members = members_of.get(block_uuid, [])
        if not members:
            continue
        missing = [c for c in members if (known.get(c.uuid) or 0) < rank]
        block = members[0].block
        states[block_uuid] = BlockState(
            block_uuid=block_uuid,
            code=block.code,
            title=block.title,
            title_en=block.title_en,
            required_rank=rank,
            validated=not missing,
            missing=tuple(c.code for c in missing),
            missing_uuids=tuple(c.uuid for c in missing),
        )
    return states


def best_scores(student_uuid: uuid.UUID) -> dict[str, CertificationScore]:
    """The best score of each certification test on the student's record."""
    best: dict[str, CertificationScore] = {}
    for row in Certification.objects.filter(student__uuid=student_uuid):
        if row.test not in best or row.score > best[row.test].score:
            best[row.test] = CertificationScore(row.test, row.score, row.obtained_on)
    return best


def experience_credits(student_uuid: uuid.UUID) -> list[ExperienceCredits]:
    """Credits granted for accepted experiences, in the category their kind's rule gives."""
    categories = dict(CreditRule.objects.values_list("kind", "category"))
    return [
        ExperienceCredits(
            c.title, c.kind, categories.get(c.kind, ""), c.credits_granted, c.decided_at
        )
        for c in ExperienceClaim.objects.filter(
            student__uuid=student_uuid,
            status=ExperienceClaim.Status.ACCEPTED,
            credits_granted__gt=0,
        )
    ]


def badges_of(student_uuid: uuid.UUID) -> list[BadgeInfo]:
    return [
        BadgeInfo(
            b.uuid, b.achievement.name, b.achievement.kind, b.issued_at, b.revoked_at is not None
        )
        for b in IssuedBadge.objects.filter(recipient__uuid=student_uuid).select_related(
            "achievement"
        )
    ]
