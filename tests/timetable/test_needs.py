"""Teaching needs as data for the weekly-template design: the scolarité states each
activity's groups, sessions, length, weeks, room features and preferred or forbidden
half-days; the design creates the groups and sessions a need asks for, never uses a forbidden
half-day, a teacher's unavailable time or a room without the features, keeps the teachers'
sessions on two campuses apart by the travel time, and tells the people of changed groups on
publication. Two proposals can be compared side by side."""

from __future__ import annotations

import csv
import html as entities
import io
from datetime import time
from typing import Any

import pytest
from django.test import Client

from cartable.core.models import AuditEntry, Notification
from cartable.timetable.design import DAYS, STEP, design_of
from cartable.timetable.models import ActivityNeed, Group, Slot, TeacherUnavailability, TemplateRun
from cartable.timetable.needs import NeedValues, do_save_need, touched
from tests.enrolment.campaigns import group, student, ue
from tests.enrolment.factories import EnrolmentFactory
from tests.factories import CampusFactory, PersonFactory
from tests.personas import login
from tests.timetable.factories import RoomFactory

pytestmark = pytest.mark.django_db

DESIGN = "/emploi-du-temps/conception/"


@pytest.fixture
def offer() -> Any:
    made = ue("LO21")
    campus = made.campus
    RoomFactory(code="B101", capacity=40, campus=campus)
    RoomFactory(code="B102", capacity=40, campus=campus)
    RoomFactory(code="INFO1", capacity=24, campus=campus, features="info, projecteur")
    cm = group(made, "CM", "CM1", day=0, start=8, end=10, capacity=40)
    cm.room = Group._meta.get_field("room").related_model.objects.get(code="B101")
    cm.save()
    group(made, "TP", "TP1", day=1, start=8, end=10, capacity=24)
    return made


@pytest.fixture
def scolarite(persona: Any) -> Client:
    return login(Client(), persona("scolarite"))


def text(response: Any) -> str:
    return entities.unescape(response.content.decode())


def tp_of(offer: Any) -> Any:
    return Group.objects.get(activity__offer=offer, code="TP1").activity


def page(offer: Any) -> str:
    return f"/emploi-du-temps/{offer.year}/A/ue/{offer.ue.code}/besoins/"


def form(activity: Any, **typed: str) -> dict[str, str]:
    data = {
        "group_count": "3",
        "group_capacity": "20",
        "sessions_per_week": "2",
        "length": "90",
        "pattern": "every",
        "explicit": "",
        "room_features": "info",
        **typed,
    }
    return data


def test_the_scolarite_states_an_activity_need_and_it_is_journaled(
    scolarite: Client, offer: Any
) -> None:
    activity = tp_of(offer)
    response = scolarite.get(page(offer))
    assert response.status_code == 200
    assert "à renseigner" in text(response)
    data = form(activity, h_4A="F", h_0M="P", h_1M="P")
    response = scolarite.post(f"{page(offer)}{activity.uuid}/", data)
    assert response.status_code == 302
    need = ActivityNeed.objects.get(activity=activity)
    assert (need.group_count, need.sessions_per_week, need.length) == (3, 2, 90)
    assert need.forbidden_times == "4A"
    assert need.preferred_times == "0M 1M"
    assert need.room_features == "info"
    assert need.weeks == ""  # every teaching week
    assert AuditEntry.objects.filter(action="timetable.need.save").exists()
    again = text(scolarite.get(page(offer)))
    assert "renseignés" in again
    assert scolarite.post(f"{page(offer)}{activity.uuid}/retirer/").status_code == 302
    assert not ActivityNeed.objects.exists()
    assert AuditEntry.objects.filter(action="timetable.need.delete").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"length": "17"}, "Durée d'une séance : un multiple de 5 minutes"),
        ({"group_count": "0"}, "Nombre de groupes"),
        ({"room_features": "laser"}, "Équipements requis : aucune salle n'a « laser »"),
        ({"group_capacity": "200"}, "Places par groupe : aucune salle du campus"),
        ({"pattern": "explicit", "explicit": "40"}, "Semaines"),
    ],
)
def test_a_wrong_need_is_refused_with_its_field_and_keeps_what_was_typed(
    scolarite: Client, offer: Any, typed: dict[str, str], message: str
) -> None:
    activity = tp_of(offer)
    response = scolarite.post(f"{page(offer)}{activity.uuid}/", form(activity, **typed))
    assert response.status_code == 400
    body = text(response)
    assert message in body
    for value in typed.values():
        assert f'value="{value}"' in body or value in ("explicit",)
    assert not ActivityNeed.objects.exists()


def test_every_half_day_forbidden_is_refused(scolarite: Client, offer: Any) -> None:
    activity = tp_of(offer)
    cells = {f"h_{d}{h}": "F" for d in range(6) for h in "MAE"}
    response = scolarite.post(f"{page(offer)}{activity.uuid}/", form(activity, **cells))
    assert response.status_code == 400
    assert "toutes les demi-journées sont interdites" in text(response)


def test_the_design_creates_what_the_need_asks_and_respects_its_times_and_rooms(
    offer: Any,
) -> None:
    activity = tp_of(offer)
    do_save_need(
        activity.uuid,
        NeedValues(3, 20, 2, 90, room_features="info", forbidden_times=frozenset({"4A", "0M"})),
        campus_code=offer.campus.code,
        acting_user=None,
    )
    design = design_of(offer.year, "A", {})
    tp_sessions = {k: s for k, s in design.sessions.items() if "TP" in s.label}
    assert len(tp_sessions) == 6  # 3 groups × 2 sessions: TP1's slot and 5 new sessions
    assert len({s.group for s in tp_sessions.values()}) == 3
    assert sum(1 for s in tp_sessions.values() if s.slot) == 1
    classes = {
        c.id: c
        for course in design.problem.courses
        for cfg in course.configs
        for sub in cfg.subparts
        for c in sub.classes
    }
    for key in tp_sessions:
        options = classes[key]
        assert {r.room_id for r in options.rooms} == {"INFO1"}
        for option in options.times:
            day = option.time.days.bit_length() - 1
            start = option.time.start * STEP
            assert option.time.length * STEP == 90
            assert not touched(day, start, start + 90) & {"4A", "0M"}
            assert day < DAYS
    notes = " ".join(fr for fr, _en in design.notes)
    assert "TP2" in notes
    assert "TP3" in notes


def test_a_teacher_is_never_placed_when_unavailable(offer: Any) -> None:
    teacher = PersonFactory()
    cm = Group.objects.get(activity__offer=offer, code="CM1")
    cm.teacher = teacher
    cm.save()
    TeacherUnavailability.objects.create(
        person=teacher, year=offer.year, semester="A", day=2, start=time(8), end=time(18)
    )
    design = design_of(offer.year, "A", {})
    slot = Slot.objects.get(group=cm)
    options = next(
        c
        for course in design.problem.courses
        for cfg in course.configs
        for sub in cfg.subparts
        for c in sub.classes
        if c.id == str(slot.uuid)
    )
    assert options.times
    assert all(
        not (
            o.time.days == 1 << 2
            and o.time.start * STEP < 18 * 60
            and (o.time.start + o.time.length) * STEP > 8 * 60
        )
        for o in options.times
    )
    assert any(o.time.days == 1 << 3 for o in options.times)


def test_travel_time_between_campuses_reaches_the_rooms(offer: Any) -> None:
    from cartable.timetable.needs import do_set_travel

    other = CampusFactory(code="sevenans")
    RoomFactory(code="S1", capacity=40, campus=other)
    do_set_travel(offer.campus.code, "sevenans", "25", acting_user=None)
    design = design_of(offer.year, "A", {})
    travel = {(r.id, t.room_id): t.value for r in design.problem.rooms for t in r.travel}
    assert travel[("B101", "S1")] == 5  # 25 minutes, in slots of 5 minutes
    assert ("B101", "B102") not in travel


def test_a_computation_with_a_need_is_published_with_new_groups_and_tells_the_people(
    scolarite: Client, offer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    teacher = PersonFactory()
    cm = Group.objects.get(activity__offer=offer, code="CM1")
    cm.teacher = teacher
    cm.save()
    activity = tp_of(offer)
    do_save_need(
        activity.uuid,
        NeedValues(2, 20, 1, 120, room_features="info", forbidden_times=frozenset({"1M"})),
        campus_code=offer.campus.code,
        acting_user=None,
    )
    do_save_need(
        cm.activity.uuid,
        NeedValues(1, 40, 1, 120, forbidden_times=frozenset({"0M"})),
        campus_code=offer.campus.code,
        acting_user=None,
    )
    for _ in range(4):
        EnrolmentFactory(student=student(), offer=offer, semester="A")
    with django_capture_on_commit_callbacks(execute=True):
        response = scolarite.post(
            DESIGN, {"year": str(offer.year), "semester": "A", "time_limit": "10", "seed": "1"}
        )
    assert response.status_code == 302
    run = TemplateRun.objects.get()
    assert run.status == "ready", run.figures
    assert run.figures["feasible"]
    assert run.figures["new_groups"] == 1
    body = text(scolarite.get(response["Location"]))
    assert "TP2" in body
    assert "nouveau groupe" in body
    assert scolarite.post(f"{DESIGN}{run.uuid}/publier/").status_code == 302
    tp2 = Group.objects.get(activity=activity, code="TP2")
    assert tp2.capacity == 20
    for slot in Slot.objects.filter(group__activity__offer=offer):
        start = slot.start.hour * 60 + slot.start.minute
        end = slot.end.hour * 60 + slot.end.minute
        assert end - start == 120
        forbidden = {"1M"} if slot.group.activity == activity else {"0M"}
        assert not touched(slot.day, start, end) & forbidden
    assert Notification.objects.filter(person_uuid=teacher.uuid).exists()
    entry = AuditEntry.objects.get(action="timetable.design.publish")
    assert entry.detail["new_groups"] == 1


def test_the_semester_list_searches_filters_and_exports(scolarite: Client, offer: Any) -> None:
    other = ue("MT90")
    group(other, "TD", "TD1", day=3, start=8, end=10)
    do_save_need(tp_of(offer).uuid, NeedValues(2, 20, 1, 120), campus_code="", acting_user=None)
    url = f"/emploi-du-temps/{offer.year}/A/besoins/"
    body = text(scolarite.get(url))
    assert "1 activités sur 3 ont leurs besoins" in body
    assert "MT90" in text(scolarite.get(url, {"state": "without"}))
    assert "MT90" not in text(scolarite.get(url, {"state": "with"}))
    assert "MT90" not in text(scolarite.get(url, {"q": "LO2"}))
    export = scolarite.get(f"/emploi-du-temps/{offer.year}/A/besoins.csv", {"state": "with"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["ue", "activite"]
    assert rows[1][:4] == ["LO21", "TP", "1", "2"]
    assert len(rows) == 2


def test_two_proposals_are_compared_side_by_side(scolarite: Client, offer: Any) -> None:
    tp = Slot.objects.get(group__code="TP1")
    first = TemplateRun.objects.create(
        year=offer.year,
        semester="A",
        status="ready",
        figures={"feasible": True, "moved": 1, "student_conflicts": 0},
        proposal={
            str(tp.uuid): {
                "group": str(tp.group.uuid),
                "label": "LO21 TP1",
                "slot": str(tp.uuid),
                "day": 2,
                "start": "10:00",
                "end": "12:00",
                "weeks": tp.weeks,
                "room": "INFO1",
            }
        },
    )
    second = TemplateRun.objects.create(
        year=offer.year, semester="A", status="ready", figures={"feasible": True, "moved": 0}
    )
    response = scolarite.get(
        f"{DESIGN}comparer/", {"first": str(first.uuid), "second": str(second.uuid)}
    )
    assert response.status_code == 200
    body = text(response)
    assert "1 séance placée différemment" in body
    assert "mer. 10:00–12:00 INFO1" in body
    same = scolarite.get(
        f"{DESIGN}comparer/", {"first": str(first.uuid), "second": str(first.uuid)}
    )
    assert same.status_code == 400
    assert "choisissez-en une autre" in text(same)


def test_an_overlapping_unavailability_is_refused_and_an_unchanged_travel_writes_nothing(
    offer: Any,
) -> None:
    from cartable.core.errors import DomainError
    from cartable.timetable.needs import do_add_unavailability, do_set_travel

    teacher = PersonFactory()
    do_add_unavailability(
        teacher.uuid, offer.year, "A", day=2, start="08:00", end="12:00", acting_user=None
    )
    with pytest.raises(DomainError, match="chevauche"):
        do_add_unavailability(
            teacher.uuid, offer.year, "A", day=2, start="11:00", end="13:00", acting_user=None
        )
    with pytest.raises(DomainError, match="Jour"):
        do_add_unavailability(
            teacher.uuid, offer.year, "A", day=6, start="08:00", end="09:00", acting_user=None
        )
    assert TeacherUnavailability.objects.count() == 1
    CampusFactory(code="sevenans")
    do_set_travel(offer.campus.code, "sevenans", "", acting_user=None)
    do_set_travel(offer.campus.code, "sevenans", "20", acting_user=None)
    do_set_travel(offer.campus.code, "sevenans", "20", acting_user=None)
    assert AuditEntry.objects.filter(action="timetable.travel.set").count() == 1


def test_a_need_reshapes_existing_groups_and_a_publication_supersedes_the_other_proposals(
    scolarite: Client, offer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from cartable.timetable.models import TeachingCalendar
    from cartable.timetable.weeks import parse

    activity = tp_of(offer)
    do_save_need(
        activity.uuid,
        NeedValues(1, 22, 1, 120, weeks="impaires", room_features="info"),
        campus_code=offer.campus.code,
        acting_user=None,
    )
    runs = []
    for seed in ("1", "2"):
        with django_capture_on_commit_callbacks(execute=True):
            scolarite.post(
                DESIGN, {"year": str(offer.year), "semester": "A", "time_limit": "5", "seed": seed}
            )
        runs.append(TemplateRun.objects.order_by("-created_at").first())
    first, second = runs
    assert first.status == "ready"
    tp = Slot.objects.get(group__activity=activity)
    entry = first.proposal[str(tp.uuid)]  # the weeks and places change, even in place
    teaching = TeachingCalendar.objects.get(year=offer.year, semester="A").teaching_weeks
    assert entry["weeks"] == parse("impaires", teaching)
    assert scolarite.post(f"{DESIGN}{first.uuid}/publier/").status_code == 302
    tp.refresh_from_db()
    assert tp.weeks == parse("impaires", teaching)
    assert tp.group.capacity == 22
    second.refresh_from_db()
    assert second.status == "superseded"
    refused = scolarite.post(f"{DESIGN}{second.uuid}/publier/", follow=True)
    assert "pas encore remplacée se publie" in text(refused)
    entry = AuditEntry.objects.get(action="timetable.design.publish")
    assert entry.detail["superseded_runs"] == 1
    assert entry.detail["sessions"][0]["label"] == "LO21 TP1"


def test_publishing_skips_a_group_deleted_since_the_computation(
    scolarite: Client, offer: Any
) -> None:
    tp = Slot.objects.get(group__code="TP1")
    run = TemplateRun.objects.create(
        year=offer.year,
        semester="A",
        status="ready",
        figures={"feasible": True},
        proposal={
            str(tp.uuid): {
                "group": str(tp.group.uuid),
                "label": "LO21 TP1",
                "slot": str(tp.uuid),
                "day": 2,
                "start": "10:00",
                "end": "12:00",
                "weeks": tp.weeks,
                "room": "INFO1",
            }
        },
    )
    tp.group.delete()
    assert scolarite.post(f"{DESIGN}{run.uuid}/publier/").status_code == 302
    run.refresh_from_db()
    assert run.status == "published"
    assert AuditEntry.objects.get(action="timetable.design.publish").detail["skipped"] == [
        "LO21 TP1"
    ]


def test_chosen_weeks_without_numbers_are_refused(scolarite: Client, offer: Any) -> None:
    activity = tp_of(offer)
    data = form(activity, pattern="explicit", explicit="")
    response = scolarite.post(f"{page(offer)}{activity.uuid}/", data)
    assert response.status_code == 400
    assert "Numéros des semaines choisies : obligatoires" in text(response)
    assert not ActivityNeed.objects.exists()


def test_proposals_of_two_semesters_are_not_compared(scolarite: Client, offer: Any) -> None:
    autumn = TemplateRun.objects.create(year=offer.year, semester="A", status="ready")
    spring = TemplateRun.objects.create(year=offer.year, semester="P", status="ready")
    response = scolarite.get(
        f"{DESIGN}comparer/", {"first": str(autumn.uuid), "second": str(spring.uuid)}
    )
    assert response.status_code == 400
    assert "du même semestre" in text(response)
