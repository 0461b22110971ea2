"""Import of a CASE 1.1 CFPackage: round trip, idempotence, atomicity, every problem reported."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest

from cartable.competencies import case
from cartable.competencies.case import CaseImportReport
from cartable.competencies.models import Block, Competency, Framework, LearningOutcome, Level
from tests.catalogue.factories import ContributionFactory
from tests.competencies.factories import FrameworkFactory, sample_framework

pytestmark = pytest.mark.django_db

BASE = "https://cartable.utbm.fr/competences/case/"


def export(code: str = "ing-info") -> dict[str, Any]:
    package = case.export_package(code, base_uri=BASE)
    assert package is not None
    return package


def run(package: Any, *, dry_run: bool = False, **options: str) -> CaseImportReport:
    return case.import_package(package, dry_run=dry_run, base_uri=BASE, **options)


def state() -> list[Any]:
    """Everything stored about frameworks, to compare before and after."""
    return [
        list(model.objects.order_by("uuid").values())
        for model in (Framework, Level, Block, Competency, LearningOutcome)
    ]


def fields_of(report: CaseImportReport) -> set[tuple[str, str]]:
    return {(i.field, i.identifier) for i in report.errors}


def item(package: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in package["CFItems"] if i["humanCodingScheme"] == code)


def child_link(package: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    return next(
        a
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
        and a["originNodeURI"]["identifier"] == child["identifier"]
    )


def test_importing_ones_own_export_round_trips_exactly() -> None:
    sample_framework()
    before = export()
    Framework.objects.all().delete()
    report = run(before)
    assert report.committed
    assert report.counts["competencies"].created == 4
    assert export() == before


def test_importing_ones_own_export_into_the_same_base_changes_nothing() -> None:
    sample_framework()
    before = state()
    report = run(export())
    assert report.ok
    assert not report.changed
    assert state() == before


def test_importing_the_same_package_twice_changes_nothing_the_second_time() -> None:
    sample_framework()
    package = export()
    Framework.objects.all().delete()
    run(package)
    after_first = state()
    second = run(package)
    assert second.counts["outcomes"].unchanged == 8
    assert not second.changed
    assert state() == after_first


def test_a_dry_run_writes_nothing_but_tells_what_would_be_done() -> None:
    sample_framework()
    package = export()
    Framework.objects.all().delete()
    report = run(package, dry_run=True)
    assert report.ok
    assert not report.committed
    assert report.counts["blocks"].created == 2
    assert not Framework.objects.exists()


def test_the_import_takes_changes_and_removes_what_the_package_drops() -> None:
    sample_framework()
    package = export()
    item(package, "C1.1")["fullStatement"] = "Concevoir un système"
    dropped = item(package, "AA2.2.2")
    package["CFItems"].remove(dropped)
    package["CFAssociations"].remove(child_link(package, dropped))
    report = run(package)
    assert report.counts["competencies"].updated == 1
    assert report.counts["outcomes"].deleted == 1
    assert Competency.objects.get(code="C1.1").title == "Concevoir un système"
    assert not LearningOutcome.objects.filter(code="AA2.2.2").exists()


def test_codes_can_be_swapped_between_two_blocks() -> None:
    sample_framework()
    package = export()
    first, second = item(package, "RNCP35627BC01"), item(package, "RNCP35627BC02")
    first["humanCodingScheme"], second["humanCodingScheme"] = "RNCP35627BC02", "RNCP35627BC01"
    assert run(package).committed
    assert Block.objects.get(uuid=first["identifier"]).code == "RNCP35627BC02"


def test_a_competency_can_move_to_another_block() -> None:
    sample_framework()
    package = export()
    moved, target = item(package, "C1.1"), item(package, "RNCP35627BC02")
    child_link(package, moved)["destinationNodeURI"] = {
        "title": target["fullStatement"],
        "identifier": target["identifier"],
        "uri": target["uri"],
    }
    moved["humanCodingScheme"] = "C2.9"
    assert run(package).committed
    assert Competency.objects.get(uuid=moved["identifier"]).block.code == "RNCP35627BC02"
    assert LearningOutcome.objects.filter(competency__code="C2.9").count() == 2


def test_a_competency_used_by_a_ue_cannot_be_dropped_and_nothing_is_written() -> None:
    sample_framework()
    used = Competency.objects.get(code="C1.1")
    ContributionFactory(competency=used, level=Level.objects.get(rank=2))
    package = export()
    item(package, "C1.2")["fullStatement"] = "Changé"
    dropped = item(package, "C1.1")
    package["CFItems"].remove(dropped)
    package["CFAssociations"].remove(child_link(package, dropped))
    before = state()
    report = run(package)
    assert not report.committed
    assert ("identifier", str(used.uuid)) in fields_of(report)
    assert state() == before


def test_the_code_of_another_framework_is_refused() -> None:
    sample_framework()
    package = export()
    FrameworkFactory(code="taken")
    Framework.objects.filter(code="ing-info").delete()
    report = run(package, code="taken")
    assert not report.committed
    assert "code" in {i.field for i in report.errors}
    assert not Block.objects.exists()


def test_a_package_without_cartable_code_gets_one_from_its_title() -> None:
    sample_framework()
    package = export()
    del package["CFDocument"]["extensions"]
    Framework.objects.all().delete()
    package["CFDocument"]["title"] = "DigComp 2.2 - The Digital Competence Framework"
    assert run(package).framework_code == "digcomp-22"


def test_the_code_and_diploma_given_to_the_import_win() -> None:
    sample_framework()
    package = export()
    Framework.objects.all().delete()
    run(package, code="info-2027", diploma_code="ING-INFO-2")
    framework = Framework.objects.get()
    assert (framework.code, framework.diploma_code) == ("info-2027", "ING-INFO-2")


def test_text_that_is_not_json_is_reported() -> None:
    report = run(b"{not json")
    assert not report.ok
    assert report.errors[0].field == "file"
    assert "JSON" in report.errors[0].message_fr
    assert "JSON" in report.errors[0].message_en


def test_a_schema_violation_is_reported_with_its_path_and_identifier() -> None:
    sample_framework()
    package = export()
    competency = item(package, "C1.1")
    competency["identifier"] = "not-a-uuid"
    del item(package, "C1.2")["fullStatement"]
    report = run(package)
    paths = {(i.path, i.field) for i in report.errors}
    index = package["CFItems"].index(competency)
    assert (f"CFItems[{index}].identifier", "identifier") in paths
    assert any(i.field == "fullStatement" and "CFItems[" in i.path for i in report.errors)
    assert all("CASE 1.1" in i.message_fr and "CASE 1.1" in i.message_en for i in report.errors)


def test_an_item_with_two_parents_is_an_error() -> None:
    sample_framework()
    package = export()
    competency, other_block = item(package, "C1.1"), item(package, "RNCP35627BC02")
    second = copy.deepcopy(child_link(package, competency))
    second["identifier"] = str(uuid.uuid4())
    second["destinationNodeURI"]["identifier"] = other_block["identifier"]
    package["CFAssociations"].append(second)
    report = run(package)
    assert ("originNodeURI", second["identifier"]) in fields_of(report)
    assert not report.committed


def test_an_item_off_the_tree_is_an_error() -> None:
    sample_framework()
    package = export()
    orphan = item(package, "C2.1")
    package["CFAssociations"].remove(child_link(package, orphan))
    report = run(package)
    assert ("isChildOf", orphan["identifier"]) in fields_of(report)


def test_a_fourth_level_of_depth_is_an_error() -> None:
    sample_framework()
    package = export()
    outcome = item(package, "AA1.1.1")
    deeper = {
        **copy.deepcopy(outcome),
        "identifier": str(uuid.uuid4()),
        "humanCodingScheme": "X",
    }
    package["CFItems"].append(deeper)
    package["CFAssociations"].append(
        {
            **copy.deepcopy(child_link(package, outcome)),
            "identifier": str(uuid.uuid4()),
            "originNodeURI": {"title": "x", "identifier": deeper["identifier"], "uri": "u"},
            "destinationNodeURI": {"title": "y", "identifier": outcome["identifier"], "uri": "u"},
        }
    )
    report = run(package)
    assert ("isChildOf", deeper["identifier"]) in fields_of(report)


def test_a_parent_outside_the_package_is_an_error() -> None:
    sample_framework()
    package = export()
    link = child_link(package, item(package, "C1.1"))
    link["destinationNodeURI"]["identifier"] = str(uuid.uuid4())
    report = run(package)
    assert ("destinationNodeURI", link["identifier"]) in fields_of(report)


def test_two_siblings_with_the_same_code_is_an_error() -> None:
    sample_framework()
    package = export()
    item(package, "C1.2")["humanCodingScheme"] = "C1.1"
    report = run(package)
    assert "humanCodingScheme" in {i.field for i in report.errors}


def test_associations_cartable_cannot_hold_are_warned_about_and_the_rest_is_imported() -> None:
    sample_framework()
    package = export()
    competency = item(package, "C1.1")
    extra = {
        "identifier": str(uuid.uuid4()),
        "associationType": "exactMatchOf",
        "uri": "https://example.org/a",
        "originNodeURI": {"title": "C1.1", "identifier": competency["identifier"], "uri": "u"},
        "destinationNodeURI": {
            "title": "ESCO",
            "identifier": "http://data.europa.eu/esco/skill/x",
            "uri": "http://data.europa.eu/esco/skill/x",
        },
        "lastChangeDateTime": "2026-01-01T00:00:00+00:00",
    }
    package["CFAssociations"].append(extra)
    report = run(package)
    assert report.committed
    [warning] = [w for w in report.warnings if w.identifier == extra["identifier"]]
    assert warning.field == "associationType"
    assert "exactMatchOf" in warning.message_fr
    assert "exactMatchOf" in warning.message_en


def test_item_fields_cartable_does_not_keep_are_warned_about() -> None:
    sample_framework()
    package = export()
    competency = item(package, "C1.1")
    competency["conceptKeywords"] = ["conception"]
    competency["educationLevel"] = ["bac+5"]
    report = run(package)
    assert {(w.field, w.identifier) for w in report.warnings} >= {
        ("conceptKeywords", competency["identifier"]),
        ("educationLevel", competency["identifier"]),
    }


def test_several_rubrics_are_an_error() -> None:
    sample_framework()
    package = export()
    second = copy.deepcopy(package["CFRubrics"][0])
    second["identifier"] = str(uuid.uuid4())
    package["CFRubrics"].append(second)
    report = run(package)
    assert "CFRubrics" in {i.field for i in report.errors}


def test_the_rubric_levels_become_the_scale() -> None:
    sample_framework()
    package = export()
    levels = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    levels[3]["quality"] = "Expert"
    levels[3]["extensions"] = [
        {"cartable": {"code": "N4", "translations": {"en": {"quality": "Expert"}}}}
    ]
    run(package)
    top = Level.objects.get(rank=4)
    assert (top.label, top.label_en) == ("Expert", "Expert")


def test_a_level_used_by_an_outcome_may_change_rank() -> None:
    sample_framework()
    package = export()
    levels = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    levels[0]["position"], levels[1]["position"] = 2, 1
    levels[0]["score"], levels[1]["score"] = 2, 1
    assert run(package).committed
    assert Level.objects.get(uuid=levels[0]["identifier"]).rank == 2


def test_an_identifier_of_another_framework_is_refused() -> None:
    sample_framework("one")
    package = export("one")
    block_uuid = item(package, "RNCP35627BC01")["identifier"]
    package["CFDocument"]["identifier"] = str(uuid.uuid4())
    package["CFDocument"]["extensions"]["cartable"]["code"] = "two"
    for link in package["CFAssociations"]:
        if link["destinationNodeURI"]["identifier"] == str(Framework.objects.get().uuid):
            link["destinationNodeURI"]["identifier"] = package["CFDocument"]["identifier"]
    report = run(package)
    assert ("identifier", block_uuid) in fields_of(report)
    assert Framework.objects.count() == 1


def test_the_last_change_of_the_document_becomes_the_frameworks() -> None:
    sample_framework()
    package = export()
    Framework.objects.all().delete()
    package["CFDocument"]["lastChangeDateTime"] = "2024-03-01T10:00:00Z"
    run(package)
    assert Framework.objects.get().updated_at.isoformat() == "2024-03-01T10:00:00+00:00"


def test_a_package_read_from_bytes_with_a_byte_order_mark_is_accepted() -> None:
    sample_framework()
    content = ("\ufeff" + json.dumps(export())).encode("utf-8")
    assert run(content).ok


def test_a_cycle_of_parents_is_an_error() -> None:
    sample_framework()
    package = export()
    first, second = item(package, "C1.1"), item(package, "C1.2")
    child_link(package, first)["destinationNodeURI"]["identifier"] = second["identifier"]
    child_link(package, second)["destinationNodeURI"]["identifier"] = first["identifier"]
    report = run(package)
    assert {("isChildOf", first["identifier"]), ("isChildOf", second["identifier"])} <= (
        fields_of(report)
    )


def test_a_level_link_to_something_else_than_a_level_is_warned_about() -> None:
    sample_framework()
    package = export()
    link = next(a for a in package["CFAssociations"] if a["associationType"] == "hasSkillLevel")
    link["destinationNodeURI"]["identifier"] = str(uuid.uuid4())
    report = run(package)
    assert report.committed
    assert ("associationType", link["identifier"]) in {
        (w.field, w.identifier) for w in report.warnings
    }
    outcome = LearningOutcome.objects.get(uuid=link["originNodeURI"]["identifier"])
    assert outcome.level is None


def test_two_levels_with_the_same_rank_are_an_error() -> None:
    sample_framework()
    package = export()
    levels = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    levels[1]["position"] = 1
    report = run(package)
    assert ("position", levels[1]["identifier"]) in fields_of(report)


def test_a_statement_too_long_for_cartable_is_an_error() -> None:
    sample_framework()
    package = export()
    competency = item(package, "C1.1")
    competency["fullStatement"] = "x" * 301
    report = run(package)
    [error] = [e for e in report.errors if e.field == "fullStatement"]
    assert error.identifier == competency["identifier"]
    assert "301" in error.message_fr
    assert "301" in error.message_en


def test_notes_on_a_learning_outcome_are_warned_about() -> None:
    sample_framework()
    package = export()
    outcome = item(package, "AA1.1.1")
    outcome["notes"] = "Remarque"
    report = run(package)
    assert ("notes", outcome["identifier"]) in {(w.field, w.identifier) for w in report.warnings}


def test_an_item_without_code_gets_one_from_its_position_with_a_warning() -> None:
    sample_framework()
    package = export()
    competency = item(package, "C1.2")
    del competency["humanCodingScheme"]
    report = run(package)
    assert report.committed
    assert Competency.objects.get(uuid=competency["identifier"]).code == "RNCP35627BC01.2"
    assert ("humanCodingScheme", competency["identifier"]) in {
        (w.field, w.identifier) for w in report.warnings
    }


def test_a_framework_without_creator_exported_and_imported_back_is_unchanged() -> None:
    framework = sample_framework()
    Framework.objects.filter(pk=framework.pk).update(creator="")
    before = state()
    report = run(export())
    assert report.counts["frameworks"].unchanged == 1
    assert state() == before


def test_ones_own_export_is_read_without_any_warning() -> None:
    sample_framework()
    assert run(export()).warnings == []


def test_identifiers_cartable_derives_are_warned_about_once() -> None:
    sample_framework()
    package = export()
    for link in package["CFAssociations"]:
        link["identifier"] = str(uuid.uuid4())
    report = run(package)
    assert [(w.path, w.field) for w in report.warnings] == [("*", "identifier")]
    assert report.warnings[0].message_en.startswith(f"{len(package['CFAssociations'])} ")
