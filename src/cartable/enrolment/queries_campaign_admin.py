"""Reading the campaigns as the scolarité manages them: every campaign with its figures, the
rules of each programme of a campaign, and the places of its UEs. Each list takes a fixed
number of queries, whatever the number of campaigns, programmes or UEs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.core.text import fold

from .campaign_admin import rule_values
from .campaign_rules import RuleValues
from .models import Campaign, Enrolment, ProgrammeRule, Seats, WaitlistEntry
from .queries import LIVE


@dataclass(frozen=True)
class CampaignRow:
    """A campaign in the scolarité's list: its settings and where it stands."""

    campaign: Campaign
    phase: str
    students: int  # students with at least one UE chosen
    ues: int  # UEs with places prepared
    unlimited: int  # of which without a limit
    capacity: int  # places of the UEs with a limit
    taken: int  # of those places
    waiting: int  # live wait-list entries


def campaign_rows(*, now: datetime | None = None) -> list[CampaignRow]:
    """Every campaign, the most recent first (four queries)."""
    moment = now or timezone.now()
    campaigns = list(Campaign.objects.order_by("-opens_at", "code"))
    students = dict(
        Enrolment.objects.filter(campaign__isnull=False, status=Enrolment.Status.ACCEPTED)
        .values("campaign_id")
        .annotate(n=Count("student_id", distinct=True))
        .values_list("campaign_id", "n")
    )
    seats: dict[int, dict[str, Any]] = {
        row["campaign_id"]: dict(row)
        for row in Seats.objects.values("campaign_id").annotate(
            ues=Count("pk"),
            unlimited=Count("pk", filter=Q(capacity__isnull=True)),
            places=Sum("capacity"),
            places_taken=Sum("taken", filter=Q(capacity__isnull=False)),
        )
    }
    waiting = dict(
        WaitlistEntry.objects.filter(status__in=LIVE)
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
    )
    rows = []
    for campaign in campaigns:
        figures = seats.get(campaign.pk, {})
        rows.append(
            CampaignRow(
                campaign=campaign,
                phase=campaign.phase(moment),
                students=students.get(campaign.pk, 0),
                ues=figures.get("ues", 0),
                unlimited=figures.get("unlimited", 0),
                capacity=figures.get("places") or 0,
                taken=figures.get("places_taken") or 0,
                waiting=waiting.get(campaign.pk, 0),
            )
        )
    return rows


def other_campaigns(campaign: Campaign) -> list[Campaign]:
    """The campaigns whose rules may be copied into ``campaign``: those that have some."""
    return list(
        Campaign.objects.exclude(pk=campaign.pk)
        .filter(rules__isnull=False)
        .distinct()
        .order_by("-opens_at", "code")
    )


@dataclass(frozen=True)
class ProgrammeRuleRow:
    """A programme of the campaign's catalogue year and its rules (None: none set).
    ``in_catalogue`` is False for a rule whose programme the year does not have."""

    programme: str
    title: str
    title_en: str
    rule: RuleValues | None
    in_catalogue: bool = True


def programme_rule_rows(campaign: Campaign) -> list[ProgrammeRuleRow]:
    """Every programme of the campaign's year with its rules, by code (four queries)."""
    saved = {
        rule.programme: rule_values(rule)
        for rule in ProgrammeRule.objects.filter(campaign=campaign).prefetch_related(
            "mandatory", "categories"
        )
    }
    rows = [
        ProgrammeRuleRow(code, title, title_en, saved.pop(code, None))
        for code, title, title_en in catalogue.programmes_of_year(campaign.year)
    ]
    rows += [
        ProgrammeRuleRow(code, code, code, values, in_catalogue=False)
        for code, values in sorted(saved.items())
    ]
    return rows


def programme_rule(campaign: Campaign, programme: str) -> RuleValues | None:
    rule = (
        ProgrammeRule.objects.filter(campaign=campaign, programme=programme)
        .prefetch_related("mandatory", "categories")
        .first()
    )
    return rule_values(rule) if rule else None


def programme_title(campaign: Campaign, programme: str) -> tuple[str, str] | None:
    """The titles of a programme of the campaign's year; None when it has no such one."""
    for code, title, title_en in catalogue.programmes_of_year(campaign.year):
        if code == programme:
            return title, title_en
    return None


@dataclass(frozen=True)
class SeatRow:
    """A UE's places in a campaign."""

    offer_uuid: uuid.UUID
    ue_code: str
    title: str
    title_en: str
    capacity: int | None  # None: no limit
    taken: int
    waiting: int
    programmes: tuple[str, ...]

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity


def seat_rows(campaign: Campaign, ue_code: str | None = None) -> list[SeatRow]:
    """The UEs with places in the campaign (or the one of ``ue_code``), by code: capacity,
    places taken, live wait-list, programmes it counts for (three queries)."""
    seats = Seats.objects.filter(campaign=campaign)
    if ue_code is not None:
        seats = seats.filter(offer__ue__code=ue_code)
    found = list(
        seats.order_by("offer__ue__code").values_list(
            "offer_id",
            "offer__uuid",
            "offer__ue__code",
            "offer__title",
            "offer__title_en",
            "capacity",
            "taken",
        )
    )
    if not found:
        return []
    waiting = WaitlistEntry.objects.filter(campaign=campaign, status__in=LIVE)
    if ue_code is not None:
        waiting = waiting.filter(offer_id__in=[row[0] for row in found])
    counts = dict(waiting.values("offer_id").annotate(n=Count("pk")).values_list("offer_id", "n"))
    programmes: dict[uuid.UUID, list[str]] = {}
    for programme, offers in catalogue.published_offers_by_programme(campaign.year).items():
        for offer_uuid, _capacity in offers:
            programmes.setdefault(offer_uuid, []).append(programme)
    return [
        SeatRow(
            offer_uuid=offer_uuid,
            ue_code=code,
            title=title,
            title_en=title_en,
            capacity=capacity,
            taken=taken,
            waiting=counts.get(offer_id, 0),
            programmes=tuple(sorted(programmes.get(offer_uuid, []))),
        )
        for offer_id, offer_uuid, code, title, title_en, capacity, taken in found
    ]


def filter_seat_rows(
    rows: Iterable[SeatRow], *, text: str = "", programme: str = "", full_only: bool = False
) -> list[SeatRow]:
    """Rows matching a search: every word of ``text`` in the code or a title (accents and
    case ignored), a programme, only the full UEs."""
    words = fold(text).split()
    found = []
    for row in rows:
        haystack = fold(f"{row.ue_code} {row.title} {row.title_en}")
        if any(word not in haystack for word in words):
            continue
        if programme and programme not in row.programmes:
            continue
        if full_only and not row.full:
            continue
        found.append(row)
    return found
