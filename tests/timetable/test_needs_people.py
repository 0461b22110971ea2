"""The screens of what the weekly-template design reads about people and places: a teacher
enters and removes their own unavailabilities; the scolarité sees everyone's (search, day
filter, CSV), enters them for the semester's teachers, and sets the travel time between
campuses, which the DSIN administrators only read. Showing someone else's unavailabilities is
journaled; a refused entry comes back as typed with the reason next to its field."""

from __future__ import annotations

import csv
import io
from datetime import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.core.models import AuditEntry
from cartable.timetable.models import CampusTravel, TeacherUnavailability
from tests.catalogue.factories import this_year
from tests.factories import CampusFactory, PersonFactory
from tests.personas import Persona, login
from tests.timetable.factories import ActivityFactory, GroupFactory

pytestmark = pytest.mark.django_db

LIST = "/emploi-du-temps/indisponibilites/"
CSV = "/emploi-du-temps/indisponibilites/export.csv"
TRAVEL = "/emploi-du-temps/campus/trajets/"


def delete_url(row: TeacherUnavailability) -> str:
    return f"{LIST}{row.uuid}/supprimer/"


def unavailable(person: Any, day: int = 0, start: int = 8, end: int = 10, **kwargs: Any) -> Any:
    fields: dict[str, Any] = {"year": this_year(), "semester": "A", **kwargs}
    return TeacherUnavailability.objects.create(
        person=person, day=day, start=time(start), end=time(end), **fields
    )


@pytest.fixture
def teacher(persona: Any) -> Persona:
    found: Persona = persona("teacher")
    return found


@pytest.fixture
def as_teacher(teacher: Persona) -> Client:
    return login(Client(), teacher)


@pytest.fixture
def as_scolarite(persona: Any) -> Client:
    return login(Client(), persona("scolarite"))


def named(last: str, first: str = "Camille") -> Any:
    return PersonFactory(civil_last_name=last, civil_first_name=first)


# --- a teacher's own unavailabilities ------------------------------------------------------


def test_a_teacher_adds_an_unavailability(teacher: Persona, as_teacher: Client) -> None:
    response = as_teacher.post(
        f"{LIST}?year={this_year()}&semester=P",
        {"day": "2", "start": "14h", "end": "17:30", "note": "Conseil de labo"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?year={this_year()}&semester=P"
    row = TeacherUnavailability.objects.get()
    assert (row.person, row.year, row.semester, row.day) == (teacher.person, this_year(), "P", 2)
    assert (row.start, row.end, row.note) == (time(14), time(17, 30), "Conseil de labo")
    entry = AuditEntry.objects.get(action="timetable.unavailability.add")
    assert (entry.object_ref, entry.subject_uuid) == (str(row.uuid), teacher.person.uuid)
    page = as_teacher.get(response["Location"]).content.decode()
    assert "Indisponibilité enregistrée." in page
    assert "14:00–17:30" in page
    assert "Conseil de labo" in page


def test_the_page_says_the_design_never_places_the_teacher_there(as_teacher: Client) -> None:
    text = as_teacher.get(LIST).content.decode()
    assert "ne place jamais vos groupes sur ces créneaux" in text


def test_a_teacher_sees_only_their_own_for_the_semester_asked(
    teacher: Persona, as_teacher: Client
) -> None:
    unavailable(teacher.person, note="le mien")
    unavailable(teacher.person, semester="P", note="au printemps")
    unavailable(named("Autre"), note="pas le mien")
    autumn = as_teacher.get(LIST).content.decode()
    assert "le mien" in autumn
    assert "au printemps" not in autumn
    assert "pas le mien" not in autumn
    assert 'name="q"' not in autumn  # no search: one teacher only
    assert "export.csv" not in autumn
    assert "au printemps" in as_teacher.get(f"{LIST}?semester=P").content.decode()


def test_a_teacher_looking_at_their_own_is_not_journaled(
    teacher: Persona, as_teacher: Client
) -> None:
    unavailable(teacher.person)
    as_teacher.get(LIST)
    assert not AuditEntry.objects.filter(action="timetable.unavailability.read").exists()


def test_a_teacher_removes_their_own(teacher: Persona, as_teacher: Client) -> None:
    row = unavailable(teacher.person, semester="P")
    response = as_teacher.post(delete_url(row))
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?year={this_year()}&semester=P"
    assert not TeacherUnavailability.objects.exists()
    entry = AuditEntry.objects.get(action="timetable.unavailability.delete")
    assert (entry.object_ref, entry.subject_uuid) == (str(row.uuid), teacher.person.uuid)


def test_a_teacher_may_not_remove_someone_elses(as_teacher: Client) -> None:
    row = unavailable(named("Autre"))
    assert as_teacher.post(delete_url(row)).status_code == 404
    assert TeacherUnavailability.objects.filter(pk=row.pk).exists()
    assert not AuditEntry.objects.filter(action="timetable.unavailability.delete").exists()


def test_removing_is_post_only(teacher: Persona, as_teacher: Client) -> None:
    row = unavailable(teacher.person)
    assert as_teacher.get(delete_url(row)).status_code == 405
    assert TeacherUnavailability.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"day": "0", "start": "10:00", "end": "08:00"}, "Fin : la fin (08:00) doit suivre"),
        ({"day": "0", "start": "25h", "end": "26:00"}, "Début : heure invalide « 25h »"),
        ({"day": "0", "start": "8h", "end": "9h", "note": "x" * 201}, "Motif : 200 caractères"),
    ],
)
def test_a_refused_entry_is_shown_again_as_typed(
    as_teacher: Client, typed: dict[str, str], message: str
) -> None:
    response = as_teacher.post(LIST, typed)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert f'value="{typed["start"]}"' in text
    assert f'value="{typed["end"]}"' in text
    assert not TeacherUnavailability.objects.exists()
    assert not AuditEntry.objects.filter(action="timetable.unavailability.add").exists()


def test_an_unknown_year_is_shown_on_its_field_and_nothing_is_added(as_teacher: Client) -> None:
    response = as_teacher.post(f"{LIST}?year=1999", {"day": "0", "start": "8h", "end": "9h"})
    assert response.status_code == 400
    assert not TeacherUnavailability.objects.exists()


@pytest.mark.parametrize("who", ["student", "dsin_admin", "dpo", "direction"])
def test_people_who_do_not_teach_get_403(client_as: Any, who: str) -> None:
    assert client_as(who).get(LIST).status_code == 403


# --- the scolarité: everyone's ---------------------------------------------------------------


def test_the_scolarite_searches_by_name_and_filters_by_day(as_scolarite: Client) -> None:
    unavailable(named("Martin"), day=0, note="martin-lundi")
    unavailable(named("Martin"), day=3, note="martin-jeudi")
    unavailable(named("Durand"), day=0, note="durand-lundi")
    everyone = as_scolarite.get(LIST).content.decode()
    assert all(n in everyone for n in ("martin-lundi", "martin-jeudi", "durand-lundi"))
    by_name = as_scolarite.get(f"{LIST}?q=martin").content.decode()
    assert "martin-lundi" in by_name
    assert "durand-lundi" not in by_name
    by_both = as_scolarite.get(f"{LIST}?q=martin&day=3").content.decode()
    assert "martin-jeudi" in by_both
    assert "martin-lundi" not in by_both


def test_the_scolarite_reading_them_is_journaled(as_scolarite: Client) -> None:
    someone = named("Martin")
    unavailable(someone)
    as_scolarite.get(LIST)
    entry = AuditEntry.objects.get(action="timetable.unavailability.read")
    assert (entry.kind, entry.subject_uuid) == (AuditEntry.Kind.READ, someone.uuid)
    assert entry.detail == {"year": this_year(), "semester": "A"}


def test_the_scolarite_list_costs_the_same_queries_for_more_rows(as_scolarite: Client) -> None:
    unavailable(named("Martin"))
    with CaptureQueriesContext(connection) as few:
        as_scolarite.get(LIST)
    for last in ("Durand", "Petit", "Leroy", "Moreau"):
        unavailable(named(last))
    with CaptureQueriesContext(connection) as more:
        as_scolarite.get(LIST)
    assert len(more) == len(few)


def test_the_scolarite_adds_one_for_a_teacher_of_the_semester(as_scolarite: Client) -> None:
    lecturer = named("Martin")
    GroupFactory(activity=ActivityFactory(semester="A"), teacher=lecturer)
    page = as_scolarite.get(LIST).content.decode()
    assert f'value="{lecturer.uuid}"' in page
    response = as_scolarite.post(
        LIST, {"person": str(lecturer.uuid), "day": "4", "start": "8h", "end": "12h"}
    )
    assert response.status_code == 302
    row = TeacherUnavailability.objects.get()
    assert (row.person, row.day, row.start, row.end) == (lecturer, 4, time(8), time(12))
    entry = AuditEntry.objects.get(action="timetable.unavailability.add")
    assert entry.subject_uuid == lecturer.uuid


def test_the_scolarite_may_not_pick_someone_who_teaches_no_group(as_scolarite: Client) -> None:
    stranger = named("Inconnu")
    response = as_scolarite.post(
        LIST, {"person": str(stranger.uuid), "day": "0", "start": "8h", "end": "9h"}
    )
    assert response.status_code == 400
    assert not TeacherUnavailability.objects.exists()


def test_the_scolarite_removes_anyones(as_scolarite: Client) -> None:
    row = unavailable(named("Martin"))
    response = as_scolarite.post(f"{delete_url(row)}?q=martin&day=0")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?year={this_year()}&semester=A&q=martin&day=0"
    assert not TeacherUnavailability.objects.exists()
    assert AuditEntry.objects.filter(action="timetable.unavailability.delete").count() == 1


def test_the_csv_lists_the_filtered_rows_and_is_journaled(as_scolarite: Client) -> None:
    martin = named("Martin", "Léa")
    unavailable(martin, day=1, start=13, end=15, note="=conseil")
    unavailable(named("Durand"), note="durand")
    response = as_scolarite.get(f"{CSV}?q=martin")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows == [
        ["teacher", "person_uuid", "year", "semester", "day", "start", "end", "note"],
        [
            "Léa MARTIN",
            str(martin.uuid),
            str(this_year()),
            "A",
            "tuesday",
            "13:00",
            "15:00",
            "'=conseil",
        ],
    ]
    entry = AuditEntry.objects.get(action="timetable.unavailability.read")
    assert entry.subject_uuid == martin.uuid
    assert entry.detail["export"] == "csv"


def test_a_teacher_may_not_export_the_list(as_teacher: Client) -> None:
    assert as_teacher.get(CSV).status_code == 403


# --- travel between campuses ---------------------------------------------------------------


@pytest.fixture
def campuses() -> tuple[Any, Any]:
    return (
        CampusFactory(code="belfort", name="Belfort"),
        CampusFactory(code="sevenans", name="Sevenans"),
    )


def test_the_page_lists_each_pair_and_says_what_the_time_means(
    as_scolarite: Client, campuses: Any
) -> None:
    CampusFactory(code="montbeliard", name="Montbéliard")
    text = as_scolarite.get(TRAVEL).content.decode()
    assert text.count('name="minutes"') == 3
    assert "séparés d'au moins ce temps de trajet" in text


def test_the_scolarite_sets_then_removes_a_travel_time(as_scolarite: Client, campuses: Any) -> None:
    belfort, sevenans = campuses
    pair = {"campus": "sevenans", "other": "belfort"}
    response = as_scolarite.post(TRAVEL, {**pair, "minutes": "25"})
    assert response.status_code == 302
    assert CampusTravel.objects.get(campus=belfort, other=sevenans).minutes == 25
    assert 'value="25"' in as_scolarite.get(TRAVEL).content.decode()
    assert as_scolarite.post(TRAVEL, {**pair, "minutes": " "}).status_code == 302
    assert not CampusTravel.objects.exists()
    details = [
        e.detail for e in AuditEntry.objects.filter(action="timetable.travel.set").order_by("id")
    ]
    assert details == [{"before": None, "after": 25}, {"before": 25, "after": None}]


def test_an_unchanged_travel_time_writes_nothing(as_scolarite: Client, campuses: Any) -> None:
    response = as_scolarite.post(TRAVEL, {"campus": "belfort", "other": "sevenans", "minutes": ""})
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="timetable.travel.set").exists()


def test_a_wrong_travel_time_is_shown_by_its_pair_as_typed(
    as_scolarite: Client, campuses: Any
) -> None:
    response = as_scolarite.post(
        TRAVEL, {"campus": "belfort", "other": "sevenans", "minutes": "deux heures"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Trajet : « deux heures » n&#x27;est pas un entier de 0 à 240 minutes." in text
    assert 'value="deux heures"' in text
    assert 'id="trajet-belfort-sevenans_error"' in text
    assert not CampusTravel.objects.exists()


def test_an_unknown_campus_is_refused(as_scolarite: Client, campuses: Any) -> None:
    response = as_scolarite.post(TRAVEL, {"campus": "belfort", "other": "paris", "minutes": "9"})
    assert response.status_code == 400
    assert "Campus : deux campus différents et connus." in response.content.decode()


def test_the_dsin_reads_travel_times_but_may_not_change_them(client_as: Any, campuses: Any) -> None:
    belfort, sevenans = campuses
    CampusTravel.objects.create(campus=belfort, other=sevenans, minutes=30)
    client = client_as("dsin_admin")
    page = client.get(TRAVEL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<td>30</td>" in text
    assert 'name="minutes"' not in text
    refused = client.post(TRAVEL, {"campus": "belfort", "other": "sevenans", "minutes": "5"})
    assert refused.status_code == 403
    assert CampusTravel.objects.get().minutes == 30


def test_a_teacher_does_not_see_travel_times(as_teacher: Client) -> None:
    assert as_teacher.get(TRAVEL).status_code == 403
