"""The staff screen /catalogue/echanges/: download, dry run, report, confirmation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings

from cartable.catalogue import views_io
from cartable.catalogue.io import export
from cartable.catalogue.models import Offer
from cartable.core import pending_uploads as pending
from cartable.core.models import AuditEntry

from .test_io_support import build_catalogue, unzip, wipe_catalogue

URL = "/catalogue/echanges/"
EXPORT_URL = "/catalogue/echanges/export/"


@pytest.fixture(autouse=True)
def _pending_files_in_tmp(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.fixture
def catalogue(db: None) -> dict[str, Any]:
    return build_catalogue()


def upload(client: Client, content: bytes, name: str = "catalogue.json", **data: Any) -> Any:
    payload = {"format": "", "dry_run": "on", **data}
    payload["file"] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(URL, payload)


def exported_then_wiped() -> bytes:
    content = export("json", acting_user=None).content
    wipe_catalogue()
    return content


def test_a_student_is_refused(client_as: Any) -> None:
    assert client_as("student").get(URL).status_code == 403


def test_a_teacher_cannot_post_an_import(client_as: Any, catalogue: dict[str, Any]) -> None:
    content = exported_then_wiped()
    response = upload(client_as("teacher"), content, dry_run="")
    assert response.status_code == 403
    assert not Offer.objects.exists()


@pytest.mark.parametrize("who", ["scolarite", "dsin_admin"])
def test_staff_see_both_forms_with_the_dry_run_checked(client_as: Any, who: str) -> None:
    response = client_as(who).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'name="dry_run"' in html
    assert "checked" in html
    assert 'enctype="multipart/form-data"' in html
    assert 'action="/catalogue/echanges/export/"' in html
    assert 'id="export_format"' in html
    assert 'id="import_format"' in html


def test_the_export_form_offers_the_catalogue_years(
    client_as: Any, catalogue: dict[str, Any]
) -> None:
    html = client_as("scolarite").get(URL).content.decode()
    assert 'value="2025"' in html
    assert "2025-2026" in html


def test_the_json_download_is_an_attachment_and_is_journaled(
    client_as: Any, catalogue: dict[str, Any]
) -> None:
    response = client_as("scolarite").get(EXPORT_URL, {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="catalogue-complet.json"'
    assert len(json.loads(response.content)["offers"]) == 4
    entry = AuditEntry.objects.get(action="catalogue.export")
    assert (entry.kind, entry.detail["rows"]["offers"]) == ("export", 4)


def test_the_csv_download_of_one_year_is_a_zip(client_as: Any, catalogue: dict[str, Any]) -> None:
    response = client_as("dsin_admin").get(EXPORT_URL, {"format": "csv", "annee": "2025"})
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="catalogue-2025.zip"'
    assert "offers.csv" in unzip(response.content)


def test_a_download_of_an_unknown_year_is_refused_with_the_form(
    client_as: Any, catalogue: dict[str, Any]
) -> None:
    response = client_as("scolarite").get(EXPORT_URL, {"format": "csv", "annee": "1990"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_a_dry_run_with_errors_shows_every_error_and_writes_nothing(client_as: Any) -> None:
    content = b'{"format": "cartable-catalogue", "version": 1, "ues": [{"code": "a b"}, {}]}'
    response = upload(client_as("scolarite"), content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 erreurs" in html
    assert "« a b »" in html
    assert '<th scope="col">' in html
    assert "Importer pour de bon" not in html


def test_a_successful_dry_run_shows_the_counts_per_table_and_offers_to_import(
    client_as: Any, catalogue: dict[str, Any]
) -> None:
    content = exported_then_wiped()
    response = upload(client_as("scolarite"), content)
    html = response.content.decode()
    assert "Simulation réussie" in html
    assert "Offres d&#x27;UE" in html
    assert "Importer pour de bon" in html
    assert [row["counts"].created for row in response.context["tables"]][7] == 4
    assert not Offer.objects.exists()


def test_the_confirmation_imports_the_checked_file(
    client_as: Any, catalogue: dict[str, Any]
) -> None:
    content = exported_then_wiped()
    client = client_as("scolarite")
    token = upload(client, content).context["token"]
    response = client.post(URL, {"token": token})
    assert response.status_code == 200
    assert response.context["report"].committed
    assert "Import enregistré" in response.content.decode()
    assert Offer.objects.count() == 4
    assert pending.load(token) is None


def test_a_confirmation_with_a_token_of_another_session_is_refused(
    client_as: Any, catalogue: dict[str, Any]
) -> None:
    token = pending.store(exported_then_wiped())
    response = client_as("dsin_admin").post(URL, {"token": token})
    assert response.status_code == 400
    assert "expiré" in response.content.decode()
    assert not Offer.objects.exists()


def test_an_upload_without_dry_run_imports_at_once(
    client_as: Any, catalogue: dict[str, Any]
) -> None:
    content = exported_then_wiped()
    response = upload(client_as("scolarite"), content, dry_run="")
    assert response.context["report"].committed
    assert Offer.objects.count() == 4


def test_a_single_csv_file_is_read_as_its_table(client_as: Any, db: None) -> None:
    content = b"code;label;position\nCS;Connaissances scientifiques;1\n"
    response = upload(client_as("scolarite"), content, name="categories.csv", dry_run="")
    assert response.context["report"].committed


def test_a_file_over_the_size_limit_is_refused_with_a_clear_error(
    client_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views_io, "MAX_UPLOAD_BYTES", 10)
    response = upload(client_as("scolarite"), b'{"format": "cartable-catalogue"}')
    assert response.status_code == 400
    assert "dépasse la taille maximale" in response.content.decode()


def test_an_unknown_extension_asks_for_the_format(client_as: Any) -> None:
    response = upload(client_as("scolarite"), b"{}", name="catalogue.dat")
    assert response.status_code == 400
    assert "choisissez le format" in response.content.decode()


def test_a_download_without_a_format_is_json(client_as: Any, catalogue: dict[str, Any]) -> None:
    response = client_as("scolarite").get(EXPORT_URL, {"annee": "2025"})
    assert response["Content-Disposition"] == 'attachment; filename="catalogue-2025.json"'
