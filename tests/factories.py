"""Factories shared by every test module. State is built with factories and real actions."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cartable.access.models import AccessRule, DigitalService, IndividualAuthorisation
from cartable.referential.models import (
    Campus,
    Contract,
    Function,
    Group,
    GroupMembership,
    Person,
    Population,
    Structure,
)


def today() -> date:
    return timezone.localdate()


class CampusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campus
        django_get_or_create = ("code",)

    code = "belfort"
    name = "Belfort"
    city = "Belfort"


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"struct-{n}")
    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = Structure.Kind.DEPARTMENT
    parent = None


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population
        django_get_or_create = ("code",)

    code = "student"
    label = "Étudiant"
    label_en = "Student"
    kind = Population.Kind.REGISTRATION
    eduperson_affiliations = "student,member"
    grace_days = 0


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    civil_last_name = factory.Faker("last_name", locale="fr_FR")
    civil_first_name = factory.Faker("first_name", locale="fr_FR")
    login = factory.Sequence(lambda n: f"person{n}")
    eppn = factory.LazyAttribute(lambda o: f"{o.login}@utbm.fr")
    institutional_email = factory.LazyAttribute(lambda o: f"{o.login}@utbm.fr")
    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..login"))


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"REF-{n:06d}")
    person = factory.SubFactory(PersonFactory)
    population = factory.SubFactory(PopulationFactory)
    structure = factory.SubFactory(StructureFactory)
    start_date = factory.LazyFunction(lambda: today() - timedelta(days=30))
    end_date = factory.LazyFunction(lambda: today() + timedelta(days=300))


class FunctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Function

    person = factory.SubFactory(PersonFactory)
    code = Function.Code.DSIN_ADMIN
    structure = factory.SubFactory(StructureFactory)
    start_date = factory.LazyFunction(lambda: today() - timedelta(days=30))
    end_date = None


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Groupe {n}")
    kind = Group.Kind.STATIC


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(PersonFactory)
    start_date = factory.LazyFunction(lambda: today() - timedelta(days=10))


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigitalService
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    category = DigitalService.Category.PEDAGOGY
    url = "https://moodle.example.fr/"


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessRule

    service = factory.SubFactory(ServiceFactory)
    label = factory.Sequence(lambda n: f"Règle {n}")
    population = factory.SubFactory(PopulationFactory)
    start_date = factory.LazyFunction(lambda: today() - timedelta(days=365))


class AuthorisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndividualAuthorisation

    service = factory.SubFactory(ServiceFactory)
    person = factory.SubFactory(PersonFactory)
    approver = factory.SubFactory(PersonFactory)
    reason = "Projet de recherche"
    start_date = factory.LazyFunction(lambda: today() - timedelta(days=1))
    end_date = factory.LazyFunction(lambda: today() + timedelta(days=30))
