"""A person is active, and can log in, only while a contract or registration is in force."""

from datetime import timedelta

import pytest
from django.test import Client

from cartable.core.models import AuditEntry
from cartable.core.permissions import Role, roles_of
from cartable.referential import actions, api
from tests.factories import ContractFactory, PersonFactory, PopulationFactory, today


@pytest.mark.django_db
def test_a_person_without_contract_is_inactive() -> None:
    person = PersonFactory()
    assert not api.is_person_active(person.uuid)


@pytest.mark.django_db
def test_a_person_stays_active_during_the_grace_period_of_their_population() -> None:
    population = PopulationFactory(code="student", grace_days=30)
    contract = ContractFactory(population=population, end_date=today() - timedelta(days=10))
    assert api.is_person_active(contract.person.uuid)
    assert not api.is_person_active(contract.person.uuid, today() + timedelta(days=21))


@pytest.mark.django_db
def test_a_person_whose_contract_ended_cannot_log_in() -> None:
    contract = ContractFactory(population=PopulationFactory(grace_days=0))
    credentials = {"username": contract.person.login, "password": "secret-pass-123"}
    assert Client().post("/connexion/", credentials).status_code == 302
    actions.do_end_contract(contract.reference, today() - timedelta(days=1), acting_user=None)
    refused = Client().post("/connexion/", credentials)
    assert refused.status_code == 200
    assert "_auth_user_id" not in refused.wsgi_request.session


@pytest.mark.django_db
def test_ending_a_contract_is_journaled_with_its_previous_end() -> None:
    contract = ContractFactory()
    actions.do_end_contract(contract.reference, today(), acting_user=None)
    entry = AuditEntry.objects.get(action="referential.contract.end")
    assert entry.subject_uuid == contract.person.uuid
    assert entry.detail["previous_end_date"] == contract.end_date.isoformat()


@pytest.mark.django_db
def test_roles_follow_the_registration() -> None:
    contract = ContractFactory(population=PopulationFactory(code="student", grace_days=0))
    user = contract.person.user
    assert roles_of(user) == {Role.STUDENT}
    actions.do_end_contract(contract.reference, today() - timedelta(days=1), acting_user=None)
    fresh = type(user).objects.get(pk=user.pk)  # a new request sees a new user object
    assert roles_of(fresh) == frozenset()


@pytest.mark.django_db
def test_the_roles_of_each_persona_derive_from_the_referential(persona) -> None:  # type: ignore[no-untyped-def]
    expected = {
        "student": {Role.STUDENT},
        "teacher": {Role.TEACHER},
        "ue_coordinator": {Role.TEACHER, Role.UE_COORDINATOR},
        "programme_head": {Role.TEACHER, Role.PROGRAMME_HEAD},
        "scolarite": {Role.SCOLARITE},
        "dsin_admin": {Role.DSIN_ADMIN},
        "dpo": {Role.DPO},
        "security_officer": {Role.SECURITY_OFFICER},
        "direction": {Role.DIRECTION},
        "outsider": set(),
    }
    for name, roles in expected.items():
        assert roles_of(persona(name).user) == roles, name


@pytest.mark.django_db
def test_an_open_session_closes_when_the_contract_ends() -> None:
    contract = ContractFactory(population=PopulationFactory(grace_days=0))
    client = Client()
    client.force_login(contract.person.user)
    assert client.get("/").status_code == 200
    actions.do_end_contract(contract.reference, today() - timedelta(days=1), acting_user=None)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


@pytest.mark.django_db
def test_a_summary_counts_the_grace_period_like_rights_and_roles_do() -> None:
    population = PopulationFactory(code="student", grace_days=30)
    contract = ContractFactory(population=population, end_date=today() - timedelta(days=10))
    summary = api.summary(contract.person.uuid)
    assert summary is not None
    assert summary.active
    assert summary.populations == ("student",)
