"""The competency map and the gap report as pure functions (no database, no HTTP)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from cartable.catalogue.competency_map import (
    GAP_CSV_HEADER,
    Contribution,
    MapOffer,
    Reach,
    build_map,
    gap_csv_rows,
    gap_report,
)
from cartable.competencies.data import BlockInfo, CompetencyInfo, LevelInfo


def level(rank: int) -> LevelInfo:
    return LevelInfo(uuid.uuid4(), rank, f"N{rank}", f"Niveau {rank}", "", "")


SCALE = [level(3), level(1), level(2)]
B1 = BlockInfo(uuid.uuid4(), "BC01", "Concevoir", "", 1)
B2 = BlockInfo(uuid.uuid4(), "BC02", "Piloter", "", 2)


def competency(code: str, block: BlockInfo) -> CompetencyInfo:
    return CompetencyInfo(uuid.uuid4(), code, f"Compétence {code}", "", "", 0, block)


C1, C2, C3 = competency("C1", B1), competency("C2", B1), competency("C3", B2)
LO41 = MapOffer(uuid.uuid4(), "LO41", "Systèmes d'exploitation", "", "TM")
IF3A = MapOffer(uuid.uuid4(), "IF3A", "Algorithmique", "", "CS")
LE01 = MapOffer(uuid.uuid4(), "LE01", "Anglais", "", "EC")


def develops(offer: MapOffer, target: CompetencyInfo, rank: int) -> Contribution:
    return Contribution(offer.uuid, target.uuid, rank, Decimal("1"))


def test_the_columns_are_the_offers_that_develop_a_competency_by_code() -> None:
    cmap = build_map(
        [C1, C2, C3], SCALE, [LO41, IF3A, LE01], [develops(LO41, C1, 2), develops(IF3A, C2, 1)]
    )
    assert [o.ue_code for o in cmap.offers] == ["IF3A", "LO41"]
    assert [o.ue_code for o in cmap.silent_offers] == ["LE01"]


def test_competencies_are_grouped_by_block_in_their_order() -> None:
    cmap = build_map([C1, C2, C3], SCALE, [LO41], [])
    assert [(s.block.code, [r.competency.code for r in s.rows]) for s in cmap.blocks] == [
        ("BC01", ["C1", "C2"]),
        ("BC02", ["C3"]),
    ]


def test_each_cell_carries_the_level_an_offer_develops() -> None:
    cmap = build_map([C1], SCALE, [LO41, IF3A], [develops(LO41, C1, 2), develops(IF3A, C1, 3)])
    [row] = cmap.rows
    assert [
        (c.offer.ue_code, c.rank, c.level.label if c.level else None) for c in row.cells if c
    ] == [
        ("IF3A", 3, "Niveau 3"),
        ("LO41", 2, "Niveau 2"),
    ]


def test_a_cell_is_empty_where_an_offer_does_not_develop_the_competency() -> None:
    cmap = build_map([C1, C2], SCALE, [LO41, IF3A], [develops(LO41, C1, 2), develops(IF3A, C2, 1)])
    assert [c is None for c in cmap.rows[0].cells] == [True, False]


def test_the_highest_level_is_the_best_any_offer_reaches() -> None:
    cmap = build_map([C1], SCALE, [LO41, IF3A], [develops(LO41, C1, 1), develops(IF3A, C1, 2)])
    [row] = cmap.rows
    assert row.highest_rank == 2
    assert row.highest is not None
    assert row.highest.label == "Niveau 2"
    assert row.reach == Reach.BELOW_TOP


def test_reaching_the_top_of_the_scale_is_no_gap() -> None:
    cmap = build_map([C1], SCALE, [LO41], [develops(LO41, C1, 3)])
    assert cmap.rows[0].reach == Reach.TOP
    assert gap_report(cmap).count == 0


def test_the_gap_report_lists_unreached_and_below_top_competencies() -> None:
    cmap = build_map(
        [C1, C2, C3], SCALE, [LO41, IF3A], [develops(LO41, C1, 3), develops(IF3A, C2, 2)]
    )
    report = gap_report(cmap)
    assert [r.competency.code for r in report.unreached] == ["C3"]
    assert [r.competency.code for r in report.below_top] == ["C2"]
    assert report.top is not None
    assert report.top.rank == 3


def test_contributions_to_another_frameworks_competencies_are_left_out() -> None:
    foreign = competency("X1", B1)
    cmap = build_map([C1], SCALE, [LO41], [develops(LO41, foreign, 3)])
    assert cmap.offers == ()
    assert cmap.rows[0].reach == Reach.UNREACHED


def test_without_a_scale_a_developed_competency_is_simply_reached() -> None:
    cmap = build_map([C1, C2], [], [LO41], [develops(LO41, C1, 2)])
    assert [r.reach for r in cmap.rows] == [Reach.REACHED, Reach.UNREACHED]
    report = gap_report(cmap)
    assert (len(report.unreached), len(report.below_top)) == (1, 0)


def test_the_gap_csv_has_a_header_and_one_row_per_gap() -> None:
    cmap = build_map(
        [C1, C2, C3], SCALE, [LO41, IF3A], [develops(LO41, C2, 1), develops(IF3A, C2, 2)]
    )
    rows = gap_csv_rows(gap_report(cmap))
    assert rows[0] == GAP_CSV_HEADER
    assert rows[1][:4] == ["BC01", "C1", "Compétence C1", "non atteinte"]
    assert rows[-1] == [
        "BC01",
        "C2",
        "Compétence C2",
        "sous le maximum",
        "2 Niveau 2",
        "3 Niveau 3",
        "IF3A:2 LO41:1",
    ]
    assert len(rows) == 4
