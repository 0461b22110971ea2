"""Learning outside courses: a student submits an experience with checked evidence files and
the competencies it claims; a referent of their programme accepts (adjusting levels and credits
within the rules) or refuses with a comment; accepted claims count in the levels."""

from __future__ import annotations

import html as entities
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cartable.certification.levels import levels_of
from cartable.certification.models import (
    Certification,
    ClaimFile,
    CreditRule,
    ExperienceClaim,
)
from cartable.core.models import AuditEntry
from tests.catalogue.factories import ProgrammeFactory
from tests.competencies.factories import BlockFactory, CompetencyFactory, LevelFactory
from tests.personas import Persona, login

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(persona: Any) -> dict[str, Any]:
    student = persona("student")  # registered in no programme: only the scolarité decides
    block = BlockFactory(code="BC01", title="Communiquer")
    for rank in (1, 2, 3, 4):
        LevelFactory(framework=block.framework, rank=rank)
    competency = CompetencyFactory(block=block, code="C7", title="Travailler en équipe")
    return {"student": student, "competency": competency, "block": block}


def client_of(who: Persona) -> Client:
    return login(Client(), who)


def page(response: Any) -> str:
    return entities.unescape(response.content.decode())


def submit(world: dict[str, Any], **overrides: Any) -> Any:
    data = {
        "kind": "association",
        "title": "Trésorière du BDE",
        "organisation": "BDE UTBM",
        "start_date": "2025-09-01",
        "end_date": "2026-06-30",
        "description": "Budget de 40 000 €, équipe de 12 bénévoles.",
        "competency_1": str(world["competency"].uuid),
        "level_1": "3",
        "credits_requested": "2",
        "evidence_files": [SimpleUploadedFile("attestation.pdf", PDF)],
        **overrides,
    }
    return client_of(world["student"]).post("/certification/experiences/nouvelle/", data)


def test_a_student_submits_an_experience_with_its_evidence(world: dict[str, Any]) -> None:
    response = submit(world)
    assert response.status_code == 302
    claim = ExperienceClaim.objects.get()
    assert claim.status == "submitted"
    stored = ClaimFile.objects.get()
    assert stored.content_type == "application/pdf"
    assert stored.file.read() == PDF
    html = page(client_of(world["student"]).get("/certification/experiences/"))
    assert "Trésorière du BDE" in html


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf"), "n'est ni un PDF"),
        (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), "dépasse 5 Mio"),
    ],
)
def test_a_file_of_the_wrong_type_or_size_is_refused_and_nothing_is_kept(
    world: dict[str, Any], upload: Any, reason: str
) -> None:
    response = submit(world, evidence_files=[upload])
    assert response.status_code == 400
    html = page(response)
    assert reason in html
    assert 'value="Trésorière du BDE"' in html  # what was typed is kept
    assert not ExperienceClaim.objects.exists()
    assert not ClaimFile.objects.exists()


def test_a_level_outside_the_scale_is_refused(world: dict[str, Any]) -> None:
    response = submit(world, level_1="7")
    assert response.status_code == 400
    assert "niveau 7 hors de l'échelle" in page(response)


def test_the_scolarite_accepts_and_the_level_counts(world: dict[str, Any], persona: Any) -> None:
    CreditRule.objects.create(kind="association", max_credits=Decimal(2), category="HP")
    submit(world)
    claim = ExperienceClaim.objects.get()
    key = world["competency"].uuid
    response = client_of(persona("scolarite")).post(
        f"/certification/experiences/{claim.uuid}/",
        {"decision": "accept", f"granted_{key}": "2", "credits": "2", "comment": "Bravo"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "accepted"
    assert claim.credits_granted == Decimal(2)
    levels = {lv.competency.code: lv for lv in levels_of(world["student"].person.uuid)}
    assert levels["C7"].rank == 2
    assert levels["C7"].counted[0].source == "Trésorière du BDE"


def test_credits_beyond_the_rule_are_refused(world: dict[str, Any], persona: Any) -> None:
    CreditRule.objects.create(kind="association", max_credits=Decimal(2), category="HP")
    submit(world)
    claim = ExperienceClaim.objects.get()
    response = client_of(persona("scolarite")).post(
        f"/certification/experiences/{claim.uuid}/",
        {"decision": "accept", "credits": "4", "comment": ""},
    )
    assert response.status_code == 400
    assert "2 crédits au plus" in page(response) or "2.0 crédits au plus" in page(response)
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_a_refusal_needs_a_comment(world: dict[str, Any], persona: Any) -> None:
    submit(world)
    claim = ExperienceClaim.objects.get()
    response = client_of(persona("scolarite")).post(
        f"/certification/experiences/{claim.uuid}/", {"decision": "refuse", "comment": ""}
    )
    assert response.status_code == 400
    assert "le commentaire est obligatoire" in page(response)


def test_an_accepted_certification_goes_on_the_record(world: dict[str, Any], persona: Any) -> None:
    submit(world, kind="certification", test="toeic", score="820", competency_1="", level_1="")
    claim = ExperienceClaim.objects.get()
    client_of(persona("scolarite")).post(
        f"/certification/experiences/{claim.uuid}/", {"decision": "accept", "comment": ""}
    )
    assert Certification.objects.get().score == 820


@pytest.mark.parametrize("who", ["teacher", "programme_head", "dsin_admin"])
def test_a_claim_does_not_exist_for_those_who_do_not_decide_it(
    world: dict[str, Any], persona: Any, who: str
) -> None:
    submit(world)
    claim = ExperienceClaim.objects.get()
    assert (
        client_of(persona(who)).get(f"/certification/experiences/{claim.uuid}/").status_code == 404
    )


def test_the_head_of_the_students_programme_decides(world: dict[str, Any], persona: Any) -> None:
    from tests.factories import ContractFactory, PopulationFactory

    head = persona("programme_head")
    ProgrammeFactory(code="GI", head=head.person)
    ContractFactory(
        person=world["student"].person, population=PopulationFactory(code="student"), programme="GI"
    )
    submit(world)
    claim = ExperienceClaim.objects.get()
    assert client_of(head).get(f"/certification/experiences/{claim.uuid}/").status_code == 200
    html = page(client_of(head).get("/certification/experiences/a-traiter/"))
    assert "Trésorière du BDE" in html


def test_a_referent_downloading_a_file_is_journaled(world: dict[str, Any], persona: Any) -> None:
    submit(world)
    claim = ExperienceClaim.objects.get()
    stored = ClaimFile.objects.get()
    response = client_of(persona("scolarite")).get(
        f"/certification/experiences/{claim.uuid}/fichiers/{stored.uuid}"
    )
    assert b"".join(response.streaming_content) == PDF
    assert AuditEntry.objects.filter(
        action="certification.claim.file", subject_uuid=world["student"].person.uuid
    ).exists()


def test_the_queue_filters_and_searches(world: dict[str, Any], persona: Any) -> None:
    submit(world)
    submit(world, title="Stage ouvrier", kind="internship")
    scolarite = client_of(persona("scolarite"))
    html = page(scolarite.get("/certification/experiences/a-traiter/?type=internship"))
    assert "Stage ouvrier" in html
    assert "Trésorière" not in html
    html = page(scolarite.get("/certification/experiences/a-traiter/?q=tréso"))
    assert "Trésorière du BDE" in html
