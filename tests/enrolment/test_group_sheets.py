"""Group sheets: a teacher's “Mes groupes” with the published sizes, each group's students
and its sheet to sign as PDF for its teacher, its UE's responsible and the scolarité (who
also search every group, export the list and print the sheets of many groups at once);
every read of students' data is journaled."""

from __future__ import annotations

import base64
import html as entities
import re
import zlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.core.models import AuditEntry
from cartable.enrolment import views_group_sheets
from cartable.enrolment.models import GroupMembership, SectioningRun
from cartable.referential.models import Person
from cartable.timetable.models import Group
from tests.enrolment.campaigns import group, student, ue
from tests.enrolment.factories import EnrolmentFactory
from tests.factories import PersonFactory
from tests.personas import Persona, login
from tests.timetable.factories import (
    ActivityFactory,
    CalendarFactory,
    GroupFactory,
    RoomFactory,
    meets,
)

pytestmark = pytest.mark.django_db

URL = "/sectionnement/groupes/"


@dataclass
class World:
    year: int
    teacher: Persona
    responsible: Persona
    cm1: Group
    td1: Group
    td2: Group
    spring: Group
    td1_students: list[Person]
    td2_students: list[Person]


def publish(year: int, semester: str, members: dict[Group, list[Person]], **run: Any) -> None:
    made = SectioningRun.objects.create(
        year=year, semester=semester, status=SectioningRun.Status.PUBLISHED, figures={}, **run
    )
    GroupMembership.objects.bulk_create(
        GroupMembership(run=made, student=person, group=g)
        for g, people in members.items()
        for person in people
    )


@pytest.fixture
def world(persona: Any) -> World:
    """LO21 in autumn (CM1 for all, TD1 taught by the teacher persona in room B101, TD2 by a
    colleague), its responsible the UE coordinator persona; MT90 TD1 in spring, taught by the
    teacher persona too, without a published sectioning; last year's LO21 TD1 taught by the
    teacher, and a run under review that would put everyone in TD2."""
    teacher, responsible = persona("teacher"), persona("ue_coordinator")
    lo21 = ue("LO21", responsible=responsible.person)
    year = int(lo21.year)
    cm1 = group(lo21, "CM", "CM1", day=0, start=8, end=10, capacity=200)
    td1 = group(lo21, "TD", "TD1", day=1, start=8, end=10, capacity=3)
    td2 = group(lo21, "TD", "TD2", day=1, start=10, end=12, capacity=3)
    td1.teacher, td1.room = teacher.person, RoomFactory(code="B101", campus=lo21.campus)
    td1.save()
    td2.teacher = PersonFactory(civil_last_name="Collègue", civil_first_name="Camille")
    td2.save()
    mt90 = ue("MT90", semesters="P")
    CalendarFactory(year=year, semester="P")
    spring = GroupFactory(
        activity=ActivityFactory(offer=mt90, semester="P", kind="TD"),
        code="TD1",
        teacher=teacher.person,
    )
    meets(spring, 3, 14, 16)
    old = ue("LO21", year=year - 1)
    past = group(old, "TD", "TD9", day=1, start=8, end=10)
    past.teacher = teacher.person
    past.save()
    td1_students = [
        student(civil_last_name="Durand", civil_first_name="Alice", student_number="24001"),
        student(civil_last_name="Bernard", civil_first_name="Bruno", student_number="24002"),
    ]
    td2_students = [
        student(civil_last_name="Petit", civil_first_name="Chloé", student_number="24003")
    ]
    everyone = td1_students + td2_students
    for person in everyone:
        EnrolmentFactory(student=person, offer=lo21, semester="A")
    publish(year, "A", {cm1: everyone, td1: td1_students, td2: td2_students})
    SectioningRun.objects.create(
        year=year, semester="A", status=SectioningRun.Status.READY, figures={}
    ).memberships.create(student=td1_students[0], group=td2)
    return World(year, teacher, responsible, cm1, td1, td2, spring, td1_students, td2_students)


def text(response: Any) -> str:
    return entities.unescape(response.content.decode())


def pdf_pages(content: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", content))


def pdf_text(content: bytes) -> str:
    """The text drawn on the pages of a ReportLab PDF (its streams are ASCII85 then Flate)."""
    found = []
    for stream in re.findall(rb"stream\r?\n(.*?~>)endstream", content, re.S):
        found.append(zlib.decompress(base64.a85decode(stream, adobe=True)).decode("cp1252"))
    return "\n".join(found)


def audited(action: str) -> set[Any]:
    return set(AuditEntry.objects.filter(action=action).values_list("subject_uuid", flat=True))


# --- Mes groupes ---------------------------------------------------------------------------


def test_a_teacher_sees_the_groups_they_teach_this_year_with_their_published_size(
    world: World,
) -> None:
    page = text(login(Client(), world.teacher).get(URL))
    assert "Mes groupes" in page
    assert "LO21 TD1" in page
    assert "mardi 08:00–10:00 (toutes les semaines)" in page
    assert "B101" in page
    assert "<td>2</td>" in page  # two students in the published sectioning, not the draft's one
    assert "MT90 TD1" in page  # spring: no sectioning published yet
    assert "LO21 TD2" not in page
    assert "LO21 TD9" not in page  # last year's


def test_a_teacher_without_groups_gets_an_empty_list(persona: Any, world: World) -> None:
    page = text(login(Client(), persona("programme_head")).get(URL))
    assert "Aucun groupe." in page
    assert "LO21" not in page


def test_the_ue_responsible_also_sees_the_other_groups_of_their_ue(world: World) -> None:
    page = text(login(Client(), world.responsible).get(URL))
    assert "LO21 CM1" in page
    assert "LO21 TD2" in page
    assert "Camille COLLÈGUE" in page
    assert "MT90" not in page
    assert audited("enrolment.sectioning.groups.read") >= {world.td2.teacher.uuid}


def test_the_teachers_page_makes_as_many_queries_whatever_their_groups(world: World) -> None:
    client = login(Client(), world.teacher)
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for code in ("TD3", "TD4", "TD5"):
        more = GroupFactory(activity=world.td1.activity, code=code, teacher=world.teacher.person)
        meets(more, 2, 8, 10)
        GroupMembership.objects.create(
            run=SectioningRun.objects.get(status="published"), student=student(), group=more
        )
    with CaptureQueriesContext(connection) as after:
        page = text(client.get(URL))
    assert "LO21 TD5" in page
    assert len(after) == len(before)


# --- a group's students --------------------------------------------------------------------


def test_the_group_page_lists_its_students_and_journals_the_read(world: World) -> None:
    page = text(login(Client(), world.teacher).get(f"{URL}{world.td1.uuid}/"))
    assert "DURAND" in page
    assert "Alice" in page
    assert "24002" in page
    assert "INFO ING2" in page
    assert "PETIT" not in page
    assert "2 / 3" in page
    assert "B101" in page
    assert audited("enrolment.sectioning.group.read") == {p.uuid for p in world.td1_students}


def test_the_group_page_says_when_no_sectioning_is_published(world: World) -> None:
    page = text(login(Client(), world.teacher).get(f"{URL}{world.spring.uuid}/"))
    assert "Aucune répartition n'est publiée pour ce semestre" in page
    assert "jeudi 14:00–16:00" in page


@pytest.mark.parametrize("suffix", ["", "feuille.pdf"])
@pytest.mark.parametrize(
    ("who", "which", "status"),
    [
        ("teacher", "td1", 200),
        ("teacher", "td2", 404),  # another teacher's group
        ("responsible", "td2", 200),  # a group of the UE they are responsible for
        ("responsible", "spring", 404),
        ("scolarite", "td2", 200),
        ("scolarite", "spring", 200),
        ("programme_head", "td1", 404),
        ("student", "td1", 404),
        ("dpo", "td1", 404),
        ("direction", "td1", 404),
    ],
)
def test_who_may_see_a_group(
    persona: Any, world: World, suffix: str, who: str, which: str, status: int
) -> None:
    persons = {"teacher": world.teacher, "responsible": world.responsible}
    client = login(Client(), persons[who] if who in persons else persona(who))
    target = getattr(world, which)
    assert client.get(f"{URL}{target.uuid}/{suffix}").status_code == status


def test_an_unknown_group_is_not_found(persona: Any, world: World) -> None:
    client = login(Client(), persona("scolarite"))
    assert client.get(f"{URL}00000000-0000-0000-0000-000000000000/").status_code == 404


# --- sheets ----------------------------------------------------------------------------------


def test_a_group_sheet_is_a_pdf_page_with_its_students_to_sign(world: World) -> None:
    response = login(Client(), world.teacher).get(f"{URL}{world.td1.uuid}/feuille.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "feuille-LO21-TD1-" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) == 1
    drawn = pdf_text(response.content)
    for expected in ("LO21 TD1", "B101", "Durand", "Bernard", "24001", "Signature", "2 / 3"):
        assert expected in drawn
    assert "Petit" not in drawn
    entries = AuditEntry.objects.filter(action="enrolment.sectioning.group_sheet")
    assert {e.subject_uuid for e in entries} == {p.uuid for p in world.td1_students}
    assert {e.kind for e in entries} == {AuditEntry.Kind.EXPORT}


def test_the_sheets_of_the_filtered_groups_come_in_one_pdf_a_group_per_page(
    persona: Any, world: World
) -> None:
    client = login(Client(), persona("scolarite"))
    response = client.get(f"{URL}feuilles.pdf", {"semester": "A", "ue": "LO21"})
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) == 3  # CM1, TD1, TD2
    drawn = pdf_text(response.content)
    assert all(label in drawn for label in ("LO21 CM1", "LO21 TD1", "LO21 TD2", "Petit"))
    assert "MT90" not in drawn
    everyone = {p.uuid for p in world.td1_students + world.td2_students}
    assert audited("enrolment.sectioning.group_sheets") >= everyone
    spring = client.get(f"{URL}feuilles.pdf", {"semester": "P"})
    assert pdf_pages(spring.content) == 1
    assert "MT90 TD1" in pdf_text(spring.content)


def test_too_many_groups_for_one_pdf_asks_to_narrow_the_filter(
    persona: Any, world: World, monkeypatch: Any
) -> None:
    monkeypatch.setattr(views_group_sheets, "MAX_SHEETS", 2)
    client = login(Client(), persona("scolarite"))
    response = client.get(f"{URL}feuilles.pdf", {"semester": "A"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?semester=A"
    assert "c'est trop pour un seul document" in text(client.get(response["Location"]))


# --- every group, for the scolarité ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({}, {"LO21 CM1", "LO21 TD1", "LO21 TD2", "MT90 TD1"}, {"LO21 TD9"}),
        ({"q": "td1"}, {"LO21 TD1", "MT90 TD1"}, {"LO21 TD2", "LO21 CM1"}),
        ({"q": "LO21 TD"}, {"LO21 TD1", "LO21 TD2"}, {"LO21 CM1", "MT90 TD1"}),
        ({"q": "mt90"}, {"MT90 TD1"}, {"LO21 TD1"}),
        ({"semester": "P"}, {"MT90 TD1"}, {"LO21 TD1", "LO21 CM1"}),
        ({"semester": "A", "ue": "lo21"}, {"LO21 TD1", "LO21 CM1"}, {"MT90 TD1"}),
        ({"semester": "X", "q": "mt90"}, {"MT90 TD1", "Sélectionnez un choix valide"}, {"LO21"}),
    ],
)
def test_the_scolarite_sees_every_group_of_the_year_and_narrows_them(
    persona: Any, world: World, query: dict[str, str], shown: set[str], hidden: set[str]
) -> None:
    page = text(login(Client(), persona("scolarite")).get(URL, query))
    assert all(label in page for label in shown)
    assert not any(label in page for label in hidden)


def test_the_scolarite_list_shows_teachers_and_links_to_the_exports(
    persona: Any, world: World
) -> None:
    page = text(login(Client(), persona("scolarite")).get(URL, {"semester": "A"}))
    assert "Camille COLLÈGUE" in page
    assert world.teacher.person.display_name in page
    assert f"{URL}liste.csv?semester=A" in page
    assert f"{URL}feuilles.pdf?semester=A" in page
    assert audited("enrolment.sectioning.groups.read") == {
        world.teacher.person.uuid,
        world.td2.teacher.uuid,
    }


def test_the_scolarite_list_makes_as_many_queries_whatever_the_groups(
    persona: Any, world: World
) -> None:
    client = login(Client(), persona("scolarite"))
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for code in ("TD3", "TD4", "TD5"):
        more = GroupFactory(activity=world.td1.activity, code=code, teacher=PersonFactory())
        meets(more, 2, 8, 10)
    with CaptureQueriesContext(connection) as after:
        assert "LO21 TD5" in text(client.get(URL))
    assert len(after) == len(before)


def test_the_group_list_exports_as_csv(persona: Any, world: World) -> None:
    response = login(Client(), persona("scolarite")).get(f"{URL}liste.csv", {"semester": "A"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "annee;semestre;ue;groupe;activite;capacite;effectif;enseignant;salle;creneaux"
    )
    teacher = world.teacher.person.display_name
    assert (
        f"{world.year};A;LO21;TD1;TD;3;2;{teacher};B101;mardi 08:00–10:00 (toutes les semaines)"
        in lines
    )
    assert any(line.startswith(f"{world.year};A;LO21;CM1;CM;200;3;") for line in lines)
    assert not any(";MT90;" in line for line in lines)
    entries = AuditEntry.objects.filter(action="enrolment.sectioning.groups.export")
    assert {e.kind for e in entries} == {AuditEntry.Kind.EXPORT}


def test_the_sectioning_runs_page_links_to_the_groups(persona: Any, world: World) -> None:
    assert URL in text(login(Client(), persona("scolarite")).get("/sectionnement/"))


def test_a_teacher_finds_mes_groupes_in_the_navigation(world: World) -> None:
    assert f'href="{URL}"' in text(login(Client(), world.teacher).get("/"))


# --- from a real sectioning ------------------------------------------------------------------


def test_a_published_run_fills_the_teachers_group(
    persona: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """Launch and publish a run as the scolarité does: the teacher's group then lists whom it
    put there."""
    SectioningRun.objects.all().delete()
    scolarite = login(Client(), persona("scolarite"))
    with django_capture_on_commit_callbacks(execute=True):
        scolarite.post(
            "/sectionnement/",
            {"year": str(world.year), "semester": "A", "time_limit": "5", "seed": "1"},
        )
    run = SectioningRun.objects.get()
    scolarite.post(f"/sectionnement/{run.uuid}/publier/")
    placed = set(
        GroupMembership.objects.filter(run=run, group=world.td1).values_list(
            "student__student_number", flat=True
        )
    )
    page = text(login(Client(), world.teacher).get(f"{URL}{world.td1.uuid}/"))
    assert placed
    assert all(number in page for number in placed)
