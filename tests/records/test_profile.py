"""The diploma profile from a student's records: their requirements, what counts, the what-if,
the suggestions of catalogue UEs, who sees it, and the recomputation of every profile."""

from __future__ import annotations

import html as entities
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from cartable.certification.models import Certification
from cartable.core.models import AuditEntry, Job
from cartable.records import profile
from cartable.records.models import DiplomaRequirement, ProfileSnapshot
from tests.personas import Persona, login
from tests.records.factories import (
    EquivalenceFactory,
    InternshipFactory,
    RequirementFactory,
    graded,
    now_semester,
    registered_student,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada() -> Any:
    student = registered_student(civil_last_name="Lovelace")
    year = now_semester()[0]
    RequirementFactory(categories="CS", min_credits=Decimal(12), label="Crédits CS")
    RequirementFactory(categories="CS,TM", min_credits=Decimal(30), label="Crédits CS+TM")
    DiplomaRequirement.objects.create(
        programme="INFO",
        catalogue_year=year,
        kind="certification",
        params={"test": "toeic", "min_score": 785},
        label="TOEIC 785",
        assumption=True,
        order=1,
    )
    DiplomaRequirement.objects.create(
        programme="INFO",
        catalogue_year=year,
        kind="internships",
        params={"count": 1, "min_weeks": 4},
        label="Un stage",
        order=2,
    )
    graded(student, "LO21", category="CS", credits="6")
    graded(student, "IA41", category="CS", credits="6", grade="")  # not graded: not counted
    EquivalenceFactory(student=student, category="TM", credits=Decimal(12))
    return student


def by_label(view: profile.ProfileView) -> dict[str, Any]:
    return {r.label: r for r in view.profile.results}


def test_the_profile_counts_passed_ues_equivalences_and_scores(ada: Any) -> None:
    found = by_label(profile.profile_of(ada.uuid))
    assert found["Crédits CS"].have == Decimal(6)
    assert found["Crédits CS+TM"].have == Decimal(18)
    assert not found["TOEIC 785"].met
    assert not found["Un stage"].met
    Certification.objects.create(student=ada, test="toeic", score=800, obtained_on="2026-05-01")
    InternshipFactory(student=ada, weeks=6)
    found = by_label(profile.profile_of(ada.uuid))
    assert found["TOEIC 785"].met
    assert found["Un stage"].met


def test_a_what_if_adds_planned_ues_without_changing_the_record(ada: Any) -> None:
    from tests.enrolment.campaigns import ue

    ue("MT90", credits="6", category="CS", year=now_semester()[0])
    view = profile.profile_of(ada.uuid, planned=("MT90", "XX99"))
    result = by_label(view)["Crédits CS"]
    assert result.state == "met_if_planned"
    assert view.what_if
    assert view.unknown_planned == ("XX99",)
    assert not ProfileSnapshot.objects.exists()


def test_an_unmet_requirement_suggests_ues_of_the_catalogue(ada: Any) -> None:
    from tests.enrolment.campaigns import ue

    ue("SY40", credits="6", category="CS", year=now_semester()[0])
    view = profile.profile_of(ada.uuid)
    index = [r.label for r in view.profile.results].index("Crédits CS")
    assert "SY40" in [s.ue_code for s in view.suggestions[index]]


def test_the_student_sees_their_page_with_the_gaps(ada: Any) -> None:
    me = Persona("student", ada, privileged=False)
    html = entities.unescape(login(Client(), me).get("/dossier/parcours/").content.decode())
    assert "Avancement vers le diplôme" in html
    assert "Il vous manque 6 crédits en CS." in html
    assert "(valeur supposée)" in html


def test_the_page_simulates_planned_ues(ada: Any) -> None:
    me = Persona("student", ada, privileged=False)
    html = entities.unescape(
        login(Client(), me).get("/dossier/parcours/?planned=ZZ12").content.decode()
    )
    assert "Simulation :" in html
    assert "ZZ12" in html


def test_the_scolarite_sees_a_students_profile_journaled(ada: Any, persona: Any) -> None:
    response = login(Client(), persona("scolarite")).get(f"/dossier/etudiants/{ada.uuid}/parcours/")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="records.profile.read", subject_uuid=ada.uuid).exists()


@pytest.mark.parametrize("who", ["teacher", "student", "programme_head"])
def test_a_profile_does_not_exist_for_others(ada: Any, persona: Any, who: str) -> None:
    response = login(Client(), persona(who)).get(f"/dossier/etudiants/{ada.uuid}/parcours/")
    assert response.status_code == 404


def test_recomputing_every_profile_runs_as_a_job_with_progress(
    ada: Any, persona: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(Client(), persona("scolarite"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dossier/profils/recalcul/")
    assert response.status_code == 302
    job = Job.objects.get(kind="records.profiles")
    assert job.status == "succeeded"
    assert job.progress == 1.0
    assert job.result["students"] >= 1
    snapshot = ProfileSnapshot.objects.get(student=ada)
    assert (snapshot.met, snapshot.total) == (0, 4)
    html = entities.unescape(client.get("/dossier/profils/").content.decode())
    assert "profils calculés" in html


def test_publishing_a_jury_recomputes_the_profiles(
    ada: Any, persona: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from cartable.records import actions
    from tests.records.factories import JuryFactory, decide

    year, semester = now_semester()
    jury = JuryFactory(year=year, semester=semester)
    decide(jury, ada)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_publish_jury(jury.uuid, acting_user=None)
    assert Job.objects.get(kind="records.profiles").status == "succeeded"
    assert ProfileSnapshot.objects.filter(student=ada).exists()


def test_two_publications_before_the_recomputation_runs_make_one_job(ada: Any) -> None:
    from cartable.records import actions
    from tests.records.factories import JuryFactory, decide

    year, semester = now_semester()
    for programme in ("INFO", "MECA"):
        jury = JuryFactory(year=year, semester=semester, programme=programme)
        decide(jury, ada)
        actions.do_publish_jury(jury.uuid, acting_user=None)
    assert Job.objects.filter(kind="records.profiles").count() == 1
