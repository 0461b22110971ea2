"""Tableau de bord UE: editing an offer and moving it through its workflow from the page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from cartable.catalogue.models import Offer
from cartable.core.models import AuditEntry
from tests.catalogue.factories import (
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    SoftwareFactory,
    TeachingAssignmentFactory,
)
from tests.factories import PersonFactory
from tests.personas import login

pytestmark = pytest.mark.django_db

SYLLABUS = {
    "title": "Systèmes d'exploitation",
    "title_en": "Operating systems",
    "credits": "6",
    "objectives": "Comprendre un noyau.",
    "objectives_en": "Understand a kernel.",
    "content": "Processus.",
    "content_en": "Processes.",
    "assessment": "Examen final.",
    "assessment_en": "Final exam.",
    "bibliography": "Tanenbaum.",
}
NEEDS = {
    "groups_cm": "1",
    "groups_td": "3",
    "groups_tp": "4",
    "hours_cm": "24",
    "hours_td": "24",
    "hours_tp": "16",
    "hours_personal": "60",
    "capacity": "90",
    "room_needs": "Salle réseau",
}


@pytest.fixture
def teacher(persona: Any) -> Any:
    return persona("teacher")


@pytest.fixture
def client(teacher: Any) -> Client:
    return login(Client(), teacher)


def draft_of(teacher: Any, **kwargs: Any) -> Offer:
    return OfferFactory(responsible=teacher.person, status=Offer.Status.DRAFT, **kwargs)


def url(offer: Offer, action: str = "") -> str:
    return f"/tableau-ue/{offer.uuid}/{action}"


def reload(offer: Offer) -> Offer:
    return Offer.objects.get(pk=offer.pk)


def test_the_responsible_saves_the_syllabus(client: Client, teacher: Any) -> None:
    offer = draft_of(teacher)
    response = client.post(url(offer, "syllabus/"), SYLLABUS)
    assert response.status_code == 302
    assert (reload(offer).title, reload(offer).assessment_en) == (
        "Systèmes d'exploitation",
        "Final exam.",
    )


def test_a_published_offer_answers_403_to_a_syllabus_edit(client: Client, teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person, title="Systèmes")
    response = client.post(url(offer, "syllabus/"), SYLLABUS)
    assert response.status_code == 403
    assert reload(offer).title == "Systèmes"


def test_a_published_offer_shows_no_syllabus_editor(client: Client, teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    html = client.get(url(offer)).content.decode()
    assert url(offer, "syllabus/") not in html
    assert "Créer une nouvelle version" in html


def test_a_wrong_value_keeps_what_was_typed_and_names_the_field(
    client: Client, teacher: Any
) -> None:
    offer = draft_of(teacher, title="Systèmes")
    response = client.post(url(offer, "syllabus/"), {**SYLLABUS, "credits": "75"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Systèmes d&#x27;exploitation"' in html
    assert 'value="75"' in html
    assert "Crédits ECTS : entre 0 et 60. / ECTS credits: between 0 and 60." in html
    assert reload(offer).title == "Systèmes"


def test_every_wrong_field_is_reported_at_once(client: Client, teacher: Any) -> None:
    offer = draft_of(teacher)
    response = client.post(
        url(offer, "preparation/"), {**NEEDS, "hours_cm": "-1", "groups_td": "x"}
    )
    errors = response.context["needs_form"].errors
    assert set(errors) == {"hours_cm", "groups_td"}


def test_the_responsible_saves_the_timetable_preparation(client: Client, teacher: Any) -> None:
    offer = draft_of(teacher)
    client.post(url(offer, "preparation/"), NEEDS)
    saved = reload(offer)
    assert (saved.groups_tp, saved.hours_personal, saved.capacity) == (4, Decimal("60"), 90)


def test_a_team_member_may_edit_the_syllabus_but_not_the_preparation(
    teacher: Any, persona: Any
) -> None:
    member = persona("ue_coordinator")
    offer = draft_of(teacher)
    TeachingAssignmentFactory(offer=offer, person=member.person)
    client = login(Client(), member)
    assert client.post(url(offer, "syllabus/"), SYLLABUS).status_code == 302
    assert client.post(url(offer, "preparation/"), NEEDS).status_code == 403


def test_software_needs_are_set_from_the_page(client: Client, teacher: Any) -> None:
    offer = draft_of(teacher)
    SoftwareFactory(code="matlab", name="MATLAB")
    data = {
        "software-TOTAL_FORMS": "2",
        "software-INITIAL_FORMS": "0",
        "software-0-software": "matlab",
        "software-0-mode": "virtualised",
        "software-0-note": "Licence campus",
        "software-1-software": "",
        "software-1-mode": "",
    }
    assert client.post(url(offer, "logiciels/"), data).status_code == 302
    assert list(offer.software_needs.values_list("software__code", "mode")) == [
        ("matlab", "virtualised")
    ]


def test_a_software_need_without_access_mode_is_refused(client: Client, teacher: Any) -> None:
    offer = draft_of(teacher)
    SoftwareFactory(code="matlab", name="MATLAB")
    data = {
        "software-TOTAL_FORMS": "1",
        "software-INITIAL_FORMS": "0",
        "software-0-software": "matlab",
        "software-0-mode": "",
    }
    html = client.post(url(offer, "logiciels/"), data).content.decode()
    assert "Mode d&#x27;accès : choisissez un mode d&#x27;accès." in html
    assert not offer.software_needs.exists()


def test_a_team_member_is_added_by_login_from_the_page(client: Client, teacher: Any) -> None:
    offer = draft_of(teacher)
    colleague = PersonFactory(login="martin")
    response = client.post(
        url(offer, "equipe/ajouter/"), {"person": "martin", "activity": "tp", "hours": "12"}
    )
    assert response.status_code == 302
    assert list(offer.team.values_list("person_id", "activity")) == [(colleague.pk, "tp")]


def test_an_unknown_login_keeps_the_form_and_says_so(client: Client, teacher: Any) -> None:
    offer = draft_of(teacher)
    response = client.post(
        url(offer, "equipe/ajouter/"), {"person": "fantome", "activity": "tp", "hours": "12"}
    )
    html = response.content.decode()
    assert 'value="fantome"' in html
    assert "Personne : aucune personne n&#x27;a cet identifiant." in html


def test_a_team_member_is_removed_from_the_page(client: Client, teacher: Any) -> None:
    offer = draft_of(teacher)
    member = TeachingAssignmentFactory(offer=offer, activity="td").person
    client.post(url(offer, "equipe/retirer/"), {"person": str(member.uuid), "activity": "td"})
    assert not offer.team.exists()


def test_a_team_member_cannot_remove_colleagues(teacher: Any, persona: Any) -> None:
    member = persona("ue_coordinator")
    offer = draft_of(teacher)
    TeachingAssignmentFactory(offer=offer, person=member.person)
    colleague = TeachingAssignmentFactory(offer=offer).person
    response = login(Client(), member).post(
        url(offer, "equipe/retirer/"), {"person": str(colleague.uuid)}
    )
    assert response.status_code == 403
    assert offer.team.count() == 2


def test_a_stranger_posting_to_an_offer_gets_404(persona: Any) -> None:
    offer = OfferFactory(status=Offer.Status.DRAFT)
    response = login(Client(), persona("teacher")).post(url(offer, "syllabus/"), SYLLABUS)
    assert response.status_code == 404


def test_the_responsible_submits_from_the_page(client: Client, teacher: Any) -> None:
    offer = draft_of(teacher)
    client.post(url(offer, "soumettre/"))
    assert reload(offer).status == Offer.Status.IN_REVIEW


def test_the_responsible_may_not_publish_from_the_page(client: Client, teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person, status=Offer.Status.IN_REVIEW)
    assert client.post(url(offer, "publier/")).status_code == 403


def test_a_programme_head_publishes_from_the_page(teacher: Any, persona: Any) -> None:
    head = persona("programme_head")
    offer = OfferFactory(responsible=teacher.person, status=Offer.Status.IN_REVIEW)
    OfferProgrammeFactory(offer=offer, programme=ProgrammeFactory(head=head.person))
    login(Client(), head).post(url(offer, "publier/"))
    assert reload(offer).status == Offer.Status.PUBLISHED


def test_returning_to_draft_without_a_comment_says_it_is_required(
    client_as: Any, teacher: Any
) -> None:
    offer = OfferFactory(responsible=teacher.person, status=Offer.Status.IN_REVIEW)
    response = client_as("scolarite").post(url(offer, "renvoyer/"), {"comment": ""})
    assert "Commentaire : ce champ est obligatoire." in response.content.decode()
    assert reload(offer).status == Offer.Status.IN_REVIEW


def test_returning_to_draft_with_a_comment(client_as: Any, teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person, status=Offer.Status.IN_REVIEW)
    client_as("scolarite").post(url(offer, "renvoyer/"), {"comment": "Compléter les TP"})
    entry = AuditEntry.objects.get(action="catalogue.offer.return_to_draft")
    assert (reload(offer).status, entry.detail["comment"]) == ("draft", "Compléter les TP")


def test_a_new_version_opens_on_its_own_page(client: Client, teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    response = client.post(url(offer, "nouvelle-version/"))
    draft = Offer.objects.get(ue=offer.ue, version=2)
    assert response["Location"] == url(draft)
    assert draft.status == Offer.Status.DRAFT


def test_a_second_new_version_is_refused_with_a_message(client: Client, teacher: Any) -> None:
    offer = OfferFactory(responsible=teacher.person)
    client.post(url(offer, "nouvelle-version/"))
    response = client.post(url(offer, "nouvelle-version/"), follow=True)
    assert "déjà en préparation" in response.content.decode()
    assert Offer.objects.filter(ue=offer.ue).count() == 2
