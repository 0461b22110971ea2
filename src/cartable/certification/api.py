"""What other modules may ask of competency certification (the records' diploma profile, the
portal): frozen dataclasses of :mod:`.data`, never model objects."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from cartable.competencies import api as competencies

from .data import BadgeInfo, BlockState, CertificationScore, CompetencyLevelInfo, ExperienceCredits
from .levels import levels_of_many
from .models import Certification, CreditRule, ExperienceClaim, IssuedBadge


def competency_levels(student_uuid: uuid.UUID) -> list[CompetencyLevelInfo]:
    """Every competency the student has evidence for, with its level and sources."""
    return competency_levels_many([student_uuid]).get(student_uuid, [])


def competency_levels_many(
    student_uuids: list[uuid.UUID],
) -> dict[uuid.UUID, list[CompetencyLevelInfo]]:
    """:func:`competency_levels` for many students (a few queries whatever their number)."""
    return {
        student: _level_infos(levels) for student, levels in levels_of_many(student_uuids).items()
    }


def _level_infos(levels: list[Any]) -> list[CompetencyLevelInfo]:
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
        for level in levels
    ]


def block_states(
    student_uuid: uuid.UUID,
    required: Iterable[tuple[uuid.UUID, int]],
    levels: list[CompetencyLevelInfo] | None = None,
    members_of: dict[uuid.UUID, list[Any]] | None = None,
) -> dict[uuid.UUID, BlockState]:
    """Each block (with the level its competencies must reach): validated or what is missing.
    ``levels`` and ``members_of`` (the competencies of each block) spare their queries when
    known."""
    known = {
        lv.competency_uuid: lv.rank
        for lv in (levels if levels is not None else competency_levels(student_uuid))
    }
    wanted = list(required)
    if members_of is None:
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
    return best_scores_many([student_uuid]).get(student_uuid, {})


def best_scores_many(
    student_uuids: list[uuid.UUID],
) -> dict[uuid.UUID, dict[str, CertificationScore]]:
    found: dict[uuid.UUID, dict[str, CertificationScore]] = {}
    rows = Certification.objects.filter(student__uuid__in=student_uuids).values_list(
        "student__uuid", "test", "score", "obtained_on"
    )
    for student, test, score, day in rows:
        best = found.setdefault(student, {})
        if test not in best or score > best[test].score:
            best[test] = CertificationScore(test, score, day)
    return found


def experience_credits(student_uuid: uuid.UUID) -> list[ExperienceCredits]:
    """Credits granted for accepted experiences, in the category their kind's rule gives."""
    return experience_credits_many([student_uuid]).get(student_uuid, [])


def experience_credits_many(
    student_uuids: list[uuid.UUID],
) -> dict[uuid.UUID, list[ExperienceCredits]]:
    categories = dict(CreditRule.objects.values_list("kind", "category"))
    found: dict[uuid.UUID, list[ExperienceCredits]] = {}
    rows = ExperienceClaim.objects.filter(
        student__uuid__in=student_uuids,
        status=ExperienceClaim.Status.ACCEPTED,
        credits_granted__gt=0,
    ).values_list("student__uuid", "title", "kind", "credits_granted", "decided_at")
    for student, title, kind, credits, decided_at in rows:
        found.setdefault(student, []).append(
            ExperienceCredits(title, kind, categories.get(kind, ""), credits, decided_at)
        )
    return found


def block_members(block_uuids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """The competencies of each block (one query), for :func:`block_states`."""
    return competencies.competencies_of_blocks(block_uuids)


def badges_of(student_uuid: uuid.UUID) -> list[BadgeInfo]:
    return [
        BadgeInfo(
            b.uuid, b.achievement.name, b.achievement.kind, b.issued_at, b.revoked_at is not None
        )
        for b in IssuedBadge.objects.filter(recipient__uuid=student_uuid).select_related(
            "achievement"
        )
    ]


def award_badges_later(student_uuids: Iterable[uuid.UUID], *, acting_user: Any) -> None:
    """Queue the issuing of the badges these students may have earned (passed UEs, scores)."""
    from .actions import award_badges_later as queue

    queue(student_uuids, acting_user=acting_user)
