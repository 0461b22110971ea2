"""The scolarité writes the graduation requirements: every field checked and named on error,
nothing saved when wrong, each change journaled and followed by a recomputation of the
profiles; copying a year, exporting, and the engine reading what was written."""

from __future__ import annotations

import html as entities
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from cartable.core.models import AuditEntry, Job
from cartable.records import profile
from cartable.records.models import CategoryRequirement, DiplomaRequirement
from tests.competencies.factories import sample_framework
from tests.enrolment.campaigns import ue
from tests.personas import login
from tests.records.factories import RequirementFactory, now_semester, registered_student

pytestmark = pytest.mark.django_db

URL = "/dossier/exigences/"


@pytest.fixture
def year() -> int:
    ue("LO21", category="CS")
    ue("GE01", category="TM")
    return now_semester()[0]


@pytest.fixture
def scolarite(persona: Any) -> Client:
    return login(Client(), persona("scolarite"))


def post(client: Client, year: int, **fields: Any) -> Any:
    data = {
        "programme": "INFO",
        "catalogue_year": str(year),
        "label": "Une exigence",
        "label_en": "A requirement",
        "order": "3",
        **fields,
    }
    return client.post(URL, data)


def text(response: Any) -> str:
    return entities.unescape(response.content.decode())


def test_a_credit_requirement_is_added_journaled_and_recomputes_profiles(
    scolarite: Client, year: int
) -> None:
    response = post(scolarite, year, kind="credits", categories="cs, tm", min_credits="84")
    assert response.status_code == 302
    row = CategoryRequirement.objects.get()
    assert (row.categories, row.min_credits, row.catalogue_year) == ("CS,TM", Decimal(84), year)
    assert AuditEntry.objects.filter(action="records.requirement.create").exists()
    assert Job.objects.filter(kind="records.profiles").count() == 1
    post(scolarite, year, kind="credits", categories="CS", min_credits="30")
    assert Job.objects.filter(kind="records.profiles").count() == 1  # coalesced while queued


def test_wrong_fields_are_all_named_and_nothing_is_saved(scolarite: Client, year: int) -> None:
    response = post(
        scolarite, year, kind="credits", categories="CS,XX", min_credits="0", label="Mon libellé"
    )
    assert response.status_code == 400
    page = text(response)
    assert "Catégories inconnues : XX" in page
    assert "Les crédits minimum vont de 0,5" in page
    assert 'value="Mon libellé"' in page  # what was typed is kept
    assert not CategoryRequirement.objects.exists()
    assert not Job.objects.exists()


def test_two_credit_requirements_cannot_cover_the_same_categories(
    scolarite: Client, year: int
) -> None:
    RequirementFactory(categories="CS", catalogue_year=year)
    response = post(scolarite, year, kind="credits", categories="CS", min_credits="20")
    assert response.status_code == 400
    assert "porte déjà sur ces catégories" in text(response)


def test_mandatory_ues_must_be_in_the_catalogue(scolarite: Client, year: int) -> None:
    response = post(scolarite, year, kind="mandatory_ues", ues="lo21 ZZ99")
    assert response.status_code == 400
    assert "UE inconnues du catalogue : ZZ99" in text(response)
    assert post(scolarite, year, kind="mandatory_ues", ues="lo21").status_code == 302
    assert DiplomaRequirement.objects.get().params == {"ues": ["LO21"]}


@pytest.mark.parametrize(
    ("fields", "message", "stored"),
    [
        ({"test": "toeic", "min_score": "1200"}, "Le score TOEIC va de 10 à 990", None),
        ({"test": "", "min_score": "500"}, "Test inconnu", None),
        ({"test": "pix", "min_score": "500"}, "", {"test": "pix", "min_score": 500}),
    ],
)
def test_a_certification_score_is_checked_against_its_test(
    scolarite: Client, year: int, fields: dict[str, str], message: str, stored: Any
) -> None:
    response = post(scolarite, year, kind="certification", **fields)
    if stored is None:
        assert response.status_code == 400
        assert message in text(response)
        assert not DiplomaRequirement.objects.exists()
    else:
        assert response.status_code == 302
        assert DiplomaRequirement.objects.get().params == stored


def test_internships_need_a_count(scolarite: Client, year: int) -> None:
    response = post(scolarite, year, kind="internships", count="", min_weeks="4")
    assert response.status_code == 400
    assert "Le nombre de stages va de 1" in text(response)
    post(scolarite, year, kind="internships", count="2", min_weeks="4")
    assert DiplomaRequirement.objects.get().params == {"count": 2, "min_weeks": 4}


def test_a_block_requirement_names_a_block_and_a_level_of_its_scale(
    scolarite: Client, year: int
) -> None:
    framework = sample_framework()
    block = framework.blocks.first()
    assert block is not None
    response = post(scolarite, year, kind="block", block=str(block.uuid), min_rank="9")
    assert response.status_code == 400
    assert "Le niveau doit être l'un de 1, 2, 3, 4" in text(response)
    assert post(scolarite, year, kind="block", block=str(block.uuid), min_rank="3").status_code
    assert DiplomaRequirement.objects.get().params == {"block": str(block.uuid), "min_rank": 3}


def test_an_unknown_programme_is_refused(scolarite: Client, year: int) -> None:
    response = post(
        scolarite, year, kind="credits", categories="", min_credits="180", programme="X"
    )
    assert response.status_code == 400
    assert not CategoryRequirement.objects.exists()


def test_the_engine_reads_what_the_screen_wrote(scolarite: Client, year: int) -> None:
    student = registered_student()
    post(scolarite, year, kind="certification", test="toeic", min_score="785", label="TOEIC")
    post(scolarite, year, kind="credits", categories="", min_credits="180", label="Total")
    labels = [r.label for r in profile.profile_of(student.uuid).profile.results]
    assert labels == ["Total", "TOEIC"]  # credits first, then the others


def test_editing_keeps_the_kind_and_changes_the_rule(scolarite: Client, year: int) -> None:
    row = RequirementFactory(categories="CS", min_credits=Decimal(30), catalogue_year=year)
    url = f"{URL}credits/{row.pk}/"
    page = scolarite.get(url)
    assert page.status_code == 200
    assert 'value="30' in page.content.decode()
    response = scolarite.post(
        url,
        {
            "kind": "credits",
            "programme": "INFO",
            "catalogue_year": str(year),
            "label": "CS",
            "categories": "CS",
            "min_credits": "36",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.min_credits == Decimal(36)
    changed = scolarite.post(
        url,
        {
            "kind": "internships",
            "programme": "INFO",
            "catalogue_year": str(year),
            "label": "CS",
            "count": "1",
        },
    )
    assert changed.status_code == 400
    assert "Le type d'une exigence ne change pas" in text(changed)
    assert AuditEntry.objects.filter(action="records.requirement.change").count() == 1


def test_deleting_is_journaled(scolarite: Client, year: int) -> None:
    row = RequirementFactory(catalogue_year=year)
    response = scolarite.post(f"{URL}credits/{row.pk}/supprimer/")
    assert response.status_code == 302
    assert not CategoryRequirement.objects.exists()
    assert AuditEntry.objects.filter(action="records.requirement.delete").exists()
    assert scolarite.post(f"{URL}credits/{row.pk}/supprimer/").status_code == 404


def test_a_year_is_copied_to_a_year_without_requirements(scolarite: Client, year: int) -> None:
    RequirementFactory(catalogue_year=year, categories="CS")
    DiplomaRequirement.objects.create(
        programme="INFO",
        catalogue_year=year,
        kind="internships",
        params={"count": 1},
        label="Stage",
    )
    data = {"programme": "INFO", "source_year": str(year), "target_year": str(year + 1)}
    assert scolarite.post(f"{URL}copier/", data).status_code == 302
    assert CategoryRequirement.objects.filter(catalogue_year=year + 1).count() == 1
    assert DiplomaRequirement.objects.filter(catalogue_year=year + 1).count() == 1
    again = scolarite.post(f"{URL}copier/", data, follow=True)
    assert "a déjà des exigences" in text(again)
    assert CategoryRequirement.objects.filter(catalogue_year=year + 1).count() == 1


def test_the_list_filters_and_exports(scolarite: Client, year: int) -> None:
    RequirementFactory(catalogue_year=year, categories="CS", label="Crédits CS")
    RequirementFactory(catalogue_year=year, programme="GM", categories="TM", label="Crédits GM")
    page = text(scolarite.get(URL, {"programme": "INFO", "annee": str(year)}))
    assert "Crédits CS" in page
    assert "Crédits GM" not in page
    export = scolarite.get(f"{URL}export.csv", {"programme": "GM"}).content.decode("utf-8-sig")
    assert "GM;" in export
    assert "Crédits CS" not in export
