"""The demo campus shows competency certification at work: assessments from passed UEs, a
rule per framework, badges aligned with RNCP blocks, PIX and TOEIC scores, the demo student's
experiences and the badge her accepted project brought, and diploma requirements labelled as
assumptions."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cartable.certification import issuer
from cartable.certification.models import (
    Achievement,
    AggregationRule,
    Assessment,
    Certification,
    ExperienceClaim,
    IssuedBadge,
)
from cartable.competencies import api as competencies
from cartable.records.models import DiplomaRequirement
from cartable.records.profile import profile_of
from cartable.referential import api as referential

TINY = 0.02


@pytest.fixture
def campus(db: None) -> None:
    call_command("build_demo_campus", seed=2026, scale=TINY, stdout=io.StringIO())


def test_the_demo_certifies_competencies(campus: None) -> None:
    assert AggregationRule.objects.count() == len(competencies.frameworks())
    assert Achievement.objects.filter(kind="block").exists()
    assert Assessment.objects.filter(status="published").exists()
    assert Certification.objects.filter(test="pix").exists()
    assert DiplomaRequirement.objects.exists()
    assert not DiplomaRequirement.objects.filter(assumption=False).exists()


def test_the_demo_student_holds_a_verifiable_badge(campus: None) -> None:
    student = referential.person_uuid_for_login("etudiant")
    assert student is not None
    assert ExperienceClaim.objects.filter(student__uuid=student).count() == 2
    badge = IssuedBadge.objects.get(recipient__uuid=student)
    assert issuer.verify(badge.credential).valid
    alignments = badge.credential["credentialSubject"]["achievement"]["alignment"]
    assert {a["targetType"] for a in alignments} == {"ext:RNCPBlock", "CFItem"}
    results = profile_of(student).profile.results
    assert any(r.kind == "block" and r.met for r in results)
