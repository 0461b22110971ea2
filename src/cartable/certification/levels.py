"""A student's competency levels: their published assessments aggregated by the rule of each
framework, where each level comes from, their progress in the blocks, and the badges that
follow from validated blocks."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from cartable.competencies import api as competencies
from cartable.competencies.data import CompetencyInfo

from . import rules
from .models import AggregationRule, Assessment, ClaimedCompetency, ExperienceClaim

DEFAULT_METHOD = rules.HIGHEST


@dataclass(frozen=True)
class CompetencyLevel:
    competency: CompetencyInfo
    framework_uuid: uuid.UUID
    rank: int | None
    method: str
    counted: tuple[rules.Evidence, ...]
    assessments: int


def aggregation_rules(framework_uuids: set[uuid.UUID]) -> dict[uuid.UUID, AggregationRule]:
    """The rule of each framework; a framework without one aggregates by the highest level,
    which the competency page states."""
    found = {
        r.framework_uuid: r
        for r in AggregationRule.objects.filter(framework_uuid__in=framework_uuids)
    }
    return {
        f: found.get(f) or AggregationRule(framework_uuid=f, method=DEFAULT_METHOD)
        for f in framework_uuids
    }


Evidence = dict[uuid.UUID, list[tuple[uuid.UUID, rules.Evidence]]]


def evidence_of_many(student_uuids: list[uuid.UUID]) -> dict[uuid.UUID, Evidence]:
    """Published assessments and accepted experiences of each student, by competency:
    (framework, evidence) — two queries whatever the number of students."""
    found: dict[uuid.UUID, Evidence] = defaultdict(lambda: defaultdict(list))
    rows = Assessment.objects.filter(
        student__uuid__in=student_uuids, status=Assessment.Status.PUBLISHED
    ).values_list(
        "student__uuid", "competency_uuid", "framework_uuid", "level_rank", "assessed_at", "ue_code"
    )
    for student, competency, framework, rank, at, ue_code in rows:
        found[student][competency].append((framework, rules.Evidence(rank, at, ue_code)))
    granted = ClaimedCompetency.objects.filter(
        claim__student__uuid__in=student_uuids,
        claim__status=ExperienceClaim.Status.ACCEPTED,
        granted_rank__isnull=False,
    ).values_list(
        "claim__student__uuid",
        "competency_uuid",
        "framework_uuid",
        "granted_rank",
        "claim__decided_at",
        "claim__title",
    )
    for student, competency, framework, granted_rank, decided_at, title in granted:
        if granted_rank is not None and decided_at is not None:
            found[student][competency].append(
                (framework, rules.Evidence(granted_rank, decided_at, title))
            )
    return found


def levels_of(student_uuid: uuid.UUID) -> list[CompetencyLevel]:
    """Every competency the student has published evidence for, with its level."""
    return levels_of_many([student_uuid]).get(student_uuid, [])


def levels_of_many(student_uuids: list[uuid.UUID]) -> dict[uuid.UUID, list[CompetencyLevel]]:
    """:func:`levels_of` for many students (four queries whatever their number)."""
    evidence = evidence_of_many(student_uuids)
    infos = competencies.competencies_by_uuid({c for e in evidence.values() for c in e})
    policy = aggregation_rules(
        {f for e in evidence.values() for items in e.values() for f, _x in items}
    )
    found: dict[uuid.UUID, list[CompetencyLevel]] = {}
    for student, by_competency in evidence.items():
        result = []
        for competency, items in by_competency.items():
            if competency not in infos:
                continue
            framework = items[0][0]
            rule = policy[framework]
            level = rules.aggregate(rule.method, [e for _f, e in items], rule.min_concordant)
            result.append(
                CompetencyLevel(
                    competency=infos[competency],
                    framework_uuid=framework,
                    rank=level.rank,
                    method=rule.method,
                    counted=level.counted,
                    assessments=len(items),
                )
            )
        found[student] = sorted(
            result,
            key=lambda c: (
                c.competency.block.position,
                c.competency.block.code,
                c.competency.position,
                c.competency.code,
            ),
        )
    return found
