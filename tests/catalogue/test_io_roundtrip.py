"""Export then import reproduces the catalogue; the same file twice changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from cartable.catalogue.io import export, run_import
from cartable.catalogue.models import Offer
from cartable.core.models import AuditEntry

from .test_io_support import build_catalogue, canonical_dump, wipe_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return build_catalogue()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_imported_into_an_empty_catalogue_reproduces_it(
    catalogue: dict[str, Any], fmt: str
) -> None:
    before = canonical_dump()
    content = export(fmt, acting_user=None).content
    wipe_catalogue()
    report = run_import(content, fmt=fmt, dry_run=False, acting_user=None)
    assert report.errors == []
    assert report.committed
    assert canonical_dump() == before


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_importing_the_same_file_twice_creates_and_updates_nothing_the_second_time(
    catalogue: dict[str, Any], fmt: str
) -> None:
    content = export(fmt, acting_user=None).content
    wipe_catalogue()
    first = run_import(content, fmt=fmt, dry_run=False, acting_user=None)
    second = run_import(content, fmt=fmt, dry_run=False, acting_user=None)
    assert first.created > 0
    assert (second.created, second.updated, second.deleted) == (0, 0, 0)
    assert second.unchanged == first.created


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_importing_an_export_into_the_same_catalogue_finds_every_row_unchanged(
    catalogue: dict[str, Any], fmt: str
) -> None:
    content = export(fmt, acting_user=None).content
    report = run_import(content, fmt=fmt, dry_run=True, acting_user=None)
    assert report.errors == []
    assert (report.created, report.updated, report.deleted) == (0, 0, 0)
    assert report.unchanged == report.rows_read


def test_imported_offers_get_their_search_text(catalogue: dict[str, Any]) -> None:
    content = export("json", acting_user=None).content
    wipe_catalogue()
    run_import(content, fmt="json", dry_run=False, acting_user=None)
    offer = Offer.objects.get(ue__code="LO41", version=2)
    assert offer.search_text == offer.compute_search_text()
    assert "lo41" in offer.search_text


def test_a_real_import_writes_one_audit_entry_with_the_counts(catalogue: dict[str, Any]) -> None:
    content = export("json", acting_user=None).content
    wipe_catalogue()
    run_import(content, fmt="json", dry_run=False, acting_user=None)
    entry = AuditEntry.objects.get(action="catalogue.import")
    assert entry.detail["by_table"]["offers"]["created"] == 4
    assert entry.detail["created"] > 0


def test_a_dry_run_writes_no_audit_entry(catalogue: dict[str, Any]) -> None:
    content = export("json", acting_user=None).content
    run_import(content, fmt="json", dry_run=True, acting_user=None)
    assert not AuditEntry.objects.filter(action="catalogue.import").exists()
