"""The demo campus holds dossiers worth looking at."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from cartable.catalogue import api as catalogue
from cartable.records.models import (
    CategoryRequirement,
    Equivalence,
    Internship,
    Jury,
    JuryDecision,
)
from cartable.referential.models import Person

TINY = 0.02


@pytest.fixture
def campus(db: None) -> None:
    call_command("build_demo_campus", seed=2026, scale=TINY, stdout=io.StringIO())


def test_every_demo_programme_has_credit_requirements(campus: None) -> None:
    programmes = set(catalogue.published_offers_by_programme())
    required = set(
        CategoryRequirement.objects.filter(catalogue_year=catalogue.current_year()).values_list(
            "programme", flat=True
        )
    )
    assert programmes
    assert required == programmes


def test_a_published_jury_of_the_last_semester_holds_decisions(campus: None) -> None:
    juries = Jury.objects.filter(status=Jury.Status.PUBLISHED)
    assert juries.exists()
    assert JuryDecision.objects.filter(jury__in=juries).count() > 0


def test_some_students_have_equivalences_and_internships(campus: None) -> None:
    assert Equivalence.objects.exists()
    assert Internship.objects.exists()


def test_the_demo_student_opens_their_dossier_and_transcript(campus: None) -> None:
    client = Client()
    client.force_login(Person.objects.get(login="etudiant").user)
    assert client.get("/dossier/").status_code == 200
    assert client.get("/dossier/releve.pdf").content.startswith(b"%PDF")
