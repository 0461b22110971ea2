"""How assessments of a competency aggregate into a level, rule by rule, and when a block is
validated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cartable.certification import rules
from cartable.certification.rules import Evidence


def at(day: int) -> datetime:
    return datetime(2026, 1, day, tzinfo=UTC)


EVIDENCE = [Evidence(2, at(1), "LO21"), Evidence(4, at(2), "LO22"), Evidence(2, at(3), "IA41")]


@pytest.mark.parametrize(
    ("method", "needed", "rank", "sources"),
    [
        (rules.HIGHEST, 2, 4, {"LO22"}),
        (rules.LATEST, 2, 2, {"IA41"}),
        (rules.MAJORITY, 2, 2, {"LO21", "IA41"}),
        (rules.CONCORDANT, 2, 2, {"LO21", "LO22", "IA41"}),
        (rules.CONCORDANT, 1, 4, {"LO22"}),
        (rules.CONCORDANT, 4, None, set()),
    ],
)
def test_each_rule_gives_its_level_and_what_supports_it(
    method: str, needed: int, rank: int | None, sources: set[str]
) -> None:
    level = rules.aggregate(method, EVIDENCE, needed)
    assert level.rank == rank
    assert {e.source for e in level.counted} == sources


def test_a_majority_tie_goes_to_the_lower_level() -> None:
    tie = [Evidence(3, at(1), "A"), Evidence(2, at(2), "B")]
    assert rules.aggregate(rules.MAJORITY, tie).rank == 2


def test_no_evidence_no_level() -> None:
    assert rules.aggregate(rules.HIGHEST, []).rank is None


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown aggregation method"):
        rules.aggregate("average", EVIDENCE)


def test_a_block_is_validated_when_every_competency_reaches_the_level() -> None:
    progress = rules.BlockProgress(3, (("C1", 3), ("C2", 4)))
    assert progress.validated
    assert progress.missing == ()


def test_a_block_names_the_competencies_still_missing() -> None:
    progress = rules.BlockProgress(3, (("C1", 3), ("C2", 2), ("C3", None)))
    assert not progress.validated
    assert progress.missing == ("C2", "C3")
