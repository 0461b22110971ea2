"""Assessment by competency in a UE: the grid, its rules (who enters, who publishes, the scale),
CSV import, the student's levels under each framework's aggregation rule, and the block badge
that follows."""

from __future__ import annotations

import html as entities
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cartable.certification.models import (
    AggregationRule,
    Assessment,
    IssuedBadge,
)
from cartable.core.models import AuditEntry
from tests.catalogue.factories import ContributionFactory, OfferFactory, UEFactory
from tests.competencies.factories import BlockFactory, CompetencyFactory, LevelFactory
from tests.enrolment.factories import EnrolmentFactory, student_person
from tests.personas import Persona, login

from .factories import AchievementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(persona: Any) -> dict[str, Any]:
    teacher = persona("teacher")
    block = BlockFactory(code="RNCP99901BC01", title="Concevoir un SI")
    for rank in (1, 2, 3, 4):
        LevelFactory(framework=block.framework, rank=rank)
    first = CompetencyFactory(block=block, code="C1", title="Modéliser")
    second = CompetencyFactory(block=block, code="C2", title="Programmer")
    offer = OfferFactory(ue=UEFactory(code="LO21"), responsible=teacher.person)
    for competency in (first, second):
        ContributionFactory(
            offer=offer,
            competency=competency,
            level=LevelFactory(framework=block.framework, rank=3),
        )
    ada = student_person(civil_last_name="Lovelace", student_number="20260001")
    EnrolmentFactory(offer=offer, student=ada)
    return {
        "teacher": teacher,
        "block": block,
        "c1": first,
        "c2": second,
        "offer": offer,
        "ada": ada,
    }


def client_of(who: Persona) -> Client:
    return login(Client(), who)


def url(offer: Any, suffix: str = "") -> str:
    return f"/tableau-ue/{offer.uuid}/competences/{suffix}"


def cell(world: dict[str, Any], competency: str) -> str:
    return f"l-{world['ada'].uuid}-{world[competency].uuid}"


def page(response: Any) -> str:
    return entities.unescape(response.content.decode())


def enter(world: dict[str, Any], c1: str, c2: str, who: Persona | None = None) -> Any:
    return client_of(who or world["teacher"]).post(
        url(world["offer"]),
        {
            cell(world, "c1"): c1,
            cell(world, "c2"): c2,
            f"e-{world['ada'].uuid}": "Projet final",
            f"c-{world['ada'].uuid}": "Très bon travail",
        },
    )


def test_the_grid_lists_the_students_and_the_competencies_of_the_ue(
    world: dict[str, Any],
) -> None:
    html = page(client_of(world["teacher"]).get(url(world["offer"])))
    assert "LOVELACE" in html
    assert "Modéliser" in html
    assert "Programmer" in html


def test_the_teacher_saves_drafts_with_evidence_and_comment(world: dict[str, Any]) -> None:
    assert enter(world, "3", "2").status_code == 302
    saved = {a.competency_uuid: a for a in Assessment.objects.all()}
    assert saved[world["c1"].uuid].level_rank == 3
    assert saved[world["c2"].uuid].level_rank == 2
    assert all(a.status == "draft" for a in saved.values())
    assert saved[world["c1"].uuid].evidence == "Projet final"
    assert saved[world["c1"].uuid].assessor == world["teacher"].person


def test_a_level_outside_the_scale_is_refused_and_nothing_is_saved(
    world: dict[str, Any],
) -> None:
    response = enter(world, "3", "9")
    assert response.status_code == 400
    assert "Niveau inconnu : l'échelle va de 1 à 4." in page(response)
    assert not Assessment.objects.exists()


def test_publishing_makes_the_level_visible_to_the_student(
    world: dict[str, Any], persona: Any
) -> None:
    enter(world, "3", "2")
    assert client_of(world["teacher"]).post(url(world["offer"], "publier/")).status_code == 302
    assert set(Assessment.objects.values_list("status", flat=True)) == {"published"}
    ada = Persona("student", world["ada"], privileged=False)
    html = page(client_of(ada).get("/certification/mes-competences/"))
    assert "C1 — Modéliser" in html
    assert "LO21" in html


def test_a_draft_is_not_visible_to_the_student(world: dict[str, Any]) -> None:
    enter(world, "3", "2")
    ada = Persona("student", world["ada"], privileged=False)
    html = page(client_of(ada).get("/certification/mes-competences/"))
    assert "Aucune évaluation de compétence publiée" in html


def test_a_team_member_may_enter_but_not_publish(world: dict[str, Any], persona: Any) -> None:
    from tests.catalogue.factories import TeachingAssignmentFactory

    member = persona("ue_coordinator")
    TeachingAssignmentFactory(offer=world["offer"], person=member.person)
    assert enter(world, "2", "2", member).status_code == 302
    assert client_of(member).post(url(world["offer"], "publier/")).status_code == 403


def test_a_published_assessment_is_changed_only_by_the_responsible(
    world: dict[str, Any], persona: Any
) -> None:
    from tests.catalogue.factories import TeachingAssignmentFactory

    member = persona("ue_coordinator")
    TeachingAssignmentFactory(offer=world["offer"], person=member.person)
    enter(world, "3", "2")
    client_of(world["teacher"]).post(url(world["offer"], "publier/"))
    response = enter(world, "4", "2", member)
    assert response.status_code == 400
    assert "seul·e le ou la responsable" in page(response)
    assert enter(world, "4", "2").status_code == 302


@pytest.mark.parametrize("who", ["student", "ue_coordinator", "dsin_admin"])
def test_the_grid_of_an_offer_does_not_exist_for_others(
    world: dict[str, Any], persona: Any, who: str
) -> None:
    assert client_of(persona(who)).get(url(world["offer"])).status_code == 404


def test_the_scolarite_reads_and_enters(world: dict[str, Any], persona: Any) -> None:
    assert enter(world, "1", "1", persona("scolarite")).status_code == 302


def test_viewing_the_grid_is_journaled(world: dict[str, Any]) -> None:
    client_of(world["teacher"]).get(url(world["offer"]))
    assert AuditEntry.objects.filter(
        action="certification.assessments.read", subject_uuid=world["ada"].uuid
    ).exists()


def test_a_csv_import_records_every_line_or_none(world: dict[str, Any]) -> None:
    good = "numero_etudiant;competence;niveau;preuve;commentaire\n20260001;C1;N3;Rapport;\n"
    response = client_of(world["teacher"]).post(
        url(world["offer"], "import/"),
        {"file": SimpleUploadedFile("eval.csv", good.encode())},
    )
    assert response.status_code == 302
    assert Assessment.objects.get().level_rank == 3
    bad = "numero_etudiant;competence;niveau\n20260001;C2;2\n99999999;C1;2\n20260001;C9;2\n"
    response = client_of(world["teacher"]).post(
        url(world["offer"], "import/"),
        {"file": SimpleUploadedFile("eval.csv", bad.encode())},
    )
    assert response.status_code == 400
    html = page(response)
    assert "ligne 3, numero_etudiant « 99999999 »" in html
    assert "ligne 4, competence « C9 »" in html
    assert Assessment.objects.count() == 1


def test_levels_follow_the_frameworks_rule(world: dict[str, Any]) -> None:
    from cartable.certification.levels import levels_of

    second = OfferFactory(ue=UEFactory(code="LO22"), responsible=world["teacher"].person)
    ContributionFactory(
        offer=second,
        competency=world["c1"],
        level=LevelFactory(framework=world["block"].framework, rank=2),
    )
    EnrolmentFactory(offer=second, student=world["ada"])
    enter(world, "4", "2")
    client_of(world["teacher"]).post(url(world["offer"], "publier/"))
    client_of(world["teacher"]).post(
        url(second), {f"l-{world['ada'].uuid}-{world['c1'].uuid}": "2"}
    )
    client_of(world["teacher"]).post(url(second, "publier/"))
    first = {lv.competency.code: lv.rank for lv in levels_of(world["ada"].uuid)}
    assert first["C1"] == 4  # highest, the default
    AggregationRule.objects.create(framework_uuid=world["block"].framework.uuid, method="latest")
    assert {lv.competency.code: lv.rank for lv in levels_of(world["ada"].uuid)}["C1"] == 2
    AggregationRule.objects.filter().update(method="concordant", min_concordant=2)
    assert {lv.competency.code: lv.rank for lv in levels_of(world["ada"].uuid)}["C1"] == 2


def test_validating_every_competency_of_a_block_issues_its_badge(world: dict[str, Any]) -> None:
    AchievementFactory(code="bloc-si", block_uuid=world["block"].uuid, required_rank=3)
    enter(world, "3", "2")
    client_of(world["teacher"]).post(url(world["offer"], "publier/"))
    assert not IssuedBadge.objects.exists()  # C2 is at 2, the block needs 3
    enter(world, "3", "3")
    client_of(world["teacher"]).post(url(world["offer"], "publier/"))
    badge = IssuedBadge.objects.get()
    assert badge.recipient == world["ada"]
    assert badge.achievement.code == "bloc-si"


def test_the_scolarite_sets_a_frameworks_rule_and_levels_follow(
    world: dict[str, Any], persona: Any
) -> None:
    enter(world, "3", "2")
    client_of(world["teacher"]).post(url(world["offer"], "publier/"))
    framework = world["block"].framework.uuid
    response = client_of(persona("scolarite")).post(
        f"/certification/regles/referentiels/{framework}/",
        {f"{framework}-method": "concordant", f"{framework}-min_concordant": "2"},
    )
    assert response.status_code == 302
    rule = AggregationRule.objects.get(framework_uuid=framework)
    assert (rule.method, rule.min_concordant) == ("concordant", 2)
    assert AuditEntry.objects.filter(action="certification.aggregation_rule.set").exists()
    from cartable.certification.levels import levels_of

    # one assessment per competency: two concordant ones are needed, so no level yet
    assert {lv.competency.code: lv.rank for lv in levels_of(world["ada"].uuid)} == {
        "C1": None,
        "C2": None,
    }


def test_a_credit_rule_is_refused_with_its_reason(persona: Any) -> None:
    response = client_of(persona("scolarite")).post(
        "/certification/regles/credits/",
        {"kind": "association", "max_credits": "-1", "category": "om"},
    )
    assert response.status_code == 400
    assert "supérieure ou égale à 0" in page(response)
