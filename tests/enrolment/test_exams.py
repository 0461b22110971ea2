"""Exam sessions: one exam per UE with candidates, planned in the background with no student
sitting two exams at once and rooms within capacity (a large exam split across rooms), rules
between exams held, published to each candidate (page and iCalendar), room sheets."""

from __future__ import annotations

import html as entities
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from cartable.core.models import AuditEntry, Notification
from cartable.enrolment.exams import build_instance, exams_of
from cartable.enrolment.models import ExamSession, SessionExam
from tests.enrolment.campaigns import student, ue
from tests.enrolment.factories import EnrolmentFactory
from tests.personas import login
from tests.timetable.factories import RoomFactory

pytestmark = pytest.mark.django_db

URL = "/examens/"


@pytest.fixture(autouse=True)
def _one_worker(settings: Any) -> None:
    settings.CARTABLE_SOLVER_WORKERS = 1


@pytest.fixture
def year() -> int:
    lo21, mt90, ia41 = ue("LO21"), ue("MT90"), ue("IA41")
    RoomFactory(code="A100", capacity=10)
    RoomFactory(code="A200", capacity=6)
    people = [student() for _ in range(12)]
    for person in people:
        EnrolmentFactory(student=person, offer=lo21, semester="A")  # 12: two rooms
    for person in people[:5]:
        EnrolmentFactory(student=person, offer=mt90, semester="A")
    for person in people[5:8]:
        EnrolmentFactory(student=person, offer=ia41, semester="A")
    return int(lo21.year)


@pytest.fixture
def scolarite(persona: Any) -> Client:
    return login(Client(), persona("scolarite"))


def monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def create(client: Client, year: int, **data: str) -> Any:
    first = monday()
    values = {
        "title": "Finaux A",
        "year": str(year),
        "semester": "A",
        "kind": "final",
        "first_day": first.isoformat(),
        "last_day": (first + timedelta(days=1)).isoformat(),
        "starts": "08:00,14:00",
        "period_minutes": "180",
        **data,
    }
    return client.post(URL, values)


def text(response: Any) -> str:
    return entities.unescape(response.content.decode())


def test_a_session_gets_one_exam_per_ue_with_candidates(scolarite: Client, year: int) -> None:
    response = create(scolarite, year)
    assert response.status_code == 302
    session = ExamSession.objects.get()
    assert {(e.offer.ue.code, e.candidates) for e in session.exams.all()} == {
        ("LO21", 12),
        ("MT90", 5),
        ("IA41", 3),
    }
    built = build_instance(session)
    assert len(built.instance.periods) == 4
    assert built.instance.periods[2].day == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts": "8h,14:00"}, "Heure illisible"),
        ({"last_day": "2000-01-01"}, "Le dernier jour précède le premier"),
    ],
)
def test_a_wrong_session_is_refused_and_keeps_what_was_typed(
    scolarite: Client, year: int, data: dict[str, str], message: str
) -> None:
    response = create(scolarite, year, **data)
    assert response.status_code == 400
    assert message in text(response)
    assert 'value="Finaux A"' in text(response)
    assert not ExamSession.objects.exists()


def test_planning_places_every_exam_without_conflict_then_publishing_tells_candidates(
    scolarite: Client, year: int, django_capture_on_commit_callbacks: Any
) -> None:
    create(scolarite, year)
    session = ExamSession.objects.get()
    lo21 = session.exams.get(offer__ue__code="LO21")
    mt90 = session.exams.get(offer__ue__code="MT90")
    scolarite.post(
        f"{URL}{session.uuid}/regles/",
        {"first": str(mt90.uuid), "kind": "AFTER", "second": str(lo21.uuid)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = scolarite.post(f"{URL}{session.uuid}/planifier/", {"time_limit": "5"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "planned"
    assert session.figures["feasible"], session.figures
    exams = {e.offer.ue.code: e for e in SessionExam.objects.filter(session=session)}
    assert all(e.starts_at for e in exams.values())
    assert exams["MT90"].starts_at > exams["LO21"].starts_at  # the rule holds
    assert exams["LO21"].starts_at != exams["IA41"].starts_at  # shared candidates
    assert sum(exams["LO21"].seating.values()) == 12
    assert len(exams["LO21"].seating) == 2  # split across the two rooms
    page = text(scolarite.get(f"{URL}{session.uuid}/"))
    assert "Planning par créneau" in page
    sheets = scolarite.get(f"{URL}{session.uuid}/salles.pdf")
    assert sheets.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="enrolment.exams.room_sheets").exists()
    assert scolarite.post(f"{URL}{session.uuid}/publier/").status_code == 302
    session.refresh_from_db()
    assert session.status == "published"
    assert Notification.objects.count() == 12


def test_students_see_and_download_their_published_exams(
    scolarite: Client, year: int, django_capture_on_commit_callbacks: Any, persona: Any
) -> None:
    create(scolarite, year)
    session = ExamSession.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        scolarite.post(f"{URL}{session.uuid}/planifier/", {"time_limit": "5"})
    someone = SessionExam.objects.get(session=session, offer__ue__code="MT90")
    candidate = someone.offer.enrolments.first().student
    assert exams_of(candidate.uuid) == []  # not published yet
    scolarite.post(f"{URL}{session.uuid}/publier/")
    mine = exams_of(candidate.uuid)
    assert [e.ue_code for e in mine] == sorted(
        [e.ue_code for e in mine], key=lambda c: next(x.starts_at for x in mine if x.ue_code == c)
    )
    assert {e.ue_code for e in mine} == {"LO21", "MT90"}
    client = Client()
    client.force_login(candidate.user)
    page = text(client.get(f"{URL}mes-examens/"))
    assert "MT90" in page
    ics = client.get(f"{URL}mes-examens.ics").content.decode()
    assert ics.count("BEGIN:VEVENT") == 2
    assert "Examen MT90" in ics
