"""Staff read the dossiers of their scope (journaled); the scolarité edits equivalences,
internships and international experiences."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.core.models import AuditEntry
from cartable.records.models import Equivalence, InternationalExperience, Internship
from tests.catalogue.factories import ProgrammeFactory, this_year
from tests.personas import Persona, login
from tests.records.factories import EquivalenceFactory, graded, registered_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def scolarite(persona: Any) -> Client:
    return login(Client(), persona("scolarite"))


def head_of(persona: Any, programme: str) -> tuple[Persona, Client]:
    head = persona("programme_head")
    ProgrammeFactory(code=programme, year=this_year(), head=head.person)
    return head, login(Client(), head)


def dossier_url(student: Any, suffix: str = "") -> str:
    return f"/dossier/etudiants/{student.uuid}/{suffix}"


def test_the_scolarite_finds_any_student_by_name_or_number(scolarite: Client) -> None:
    wanted = registered_student(civil_last_name="Lefèvre", student_number="21004567")
    registered_student(civil_last_name="Martin", programme="MECA")
    by_name = scolarite.get("/dossier/etudiants/", {"q": "lefevre"}).content.decode()
    by_number = scolarite.get("/dossier/etudiants/", {"q": "21004567"}).content.decode()
    assert "LEFÈVRE" in by_name
    assert "MARTIN" not in by_name
    assert f"/dossier/etudiants/{wanted.uuid}/" in by_number


def test_the_list_filters_by_programme_and_level(scolarite: Client) -> None:
    registered_student(civil_last_name="Alpha", programme="INFO", level="ING2")
    registered_student(civil_last_name="Bravo", programme="INFO", level="ING3")
    registered_student(civil_last_name="Charlie", programme="MECA", level="ING2")
    page = scolarite.get(
        "/dossier/etudiants/", {"programme": "INFO", "level": "ING2"}
    ).content.decode()
    assert "ALPHA" in page
    assert "BRAVO" not in page
    assert "CHARLIE" not in page


def test_the_list_costs_the_same_queries_for_few_or_many_students(scolarite: Client) -> None:
    registered_student()
    scolarite.get("/dossier/etudiants/")
    with CaptureQueriesContext(connection) as few:
        scolarite.get("/dossier/etudiants/")
    for _ in range(6):
        registered_student()
    with CaptureQueriesContext(connection) as many:
        response = scolarite.get("/dossier/etudiants/")
    assert len(response.context["page"]) == 7
    assert len(many) == len(few)


def test_the_list_journals_whom_it_showed(scolarite: Client) -> None:
    student = registered_student()
    scolarite.get("/dossier/etudiants/")
    assert AuditEntry.objects.filter(
        action="records.dossier.list", subject_uuid=student.uuid
    ).exists()


def test_viewing_a_dossier_is_journaled(scolarite: Client) -> None:
    student = registered_student()
    assert scolarite.get(dossier_url(student)).status_code == 200
    entry = AuditEntry.objects.get(action="records.dossier.view")
    assert entry.subject_uuid == student.uuid
    assert entry.kind == AuditEntry.Kind.READ


def test_a_programme_head_sees_the_students_of_their_programme_only(persona: Any) -> None:
    _head, client = head_of(persona, "INFO")
    mine = registered_student(civil_last_name="Dupont", programme="INFO")
    other = registered_student(civil_last_name="Durand", programme="MECA")
    page = client.get("/dossier/etudiants/").content.decode()
    assert "DUPONT" in page
    assert "DURAND" not in page
    assert client.get(dossier_url(mine)).status_code == 200
    assert client.get(dossier_url(other)).status_code == 404


def test_a_programme_head_reads_but_does_not_edit_a_dossier(persona: Any) -> None:
    _head, client = head_of(persona, "INFO")
    student = registered_student(programme="INFO")
    page = client.get(dossier_url(student)).content.decode()
    assert "Ajouter une équivalence" not in page
    assert client.get(dossier_url(student, "equivalences/nouvelle/")).status_code == 403


def test_a_teacher_sees_no_dossier(persona: Any) -> None:
    client = login(Client(), persona("teacher"))
    student = registered_student()
    assert client.get("/dossier/etudiants/").status_code == 403
    assert client.get(dossier_url(student)).status_code == 404


def test_a_student_cannot_open_another_students_dossier() -> None:
    me = registered_student()
    other = registered_student()
    client = Client()
    client.force_login(me.user)
    assert client.get(dossier_url(other)).status_code == 404


def test_the_scolarite_sees_a_former_student_with_results(scolarite: Client) -> None:
    former = registered_student()
    graded(former, "LO41", year=this_year() - 1, semester="A")
    former.contracts.update(end_date="2020-08-31", start_date="2019-09-01")
    assert scolarite.get(dossier_url(former)).status_code == 200


def test_the_scolarite_records_an_accepted_equivalence(scolarite: Client) -> None:
    student = registered_student()
    response = scolarite.post(
        dossier_url(student, "equivalences/nouvelle/"),
        {
            "origin": "abroad",
            "institution": "Politecnico di Milano",
            "country": "Italie",
            "category": "tm",
            "credits": "12",
            "status": "accepted",
            "note": "",
        },
    )
    assert response.status_code == 302
    equivalence = Equivalence.objects.get(student=student)
    assert (equivalence.category, equivalence.credits) == ("TM", 12)
    assert equivalence.decided_at is not None
    assert equivalence.decided_by is not None
    assert AuditEntry.objects.filter(
        action="records.equivalence.create", subject_uuid=student.uuid
    ).exists()


def test_a_bad_equivalence_keeps_the_input_and_names_the_field(scolarite: Client) -> None:
    student = registered_student()
    response = scolarite.post(
        dossier_url(student, "equivalences/nouvelle/"),
        {
            "origin": "prior",
            "institution": "IUT de Belfort",
            "category": "CS",
            "credits": "200",
            "status": "pending",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="IUT de Belfort"' in page
    assert "Les crédits doivent être compris" in page
    assert "Credits must be" in page
    assert not Equivalence.objects.exists()


def test_the_scolarite_edits_an_equivalence_back_to_pending(scolarite: Client) -> None:
    student = registered_student()
    existing = EquivalenceFactory(student=student)
    form = scolarite.get(dossier_url(student, f"equivalences/{existing.uuid}/"))
    assert 'value="Politecnico di Milano"' in form.content.decode()
    scolarite.post(
        dossier_url(student, f"equivalences/{existing.uuid}/"),
        {
            "origin": "abroad",
            "institution": "Politecnico di Milano",
            "category": "TM",
            "credits": "12",
            "status": "pending",
        },
    )
    existing.refresh_from_db()
    assert existing.status == "pending"
    assert existing.decided_at is None


def test_an_item_of_another_student_is_not_found(scolarite: Client) -> None:
    student = registered_student()
    elsewhere = EquivalenceFactory(student=registered_student())
    url = dossier_url(student, f"equivalences/{elsewhere.uuid}/")
    assert scolarite.get(url).status_code == 404


def test_the_scolarite_records_an_internship(scolarite: Client) -> None:
    student = registered_student()
    response = scolarite.post(
        dossier_url(student, "stages/nouveau/"),
        {
            "kind": "assistant",
            "company": "Stellantis",
            "city": "Sochaux",
            "country": "France",
            "start_date": "2026-06-01",
            "end_date": "2026-08-28",
            "weeks": "13",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    assert Internship.objects.get(student=student).weeks == 13


def test_an_internship_ending_before_it_starts_is_refused_with_its_field(
    scolarite: Client,
) -> None:
    student = registered_student()
    response = scolarite.post(
        dossier_url(student, "stages/nouveau/"),
        {
            "kind": "worker",
            "company": "Stellantis",
            "start_date": "2026-06-01",
            "end_date": "2026-05-01",
            "weeks": "4",
            "status": "planned",
        },
    )
    page = response.content.decode()
    assert "La date de fin précède la date de début." in page
    assert 'href="#id_end_date"' in page
    assert not Internship.objects.exists()


def test_the_scolarite_records_an_international_experience(scolarite: Client) -> None:
    student = registered_student()
    response = scolarite.post(
        dossier_url(student, "international/nouvelle/"),
        {
            "kind": "double_degree",
            "partner": "Hochschule Karlsruhe",
            "country": "Allemagne",
            "start_date": "2025-09-01",
            "end_date": "2026-07-31",
            "credits_recognised": "60",
        },
    )
    assert response.status_code == 302
    assert InternationalExperience.objects.get(student=student).credits_recognised == 60
