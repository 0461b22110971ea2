"""Responsibilities in the catalogue give roles, only while a contract is in force."""

from datetime import timedelta

import pytest

from cartable.catalogue.models import Offer
from cartable.core.permissions import Role, roles_of
from cartable.referential import actions as referential_actions
from tests.catalogue.factories import OfferFactory, ProgrammeFactory
from tests.factories import ContractFactory, PopulationFactory, today

pytestmark = pytest.mark.django_db


def teacher():  # type: ignore[no-untyped-def]
    population = PopulationFactory(code="teacher_researcher", grace_days=0)
    return ContractFactory(population=population)


def test_the_responsible_of_an_offer_coordinates_a_ue() -> None:
    contract = teacher()
    OfferFactory(responsible=contract.person)
    assert roles_of(contract.person.user) == {Role.TEACHER, Role.UE_COORDINATOR}


def test_an_archived_offer_gives_no_role() -> None:
    contract = teacher()
    OfferFactory(responsible=contract.person, status=Offer.Status.ARCHIVED)
    assert Role.UE_COORDINATOR not in roles_of(contract.person.user)


def test_the_head_of_a_programme_is_a_programme_head() -> None:
    contract = teacher()
    ProgrammeFactory(head=contract.person)
    assert Role.PROGRAMME_HEAD in roles_of(contract.person.user)


def test_responsibilities_give_nothing_once_the_contract_has_ended() -> None:
    contract = teacher()
    OfferFactory(responsible=contract.person)
    referential_actions.do_end_contract(
        contract.reference, today() - timedelta(days=1), acting_user=None
    )
    user = type(contract.person.user).objects.get(pk=contract.person.user.pk)
    assert roles_of(user) == frozenset()
