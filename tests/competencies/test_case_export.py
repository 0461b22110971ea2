"""Export of a framework as a 1EdTech CASE 1.1 CFPackage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft201909Validator, FormatChecker

from cartable.competencies import case
from cartable.competencies.models import Framework
from tests.competencies.factories import sample_framework

pytestmark = pytest.mark.django_db

OFFICIAL_SCHEMA = Path("/work/shared/standards/competencies/case/case_v1p1_cfpackage_schema.json")
BASE = "https://cartable.utbm.fr/competences/case/"


def official_schema() -> dict[str, Any]:
    if OFFICIAL_SCHEMA.exists():
        return json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8"))
    return case.schema()  # the same file, kept in the package


def export(framework: Framework) -> dict[str, Any]:
    package = case.export_package(framework.code, base_uri=BASE)
    assert package is not None
    return package


def items_of_type(package: dict[str, Any], type_title: str) -> list[dict[str, Any]]:
    return [i for i in package["CFItems"] if i["CFItemType"] == type_title]


def test_the_export_validates_against_the_official_case_schema() -> None:
    package = export(sample_framework())
    validator = Draft201909Validator(official_schema(), format_checker=FormatChecker())
    assert [e.message for e in validator.iter_errors(package)] == []


def test_the_kept_schema_is_the_official_one() -> None:
    if not OFFICIAL_SCHEMA.exists():
        pytest.skip("shared standards not mounted")
    assert case.schema() == json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8"))


def test_the_document_is_the_framework() -> None:
    framework = sample_framework()
    document = export(framework)["CFDocument"]
    assert document["identifier"] == str(framework.uuid)
    assert document["uri"] == f"{BASE}{framework.uuid}/"
    assert document["title"] == framework.title
    assert document["creator"] == "UTBM"
    assert document["version"] == "2026"
    assert document["language"] == "fr"
    assert document["caseVersion"] == "1.1"
    assert document["description"] == "Les compétences du diplôme."


def test_the_document_carries_the_code_the_diploma_and_the_english_title_in_extensions() -> None:
    document = export(sample_framework())["CFDocument"]
    assert document["extensions"]["cartable"] == {
        "code": "ing-info",
        "diplomaCode": "ING-INFO",
        "translations": {"en": {"title": "Computer engineering framework"}},
    }


def test_blocks_competencies_and_outcomes_are_items_of_their_type() -> None:
    package = export(sample_framework(blocks=2, per_block=3))
    assert len(items_of_type(package, "Bloc de compétences")) == 2
    assert len(items_of_type(package, "Compétence")) == 6
    assert len(items_of_type(package, "Acquis d'apprentissage")) == 12
    competency = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "C1.2")
    assert competency["fullStatement"] == "Compétence 1.2"
    assert competency["language"] == "fr"
    assert competency["extensions"]["cartable"]["translations"]["en"] == {
        "fullStatement": "Competency 1.2"
    }


def test_item_types_are_defined_and_linked() -> None:
    package = export(sample_framework())
    types = {t["identifier"]: t["title"] for t in package["CFDefinitions"]["CFItemTypes"]}
    for item in package["CFItems"]:
        assert types[item["CFItemTypeURI"]["identifier"]] == item["CFItemType"]


def test_identifiers_are_the_stored_uuids() -> None:
    framework = sample_framework()
    package = export(framework)
    block = framework.blocks.get(code="RNCP35627BC01")
    item = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "RNCP35627BC01")
    assert item["identifier"] == str(block.uuid)
    assert item["uri"] == f"{BASE}{framework.uuid}/{block.uuid}/"
    assert item["notes"] == "Description du bloc 1"


def test_the_tree_is_a_chain_of_is_child_of_up_to_the_document() -> None:
    framework = sample_framework()
    package = export(framework)
    parent = {
        a["originNodeURI"]["identifier"]: a["destinationNodeURI"]["identifier"]
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    outcome = (
        framework.blocks.get(position=2).competencies.get(position=1).learning_outcomes.first()
    )
    assert outcome is not None
    competency = parent[str(outcome.uuid)]
    block = parent[competency]
    assert parent[block] == str(framework.uuid)
    assert len(parent) == len(package["CFItems"])


def test_siblings_are_ordered_by_sequence_number() -> None:
    package = export(sample_framework(blocks=3))
    document_children = [
        (a["sequenceNumber"], a["originNodeURI"]["title"])
        for a in package["CFAssociations"]
        if a["destinationNodeURI"]["identifier"] == package["CFDocument"]["identifier"]
    ]
    assert sorted(document_children) == [(1, "Bloc 1"), (2, "Bloc 2"), (3, "Bloc 3")]


def test_the_scale_is_one_rubric_with_one_criterion_and_its_levels_in_rank_order() -> None:
    framework = sample_framework()
    rubrics = export(framework)["CFRubrics"]
    assert len(rubrics) == 1
    [criterion] = rubrics[0]["CFRubricCriteria"]
    levels = criterion["CFRubricCriterionLevels"]
    assert [(lv["position"], lv["score"], lv["quality"]) for lv in levels] == [
        (1, 1, "Niveau 1"),
        (2, 2, "Niveau 2"),
        (3, 3, "Niveau 3"),
        (4, 4, "Niveau 4"),
    ]
    assert levels[0]["identifier"] == str(framework.levels.get(rank=1).uuid)
    assert levels[0]["rubricCriterionId"] == criterion["identifier"]
    assert criterion["rubricId"] == rubrics[0]["identifier"]
    assert levels[0]["extensions"] == [{"cartable": {"code": "N1"}}]


def test_an_outcome_with_a_level_has_a_has_skill_level_association_to_it() -> None:
    framework = sample_framework()
    package = export(framework)
    outcome = (
        framework.blocks.get(position=1)
        .competencies.get(position=1)
        .learning_outcomes.get(position=1)
    )
    [link] = [
        a
        for a in package["CFAssociations"]
        if a["associationType"] == "hasSkillLevel"
        and a["originNodeURI"]["identifier"] == str(outcome.uuid)
    ]
    assert outcome.level is not None
    assert link["destinationNodeURI"]["identifier"] == str(outcome.level.uuid)


def test_a_framework_without_scale_has_no_rubric() -> None:
    framework = sample_framework()
    framework.levels.all().delete()
    assert "CFRubrics" not in export(framework)


def test_exporting_twice_gives_the_same_package() -> None:
    framework = sample_framework()
    assert export(framework) == export(framework)


def test_an_imported_framework_keeps_its_own_document_uri() -> None:
    framework = sample_framework()
    Framework.objects.filter(pk=framework.pk).update(uri="https://case.example.org/uri/x")
    framework.refresh_from_db()
    assert export(framework)["CFDocument"]["uri"] == "https://case.example.org/uri/x"


def test_the_export_costs_the_same_queries_whatever_the_size() -> None:
    small = sample_framework("small", blocks=1, per_block=1)
    large = sample_framework("large", blocks=4, per_block=5)
    with CaptureQueriesContext(connection) as few:
        export(small)
    with CaptureQueriesContext(connection) as many:
        export(large)
    assert len(few) == len(many)
