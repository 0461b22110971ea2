"""Demo enrolment campaigns: for each registration population of the demo (students, and
apprentices), the autumn campaign of the current catalogue year, closed, which holds this
year's demo enrolments (each student's semester validated), and the spring campaign, open
around today — choices opened three days ago, advising from in a week, closing a week later
— with its rules for every programme (credit range, at most seven UEs, category rules, a
mandatory UE where one can hold all the programme's students) and its seats prepared.

Deterministic for a seed and a day."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import EnrolmentOffer
from cartable.core.calendar import academic_year, academic_year_label
from cartable.referential import api as referential
from cartable.timetable import api as timetable
from cartable.timetable.data import GroupOption

from .actions import do_prepare_seats
from .models import (
    Campaign,
    CategoryRule,
    Enrolment,
    MandatoryUE,
    ProgrammeRule,
    Seats,
    StudentChoice,
)

#: population code → (French, English) of the campaign titles; apprentices follow the FISA
#: programmes, everyone else the others.
POPULATIONS = {
    "student": ("étudiant·es", "students"),
    "apprentice": ("apprenti·es", "apprentices"),
}
SEMESTERS = {"A": ("automne", "autumn"), "P": ("printemps", "spring")}
MIN_CREDITS, MAX_CREDITS, MAX_UES = Decimal(24), Decimal(36), 7
#: Categories that must weigh in a spring semester, and those capped.
CORE, CORE_MINIMUM = ("CS", "TM"), Decimal(12)
SIDE, SIDE_MAXIMUM = ("EC", "OM", "QC"), Decimal(12)
OPENED_DAYS_AGO, ADVISING_IN_DAYS, CLOSING_IN_DAYS = 3, 7, 14
BATCH = 2000


@dataclass(frozen=True)
class CampaignTotals:
    campaigns: int
    rules: int
    mandatory: int
    seats: int


def campaign_totals() -> dict[str, int]:
    return {
        "enrolment campaigns": Campaign.objects.count(),
        "programme rules": ProgrammeRule.objects.count(),
        "prepared seats": Seats.objects.count(),
    }


def _moment(day: date, hour: int = 8) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _populations() -> list[str]:
    held = {choice.code for choice in referential.population_choices()}
    return [code for code in POPULATIONS if code in held]


def _programmes_of(population: str, programmes: list[str]) -> list[str]:
    apprentices = population == "apprentice"
    return [p for p in programmes if p.startswith("FISA-") == apprentices]


def _students_by_programme(day: date) -> Counter[tuple[str, str]]:
    """Registrations in force, by (population, catalogue programme)."""
    counts: Counter[tuple[str, str]] = Counter()
    for facts in referential.facts_for(None, day).values():
        for contract in facts.contracts:
            if contract.kind == "registration" and contract.programme:
                programme = contract.programme
                if contract.population_code == "apprentice":
                    programme = f"FISA-{programme}"
                counts[(contract.population_code, programme)] += 1
    return counts


def _campaign(
    rng: random.Random, year: int, semester: str, population: str, **dates: Any
) -> Campaign:
    season_fr, season_en = SEMESTERS[semester]
    who_fr, who_en = POPULATIONS[population]
    label = academic_year_label(year)
    return Campaign(
        uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
        code=f"ip-{year}-{semester.lower()}-{population}",
        title=f"Inscriptions pédagogiques — {season_fr} {label} ({who_fr})",
        title_en=f"Course enrolment — {season_en} {label} ({who_en})",
        year=year,
        semester=semester,
        population=population,
        **dates,
    )


def _credits(offers: list[EnrolmentOffer], categories: tuple[str, ...]) -> Decimal:
    return sum((o.credits for o in offers if o.category in categories), Decimal(0))


def reachable_credits(offers: list[EnrolmentOffer], semester: str, first: str = "") -> Decimal:
    """Credits a student can put together from ``offers`` (UEs without prerequisites, no
    internship), taking them in code order (``first`` before the others) whenever one fits
    in the weekly template beside those already taken."""
    usable = [o for o in offers if not o.required_ues and o.category != "ST"]
    usable.sort(key=lambda o: (o.ue_code != first, o.ue_code))
    templates = timetable.ue_weeks([o.uuid for o in usable], semester)
    placed: list[GroupOption] = []
    credits = Decimal(0)
    for offer in usable:
        fitting = timetable.fit(placed, templates[offer.uuid])
        if fitting is not None:
            placed += [p.group for p in fitting]
            credits += offer.credits
    return credits


def _rules(
    campaign: Campaign, programme: str, students: int
) -> tuple[ProgrammeRule, list[CategoryRule], MandatoryUE | None]:
    """A programme's spring rules, only those its spring offers can satisfy: the lowest
    credit count is what a student can reach when the programme offers few UEs."""
    offers = catalogue.offers_for_enrolment(programme, campaign.year, campaign.semester)
    roomy = [
        o
        for o in offers
        if o.category in CORE
        and not o.required_ues
        and (o.capacity is None or o.capacity >= students)
    ]
    roomy.sort(key=lambda o: (-(o.capacity or 10**6), o.ue_code))
    required = roomy[0].ue_code if roomy else ""
    reachable = reachable_credits(offers, campaign.semester, required)
    rule = ProgrammeRule(
        campaign=campaign,
        programme=programme,
        min_credits=min(MIN_CREDITS, reachable.to_integral_value(rounding=ROUND_FLOOR)),
        max_credits=MAX_CREDITS,
        max_ues=MAX_UES,
    )
    categories = [CategoryRule(rule=rule, categories=",".join(SIDE), max_credits=SIDE_MAXIMUM)]
    if _credits(offers, CORE) >= 2 * CORE_MINIMUM:
        categories.append(
            CategoryRule(rule=rule, categories=",".join(CORE), min_credits=CORE_MINIMUM)
        )
    mandatory = MandatoryUE(rule=rule, ue_code=required) if required else None
    return rule, categories, mandatory


def build_campaigns(*, seed: int, day: date | None = None) -> CampaignTotals:
    """The autumn (closed) and spring (open) campaigns of the current catalogue year."""
    day = day or referential.today()
    year = academic_year(day)
    rng = random.Random(f"cartable-demo-campaigns:{seed}")
    start = timetable.calendar_first_monday(year, "A") or date(year, 9, 1)
    autumn_dates = {
        "opens_at": _moment(start - timedelta(days=75)),
        "advising_from": _moment(start - timedelta(days=45)),
        "closes_at": _moment(start - timedelta(days=7), 18),
    }
    spring_dates = {
        "opens_at": _moment(day - timedelta(days=OPENED_DAYS_AGO)),
        "advising_from": _moment(day + timedelta(days=ADVISING_IN_DAYS)),
        "closes_at": _moment(day + timedelta(days=CLOSING_IN_DAYS), 18),
    }
    campaigns: list[Campaign] = []
    for population in _populations():
        campaigns.append(_campaign(rng, year, "A", population, **autumn_dates))
        campaigns.append(_campaign(rng, year, "P", population, **spring_dates))
    Campaign.objects.bulk_create(campaigns)
    programmes = sorted(catalogue.published_offers_by_programme(year))
    students = _students_by_programme(day)
    rules: list[ProgrammeRule] = []
    categories: list[CategoryRule] = []
    mandatory: list[MandatoryUE] = []
    for campaign in (c for c in campaigns if c.semester == "P"):
        for programme in _programmes_of(campaign.population, programmes):
            count = students[(campaign.population, programme)]
            rule, limits, required = _rules(campaign, programme, count)
            rules.append(rule)
            categories += limits
            mandatory += [required] if required else []
    ProgrammeRule.objects.bulk_create(rules)
    CategoryRule.objects.bulk_create(categories)
    MandatoryUE.objects.bulk_create(mandatory)
    seats = sum(do_prepare_seats(c.code, acting_user=None) for c in campaigns if c.semester == "P")
    return CampaignTotals(
        campaigns=len(campaigns), rules=len(rules), mandatory=len(mandatory), seats=seats
    )


def autumn_campaigns(year: int) -> dict[str, Campaign]:
    """The autumn campaign of each population for a catalogue year."""
    return {c.population: c for c in Campaign.objects.filter(year=year, semester="A")}


def close_autumn(campaigns: dict[str, Campaign], students: dict[int, tuple[str, str]]) -> None:
    """After the autumn enrolments: each student's semester validated, and the seats of the
    campaign counting the places taken."""
    choices = [
        StudentChoice(
            campaign=campaigns[population],
            student_id=student_pk,
            programme=programme,
            status=StudentChoice.Status.VALIDATED,
            validated_at=campaigns[population].closes_at,
        )
        for student_pk, (population, programme) in sorted(students.items())
        if population in campaigns
    ]
    StudentChoice.objects.bulk_create(choices, batch_size=BATCH)
    for campaign in campaigns.values():
        do_prepare_seats(campaign.code, acting_user=None)
        taken = dict(
            Enrolment.objects.filter(campaign=campaign, status=Enrolment.Status.ACCEPTED)
            .values("offer_id")
            .annotate(n=Count("pk"))
            .values_list("offer_id", "n")
        )
        rows = list(Seats.objects.filter(campaign=campaign, offer_id__in=list(taken)))
        for row in rows:
            row.taken = taken[row.offer_id]
            if row.capacity is not None and row.taken > row.capacity:
                row.capacity = row.taken
        Seats.objects.bulk_update(rows, ["taken", "capacity"], batch_size=BATCH)
