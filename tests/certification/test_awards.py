"""Badges issued automatically: for a validated block (see the assessments and claims tests),
for a passed UE once its jury is published, for a certification score reached; the scolarité
creates and switches these achievements on and off, and switching one on issues it to those
who already qualify, in the background."""

from __future__ import annotations

import html as entities
from typing import Any

import pytest
from django.test import Client

from cartable.certification import actions
from cartable.certification.models import Achievement, Certification, IssuedBadge
from cartable.core.models import AuditEntry, Job
from tests.personas import login
from tests.records.factories import JuryFactory, decide, graded, now_semester, registered_student

pytestmark = pytest.mark.django_db

RULES = "/certification/regles/"


@pytest.fixture
def scolarite(persona: Any) -> Client:
    return login(Client(), persona("scolarite"))


def ue_badge(code: str = "LO21", *, active: bool = True) -> Achievement:
    return Achievement.objects.create(
        code=f"ue-{code.lower()}",
        kind=Achievement.Kind.UE,
        ue_code=code,
        name=f"UE {code}",
        description="UE validée",
        criteria="Valider l'UE",
        active=active,
    )


def toeic_badge(*, active: bool = True) -> Achievement:
    return Achievement.objects.create(
        code="toeic-785",
        kind=Achievement.Kind.CERTIFICATION,
        certification="toeic",
        min_score=785,
        name="TOEIC 785",
        description="Score",
        criteria="785 au moins",
        active=active,
    )


def score(student: Any, value: int, test: str = "toeic", day: str = "2026-06-01") -> Certification:
    return Certification.objects.create(student=student, test=test, score=value, obtained_on=day)


def test_a_passed_ue_earns_its_badge_and_a_failed_one_does_not() -> None:
    ue_badge("LO21")
    ue_badge("IA41")
    student = registered_student()
    graded(student, "LO21", grade="B")
    graded(student, "IA41", grade="FX")
    issued = actions.award_badges(student.uuid, acting_user=None)
    assert [b.achievement.code for b in issued] == ["ue-lo21"]
    assert actions.award_badges(student.uuid, acting_user=None) == []  # held already


def test_a_score_earns_the_certification_badge_only_when_high_enough() -> None:
    toeic_badge()
    low, high = registered_student(), registered_student()
    score(low, 700)
    score(high, 640, day="2025-06-01")
    score(high, 800)  # the best score counts
    assert actions.award_badges(low.uuid, acting_user=None) == []
    assert len(actions.award_badges(high.uuid, acting_user=None)) == 1


def test_an_inactive_achievement_is_not_issued() -> None:
    toeic_badge(active=False)
    student = registered_student()
    score(student, 900)
    assert actions.award_badges(student.uuid, acting_user=None) == []


def test_publishing_a_jury_issues_the_ue_badges_in_the_background(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from cartable.records import actions as records

    ue_badge("LO21")
    student = registered_student()
    graded(student, "LO21", grade="A")
    year, semester = now_semester()
    jury = JuryFactory(year=year, semester=semester)
    decide(jury, student)
    with django_capture_on_commit_callbacks(execute=True):
        records.do_publish_jury(jury.uuid, acting_user=None)
    job = Job.objects.get(kind="certification.awards")
    assert job.status == "succeeded"
    assert job.result == {"students": 1, "issued": 1}
    assert IssuedBadge.objects.filter(recipient=student, achievement__code="ue-lo21").exists()


def test_no_award_job_when_no_ue_or_certification_badge_is_active() -> None:
    from cartable.records import actions as records

    student = registered_student()
    year, semester = now_semester()
    jury = JuryFactory(year=year, semester=semester)
    decide(jury, student)
    records.do_publish_jury(jury.uuid, acting_user=None)
    assert not Job.objects.filter(kind="certification.awards").exists()


def test_a_pix_import_issues_the_pix_badges(django_capture_on_commit_callbacks: Any) -> None:
    from cartable.certification import pix

    Achievement.objects.create(
        code="pix-300",
        kind=Achievement.Kind.CERTIFICATION,
        certification="pix",
        min_score=300,
        name="PIX 300",
        description="Score",
        criteria="300 au moins",
    )
    student = registered_student(student_number="21001234")
    lines = ["numero_etudiant;date;score", "21001234;2026-05-12;412"]
    with django_capture_on_commit_callbacks(execute=True):
        report = pix.do_import_pix("\n".join(lines), dry_run=False, acting_user=None)
    assert not report.errors, report.errors
    assert IssuedBadge.objects.filter(recipient=student, achievement__code="pix-300").exists()


def test_the_scolarite_creates_a_ue_badge_issued_to_those_who_qualify(
    scolarite: Client, django_capture_on_commit_callbacks: Any
) -> None:
    student = registered_student()
    graded(student, "LO21", grade="C")
    with django_capture_on_commit_callbacks(execute=True):
        response = scolarite.post(RULES + "badges/", {"kind": "ue", "ue_code": "lo21"})
    assert response.status_code == 302
    achievement = Achievement.objects.get(code="ue-lo21")
    assert achievement.active
    assert "LO21" in achievement.criteria
    assert AuditEntry.objects.filter(action="certification.achievement.create").exists()
    assert IssuedBadge.objects.filter(recipient=student, achievement=achievement).exists()
    page = entities.unescape(scolarite.get(RULES).content.decode())
    assert "UE LO21 validée" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "ue", "ue_code": "ZZ99"}, "UE inconnue du catalogue : ZZ99"),
        ({"kind": "certification", "test": "toeic", "min_score": "2000"}, "va de 10 à 990"),
        ({"kind": "certification", "test": "", "min_score": "500"}, "Test inconnu"),
    ],
)
def test_a_wrong_badge_is_refused_with_its_reason(
    scolarite: Client, data: dict[str, str], message: str
) -> None:
    response = scolarite.post(RULES + "badges/", data)
    assert response.status_code == 400
    assert message in entities.unescape(response.content.decode())
    assert not Achievement.objects.exists()


def test_switching_a_badge_on_issues_it_and_off_keeps_what_was_issued(
    scolarite: Client, django_capture_on_commit_callbacks: Any
) -> None:
    achievement = toeic_badge(active=False)
    student = registered_student()
    score(student, 850)
    url = f"{RULES}badges/{achievement.uuid}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert scolarite.post(url, {"active": "1"}).status_code == 302
    assert IssuedBadge.objects.filter(recipient=student, revoked_at=None).count() == 1
    assert scolarite.post(url, {"active": "0"}).status_code == 302
    achievement.refresh_from_db()
    assert not achievement.active
    assert IssuedBadge.objects.filter(recipient=student, revoked_at=None).count() == 1
    assert AuditEntry.objects.filter(action="certification.achievement.deactivate").exists()
