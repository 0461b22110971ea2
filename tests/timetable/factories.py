from __future__ import annotations

from datetime import date, time, timedelta

import factory

from cartable.catalogue.models import Offer
from cartable.timetable.models import Activity, Group, Room, Slot, TeachingCalendar
from tests.catalogue.factories import OfferFactory, this_year
from tests.factories import CampusFactory

WEEKS = 16
EVERY_WEEK = "1" * WEEKS


def first_monday(year: int) -> date:
    start = date(year, 9, 1)
    return start + timedelta(days=(7 - start.weekday()) % 7)


class CalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingCalendar
        django_get_or_create = ("year", "semester")

    year = factory.LazyFunction(this_year)
    semester = "A"
    first_monday = factory.LazyAttribute(lambda o: first_monday(o.year))
    teaching_weeks = EVERY_WEEK


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"B{100 + n}")
    name = factory.LazyAttribute(lambda o: f"Salle {o.code}")
    campus = factory.SubFactory(CampusFactory)
    capacity = 40


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    offer = factory.SubFactory(OfferFactory)
    semester = "A"
    kind = Activity.Kind.CM


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    activity = factory.SubFactory(ActivityFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    capacity = 30


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    group = factory.SubFactory(GroupFactory)
    day = 0
    start = time(8, 0)
    end = time(10, 0)
    weeks = EVERY_WEEK


def meets(group: Group, day: int, start: int, end: int, weeks: str = EVERY_WEEK) -> Slot:
    """Give ``group`` a weekly slot from ``start`` to ``end`` o'clock."""
    return SlotFactory(group=group, day=day, start=time(start), end=time(end), weeks=weeks)


#: A semester of 17 weeks whose 9th has no classes.
HOLIDAY_CALENDAR = "11111111011111111"


def teaching_offer(code: str = "LO41", **offer: object) -> Offer:
    """A published offer of this year with a TD teacher in its team, its semester's
    calendar, and a room on its campus."""
    from tests.catalogue.factories import TeachingAssignmentFactory, UEFactory
    from tests.factories import PersonFactory

    made: Offer = OfferFactory(ue=UEFactory(code=code), **offer)
    TeachingAssignmentFactory(
        offer=made, person=PersonFactory(login=f"td-{code.lower()}"), activity="td"
    )
    CalendarFactory(year=made.year, semester="A", teaching_weeks=HOLIDAY_CALENDAR)
    RoomFactory(code="B101", campus=made.campus, capacity=40)
    return made
