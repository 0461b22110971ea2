"""Effective rights come only from rules and individual authorisations, and only while a
contract or registration is in force (§5.2.2)."""

from datetime import timedelta

import pytest

from cartable.access import actions, api
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from cartable.referential import actions as referential_actions
from cartable.referential.models import Group, Structure
from tests.factories import (
    AuthorisationFactory,
    ContractFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    PopulationFactory,
    RuleFactory,
    ServiceFactory,
    StructureFactory,
    today,
)

pytestmark = pytest.mark.django_db


def held(person) -> set[str]:  # type: ignore[no-untyped-def]
    return {service.code for service, _grants in api.effective_services(person.uuid)}


def test_a_population_rule_grants_the_service_to_its_members() -> None:
    rule = RuleFactory(service=ServiceFactory(code="moodle"))
    contract = ContractFactory(population=rule.population)
    assert held(contract.person) == {"moodle"}


def test_having_an_account_opens_nothing_by_itself() -> None:
    ServiceFactory(code="moodle")
    contract = ContractFactory()
    assert held(contract.person) == set()


def test_a_rule_outside_its_dates_grants_nothing() -> None:
    rule = RuleFactory(
        start_date=today() - timedelta(days=30), end_date=today() - timedelta(days=1)
    )
    contract = ContractFactory(population=rule.population)
    assert held(contract.person) == set()


def test_a_structure_rule_covers_substructures_only_when_asked() -> None:
    lab_pole = StructureFactory(code="pole", kind=Structure.Kind.POLE)
    lab = StructureFactory(code="femto", kind=Structure.Kind.LABORATORY, parent=lab_pole)
    member = ContractFactory(structure=lab).person
    RuleFactory(service=ServiceFactory(code="hpc"), population=None, structure=lab_pole)
    RuleFactory(
        service=ServiceFactory(code="pole-intranet"),
        population=None,
        structure=lab_pole,
        include_substructures=False,
    )
    assert held(member) == {"hpc"}


def test_a_rule_based_group_grants_to_whoever_matches_today() -> None:
    belfort = StructureFactory(code="belfort-site")
    group = GroupFactory(code="belfort-people", kind=Group.Kind.RULE, rule_structure=belfort)
    RuleFactory(service=ServiceFactory(code="door-belfort"), population=None, group=group)
    inside = ContractFactory(structure=belfort).person
    outside = ContractFactory().person
    assert held(inside) == {"door-belfort"}
    assert held(outside) == set()


def test_a_static_group_membership_grants_while_the_person_is_active() -> None:
    group = GroupFactory(code="ca-members")
    RuleFactory(service=ServiceFactory(code="ca-docs"), population=None, group=group)
    contract = ContractFactory()
    MembershipFactory(group=group, person=contract.person)
    assert held(contract.person) == {"ca-docs"}
    referential_actions.do_end_contract(
        contract.reference, today() - timedelta(days=1), acting_user=None
    )
    assert held(contract.person) == set()


def test_ending_a_contract_removes_the_rights_it_carried() -> None:
    rule = RuleFactory(
        service=ServiceFactory(code="moodle"), population=PopulationFactory(grace_days=0)
    )
    contract = ContractFactory(population=rule.population)
    referential_actions.do_end_contract(
        contract.reference, today() - timedelta(days=1), acting_user=None
    )
    assert held(contract.person) == set()


def test_an_individual_authorisation_grants_until_its_expiry() -> None:
    contract = ContractFactory()
    authorisation = AuthorisationFactory(person=contract.person, service=ServiceFactory(code="vpn"))
    assert held(contract.person) == {"vpn"}
    assert (
        api.effective_services(contract.person.uuid, authorisation.end_date + timedelta(days=1))
        == []
    )


def test_an_individual_authorisation_needs_a_contract_in_force() -> None:
    person = PersonFactory()
    AuthorisationFactory(person=person, service=ServiceFactory(code="vpn"))
    assert held(person) == set()


def test_a_revoked_authorisation_grants_nothing_and_is_journaled() -> None:
    contract = ContractFactory()
    authorisation = AuthorisationFactory(person=contract.person)
    actions.do_revoke_authorisation(authorisation.uuid, reason="Fin du projet", acting_user=None)
    assert held(contract.person) == set()
    entry = AuditEntry.objects.get(action="access.authorisation.revoke")
    assert entry.subject_uuid == contract.person.uuid


def test_granting_without_a_reason_is_refused_in_both_languages() -> None:
    contract = ContractFactory()
    approver = PersonFactory()
    ServiceFactory(code="vpn")
    with pytest.raises(DomainError) as refused:
        actions.do_grant_authorisation(
            "vpn",
            contract.person.uuid,
            reason="  ",
            approver_uuid=approver.uuid,
            start_date=today(),
            end_date=today(),
            acting_user=None,
        )
    assert refused.value.field == "reason"
    assert refused.value.message_fr
    assert refused.value.message_en


def test_explain_names_every_grant_and_the_contract_it_stands_on() -> None:
    service = ServiceFactory(code="moodle")
    rule = RuleFactory(service=service, label="Moodle pour les étudiants")
    contract = ContractFactory(population=rule.population)
    AuthorisationFactory(person=contract.person, service=service, reason="Tutorat")
    explanation = api.explain(contract.person.uuid, "moodle")
    assert explanation.granted
    sources = {(g.source, g.label, g.via) for g in explanation.grants}
    assert ("rule", "Moodle pour les étudiants", contract.reference) in sources
    assert any(s[0] == "authorisation" and s[1] == "Tutorat" for s in sources)


def test_explain_says_when_nothing_is_held_because_no_contract_is_in_force() -> None:
    ServiceFactory(code="moodle")
    explanation = api.explain(PersonFactory().uuid, "moodle")
    assert not explanation.granted
    assert not explanation.person_active


def test_the_grant_lasts_until_the_earliest_of_rule_and_contract_ends() -> None:
    rule = RuleFactory(end_date=today() + timedelta(days=10))
    contract = ContractFactory(population=rule.population, end_date=today() + timedelta(days=100))
    (grant,) = api.explain(contract.person.uuid, rule.service.code).grants
    assert grant.until == today() + timedelta(days=10)


def test_computing_everyone_at_once_agrees_with_each_person() -> None:
    moodle = RuleFactory(service=ServiceFactory(code="moodle"))
    group = GroupFactory(code="g1")
    RuleFactory(service=ServiceFactory(code="teams"), population=None, group=group)
    people = [ContractFactory(population=moodle.population).person for _ in range(3)]
    MembershipFactory(group=group, person=people[0])
    AuthorisationFactory(person=people[1], service=ServiceFactory(code="vpn"))
    everyone = api.effective_services_for_all()
    for person in people:
        assert everyone[person.uuid] == frozenset(held(person))


def test_a_delegate_may_grant_only_within_their_structures() -> None:
    dept = StructureFactory(code="dept")
    other = StructureFactory(code="other")
    delegate = ContractFactory(structure=dept).person
    inside = ContractFactory(structure=dept).person
    outside = ContractFactory(structure=other).person
    ServiceFactory(code="vpn")
    actions.do_delegate(delegate.uuid, "dept", start_date=today(), acting_user=None)
    assert api.may_delegate_for(delegate.uuid, inside.uuid, "vpn")
    assert not api.may_delegate_for(delegate.uuid, outside.uuid, "vpn")


def test_provisioning_rows_list_the_holders_with_their_red_list_flag() -> None:
    rule = RuleFactory(service=ServiceFactory(code="moodle"))
    hidden = ContractFactory(population=rule.population, person__red_list=True).person
    rows = api.provisioning_rows("moodle")
    assert [(r["login"], r["red_list"]) for r in rows] == [(hidden.login, True)]
