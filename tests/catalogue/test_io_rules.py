"""The rules of an import: all or nothing, published offers read-only, lists replaced,
references checked against the file, the database, the referential and the frameworks."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from cartable.catalogue.io import ImportReport, export, run_import
from cartable.catalogue.models import (
    CompetencyContribution,
    Offer,
    Prerequisite,
    TeachingAssignment,
    Track,
    UEAlias,
)

from .test_io_support import build_catalogue, canonical_dump

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return build_catalogue()


def exported() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(export("json", acting_user=None).content)
    return doc


def offer_item(doc: dict[str, Any], ue: str, version: int = 1) -> dict[str, Any]:
    item: dict[str, Any] = next(
        o for o in doc["offers"] if o["ue"] == ue and o["version"] == version
    )
    return item


def run(doc: dict[str, Any], *, dry_run: bool = False) -> ImportReport:
    content = json.dumps(doc).encode("utf-8")
    return run_import(content, fmt="json", dry_run=dry_run, acting_user=None)


def messages(report: ImportReport) -> list[str]:
    return [f"{e.section}:{e.line}:{e.field}: {e.message_en}" for e in report.errors]


def test_a_changed_draft_offer_is_updated(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["title"] = "Analyse numérique avancée"
    report = run(doc)
    assert report.by_table["offers"].updated == 1
    assert Offer.objects.get(ue__code="MT01").title == "Analyse numérique avancée"


def test_an_updated_offer_gets_a_new_search_text(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["title"] = "Méthodes spectrales"
    run(doc)
    assert "methodes spectrales" in Offer.objects.get(ue__code="MT01").search_text


def test_a_dry_run_counts_the_update_and_writes_nothing(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["title"] = "Autre titre"
    report = run(doc, dry_run=True)
    assert report.by_table["offers"].updated == 1
    assert not report.committed
    assert Offer.objects.get(ue__code="MT01").title == "Analyse numérique"


def test_a_single_bad_row_means_nothing_is_written(catalogue: dict[str, Any]) -> None:
    before = canonical_dump()
    doc = exported()
    offer_item(doc, "MT01")["title"] = "Autre titre"
    doc["ues"].append({"code": "NEW01"})
    offer_item(doc, "IF01")["credits"] = "61"
    report = run(doc)
    assert messages(report) == ["offers:1:credits: credits: 61 out of range (0 to 60)"]
    assert not report.committed
    assert canonical_dump() == before


def test_changing_a_published_offer_is_refused(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "LO41", 2)["credits"] = "5.0"
    report = run(doc)
    [error] = report.errors
    assert (error.section, error.line, error.field, error.value) == ("offers", 3, "version", "2")
    assert "est publiée" in error.message_fr
    assert "only changes through a new version" in error.message_en
    assert "credits" in error.message_en
    assert Offer.objects.get(ue__code="LO41", version=2).credits == Decimal("6")


def test_an_identical_published_offer_is_accepted_as_unchanged(catalogue: dict[str, Any]) -> None:
    report = run(exported())
    assert report.errors == []
    assert report.by_table["offers"].unchanged == 4


def test_changing_an_archived_offer_is_refused(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "LO41", 1)["title"] = "Autre"
    assert "is archived" in messages(run(doc))[0]


def test_changing_the_team_of_a_published_offer_is_refused(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "LO41", 2)["team"][0]["hours"] = "30"
    report = run(doc)
    assert [(e.section, e.field) for e in report.errors] == [("offers", "team[1].hours")]
    assert "published" in report.errors[0].message_en


def test_removing_a_team_member_of_a_published_offer_is_refused(
    catalogue: dict[str, Any],
) -> None:
    doc = exported()
    offer_item(doc, "LO41", 2)["team"] = []
    report = run(doc)
    assert [(e.section, e.line, e.field) for e in report.errors] == [("offers", 3, "team")]
    assert TeachingAssignment.objects.filter(offer__ue__code="LO41").exists()


def test_a_new_published_version_may_archive_the_published_one(catalogue: dict[str, Any]) -> None:
    doc = exported()
    current = offer_item(doc, "LO41", 2)
    current["status"] = "archived"
    new = {
        **current,
        "version": 3,
        "uuid": None,
        "status": "published",
        "title": "Systèmes d'exploitation (nouvelle version)",
        "supersedes_version": 2,
    }
    doc["offers"].append(new)
    report = run(doc)
    assert report.errors == []
    statuses = dict(Offer.objects.filter(ue__code="LO41").values_list("version", "status"))
    assert statuses == {1: "archived", 2: "archived", 3: "published"}
    assert Offer.objects.get(ue__code="LO41", version=3).supersedes.version == 2  # type: ignore[union-attr]
    assert TeachingAssignment.objects.filter(offer__ue__code="LO41", offer__version=3).exists()


def test_two_published_versions_of_a_ue_in_a_year_are_refused(catalogue: dict[str, Any]) -> None:
    doc = exported()
    new = {**offer_item(doc, "LO41", 2), "version": 3, "uuid": None, "status": "published"}
    doc["offers"].append(new)
    report = run(doc)
    assert messages(report) == [
        "offers:5:status: status: one published version per UE and year (published: 2, 3)"
    ]


def test_a_uuid_already_used_by_another_offer_is_refused(catalogue: dict[str, Any]) -> None:
    doc = exported()
    new = {**offer_item(doc, "MT01"), "version": 2}
    doc["offers"].append(new)
    report = run(doc)
    assert messages(report) == [
        "offers:5:uuid: uuid: UUID already used by offer MT01/2025/1",
    ]


def test_an_unknown_superseded_offer_is_an_error(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01").update(supersedes_ue="MT01", supersedes_year=2024, supersedes_version=1)
    assert messages(run(doc)) == [
        "offers:4:supersedes_ue: supersedes_ue: unknown superseded offer "
        "(neither in the file nor in the database)"
    ]


def test_an_offer_of_a_past_ue_code_names_the_current_one(catalogue: dict[str, Any]) -> None:
    doc = exported()
    doc["offers"].append({"ue": "LO40", "year": 2026, "version": 1, "title": "X", "semesters": "A"})
    assert messages(run(doc)) == ["offers:5:ue: ue: past code: use LO41"]


def test_a_new_offer_needs_its_required_columns(catalogue: dict[str, Any]) -> None:
    doc = exported()
    doc["offers"].append({"ue": "MT01", "year": 2026, "version": 1})
    assert messages(run(doc)) == [
        "offers:5:title: title: value required to create this object",
        "offers:5:semesters: semesters: value required to create this object",
    ]


def test_a_row_given_twice_is_reported_with_the_first_place(catalogue: dict[str, Any]) -> None:
    doc = exported()
    doc["categories"].append(doc["categories"][0])
    assert messages(run(doc)) == [
        "categories:3:code: code: duplicate row (already at categories 1)",
    ]


def test_an_unknown_login_is_an_error(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["team"].append({"login": "nobody", "activity": "tp", "hours": "4"})
    assert messages(run(doc)) == [
        "offers:4:team[2].login: team[2].login: unknown person (login) (in the referential)"
    ]


def test_an_unknown_campus_is_an_error(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["campus"] = "paris"
    assert messages(run(doc)) == ["offers:4:campus: campus: unknown campus (in the referential)"]


def test_an_unknown_framework_asks_to_import_it_as_case_first(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["contributions"][0]["framework"] = "ing-meca"
    [error] = run(doc).errors
    assert error.field == "contributions[1].framework"
    assert "CASE JSON" in error.message_fr
    assert "CASE JSON" in error.message_en


def test_an_unknown_competency_is_an_error(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["contributions"][0]["competency"] = "C99"
    assert messages(run(doc)) == [
        "offers:4:contributions[1].competency: contributions[1].competency: "
        "unknown competency (ing-info)"
    ]


def test_an_unknown_level_is_an_error(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["contributions"][0]["level"] = 9
    assert messages(run(doc)) == [
        "offers:4:contributions[1].level: contributions[1].level: "
        "unknown level in the scale of framework ing-info"
    ]


def test_a_contribution_level_change_is_an_update(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["contributions"][0]["level"] = 4
    report = run(doc)
    assert report.by_table["contributions"].updated == 1
    contribution = CompetencyContribution.objects.get(offer__ue__code="MT01")
    assert contribution.level.rank == 4


def test_a_prerequisite_naming_a_past_code_is_stored_against_the_current_ue(
    catalogue: dict[str, Any],
) -> None:
    doc = exported()
    offer_item(doc, "MT01")["prerequisites"].append({"required_ue": "LO40"})
    report = run(doc)
    assert report.by_table["prerequisites"].created == 1
    assert Prerequisite.objects.filter(offer__ue__code="MT01", required_ue__code="LO41").exists()
    assert run(doc).by_table["prerequisites"].created == 0


def test_a_prerequisite_is_a_ue_or_a_competency_level_not_both(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["prerequisites"][0]["required_ue"] = "IF01"
    [error] = run(doc).errors
    assert error.field == "prerequisites[1].required_ue"
    assert "either a UE" in error.message_en


def test_a_list_given_in_json_replaces_the_stored_one(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["team"] = [{"login": "amoreau", "activity": "tp", "hours": "8"}]
    report = run(doc)
    assert (report.by_table["team"].created, report.by_table["team"].deleted) == (1, 1)
    members = TeachingAssignment.objects.filter(offer__ue__code="MT01")
    assert [m.person.login for m in members] == ["amoreau"]


def test_a_list_left_out_of_a_json_item_is_kept(catalogue: dict[str, Any]) -> None:
    doc = exported()
    del offer_item(doc, "MT01")["team"]
    report = run(doc)
    assert report.by_table["team"].deleted == 0
    assert TeachingAssignment.objects.filter(offer__ue__code="MT01").count() == 1


def test_past_codes_not_listed_for_a_ue_are_removed(catalogue: dict[str, Any]) -> None:
    doc = exported()
    doc["ues"][1]["aliases"] = []
    report = run(doc)
    assert report.by_table["aliases"].deleted == 1
    assert not UEAlias.objects.exists()


def test_a_past_code_may_move_to_another_ue(catalogue: dict[str, Any]) -> None:
    doc = exported()
    doc["ues"][1]["aliases"] = []
    doc["ues"][2]["aliases"] = [{"code": "LO40", "until_year": 2019}]
    report = run(doc)
    assert report.by_table["aliases"].updated == 1
    assert UEAlias.objects.get().ue.code == "MT01"


def test_a_past_code_may_not_be_a_current_ue_code(catalogue: dict[str, Any]) -> None:
    doc = exported()
    doc["ues"][1]["aliases"].append({"code": "MT01"})
    assert messages(run(doc)) == [
        "ues:2:aliases[2].code: aliases[2].code: this is the current code of a UE"
    ]


def test_tracks_of_a_programme_are_replaced(catalogue: dict[str, Any]) -> None:
    doc = exported()
    doc["programmes"][0]["tracks"] = [{"code": "ILC", "title": "Ingénierie du logiciel (ILC)"}]
    report = run(doc)
    counts = report.by_table["tracks"]
    assert (counts.updated, counts.deleted) == (1, 1)
    assert list(Track.objects.values_list("code", flat=True)) == ["ILC"]


def test_a_link_to_an_unknown_programme_is_an_error(catalogue: dict[str, Any]) -> None:
    doc = exported()
    offer_item(doc, "MT01")["programmes"][0]["programme_year"] = 2030
    assert messages(run(doc)) == [
        "offers:4:programmes[1].programme: programmes[1].programme: "
        "unknown programme (neither in the file nor in the database)"
    ]


def test_new_reference_rows_may_be_used_by_later_rows_of_the_same_file(
    catalogue: dict[str, Any],
) -> None:
    doc = exported()
    doc["categories"].append({"code": "EC", "label": "Expression et communication"})
    doc["software"].append({"code": "gcc", "name": "GCC", "licence": "free"})
    offer_item(doc, "MT01")["programmes"][0]["category"] = "EC"
    offer_item(doc, "MT01")["software"].append({"software": "gcc", "mode": "byod"})
    report = run(doc)
    assert report.errors == []
    assert Offer.objects.get(ue__code="MT01").software_needs.count() == 2


def test_the_lists_of_an_offer_of_an_unknown_ue_are_not_reported_again(
    catalogue: dict[str, Any],
) -> None:
    doc = exported()
    new = {**offer_item(doc, "MT01"), "ue": "ZZ99", "uuid": None}
    doc["offers"].append(new)
    assert messages(run(doc)) == [
        "offers:5:ue: ue: unknown UE (neither in the file nor in the database)"
    ]
