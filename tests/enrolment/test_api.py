"""The enrolment API: a student's campaigns and semester, choosing and dropping UEs, wait-lists;
the enrolment list of an offer for its staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.core.models import AuditEntry
from cartable.enrolment import actions
from cartable.enrolment.models import Campaign, Enrolment, Seats, WaitlistEntry
from cartable.referential.models import Person
from tests.catalogue.factories import OfferFactory, TeachingAssignmentFactory
from tests.enrolment.factories import EnrolmentFactory
from tests.personas import PERSONA_NAMES, login

from .campaigns import CampaignFactory, group, rule, student, ue

pytestmark = pytest.mark.django_db

BASE = "/api/v1/enrolment/campaigns/"


def as_student(person: Person, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(person.user)
    return client


def add(client: Client, campaign: Campaign, code: Any, **extra: Any) -> Any:
    return client.post(
        f"{BASE}{campaign.code}/choices/", {"ue": code}, content_type="application/json", **extra
    )


def semester(client: Client, campaign: Campaign) -> Any:
    return client.get(f"{BASE}{campaign.code}/semester/").json()


# --- my campaigns and my semester ------------------------------------------------------------


def test_my_campaigns_are_those_of_my_population() -> None:
    mine = CampaignFactory(code="automne", title="Inscriptions d'automne")
    CampaignFactory(code="apprentis", population="apprentice")
    rows = as_student(student()).get(BASE).json()
    assert [r["code"] for r in rows] == ["automne"]
    assert rows[0]["phase"] == "choice"
    assert rows[0]["semester_url"] == f"{BASE}{mine.code}/semester/"


def test_someone_without_a_registration_has_no_campaign(persona: Any) -> None:
    CampaignFactory()
    assert login(Client(), persona("teacher")).get(BASE).json() == []


def test_my_semester_shows_my_ues_credits_and_the_programmes_rules() -> None:
    campaign = CampaignFactory()
    rule(campaign, low="12", high="30", mandatory=("MT42",))
    ue("LO41", credits="6")
    ue("MT42", credits="4")
    ada = student()
    client = as_student(ada)
    add(client, campaign, "LO41")
    body = semester(client, campaign)
    assert [u["ue"] for u in body["chosen"]] == ["LO41"]
    assert body["credits"] == "6.0"
    assert [f["ok"] for f in body["findings"]] == [False, False]
    assert "MT42" in body["findings"][1]["message_fr"]
    assert {u["ue"]: u["chosen"] for u in body["open_ues"]} == {"LO41": True, "MT42": False}


def test_my_semester_shows_my_place_on_a_wait_list() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    actions.do_choose_ue(campaign.code, student().uuid, "LO41", acting_user=None)
    actions.do_join_waitlist(campaign.code, student().uuid, "LO41", acting_user=None)
    ada = student()
    client = as_student(ada)
    client.post(f"{BASE}{campaign.code}/waitlist/", {"ue": "LO41"}, "application/json")
    assert semester(client, campaign)["waitlists"] == [
        {"ue": "LO41", "position": 2, "status": "waiting", "offered_until": None}
    ]


def test_my_semester_shows_one_valid_personal_timetable() -> None:
    campaign = CampaignFactory()
    lo41 = ue("LO41")
    group(lo41, "TD", "TD1", day=0, start=8, end=10)
    group(lo41, "TD", "TD2", day=1, start=8, end=10)
    group(ue("MT42"), "CM", "CM1", day=0, start=8, end=10)
    client = as_student(student())
    add(client, campaign, "MT42")
    add(client, campaign, "LO41")
    timetable = semester(client, campaign)["timetable"]
    assert timetable["compatible"]
    slots = {(s["ue"], s["group"], s["day"], s["start"]) for s in timetable["slots"]}
    assert slots == {("MT42", "CM1", 0, "08:00:00"), ("LO41", "TD2", 1, "08:00:00")}


def test_the_semester_of_a_campaign_that_does_not_concern_me_is_not_found() -> None:
    campaign = CampaignFactory(population="apprentice")
    response = as_student(student()).get(f"{BASE}{campaign.code}/semester/")
    assert response.status_code == 404
    assert response.json()["field"] == "student"


def test_an_unknown_campaign_is_not_found() -> None:
    response = as_student(student()).get(f"{BASE}inconnue/semester/")
    assert response.status_code == 404
    assert response.json()["message_en"] == "Unknown campaign: inconnue."


# --- choosing --------------------------------------------------------------------------------


def test_adding_a_ue_answers_201_with_the_outcome() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    response = add(as_student(ada), campaign, "lo41")
    assert response.status_code == 201
    assert response.json() == {
        "ue": "LO41",
        "accepted": True,
        "refusals": [],
        "can_join_waitlist": False,
    }
    assert Enrolment.objects.get(student=ada, campaign=campaign).offer.ue.code == "LO41"


def test_a_full_ue_answers_409_and_offers_the_wait_list() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    add(as_student(student()), campaign, "LO41")
    response = add(as_student(student()), campaign, "LO41")
    assert response.status_code == 409
    body = response.json()
    assert body["can_join_waitlist"] is True
    assert body["refusals"][0]["cause"] == "full"
    assert "liste d'attente" in body["refusals"][0]["message_fr"]
    assert "wait-list" in body["refusals"][0]["message_en"]
    assert body["refusals"][0]["ue_codes"] == ["LO41"]


def test_a_timetable_clash_answers_409_naming_the_other_ue_without_a_wait_list() -> None:
    campaign = CampaignFactory()
    group(ue("LO41"), "CM", "CM1", day=0, start=8, end=10)
    group(ue("MT42"), "CM", "CM1", day=0, start=9, end=11)
    client = as_student(student())
    add(client, campaign, "MT42")
    body = add(client, campaign, "LO41").json()
    assert [r["cause"] for r in body["refusals"]] == ["timetable"]
    assert body["refusals"][0]["ue_codes"] == ["MT42"]
    assert body["can_join_waitlist"] is False


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "ue"),
        ({"ue": ""}, "ue"),
        ({"ue": 41}, "ue"),
        ({"ue": "LO41; DROP"}, "ue"),
        ({"ue": "X" * 21}, "ue"),
        (["LO41"], "body"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_changes_nothing(
    payload: Any, field: str
) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    response = as_student(student()).post(
        f"{BASE}{campaign.code}/choices/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    assert body["message_fr"]
    assert body["message_en"]
    assert not Enrolment.objects.exists()


def test_a_body_that_is_not_json_answers_400() -> None:
    campaign = CampaignFactory()
    response = as_student(student()).post(
        f"{BASE}{campaign.code}/choices/", "{ue:", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "body"


def test_a_form_encoded_body_is_accepted_too() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    response = as_student(student()).post(f"{BASE}{campaign.code}/choices/", {"ue": "LO41"})
    assert response.status_code == 201


def test_choosing_in_a_campaign_of_another_population_is_not_found() -> None:
    campaign = CampaignFactory(population="apprentice")
    ue("LO41")
    assert add(as_student(student()), campaign, "LO41").status_code == 404


@pytest.mark.parametrize("who", [n for n in PERSONA_NAMES if n not in ("student", "outsider")])
def test_staff_cannot_choose_in_a_student_campaign(who: str, persona: Any) -> None:
    campaign = CampaignFactory()
    ue("LO41")
    assert add(login(Client(), persona(who)), campaign, "LO41").status_code == 404


def test_an_anonymous_visitor_cannot_choose() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    assert add(Client(), campaign, "LO41").status_code == 403
    assert not Enrolment.objects.exists()


def test_a_write_without_the_csrf_token_is_refused() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    client = as_student(ada, csrf=True)
    assert add(client, campaign, "LO41").status_code == 403
    client.get(BASE)  # my campaigns set the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert add(client, campaign, "LO41", HTTP_X_CSRFTOKEN=token).status_code == 201


# --- dropping and wait-lists -----------------------------------------------------------------


def test_dropping_answers_204_and_the_place_goes_to_the_wait_list() -> None:
    campaign = CampaignFactory()
    offer = ue("LO41", capacity=1)
    ada, bob = student(), student()
    add(as_student(ada), campaign, "LO41")
    actions.do_join_waitlist(campaign.code, bob.uuid, "LO41", acting_user=None)
    response = as_student(ada).delete(f"{BASE}{campaign.code}/choices/LO41/")
    assert response.status_code == 204
    assert Enrolment.objects.get(student=bob, offer=offer).status == Enrolment.Status.ACCEPTED
    assert Seats.objects.get(campaign=campaign, offer=offer).taken == 1


def test_dropping_a_ue_i_did_not_choose_answers_400() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    response = as_student(student()).delete(f"{BASE}{campaign.code}/choices/LO41/")
    assert response.status_code == 400
    assert response.json()["field"] == "ue"
    assert "LO41" in response.json()["message_fr"]


def test_joining_a_wait_list_answers_my_position_and_leaving_it_204() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    add(as_student(student()), campaign, "LO41")
    ada = student()
    client = as_student(ada)
    joined = client.post(f"{BASE}{campaign.code}/waitlist/", {"ue": "LO41"}, "application/json")
    assert joined.status_code == 201
    assert joined.json() == {"ue": "LO41", "position": 1}
    assert client.delete(f"{BASE}{campaign.code}/waitlist/LO41/").status_code == 204
    entry = WaitlistEntry.objects.get(student=ada)
    assert entry.status == WaitlistEntry.Status.WITHDRAWN


def test_joining_the_wait_list_of_a_ue_with_free_places_answers_400() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    response = as_student(student()).post(
        f"{BASE}{campaign.code}/waitlist/", {"ue": "LO41"}, "application/json"
    )
    assert response.status_code == 400
    assert "directly" in response.json()["message_en"]


def test_claiming_the_place_offered_answers_201() -> None:
    campaign = CampaignFactory(claim_hours=24)
    ue("LO41", capacity=1)
    holder, ada = student(), student()
    add(as_student(holder), campaign, "LO41")
    actions.do_join_waitlist(campaign.code, ada.uuid, "LO41", acting_user=None)
    actions.do_drop_ue(campaign.code, holder.uuid, "LO41", acting_user=None)
    client = as_student(ada)
    assert semester(client, campaign)["waitlists"][0]["status"] == "offered"
    response = client.post(f"{BASE}{campaign.code}/waitlist/LO41/claim/")
    assert response.status_code == 201
    assert response.json()["accepted"] is True


def test_claiming_without_a_place_offered_answers_400() -> None:
    campaign = CampaignFactory(claim_hours=24)
    ue("LO41")
    response = as_student(student()).post(f"{BASE}{campaign.code}/waitlist/LO41/claim/")
    assert response.status_code == 400


# --- staff: who is enrolled ------------------------------------------------------------------


def students_url(offer: Any) -> str:
    return f"/api/v1/enrolment/offers/{offer.uuid}/students/"


def test_the_responsible_reads_the_enrolment_list_with_the_group_left_empty(
    persona: Any,
) -> None:
    teacher = persona("teacher")
    offer = OfferFactory(responsible=teacher.person)
    enrolment = EnrolmentFactory(offer=offer)
    body = login(Client(), teacher).get(students_url(offer)).json()
    assert body["offer"]["ue"] == offer.ue.code
    assert body["count"] == 1
    row = body["students"][0]
    assert row["uuid"] == str(enrolment.student.uuid)
    assert (row["programme"], row["study_level"], row["group"]) == ("INFO", "ING2", "")


def test_reading_the_enrolment_list_is_journaled(persona: Any) -> None:
    teacher = persona("teacher")
    offer = OfferFactory(responsible=teacher.person)
    enrolment = EnrolmentFactory(offer=offer)
    login(Client(), teacher).get(students_url(offer))
    entry = AuditEntry.objects.get(action="enrolment.roster.api")
    assert entry.subject_uuid == enrolment.student.uuid
    assert entry.detail == {"offer": str(offer.uuid)}


def test_a_teacher_outside_the_team_does_not_find_the_offer(persona: Any) -> None:
    offer = OfferFactory()
    member, stranger = persona("teacher"), persona("ue_coordinator")
    TeachingAssignmentFactory(offer=offer, person=member.person)
    assert login(Client(), member).get(students_url(offer)).status_code == 200
    assert login(Client(), stranger).get(students_url(offer)).status_code == 404


def test_the_enrolment_list_costs_the_same_queries_for_two_or_twenty_students(
    persona: Any,
) -> None:
    teacher = persona("teacher")
    offer = OfferFactory(responsible=teacher.person)
    client = login(Client(), teacher)
    EnrolmentFactory.create_batch(2, offer=offer)
    client.get(students_url(offer))
    with CaptureQueriesContext(connection) as few:
        client.get(students_url(offer))
    EnrolmentFactory.create_batch(18, offer=offer)
    with CaptureQueriesContext(connection) as many:
        assert client.get(students_url(offer)).json()["count"] == 20
    assert len(many) == len(few)


# --- documentation ---------------------------------------------------------------------------


def test_the_endpoints_are_documented_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    choose = paths["/api/v1/enrolment/campaigns/{code}/choices/"]["post"]
    assert set(choose["responses"]) == {"201", "400", "404", "409"}
    refused = choose["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
    assert refused.endswith("/Outcome")
    assert "delete" in paths["/api/v1/enrolment/campaigns/{code}/choices/{ue}/"]
    assert "get" in paths["/api/v1/enrolment/campaigns/{code}/semester/"]
    assert "get" in paths["/api/v1/enrolment/offers/{offer_uuid}/students/"]
