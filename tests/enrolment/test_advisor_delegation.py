"""Delegated advisors: a programme head hands the advising of their programme's students in a
campaign to a teacher, who then advises them as the head does, and no one else."""

from __future__ import annotations

import html as entities
from typing import Any

import pytest
from django.test import Client

from cartable.core.models import AuditEntry
from cartable.enrolment.models import AdvisingNote, AdvisorDelegation
from tests.personas import Persona, login

from .campaigns import CampaignFactory, rule, student
from .test_advising_views import head_of, list_url, student_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(persona: Any) -> dict[str, Any]:
    campaign = CampaignFactory()
    rule(campaign, "INFO")
    rule(campaign, "MECA")
    return {
        "campaign": campaign,
        "head": head_of("INFO", persona("programme_head")),
        "teacher": persona("teacher"),
        "ada": student(civil_last_name="Lovelace"),
        "charles": student("MECA", civil_last_name="Babbage"),
    }


def client_of(who: Persona) -> Client:
    return login(Client(), who)


def page(response: Any) -> str:
    return entities.unescape(response.content.decode())


def delegate(who: Persona, campaign: Any, programme: str, login_name: str) -> Any:
    return client_of(who).post(
        f"/inscriptions/{campaign.code}/conseil/delegations/",
        {"programme": programme, "advisor": login_name},
    )


def test_a_delegated_teacher_advises_the_students_of_that_programme_only(
    world: dict[str, Any],
) -> None:
    campaign, teacher = world["campaign"], world["teacher"]
    response = delegate(world["head"], campaign, "INFO", teacher.person.login)
    assert response.status_code == 302
    html = page(client_of(teacher).get(list_url(campaign)))
    assert "LOVELACE" in html
    assert "BABBAGE" not in html
    assert "qui vous sont confiées : INFO" in html
    assert client_of(teacher).get(student_url(campaign, world["ada"])).status_code == 200
    assert client_of(teacher).get(student_url(campaign, world["charles"])).status_code == 404


def test_a_delegated_teacher_comments_and_validates(world: dict[str, Any]) -> None:
    campaign, teacher, ada = world["campaign"], world["teacher"], world["ada"]
    delegate(world["head"], campaign, "INFO", teacher.person.login)
    response = client_of(teacher).post(
        student_url(campaign, ada, "avis/"), {"kind": "validation", "text": "Bon semestre."}
    )
    assert response.status_code == 302
    note = AdvisingNote.objects.get()
    assert note.author == teacher.person
    assert note.kind == "validation"


def test_the_head_sees_and_revokes_the_delegation(world: dict[str, Any]) -> None:
    campaign, teacher = world["campaign"], world["teacher"]
    delegate(world["head"], campaign, "INFO", teacher.person.login)
    html = page(client_of(world["head"]).get(list_url(campaign)))
    assert "Conseillers délégués" in html
    assert teacher.person.civil_last_name.upper() in html.upper()
    delegation = AdvisorDelegation.objects.get()
    response = client_of(world["head"]).post(
        f"/inscriptions/{campaign.code}/conseil/delegations/{delegation.uuid}/retrait/"
    )
    assert response.status_code == 302
    assert not AdvisorDelegation.objects.exists()
    assert client_of(teacher).get(list_url(campaign)).status_code == 403


def test_a_delegation_ends_with_its_campaign(world: dict[str, Any]) -> None:
    teacher = world["teacher"]
    delegate(world["head"], world["campaign"], "INFO", teacher.person.login)
    other = CampaignFactory()
    rule(other, "INFO")
    assert client_of(teacher).get(list_url(other)).status_code == 200
    assert "LOVELACE" not in page(client_of(teacher).get(list_url(other)))


def test_a_head_cannot_delegate_a_programme_they_do_not_head(world: dict[str, Any]) -> None:
    response = delegate(world["head"], world["campaign"], "MECA", world["teacher"].person.login)
    assert response.status_code == 400
    assert not AdvisorDelegation.objects.exists()


@pytest.mark.parametrize(
    ("login_name", "reason"),
    [
        ("personne-inconnue", "Aucune personne n'a l'identifiant « personne-inconnue »."),
        ("student-persona", "n'a pas de contrat d'enseignant·e en cours"),
    ],
)
def test_a_delegation_to_someone_who_does_not_teach_is_refused_with_its_reason(
    world: dict[str, Any], persona: Any, login_name: str, reason: str
) -> None:
    persona("student")
    response = delegate(world["head"], world["campaign"], "INFO", login_name)
    assert response.status_code == 400
    html = page(response)
    assert reason in html
    assert f'value="{login_name}"' in html  # what was typed is kept
    assert not AdvisorDelegation.objects.exists()


def test_the_same_delegation_twice_is_refused(world: dict[str, Any]) -> None:
    login_name = world["teacher"].person.login
    delegate(world["head"], world["campaign"], "INFO", login_name)
    response = delegate(world["head"], world["campaign"], "INFO", login_name)
    assert response.status_code == 400
    assert "conseille déjà la formation INFO" in page(response)
    assert AdvisorDelegation.objects.count() == 1


def test_a_delegated_teacher_cannot_delegate_further(world: dict[str, Any], persona: Any) -> None:
    campaign, teacher = world["campaign"], world["teacher"]
    delegate(world["head"], campaign, "INFO", teacher.person.login)
    other = persona("ue_coordinator")
    assert delegate(teacher, campaign, "INFO", other.person.login).status_code == 403
    assert AdvisorDelegation.objects.count() == 1


def test_the_scolarite_delegates_any_programme(world: dict[str, Any], persona: Any) -> None:
    response = delegate(persona("scolarite"), world["campaign"], "MECA", "teacher-persona")
    assert response.status_code == 302
    assert AdvisorDelegation.objects.get().programme == "MECA"


def test_delegating_and_revoking_are_journaled(world: dict[str, Any]) -> None:
    campaign, teacher = world["campaign"], world["teacher"]
    delegate(world["head"], campaign, "INFO", teacher.person.login)
    delegation = AdvisorDelegation.objects.get()
    client_of(world["head"]).post(
        f"/inscriptions/{campaign.code}/conseil/delegations/{delegation.uuid}/retrait/"
    )
    entries = AuditEntry.objects.filter(subject_uuid=teacher.person.uuid).order_by("at")
    assert [e.action for e in entries] == [
        "enrolment.advising.delegate",
        "enrolment.advising.revoke",
    ]


def test_the_refusal_speaks_english(world: dict[str, Any]) -> None:
    client = client_of(world["head"])
    response = client.post(
        f"/inscriptions/{world['campaign'].code}/conseil/delegations/",
        {"programme": "INFO", "advisor": "nobody-here"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Nobody has the login “nobody-here”." in page(response)


def test_a_delegated_teacher_sees_the_progress_of_the_students_they_advise(
    world: dict[str, Any],
) -> None:
    teacher = world["teacher"]
    ada_profile = f"/dossier/etudiants/{world['ada'].uuid}/parcours/"
    assert client_of(teacher).get(ada_profile).status_code == 404
    delegate(world["head"], world["campaign"], "INFO", teacher.person.login)
    assert client_of(teacher).get(ada_profile).status_code == 200
    charles_profile = f"/dossier/etudiants/{world['charles'].uuid}/parcours/"
    assert client_of(teacher).get(charles_profile).status_code == 404


def test_the_delegation_no_longer_opens_dossiers_once_the_campaign_closed(
    world: dict[str, Any],
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    teacher, campaign = world["teacher"], world["campaign"]
    delegate(world["head"], campaign, "INFO", teacher.person.login)
    campaign.opens_at = timezone.now() - timedelta(days=30)
    campaign.advising_from = timezone.now() - timedelta(days=20)
    campaign.closes_at = timezone.now() - timedelta(days=1)
    campaign.save()
    response = client_of(teacher).get(f"/dossier/etudiants/{world['ada'].uuid}/parcours/")
    assert response.status_code == 404
