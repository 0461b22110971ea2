"""Re-planning a published exam session after a late change: the exams stay where they were
published unless a hard rule needs them moved, the new plan is reviewed against the published
one, and publishing it again tells only the candidates of the exams that changed."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from cartable.core.models import AuditEntry, Job, Notification
from cartable.enrolment.exam_replanning import (
    CHANGE_PER_CANDIDATE,
    Published,
    keep_published_rooms,
)
from cartable.enrolment.exams import build_instance, exams_of, plan_changes
from cartable.enrolment.models import Enrolment, ExamSession, SessionExam
from cartable.timetable.engine.exam import model as engine
from tests.enrolment.campaigns import student, ue
from tests.enrolment.factories import EnrolmentFactory
from tests.enrolment.test_exams import URL, create, monday, text
from tests.personas import login
from tests.timetable.factories import RoomFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _one_worker(settings: Any) -> None:
    settings.CARTABLE_SOLVER_WORKERS = 1


@pytest.fixture
def people() -> list[Any]:
    """Twelve students: all sit LO21; MT90, IA41 and NF16 have no one in common; SY02 shares
    two candidates with MT90 and two with NF16."""
    lo21, mt90, ia41, nf16, sy02 = (ue(code) for code in ("LO21", "MT90", "IA41", "NF16", "SY02"))
    RoomFactory(code="A100", capacity=10)
    RoomFactory(code="A200", capacity=6)
    found = [student() for _ in range(12)]
    for offer, group in [
        (lo21, found),
        (mt90, found[0:5]),
        (ia41, found[5:8]),
        (nf16, found[8:12]),
        (sy02, found[0:2] + found[8:10]),
    ]:
        for person in group:
            EnrolmentFactory(student=person, offer=offer, semester="A")
    return found


@pytest.fixture
def year(people: list[Any]) -> int:
    return int(Enrolment.objects.values_list("offer__year", flat=True)[0])


@pytest.fixture
def scolarite(persona: Any) -> Client:
    return login(Client(), persona("scolarite"))


def plan(client: Client, session: ExamSession, capture: Any) -> None:
    with capture(execute=True):
        response = client.post(f"{URL}{session.uuid}/planifier/", {"time_limit": "5"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "planned", session.status
    assert session.figures["feasible"], session.figures


def placements(session: ExamSession) -> dict[str, tuple[datetime, tuple[str, ...]]]:
    """Each exam's start and rooms, by UE code (every exam is planned)."""
    found = {}
    for exam in session.exams.select_related("offer__ue"):
        assert exam.starts_at is not None
        found[exam.offer.ue.code] = (exam.starts_at, tuple(sorted(exam.seating)))
    return found


@pytest.fixture
def published(scolarite: Client, year: int, django_capture_on_commit_callbacks: Any) -> ExamSession:
    """A session over three days (six periods), planned and published to its 12 candidates."""
    create(scolarite, year, last_day=(monday() + timedelta(days=2)).isoformat())
    session = ExamSession.objects.get()
    plan(scolarite, session, django_capture_on_commit_callbacks)
    assert scolarite.post(f"{URL}{session.uuid}/publier/").status_code == 302
    session.refresh_from_db()
    assert Notification.objects.count() == 12
    return session


def move(session: ExamSession, code: str) -> SessionExam:
    """What a re-plan that moved ``code`` alone to a free period leaves behind."""
    taken = {e.starts_at for e in session.exams.all()}
    periods = [
        datetime.combine(monday() + timedelta(days=n), time(hour), tzinfo=PARIS)
        for n in range(3)
        for hour in (8, 14)
    ]
    free = next(start for start in periods if start not in taken)
    exam = session.exams.get(offer__ue__code=code)
    exam.starts_at = free
    exam.save(update_fields=["starts_at"])
    ExamSession.objects.filter(pk=session.pk).update(status=ExamSession.Status.PLANNED)
    session.refresh_from_db()
    return exam


def test_a_replan_after_a_new_rule_moves_only_the_exams_the_rule_involves(
    scolarite: Client, published: ExamSession, django_capture_on_commit_callbacks: Any
) -> None:
    before = placements(published)
    by_start = sorted((code for code in before if code != "LO21"), key=lambda c: before[c][0])
    first, last = by_start[0], by_start[-1]
    assert before[first][0] < before[last][0]
    exams = {e.offer.ue.code: e for e in published.exams.select_related("offer__ue")}
    scolarite.post(
        f"{URL}{published.uuid}/regles/",
        {"first": str(exams[first].uuid), "kind": "AFTER", "second": str(exams[last].uuid)},
    )
    plan(scolarite, published, django_capture_on_commit_callbacks)
    after = placements(published)
    assert after[first][0] > after[last][0]  # the late rule holds
    moved = {code for code in before if before[code] != after[code]}
    assert moved
    assert moved <= {first, last}  # the others keep their period and their rooms
    changes = plan_changes(published)
    assert {c.ue_code for c in changes.moved} == moved
    page = text(scolarite.get(f"{URL}{published.uuid}/"))
    assert "Changements par rapport au plan publié" in page
    assert "Publier à nouveau" in page


def test_a_replan_without_change_keeps_a_published_plan_that_is_not_the_cheapest(
    scolarite: Client, published: ExamSession, django_capture_on_commit_callbacks: Any
) -> None:
    """Everyone sits LO21 on Monday morning and another exam that afternoon: twelve students
    with two exams in a row, which a first plan avoids; moving them costs more."""
    day = monday()
    slots = [
        datetime.combine(day, time(8), tzinfo=PARIS),
        datetime.combine(day, time(14), tzinfo=PARIS),
    ]
    slots.append(datetime.combine(day + timedelta(days=1), time(8), tzinfo=PARIS))
    told = {
        "LO21": (slots[0], {"A100": 10, "A200": 2}),
        "MT90": (slots[1], {"A100": 5}),
        "IA41": (slots[1], {"A100": 3}),
        "NF16": (slots[1], {"A200": 4}),
        "SY02": (slots[2], {"A100": 4}),
    }
    for exam in published.exams.select_related("offer__ue"):
        exam.starts_at, exam.seating = told[exam.offer.ue.code]
        exam.save(update_fields=["starts_at", "seating"])
    ExamSession.objects.filter(pk=published.pk).update(status=ExamSession.Status.PLANNED)
    scolarite.post(f"{URL}{published.uuid}/publier/")
    before = placements(published)
    plan(scolarite, published, django_capture_on_commit_callbacks)
    assert placements(published) == before
    assert published.figures["soft"]["two_in_a_row"] == 120  # kept, although it costs
    assert plan_changes(published).moved == ()


def test_build_instance_charges_each_move_from_the_published_period_per_candidate(
    published: ExamSession,
) -> None:
    built = build_instance(published)
    periods = {start: i for i, start in enumerate(built.periods)}
    for row, exam, students in zip(
        built.instance.exam_period_costs, built.exams, built.students.values(), strict=True
    ):
        assert exam.starts_at is not None
        home = periods[exam.starts_at]
        assert row[home] == 0
        assert {cost for i, cost in enumerate(row) if i != home} == {
            CHANGE_PER_CANDIDATE * len(students)
        }


def test_a_first_plan_pays_nothing_for_moves(scolarite: Client, year: int) -> None:
    create(scolarite, year)
    assert build_instance(ExamSession.objects.get()).instance.exam_period_costs == ()


def test_the_review_lists_exactly_the_changed_and_new_exams_with_their_candidates(
    scolarite: Client, published: ExamSession, people: list[Any]
) -> None:
    move(published, "MT90")
    late = ue("XX01")
    for person in people[:2] + people[5:6]:
        EnrolmentFactory(student=person, offer=late, semester="A")
    SessionExam.objects.create(session=published, offer=late, candidates=3)
    changes = plan_changes(published)
    assert [(c.ue_code, c.candidates) for c in changes.moved] == [("MT90", 5)]
    assert [(c.ue_code, c.candidates, c.after) for c in changes.new] == [("XX01", 3, None)]
    assert changes.candidates == 6  # five for MT90, and one more for XX01
    page = text(scolarite.get(f"{URL}{published.uuid}/"))
    assert "Changements par rapport au plan publié" in page
    assert "6 candidat·es concerné·es" in page
    assert "Épreuves nouvelles depuis la publication" in page
    assert "pas encore planifiée" in page


def test_a_session_as_published_shows_no_change(scolarite: Client, published: ExamSession) -> None:
    assert plan_changes(published).moved == ()
    page = text(scolarite.get(f"{URL}{published.uuid}/"))
    assert "Aucun changement : le plan est celui qui a été publié." in page


def test_publishing_again_tells_only_the_candidates_concerned_and_journals_it(
    scolarite: Client, published: ExamSession, people: list[Any]
) -> None:
    moved = move(published, "IA41")
    Notification.objects.all().delete()
    response = scolarite.post(f"{URL}{published.uuid}/publier/", follow=True)
    assert "3 étudiant·es prévenu·es" in text(response)
    told = Notification.objects.all()
    assert {n.person_uuid for n in told} == {p.uuid for p in people[5:8]}
    assert {(n.title, n.title_en, n.body) for n in told} == {
        (
            "Vos examens changent : Finaux A",
            "Your exams change: Finaux A",
            "Épreuves concernées : IA41.",
        )
    }
    assert all(n.url == f"{URL}mes-examens/" for n in told)
    entry = AuditEntry.objects.filter(action="enrolment.exams.publish").latest("pk")
    assert entry.detail == {"candidates": 3, "first": False, "moved": 1, "new": 0}
    published.refresh_from_db()
    assert published.status == "published"
    now_told = published.published_plan[str(moved.uuid)]["starts_at"]
    assert datetime.fromisoformat(now_told) == moved.starts_at
    assert plan_changes(published).moved == ()


def test_candidates_keep_the_published_plan_until_it_is_published_again(
    scolarite: Client, published: ExamSession, people: list[Any]
) -> None:
    told = published.exams.get(offer__ue__code="IA41").starts_at
    moved = move(published, "IA41")
    assert [e.starts_at for e in exams_of(people[5].uuid) if e.ue_code == "IA41"] == [told]
    scolarite.post(f"{URL}{published.uuid}/publier/")
    assert [e.starts_at for e in exams_of(people[5].uuid) if e.ue_code == "IA41"] == [
        moved.starts_at
    ]


def test_a_published_session_can_be_changed_then_planned_again(
    scolarite: Client, published: ExamSession, django_capture_on_commit_callbacks: Any
) -> None:
    exam = published.exams.get(offer__ue__code="MT90")
    scolarite.post(f"{URL}{published.uuid}/epreuves/{exam.uuid}/", {"duration": "150"})
    exam.refresh_from_db()
    assert exam.duration == 150
    plan(scolarite, published, django_capture_on_commit_callbacks)
    entry = AuditEntry.objects.filter(action="enrolment.exams.plan").latest("pk")
    assert entry.detail == {"time_limit": 5, "replan": True}


def test_a_session_still_planning_cannot_be_planned_again(
    scolarite: Client, published: ExamSession, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        scolarite.post(f"{URL}{published.uuid}/planifier/", {"time_limit": "5"})
        published.refresh_from_db()
        assert published.status == "planning"
        again = scolarite.post(
            f"{URL}{published.uuid}/planifier/", {"time_limit": "5"}, follow=True
        )
    assert "Le calcul est déjà en cours." in text(again)
    assert Job.objects.filter(kind="enrolment.exams").count() == 2  # first plan, one re-plan


def _instance() -> engine.Instance:
    day = monday()
    return engine.Instance(
        exams=(
            engine.Exam(120, frozenset(range(8))),
            engine.Exam(120, frozenset(range(8, 11))),
            engine.Exam(120, frozenset(range(11, 13))),
        ),
        periods=(engine.Period(day, datetime.min.time(), 180, 0, 0),),
        rooms=(engine.Room(10, 0), engine.Room(6, 0)),
    )


def test_exams_left_in_their_period_get_their_published_rooms_back() -> None:
    reseated = engine.Solution(
        (
            engine.Assignment(0, (engine.Seating(0, 8),)),
            engine.Assignment(0, (engine.Seating(1, 3),)),
            engine.Assignment(0, (engine.Seating(0, 2),)),
        )
    )
    published = [Published(0, {1: 6, 0: 2}), Published(0, {0: 3}), None]
    kept = keep_published_rooms(_instance(), reseated, published)
    assert [{s.room: s.seats for s in a.rooms} for a in kept.assignments] == [
        {1: 6, 0: 2},
        {0: 3},
        {0: 2},  # the newcomer fits around them
    ]


def test_a_period_that_cannot_keep_the_published_rooms_keeps_the_solvers() -> None:
    solved = engine.Solution(
        (
            engine.Assignment(0, (engine.Seating(0, 8),)),
            engine.Assignment(0, (engine.Seating(1, 3),)),
            engine.Assignment(0, (engine.Seating(1, 2),)),
        )
    )
    instance = _instance()
    instance = engine.Instance(
        exams=instance.exams,
        periods=instance.periods,
        rooms=instance.rooms,
        room_exclusive=frozenset({2}),  # the newcomer must be alone: no room is left for it
    )
    published = [Published(0, {0: 4, 1: 4}), Published(0, {0: 3}), None]
    assert keep_published_rooms(instance, solved, published) == solved


def test_a_longer_exam_is_a_change_its_candidates_hear_of(published: ExamSession) -> None:
    exam = published.exams.get(offer__ue__code="MT90")
    exam.duration += 30
    exam.save(update_fields=["duration"])
    changes = plan_changes(published)
    assert [(c.ue_code, c.candidates) for c in changes.moved] == [("MT90", 5)]
    assert changes.moved[0].after.duration == changes.moved[0].before.duration + 30
