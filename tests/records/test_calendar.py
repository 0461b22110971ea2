"""The private iCalendar feed of a student's timetable (RFC 5545)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import icalendar
import pytest
from django.test import Client

from cartable.core.models import AuditEntry
from cartable.records.models import CalendarFeed
from tests.records.factories import graded, now_semester, registered_student, taught
from tests.timetable.factories import first_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def student() -> Any:
    return registered_student()


@pytest.fixture
def client(student: Any) -> Client:
    made = Client()
    made.force_login(student.user)
    return made


def feed_url(student: Any) -> str:
    token = CalendarFeed.objects.get(person=student, revoked_at__isnull=True).token
    return f"/dossier/calendrier/{token}.ics"


def events_of(body: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def test_a_student_creates_the_private_address_of_their_calendar(
    client: Client, student: Any
) -> None:
    client.post("/dossier/calendrier/creer/")
    page = client.get("/dossier/").content.decode()
    assert feed_url(student) in page
    assert AuditEntry.objects.filter(action="records.calendar_feed.create").exists()


def test_the_feed_has_one_event_per_dated_occurrence_in_paris_time(
    client: Client, student: Any
) -> None:
    enrolment = graded(student, "LO41", grade="")
    taught(enrolment.offer, "TD", "TD2", day=1, start=14, end=16, weeks="1011", room="B204")
    client.post("/dossier/calendrier/creer/")
    response = Client().get(feed_url(student))
    assert response["Content-Type"].startswith("text/calendar")
    events = events_of(response.content)
    year, _semester = now_semester()
    monday = first_monday(year)
    starts = sorted(e.decoded("dtstart") for e in events)
    assert [d.date() for d in starts] == [monday + timedelta(weeks=w, days=1) for w in (0, 2, 3)]
    first = events[0]
    assert str(first["summary"]) == "LO41 TD2"
    assert str(first["location"]) == "B204"
    assert first["dtstart"].params["TZID"] == "Europe/Paris"
    assert first.decoded("dtstart").time() == time(14, 0)
    assert first.decoded("dtend").time() == time(16, 0)
    assert b"BEGIN:VTIMEZONE" in response.content


def test_the_summary_names_the_activity_when_the_group_code_does_not(
    client: Client, student: Any
) -> None:
    enrolment = graded(student, "MT44", grade="")
    taught(enrolment.offer, "CM", "1", day=0, start=8, end=10)
    client.post("/dossier/calendrier/creer/")
    events = events_of(Client().get(feed_url(student)).content)
    assert {str(e["summary"]) for e in events} == {"MT44 CM 1"}


def test_event_identifiers_stay_the_same_from_one_download_to_the_next(
    client: Client, student: Any
) -> None:
    enrolment = graded(student, "LO41", grade="")
    taught(enrolment.offer, "TD", "TD2")
    client.post("/dossier/calendrier/creer/")
    first = [str(e["uid"]) for e in events_of(Client().get(feed_url(student)).content)]
    second = [str(e["uid"]) for e in events_of(Client().get(feed_url(student)).content)]
    assert first == second
    assert len(set(first)) == len(first) == 4


def test_a_feed_without_classes_is_still_a_valid_calendar(client: Client, student: Any) -> None:
    client.post("/dossier/calendrier/creer/")
    body = Client().get(feed_url(student)).content
    parsed = icalendar.Calendar.from_ical(body)
    assert events_of(body) == []
    assert str(parsed["version"]) == "2.0"


def test_a_revoked_address_answers_not_found(client: Client, student: Any) -> None:
    client.post("/dossier/calendrier/creer/")
    url = feed_url(student)
    client.post("/dossier/calendrier/revoquer/")
    assert Client().get(url).status_code == 404
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()


def test_renewing_the_address_stops_the_old_one_and_starts_a_new_one(
    client: Client, student: Any
) -> None:
    client.post("/dossier/calendrier/creer/")
    old = feed_url(student)
    client.post("/dossier/calendrier/creer/")
    new = feed_url(student)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert AuditEntry.objects.filter(action="records.calendar_feed.renew").exists()


def test_an_unknown_address_answers_not_found() -> None:
    assert Client().get("/dossier/calendrier/pas-un-jeton.ics").status_code == 404


def test_creating_the_address_takes_a_post() -> None:
    student = registered_student()
    client = Client()
    client.force_login(student.user)
    assert client.get("/dossier/calendrier/creer/").status_code == 405


def test_dtstamp_is_a_utc_time(client: Client, student: Any) -> None:
    enrolment = graded(student, "LO41", grade="")
    taught(enrolment.offer, "TD", "TD2")
    client.post("/dossier/calendrier/creer/")
    event = events_of(Client().get(feed_url(student)).content)[0]
    stamp = event.decoded("dtstamp")
    assert isinstance(stamp, datetime)
    assert stamp.utcoffset().total_seconds() == 0


def test_the_feed_stops_when_the_registration_ends(client: Client, student: Any) -> None:
    client.post("/dossier/calendrier/creer/")
    url = feed_url(student)
    student.contracts.update(start_date="2019-09-01", end_date="2020-08-31")
    assert Client().get(url).status_code == 404
