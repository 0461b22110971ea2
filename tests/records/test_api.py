"""The read API of a student's own record and timetable."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.records.models import Jury
from tests.personas import login
from tests.records.factories import (
    EquivalenceFactory,
    InternshipFactory,
    JuryFactory,
    decide,
    graded,
    now_semester,
    registered_student,
    taught,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def student() -> Any:
    return registered_student(programme="INFO", level="ING2")


@pytest.fixture
def client(student: Any) -> Client:
    made = Client()
    made.force_login(student.user)
    return made


def test_my_record_gives_registration_results_and_synthesis(client: Client, student: Any) -> None:
    year, _semester = now_semester()
    graded(student, "LO41", grade="B", credits="6", year=year - 1, semester="A")
    graded(student, "MT44", grade="A", published=False)
    EquivalenceFactory(student=student, category="TM")
    InternshipFactory(student=student, company="Alstom")
    body = client.get("/api/v1/records/me/").json()
    assert body["uuid"] == str(student.uuid)
    assert body["registration"]["programme"] == "INFO"
    assert body["registration"]["study_level"] == "ING2"
    first, current = body["semesters"]
    assert first["results"][0] | {"title": "", "title_en": ""} == {
        "ue": "LO41",
        "title": "",
        "title_en": "",
        "category": "CS",
        "credits": "6.0",
        "grade": "B",
        "credits_earned": "6.0",
    }
    assert current["results"][0]["grade"] == ""
    assert body["equivalences"][0]["category"] == "TM"
    assert body["internships"][0]["company"] == "Alstom"
    assert body["synthesis"]["total"] == "18.0"


def test_my_record_shows_only_published_jury_decisions(client: Client, student: Any) -> None:
    year, _semester = now_semester()
    graded(student, "LO41", year=year - 1, semester="A")
    graded(student, "LO42", year=year - 1, semester="P")
    published = JuryFactory(year=year - 1, semester="A", status=Jury.Status.PUBLISHED)
    draft = JuryFactory(year=year - 1, semester="P")
    decide(published, student, "normal")
    decide(draft, student, "probation")
    autumn, spring = client.get("/api/v1/records/me/").json()["semesters"]
    assert autumn["decision"]["kind"] == "normal"
    assert spring["decision"] is None


def test_my_timetable_lists_my_slots_with_their_dates(client: Client, student: Any) -> None:
    enrolment = graded(student, "LO41", grade="")
    taught(enrolment.offer, "TP", "TP1", day=2, start=10, end=12, weeks="0101", room="P108")
    body = client.get("/api/v1/records/me/timetable/").json()
    assert body["ues"] == ["LO41"]
    assert body["compatible"] is True
    (line,) = body["lines"]
    assert (line["ue"], line["activity"], line["group"], line["room"]) == (
        "LO41",
        "TP",
        "TP1",
        "P108",
    )
    assert (line["day"], line["start"], line["end"]) == (2, "10:00:00", "12:00:00")
    assert len(line["dates"]) == 2


def test_the_record_costs_the_same_queries_whatever_the_number_of_ues(
    client: Client, student: Any
) -> None:
    year, _semester = now_semester()
    graded(student, "LO41", year=year - 1, semester="A")
    client.get("/api/v1/records/me/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/records/me/")
    for n in range(6):
        graded(student, f"LO5{n}", year=year - 1, semester="P")
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/records/me/")
    assert len(many) == len(few)


@pytest.mark.parametrize("who", ["teacher", "scolarite", "programme_head"])
def test_only_students_have_a_record(persona: Any, who: str) -> None:
    client = login(Client(), persona(who))
    assert client.get("/api/v1/records/me/").status_code == 403
    assert client.get("/api/v1/records/me/timetable/").status_code == 403


def test_a_visitor_is_refused() -> None:
    assert Client().get("/api/v1/records/me/").status_code == 403


def test_the_endpoints_are_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/records/me/" in schema["paths"]
    assert "/api/v1/records/me/timetable/" in schema["paths"]
    assert "StudentRecord" in schema["components"]["schemas"]
