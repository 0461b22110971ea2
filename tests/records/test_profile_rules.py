"""The diploma-profile engine, on data alone: each kind of requirement, in words a student
understands, and the what-if of planned UEs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cartable.records import profile_rules as engine
from cartable.records.profile_rules import (
    BlockItem,
    CreditItem,
    InternshipItem,
    ProfileInputs,
    RequirementSpec,
)

UT = [
    RequirementSpec(engine.CREDITS, "Total", "Total", {"categories": [], "min": "300"}),
    RequirementSpec(engine.CREDITS, "CS", "CS", {"categories": ["CS"], "min": "30"}),
    RequirementSpec(engine.CREDITS, "CS+TM", "CS+TM", {"categories": ["CS", "TM"], "min": "84"}),
    RequirementSpec(engine.MANDATORY_UES, "UE", "UE", {"ues": ["LO21", "MT11"]}),
    RequirementSpec(engine.INTERNSHIPS, "Stages", "Internships", {"count": 2, "min_weeks": 20}),
    RequirementSpec(
        engine.CERTIFICATION, "TOEIC", "TOEIC", {"test": "toeic", "min_score": 785}, True
    ),
    RequirementSpec(engine.BLOCK, "Bloc", "Block", {"block": "b1", "min_rank": 3}),
]


def credits(*items: tuple[str, str, int]) -> tuple[CreditItem, ...]:
    return tuple(CreditItem(label, cat, Decimal(n)) for label, cat, n in items)


def by_label(profile: engine.Profile) -> dict[str, engine.RequirementResult]:
    return {r.label: r for r in profile.results}


def test_credits_count_in_their_categories_and_combinations() -> None:
    inputs = ProfileInputs(credits=credits(("LO21", "CS", 24), ("MT11", "TM", 60), ("EN", "EC", 6)))
    found = by_label(engine.evaluate(UT[:3], inputs))
    assert (found["Total"].have, found["Total"].met) == (Decimal(90), False)
    assert found["CS"].gap == "Il vous manque 6 crédits en CS."
    assert found["CS"].gap_en == "You need 6 more credits in CS."
    assert found["CS+TM"].met
    assert found["CS+TM"].counted == ("LO21 (24 cr.)", "MT11 (60 cr.)")


def test_planned_ues_make_a_requirement_met_if_they_are_passed() -> None:
    inputs = ProfileInputs(
        credits=credits(("LO21", "CS", 24))
        + engine.planned_items([("IA41", "CS", Decimal(6))], frozenset({"LO21"})),
        planned_ues=frozenset({"IA41"}),
    )
    result = by_label(engine.evaluate(UT[1:2], inputs))["CS"]
    assert result.state == engine.MET_IF_PLANNED
    assert result.have == Decimal(24)  # planned credits are never counted as earned
    assert "Vos UE prévues en apportent 6" in result.gap


def test_mandatory_ues_name_what_is_missing() -> None:
    result = engine.evaluate(UT[3:4], ProfileInputs(passed_ues=frozenset({"LO21"}))).results[0]
    assert result.gap == "UE obligatoires à valider : MT11."
    assert result.detail == ("MT11",)


@pytest.mark.parametrize(
    ("internships", "met", "gap"),
    [
        ((InternshipItem("A", 24, True), InternshipItem("B", 22, True)), True, ""),
        (
            (InternshipItem("A", 24, True), InternshipItem("B", 4, True)),
            False,
            "Il vous manque 1 stage(s) validé(s) d'au moins 20 semaines. "
            "1 stage(s) validé(s) sont trop courts.",
        ),
        ((InternshipItem("A", 24, False),), False, "Il vous manque 2 stage(s)"),
    ],
)
def test_internships_count_when_validated_and_long_enough(
    internships: tuple[InternshipItem, ...], met: bool, gap: str
) -> None:
    result = engine.evaluate(UT[4:5], ProfileInputs(internships=internships)).results[0]
    assert result.met is met
    assert result.gap.startswith(gap)


@pytest.mark.parametrize(
    ("scores", "gap"),
    [
        ({}, "Aucun score TOEIC sur votre dossier : il faut au moins 785."),
        ({"toeic": 700}, "Votre meilleur score TOEIC est 700 : il faut au moins 785."),
        ({"toeic": 800}, ""),
    ],
)
def test_a_certification_needs_its_score(scores: dict[str, int], gap: str) -> None:
    result = engine.evaluate(UT[5:6], ProfileInputs(scores=scores)).results[0]
    assert result.gap == gap
    assert result.assumption


def test_a_block_names_its_missing_competencies() -> None:
    inputs = ProfileInputs(blocks={"b1": BlockItem("BC01", "Concevoir", False, ("C2", "C3"))})
    result = engine.evaluate(UT[6:], inputs).results[0]
    assert result.gap == "Bloc BC01 : compétences à amener au niveau 3 : C2, C3."


def test_a_profile_is_complete_when_every_requirement_is_met() -> None:
    inputs = ProfileInputs(
        credits=credits(("X", "CS", 84), ("Y", "TM", 216)),
        passed_ues=frozenset({"LO21", "MT11"}),
        internships=(InternshipItem("A", 24, True), InternshipItem("B", 24, True)),
        scores={"toeic": 800},
        blocks={"b1": BlockItem("BC01", "Concevoir", True, ())},
    )
    profile = engine.evaluate(UT, inputs)
    assert profile.complete
    assert profile.met_count == len(UT)


def test_wrong_parameters_are_named() -> None:
    assert engine.check_params("certification", {"test": "toeic"}) == [
        "certification: min_score is missing"
    ]
    assert engine.check_params("badge", {}) == ["unknown kind badge"]
