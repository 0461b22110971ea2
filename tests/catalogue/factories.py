"""Factories of the training offer."""

from __future__ import annotations

from decimal import Decimal

import factory

from cartable.catalogue.models import (
    UE,
    Category,
    CompetencyContribution,
    ConstituentElement,
    Diploma,
    Offer,
    OfferProgramme,
    Prerequisite,
    Programme,
    Software,
    SoftwareNeed,
    TeachingAssignment,
    UEAlias,
)
from cartable.core.calendar import academic_year
from tests.factories import CampusFactory, PersonFactory, today


def this_year() -> int:
    return academic_year(today())


class DiplomaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diploma
        django_get_or_create = ("code",)

    code = "ING-INFO"
    kind = Diploma.Kind.ENGINEER
    title = "Ingénieur en informatique"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code", "year")

    diploma = factory.SubFactory(DiplomaFactory)
    year = factory.LazyFunction(this_year)
    code = "INFO"
    cycle = Programme.Cycle.BRANCHE
    title = "Informatique"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = "CS"
    label = "Connaissances scientifiques"


class UEFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UE
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"UE{n:02d}")


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UEAlias

    ue = factory.SubFactory(UEFactory)
    code = factory.Sequence(lambda n: f"OLD{n:02d}")


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    ue = factory.SubFactory(UEFactory)
    year = factory.LazyFunction(this_year)
    status = Offer.Status.PUBLISHED
    title = factory.Sequence(lambda n: f"Unité d'enseignement {n}")
    title_en = factory.Sequence(lambda n: f"Teaching unit {n}")
    objectives = "Comprendre les systèmes d'exploitation."
    content = "Processus, mémoire, fichiers."
    credits = Decimal("6")
    semesters = Offer.Semester.AUTUMN
    campus = factory.SubFactory(CampusFactory)
    hours_cm = Decimal("24")
    hours_td = Decimal("24")
    hours_tp = Decimal("16")
    capacity = 72
    responsible = factory.SubFactory(PersonFactory)


class OfferProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferProgramme

    offer = factory.SubFactory(OfferFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    category = factory.SubFactory(CategoryFactory)


class TeachingAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingAssignment

    offer = factory.SubFactory(OfferFactory)
    person = factory.SubFactory(PersonFactory)


class ElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConstituentElement

    offer = factory.SubFactory(OfferFactory)
    code = factory.Sequence(lambda n: f"EC{n}")
    title = "Travaux pratiques"


class SoftwareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Software
        django_get_or_create = ("code",)

    code = "python"
    name = "Python"
    licence = Software.Licence.FREE


class SoftwareNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SoftwareNeed

    offer = factory.SubFactory(OfferFactory)
    software = factory.SubFactory(SoftwareFactory)
    mode = SoftwareNeed.Mode.BYOD


class UEPrerequisiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prerequisite

    offer = factory.SubFactory(OfferFactory)
    required_ue = factory.SubFactory(UEFactory)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyContribution

    offer = factory.SubFactory(OfferFactory)
    competency = factory.SubFactory("tests.competencies.factories.CompetencyFactory")
    level = factory.SubFactory(
        "tests.competencies.factories.LevelFactory",
        framework=factory.SelfAttribute("..competency.block.framework"),
    )


def offer_with_everything(**kwargs: object) -> Offer:
    """An offer with one row of every kind that belongs to it (links, team, elements,
    prerequisites, software needs, competency contributions)."""
    offer = OfferFactory(**kwargs)
    OfferProgrammeFactory(
        offer=offer,
        programme=ProgrammeFactory(year=offer.year),
        category=CategoryFactory(code="TM", label="Techniques et méthodes"),
    )
    TeachingAssignmentFactory(offer=offer, activity=TeachingAssignment.Activity.TD, hours=24)
    ElementFactory(offer=offer, code="EC1", title="Travaux pratiques", hours=16)
    UEPrerequisiteFactory(offer=offer)
    SoftwareNeedFactory(offer=offer, note="Version 3.12")
    ContributionFactory(offer=offer)
    return offer
