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


def evidence_of(student_uuid: uuid.UUID) -> dict[uuid.UUID, list[tuple[uuid.UUID, rules.Evidence]]]:
    """Published assessments and accepted experiences, by competency: (framework,
    evidence)."""
    found: dict[uuid.UUID, list[tuple[uuid.UUID, rules.Evidence]]] = defaultdict(list)
    rows = Assessment.objects.filter(
        student__uuid=student_uuid, status=Assessment.Status.PUBLISHED
    ).values_list("competency_uuid", "framework_uuid", "level_rank", "assessed_at", "ue_code")
    for competency, framework, rank, at, ue_code in rows:
        found[competency].append((framework, rules.Evidence(rank, at, ue_code)))
    granted = ClaimedCompetency.objects.filter(
        claim__student__uuid=student_uuid,
        claim__status=ExperienceClaim.Status.ACCEPTED,
        granted_rank__isnull=False,
    ).values_list(
        "competency_uuid", "framework_uuid", "granted_rank", "claim__decided_at", "claim__title"
    )
    for competency, framework, granted_rank, decided_at, title in granted:
        if granted_rank is not None and decided_at is not None:
            found[competency].append((framework, rules.Evidence(granted_rank, decided_at, title)))
    return found


def levels_of(student_uuid: uuid.UUID) -> list[CompetencyLevel]:
    """Every competency the student has published evidence for, with its level (three
    queries)."""
    evidence = evidence_of(student_uuid)
    infos = competencies.competencies_by_uuid(evidence)
    policy = aggregation_rules({f for items in evidence.values() for f, _e in items})
    result = []
    for competency, items in evidence.items():
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
    return sorted(
        result,
        key=lambda c: (
            c.competency.block.position,
            c.competency.block.code,
            c.competency.position,
            c.competency.code,
        ),
    )
