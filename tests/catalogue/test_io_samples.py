"""The documented sample files import cleanly, reproduce the test catalogue, and the README
describes every column."""

from __future__ import annotations

import re

import pytest

from cartable.catalogue.io import TABLES, run_import

from .test_io_support import (
    SAMPLES,
    build_catalogue,
    canonical_dump,
    referential,
    wipe_catalogue,
    zip_of,
)

pytestmark = pytest.mark.django_db


def sample_archive() -> bytes:
    return zip_of({path.name: path.read_bytes() for path in (SAMPLES / "csv").glob("*.csv")})


def test_the_json_sample_imports_without_error() -> None:
    referential()
    report = run_import(
        (SAMPLES / "catalogue.json").read_bytes(), fmt="json", dry_run=False, acting_user=None
    )
    assert report.errors == []
    assert report.by_table["offers"].created == 4


def test_the_csv_samples_import_without_error() -> None:
    referential()
    report = run_import(sample_archive(), fmt="csv", dry_run=False, acting_user=None)
    assert report.errors == []
    assert report.by_table["team"].created == 2


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_samples_are_an_export_of_the_test_catalogue(fmt: str) -> None:
    build_catalogue()
    expected = canonical_dump()
    wipe_catalogue()
    content = (SAMPLES / "catalogue.json").read_bytes() if fmt == "json" else sample_archive()
    run_import(content, fmt=fmt, dry_run=False, acting_user=None)
    assert canonical_dump() == expected


def test_the_readme_describes_every_column_of_every_table() -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for name, table in TABLES.items():
        section = readme.split(f"### `{table.filename}`")[1].split("\n### ")[0]
        described = set(re.findall(r"^\| `([a-z_]+)`", section, re.MULTILINE))
        described |= {"ue", "year", "version"} if "`ue`, `year`, `version`" in section else set()
        assert set(table.column_names) <= described, name
