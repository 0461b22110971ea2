"""Exports: the year filter, and a number of queries that does not grow with the catalogue,
for the export as for the import (one query per table, bulk writes)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cartable.catalogue.io import catalogue_years, export, run_import
from cartable.catalogue.models import Offer, Programme
from tests.catalogue.factories import (
    CategoryFactory,
    ContributionFactory,
    ElementFactory,
    OfferFactory,
    OfferProgrammeFactory,
    SoftwareFactory,
    SoftwareNeedFactory,
    TeachingAssignmentFactory,
    UEFactory,
    UEPrerequisiteFactory,
)

from .test_io_support import YEAR, build_catalogue, wipe_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return build_catalogue()


def grow(catalogue: dict[str, Any], count: int) -> None:
    """``count`` more offers, each with a row in every list."""
    persons, programme = catalogue["persons"], catalogue["programme"]
    for n in range(count):
        offer = OfferFactory(
            ue=UEFactory(code=f"GR{n:02d}"),
            year=YEAR,
            campus=catalogue["campus"],
            responsible=persons["rdupont"],
            status=Offer.Status.DRAFT,
        )
        OfferProgrammeFactory(
            offer=offer,
            programme=programme,
            category=CategoryFactory(code="CS"),
        )
        TeachingAssignmentFactory(offer=offer, person=persons["amoreau"])
        ElementFactory(offer=offer)
        UEPrerequisiteFactory(offer=offer, required_ue=catalogue["lo41"].ue)
        SoftwareNeedFactory(offer=offer, software=SoftwareFactory(code="python"))
        ContributionFactory(
            offer=offer,
            competency=catalogue["competencies"][2],
            level=catalogue["levels"][0],
        )


def queries_of_export(fmt: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        export(fmt, acting_user=None)
    return len(captured)


def queries_of_import(content: bytes, *, dry_run: bool) -> int:
    with CaptureQueriesContext(connection) as captured:
        report = run_import(content, fmt="json", dry_run=dry_run, acting_user=None)
    assert report.errors == []
    return len(captured)


def test_the_year_filter_keeps_the_offers_and_programmes_of_those_years(
    catalogue: dict[str, Any],
) -> None:
    Offer.objects.filter(ue__code="MT01").update(year=YEAR + 1)
    Programme.objects.create(
        diploma=catalogue["programme"].diploma, code="INFO", year=YEAR + 1, cycle="branche"
    )
    doc = json.loads(export("json", [YEAR + 1], acting_user=None).content)
    assert [(o["ue"], o["year"]) for o in doc["offers"]] == [("MT01", YEAR + 1)]
    assert [(p["code"], p["year"]) for p in doc["programmes"]] == [("INFO", YEAR + 1)]
    assert [c["code"] for c in doc["categories"]] == ["CS", "TM"]
    assert [u["code"] for u in doc["ues"]] == ["IF01", "LO41", "MT01"]
    assert doc["offers"][0]["team"][0]["login"] == "tmartin"


def test_the_catalogue_years_are_listed_newest_first(catalogue: dict[str, Any]) -> None:
    Offer.objects.filter(ue__code="MT01").update(year=YEAR + 1)
    assert catalogue_years() == [YEAR + 1, YEAR]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_export_makes_as_many_queries_for_many_offers_as_for_few(
    catalogue: dict[str, Any], fmt: str
) -> None:
    few = queries_of_export(fmt)
    grow(catalogue, 12)
    assert queries_of_export(fmt) == few


def test_a_dry_run_makes_as_many_queries_for_many_offers_as_for_few(
    catalogue: dict[str, Any],
) -> None:
    few = queries_of_import(export("json", acting_user=None).content, dry_run=True)
    grow(catalogue, 12)
    assert queries_of_import(export("json", acting_user=None).content, dry_run=True) == few


def test_an_import_into_an_empty_catalogue_writes_in_bulk(catalogue: dict[str, Any]) -> None:
    few_offers = export("json", acting_user=None).content
    grow(catalogue, 12)
    many_offers = export("json", acting_user=None).content
    wipe_catalogue()
    few = queries_of_import(few_offers, dry_run=False)
    wipe_catalogue()
    assert queries_of_import(many_offers, dry_run=False) == few
