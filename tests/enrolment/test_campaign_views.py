"""The student's campaign screens: what they see, what they may ask, and the answers they get."""

from __future__ import annotations

import html as entities
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cartable.enrolment import actions
from cartable.enrolment.models import AdvisingNote, Enrolment, Seats, WaitlistEntry
from tests.catalogue.factories import UEPrerequisiteFactory

from .campaigns import CampaignFactory, group, rule, student, ue

pytestmark = pytest.mark.django_db


def client_of(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def page(client: Client, url: str, **extra: Any) -> str:
    """The page as a reader sees its text (entities decoded)."""
    response = client.get(url, **extra)
    assert response.status_code == 200
    return entities.unescape(response.content.decode())


def url(campaign: Any, suffix: str = "") -> str:
    return f"/inscriptions/{campaign.code}/{suffix}"


def post(client: Client, campaign: Any, suffix: str, code: str, **extra: Any) -> Any:
    return client.post(url(campaign, suffix), {"ue": code, **extra.pop("data", {})}, **extra)


def add(client: Client, campaign: Any, code: str, **extra: Any) -> str:
    """Add a UE without JavaScript and read the page that follows."""
    response = post(client, campaign, "ajouter/", code, **extra)
    assert response.status_code == 302
    return page(client, response["Location"], **extra)


def fill(campaign: Any, code: str) -> None:
    """Someone else takes the last place of ``code``."""
    assert actions.do_choose_ue(campaign.code, student().uuid, code, acting_user=None).accepted


# --- the list of campaigns -------------------------------------------------------------------


def test_a_student_sees_the_campaigns_of_their_population_with_phase_and_dates() -> None:
    mine = CampaignFactory(title="Inscriptions automne")
    CampaignFactory(title="Campagne des apprentis", population="apprentice")
    html = page(client_of(student()), "/inscriptions/")
    assert "Inscriptions automne" in html
    assert "Choix des UE" in html
    assert f"/inscriptions/{mine.code}/" in html
    assert "Campagne des apprentis" not in html


def test_past_campaigns_are_listed_as_closed() -> None:
    CampaignFactory(
        title="Inscriptions printemps dernier",
        opens_at=timezone.now() - timedelta(days=200),
        advising_from=timezone.now() - timedelta(days=190),
        closes_at=timezone.now() - timedelta(days=180),
    )
    html = page(client_of(student()), "/inscriptions/")
    assert "Inscriptions printemps dernier" in html
    assert "Clôturée" in html


def test_a_campaign_of_another_population_does_not_exist_for_the_student() -> None:
    campaign = CampaignFactory(population="apprentice")
    assert client_of(student()).get(url(campaign)).status_code == 404


def test_an_unknown_campaign_is_not_found() -> None:
    assert client_of(student()).get("/inscriptions/nulle-part/").status_code == 404


# --- my semester -----------------------------------------------------------------------------


def test_the_open_ues_show_credits_category_and_free_places() -> None:
    campaign = CampaignFactory()
    ue("LO41", credits="6", category="CS", capacity=30)
    html = page(client_of(student()), url(campaign))
    assert "LO41" in html
    assert "CS" in html
    assert ">30<" in html
    assert "Ajouter" in html


def test_adding_a_ue_shows_it_accepted_and_in_my_semester() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    html = add(client_of(ada), campaign, "LO41")
    assert "LO41 a été ajoutée à votre semestre." in html
    assert "6 crédits" in html
    assert Enrolment.objects.get(student=ada).status == Enrolment.Status.ACCEPTED


def test_adding_with_htmx_answers_with_the_semester_fragment() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    response = post(client_of(student()), campaign, "ajouter/", "LO41", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="semestre">')
    assert "<html" not in html
    assert "LO41 a été ajoutée à votre semestre." in html


def test_the_outcome_is_shown_once() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    client = client_of(student())
    add(client, campaign, "LO41")
    assert "a été ajoutée" not in page(client, url(campaign))


def test_a_refusal_names_its_cause_in_french() -> None:
    campaign = CampaignFactory()
    wanted = ue("LO41")
    UEPrerequisiteFactory(offer=wanted, required_ue=ue("LO21", semesters="P").ue)
    html = add(client_of(student()), campaign, "LO41")
    assert "LO41 n'a pas pu être ajoutée" in html
    assert "Prérequis non validé pour LO41 : LO21." in html


def test_a_refusal_names_its_cause_in_english() -> None:
    campaign = CampaignFactory()
    wanted = ue("LO41")
    UEPrerequisiteFactory(offer=wanted, required_ue=ue("LO21", semesters="P").ue)
    html = add(client_of(student()), campaign, "LO41", HTTP_ACCEPT_LANGUAGE="en")
    assert "Prerequisite not passed for LO41: LO21." in html
    assert "Prérequis non validé" not in html


def test_every_refusal_is_listed() -> None:
    campaign = CampaignFactory()
    rule(campaign, high="6")
    group(ue("MT42"), "CM", "CM1", day=0, start=8, end=10)
    wanted = ue("LO41")
    group(wanted, "CM", "CM1", day=0, start=8, end=10)
    UEPrerequisiteFactory(offer=wanted, required_ue=ue("LO21", semesters="P").ue)
    client = client_of(student())
    add(client, campaign, "MT42")
    html = add(client, campaign, "LO41")
    assert "Prérequis non validé" in html
    assert "Emploi du temps incompatible : LO41 chevauche MT42" in html
    assert "au-delà du maximum de 6" in html
    assert "Rejoindre la liste d" not in html


def test_a_full_ue_offers_its_wait_list() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    fill(campaign, "LO41")
    html = add(client_of(student()), campaign, "LO41")
    assert "LO41 est complète." in html
    assert "Rejoindre la liste d'attente de LO41" in html
    assert "attente/rejoindre/" in html


def test_joining_the_wait_list_shows_my_position() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    fill(campaign, "LO41")
    actions.do_join_waitlist(campaign.code, student().uuid, "LO41", acting_user=None)
    client = client_of(student())
    response = post(client, campaign, "attente/rejoindre/", "LO41")
    html = page(client, response["Location"])
    assert "liste d'attente de LO41, en position 2." in html
    assert "n° 2" in html
    assert "Quitter la liste" in html


def test_leaving_a_wait_list_asks_for_confirmation_without_javascript() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    fill(campaign, "LO41")
    ada = student()
    actions.do_join_waitlist(campaign.code, ada.uuid, "LO41", acting_user=None)
    client = client_of(ada)
    html = entities.unescape(post(client, campaign, "attente/quitter/", "LO41").content.decode())
    assert "Quitter la liste d'attente de LO41 ?" in html
    assert WaitlistEntry.objects.get(student=ada).status == WaitlistEntry.Status.WAITING
    response = post(client, campaign, "attente/quitter/", "LO41", data={"confirme": "1"})
    assert "Vous avez quitté la liste d'attente de LO41." in page(client, response["Location"])
    assert WaitlistEntry.objects.get(student=ada).status == WaitlistEntry.Status.WITHDRAWN


def test_dropping_asks_for_confirmation_then_frees_the_place() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    ada = student()
    client = client_of(ada)
    add(client, campaign, "LO41")
    question = post(client, campaign, "retirer/", "LO41")
    assert question.status_code == 200
    assert "Retirer LO41 de votre semestre ?" in entities.unescape(question.content.decode())
    assert Seats.objects.get(campaign=campaign).taken == 1
    response = post(client, campaign, "retirer/", "LO41", data={"confirme": "1"})
    assert "LO41 a été retirée de votre semestre." in page(client, response["Location"])
    assert Seats.objects.get(campaign=campaign).taken == 0


def test_a_place_offered_from_the_wait_list_shows_its_deadline_and_can_be_accepted() -> None:
    campaign = CampaignFactory(claim_hours=24)
    ue("LO41", capacity=1)
    first = student()
    actions.do_choose_ue(campaign.code, first.uuid, "LO41", acting_user=None)
    ada = student()
    actions.do_join_waitlist(campaign.code, ada.uuid, "LO41", acting_user=None)
    actions.do_drop_ue(campaign.code, first.uuid, "LO41", acting_user=None)
    client = client_of(ada)
    html = page(client, url(campaign))
    assert "Une place vous est proposée" in html
    assert "à accepter avant le" in html
    assert "Accepter la place" in html
    response = post(client, campaign, "attente/accepter/", "LO41")
    html = page(client, response["Location"])
    assert "Vous avez accepté la place en LO41" in html
    assert Enrolment.objects.get(student=ada).status == Enrolment.Status.ACCEPTED


def test_a_domain_error_shows_its_message_and_changes_nothing() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    client = client_of(student())
    response = post(client, campaign, "retirer/", "LO41", data={"confirme": "1"})
    html = page(client, response["Location"])
    assert "LO41 ne fait pas partie de votre semestre." in html
    assert not Enrolment.objects.exists()


def test_a_domain_error_speaks_english_when_english_is_active() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    client = client_of(student())
    response = post(
        client, campaign, "retirer/", "LO41", data={"confirme": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "LO41 is not chosen." in page(client, response["Location"], HTTP_ACCEPT_LANGUAGE="en")


def test_outside_the_choice_period_there_is_no_add_button() -> None:
    campaign = CampaignFactory(
        opens_at=timezone.now() - timedelta(days=10),
        advising_from=timezone.now() - timedelta(days=1),
    )
    ue("LO41")
    html = page(client_of(student()), url(campaign))
    assert "Conseil pédagogique" in html
    assert "La période de choix des UE n'est pas ouverte" in html
    assert 'action="/inscriptions/' + campaign.code + '/ajouter/"' not in html


def test_the_rules_are_marked_met_or_not_in_words() -> None:
    campaign = CampaignFactory()
    rule(campaign, low="12", high="30", mandatory=("LO41",))
    ue("LO41")
    ue("MT42")
    client = client_of(student())
    html = add(client, campaign, "MT42")
    assert "✗ Non respecté :</strong> 6 crédits (attendu : de 12 à 30)" in html
    assert "✗ Non respecté :</strong> UE obligatoire LO41 : manquante" in html
    html = add(client, campaign, "LO41")
    assert "✓ Respecté :</strong> 12 crédits (attendu : de 12 à 30)" in html


def test_the_search_finds_by_code_or_title_without_accents() -> None:
    campaign = CampaignFactory()
    ue("LO41", title="Systèmes d'exploitation")
    ue("MT42", title="Analyse numérique")
    html = page(client_of(student()), url(campaign) + "?q=systemes")
    assert "LO41" in html
    assert "MT42" not in html


def test_the_ues_can_be_filtered_by_category_and_free_places() -> None:
    campaign = CampaignFactory()
    ue("LO41", category="CS", capacity=1)
    ue("MT42", category="CS")
    ue("GE01", category="TM")
    fill(campaign, "LO41")
    html = page(client_of(student()), url(campaign) + "?categorie=CS&libres=on")
    assert "MT42" in html
    assert "GE01" not in html
    assert "LO41" not in html


def test_adding_keeps_the_search() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    response = post(client_of(student()), campaign, "ajouter/", "LO41", data={"q": "LO"})
    assert response["Location"] == url(campaign) + "?q=LO#resultat"


def test_the_personal_timetable_lists_the_slots_of_my_ues_by_day() -> None:
    campaign = CampaignFactory()
    lo41 = ue("LO41")
    group(lo41, "CM", "CM1", day=1, start=8, end=10)
    ue("MT42")
    client = client_of(student())
    add(client, campaign, "LO41")
    html = add(client, campaign, "MT42")
    assert "<caption>Mardi</caption>" in html
    assert "08:00–10:00" in html
    assert "16 séances" in html
    assert "L'emploi du temps de MT42 n'est pas encore publié" in html


def test_the_advisors_validation_and_comments_are_shown_to_the_student() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    advisor = student(civil_first_name="Grace", civil_last_name="Hopper")
    actions.do_choose_ue(campaign.code, ada.uuid, "LO41", acting_user=None)
    actions.do_advise(
        campaign.code,
        ada.uuid,
        kind=AdvisingNote.Kind.VALIDATION,
        text="Bon semestre.",
        advisor_uuid=advisor.uuid,
        acting_user=None,
    )
    html = page(client_of(ada), url(campaign))
    assert "Validé par votre conseiller ou conseillère pédagogique" in html
    assert "Bon semestre." in html
    assert "Grace HOPPER" in html


def test_the_actions_answer_only_to_post() -> None:
    campaign = CampaignFactory()
    client = client_of(student())
    for suffix in ("ajouter/", "retirer/", "attente/rejoindre/", "attente/quitter/"):
        assert client.get(url(campaign, suffix)).status_code == 405


def test_a_student_outside_the_population_cannot_act() -> None:
    campaign = CampaignFactory(population="apprentice")
    ue("LO41")
    response = post(client_of(student()), campaign, "ajouter/", "LO41")
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_the_semester_page_costs_the_same_whatever_the_number_of_ues() -> None:
    campaign = CampaignFactory()
    rule(campaign, categories=(("CS", None, "60"),))
    ada = student()
    for code in ("LO41", "MT42"):
        group(ue(code), "CM", "CM1", day=0 if code == "LO41" else 1, start=8, end=10)
        actions.do_choose_ue(campaign.code, ada.uuid, code, acting_user=None)
    client = client_of(ada)
    client.get(url(campaign))
    with CaptureQueriesContext(connection) as few:
        page(client, url(campaign))
    for n, code in enumerate(("GE01", "GE02", "GE03", "SI01")):
        group(ue(code), "TD", "TD1", day=2 + n % 3, start=8, end=10)
        actions.do_choose_ue(campaign.code, ada.uuid, code, acting_user=None)
    ue("PH01")
    ue("PH02")
    with CaptureQueriesContext(connection) as many:
        page(client, url(campaign))
    assert len(many) == len(few)


def test_the_list_of_campaigns_costs_the_same_whatever_their_number() -> None:
    CampaignFactory()
    client = client_of(student())
    client.get("/inscriptions/")
    with CaptureQueriesContext(connection) as few:
        page(client, "/inscriptions/")
    for _n in range(4):
        CampaignFactory()
    with CaptureQueriesContext(connection) as many:
        page(client, "/inscriptions/")
    assert len(many) == len(few)


def test_the_navigation_leads_students_to_their_enrolment() -> None:
    assert 'href="/inscriptions/">Inscriptions pédagogiques</a>' in page(client_of(student()), "/")
