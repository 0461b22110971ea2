"""Building dossiers for tests: registered students, graded UEs of a semester, a weekly
template for the semester under way, juries, equivalences, internships, experiences."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from cartable.catalogue.models import Offer
from cartable.enrolment.models import Enrolment
from cartable.records.models import (
    CategoryRequirement,
    DecisionKind,
    Equivalence,
    InternationalExperience,
    Internship,
    Jury,
    JuryDecision,
)
from cartable.records.queries import today_semester
from cartable.referential.models import Person
from cartable.timetable.models import Group
from tests.enrolment.campaigns import ue
from tests.enrolment.factories import EnrolmentFactory
from tests.factories import ContractFactory, PersonFactory, PopulationFactory
from tests.timetable.factories import (
    ActivityFactory,
    CalendarFactory,
    GroupFactory,
    RoomFactory,
    SlotFactory,
    first_monday,
)


def registered_student(
    programme: str = "INFO", level: str = "ING2", population: str = "student", **person: Any
) -> Person:
    """A person with a registration in force in ``programme`` at ``level``."""
    contract = ContractFactory(
        population=PopulationFactory(code=population, label=population.title()),
        programme=programme,
        study_level=level,
        person=PersonFactory(**person),
    )
    made: Person = contract.person
    return made


def now_semester() -> tuple[int, str]:
    return today_semester()


def graded(
    student: Person,
    code: str,
    *,
    year: int | None = None,
    semester: str | None = None,
    grade: str = "B",
    credits: str = "6",
    category: str = "CS",
    published: bool = True,
    programme: str = "INFO",
    **offer: Any,
) -> Enrolment:
    """``student`` took UE ``code`` in a semester (the current one by default), with a grade."""
    current_year, current_semester = now_semester()
    year = current_year if year is None else year
    semester = semester or current_semester
    made: Offer = ue(
        code,
        programme=programme,
        category=category,
        credits=credits,
        semesters=semester,
        year=year,
        **offer,
    )
    enrolment: Enrolment = EnrolmentFactory(
        student=student,
        offer=made,
        semester=semester,
        grade=grade,
        grade_published_at=timezone.now() if (published and grade) else None,
    )
    return enrolment


def taught(
    offer: Offer,
    kind: str,
    code: str,
    *,
    day: int = 0,
    start: int = 8,
    end: int = 10,
    weeks: str = "1" * 4,
    room: str = "",
) -> Group:
    """A group of ``offer``'s activity ``kind`` in the current semester, meeting weekly on
    the first weeks of a calendar that starts on a known Monday."""
    year, semester = now_semester()
    CalendarFactory(year=year, semester=semester, first_monday=first_monday(year))
    activity = ActivityFactory._meta.model.objects.filter(
        offer=offer, semester=semester, kind=kind
    ).first() or ActivityFactory(offer=offer, semester=semester, kind=kind)
    group: Group = GroupFactory(
        activity=activity, code=code, room=RoomFactory(code=room) if room else None
    )
    SlotFactory(group=group, day=day, start=time(start), end=time(end), weeks=weeks)
    return group


def kind(code: str = "normal") -> DecisionKind:
    found: DecisionKind = DecisionKind.objects.get(code=code)
    return found


class JuryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jury

    year = factory.LazyFunction(lambda: now_semester()[0])
    semester = factory.LazyFunction(lambda: now_semester()[1])
    programme = "INFO"
    date = factory.LazyFunction(lambda: timezone.localdate())
    title = factory.LazyAttribute(lambda o: f"Jury {o.programme} {o.semester} {o.year}")


def decide(jury: Jury, student: Person, code: str = "normal", comment: str = "") -> JuryDecision:
    made: JuryDecision = JuryDecision.objects.create(
        jury=jury, student=student, kind=kind(code), comment=comment
    )
    return made


class EquivalenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equivalence

    origin = Equivalence.Origin.ABROAD
    institution = "Politecnico di Milano"
    country = "Italie"
    category = "TM"
    credits = Decimal("12")
    status = Equivalence.Status.ACCEPTED


class InternshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Internship

    kind = Internship.Kind.WORKER
    company = "Alstom"
    city = "Belfort"
    country = "France"
    start_date = factory.LazyFunction(lambda: date(2025, 6, 2))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(weeks=4, days=-3))
    weeks = 4
    status = Internship.Status.VALIDATED


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InternationalExperience

    kind = InternationalExperience.Kind.SEMESTER
    partner = "Tongji University"
    country = "Chine"
    start_date = factory.LazyFunction(lambda: date(2025, 9, 1))
    end_date = factory.LazyFunction(lambda: date(2026, 1, 31))
    credits_recognised = Decimal("30")


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryRequirement

    programme = "INFO"
    catalogue_year = factory.LazyFunction(lambda: now_semester()[0])
    categories = "CS"
    min_credits = Decimal("30")
    label = factory.LazyAttribute(lambda o: f"Crédits {o.categories or 'total'}")
