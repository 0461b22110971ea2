"""A teacher's own timetable (“Mon emploi du temps”): the weekly template of the groups they
teach in a semester, as a week and as a table, with its hours and links to the groups; and
the dated sessions as an iCalendar file, on the teaching weeks of the semester's calendar."""

from __future__ import annotations

import html as entities
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.timetable import weeks
from cartable.timetable.models import Group, TeachingCalendar
from cartable.timetable.teaching import semester_under_way
from tests.catalogue.factories import OfferFactory, UEFactory, this_year
from tests.factories import PersonFactory
from tests.personas import Persona, login
from tests.timetable.factories import (
    HOLIDAY_CALENDAR,
    ActivityFactory,
    CalendarFactory,
    GroupFactory,
    RoomFactory,
    meets,
)

pytestmark = pytest.mark.django_db

URL = "/emploi-du-temps/mon-service/"
ICS = "/emploi-du-temps/mon-service/agenda.ics"
HOLIDAY_WEEK = HOLIDAY_CALENDAR.index("0")  # 0-based: the 9th week has no classes


@dataclass
class World:
    year: int
    me: Persona
    calendar: TeachingCalendar
    td1: Group
    cm1: Group
    theirs: Group

    @property
    def autumn(self) -> str:
        return f"?year={self.year}&semester=A"


@pytest.fixture
def world(persona: Any) -> World:
    """LO21 in the autumn of a 17-week calendar whose 9th week is a holiday: the teacher
    persona teaches TD1 (Tuesday 8–10, every week, room B101) and CM 1 (Thursday 14–16, odd
    weeks, in A200 rather than its group's room); a colleague teaches TD2."""
    me = persona("teacher")
    year = this_year()
    calendar = CalendarFactory(year=year, semester="A", teaching_weeks=HOLIDAY_CALENDAR)
    offer = OfferFactory(ue=UEFactory(code="LO21"), year=year)
    td = ActivityFactory(offer=offer, semester="A", kind="TD")
    cm = ActivityFactory(offer=offer, semester="A", kind="CM")
    b101 = RoomFactory(code="B101", campus=offer.campus)
    td1 = GroupFactory(activity=td, code="TD1", teacher=me.person, room=b101)
    meets(td1, 1, 8, 10, weeks=HOLIDAY_CALENDAR)
    cm1 = GroupFactory(activity=cm, code="1", teacher=me.person, room=b101)
    odd = meets(cm1, 3, 14, 16, weeks=weeks.parse("odd", HOLIDAY_CALENDAR))
    odd.room = RoomFactory(code="A200", campus=offer.campus)
    odd.save()
    theirs = GroupFactory(activity=td, code="TD2", teacher=PersonFactory(login="collegue"))
    meets(theirs, 2, 10, 12, weeks=HOLIDAY_CALENDAR)
    return World(year, me, calendar, td1, cm1, theirs)


def text(response: Any) -> str:
    assert response.status_code == 200
    return entities.unescape(response.content.decode())


def events_of(response: Any) -> list[Any]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def client_of(world: World) -> Client:
    return login(Client(), world.me)


def teaching_days(world: World, weekday: int, week_indexes: list[int]) -> list[date]:
    monday = world.calendar.first_monday
    return [monday + timedelta(weeks=w, days=weekday) for w in week_indexes]


# --- the page ------------------------------------------------------------------------------


def test_the_page_shows_only_the_teachers_own_groups(world: World) -> None:
    page = text(client_of(world).get(URL + world.autumn))
    assert "Mon emploi du temps" in page
    assert "LO21 TD1" in page
    assert "LO21 CM 1" in page
    assert "TD2" not in page
    assert str(world.theirs.uuid) not in page


def test_each_session_says_its_weeks_in_words_and_its_room(world: World) -> None:
    page = text(client_of(world).get(URL + world.autumn))
    assert "toutes les semaines" in page
    assert "semaines impaires" in page
    assert "B101" in page
    assert "A200" in page  # the slot's own room, not its group's


def test_the_week_has_a_column_per_working_day(world: World) -> None:
    page = text(client_of(world).get(URL + world.autumn))
    for day in ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi"):
        assert f"<h3>{day}</h3>" in page
    assert "<h3>Samedi</h3>" not in page
    assert "Pas de cours." in page  # Monday, Wednesday and Friday


def test_the_page_counts_the_hours_of_the_week_and_of_the_semester(world: World) -> None:
    page = text(client_of(world).get(URL + world.autumn))
    assert "4 h de cours dans la semaine type" in page
    # TD1: 16 teaching weeks of 2 h; CM 1: the 8 odd teaching weeks of 2 h
    assert "48 h sur le semestre, en 24 séances" in page
    assert "16 séances, du" in page


def test_the_page_links_to_my_groups_each_group_and_the_calendar_file(world: World) -> None:
    page = text(client_of(world).get(URL + world.autumn))
    assert 'href="/sectionnement/groupes/"' in page
    assert f'href="/sectionnement/groupes/{world.td1.uuid}/"' in page
    assert f'href="/sectionnement/groupes/{world.cm1.uuid}/"' in page
    assert f'href="{ICS}?year={world.year}&semester=A"' in page


def test_a_teacher_without_groups_sees_why_the_page_is_empty(persona: Any, world: World) -> None:
    page = text(login(Client(), persona("programme_head")).get(URL + world.autumn))
    assert "Vous n'êtes l'enseignant·e d'aucun groupe ce semestre." in page
    assert "LO21" not in page
    assert "agenda.ics" not in page


def test_a_group_without_slots_is_listed_with_no_session(world: World) -> None:
    GroupFactory(activity=world.td1.activity, code="TD7", teacher=world.me.person)
    page = text(client_of(world).get(URL + world.autumn))
    assert "LO21 TD7" in page
    assert "aucun créneau pour l'instant" in page


def test_the_page_opens_on_the_semester_under_way(world: World) -> None:
    CalendarFactory(
        year=world.year, semester="P", first_monday=date(world.year + 1, 2, 8), teaching_weeks="1"
    )
    spring = GroupFactory(
        activity=ActivityFactory(offer=world.td1.activity.offer, semester="P", kind="TP"),
        code="TP3",
        teacher=world.me.person,
    )
    meets(spring, 0, 8, 12, weeks="1")
    page = text(client_of(world).get(URL))
    shown, hidden = ("LO21 TD1", "LO21 TP3")
    if semester_under_way()[1] == "P":
        shown, hidden = hidden, shown
    assert shown in page
    assert hidden not in page


@pytest.mark.parametrize(
    ("month", "day", "expected"),
    [
        (9, 1, "A"),  # the first day of the catalogue year
        (12, 15, "A"),
        (1, 20, "A"),  # the next calendar year, still autumn
        (2, 9, "A"),  # the day before the spring calendar's first Monday
        (2, 10, "P"),
        (8, 31, "P"),
    ],
)
def test_the_semester_under_way_starts_on_the_spring_calendars_first_monday(
    month: int, day: int, expected: str
) -> None:
    year = this_year()
    CalendarFactory(year=year, semester="P", first_monday=date(year + 1, 2, 10))
    on = date(year if month >= 9 else year + 1, month, day)
    assert semester_under_way(on) == (year, expected)


def test_without_a_spring_calendar_spring_starts_in_february() -> None:
    year = this_year()
    assert semester_under_way(date(year + 1, 1, 31)) == (year, "A")
    assert semester_under_way(date(year + 1, 2, 1)) == (year, "P")


def test_a_wrong_semester_is_shown_on_its_field_and_the_default_used(world: World) -> None:
    page = text(client_of(world).get(URL + "?semester=Z"))
    assert 'id="semestre_semester_error"' in page
    assert "Mon emploi du temps" in page


def test_a_semester_without_calendar_shows_its_slots_without_dates(world: World) -> None:
    TeachingCalendar.objects.all().delete()
    response = client_of(world).get(URL + world.autumn)
    page = text(response)
    assert "Ce semestre n'a pas encore de calendrier" in page
    assert "LO21 TD1" in page
    assert events_of(client_of(world).get(ICS + world.autumn)) == []


def test_the_page_makes_as_many_queries_whatever_the_number_of_groups(world: World) -> None:
    client = client_of(world)
    client.get(URL + world.autumn)
    with CaptureQueriesContext(connection) as before:
        client.get(URL + world.autumn)
    for code in ("TD3", "TD4", "TD5"):
        meets(
            GroupFactory(activity=world.td1.activity, code=code, teacher=world.me.person), 4, 8, 10
        )
    with CaptureQueriesContext(connection) as after:
        page = text(client.get(URL + world.autumn))
    assert "LO21 TD5" in page
    assert len(after.captured_queries) == len(before.captured_queries)


def test_teachers_find_their_timetable_in_the_navigation(world: World, persona: Any) -> None:
    link = f'href="{URL}"'
    assert link in text(client_of(world).get("/sectionnement/groupes/"))
    assert link not in text(login(Client(), persona("student")).get("/dossier/"))


# --- the iCalendar file --------------------------------------------------------------------


def test_the_file_has_one_event_per_dated_occurrence_in_paris_time(world: World) -> None:
    events = events_of(client_of(world).get(ICS + world.autumn))
    td1 = [e for e in events if str(e["summary"]) == "LO21 TD1"]
    every_teaching_week = [w for w in range(len(HOLIDAY_CALENDAR)) if w != HOLIDAY_WEEK]
    assert sorted(e.decoded("dtstart").date() for e in td1) == teaching_days(
        world, 1, every_teaching_week
    )
    assert {e.decoded("dtstart").time() for e in td1} == {time(8)}
    assert {e.decoded("dtend").time() for e in td1} == {time(10)}
    assert {e["dtstart"].params["TZID"] for e in td1} == {"Europe/Paris"}
    # summer time in September, winter time in December: the local hour stays 8 o'clock
    assert {e.decoded("dtstart").utcoffset() for e in td1} == {
        timedelta(hours=2),
        timedelta(hours=1),
    }
    assert {str(e["location"]) for e in td1} == {"B101"}
    assert len(events) == 24


def test_the_file_follows_each_slots_weeks_and_room(world: World) -> None:
    events = events_of(client_of(world).get(ICS + world.autumn))
    cm = [e for e in events if str(e["summary"]) == "LO21 CM 1"]
    odd_teaching_weeks = [w for w in range(len(HOLIDAY_CALENDAR)) if w != HOLIDAY_WEEK][0::2]
    assert sorted(e.decoded("dtstart").date() for e in cm) == teaching_days(
        world, 3, odd_teaching_weeks
    )
    assert {e.decoded("dtstart").time() for e in cm} == {time(14)}
    assert {str(e["location"]) for e in cm} == {"A200"}


def test_the_file_skips_holiday_weeks_even_when_a_slot_names_them(world: World) -> None:
    tp = GroupFactory(
        activity=ActivityFactory(offer=world.td1.activity.offer, semester="A", kind="TP"),
        code="TP1",
        teacher=world.me.person,
    )
    meets(tp, 4, 10, 12, weeks="1" * len(HOLIDAY_CALENDAR))  # saved before week 9 was off
    events = events_of(client_of(world).get(ICS + world.autumn))
    days = sorted(e.decoded("dtstart").date() for e in events if str(e["summary"]) == "LO21 TP1")
    holiday = teaching_days(world, 4, [HOLIDAY_WEEK])[0]
    assert len(days) == len(HOLIDAY_CALENDAR) - 1
    assert holiday not in days


def test_the_file_leaves_out_other_teachers_groups(world: World) -> None:
    events = events_of(client_of(world).get(ICS + world.autumn))
    assert {str(e["summary"]) for e in events} == {"LO21 TD1", "LO21 CM 1"}


def test_event_identifiers_are_unique_and_stay_the_same_between_downloads(world: World) -> None:
    client = client_of(world)
    first = [str(e["uid"]) for e in events_of(client.get(ICS + world.autumn))]
    second = [str(e["uid"]) for e in events_of(client.get(ICS + world.autumn))]
    assert first == second
    assert len(set(first)) == len(first) == 24


def test_the_file_is_a_private_download(world: World) -> None:
    response = client_of(world).get(ICS + world.autumn)
    assert response["Content-Disposition"] == (
        f'attachment; filename="emploi-du-temps-{world.year}-A.ics"'
    )
    assert response["Cache-Control"] == "private, no-store"


def test_a_teacher_without_groups_gets_a_valid_empty_calendar(persona: Any, world: World) -> None:
    response = login(Client(), persona("ue_coordinator")).get(ICS + world.autumn)
    assert events_of(response) == []
    assert str(icalendar.Calendar.from_ical(response.content)["version"]) == "2.0"
