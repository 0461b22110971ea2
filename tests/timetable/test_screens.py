"""The scolarité's screens of the weekly template: calendars, rooms, the offers of a
semester, one offer's template. A refused change shows the form again as typed, with the
reason next to its field, and changes nothing; the DSIN administrators only read."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cartable.core.models import AuditEntry
from cartable.timetable.models import Activity, Group, Room, Slot, TeachingCalendar
from tests.catalogue.factories import OfferFactory, UEFactory
from tests.factories import CampusFactory
from tests.timetable.factories import (
    ActivityFactory,
    CalendarFactory,
    GroupFactory,
    RoomFactory,
    meets,
    teaching_offer,
)

pytestmark = pytest.mark.django_db


def page(offer: Any, semester: str = "A") -> str:
    return f"/emploi-du-temps/{offer.year}/{semester}/ue/{offer.ue.code}/"


# --- calendars -----------------------------------------------------------------------------


def test_the_home_page_lists_each_semester_with_its_calendar(client_as: Any) -> None:
    calendar = CalendarFactory()
    response = client_as("scolarite").get("/emploi-du-temps/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"/emploi-du-temps/calendriers/{calendar.year}/A/" in text
    assert "Pas encore de calendrier" in text  # the spring semester has none


def test_the_scolarite_creates_a_calendar(client_as: Any) -> None:
    client = client_as("scolarite")
    response = client.post(
        "/emploi-du-temps/calendriers/nouveau/",
        {
            "year": "2026",
            "semester": "P",
            "first_monday": "2027-02-01",
            "teaching_weeks": "11111111011111111",
        },
    )
    assert response.status_code == 302
    calendar = TeachingCalendar.objects.get(year=2026, semester="P")
    assert calendar.week_count == 17


def test_a_calendar_not_starting_on_a_monday_is_shown_again_as_typed(client_as: Any) -> None:
    client = client_as("scolarite")
    response = client.post(
        "/emploi-du-temps/calendriers/nouveau/",
        {
            "year": "2026",
            "semester": "A",
            "first_monday": "2026-09-02",
            "teaching_weeks": "1111000011",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Lundi de la première semaine : le 2026-09-02 est un mercredi" in text
    assert "Monday of the first week: 2026-09-02 is a Wednesday" in text
    assert 'value="1111000011"' in text
    assert not TeachingCalendar.objects.exists()


def test_the_scolarite_changes_a_calendar(client_as: Any) -> None:
    calendar = CalendarFactory(year=2026)
    response = client_as("scolarite").post(
        "/emploi-du-temps/calendriers/2026/A/",
        {"first_monday": "2026-09-14", "teaching_weeks": "1111"},
    )
    assert response.status_code == 302
    calendar.refresh_from_db()
    assert (str(calendar.first_monday), calendar.teaching_weeks) == ("2026-09-14", "1111")


def test_the_dsin_reads_a_calendar_but_may_not_change_it(client_as: Any) -> None:
    calendar = CalendarFactory(year=2026)
    client = client_as("dsin_admin")
    page_ = client.get("/emploi-du-temps/calendriers/2026/A/")
    assert page_.status_code == 200
    assert '<form method="post" class="stacked"' not in page_.content.decode()
    refused = client.post(
        "/emploi-du-temps/calendriers/2026/A/",
        {"first_monday": "2026-09-14", "teaching_weeks": "1"},
    )
    assert refused.status_code == 403
    calendar.refresh_from_db()
    assert calendar.teaching_weeks != "1"


# --- rooms ---------------------------------------------------------------------------------


def test_rooms_are_searched_and_filtered_by_campus(client_as: Any) -> None:
    RoomFactory(code="B101", name="Salle B101", campus=CampusFactory(code="belfort"))
    RoomFactory(
        code="S201", name="Labo réseaux", features="reseaux", campus=CampusFactory(code="sevenans")
    )
    client = client_as("scolarite")
    by_campus = client.get("/emploi-du-temps/salles/?campus=sevenans").content.decode()
    assert "S201" in by_campus
    assert "B101" not in by_campus
    by_text = client.get("/emploi-du-temps/salles/?q=reseaux").content.decode()
    assert "S201" in by_text
    assert "B101" not in by_text


def test_the_rooms_list_needs_the_same_queries_for_many_rooms(client_as: Any) -> None:
    client = client_as("scolarite")
    RoomFactory()
    client.get("/emploi-du-temps/salles/")
    with CaptureQueriesContext(connection) as few:
        client.get("/emploi-du-temps/salles/")
    for _ in range(10):
        RoomFactory()
    with CaptureQueriesContext(connection) as many:
        client.get("/emploi-du-temps/salles/")
    assert len(many) == len(few)


def test_the_scolarite_creates_a_room_and_a_bad_capacity_is_kept_as_typed(
    client_as: Any,
) -> None:
    CampusFactory()
    client = client_as("scolarite")
    bad = client.post(
        "/emploi-du-temps/salles/nouvelle/",
        {"code": "B301", "name": "Salle B301", "campus": "belfort", "capacity": "trente"},
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Capacité : nombre de places invalide « trente »" in text
    assert 'value="trente"' in text
    assert not Room.objects.exists()
    good = client.post(
        "/emploi-du-temps/salles/nouvelle/",
        {
            "code": "B301",
            "name": "Salle B301",
            "campus": "belfort",
            "capacity": "30",
            "features": "Info, videoprojecteur, info",
        },
    )
    assert good.status_code == 302
    assert Room.objects.get(code="B301").features == "info, videoprojecteur"


def test_the_scolarite_changes_a_room(client_as: Any) -> None:
    room = RoomFactory(code="B101", campus=CampusFactory())
    response = client_as("scolarite").post(
        "/emploi-du-temps/salles/B101/",
        {"name": "Grande salle", "campus": "belfort", "capacity": "60", "features": ""},
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.name, room.capacity) == ("Grande salle", 60)


# --- the offers of a semester --------------------------------------------------------------


def _offers(count: int, first: int = 0) -> None:
    for n in range(first, first + count):
        offer = OfferFactory(ue=UEFactory(code=f"MT{10 + n}"))
        group = GroupFactory(activity=ActivityFactory(offer=offer, kind="CM"), code="CM1")
        meets(group, n % 5, 8, 10)


def test_the_offers_of_a_semester_show_the_state_of_their_template(client_as: Any) -> None:
    offer = teaching_offer()
    OfferFactory(ue=UEFactory(code="EMPTY1"))
    cm = GroupFactory(activity=ActivityFactory(offer=offer, kind="CM"), code="CM1", capacity=90)
    td = GroupFactory(activity=ActivityFactory(offer=offer, kind="TD"), code="TD1", capacity=30)
    meets(cm, 0, 8, 10)
    meets(td, 0, 9, 11)  # over the lecture
    client = client_as("scolarite")
    response = client.get(f"/emploi-du-temps/{offer.year}/A/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Avec conflits" in text
    assert "Sans semaine type" in text
    assert "1 sans semaine type" in text
    missing = client.get(f"/emploi-du-temps/{offer.year}/A/?status=missing")
    assert "EMPTY1" in missing.content.decode()
    assert "LO41" not in missing.content.decode()


def test_the_offers_list_needs_the_same_queries_for_many_offers(client_as: Any) -> None:
    client = client_as("scolarite")
    _offers(2)
    year = Activity.objects.first().offer.year  # type: ignore[union-attr]
    client.get(f"/emploi-du-temps/{year}/A/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/emploi-du-temps/{year}/A/")
    _offers(8, first=2)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/emploi-du-temps/{year}/A/")
    assert len(many) == len(few)


def test_the_offers_list_downloads_as_csv(client_as: Any) -> None:
    offer = teaching_offer()
    response = client_as("dsin_admin").get(f"/emploi-du-temps/{offer.year}/A/offres.csv")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("ue_code;title;campus")
    assert lines[1].startswith("LO41;")
    assert lines[1].endswith(";missing")


# --- one offer's template ------------------------------------------------------------------


def test_the_scolarite_builds_a_template_from_the_page(client_as: Any) -> None:
    offer = teaching_offer()
    client = client_as("scolarite")
    url = page(offer)
    assert client.post(url + "activites/ajouter/", {"kind": "TD"}).status_code == 302
    activity = Activity.objects.get(offer=offer)
    teacher = offer.team.get().person
    added = client.post(
        url + f"activites/{activity.uuid}/groupes/ajouter/",
        {"code": "TD1", "capacity": "32", "room": "B101", "teacher": str(teacher.uuid)},
    )
    assert added.status_code == 302
    group = Group.objects.get(activity=activity)
    slot = client.post(
        url + f"groupes/{group.uuid}/creneaux/ajouter/",
        {
            "day": "1",
            "start": "10:15",
            "end": "12:15",
            "pattern": "odd",
            "explicit": "",
            "room": "",
        },
    )
    assert slot.status_code == 302
    made = Slot.objects.get(group=group)
    assert made.weeks == "10101010010101010"
    shown = client.get(url).content.decode()
    assert "semaines impaires" in shown
    assert teacher.display_name in shown
    assert "Suivable" in shown
    assert client.post(url + f"creneaux/{made.uuid}/supprimer/").status_code == 302
    assert not Slot.objects.exists()


def test_a_wrong_slot_is_shown_again_as_typed_and_nothing_changes(client_as: Any) -> None:
    offer = teaching_offer()
    group = GroupFactory(activity=ActivityFactory(offer=offer, kind="TD"), code="TD1")
    response = client_as("scolarite").post(
        page(offer) + f"groupes/{group.uuid}/creneaux/ajouter/",
        {"day": "0", "start": "10:00", "end": "9h", "pattern": "explicit", "explicit": "9"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Fin : la fin (09:00) doit suivre le début (10:00)" in text
    assert 'value="9h"' in text
    assert not Slot.objects.exists()


def test_a_holiday_week_is_refused_on_the_weeks_field(client_as: Any) -> None:
    offer = teaching_offer()
    group = GroupFactory(activity=ActivityFactory(offer=offer, kind="TD"), code="TD1")
    response = client_as("scolarite").post(
        page(offer) + f"groupes/{group.uuid}/creneaux/ajouter/",
        {"day": "0", "start": "8:00", "end": "10:00", "pattern": "explicit", "explicit": "8-9"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Semaines : semaines sans cours dans le calendrier : 9" in text
    assert 'value="8-9"' in text
    assert not Slot.objects.exists()


def test_a_group_with_a_bad_code_and_capacity_is_refused_on_both_fields(client_as: Any) -> None:
    offer = teaching_offer()
    activity = ActivityFactory(offer=offer, kind="TD")
    response = client_as("scolarite").post(
        page(offer) + f"activites/{activity.uuid}/groupes/ajouter/",
        {"code": "TD 1", "capacity": "0"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Code : code de groupe invalide « TD 1 »" in text
    assert "Capacité : nombre de places invalide « 0 »" in text
    assert not Group.objects.exists()


def test_the_page_shows_the_clashes_inside_the_ue(client_as: Any) -> None:
    offer = teaching_offer()
    cm = GroupFactory(activity=ActivityFactory(offer=offer, kind="CM"), code="CM1")
    td = GroupFactory(activity=ActivityFactory(offer=offer, kind="TD"), code="TD1")
    meets(cm, 0, 8, 10)
    meets(td, 0, 8, 10)
    text = client_as("scolarite").get(page(offer)).content.decode()
    assert "Impossible à suivre" in text
    assert "CM CM1 ↔ TD TD1" in text


def test_reading_a_template_journals_the_teachers_seen(client_as: Any) -> None:
    offer = teaching_offer()
    client_as("dsin_admin").get(page(offer))
    seen = set(
        AuditEntry.objects.filter(action="timetable.template.read").values_list(
            "subject_uuid", flat=True
        )
    )
    assert offer.team.get().person.uuid in seen


def test_the_dsin_reads_a_template_without_forms_and_may_not_change_it(client_as: Any) -> None:
    offer = teaching_offer()
    client = client_as("dsin_admin")
    text = client.get(page(offer)).content.decode()
    assert "Ajouter l'activité" not in text
    assert client.post(page(offer) + "activites/ajouter/", {"kind": "TD"}).status_code == 403
    assert not Activity.objects.exists()


def test_an_offer_not_taught_in_the_semester_has_no_template_page(client_as: Any) -> None:
    offer = teaching_offer()
    assert client_as("scolarite").get(page(offer, "P")).status_code == 404


def test_a_group_of_another_offer_is_not_found_from_this_page(client_as: Any) -> None:
    offer = teaching_offer()
    other = GroupFactory()
    response = client_as("scolarite").post(page(offer) + f"groupes/{other.uuid}/supprimer/")
    assert response.status_code == 404
    assert Group.objects.filter(pk=other.pk).exists()
