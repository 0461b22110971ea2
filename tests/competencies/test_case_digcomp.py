"""Import of a real CFPackage: DigComp 2.2 (5 areas, 21 competences, exactMatchOf links to
ESCO), from the shared standards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator, FormatChecker

from cartable.competencies import case
from cartable.competencies.case import CaseImportReport
from cartable.competencies.models import Block, Competency, Framework

pytestmark = pytest.mark.django_db

STANDARDS = Path("/work/shared/standards/competencies/case")
DIGCOMP = STANDARDS / "digcomp-2.2.cfpackage.json"
BASE = "https://cartable.utbm.fr/competences/case/"

if not DIGCOMP.exists():  # pragma: no cover - the shared standards are part of the workspace
    pytest.skip("DigComp 2.2 CFPackage not available", allow_module_level=True)


def digcomp() -> bytes:
    return DIGCOMP.read_bytes()


def run(**options: Any) -> CaseImportReport:
    return case.import_package(digcomp(), dry_run=False, base_uri=BASE, **options)


def test_digcomp_imports_its_areas_as_blocks_and_its_competences_as_competencies() -> None:
    report = run(code="digcomp-2-2")
    assert report.committed
    framework = Framework.objects.get(code="digcomp-2-2")
    assert framework.blocks.count() == 5
    assert Competency.objects.filter(block__framework=framework).count() == 21
    information = Block.objects.get(framework=framework, code="1")
    assert information.title == "Information and data literacy"
    assert list(information.competencies.values_list("code", flat=True)) == ["1.1", "1.2", "1.3"]


def test_digcomp_keeps_its_identifiers_uri_and_descriptions() -> None:
    run()
    framework = Framework.objects.get()
    assert str(framework.uuid) == "c8cccb8a-7eb5-5f04-ae9b-d407f9bd7f7d"
    assert framework.uri.startswith("https://case.example.org/uri/")
    assert framework.version == "2.2"
    assert framework.creator == "European Commission, Joint Research Centre"
    browsing = Competency.objects.get(code="1.1")
    assert str(browsing.uuid) == "55b4b777-bb67-5cf7-b4e5-b93076ab5382"
    assert browsing.description.startswith("ESCO description:")


def test_digcomp_english_texts_are_kept_as_english_titles_too() -> None:
    run()
    browsing = Competency.objects.get(code="1.1")
    assert browsing.title_en == browsing.title
    assert Framework.objects.get().title_en.startswith("DigComp 2.2")


def test_digcomp_gets_a_code_from_its_title() -> None:
    assert run().framework_code == "digcomp-22"


def test_every_esco_link_is_reported_as_not_kept() -> None:
    report = run()
    esco = [w for w in report.warnings if "data.europa.eu/esco" in w.message_en]
    assert len(esco) == 20
    assert all(w.path.startswith("CFAssociations[") and w.identifier for w in esco)


def test_document_fields_cartable_does_not_keep_are_reported() -> None:
    fields = {w.field for w in run().warnings if w.path == "CFDocument"}
    assert {"publisher", "officialSourceURL", "adoptionStatus", "frameworkType"} <= fields


def test_digcomp_imported_twice_changes_nothing() -> None:
    run()
    second = run()
    assert second.ok
    assert not second.changed
    assert second.counts["competencies"].unchanged == 21


def test_a_dry_run_of_digcomp_writes_nothing() -> None:
    report = case.import_package(digcomp(), dry_run=True, base_uri=BASE)
    assert report.ok
    assert report.counts["blocks"].created == 5
    assert not Framework.objects.exists()


def test_digcomp_exported_back_validates_and_keeps_its_tree() -> None:
    run(code="digcomp")
    package = case.export_package("digcomp", base_uri=BASE)
    assert package is not None
    schema = json.loads((STANDARDS / "case_v1p1_cfpackage_schema.json").read_text("utf-8"))
    validator = Draft201909Validator(schema, format_checker=FormatChecker())
    assert list(validator.iter_errors(package)) == []
    original = json.loads(digcomp())
    assert {i["identifier"] for i in package["CFItems"]} == {
        i["identifier"] for i in original["CFItems"]
    }
    assert package["CFDocument"]["uri"] == original["CFDocument"]["uri"]
