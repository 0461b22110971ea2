"""What the scolarité's campaign screens show, in the active language: the campaigns, the
programmes' rules and the places of the UEs as plain lines for the templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .campaign_rules import CategoryValues
from .presenting import campaign_display, pick
from .queries_campaign_admin import CampaignRow, ProgrammeRuleRow, SeatRow


@dataclass(frozen=True)
class CampaignListLine:
    campaign: Any  # presenting.CampaignDisplay
    population: str
    students: int
    ues: int
    unlimited: int
    capacity: int
    taken: int
    waiting: int


def list_line(row: CampaignRow, populations: dict[str, str]) -> CampaignListLine:
    campaign = row.campaign
    return CampaignListLine(
        campaign=campaign_display(campaign, row.phase),
        population=populations.get(campaign.population, campaign.population),
        students=row.students,
        ues=row.ues,
        unlimited=row.unlimited,
        capacity=row.capacity,
        taken=row.taken,
        waiting=row.waiting,
    )


@dataclass(frozen=True)
class RuleLine:
    programme: str
    title: str
    in_catalogue: bool
    has_rule: bool
    credits: str
    max_ues: int | None
    mandatory: str
    categories: list[str]


def _bound(value: Any) -> str:
    return "—" if value is None else f"{value.normalize():f}"


def _limit_text(limit: CategoryValues) -> str:
    low, high = limit.min_credits, limit.max_credits
    if low is not None and high is not None:
        bounds = _("de %(low)s à %(high)s crédits") % {"low": _bound(low), "high": _bound(high)}
    elif low is not None:
        bounds = _("au moins %(low)s crédits") % {"low": _bound(low)}
    else:
        bounds = _("au plus %(high)s crédits") % {"high": _bound(high)}
    return f"{limit.categories} : {bounds}"


def rule_lines(rows: list[ProgrammeRuleRow]) -> list[RuleLine]:
    lines = []
    for row in rows:
        rule = row.rule
        lines.append(
            RuleLine(
                programme=row.programme,
                title=pick(row.title, row.title_en),
                in_catalogue=row.in_catalogue,
                has_rule=rule is not None,
                credits=f"{_bound(rule.min_credits)} – {_bound(rule.max_credits)}" if rule else "",
                max_ues=rule.max_ues if rule else None,
                mandatory=", ".join(rule.mandatory) if rule else "",
                categories=[_limit_text(c) for c in rule.categories] if rule else [],
            )
        )
    return lines


@dataclass(frozen=True)
class SeatLine:
    ue_code: str
    title: str
    programmes: str
    capacity: int | None
    taken: int
    free: int | None
    waiting: int
    full: bool


def seat_line(row: SeatRow) -> SeatLine:
    return SeatLine(
        ue_code=row.ue_code,
        title=pick(row.title, row.title_en),
        programmes=", ".join(row.programmes),
        capacity=row.capacity,
        taken=row.taken,
        free=row.free,
        waiting=row.waiting,
        full=row.full,
    )
