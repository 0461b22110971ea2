"""Designing the weekly template: the semester's groups as a course-timetabling problem with
the expected demand, solved in the background, reviewed (what moves) and published onto the
template; pinned UEs do not move."""

from __future__ import annotations

import html as entities
from typing import Any

import pytest
from django.test import Client

from cartable.core.models import AuditEntry
from cartable.timetable.design import design_of
from cartable.timetable.models import Slot, TemplateRun
from tests.enrolment.campaigns import group, student, ue
from tests.enrolment.factories import EnrolmentFactory
from tests.personas import login
from tests.timetable.factories import RoomFactory

pytestmark = pytest.mark.django_db

URL = "/emploi-du-temps/conception/"


@pytest.fixture
def year() -> int:
    lo21, mt90 = ue("LO21"), ue("MT90")
    room = RoomFactory(code="B201", capacity=60)
    a = group(lo21, "CM", "CM1", day=0, start=8, end=10, capacity=40)
    b = group(mt90, "CM", "CM1", day=0, start=8, end=10, capacity=40)  # the same time
    group(lo21, "TD", "TD1", day=1, start=10, end=12, capacity=40)
    for made in (a, b):
        made.room = room
        made.save()
    for _ in range(6):
        person = student()
        EnrolmentFactory(student=person, offer=lo21, semester="A")
        EnrolmentFactory(student=person, offer=mt90, semester="A")
    return int(lo21.year)


@pytest.fixture
def scolarite(persona: Any) -> Client:
    return login(Client(), persona("scolarite"))


def text(response: Any) -> str:
    return entities.unescape(response.content.decode())


def test_the_template_becomes_a_problem_with_the_demand(year: int) -> None:
    from cartable.enrolment.api import demand

    design = design_of(year, "A", demand(year, "A"))
    assert len(design.problem.courses) == 2
    assert len(design.problem.students) == 6
    assert len(design.movable) == 3
    pinned = design_of(year, "A", demand(year, "A"), pinned="MT90 LO21/TD1")
    assert len(pinned.movable) == 1


def test_a_computation_removes_the_clash_and_publishing_moves_the_group(
    scolarite: Client, year: int, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = scolarite.post(
            URL,
            {"year": str(year), "semester": "A", "time_limit": "10", "seed": "1", "pinned": "MT90"},
        )
    assert response.status_code == 302
    run = TemplateRun.objects.get()
    assert run.status == "ready"
    assert run.figures["feasible"]
    assert run.figures["student_conflicts"] == 0
    # LO21 and MT90, wanted together by 6 students, met at the same time: now they do not
    assert run.figures["pairs"] == 1
    assert run.figures["pairs_incompatible_before"] == 1
    assert run.figures["pairs_students_before"] == 6
    assert run.figures["pairs_incompatible"] == 0
    page = text(scolarite.get(response["Location"]))
    assert "LO21 CM1" in page
    mt90_before = Slot.objects.get(group__activity__offer__ue__code="MT90")
    assert scolarite.post(f"{URL}{run.uuid}/publier/").status_code == 302
    moved = Slot.objects.get(group__activity__offer__ue__code="LO21", group__code="CM1")
    assert (moved.day, moved.start.hour) != (0, 8)
    mt90_after = Slot.objects.get(group__activity__offer__ue__code="MT90")
    assert (mt90_after.day, mt90_after.start) == (mt90_before.day, mt90_before.start)
    assert AuditEntry.objects.filter(action="timetable.design.publish").exists()


def test_bad_input_launches_nothing(scolarite: Client, year: int) -> None:
    response = scolarite.post(
        URL, {"year": str(year + 3), "semester": "A", "time_limit": "10", "seed": "0"}
    )
    assert response.status_code == 400
    assert "rien à placer" in text(response)
    assert not TemplateRun.objects.exists()


def test_the_command_designs_a_semester_and_keeps_the_proposal(year: int) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "design_template",
        "--year",
        str(year),
        "--semester",
        "A",
        "--time-limit",
        "5",
        "--seed",
        "1",
        "--json",
        stdout=out,
    )
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["status"] == "ready"
    assert figures["hard"] == 0
    assert figures["pairs_incompatible_before"] == 1
    assert TemplateRun.objects.get(uuid=figures["run"]).status == "ready"
