"""Semester juries: the students of a programme's semester, decisions, publication."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.core.models import AuditEntry, Notification
from cartable.records.models import Jury, JuryDecision
from tests.catalogue.factories import ProgrammeFactory, this_year
from tests.personas import login
from tests.records.factories import JuryFactory, decide, graded, now_semester, registered_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def scolarite(persona: Any) -> Client:
    return login(Client(), persona("scolarite"))


def jury_url(jury: Jury, suffix: str = "") -> str:
    return f"/dossier/jurys/{jury.uuid}/{suffix}"


def semester_student(code: str = "LO41", programme: str = "INFO", **kw: Any) -> Any:
    student = registered_student(programme=programme, **kw)
    graded(student, code, programme=programme, grade="B", published=False)
    return student


def test_the_scolarite_creates_a_jury_for_a_programme_and_semester(scolarite: Client) -> None:
    semester_student()
    year, semester = now_semester()
    response = scolarite.post(
        "/dossier/jurys/",
        {"programme": "INFO", "year": year, "semester": semester, "date": "2027-01-29"},
    )
    jury = Jury.objects.get()
    assert response.status_code == 302
    assert response["Location"] == jury_url(jury)
    assert (jury.programme, jury.year, jury.semester, jury.status) == (
        "INFO",
        year,
        semester,
        "draft",
    )


def test_a_second_jury_for_the_same_semester_is_refused(scolarite: Client) -> None:
    semester_student()
    jury = JuryFactory()
    response = scolarite.post(
        "/dossier/jurys/",
        {
            "programme": "INFO",
            "year": jury.year,
            "semester": jury.semester,
            "date": "2027-01-29",
        },
    )
    assert response.status_code == 200
    assert "Un jury existe déjà" in response.content.decode()
    assert Jury.objects.count() == 1


def test_the_jury_page_lists_the_programmes_students_of_that_semester_only(
    scolarite: Client,
) -> None:
    year, semester = now_semester()
    semester_student(civil_last_name="Dupont")
    semester_student("ME01", programme="MECA", civil_last_name="Durand")
    earlier = registered_student(civil_last_name="Bernard")
    graded(earlier, "LO42", year=year - 1, semester=semester)
    jury = JuryFactory()
    page = scolarite.get(jury_url(jury)).content.decode()
    assert "DUPONT" in page
    assert "DURAND" not in page
    assert "BERNARD" not in page


def test_the_jury_sees_grades_not_yet_published_and_counts_their_credits(
    scolarite: Client,
) -> None:
    semester_student()
    jury = JuryFactory()
    response = scolarite.get(jury_url(jury))
    (entry, _form) = response.context["rows"][0]
    assert entry.earned == 6
    assert "non publié" in response.content.decode()


def test_the_jury_page_is_journaled_for_every_student_shown(scolarite: Client) -> None:
    student = semester_student()
    jury = JuryFactory()
    scolarite.get(jury_url(jury))
    assert AuditEntry.objects.filter(action="records.jury.view", subject_uuid=student.uuid).exists()


def test_the_jury_page_costs_the_same_queries_for_few_or_many_students(
    scolarite: Client,
) -> None:
    semester_student("LO41")
    jury = JuryFactory()
    scolarite.get(jury_url(jury))
    with CaptureQueriesContext(connection) as few:
        scolarite.get(jury_url(jury))
    for n in range(5):
        student = registered_student()
        graded(student, f"LO4{n + 2}", grade="C", published=False)
        decide(jury, student)
    with CaptureQueriesContext(connection) as many:
        response = scolarite.get(jury_url(jury))
    assert len(response.context["rows"]) == 6
    assert len(many) == len(few)


def test_a_decision_is_recorded_for_a_student(scolarite: Client) -> None:
    student = semester_student()
    jury = JuryFactory()
    response = scolarite.post(
        jury_url(jury, f"decisions/{student.uuid}/"),
        {f"s-{student.uuid}-kind": "probation", f"s-{student.uuid}-comment": "Rattrapage"},
    )
    assert response.status_code == 302
    decision = JuryDecision.objects.get()
    assert (decision.kind.code, decision.comment) == ("probation", "Rattrapage")
    assert decision.decided_by is not None
    assert AuditEntry.objects.filter(action="records.jury.decide").exists()


def test_a_decision_without_a_choice_keeps_the_comment_and_says_what_is_missing(
    scolarite: Client,
) -> None:
    student = semester_student()
    jury = JuryFactory()
    response = scolarite.post(
        jury_url(jury, f"decisions/{student.uuid}/"),
        {f"s-{student.uuid}-kind": "", f"s-{student.uuid}-comment": "À revoir"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "À revoir" in page
    assert "Ce champ est obligatoire" in page
    assert not JuryDecision.objects.exists()


def test_a_decision_for_a_student_outside_the_jury_is_refused(scolarite: Client) -> None:
    semester_student()
    outsider = semester_student("ME01", programme="MECA")
    jury = JuryFactory()
    response = scolarite.post(
        jury_url(jury, f"decisions/{outsider.uuid}/"),
        {f"s-{outsider.uuid}-kind": "normal"},
        follow=True,
    )
    assert "ne relève pas de ce jury" in response.content.decode()
    assert not JuryDecision.objects.exists()


def test_publishing_shows_decisions_to_students_and_notifies_them(scolarite: Client) -> None:
    student = semester_student()
    jury = JuryFactory()
    decide(jury, student, "normal")
    assert scolarite.post(jury_url(jury, "publier/")).status_code == 302
    jury.refresh_from_db()
    assert jury.status == "published"
    notification = Notification.objects.get(person_uuid=student.uuid)
    assert "Poursuite normale" in notification.title
    client = Client()
    client.force_login(student.user)
    assert "Poursuite normale" in client.get("/dossier/").content.decode()


def test_a_published_jury_no_longer_changes_its_decisions(scolarite: Client) -> None:
    student = semester_student()
    jury = JuryFactory(status=Jury.Status.PUBLISHED)
    decide(jury, student, "normal")
    scolarite.post(
        jury_url(jury, f"decisions/{student.uuid}/"), {f"s-{student.uuid}-kind": "warning"}
    )
    assert JuryDecision.objects.get().kind.code == "normal"


def test_a_jury_without_decisions_cannot_be_published(scolarite: Client) -> None:
    jury = JuryFactory()
    response = scolarite.post(jury_url(jury, "publier/"), follow=True)
    assert "rien à publier" in response.content.decode()
    jury.refresh_from_db()
    assert jury.status == "draft"


def test_a_programme_head_holds_the_juries_of_their_programme_only(persona: Any) -> None:
    head = persona("programme_head")
    ProgrammeFactory(code="INFO", year=this_year(), head=head.person)
    client = login(Client(), head)
    student = semester_student()
    mine = JuryFactory(programme="INFO")
    other = JuryFactory(programme="MECA")
    listing = client.get("/dossier/jurys/").content.decode()
    assert mine.title in listing
    assert other.title not in listing
    assert client.get(jury_url(other)).status_code == 404
    client.post(jury_url(mine, f"decisions/{student.uuid}/"), {f"s-{student.uuid}-kind": "normal"})
    assert JuryDecision.objects.filter(jury=mine).exists()


def test_a_programme_head_cannot_create_a_jury_for_another_programme(persona: Any) -> None:
    head = persona("programme_head")
    ProgrammeFactory(code="INFO", year=this_year(), head=head.person)
    year, semester = now_semester()
    response = login(Client(), head).post(
        "/dossier/jurys/",
        {"programme": "MECA", "year": year, "semester": semester, "date": "2027-01-29"},
    )
    assert response.status_code == 200
    assert not Jury.objects.exists()


def test_a_teacher_holds_no_jury(persona: Any) -> None:
    client = login(Client(), persona("teacher"))
    jury = JuryFactory()
    assert client.get("/dossier/jurys/").status_code == 403
    assert client.get(jury_url(jury)).status_code == 404
