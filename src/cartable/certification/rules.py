"""Pure rules of competency certification: how assessments aggregate into a level, and when a
block is validated. No database, no HTTP."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

HIGHEST = "highest"
LATEST = "latest"
MAJORITY = "majority"
CONCORDANT = "concordant"
METHODS = (HIGHEST, LATEST, MAJORITY, CONCORDANT)


@dataclass(frozen=True)
class Evidence:
    """One published assessment (or accepted claim) of a competency: its level, when, and
    where it comes from (a UE code, an experience)."""

    rank: int
    at: datetime
    source: str


@dataclass(frozen=True)
class Level:
    """A competency's aggregated level and the evidence that makes it."""

    rank: int | None
    counted: tuple[Evidence, ...]


def aggregate(method: str, evidence: Sequence[Evidence], min_concordant: int = 2) -> Level:
    """The level ``evidence`` gives under ``method``:

    * ``highest``: the highest level reached;
    * ``latest``: the level of the most recent assessment;
    * ``majority``: the level reached most often (a tie goes to the lower level: the
      evidence does not settle the higher one);
    * ``concordant``: the highest level reached (or passed) by at least ``min_concordant``
      assessments; none below that number.

    ``counted`` is the evidence that supports the level (for the student's "where it came
    from")."""
    if method not in METHODS:
        raise ValueError(f"unknown aggregation method: {method}")
    if not evidence:
        return Level(None, ())
    if method == HIGHEST:
        top = max(e.rank for e in evidence)
        return Level(top, tuple(e for e in evidence if e.rank == top))
    if method == LATEST:
        last = max(evidence, key=lambda e: e.at)
        return Level(last.rank, (last,))
    if method == MAJORITY:
        counts = Counter(e.rank for e in evidence)
        best = max(counts.values())
        rank = min(r for r, n in counts.items() if n == best)
        return Level(rank, tuple(e for e in evidence if e.rank == rank))
    needed = max(1, min_concordant)
    ranks = sorted((e.rank for e in evidence), reverse=True)
    if len(ranks) < needed:
        return Level(None, ())
    rank = ranks[needed - 1]  # the n-th highest: n assessments reach at least it
    return Level(rank, tuple(e for e in evidence if e.rank >= rank))


@dataclass(frozen=True)
class BlockProgress:
    """How far a student is in validating a block: each competency's level against the
    level the block requires."""

    required_rank: int
    levels: tuple[tuple[str, int | None], ...]  # (competency code, level)

    @property
    def validated(self) -> bool:
        return bool(self.levels) and all(
            rank is not None and rank >= self.required_rank for _code, rank in self.levels
        )

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(
            code for code, rank in self.levels if rank is None or rank < self.required_rank
        )
