"""The resource-tool screens and API: grant, revoke, create rules, explain, export."""

import csv
import io
import json
import uuid

import pytest
from django.test import Client

from cartable.access.models import AccessRule, IndividualAuthorisation
from cartable.core.models import AuditEntry
from tests.factories import (
    AuthorisationFactory,
    ContractFactory,
    PopulationFactory,
    RuleFactory,
    ServiceFactory,
    StructureFactory,
    today,
)
from tests.personas import login, make_persona

pytestmark = pytest.mark.django_db


def test_dsin_grants_an_individual_authorisation_that_takes_effect(client_as) -> None:  # type: ignore[no-untyped-def]
    ServiceFactory(code="vpn")
    person = ContractFactory().person
    response = client_as("dsin_admin").post(
        "/services/vpn/autorisations/nouvelle/",
        {
            "person": person.login,
            "reason": "Télétravail",
            "start_date": today(),
            "end_date": today(),
        },
    )
    assert response.status_code == 302
    authorisation = IndividualAuthorisation.objects.get(person=person)
    assert authorisation.approver.login == "dsin_admin-persona"
    assert AuditEntry.objects.filter(action="access.authorisation.grant").exists()


def test_a_refused_authorisation_form_keeps_what_was_typed(client_as) -> None:  # type: ignore[no-untyped-def]
    ServiceFactory(code="vpn")
    response = client_as("dsin_admin").post(
        "/services/vpn/autorisations/nouvelle/",
        {
            "person": "nobody-here",
            "reason": "Motif saisi",
            "start_date": "2026-12-10",
            "end_date": "2026-12-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Motif saisi" in page
    assert "nobody-here" in page
    assert "Aucune personne" in page
    assert "doit suivre le début" in page
    assert not IndividualAuthorisation.objects.exists()


def test_a_delegate_grants_within_their_structure_but_not_outside(persona) -> None:  # type: ignore[no-untyped-def]
    from cartable.access import actions

    ServiceFactory(code="vpn")
    dept = StructureFactory(code="gi")
    teacher = persona("teacher")
    teacher.person.contracts.update(structure=dept)
    actions.do_delegate(teacher.person.uuid, "gi", start_date=today(), acting_user=None)
    inside = ContractFactory(structure=dept).person
    outside = ContractFactory().person
    client = login(Client(), teacher)
    form = {"reason": "Projet", "start_date": today(), "end_date": today()}
    client.post("/services/vpn/autorisations/nouvelle/", {**form, "person": inside.login})
    refused = client.post(
        "/services/vpn/autorisations/nouvelle/", {**form, "person": outside.login}
    )
    assert IndividualAuthorisation.objects.filter(person=inside).exists()
    assert not IndividualAuthorisation.objects.filter(person=outside).exists()
    assert "hors de votre périmètre" in refused.content.decode()


def test_dsin_revokes_an_authorisation(client_as) -> None:  # type: ignore[no-untyped-def]
    authorisation = AuthorisationFactory(service=ServiceFactory(code="vpn"))
    client_as("dsin_admin").post(
        f"/services/vpn/autorisations/{authorisation.uuid}/revoquer/", {"reason": "Départ"}
    )
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is not None
    assert authorisation.revoked_reason == "Départ"


def test_dsin_creates_a_rule_for_a_population(client_as) -> None:  # type: ignore[no-untyped-def]
    ServiceFactory(code="moodle")
    PopulationFactory(code="student")
    client_as("dsin_admin").post(
        "/services/moodle/regles/nouvelle/",
        {
            "label": "Moodle étudiants",
            "target": "population",
            "population": "student",
            "start_date": today(),
        },
    )
    assert AccessRule.objects.get().population.code == "student"


def test_a_rule_without_its_target_value_is_refused_and_the_form_kept(client_as) -> None:  # type: ignore[no-untyped-def]
    ServiceFactory(code="moodle")
    response = client_as("dsin_admin").post(
        "/services/moodle/regles/nouvelle/",
        {"label": "Sans cible", "target": "group", "start_date": today()},
    )
    assert response.status_code == 200
    assert "Sans cible" in response.content.decode()
    assert not AccessRule.objects.exists()


def test_the_explain_page_shows_the_rule_and_is_journaled(client_as) -> None:  # type: ignore[no-untyped-def]
    rule = RuleFactory(service=ServiceFactory(code="moodle"), label="Moodle pour tous")
    person = ContractFactory(population=rule.population).person
    page = client_as("dsin_admin").get(f"/services/moodle/pourquoi/{person.uuid}/").content.decode()
    assert "Moodle pour tous" in page
    assert AuditEntry.objects.filter(action="access.explain", subject_uuid=person.uuid).exists()


def test_the_provisioning_exports_list_every_holder(client_as) -> None:  # type: ignore[no-untyped-def]
    rule = RuleFactory(service=ServiceFactory(code="moodle"))
    people = {ContractFactory(population=rule.population).person.login for _ in range(3)}
    client = client_as("dsin_admin")
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/services/moodle/titulaires.csv").content.decode()),
            delimiter=";",
        )
    )
    assert {r["login"] for r in rows} == people
    payload = json.loads(client.get("/services/moodle/titulaires.json").content)
    assert {h["login"] for h in payload["holders"]} == people
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.EXPORT).count() == 6


def test_the_api_explains_and_answers_404_with_details(client_as) -> None:  # type: ignore[no-untyped-def]
    rule = RuleFactory(service=ServiceFactory(code="moodle"))
    person = ContractFactory(population=rule.population).person
    client = client_as("dsin_admin")
    data = client.get(f"/api/v1/persons/{person.uuid}/services/moodle/explain/").json()
    assert data["granted"] is True
    assert data["grants"][0]["source"] == "rule"
    missing = client.get(f"/api/v1/persons/{person.uuid}/services/nope/explain/")
    assert missing.status_code == 404
    assert "inconnu" in missing.json()["detail"]
    nobody = client.get(f"/api/v1/persons/{uuid.uuid4()}/services/")
    assert nobody.status_code == 404


def test_the_api_lists_my_services_with_their_grants() -> None:
    student = make_persona("student")
    RuleFactory(
        service=ServiceFactory(code="moodle"), population=student.person.contracts.get().population
    )
    data = login(Client(), student).get("/api/v1/me/services/").json()
    assert [d["service"]["code"] for d in data] == ["moodle"]


def test_the_openapi_schema_describes_the_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/persons/{person_uuid}/services/{code}/explain/" in schema


def test_dsin_delegates_a_structure_for_some_services(client_as) -> None:  # type: ignore[no-untyped-def]
    from cartable.access.models import Delegation

    ServiceFactory(code="vpn")
    ServiceFactory(code="wifi")
    StructureFactory(code="gi")
    delegate = ContractFactory().person
    client = client_as("dsin_admin")
    client.post(
        "/services/delegations/",
        {"delegate": delegate.login, "structure": "gi", "services": ["vpn"], "start_date": today()},
    )
    delegation = Delegation.objects.get()
    assert delegation.delegate == delegate
    assert [s.code for s in delegation.services.all()] == ["vpn"]
    assert delegate.display_name in client.get("/services/delegations/").content.decode()
