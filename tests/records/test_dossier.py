"""A student's own Dossier étudiant: what they see, and only what is published."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from cartable.records.models import Jury
from tests.personas import login
from tests.records.factories import (
    EquivalenceFactory,
    ExperienceFactory,
    InternshipFactory,
    JuryFactory,
    RequirementFactory,
    decide,
    graded,
    now_semester,
    registered_student,
    taught,
)

pytestmark = pytest.mark.django_db


def page_of(student: Any) -> str:
    client = Client()
    client.force_login(student.user)
    response = client.get("/dossier/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_student_sees_their_registration_summary() -> None:
    student = registered_student(programme="INFO", level="ING2")
    page = page_of(student)
    assert "Inscription administrative" in page
    assert "INFO" in page
    assert "ING2" in page


def test_a_student_sees_their_ues_by_semester_with_published_grades_and_credits() -> None:
    student = registered_student()
    year, _semester = now_semester()
    graded(student, "LO41", grade="B", credits="6", year=year - 1, semester="A")
    graded(student, "MT44", grade="FX", credits="6", year=year - 1, semester="A")
    page = page_of(student)
    assert f"{year - 1}-{year} · Automne" in page
    assert "LO41" in page
    assert ">B<" in page
    assert ">FX<" in page


def test_an_unpublished_grade_is_shown_as_pending() -> None:
    student = registered_student()
    graded(student, "LO41", grade="A", published=False)
    page = page_of(student)
    assert "LO41" in page
    assert ">A<" not in page
    assert "en attente" in page


def test_a_dropped_ue_is_not_part_of_the_dossier() -> None:
    student = registered_student()
    enrolment = graded(student, "LO41", grade="")
    enrolment.status = "dropped"
    enrolment.save()
    assert "LO41" not in page_of(student)


def test_a_jury_decision_is_visible_only_once_the_jury_is_published() -> None:
    student = registered_student()
    year, _semester = now_semester()
    graded(student, "LO41", year=year - 1, semester="P")
    jury = JuryFactory(year=year - 1, semester="P")
    decide(jury, student, "warning", comment="Travail irrégulier")
    assert "Poursuite avec avertissement" not in page_of(student)
    jury.status = Jury.Status.PUBLISHED
    jury.save()
    page = page_of(student)
    assert "Poursuite avec avertissement" in page
    assert "Travail irrégulier" in page


def test_equivalences_internships_and_international_experiences_are_listed() -> None:
    student = registered_student()
    EquivalenceFactory(student=student, institution="Politecnico di Milano")
    InternshipFactory(student=student, company="Alstom Transport")
    ExperienceFactory(student=student, partner="Tongji University")
    page = page_of(student)
    assert "Politecnico di Milano" in page
    assert "Alstom Transport" in page
    assert "Tongji University" in page


def test_the_synthesis_counts_passed_ues_and_accepted_equivalences_by_category() -> None:
    student = registered_student()
    year, _semester = now_semester()
    graded(student, "LO41", grade="C", credits="6", category="CS", year=year - 1, semester="A")
    graded(student, "MT44", grade="F", credits="6", category="CS", year=year - 1, semester="A")
    graded(student, "GE01", grade="A", credits="4", category="TM", year=year - 1, semester="P")
    EquivalenceFactory(student=student, category="TM", credits=Decimal("12"))
    EquivalenceFactory(student=student, category="TM", credits=Decimal("30"), status="refused")
    RequirementFactory(catalogue_year=year - 1, categories="CS", min_credits=Decimal("6"))
    RequirementFactory(catalogue_year=year - 1, categories="CS,TM", min_credits=Decimal("30"))
    client = Client()
    client.force_login(student.user)
    synthesis = client.get("/dossier/").context["synthesis"]
    assert [(c.category, c.from_ues, c.from_equivalences) for c in synthesis.by_category] == [
        ("CS", Decimal("6"), Decimal(0)),
        ("TM", Decimal("4"), Decimal("12")),
    ]
    assert [(c.label, c.earned, c.met) for c in synthesis.checks] == [
        ("Crédits CS", Decimal("6"), True),
        ("Crédits CS,TM", Decimal("22"), False),
    ]
    assert synthesis.total == Decimal("22")


def test_the_requirements_are_those_of_the_year_the_student_entered() -> None:
    student = registered_student()
    year, _semester = now_semester()
    graded(student, "LO41", year=year - 2, semester="A")
    RequirementFactory(catalogue_year=year - 2, categories="", min_credits=Decimal("180"))
    RequirementFactory(catalogue_year=year, categories="", min_credits=Decimal("150"))
    client = Client()
    client.force_login(student.user)
    synthesis = client.get("/dossier/").context["synthesis"]
    assert synthesis.catalogue_year == year - 2
    assert [c.required for c in synthesis.checks] == [Decimal("180")]


def test_the_personal_timetable_of_the_current_semester_is_a_weekly_table() -> None:
    student = registered_student()
    enrolment = graded(student, "LO41", grade="")
    taught(enrolment.offer, "TD", "TD2", day=1, start=14, end=16, room="B204")
    page = page_of(student)
    assert "Mardi" in page
    assert "14:00–16:00" in page
    assert "B204" in page
    assert "4 séances" in page


def test_a_person_who_is_not_a_student_has_no_dossier(persona: Any) -> None:
    client = login(Client(), persona("teacher"))
    assert client.get("/dossier/").status_code == 403


def test_a_visitor_is_sent_to_the_login_page() -> None:
    response = Client().get("/dossier/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")
