"""A programme's competency map and its gap report (démarche compétence, §2.2.1).

Pure functions over plain values: the framework's competencies and scale (from the
competencies api), the programme's published offers and what each declares it develops. No
database, no HTTP: :mod:`cartable.catalogue.views_competency_map` loads and shows.

- The map crosses each competency (block by block) with the offers that develop at least one
  competency of the framework, at the level each declares; per competency it gives the highest
  level reached.
- The gap report lists the competencies no offer reaches, and those reached only below the top
  of the scale (a programme should lead to its framework's top level).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from cartable.competencies.data import BlockInfo, CompetencyInfo, LevelInfo


@dataclass(frozen=True)
class MapOffer:
    """A published offer of the programme (a column of the map)."""

    uuid: UUID
    ue_code: str
    title: str
    title_en: str
    category_code: str


@dataclass(frozen=True)
class Contribution:
    """An offer declares it develops a competency up to the level of rank ``level_rank``."""

    offer_uuid: UUID
    competency_uuid: UUID
    level_rank: int
    weight: Decimal


@dataclass(frozen=True)
class Cell:
    offer: MapOffer
    rank: int
    level: LevelInfo | None
    weight: Decimal


class Reach(StrEnum):
    UNREACHED = "unreached"  # no offer develops it
    BELOW_TOP = "below_top"  # developed, but never up to the top of the scale
    TOP = "top"  # some offer reaches the top of the scale
    REACHED = "reached"  # developed, and the framework has no scale to judge against


@dataclass(frozen=True)
class CompetencyRow:
    competency: CompetencyInfo
    cells: tuple[Cell | None, ...]  # one per column of the map, None where not developed
    highest_rank: int | None
    highest: LevelInfo | None
    reach: Reach

    @property
    def contributions(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c is not None)


@dataclass(frozen=True)
class BlockSection:
    block: BlockInfo
    rows: tuple[CompetencyRow, ...]


@dataclass(frozen=True)
class CompetencyMap:
    scale: tuple[LevelInfo, ...]
    offers: tuple[MapOffer, ...]  # columns: offers developing some competency of the framework
    silent_offers: tuple[MapOffer, ...]  # published offers that declare none of them
    blocks: tuple[BlockSection, ...]

    @property
    def top(self) -> LevelInfo | None:
        return self.scale[-1] if self.scale else None

    @property
    def rows(self) -> tuple[CompetencyRow, ...]:
        return tuple(row for section in self.blocks for row in section.rows)


@dataclass(frozen=True)
class GapReport:
    top: LevelInfo | None
    unreached: tuple[CompetencyRow, ...]
    below_top: tuple[CompetencyRow, ...]

    @property
    def count(self) -> int:
        return len(self.unreached) + len(self.below_top)


def _reach(highest_rank: int | None, top: LevelInfo | None) -> Reach:
    if highest_rank is None:
        return Reach.UNREACHED
    if top is None:
        return Reach.REACHED
    return Reach.TOP if highest_rank >= top.rank else Reach.BELOW_TOP


def build_map(
    competencies: Iterable[CompetencyInfo],
    scale: Iterable[LevelInfo],
    offers: Iterable[MapOffer],
    contributions: Iterable[Contribution],
) -> CompetencyMap:
    """The map of a programme. Contributions to competencies outside ``competencies`` (another
    framework) are left out; ``competencies`` come in their order, block by block."""
    competencies = list(competencies)
    levels = tuple(sorted(scale, key=lambda lv: lv.rank))
    by_rank = {lv.rank: lv for lv in levels}
    known = {c.uuid for c in competencies}
    all_offers = sorted(offers, key=lambda o: (o.ue_code, str(o.uuid)))
    declared: dict[tuple[UUID, UUID], Contribution] = {
        (c.competency_uuid, c.offer_uuid): c for c in contributions if c.competency_uuid in known
    }
    active = {offer_uuid for _competency, offer_uuid in declared}
    columns = tuple(o for o in all_offers if o.uuid in active)
    silent = tuple(o for o in all_offers if o.uuid not in active)
    sections: list[BlockSection] = []
    for competency in competencies:
        cells: list[Cell | None] = []
        for offer in columns:
            found = declared.get((competency.uuid, offer.uuid))
            cells.append(
                Cell(offer, found.level_rank, by_rank.get(found.level_rank), found.weight)
                if found
                else None
            )
        ranks = [c.rank for c in cells if c is not None]
        highest = max(ranks) if ranks else None
        row = CompetencyRow(
            competency=competency,
            cells=tuple(cells),
            highest_rank=highest,
            highest=by_rank.get(highest) if highest is not None else None,
            reach=_reach(highest, levels[-1] if levels else None),
        )
        if sections and sections[-1].block.uuid == competency.block.uuid:
            sections[-1] = BlockSection(sections[-1].block, (*sections[-1].rows, row))
        else:
            sections.append(BlockSection(competency.block, (row,)))
    return CompetencyMap(scale=levels, offers=columns, silent_offers=silent, blocks=tuple(sections))


def gap_report(competency_map: CompetencyMap) -> GapReport:
    """Competencies no offer reaches, and those reached only below the top of the scale."""
    rows = competency_map.rows
    return GapReport(
        top=competency_map.top,
        unreached=tuple(r for r in rows if r.reach == Reach.UNREACHED),
        below_top=tuple(r for r in rows if r.reach == Reach.BELOW_TOP),
    )


GAP_CSV_HEADER = [
    "bloc",
    "code",
    "competence",
    "ecart",
    "niveau_atteint",
    "niveau_maximal",
    "ue_contributrices",
]


def gap_csv_rows(report: GapReport) -> list[list[str]]:
    """The gap report as CSV rows (header first): one row per competency in the report."""
    top = f"{report.top.rank} {report.top.label}" if report.top else ""
    rows = [GAP_CSV_HEADER]
    for kind, found in (("non atteinte", report.unreached), ("sous le maximum", report.below_top)):
        for row in found:
            reached = f"{row.highest_rank} {row.highest.label if row.highest else ''}".strip()
            rows.append(
                [
                    row.competency.block.code,
                    row.competency.code,
                    row.competency.title,
                    kind,
                    reached if row.highest_rank is not None else "",
                    top,
                    " ".join(f"{c.offer.ue_code}:{c.rank}" for c in row.contributions),
                ]
            )
    return rows
