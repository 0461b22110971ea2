"""The scolarité launches a sectioning run, watches it, reviews who is left out and why,
exports, publishes; students then see their groups; a second run moves few students and
shows who changes."""

from __future__ import annotations

import html as entities
from typing import Any

import pytest
from django.test import Client

from cartable.core.models import AuditEntry, Job, Notification
from cartable.enrolment.models import GroupMembership, SectioningRun
from cartable.enrolment.sectioning import do_start_sectioning
from cartable.records.queries import current_timetable
from tests.enrolment.campaigns import group, student, ue
from tests.enrolment.factories import EnrolmentFactory
from tests.personas import login

pytestmark = pytest.mark.django_db

URL = "/sectionnement/"


@pytest.fixture
def year() -> int:
    lo21 = ue("LO21")
    mt90 = ue("MT90")
    group(lo21, "CM", "CM1", day=0, start=8, end=10, capacity=200)
    td1 = group(lo21, "TD", "TD1", day=1, start=8, end=10, capacity=3)
    td2 = group(lo21, "TD", "TD2", day=1, start=10, end=12, capacity=3)
    group(lo21, "TP", "TP1", day=3, start=8, end=10, capacity=3, parent=td1)
    group(lo21, "TP", "TP2", day=3, start=10, end=12, capacity=3, parent=td2)
    group(mt90, "CM", "CM1", day=1, start=8, end=12, capacity=200)  # clashes with both TDs
    people = [student() for _ in range(6)]
    for person in people:
        EnrolmentFactory(student=person, offer=lo21, semester="A")
    EnrolmentFactory(student=people[0], offer=mt90, semester="A")
    return int(lo21.year)


@pytest.fixture
def scolarite(persona: Any) -> Client:
    return login(Client(), persona("scolarite"))


def launch(client: Client, year: int, capture: Any, **data: str) -> Any:
    with capture(execute=True):
        return client.post(
            URL, {"year": str(year), "semester": "A", "time_limit": "5", "seed": "1", **data}
        )


def text(response: Any) -> str:
    return entities.unescape(response.content.decode())


def test_a_run_is_launched_computed_and_reviewed(
    scolarite: Client, year: int, django_capture_on_commit_callbacks: Any
) -> None:
    response = launch(scolarite, year, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    run = SectioningRun.objects.get()
    assert run.status == "ready"
    assert Job.objects.get(uuid=run.job_uuid).status == "succeeded"
    assert run.figures["students"] == 6
    assert run.figures["fully_sectioned"] == 5
    page = text(scolarite.get(response["Location"]))
    assert "5 / 6" in page
    assert (
        "MT90 : l'emploi du temps ne permet pas de la suivre avec LO21." in page
        or "LO21 : l'emploi du temps ne permet pas de la suivre avec MT90." in page
    )
    assert "par rapport à la répartition publiée" not in page  # nothing published yet
    assert AuditEntry.objects.filter(action="enrolment.sectioning.start").exists()
    export = scolarite.get(f"{URL}{run.uuid}/non-repartis.csv").content.decode("utf-8-sig")
    assert "MT90" in export
    sizes = scolarite.get(f"{URL}{run.uuid}/groupes.csv").content.decode("utf-8-sig")
    assert "LO21 CM1;5;200" in sizes
    assert "LO21 TD1;3;3" in sizes or "LO21 TD2;3;3" in sizes


def test_the_left_out_list_filters_by_reason(
    scolarite: Client, year: int, django_capture_on_commit_callbacks: Any
) -> None:
    launch(scolarite, year, django_capture_on_commit_callbacks)
    run = SectioningRun.objects.get()
    page = text(scolarite.get(f"{URL}{run.uuid}/", {"motif": "capacity"}))
    assert "l'emploi du temps ne permet pas" not in page
    assert "Personne." in page


def test_bad_input_keeps_what_was_typed_and_launches_nothing(
    scolarite: Client, year: int, django_capture_on_commit_callbacks: Any
) -> None:
    response = launch(scolarite, year, django_capture_on_commit_callbacks, time_limit="1")
    assert response.status_code == 400
    assert not SectioningRun.objects.exists()
    empty = launch(scolarite, year + 5, django_capture_on_commit_callbacks)
    assert empty.status_code == 400
    assert "rien à répartir" in text(empty)


def test_publishing_shows_students_their_groups_and_tells_them(
    scolarite: Client, year: int, django_capture_on_commit_callbacks: Any
) -> None:
    launch(scolarite, year, django_capture_on_commit_callbacks)
    run = SectioningRun.objects.get()
    assert scolarite.post(f"{URL}{run.uuid}/publier/").status_code == 302
    run.refresh_from_db()
    assert run.status == "published"
    member = GroupMembership.objects.filter(run=run, group__code="TD1").first()
    assert member is not None
    assert Notification.objects.filter(person_uuid=member.student.uuid).exists()
    groups = set(
        GroupMembership.objects.filter(run=run, student=member.student).values_list(
            "group__code", flat=True
        )
    )
    assert groups in ({"CM1", "TD1", "TP1"}, {"CM1", "TD2", "TP2"})
    timetable = current_timetable(member.student.uuid)
    assert {line.group_code for line in timetable.lines} == groups
    again = scolarite.post(f"{URL}{run.uuid}/publier/", follow=True)
    assert "Seule une répartition terminée" in text(again)


def test_a_second_run_starts_from_the_published_one(
    scolarite: Client, year: int, django_capture_on_commit_callbacks: Any
) -> None:
    launch(scolarite, year, django_capture_on_commit_callbacks)
    first = SectioningRun.objects.get()
    scolarite.post(f"{URL}{first.uuid}/publier/")
    launch(scolarite, year, django_capture_on_commit_callbacks, seed="9")
    second = SectioningRun.objects.exclude(pk=first.pk).get()
    assert second.figures["had_previous"]
    assert second.figures["moved"] == 0
    page = text(scolarite.get(f"{URL}{second.uuid}/"))
    assert "0 étudiant·e" in page
    assert "de groupes par rapport à la répartition publiée" in page
    scolarite.post(f"{URL}{second.uuid}/publier/")
    first.refresh_from_db()
    assert first.status == "superseded"


def test_a_running_run_can_be_stopped(year: int) -> None:
    run = do_start_sectioning(year, "A", time_limit=60, seed=0, acting_user=None)
    from cartable.enrolment.sectioning import do_stop_sectioning, sectioning_job

    do_stop_sectioning(run.uuid, acting_user=None)
    sectioning_job(lambda _f, _m: None, str(run.uuid))
    run.refresh_from_db()
    assert run.status == "ready"
    assert run.figures["stopped_early"]
    assert run.figures["students"] == 6


def test_a_second_run_of_a_running_semester_is_refused(year: int) -> None:
    from cartable.core.errors import DomainError

    do_start_sectioning(year, "A", time_limit=60, seed=0, acting_user=None)
    with pytest.raises(DomainError, match="déjà en cours"):
        do_start_sectioning(year, "A", time_limit=60, seed=0, acting_user=None)


def test_the_demo_campus_has_a_published_sectioning() -> None:
    from django.core.management import call_command

    from cartable.enrolment.sectioning import published_run

    call_command("build_demo_campus", "--seed", "7", "--scale", "0.03", stdout=None)
    from cartable.catalogue import api as catalogue

    run = published_run(catalogue.current_year(), "A")
    assert run is not None
    assert run.figures["students"] > 0
    assert run.figures["fully_sectioned"] >= 0.9 * run.figures["students"]
    assert GroupMembership.objects.filter(run=run).exists()
