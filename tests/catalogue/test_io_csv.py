"""Reading CSV files: a ZIP archive of table files, or one table's file; every problem is
located (file, line, column)."""

from __future__ import annotations

from typing import Any

import pytest

from cartable.catalogue.io import ImportReport, export, run_import
from cartable.catalogue.models import UE, Category, Offer, TeachingAssignment

from .test_io_support import build_catalogue, csv_of, referential, unzip, zip_of

pytestmark = pytest.mark.django_db

OFFER_HEADER = "ue;year;version;title;semesters;credits"


def check(content: bytes, filename: str = "", *, dry_run: bool = False) -> ImportReport:
    return run_import(content, fmt="csv", dry_run=dry_run, acting_user=None, filename=filename)


def located(report: ImportReport) -> list[tuple[str, int, str]]:
    return [(e.section, e.line, e.field) for e in report.errors]


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return build_catalogue()


def test_one_table_file_is_imported_on_its_own() -> None:
    content = csv_of("categories", "CS;Connaissances scientifiques;;;1", "TM;Techniques;;;2")
    report = check(content, "categories.csv")
    assert report.by_table["categories"].created == 2
    assert list(Category.objects.values_list("code", flat=True)) == ["CS", "TM"]


def test_a_file_named_after_no_table_is_refused() -> None:
    report = check(csv_of("categories", "CS;Connaissances;;;1"), "categs.csv")
    [error] = report.errors
    assert error.section == "categs.csv"
    assert "offers.csv" in error.message_en


def test_an_archive_imports_its_tables_in_order() -> None:
    referential()
    files = {
        "catalogue/offers.csv": f"{OFFER_HEADER}\nLO41;2025;1;Systèmes;A;6\n",
        "catalogue/ues.csv": "code\nLO41\n",
        "catalogue/team.csv": "ue;year;version;login;activity;hours\nLO41;2025;1;tmartin;cm;10\n",
    }
    report = check(zip_of(files))
    assert report.errors == []
    assert TeachingAssignment.objects.get().offer.ue.code == "LO41"


def test_an_unknown_file_in_the_archive_is_an_error() -> None:
    report = check(zip_of({"ues.csv": "code\nLO41\n", "notes.txt": "hello"}))
    assert located(report) == [("notes.txt", 0, "file")]
    assert not UE.objects.exists()


def test_a_table_twice_in_the_archive_is_an_error() -> None:
    report = check(zip_of({"a/ues.csv": "code\nLO41\n", "b/ues.csv": "code\nMT01\n"}))
    assert located(report) == [("ues.csv", 0, "file")]


def test_a_damaged_archive_is_an_error() -> None:
    [error] = check(b"PK\x03\x04 not really a zip").errors
    assert "ZIP" in error.message_fr


def test_header_problems_are_reported_on_line_one() -> None:
    report = check(b"ue;year;colour;year\nLO41;2025;red;2025\n", "offers.csv")
    assert located(report) == [
        ("offers.csv", 1, "colour"),
        ("offers.csv", 1, "year"),
        ("offers.csv", 1, "version"),
    ]
    assert report.errors[0].message_en.startswith("colour: unknown column (known columns: ue,")
    assert report.errors[1].message_en == "year: duplicate column"
    assert report.errors[2].message_fr == "version : colonne obligatoire absente"


def test_a_bad_cell_is_reported_with_its_line_and_column() -> None:
    referential()
    content = (
        f'{OFFER_HEADER}\nLO41;2025;1;"Systèmes\nsur deux lignes";A;6\nLO41;2025;2;Systèmes;A;six\n'
    ).encode()
    report = check(zip_of({"ues.csv": "code\nLO41\n", "offers.csv": content}))
    assert located(report) == [("offers.csv", 4, "credits")]
    assert report.errors[0].message_fr == "credits : nombre attendu, pas « six »"
    assert report.errors[0].message_en == "credits: a number is expected, not 'six'"


def test_a_row_with_the_wrong_number_of_cells_is_an_error() -> None:
    report = check(b"code;label;label_en;description;position\nCS;Sciences;1\n", "categories.csv")
    assert located(report) == [("categories.csv", 2, "row")]
    assert report.errors[0].message_en == "3 values for 5 columns"


def test_a_file_that_is_not_utf8_is_an_error() -> None:
    content = "code;label;position\nCS;Catégorie;1\n".encode("latin-1")
    [error] = check(content, "categories.csv").errors
    assert (error.section, error.line) == ("categories.csv", 2)
    assert "UTF-8" in error.message_en


def test_commas_decimal_commas_a_bom_and_column_order_are_accepted() -> None:
    referential()
    UE.objects.create(code="LO41")
    content = '\ufeffcredits,semesters,title,version,year,ue\n"4,5",P,Systèmes,1,2025,LO41\n'
    report = check(content.encode("utf-8"), "offers.csv")
    assert report.errors == []
    assert str(Offer.objects.get().credits) == "4.5"


def test_a_list_file_replaces_the_lists_of_the_offers_of_the_archive(
    catalogue: dict[str, Any],
) -> None:
    files = unzip(export("csv", acting_user=None).content)
    files["team.csv"] = files["team.csv"].splitlines(keepends=True)[0]  # header only
    report = check(zip_of(files))
    assert report.by_table["team"].deleted == 1  # MT01's member; LO41 is published
    assert report.errors[0].section == "offers.csv"
    assert report.errors[0].field == "team.csv"


def test_an_archive_without_a_list_file_keeps_those_lists(catalogue: dict[str, Any]) -> None:
    files = unzip(export("csv", acting_user=None).content)
    del files["team.csv"]
    report = check(zip_of(files))
    assert report.errors == []
    assert "team" not in dict(report.tables)
    assert TeachingAssignment.objects.count() == 2


def test_a_list_file_alone_replaces_the_lists_of_the_offers_it_names(
    catalogue: dict[str, Any],
) -> None:
    content = csv_of("team", "MT01;2025;1;amoreau;tp;6")
    report = check(content, "team.csv")
    assert (report.by_table["team"].created, report.by_table["team"].deleted) == (1, 1)
    assert TeachingAssignment.objects.filter(offer__ue__code="LO41").count() == 1


def test_the_export_archive_has_one_file_per_table_with_a_bom_and_semicolons(
    catalogue: dict[str, Any],
) -> None:
    files = unzip(export("csv", acting_user=None).content)
    assert sorted(files) == sorted(
        [
            "categories.csv",
            "software.csv",
            "ues.csv",
            "aliases.csv",
            "diplomas.csv",
            "programmes.csv",
            "tracks.csv",
            "offers.csv",
            "offer_programmes.csv",
            "team.csv",
            "elements.csv",
            "prerequisites.csv",
            "software_needs.csv",
            "contributions.csv",
        ]
    )
    assert files["ues.csv"] == "\ufeffcode\r\nIF01\r\nLO41\r\nMT01\r\n"
    assert files["categories.csv"].splitlines()[1] == "CS;Connaissances scientifiques;;;1"
