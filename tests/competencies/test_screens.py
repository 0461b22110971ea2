"""Framework screens: public reading, editing, CASE download, URIs and import."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.competencies import case
from cartable.competencies.models import Block, Framework
from cartable.core.models import AuditEntry
from tests.competencies.factories import sample_framework

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def package_file(package: dict[str, Any], name: str = "framework.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(package).encode(), content_type="application/json")


def test_anyone_reads_the_list_of_frameworks_without_logging_in() -> None:
    sample_framework()
    page = text(Client().get("/competences/"))
    assert "Référentiel du diplôme d'ingénieur en informatique" in page
    assert 'scope="col"' in page
    assert "Nouveau référentiel" not in page


def test_the_framework_page_shows_blocks_competencies_outcomes_and_the_scale() -> None:
    sample_framework()
    response = Client().get("/competences/ing-info/")
    page = text(response)
    assert response.status_code == 200
    assert page.count("<h1") == 1
    for expected in ("RNCP35627BC01", "Compétence 2.1", "Acquis 1.2.1", "Niveau 4", "Échelle"):
        assert expected in page
    assert "/competences/ing-info/case.json" in page
    assert "Modifier le référentiel" not in page


def test_an_editor_sees_the_edit_links(client_as: Any) -> None:
    sample_framework()
    page = text(client_as("programme_head").get("/competences/ing-info/"))
    assert "Modifier le référentiel" in page
    assert "Ajouter une compétence" in page


def test_an_unknown_framework_is_not_found() -> None:
    assert Client().get("/competences/nothing/").status_code == 404


def test_the_list_costs_the_same_queries_for_few_and_many_frameworks() -> None:
    sample_framework("one")
    client = Client()
    with CaptureQueriesContext(connection) as few:
        client.get("/competences/")
    for n in range(5):
        sample_framework(f"more-{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/competences/")
    assert len(few) == len(many)


def test_the_framework_page_costs_the_same_queries_whatever_its_size() -> None:
    sample_framework("small", blocks=1, per_block=1)
    sample_framework("large", blocks=4, per_block=4)
    client = Client()
    with CaptureQueriesContext(connection) as few:
        client.get("/competences/small/")
    with CaptureQueriesContext(connection) as many:
        client.get("/competences/large/")
    assert len(few) == len(many)


def test_the_case_download_is_a_json_attachment_with_uris_on_the_request_host() -> None:
    framework = sample_framework()
    response = Client().get("/competences/ing-info/case.json")
    assert response["Content-Disposition"] == 'attachment; filename="ing-info.case.json"'
    package = json.loads(response.content)
    assert package["CFDocument"]["uri"] == f"http://testserver/competences/case/{framework.uuid}/"


def test_the_case_base_uri_may_be_configured(settings: Any) -> None:
    settings.CARTABLE_CASE_BASE_URI = "https://cartable.utbm.fr/competences/case"
    framework = sample_framework()
    package = json.loads(Client().get("/competences/ing-info/case.json").content)
    assert (
        package["CFDocument"]["uri"]
        == f"https://cartable.utbm.fr/competences/case/{framework.uuid}/"
    )


def test_case_uris_resolve_to_their_json() -> None:
    framework = sample_framework()
    package = json.loads(Client().get("/competences/ing-info/case.json").content)
    block = package["CFItems"][0]
    resolved = Client().get(block["uri"].removeprefix("http://testserver"))
    assert resolved.json() == block
    document = Client().get(f"/competences/case/{framework.uuid}/").json()
    assert document == package
    level = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0]
    assert Client().get(level["uri"].removeprefix("http://testserver")).json() == level


def test_an_unknown_case_identifier_is_not_found() -> None:
    framework = sample_framework()
    missing = f"/competences/case/{framework.uuid}/00000000-0000-4000-8000-000000000000/"
    assert Client().get(missing).status_code == 404


def test_an_editor_creates_a_framework(client_as: Any) -> None:
    response = client_as("scolarite").post(
        "/competences/nouveau/",
        {"code": "ing-meca", "title": "Mécanique", "diploma_code": "ING-MECA"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/competences/ing-meca/"
    assert Framework.objects.filter(code="ing-meca").exists()
    assert AuditEntry.objects.filter(action="competencies.framework.create").exists()


def test_a_refused_framework_form_keeps_what_was_typed_and_names_the_field(client_as: Any) -> None:
    sample_framework()
    response = client_as("dsin_admin").post(
        "/competences/nouveau/", {"code": "ing-info", "title": "Titre saisi"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "Titre saisi" in page
    assert "déjà pris" in page
    assert "already used" in page
    assert Framework.objects.count() == 1


def test_an_editor_adds_a_block(client_as: Any) -> None:
    sample_framework()
    response = client_as("programme_head").post(
        "/competences/ing-info/blocs/nouveau/",
        {"code": "RNCP35627BC07", "title": "Entreprendre", "position": 7},
    )
    block = Block.objects.get(code="RNCP35627BC07")
    assert response["Location"] == f"/competences/ing-info/#bloc-{block.uuid}"


def test_the_outcome_form_offers_the_levels_of_the_scale(client_as: Any) -> None:
    framework = sample_framework()
    competency = framework.blocks.get(position=1).competencies.get(position=1)
    page = client_as("scolarite").get(
        f"/competences/ing-info/competences/{competency.uuid}/acquis/nouveau/"
    )
    assert "4 — Niveau 4" in text(page)


def test_a_part_of_another_framework_is_not_found(client_as: Any) -> None:
    sample_framework("one")
    other = sample_framework("two")
    block = other.blocks.first()
    assert block is not None
    response = client_as("scolarite").get(f"/competences/one/blocs/{block.uuid}/")
    assert response.status_code == 404


def test_a_teacher_may_not_edit(client_as: Any) -> None:
    sample_framework()
    response = client_as("teacher").post("/competences/ing-info/modifier/", {"title": "x"})
    assert response.status_code == 403


def test_deleting_takes_a_post_and_comes_back_to_the_framework(client_as: Any) -> None:
    framework = sample_framework()
    block = framework.blocks.get(position=2)
    response = client_as("scolarite").post(f"/competences/ing-info/blocs/{block.uuid}/supprimer/")
    assert response["Location"] == "/competences/ing-info/"
    assert not Block.objects.filter(uuid=block.uuid).exists()


def test_the_import_screen_checks_then_imports_after_confirmation(client_as: Any) -> None:
    sample_framework()
    package = case.export_package("ing-info", base_uri="http://testserver/competences/case/")
    assert package is not None
    Framework.objects.all().delete()
    client = client_as("scolarite")
    checked = client.post("/competences/import/", {"file": package_file(package), "dry_run": "on"})
    page = text(checked)
    assert "Simulation réussie" in page
    assert not Framework.objects.exists()
    token = checked.context["token"]
    confirmed = client.post("/competences/import/", {"token": token})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/competences/ing-info/"
    assert Framework.objects.get().blocks.count() == 2
    assert AuditEntry.objects.filter(action="competencies.framework.import").exists()


def test_the_import_screen_lists_every_problem_with_where_it_is(client_as: Any) -> None:
    sample_framework()
    package = case.export_package("ing-info", base_uri="http://testserver/competences/case/")
    assert package is not None
    package["CFItems"][1]["identifier"] = "bad"
    response = client_as("dsin_admin").post(
        "/competences/import/", {"file": package_file(package), "dry_run": "on"}
    )
    page = text(response)
    assert "CFItems[1].identifier" in page
    assert "rien n'a été enregistré" in page
    assert "token" not in response.context or not response.context["token"]


def test_an_expired_confirmation_asks_for_the_file_again(client_as: Any) -> None:
    response = client_as("scolarite").post("/competences/import/", {"token": "x" * 43})
    assert response.status_code == 400
    assert "expiré" in text(response)


def test_a_real_import_without_dry_run_writes_at_once(client_as: Any) -> None:
    sample_framework()
    package = case.export_package("ing-info", base_uri="http://testserver/competences/case/")
    assert package is not None
    Framework.objects.all().delete()
    response = client_as("programme_head").post(
        "/competences/import/", {"file": package_file(package), "code": "info-bis"}
    )
    assert "enregistré" in text(response)
    assert Framework.objects.get().code == "info-bis"


def test_an_editor_adds_an_outcome_at_a_level(client_as: Any) -> None:
    framework = sample_framework()
    competency = framework.blocks.get(position=1).competencies.get(position=1)
    response = client_as("scolarite").post(
        f"/competences/ing-info/competences/{competency.uuid}/acquis/nouveau/",
        {"code": "AA9", "text": "Déployer", "position": 3, "level_rank": "3"},
    )
    assert response["Location"] == f"/competences/ing-info/#competence-{competency.uuid}"
    outcome = competency.learning_outcomes.get(code="AA9")
    assert outcome.level is not None
    assert outcome.level.rank == 3


def test_an_editor_edits_a_level(client_as: Any) -> None:
    framework = sample_framework()
    level = framework.levels.get(rank=4)
    client_as("dsin_admin").post(
        f"/competences/ing-info/niveaux/{level.uuid}/",
        {"rank": 4, "code": "N4", "label": "Expert", "label_en": "Expert"},
    )
    level.refresh_from_db()
    assert level.label == "Expert"
