"""The scolarité runs the enrolment campaigns: creates and edits them, sets each programme's
rules (which the student's choices then obey), and changes the places of a UE (never below
the places taken; places added go to the wait-list at once). Every write is journaled."""

from __future__ import annotations

import csv
import html as entities
import io
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from cartable.enrolment import actions, campaign_admin
from cartable.enrolment.campaign_rules import CampaignValues, CategoryValues, RuleValues
from cartable.enrolment.models import Campaign, Enrolment, ProgrammeRule, Seats, WaitlistEntry
from cartable.enrolment.rules import Cause
from tests.catalogue.factories import this_year
from tests.factories import PopulationFactory

from .campaigns import CampaignFactory, rule, student, ue

pytestmark = pytest.mark.django_db

ADMIN = "/inscriptions/gestion/"


@pytest.fixture
def scolarite(client_as: Any) -> Client:
    client: Client = client_as("scolarite")
    return client


def text(response: Any, status: int = 200) -> str:
    assert response.status_code == status
    return entities.unescape(response.content.decode())


def moment(days: int) -> datetime:
    return timezone.localtime() + timedelta(days=days)


def typed(when: datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def campaign_form(**changes: Any) -> dict[str, Any]:
    data = {
        "code": "ip-test",
        "title": "Inscriptions d'essai",
        "title_en": "Trial enrolment",
        "year": str(this_year()),
        "semester": "A",
        "population": "student",
        "opens_at": typed(moment(1)),
        "advising_from": typed(moment(8)),
        "closes_at": typed(moment(15)),
        "claim_hours": "0",
    }
    data.update(changes)
    return data


def values(**changes: Any) -> CampaignValues:
    base: dict[str, Any] = {
        "title": "Inscriptions d'essai",
        "title_en": "Trial enrolment",
        "year": this_year(),
        "semester": "A",
        "population": "student",
        "opens_at": moment(1),
        "advising_from": moment(8),
        "closes_at": moment(15),
        "claim_hours": 0,
    }
    base.update(changes)
    return CampaignValues(**base)


def of(campaign: Campaign, **changes: Any) -> CampaignValues:
    """The campaign's own values, with some changed."""
    return values(
        **{
            "title": campaign.title,
            "title_en": campaign.title_en,
            "year": campaign.year,
            "semester": campaign.semester,
            "population": campaign.population,
            "opens_at": campaign.opens_at,
            "advising_from": campaign.advising_from,
            "closes_at": campaign.closes_at,
            "claim_hours": campaign.claim_hours,
            **changes,
        }
    )


@pytest.fixture
def catalogue_year() -> None:
    """This year's catalogue has the INFO programme; the referential, the students."""
    ue("LO41")
    PopulationFactory(code="student")


def rule_form(**changes: Any) -> dict[str, Any]:
    data = {
        "min_credits": "0",
        "max_credits": "30",
        "max_ues": "",
        "mandatory": "",
        "categories-TOTAL_FORMS": "2",
        "categories-INITIAL_FORMS": "0",
        "categories-MIN_NUM_FORMS": "0",
        "categories-MAX_NUM_FORMS": "20",
        "categories-0-categories": "",
        "categories-0-min_credits": "",
        "categories-0-max_credits": "",
        "categories-1-categories": "",
        "categories-1-min_credits": "",
        "categories-1-max_credits": "",
    }
    data.update(changes)
    return data


def rule_url(campaign: Campaign, programme: str = "INFO") -> str:
    return f"{ADMIN}{campaign.code}/regles/{programme}/"


def choose(campaign: Campaign, person: Any, code: str) -> Any:
    return actions.do_choose_ue(campaign.code, person.uuid, code, acting_user=None)


# --- who ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["dsin_admin", "programme_head", "student", "teacher"])
def test_only_the_scolarite_manages_campaigns(client_as: Any, who: str) -> None:
    CampaignFactory(code="ip-test")
    client = client_as(who)
    assert client.get(ADMIN).status_code == 403
    assert client.get(f"{ADMIN}ip-test/").status_code == 403
    assert client.post(f"{ADMIN}ip-test/places/preparer/").status_code == 403
    assert Seats.objects.count() == 0


def test_the_scolarite_finds_the_campaigns_in_the_navigation(scolarite: Client) -> None:
    html = text(scolarite.get("/"))
    assert f'href="{ADMIN}"' in html
    assert "Campagnes d'inscription" in html


def test_an_unknown_campaign_is_not_found(scolarite: Client) -> None:
    assert scolarite.get(f"{ADMIN}inconnue/").status_code == 404
    assert scolarite.get(f"{ADMIN}inconnue/places/").status_code == 404


# --- the list ----------------------------------------------------------------------------------


def test_the_list_shows_phase_population_students_places_and_wait_list(
    scolarite: Client,
) -> None:
    campaign = CampaignFactory(title="Inscriptions automne")
    ue("LO41", capacity=1)
    ue("LO42", capacity=None)
    actions.do_prepare_seats(campaign.code, acting_user=None)
    ada, bob = student(), student()
    choose(campaign, ada, "LO41")
    choose(campaign, ada, "LO42")
    actions.do_join_waitlist(campaign.code, bob.uuid, "LO41", acting_user=None)
    html = text(scolarite.get(ADMIN))
    assert "Inscriptions automne" in html
    assert "Choix des UE" in html
    assert "Étudiant" in html  # the population's label
    row = html.split("Inscriptions automne")[1].split("</tr>")[0]
    assert "<td>1</td>" in row  # one student chose, one waits
    assert "1 sur 1" in row
    assert "(+ 1 UE sans limite)" in row


def test_the_list_needs_the_same_queries_for_many_campaigns(scolarite: Client) -> None:
    CampaignFactory()
    scolarite.get(ADMIN)
    with CaptureQueriesContext(connection) as few:
        scolarite.get(ADMIN)
    for _ in range(5):
        CampaignFactory()
    with CaptureQueriesContext(connection) as many:
        assert scolarite.get(ADMIN).status_code == 200
    assert len(many) == len(few)


# --- creating a campaign -----------------------------------------------------------------------


@pytest.mark.usefixtures("catalogue_year")
def test_the_scolarite_creates_a_campaign_and_it_is_journaled(scolarite: Client) -> None:
    response = scolarite.post(f"{ADMIN}nouvelle/", campaign_form(claim_hours="24"))
    assert response.status_code == 302
    assert response["Location"] == f"{ADMIN}ip-test/"
    campaign = Campaign.objects.get(code="ip-test")
    assert (campaign.year, campaign.semester, campaign.population) == (this_year(), "A", "student")
    assert campaign.claim_hours == 24
    entry = AuditEntry.objects.get(action="enrolment.campaign.create")
    assert entry.object_ref == "ip-test"
    assert entry.detail["claim_hours"] == 24


@pytest.mark.usefixtures("catalogue_year")
def test_dates_out_of_order_are_refused_on_their_field_and_the_form_keeps_its_input(
    scolarite: Client,
) -> None:
    form = campaign_form(advising_from=typed(moment(0)), title="Mon essai")
    html = text(scolarite.post(f"{ADMIN}nouvelle/", form), 400)
    assert "Début du conseil pédagogique : il ne peut précéder l'ouverture" in html
    assert 'value="Mon essai"' in html
    assert not Campaign.objects.exists()


@pytest.mark.usefixtures("catalogue_year")
def test_a_closing_before_advising_is_refused_in_french_and_english() -> None:
    with pytest.raises(DomainError) as refused:
        campaign_admin.do_create_campaign("ip-test", values(closes_at=moment(2)), acting_user=None)
    assert refused.value.field == "closes_at"
    assert "Clôture" in refused.value.message_fr
    assert "Closing" in refused.value.message_en
    assert not Campaign.objects.exists()


@pytest.mark.usefixtures("catalogue_year")
def test_an_unknown_population_is_refused() -> None:
    PopulationFactory(code="staff", kind="contract")
    for code in ("martians", "staff"):
        with pytest.raises(DomainError) as refused:
            campaign_admin.do_create_campaign("ip-test", values(population=code), acting_user=None)
        assert refused.value.field == "population"
        assert code in refused.value.message_fr
        assert "registration population" in refused.value.message_en
    assert not Campaign.objects.exists()


@pytest.mark.usefixtures("catalogue_year")
def test_the_form_offers_only_registration_populations(scolarite: Client) -> None:
    html = text(scolarite.post(f"{ADMIN}nouvelle/", campaign_form(population="staff")), 400)
    assert 'id="id_population_error"' in html
    assert not Campaign.objects.exists()


@pytest.mark.usefixtures("catalogue_year")
def test_a_catalogue_year_without_programmes_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        campaign_admin.do_create_campaign("ip-test", values(year=this_year() + 5), acting_user=None)
    assert refused.value.field == "year"


@pytest.mark.usefixtures("catalogue_year")
@pytest.mark.parametrize("code", ["gestion", "Pas un code", "deja-pris"])
def test_a_reserved_malformed_or_taken_code_is_refused(code: str) -> None:
    CampaignFactory(code="deja-pris")
    with pytest.raises(DomainError) as refused:
        campaign_admin.do_create_campaign(code, values(), acting_user=None)
    assert refused.value.field == "code"
    assert refused.value.message_fr.startswith("Code : ")
    assert Campaign.objects.count() == 1


# --- editing a campaign ------------------------------------------------------------------------


@pytest.mark.usefixtures("catalogue_year")
def test_the_scolarite_changes_the_dates_and_the_claim_window(scolarite: Client) -> None:
    campaign = CampaignFactory(code="ip-test")
    closes = moment(30).replace(second=0, microsecond=0)
    form = campaign_form(
        opens_at=typed(campaign.opens_at),
        advising_from=typed(campaign.advising_from),
        closes_at=typed(closes),
        claim_hours="48",
    )
    del form["code"]
    response = scolarite.post(f"{ADMIN}ip-test/", form)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.closes_at == closes
    assert campaign.claim_hours == 48
    entry = AuditEntry.objects.get(action="enrolment.campaign.update")
    assert entry.detail["claim_hours"] == [0, 48]


def test_an_opened_campaign_keeps_its_year_semester_and_population() -> None:
    campaign = CampaignFactory()
    ue("LO41", semesters="AP")
    PopulationFactory(code="apprentice")
    for field, value in (("semester", "P"), ("population", "apprentice")):
        with pytest.raises(DomainError) as refused:
            campaign_admin.do_update_campaign(
                campaign.code, of(campaign, **{field: value}), acting_user=None
            )
        assert refused.value.field == field
        assert "déjà ouverte" in refused.value.message_fr
    campaign.refresh_from_db()
    assert (campaign.semester, campaign.population) == ("A", "student")


def test_the_form_of_an_opened_campaign_ignores_a_posted_population(
    scolarite: Client,
) -> None:
    campaign = CampaignFactory(code="ip-test")
    ue("LO41")
    PopulationFactory(code="apprentice")
    form = campaign_form(
        population="apprentice",
        opens_at=typed(campaign.opens_at),
        advising_from=typed(campaign.advising_from),
        closes_at=typed(campaign.closes_at),
    )
    html = text(scolarite.get(f"{ADMIN}ip-test/"))
    assert "ne changent plus" in html
    assert scolarite.post(f"{ADMIN}ip-test/", form).status_code == 302
    campaign.refresh_from_db()
    assert campaign.population == "student"


def test_an_upcoming_campaign_may_change_its_population_but_not_a_prepared_semester() -> None:
    campaign = CampaignFactory(opens_at=moment(2), advising_from=moment(9), closes_at=moment(16))
    ue("LO41", semesters="AP")
    PopulationFactory(code="apprentice")
    changed = campaign_admin.do_update_campaign(
        campaign.code, of(campaign, population="apprentice"), acting_user=None
    )
    assert changed == ["population"]
    actions.do_prepare_seats(campaign.code, acting_user=None)
    campaign.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        campaign_admin.do_update_campaign(
            campaign.code, of(campaign, semester="P"), acting_user=None
        )
    assert refused.value.field == "semester"
    assert "préparées" in refused.value.message_fr


# --- programme rules ---------------------------------------------------------------------------


def test_a_maximum_set_through_the_screen_refuses_a_choice_beyond_it(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41", credits="6")
    ue("LO42", credits="6")
    response = scolarite.post(rule_url(campaign), rule_form(max_credits="6"))
    assert response.status_code == 302
    ada = student()
    assert choose(campaign, ada, "LO41").accepted
    refused = choose(campaign, ada, "LO42")
    assert not refused.accepted
    assert [r.cause for r in refused.refusals] == [Cause.CREDITS]


def test_a_category_maximum_set_through_the_screen_refuses_a_choice(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41", category="CS")
    ue("LO42", category="CS")
    form = rule_form(**{"categories-0-categories": "cs", "categories-0-max_credits": "6"})
    assert scolarite.post(rule_url(campaign), form).status_code == 302
    saved = ProgrammeRule.objects.get(campaign=campaign, programme="INFO")
    assert [c.categories for c in saved.categories.all()] == ["CS"]
    ada = student()
    assert choose(campaign, ada, "LO41").accepted
    assert [r.cause for r in choose(campaign, ada, "LO42").refusals] == [Cause.CATEGORY]


def test_an_unknown_mandatory_ue_is_named_and_nothing_is_saved(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ue("MQ01", programme="MECA")
    html = text(scolarite.post(rule_url(campaign), rule_form(mandatory="LO41 ZZ99, MQ01")), 400)
    assert "UE obligatoires : inconnue ou non proposée à INFO" in html
    assert "ZZ99, MQ01" in html
    assert 'value="LO41 ZZ99, MQ01"' in html
    assert not ProgrammeRule.objects.exists()


def test_an_unknown_category_is_named_on_its_line(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41", category="CS")
    form = rule_form(**{"categories-0-categories": "CS,XX", "categories-0-min_credits": "6"})
    html = text(scolarite.post(rule_url(campaign), form), 400)
    assert "Règle de catégorie n° 1 : catégorie inconnue du catalogue : XX" in html
    assert 'id="id_categories-0-categories_error"' in html
    assert not ProgrammeRule.objects.exists()


def test_a_credit_range_upside_down_is_refused_on_its_field(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    html = text(
        scolarite.post(rule_url(campaign), rule_form(min_credits="30", max_credits="24")), 400
    )
    assert 'id="id_max_credits_error"' in html
    assert "Crédits maximum : au moins les crédits minimum" in html


def test_saving_a_rule_again_replaces_it_and_the_journal_keeps_both(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ue("LO42")
    rule(campaign, mandatory=("LO41",), categories=(("CS", "6", None),))
    form = rule_form(min_credits="24,5", max_credits="36", max_ues="7", mandatory="lo42")
    assert scolarite.post(rule_url(campaign), form).status_code == 302
    saved = ProgrammeRule.objects.get(campaign=campaign, programme="INFO")
    assert saved.min_credits == Decimal("24.5")
    assert saved.max_ues == 7
    assert [m.ue_code for m in saved.mandatory.all()] == ["LO42"]
    assert not saved.categories.exists()
    entry = AuditEntry.objects.get(action="enrolment.campaign.rule.save")
    assert entry.detail["before"]["mandatory"] == ["LO41"]
    assert entry.detail["after"]["mandatory"] == ["LO42"]


def test_the_campaign_page_lists_every_programme_of_the_year_with_its_rules(
    scolarite: Client,
) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ue("MQ01", programme="MECA")
    rule(campaign, "INFO", low="24", high="36", mandatory=("LO41",))
    html = text(scolarite.get(f"{ADMIN}{campaign.code}/"))
    assert "Modifier les règles de INFO" in html
    assert "Définir les règles de MECA" in html
    assert "24 – 36" in html


def test_a_programme_outside_the_catalogue_year_has_no_rule_page(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    assert scolarite.get(rule_url(campaign, "FANTOME")).status_code == 404


def test_deleting_a_rule_is_journaled(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    rule(campaign)
    response = scolarite.post(rule_url(campaign) + "supprimer/")
    assert response.status_code == 302
    assert not ProgrammeRule.objects.exists()
    assert AuditEntry.objects.filter(action="enrolment.campaign.rule.delete").count() == 1


def test_copying_rules_leaves_out_what_this_semester_does_not_have(scolarite: Client) -> None:
    spring = CampaignFactory(semester="P")
    autumn = CampaignFactory(semester="A")
    ue("LO41", semesters="A")
    ue("LO43", semesters="AP")
    rule(autumn, "INFO", low="24", high="36", mandatory=("LO41", "LO43"))
    rule(autumn, "FANTOME")
    rule(spring, "INFO", low="0", high="12")
    response = scolarite.post(
        f"{ADMIN}{spring.code}/regles/copier/", {"source": autumn.code}, follow=True
    )
    html = text(response)
    assert "INFO:LO41" in html
    assert "FANTOME" in html
    copied = ProgrammeRule.objects.get(campaign=spring, programme="INFO")
    assert (copied.min_credits, copied.max_credits) == (Decimal(24), Decimal(36))
    assert [m.ue_code for m in copied.mandatory.all()] == ["LO43"]
    assert not ProgrammeRule.objects.filter(campaign=spring, programme="FANTOME").exists()
    assert AuditEntry.objects.get(action="enrolment.campaign.rule.copy").detail["source"] == (
        autumn.code
    )


def test_a_campaign_cannot_copy_its_own_rules() -> None:
    campaign = CampaignFactory()
    rule(campaign)
    with pytest.raises(DomainError) as refused:
        campaign_admin.do_copy_rules(campaign.code, campaign.code, acting_user=None)
    assert refused.value.field == "source"


def test_the_rule_page_needs_the_same_queries_for_many_programmes(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    rule(campaign, categories=(("CS", "6", None),), mandatory=("LO41",))
    url = f"{ADMIN}{campaign.code}/"
    scolarite.get(url)
    with CaptureQueriesContext(connection) as few:
        scolarite.get(url)
    for n in range(5):
        ue(f"MQ0{n}", programme=f"PROG{n}")
        rule(campaign, f"PROG{n}", categories=(("CS", "6", None),), mandatory=(f"MQ0{n}",))
    with CaptureQueriesContext(connection) as many:
        assert scolarite.get(url).status_code == 200
    assert len(many) == len(few)


def test_rule_values_are_checked_before_anything_is_written() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    bad = RuleValues(
        Decimal(0), Decimal(30), categories=(CategoryValues("CS", Decimal(12), Decimal(6)),)
    )
    with pytest.raises(DomainError) as refused:
        campaign_admin.do_save_programme_rule(campaign.code, "INFO", bad, acting_user=None)
    assert refused.value.field == "category-0"
    assert "maximum" in refused.value.message_en
    assert not ProgrammeRule.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="enrolment.campaign").exists()


# --- places ------------------------------------------------------------------------------------


def full_ue_with_a_wait_list(claim_hours: int = 0) -> tuple[Campaign, Any, Any, Any]:
    """LO41 has one place, taken by Ada; Bob then Cy wait for it."""
    campaign = CampaignFactory(claim_hours=claim_hours)
    ue("LO41", capacity=1)
    ada, bob, cy = student(), student(), student()
    assert choose(campaign, ada, "LO41").accepted
    actions.do_join_waitlist(campaign.code, bob.uuid, "LO41", acting_user=None)
    actions.do_join_waitlist(campaign.code, cy.uuid, "LO41", acting_user=None)
    return campaign, ada, bob, cy


def test_the_capacity_never_drops_below_the_places_taken() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=3)
    choose(campaign, student(), "LO41")
    choose(campaign, student(), "LO41")
    with pytest.raises(DomainError) as refused:
        campaign_admin.do_set_seat_capacity(campaign.code, "LO41", 1, acting_user=None)
    assert refused.value.field == "capacity"
    assert "2 places de LO41 sont déjà prises" in refused.value.message_fr
    assert "cannot go below 2" in refused.value.message_en
    assert Seats.objects.get(campaign=campaign).capacity == 3


def test_raising_the_capacity_promotes_the_first_of_the_wait_list() -> None:
    campaign, _ada, bob, cy = full_ue_with_a_wait_list()
    change = campaign_admin.do_set_seat_capacity(campaign.code, "LO41", 2, acting_user=None)
    assert change.given_to_waitlist == 1
    assert Enrolment.objects.get(student=bob).status == Enrolment.Status.ACCEPTED
    assert not Enrolment.objects.filter(student=cy).exists()
    assert WaitlistEntry.objects.get(student=cy).status == WaitlistEntry.Status.WAITING
    assert Seats.objects.get(campaign=campaign).taken == 2
    capacity = AuditEntry.objects.get(action="enrolment.campaign.seats.capacity")
    assert capacity.detail == {"ue": "LO41", "before": 1, "after": 2, "taken": 1}
    assert AuditEntry.objects.get(action="enrolment.waitlist.promote").subject_uuid == bob.uuid


def test_with_a_claim_window_the_new_place_is_offered_to_the_first_in_line() -> None:
    campaign, _ada, bob, _cy = full_ue_with_a_wait_list(claim_hours=24)
    campaign_admin.do_set_seat_capacity(campaign.code, "LO41", 2, acting_user=None)
    entry = WaitlistEntry.objects.get(student=bob)
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert Seats.objects.get(campaign=campaign).taken == 2


def test_the_screen_refuses_a_capacity_below_the_places_taken(scolarite: Client) -> None:
    campaign, *_people = full_ue_with_a_wait_list()
    url = f"{ADMIN}{campaign.code}/places/LO41/"
    html = text(scolarite.post(url, {"capacity": "0"}), 400)
    assert "la capacité ne peut pas descendre en dessous de 1" in html
    assert 'value="0"' in html
    assert Seats.objects.get(campaign=campaign).capacity == 1


def test_the_screen_raises_a_capacity_and_says_who_got_the_places(scolarite: Client) -> None:
    campaign, *_people = full_ue_with_a_wait_list()
    url = f"{ADMIN}{campaign.code}/places/lo41/"
    html = text(scolarite.post(url, {"capacity": "5"}, follow=True))
    assert "2 place(s) attribuée(s) ou proposée(s) à la liste d'attente" in html
    assert Seats.objects.get(campaign=campaign).capacity == 5


def test_a_closed_campaign_keeps_its_places() -> None:
    campaign = CampaignFactory(opens_at=moment(-10), advising_from=moment(-5), closes_at=moment(-1))
    ue("LO41", capacity=3)
    actions.do_prepare_seats(campaign.code, acting_user=None)
    with pytest.raises(DomainError) as refused:
        campaign_admin.do_set_seat_capacity(campaign.code, "LO41", 10, acting_user=None)
    assert "close" in refused.value.message_fr


def test_preparing_the_places_through_the_screen(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=12)
    ue("LO42", capacity=None)
    response = scolarite.post(f"{ADMIN}{campaign.code}/places/preparer/", follow=True)
    html = text(response)
    assert "Places préparées pour 2 UE supplémentaire(s)" in html
    assert Seats.objects.filter(campaign=campaign).count() == 2
    assert AuditEntry.objects.filter(action="enrolment.campaign.prepare_seats").exists()


def test_the_places_list_filters_full_ues_and_programmes_and_exports_them(
    scolarite: Client,
) -> None:
    campaign, *_people = full_ue_with_a_wait_list()
    ue("LO42", capacity=10)
    ue("MQ01", programme="MECA", capacity=10)
    actions.do_prepare_seats(campaign.code, acting_user=None)
    url = f"{ADMIN}{campaign.code}/places/"
    full = text(scolarite.get(url, {"completes": "on"}))
    assert "LO41" in full
    assert "LO42" not in full
    assert "complète" in full
    meca = text(scolarite.get(url, {"formation": "MECA"}))
    assert "MQ01" in meca
    assert "LO41" not in meca
    searched = text(scolarite.get(url, {"q": "lo42"}))
    assert "LO42" in searched
    assert "MQ01" not in searched
    exported = scolarite.get(f"{ADMIN}{campaign.code}/places.csv", {"completes": "on"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "ue",
        "intitule",
        "formations",
        "places",
        "prises",
        "libres",
        "liste_attente",
    ]
    assert [(r[0], r[3], r[4], r[5], r[6]) for r in rows[1:]] == [("LO41", "1", "1", "0", "2")]


def test_the_places_list_needs_the_same_queries_for_many_ues(scolarite: Client) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    actions.do_prepare_seats(campaign.code, acting_user=None)
    url = f"{ADMIN}{campaign.code}/places/"
    scolarite.get(url)
    with CaptureQueriesContext(connection) as few:
        scolarite.get(url)
    for n in range(6):
        ue(f"LO5{n}")
    actions.do_prepare_seats(campaign.code, acting_user=None)
    with CaptureQueriesContext(connection) as many:
        html = text(scolarite.get(url))
    assert "LO55" in html
    assert len(many) == len(few)


def test_a_ue_without_places_in_the_campaign_is_not_found(scolarite: Client) -> None:
    campaign = CampaignFactory()
    assert scolarite.get(f"{ADMIN}{campaign.code}/places/ZZ99/").status_code == 404


@pytest.mark.usefixtures("catalogue_year")
def test_an_english_reader_reads_the_refusal_in_english(scolarite: Client) -> None:
    form = campaign_form(advising_from=typed(moment(0)))
    response = scolarite.post(f"{ADMIN}nouvelle/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert "Start of advising: it cannot come before the campaign opens." in text(response, 400)
