"""Tableau de bord UE: the lists ("Mes UE", offers to review) and who sees an offer."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.catalogue import actions
from cartable.catalogue.models import Offer
from cartable.core.models import AuditEntry
from tests.catalogue.factories import (
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    TeachingAssignmentFactory,
    UEFactory,
    this_year,
)
from tests.personas import login

pytestmark = pytest.mark.django_db


def client_of(someone: Any) -> Client:
    return login(Client(), someone)


@pytest.fixture
def teacher(persona: Any) -> Any:
    return persona("teacher")


def codes(response: Any) -> list[str]:
    return [row.offer.ue.code for row in response.context["rows"]]


def test_my_ues_lists_the_offers_i_am_responsible_for_or_teach_in(teacher: Any) -> None:
    OfferFactory(ue=UEFactory(code="LO41"), responsible=teacher.person)
    TeachingAssignmentFactory(offer=OfferFactory(ue=UEFactory(code="MT11")), person=teacher.person)
    OfferFactory(ue=UEFactory(code="PH01"))
    response = client_of(teacher).get("/tableau-ue/")
    assert codes(response) == ["LO41", "MT11"]


def test_my_ues_says_whether_i_am_responsible_or_in_the_team(teacher: Any) -> None:
    OfferFactory(ue=UEFactory(code="LO41"), responsible=teacher.person)
    TeachingAssignmentFactory(offer=OfferFactory(ue=UEFactory(code="MT11")), person=teacher.person)
    rows = client_of(teacher).get("/tableau-ue/").context["rows"]
    assert [r.as_responsible for r in rows] == [True, False]


def test_my_ues_covers_next_year_and_leaves_out_archived_and_past_offers(teacher: Any) -> None:
    year = this_year()
    OfferFactory(ue=UEFactory(code="NEXT"), year=year + 1, responsible=teacher.person)
    OfferFactory(
        ue=UEFactory(code="ARCH"), status=Offer.Status.ARCHIVED, responsible=teacher.person
    )
    OfferFactory(ue=UEFactory(code="PAST"), year=year - 1, responsible=teacher.person)
    assert codes(client_of(teacher).get("/tableau-ue/")) == ["NEXT"]


def test_my_ues_shows_the_status_of_each_offer(teacher: Any) -> None:
    OfferFactory(responsible=teacher.person, status=Offer.Status.IN_REVIEW)
    assert "En relecture" in client_of(teacher).get("/tableau-ue/").content.decode()


def test_my_ues_costs_the_same_queries_for_one_offer_or_many(teacher: Any) -> None:
    client = client_of(teacher)
    OfferFactory(responsible=teacher.person)
    client.get("/tableau-ue/")
    with CaptureQueriesContext(connection) as few:
        client.get("/tableau-ue/")
    for _ in range(8):
        offer = OfferFactory(responsible=teacher.person)
        TeachingAssignmentFactory(offer=offer)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/tableau-ue/")
    assert len(response.context["rows"]) == 9
    assert len(many) == len(few)


def test_offers_to_review_default_to_those_in_review(client_as: Any) -> None:
    OfferFactory(ue=UEFactory(code="LO41"), status=Offer.Status.IN_REVIEW)
    OfferFactory(ue=UEFactory(code="MT11"), status=Offer.Status.DRAFT)
    page = client_as("scolarite").get("/tableau-ue/offres/").context["page"]
    assert [o.ue.code for o in page] == ["LO41"]


def test_a_page_of_offers_keeps_the_in_review_default(client_as: Any) -> None:
    OfferFactory(ue=UEFactory(code="LO41"), status=Offer.Status.IN_REVIEW)
    OfferFactory(ue=UEFactory(code="MT11"), status=Offer.Status.DRAFT)
    page = client_as("scolarite").get("/tableau-ue/offres/", {"page": "1"}).context["page"]
    assert [o.ue.code for o in page] == ["LO41"]


def test_offers_are_filtered_by_status_year_and_programme(client_as: Any) -> None:
    year = this_year()
    wanted = OfferFactory(ue=UEFactory(code="LO41"), year=year + 1)
    OfferProgrammeFactory(offer=wanted, programme=ProgrammeFactory(code="INFO", year=year + 1))
    OfferFactory(ue=UEFactory(code="MT11"), year=year + 1)
    OfferFactory(ue=UEFactory(code="LO42"))
    response = client_as("scolarite").get(
        "/tableau-ue/offres/", {"status": "published", "year": year + 1, "programme": "INFO"}
    )
    assert [o.ue.code for o in response.context["page"]] == ["LO41"]


@pytest.mark.parametrize("text", ["lo41", "exploitation", "Operating"])
def test_offers_are_searched_by_code_or_title(client_as: Any, text: str) -> None:
    OfferFactory(
        ue=UEFactory(code="LO41"),
        title="Systèmes d'exploitation",
        title_en="Operating systems",
    )
    OfferFactory(ue=UEFactory(code="MT11"), title="Analyse", title_en="Calculus")
    response = client_as("scolarite").get("/tableau-ue/offres/", {"q": text, "status": ""})
    assert [o.ue.code for o in response.context["page"]] == ["LO41"]


def test_a_programme_head_reviews_only_the_offers_of_their_programmes(persona: Any) -> None:
    head = persona("programme_head")
    mine = OfferFactory(ue=UEFactory(code="LO41"), status=Offer.Status.IN_REVIEW)
    OfferProgrammeFactory(offer=mine, programme=ProgrammeFactory(code="INFO", head=head.person))
    other = OfferFactory(ue=UEFactory(code="MT11"), status=Offer.Status.IN_REVIEW)
    OfferProgrammeFactory(offer=other, programme=ProgrammeFactory(code="MECA"))
    page = client_of(head).get("/tableau-ue/offres/").context["page"]
    assert [o.ue.code for o in page] == ["LO41"]


def test_the_review_list_costs_the_same_queries_for_few_or_many_offers(client_as: Any) -> None:
    client = client_as("scolarite")
    OfferProgrammeFactory(offer=OfferFactory(status=Offer.Status.IN_REVIEW))
    client.get("/tableau-ue/offres/")
    with CaptureQueriesContext(connection) as few:
        client.get("/tableau-ue/offres/")
    for n in range(10):
        offer = OfferFactory(status=Offer.Status.IN_REVIEW)
        OfferProgrammeFactory(offer=offer, programme=ProgrammeFactory(code=f"P{n}"))
    with CaptureQueriesContext(connection) as many:
        response = client.get("/tableau-ue/offres/")
    assert response.context["page"].paginator.count == 11
    assert len(many) == len(few)


def test_the_home_page_counts_the_offers_waiting_for_review(client_as: Any) -> None:
    OfferFactory(status=Offer.Status.IN_REVIEW)
    response = client_as("scolarite").get("/tableau-ue/")
    assert response.context["to_review"] == 1


# --- who sees an offer ------------------------------------------------------------------


def test_the_responsible_sees_their_offer(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    assert client_of(teacher).get(f"/tableau-ue/{offer.uuid}/").status_code == 200


def test_a_team_member_sees_the_offer(teacher: Any) -> None:
    offer = OfferFactory()
    TeachingAssignmentFactory(offer=offer, person=teacher.person)
    assert client_of(teacher).get(f"/tableau-ue/{offer.uuid}/").status_code == 200


def test_the_head_of_one_of_its_programmes_sees_the_offer(persona: Any) -> None:
    head = persona("programme_head")
    offer = OfferFactory()
    OfferProgrammeFactory(offer=offer, programme=ProgrammeFactory(head=head.person))
    assert client_of(head).get(f"/tableau-ue/{offer.uuid}/").status_code == 200


def test_another_teacher_does_not_even_learn_the_offer_exists(teacher: Any) -> None:
    offer = OfferFactory()
    assert client_of(teacher).get(f"/tableau-ue/{offer.uuid}/").status_code == 404


def test_an_unknown_offer_is_not_found(client_as: Any) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    assert client_as("scolarite").get(f"/tableau-ue/{missing}/").status_code == 404


def test_the_offer_page_has_its_sections(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person, status=Offer.Status.DRAFT)
    html = client_of(teacher).get(f"/tableau-ue/{offer.uuid}/").content.decode()
    for section in (
        "Résumé",
        "État et historique",
        "Équipe pédagogique",
        "Préparation de l'emploi du temps",
        "Logiciels nécessaires",
        "Syllabus",
        "Étudiants inscrits",
        "Exports",
    ):
        assert f">{section}</h" in html, section


def test_the_offer_page_leads_to_the_roster_and_its_exports(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    html = client_of(teacher).get(f"/tableau-ue/{offer.uuid}/").content.decode()
    assert f'href="/tableau-ue/{offer.uuid}/inscrits/?vue=photos"' in html
    assert f'href="/tableau-ue/{offer.uuid}/inscrits.xlsx"' in html


def test_viewing_the_team_is_journaled_as_a_read(teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    member = TeachingAssignmentFactory(offer=offer).person
    client_of(teacher).get(f"/tableau-ue/{offer.uuid}/")
    entry = AuditEntry.objects.get(action="catalogue.offer.team.read")
    assert entry.subject_uuid == member.uuid


def test_the_history_shows_each_step_and_the_reviewers_comment(teacher: Any, persona: Any) -> None:
    scolarite = persona("scolarite")
    offer = OfferFactory(responsible=teacher.person, status=Offer.Status.DRAFT)
    actions.do_submit_for_review(offer.uuid, acting_user=teacher.user)
    actions.do_return_to_draft(offer.uuid, "Ajouter la bibliographie", acting_user=scolarite.user)
    history = client_of(teacher).get(f"/tableau-ue/{offer.uuid}/").context["history"]
    assert [(h.label, h.status, h.comment) for h in history] == [
        ("Soumise à relecture", "En relecture", ""),
        ("Renvoyée en brouillon", "Brouillon", "Ajouter la bibliographie"),
    ]


def test_the_offer_page_costs_the_same_queries_with_a_bigger_team(teacher: Any) -> None:
    client = client_of(teacher)
    offer = OfferFactory(responsible=teacher.person, status=Offer.Status.DRAFT)
    TeachingAssignmentFactory(offer=offer)
    client.get(f"/tableau-ue/{offer.uuid}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/tableau-ue/{offer.uuid}/")
    for _ in range(6):
        TeachingAssignmentFactory(offer=offer)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/tableau-ue/{offer.uuid}/")
    assert len(many) == len(few)
