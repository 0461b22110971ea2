"""Advising screens: an advisor sees the students of their scope against the rules, comments,
validates, reopens, and overrides a refusal with a reason; everything else is refused."""

from __future__ import annotations

import csv
import html as entities
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.core.models import AuditEntry
from cartable.enrolment import actions
from cartable.enrolment.models import AdvisingNote, Enrolment, StudentChoice
from tests.catalogue.factories import ProgrammeFactory, UEPrerequisiteFactory
from tests.personas import Persona, login

from .campaigns import CampaignFactory, rule, student, ue

pytestmark = pytest.mark.django_db


def head_of(programme: str, persona: Persona) -> Persona:
    """Make the persona head of ``programme`` in this year's catalogue."""
    made = ProgrammeFactory(code=programme)
    made.head = persona.person
    made.save()
    return persona


@pytest.fixture
def head(persona: Any) -> Persona:
    return head_of("INFO", persona("programme_head"))


def client_of(who: Persona) -> Client:
    return login(Client(), who)


def text(response: Any) -> str:
    assert response.status_code == 200
    return entities.unescape(response.content.decode())


def list_url(campaign: Any, query: str = "") -> str:
    return f"/inscriptions/{campaign.code}/conseil/{query}"


def student_url(campaign: Any, person: Any, suffix: str = "") -> str:
    return f"/inscriptions/{campaign.code}/conseil/{person.uuid}/{suffix}"


def choose(campaign: Any, person: Any, code: str) -> None:
    assert actions.do_choose_ue(campaign.code, person.uuid, code, acting_user=None).accepted


# --- the list --------------------------------------------------------------------------------


def test_a_programme_head_sees_the_students_of_their_programme_only(head: Persona) -> None:
    campaign = CampaignFactory()
    student(civil_last_name="Lovelace")
    student("MECA", civil_last_name="Babbage")
    html = text(client_of(head).get(list_url(campaign)))
    assert "LOVELACE" in html
    assert "BABBAGE" not in html
    assert "formations que vous dirigez ou qui vous sont confiées : INFO" in html


def test_the_scolarite_sees_every_student(persona: Any) -> None:
    campaign = CampaignFactory()
    student(civil_last_name="Lovelace")
    student("MECA", civil_last_name="Babbage")
    html = text(client_of(persona("scolarite")).get(list_url(campaign)))
    assert "LOVELACE" in html
    assert "BABBAGE" in html


def test_the_list_shows_credits_ues_rules_and_status(head: Persona) -> None:
    campaign = CampaignFactory()
    rule(campaign, low="12", mandatory=("MT42",))
    ue("LO41")
    ue("MT42")
    ada = student(civil_last_name="Lovelace")
    choose(campaign, ada, "LO41")
    html = text(client_of(head).get(list_url(campaign)))
    assert "(LO41)" in html
    assert "2 règles non respectées" in html
    assert "UE obligatoire MT42 : manquante" in html
    assert "En cours" in html


def test_the_list_filters_the_semesters_with_problems(head: Persona) -> None:
    campaign = CampaignFactory()
    rule(campaign, low="6")
    ue("LO41")
    done = student(civil_last_name="Lovelace")
    choose(campaign, done, "LO41")
    student(civil_last_name="Turing")
    html = text(client_of(head).get(list_url(campaign, "?problemes=on")))
    assert "TURING" in html
    assert "LOVELACE" not in html


def test_the_list_filters_by_status_and_searches_names(head: Persona) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student(civil_last_name="Lovelace")
    alan = student(civil_last_name="Turing")
    choose(campaign, ada, "LO41")
    choose(campaign, alan, "LO41")
    client = client_of(head)
    client.post(student_url(campaign, ada, "avis/"), {"kind": "validation"})
    validated = text(client.get(list_url(campaign, "?etat=validated")))
    assert "LOVELACE" in validated
    assert "TURING" not in validated
    found = text(client.get(list_url(campaign, "?q=turi")))
    assert "TURING" in found
    assert "LOVELACE" not in found


def test_the_list_filters_by_programme(persona: Any) -> None:
    campaign = CampaignFactory()
    student(civil_last_name="Lovelace")
    student("MECA", civil_last_name="Babbage")
    html = text(client_of(persona("scolarite")).get(list_url(campaign, "?formation=MECA")))
    assert "BABBAGE" in html
    assert "LOVELACE" not in html


def test_viewing_the_list_is_journaled_for_each_student_shown(head: Persona) -> None:
    campaign = CampaignFactory()
    ada = student()
    client_of(head).get(list_url(campaign))
    entry = AuditEntry.objects.get(action="enrolment.advising.list")
    assert entry.subject_uuid == ada.uuid


def test_the_list_exports_as_csv_with_the_same_filters(head: Persona) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student(civil_last_name="Lovelace", student_number="21001234")
    student(civil_last_name="Turing")
    choose(campaign, ada, "LO41")
    response = client_of(head).get(f"/inscriptions/{campaign.code}/conseil.csv?q=lovelace")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["nom", "prenom", "numero_etudiant"]
    assert len(rows) == 2
    assert rows[1][2] == "21001234"
    assert rows[1][7] == "LO41"
    assert AuditEntry.objects.filter(action="enrolment.advising.export", kind="export").exists()


def test_the_advising_list_costs_the_same_whatever_the_number_of_students(
    head: Persona,
) -> None:
    campaign = CampaignFactory()
    rule(campaign, low="6", mandatory=("LO41",))
    ue("LO41")
    ue("MT42", category="TM")
    for _n in range(2):
        choose(campaign, student(), "LO41")
    client = client_of(head)
    client.get(list_url(campaign))
    with CaptureQueriesContext(connection) as few:
        text(client.get(list_url(campaign)))
    for _n in range(5):
        someone = student()
        choose(campaign, someone, "LO41")
        choose(campaign, someone, "MT42")
    with CaptureQueriesContext(connection) as many:
        text(client.get(list_url(campaign)))
    assert len(many) == len(few)


# --- scope and roles -------------------------------------------------------------------------


def test_a_head_of_another_programme_does_not_see_the_student(persona: Any) -> None:
    campaign = CampaignFactory()
    other = head_of("MECA", persona("programme_head"))
    ada = student()
    assert client_of(other).get(student_url(campaign, ada)).status_code == 404


def test_a_head_of_another_programme_cannot_advise_the_student(persona: Any) -> None:
    campaign = CampaignFactory()
    other = head_of("MECA", persona("programme_head"))
    ada = student()
    response = client_of(other).post(student_url(campaign, ada, "avis/"), {"kind": "validation"})
    assert response.status_code == 404
    assert not AdvisingNote.objects.exists()


def test_a_teacher_may_not_see_the_advising_list(persona: Any) -> None:
    campaign = CampaignFactory()
    student()
    assert client_of(persona("teacher")).get(list_url(campaign)).status_code == 403


def test_a_students_semester_does_not_exist_for_a_teacher(persona: Any) -> None:
    campaign = CampaignFactory()
    ada = student()
    assert client_of(persona("teacher")).get(student_url(campaign, ada)).status_code == 404


def test_a_student_outside_the_campaign_population_is_not_found(persona: Any) -> None:
    campaign = CampaignFactory(population="apprentice")
    ada = student()
    assert client_of(persona("scolarite")).get(student_url(campaign, ada)).status_code == 404


# --- one student -----------------------------------------------------------------------------


def test_the_advisor_sees_the_students_semester_against_the_rules(head: Persona) -> None:
    campaign = CampaignFactory()
    rule(campaign, low="12")
    ue("LO41", capacity=1)
    ue("MT42")
    ada = student(civil_first_name="Ada", civil_last_name="Lovelace")
    choose(campaign, ada, "MT42")
    choose(campaign, student(), "LO41")
    actions.do_join_waitlist(campaign.code, ada.uuid, "LO41", acting_user=None)
    html = text(client_of(head).get(student_url(campaign, ada)))
    assert "Ada LOVELACE" in html
    assert "✗ Non respecté :</strong> 6 crédits (attendu : de 12 à 36)" in html
    assert "MT42" in html
    assert "LO41 — " in html
    assert "n° 1" in html


def test_viewing_a_students_semester_is_journaled(head: Persona) -> None:
    campaign = CampaignFactory()
    ada = student()
    client_of(head).get(student_url(campaign, ada))
    entry = AuditEntry.objects.get(action="enrolment.advising.student")
    assert entry.subject_uuid == ada.uuid
    assert entry.actor_person_uuid == head.person.uuid


def test_the_advisor_validates_the_semester(head: Persona) -> None:
    campaign = CampaignFactory()
    ada = student()
    client = client_of(head)
    response = client.post(student_url(campaign, ada, "avis/"), {"kind": "validation"})
    assert response.status_code == 302
    html = text(client.get(response["Location"]))
    assert "Semestre validé." in html
    assert "Rouvrir le semestre" in html
    choice = StudentChoice.objects.get(student=ada)
    assert choice.status == StudentChoice.Status.VALIDATED
    assert choice.validated_by == head.person


def test_the_advisor_reopens_a_validated_semester(head: Persona) -> None:
    campaign = CampaignFactory()
    ada = student()
    client = client_of(head)
    client.post(student_url(campaign, ada, "avis/"), {"kind": "validation"})
    client.post(student_url(campaign, ada, "avis/"), {"kind": "reopen"})
    assert StudentChoice.objects.get(student=ada).status == StudentChoice.Status.OPEN


def test_the_advisor_comments_and_the_comment_is_in_the_history(head: Persona) -> None:
    campaign = CampaignFactory()
    ada = student()
    client = client_of(head)
    response = client.post(
        student_url(campaign, ada, "avis/"), {"kind": "comment", "text": "Pensez à MT42."}
    )
    html = text(client.get(response["Location"]))
    assert "Commentaire enregistré." in html
    assert "Pensez à MT42." in html


def test_an_empty_comment_is_refused_with_its_reason(head: Persona) -> None:
    campaign = CampaignFactory()
    ada = student()
    html = text(
        client_of(head).post(student_url(campaign, ada, "avis/"), {"kind": "comment", "text": ""})
    )
    assert "Le commentaire est vide." in html
    assert not AdvisingNote.objects.exists()


def test_an_override_with_a_reason_enrols_and_shows_the_refusals_it_lifted(
    head: Persona,
) -> None:
    campaign = CampaignFactory()
    wanted = ue("LO41")
    UEPrerequisiteFactory(offer=wanted, required_ue=ue("LO21", semesters="P").ue)
    ada = student()
    client = client_of(head)
    response = client.post(
        student_url(campaign, ada, "derogation/"),
        {"ue": "LO41", "reason": "LO21 validée à l'étranger."},
    )
    assert response.status_code == 302
    html = text(client.get(response["Location"]))
    assert "LO41 ajoutée par dérogation." in html
    assert "Refus levés par cette dérogation" in html
    assert "Prérequis non validé pour LO41 : LO21." in html
    assert "LO21 validée à l'étranger." in html
    enrolment = Enrolment.objects.get(student=ada)
    assert enrolment.source == Enrolment.Source.ADVISOR
    assert enrolment.override_reason == "LO21 validée à l'étranger."


def test_an_override_without_a_reason_changes_nothing(head: Persona) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    html = text(client_of(head).post(student_url(campaign, ada, "derogation/"), {"ue": "LO41"}))
    assert "Motif de la dérogation" in html
    assert not Enrolment.objects.exists()


def test_an_override_never_goes_beyond_the_capacity(head: Persona) -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    choose(campaign, student(), "LO41")
    ada = student()
    html = text(
        client_of(head).post(
            student_url(campaign, ada, "derogation/"), {"ue": "LO41", "reason": "Urgent."}
        )
    )
    assert "LO41 est complète." in html
    assert "Ce refus ne peut pas être levé par dérogation." in html
    assert not Enrolment.objects.filter(student=ada).exists()


def test_the_override_page_speaks_english(head: Persona) -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    choose(campaign, student(), "LO41")
    ada = student()
    html = text(
        client_of(head).post(
            student_url(campaign, ada, "derogation/"),
            {"ue": "LO41", "reason": "Urgent."},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    )
    assert "LO41 is full. You may join its wait-list." in html


@pytest.mark.parametrize("who", ["programme_head", "scolarite"])
def test_the_navigation_leads_advisors_to_advising(persona: Any, who: str) -> None:
    html = text(client_of(persona(who)).get("/"))
    assert 'href="/inscriptions/conseil/">Conseil pédagogique</a>' in html
    assert 'href="/inscriptions/">Inscriptions pédagogiques</a>' not in html


def test_the_advising_home_lists_the_campaigns(head: Persona) -> None:
    campaign = CampaignFactory(title="Inscriptions automne")
    html = text(client_of(head).get("/inscriptions/conseil/"))
    assert "Inscriptions automne" in html
    assert f'href="/inscriptions/{campaign.code}/conseil/"' in html
