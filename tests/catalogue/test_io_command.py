"""``manage.py export_catalogue`` and ``import_catalogue``: files, counts, every error, exit."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cartable.catalogue.models import Offer

from .test_io_support import DATA, build_catalogue, referential, unzip, wipe_catalogue

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return build_catalogue()


def test_the_export_writes_json_on_standard_output(catalogue: dict[str, Any]) -> None:
    out, _err = run("export_catalogue")
    doc = json.loads(out)
    assert doc["format"] == "cartable-catalogue"
    assert len(doc["offers"]) == 4


def test_the_export_keeps_the_years_asked_for(catalogue: dict[str, Any]) -> None:
    Offer.objects.filter(ue__code="MT01").update(year=2026)
    out, _err = run("export_catalogue", "--year", "2026")
    doc = json.loads(out)
    assert [o["ue"] for o in doc["offers"]] == ["MT01"]
    assert doc["years"] == [2026]


def test_the_export_writes_a_zip_archive_to_a_file(
    catalogue: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "catalogue.zip"
    _out, err = run("export_catalogue", "--format", "csv", "-o", str(target))
    assert "offers.csv" in unzip(target.read_bytes())
    assert "lignes / rows" in err


def test_a_csv_export_needs_an_output_file(catalogue: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="--output"):
        run("export_catalogue", "--format", "csv")


def test_the_import_takes_the_format_from_the_extension_and_prints_the_counts(
    catalogue: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "catalogue.zip"
    run("export_catalogue", "--format", "csv", "-o", str(target))
    wipe_catalogue()
    out, _err = run("import_catalogue", str(target))
    assert "catalogue (csv) — importé / imported" in out
    assert "offers: lues/read 4, créées/created 4" in out
    assert Offer.objects.count() == 4


def test_a_dry_run_writes_nothing(catalogue: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "catalogue.json"
    run("export_catalogue", "-o", str(target))
    wipe_catalogue()
    out, _err = run("import_catalogue", str(target), "--dry-run")
    assert "simulation" in out
    assert not Offer.objects.exists()


def test_the_import_fails_and_prints_every_error() -> None:
    referential()
    err = StringIO()
    with pytest.raises(CommandError, match="3 erreur"):
        call_command(
            "import_catalogue", str(DATA / "bad_catalogue.json"), stdout=StringIO(), stderr=err
        )
    lines = err.getvalue().splitlines()
    assert lines == [
        "ues ligne/line 2 · code · « lo 41 » · code : code d'UE invalide « lo 41 » (majuscules "
        "sans accent, chiffres, - _ .) / code: invalid UE code 'lo 41' (unaccented capitals, "
        "digits, - _ .)",
        "offers ligne/line 1 · semesters · « H » · semesters : valeur inconnue « H » (attendu : "
        "A, P, AP) / semesters: unknown value 'H' (expected one of: A, P, AP)",
        "offers ligne/line 1 · team[1].login · « nobody » · team[1].login : personne "
        "(identifiant) inconnu(e) (dans le référentiel) / team[1].login: unknown person (login) "
        "(in the referential)",
    ]
    assert not Offer.objects.exists()


def test_the_import_asks_for_the_format_when_the_extension_tells_nothing(tmp_path: Path) -> None:
    unknown = tmp_path / "catalogue.dat"
    unknown.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="--format"):
        run("import_catalogue", str(unknown))


def test_the_import_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        run("import_catalogue", str(tmp_path / "absent.json"))
