"""The demo weekly templates and campaigns: every UE can be taken, the demo enrolments of each
student fit together, a student of each programme can compose a spring semester in the open
campaign, and the build prints its steps and totals.

The campus is built once for the module (tiny scale) and rolled back at the end."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.enrolment.models import Campaign, Enrolment, ProgrammeRule, Seats, StudentChoice
from cartable.timetable import api, findings, rules
from cartable.timetable.models import Room, Slot, TeachingCalendar

TINY = 0.02


@pytest.fixture(scope="module")
def campus(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("build_demo_campus", seed=2026, scale=TINY, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def built(campus: str, db: None) -> str:
    return campus


def test_the_build_prints_the_timetable_and_campaign_steps_and_totals(built: str) -> None:
    assert "semaine type / weekly templates" in built
    assert "campagnes / enrolment campaigns" in built
    for total in ("semester calendars", "rooms", "timetable slots", "enrolment campaigns"):
        assert total in built
    assert TeachingCalendar.objects.count() == 4
    assert Room.objects.filter(features__contains="info").exists()


def test_each_calendar_starts_on_a_monday_with_a_holiday_week(built: str) -> None:
    for calendar in TeachingCalendar.objects.all():
        assert calendar.first_monday.weekday() == 0
        assert calendar.teaching_weeks.count("0") == 1
        assert calendar.teaching_weeks.count("1") == 16


def test_every_taught_offer_has_a_template_that_a_student_can_take(built: str) -> None:
    year = catalogue.current_year()
    for semester in ("A", "P"):
        offers = [
            o
            for o in catalogue.timetable_offers(year, semester)
            if o.hours_cm or o.hours_td or o.hours_tp
        ]
        templates = api.ue_weeks([o.uuid for o in offers], semester)
        for offer in offers:
            found = findings.examine(templates[offer.uuid])
            assert templates[offer.uuid].activities, offer.ue_code
            assert found.ok, (offer.ue_code, semester, found)


def test_labs_meet_on_alternating_weeks_and_some_are_attached_to_a_td_group(built: str) -> None:
    labs = Slot.objects.filter(group__activity__kind="TP")
    assert labs.exclude(weeks__contains="11").exists()
    assert labs.filter(group__parent__isnull=False).exists()


def test_the_demo_enrolments_of_each_student_fit_together(built: str) -> None:
    chosen: dict[int, list[Any]] = defaultdict(list)
    enrolments = Enrolment.objects.filter(campaign__semester="A").values_list(
        "student_id", "offer__uuid"
    )
    for student, offer_uuid in enrolments:
        chosen[student].append(offer_uuid)
    assert chosen
    templates = api.ue_weeks({u for offers in chosen.values() for u in offers}, "A")
    for student, offers in chosen.items():
        assert rules.check([templates[u] for u in offers]).compatible, student


def test_a_student_of_each_programme_holds_a_full_autumn_semester(built: str) -> None:
    best: dict[str, int] = defaultdict(int)
    for choice in StudentChoice.objects.filter(campaign__semester="A"):
        count = Enrolment.objects.filter(campaign=choice.campaign, student=choice.student).count()
        best[choice.programme] = max(best[choice.programme], count)
    assert best
    assert all(count >= 4 for count in best.values()), best


def test_the_autumn_campaigns_are_closed_and_hold_this_years_enrolments(built: str) -> None:
    now = timezone.now()
    autumn = list(Campaign.objects.filter(semester="A"))
    assert {c.population for c in autumn} == {"student", "apprentice"}
    assert all(c.phase(now) == Campaign.Phase.CLOSED for c in autumn)
    year = catalogue.current_year()
    this_year = Enrolment.objects.filter(offer__year=year)
    assert this_year.exists()
    assert not this_year.filter(campaign__isnull=True).exists()
    seats = Seats.objects.filter(campaign__semester="A", taken__gt=0)
    assert seats.exists()


def test_the_spring_campaigns_are_open_with_rules_and_seats(built: str) -> None:
    now = timezone.now()
    spring = list(Campaign.objects.filter(semester="P"))
    assert spring
    for campaign in spring:
        assert campaign.phase(now) == Campaign.Phase.CHOICE
        assert campaign.advising_from - now > timedelta(days=5)
        assert campaign.closes_at - campaign.advising_from >= timedelta(days=6)
        offers = catalogue.published_offers_of_semester(campaign.year, "P")
        assert Seats.objects.filter(campaign=campaign).count() == len(offers)
    programmes = set(catalogue.published_offers_by_programme())
    spring_rules = ProgrammeRule.objects.filter(campaign__semester="P")
    ruled = set(spring_rules.values_list("programme", flat=True))
    assert ruled == programmes
    for rule in spring_rules:
        assert (rule.max_credits, rule.max_ues) == (Decimal(36), 7)
        assert 0 < rule.min_credits <= 24
    assert ProgrammeRule.objects.filter(categories__isnull=False).exists()
    assert ProgrammeRule.objects.filter(mandatory__isnull=False).exists()


def test_a_student_of_each_programme_can_compose_a_spring_semester(built: str) -> None:
    """Spring UEs of every programme are offered, and as many credits of them as the
    programme's rule asks for fit together in the weekly template, its mandatory UE first;
    24 credits wherever the programme offers enough UEs."""
    year = catalogue.current_year()
    for rule in ProgrammeRule.objects.filter(campaign__semester="P").prefetch_related("mandatory"):
        offers = catalogue.offers_for_enrolment(rule.programme, year, "P")
        assert offers, rule.programme
        first = next((m.ue_code for m in rule.mandatory.all()), "")
        usable = sorted(
            (o for o in offers if not o.required_ues and o.category != "ST"),
            key=lambda o: (o.ue_code != first, o.ue_code),
        )
        templates = api.ue_weeks([o.uuid for o in usable], "P")
        placed: list[Any] = []
        credits = Decimal(0)
        for offer in usable:
            fitting = api.fit(placed, templates[offer.uuid])
            if fitting is not None:
                placed += [p.group for p in fitting]
                credits += offer.credits
        assert rule.min_credits > 0
        assert credits >= rule.min_credits, (rule.programme, credits)
        if sum(o.credits for o in usable) >= 36:
            assert rule.min_credits == 24, rule.programme
