"""The imports screen: DSIN administrators only; dry run, errors, confirmation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings

from cartable.core import pending_uploads as pending
from cartable.referential import views_imports
from cartable.referential.models import Person

from .test_imports_support import persons_csv, sample

URL = "/referentiel/imports/"


@pytest.fixture(autouse=True)
def _pending_files_in_tmp(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def upload(client: Client, content: bytes, name: str = "persons.csv", **data: Any) -> Any:
    payload = {"kind": "persons", "format": "", "dry_run": "on", **data}
    payload["file"] = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(URL, payload)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client_as: Any) -> None:
    response = client_as("anonymous").get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_a_student_is_refused(client_as: Any) -> None:
    assert client_as("student").get(URL).status_code == 403


def test_a_student_cannot_post_an_import(client_as: Any) -> None:
    response = upload(client_as("student"), sample("persons.csv"), dry_run="")
    assert response.status_code == 403
    assert not Person.objects.filter(login="jdupont").exists()


def test_a_dsin_administrator_sees_the_form_with_the_dry_run_checked(client_as: Any) -> None:
    response = client_as("dsin_admin").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'name="dry_run"' in html
    assert "checked" in html
    assert 'enctype="multipart/form-data"' in html


def test_an_uploaded_dry_run_shows_every_error_and_writes_nothing(client_as: Any) -> None:
    content = persons_csv("a;;;A;;;;;;;;;;", "b;;B;B;;;31/02/2001;;;;;;;").encode()
    response = upload(client_as("dsin_admin"), content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "civil_last_name" in html
    assert "« 31/02/2001 »" in html
    assert '<th scope="col">' in html
    assert "Importer pour de bon" not in html
    assert not Person.objects.filter(login__in=["a", "b"]).exists()


def test_a_successful_dry_run_offers_to_import_and_the_confirmation_imports(
    client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("dsin_admin")
    response = upload(client, sample("persons.csv"))
    assert "Importer pour de bon" in response.content.decode()
    assert not Person.objects.filter(login="jdupont").exists()
    token = response.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        launched = client.post(URL, {"token": token})
    confirmed = client.get(launched["Location"])
    assert confirmed.status_code == 200
    assert launched["Location"].startswith(f"{URL}?tache=")
    assert confirmed.context["report"]["committed"]
    assert "Import enregistré" in confirmed.content.decode()
    assert Person.objects.filter(login="jdupont").exists()
    assert pending.load(token) is None


def test_a_confirmation_with_a_token_of_another_session_is_refused(client_as: Any) -> None:
    token = pending.store(sample("persons.csv"))
    response = client_as("dsin_admin").post(URL, {"token": token})
    assert response.status_code == 400
    assert not Person.objects.filter(login="jdupont").exists()


def test_an_upload_without_dry_run_imports_at_once(client_as: Any) -> None:
    response = upload(client_as("dsin_admin"), sample("persons.csv"), dry_run="")
    assert response.context["report"].committed
    assert Person.objects.filter(login="jdupont").exists()


def test_a_file_over_the_size_limit_is_refused_with_a_clear_error(
    client_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views_imports, "MAX_UPLOAD_BYTES", 100)
    response = upload(client_as("dsin_admin"), sample("persons.csv"))
    assert response.status_code == 400
    assert "taille maximale" in response.content.decode()


def test_an_unknown_extension_asks_for_the_format(client_as: Any) -> None:
    response = upload(client_as("dsin_admin"), sample("persons.csv"), name="export.dat")
    assert response.status_code == 400
    assert "choisissez le format" in response.content.decode()


def test_a_running_import_shows_its_progress(client_as: Any) -> None:
    from cartable.core.models import Job

    job = Job.objects.create(kind="referential.import", label="Import", progress=0.35)
    page = client_as("dsin_admin").get(URL, {"tache": str(job.uuid)}).content.decode()
    assert "Import en cours" in page
    assert 'value="35"' in page


def test_following_an_unknown_import_answers_404(client_as: Any) -> None:
    assert client_as("dsin_admin").get(URL, {"tache": "not-a-uuid"}).status_code == 404
