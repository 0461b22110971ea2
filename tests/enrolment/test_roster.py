"""The teaching team sees who is enrolled, a photo roster with consent only, and exports."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cartable.core.models import AuditEntry
from cartable.enrolment import api
from cartable.enrolment.models import Enrolment
from tests.catalogue.factories import OfferFactory, TeachingAssignmentFactory
from tests.enrolment.factories import EnrolmentFactory, give_photo, student_person
from tests.personas import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(persona: Any) -> Any:
    return persona("teacher")


def roster_url(offer: Any, suffix: str = "/") -> str:
    return f"/tableau-ue/{offer.uuid}/inscrits{suffix}"


def test_the_responsible_sees_the_enrolled_students_with_their_programme(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    enrolment = EnrolmentFactory(offer=offer)
    page = login(Client(), teacher).get(roster_url(offer)).content.decode()
    assert enrolment.student.display_last_name.upper() in page
    assert "INFO ING2" in page


def test_a_team_member_sees_the_roster_and_another_teacher_does_not(persona: Any) -> None:
    offer = OfferFactory()
    member = persona("teacher")
    TeachingAssignmentFactory(offer=offer, person=member.person)
    assert login(Client(), member).get(roster_url(offer)).status_code == 200
    stranger = persona("ue_coordinator")
    assert login(Client(), stranger).get(roster_url(offer)).status_code == 404


def test_dropped_students_are_not_listed(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    EnrolmentFactory(offer=offer, status=Enrolment.Status.DROPPED)
    assert api.enrolled_students(offer.uuid) == []


def test_the_photo_roster_shows_only_consenting_students_photos(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    consenting = student_person(photo_consent=True)
    refusing = student_person(photo_consent=False)
    give_photo(consenting)
    give_photo(refusing)
    EnrolmentFactory(offer=offer, student=consenting)
    EnrolmentFactory(offer=offer, student=refusing)
    client = login(Client(), teacher)
    page = client.get(roster_url(offer), {"vue": "photos"}).content.decode()
    assert f"/inscrits/{consenting.uuid}/photo/" in page
    assert f"/inscrits/{refusing.uuid}/photo/" not in page
    assert client.get(roster_url(offer, f"/{consenting.uuid}/photo/")).status_code == 200
    assert client.get(roster_url(offer, f"/{refusing.uuid}/photo/")).status_code == 404


def test_a_photo_is_served_only_for_a_student_enrolled_in_that_offer(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    elsewhere = student_person(photo_consent=True)
    give_photo(elsewhere)
    EnrolmentFactory(student=elsewhere)
    url = roster_url(offer, f"/{elsewhere.uuid}/photo/")
    assert login(Client(), teacher).get(url).status_code == 404


def test_every_look_at_the_roster_is_journaled_per_student(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    students = [EnrolmentFactory(offer=offer).student for _ in range(3)]
    login(Client(), teacher).get(roster_url(offer))
    seen = set(
        AuditEntry.objects.filter(action="enrolment.roster.view").values_list(
            "subject_uuid", flat=True
        )
    )
    assert seen == {s.uuid for s in students}


def test_the_roster_exports_to_csv_and_excel(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    student = EnrolmentFactory(offer=offer).student
    client = login(Client(), teacher)
    text = client.get(roster_url(offer, ".csv")).content.decode("utf-8-sig")
    assert text.splitlines()[0] == "nom;prenom;numero_etudiant;courriel;formation;niveau"
    assert student.display_last_name in text
    book = load_workbook(io.BytesIO(client.get(roster_url(offer, ".xlsx")).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0] == student.display_last_name
    assert AuditEntry.objects.filter(action="enrolment.roster.export").count() == 2


def test_the_roster_costs_the_same_queries_for_2_or_20_students(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    client = login(Client(), teacher)
    for _ in range(2):
        EnrolmentFactory(offer=offer)
    with CaptureQueriesContext(connection) as few:
        client.get(roster_url(offer))
    for _ in range(18):
        EnrolmentFactory(offer=offer)
    with CaptureQueriesContext(connection) as many:
        client.get(roster_url(offer))
    assert len(many) == len(few)


def test_the_excel_roster_survives_control_characters_in_a_name(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    EnrolmentFactory(offer=offer, student=student_person(civil_last_name="Du\x0bpont"))
    response = login(Client(), teacher).get(roster_url(offer, ".xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "Dupont"
