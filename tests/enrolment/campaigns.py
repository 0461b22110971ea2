"""Building campaign worlds for tests: a campaign open today, a programme rule, UEs of the
student's programme with a weekly template, and students registered in the population."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from cartable.catalogue.models import Offer
from cartable.enrolment.models import Campaign, CategoryRule, MandatoryUE, ProgrammeRule
from cartable.referential.models import Person
from cartable.timetable.models import Group
from tests.catalogue.factories import (
    CategoryFactory,
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    UEFactory,
    this_year,
)
from tests.factories import ContractFactory, PersonFactory, PopulationFactory
from tests.timetable.factories import ActivityFactory, CalendarFactory, GroupFactory, meets


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"campagne-{n}")
    title = "Inscriptions pédagogiques"
    year = factory.LazyFunction(this_year)
    semester = "A"
    population = "student"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    advising_from = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    claim_hours = 0


def rule(
    campaign: Campaign,
    programme: str = "INFO",
    *,
    low: str = "0",
    high: str = "36",
    max_ues: int | None = None,
    mandatory: tuple[str, ...] = (),
    categories: tuple[tuple[str, str | None, str | None], ...] = (),
) -> ProgrammeRule:
    made = ProgrammeRule.objects.create(
        campaign=campaign,
        programme=programme,
        min_credits=Decimal(low),
        max_credits=Decimal(high),
        max_ues=max_ues,
    )
    for code in mandatory:
        MandatoryUE.objects.create(rule=made, ue_code=code)
    for codes, minimum, maximum in categories:
        CategoryRule.objects.create(
            rule=made,
            categories=codes,
            min_credits=Decimal(minimum) if minimum else None,
            max_credits=Decimal(maximum) if maximum else None,
        )
    return made


def student(programme: str = "INFO", **person: Any) -> Person:
    contract = ContractFactory(
        population=PopulationFactory(code="student"),
        programme=programme,
        study_level="ING2",
        person=PersonFactory(**person),
    )
    person_made: Person = contract.person
    return person_made


def ue(
    code: str,
    *,
    programme: str = "INFO",
    category: str = "CS",
    credits: str = "6",
    capacity: int | None = 30,
    semesters: str = "A",
    **offer: Any,
) -> Offer:
    """A published offer of the year in ``programme`` (no timetable until :func:`cm` etc.)."""
    made: Offer = OfferFactory(
        ue=UEFactory(code=code),
        credits=Decimal(credits),
        capacity=capacity,
        semesters=semesters,
        **offer,
    )
    OfferProgrammeFactory(
        offer=made,
        programme=ProgrammeFactory(code=programme, year=made.year),
        category=CategoryFactory(code=category),
    )
    return made


def group(
    offer: Offer,
    kind: str,
    code: str,
    *,
    day: int,
    start: int,
    end: int,
    weeks: str | None = None,
    capacity: int = 30,
    parent: Group | None = None,
) -> Group:
    """A group of ``offer``'s activity ``kind`` meeting weekly (or on ``weeks``)."""
    CalendarFactory(year=offer.year, semester="A")
    activity = ActivityFactory._meta.model.objects.filter(
        offer=offer, semester="A", kind=kind
    ).first() or ActivityFactory(offer=offer, semester="A", kind=kind)
    made: Group = GroupFactory(activity=activity, code=code, capacity=capacity, parent=parent)
    if weeks:
        meets(made, day, start, end, weeks)
    else:
        meets(made, day, start, end)
    return made
