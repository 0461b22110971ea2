"""The scolarité's management of enrolment campaigns: create and edit a campaign, set the
rules of each programme, copy them from another campaign, and change the places of a UE.

Each write is one named, audited transaction; its values are checked first by the rules of
:mod:`campaign_rules`, and a bad value raises a :class:`DomainError` naming its field in
French and English before anything is written. Once a campaign has opened (or a student has
chosen in it), its catalogue year, semester and population no longer change; once its places
are prepared, neither do its year and semester (the places are those of that semester's
offers).

Changing the places of a UE locks its :class:`Seats` row, as every enrolment does
(docs/decisions/0008): the capacity never drops below the places taken, and places added go
to the UE's wait-list in the same transaction, first eligible student first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.core import audit
from cartable.core.calendar import academic_year_label
from cartable.core.errors import DomainError
from cartable.referential import api as referential

from .actions import fill_freed_places, retrying
from .campaign_rules import (
    CampaignValues,
    CapacityChange,
    CategoryValues,
    CopyOutcome,
    RuleValues,
    category_codes,
    check_category_bounds,
    check_code,
    check_credit_range,
    check_mandatory,
    check_values,
)
from .models import (
    Campaign,
    CategoryRule,
    Enrolment,
    MandatoryUE,
    ProgrammeRule,
    Seats,
    StudentChoice,
)
from .queries import campaign_by_code

OBJECT_TYPE = "enrolment.campaign"


def _check_values(values: CampaignValues, campaign: Campaign | None = None) -> None:
    """The values against the catalogue and the referential; a campaign being edited may
    keep its population."""
    populations = [c.code for c in referential.registration_population_choices()]
    check_values(
        values,
        year_has_programmes=bool(catalogue.programmes_of_year(values.year)),
        populations=[*populations, campaign.population] if campaign else populations,
    )


def normalise_ue_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """UE codes in capitals, each once, past codes replaced by the stable one."""
    found: dict[str, None] = {}
    for raw in codes:
        code = raw.strip().upper()
        if code:
            found[catalogue.resolve_ue_code(code) or code] = None
    return tuple(found)


# --- campaigns -----------------------------------------------------------------------------


def _journal(action: str, acting_user: Any, code: str, detail: dict[str, Any]) -> None:
    audit.record(action, actor=acting_user, object_type=OBJECT_TYPE, object_ref=code, detail=detail)


def _plain(value: Any) -> Any:
    """A value as the journal keeps it (JSON)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def do_create_campaign(code: str, values: CampaignValues, *, acting_user: Any) -> Campaign:
    """A new campaign; its programme rules and places are set afterwards."""
    code = check_code(code)
    _check_values(values)
    if Campaign.objects.filter(code=code).exists():
        raise DomainError(
            "code",
            f"Code : une campagne « {code} » existe déjà.",
            f"Code: a campaign “{code}” already exists.",
        )
    campaign = Campaign(code=code, **{f.name: getattr(values, f.name) for f in fields(values)})
    campaign.title = values.title.strip()
    campaign.title_en = values.title_en.strip()
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as error:  # created meanwhile by someone else
        raise DomainError(
            "code",
            f"Code : une campagne « {code} » existe déjà.",
            f"Code: a campaign “{code}” already exists.",
        ) from error
    _journal(
        "enrolment.campaign.create",
        acting_user,
        code,
        {f.name: _plain(getattr(values, f.name)) for f in fields(values)},
    )
    return campaign


def has_opened(campaign: Campaign, now: datetime) -> bool:
    """Opened: its opening is past, or a student has already chosen in it."""
    return (
        now >= campaign.opens_at
        or StudentChoice.objects.filter(campaign=campaign).exists()
        or Enrolment.objects.filter(campaign=campaign).exists()
    )


FIXED_ONCE_OPENED = {
    "year": ("Année du catalogue", "Catalogue year"),
    "semester": ("Semestre", "Semester"),
    "population": ("Population", "Population"),
}


def _check_fixed(campaign: Campaign, changed: dict[str, Any], now: datetime) -> None:
    fixed = [name for name in FIXED_ONCE_OPENED if name in changed]
    if not fixed:
        return
    if has_opened(campaign, now):
        label_fr, label_en = FIXED_ONCE_OPENED[fixed[0]]
        raise DomainError(
            fixed[0],
            f"{label_fr} : la campagne est déjà ouverte, l'année, le semestre et la "
            "population ne changent plus.",
            f"{label_en}: the campaign has already opened; its year, semester and "
            "population no longer change.",
        )
    if {"year", "semester"} & set(fixed) and Seats.objects.filter(campaign=campaign).exists():
        name = "year" if "year" in fixed else "semester"
        label_fr, label_en = FIXED_ONCE_OPENED[name]
        raise DomainError(
            name,
            f"{label_fr} : les places de la campagne sont déjà préparées pour ce semestre ; "
            "il ne change plus.",
            f"{label_en}: the places of the campaign are already prepared for this "
            "semester; it no longer changes.",
        )


@transaction.atomic
def do_update_campaign(
    code: str, values: CampaignValues, *, acting_user: Any, now: datetime | None = None
) -> list[str]:
    """Change a campaign's titles, dates and claim window (and, before it opens, its year,
    semester and population); returns the names of the values changed."""
    campaign = campaign_by_code(code)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_values(values, campaign)
    wanted = {f.name: getattr(values, f.name) for f in fields(values)}
    wanted["title"], wanted["title_en"] = values.title.strip(), values.title_en.strip()
    changed = {
        name: (getattr(campaign, name), value)
        for name, value in wanted.items()
        if getattr(campaign, name) != value
    }
    _check_fixed(campaign, changed, now or timezone.now())
    if not changed:
        return []
    for name, (_before, after) in changed.items():
        setattr(campaign, name, after)
    campaign.save(update_fields=list(changed))
    _journal(
        "enrolment.campaign.update",
        acting_user,
        campaign.code,
        {name: [_plain(b), _plain(a)] for name, (b, a) in changed.items()},
    )
    return list(changed)


# --- programme rules -----------------------------------------------------------------------


def _programme_or_error(campaign: Campaign, programme: str) -> str:
    codes = {code for code, _t, _e in catalogue.programmes_of_year(campaign.year)}
    if programme not in codes:
        label = academic_year_label(campaign.year)
        raise DomainError(
            "programme",
            f"Formation : {programme} n'existe pas dans le catalogue {label}.",
            f"Programme: {programme} does not exist in the {label} catalogue.",
        )
    return programme


def checked_rule(campaign: Campaign, programme: str, values: RuleValues) -> RuleValues:
    """The rule as it will be saved (UE and category codes normalised), once every value is
    checked: the credit range, the mandatory UEs (each offered to the programme in the
    campaign's semester), the category rules (each a catalogue category)."""
    check_credit_range(values.min_credits, values.max_credits, values.max_ues)
    mandatory = normalise_ue_codes(values.mandatory)
    offers = {
        o.ue_code: o
        for o in catalogue.offers_for_enrolment(
            programme, campaign.year, campaign.semester, ue_codes=mandatory
        )
    }
    check_mandatory(
        programme,
        campaign.year,
        campaign.semester,
        mandatory,
        {code: offer.credits for code, offer in offers.items()},
        values,
    )
    known = catalogue.category_codes() if values.categories else frozenset()
    categories = []
    for index, category in enumerate(values.categories):
        codes = category_codes(index, category.categories, known)
        check_category_bounds(index, category)
        categories.append(
            CategoryValues(",".join(codes), category.min_credits, category.max_credits)
        )
    return RuleValues(
        values.min_credits, values.max_credits, values.max_ues, mandatory, tuple(categories)
    )


def rule_values(rule: ProgrammeRule) -> RuleValues:
    """A saved rule as values (its mandatory UEs and categories prefetched or read)."""
    return RuleValues(
        min_credits=rule.min_credits,
        max_credits=rule.max_credits,
        max_ues=rule.max_ues,
        mandatory=tuple(sorted(m.ue_code for m in rule.mandatory.all())),
        categories=tuple(
            CategoryValues(c.categories, c.min_credits, c.max_credits)
            for c in sorted(rule.categories.all(), key=lambda c: c.pk)
        ),
    )


def _described(values: RuleValues | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {
        "min_credits": str(values.min_credits),
        "max_credits": str(values.max_credits),
        "max_ues": values.max_ues,
        "mandatory": list(values.mandatory),
        "categories": [
            [c.categories, _plain(c.min_credits), _plain(c.max_credits)] for c in values.categories
        ],
    }


def _write_rule(campaign: Campaign, programme: str, values: RuleValues) -> ProgrammeRule:
    rule, _created = ProgrammeRule.objects.update_or_create(
        campaign=campaign,
        programme=programme,
        defaults={
            "min_credits": values.min_credits,
            "max_credits": values.max_credits,
            "max_ues": values.max_ues,
        },
    )
    MandatoryUE.objects.filter(rule=rule).delete()
    CategoryRule.objects.filter(rule=rule).delete()
    MandatoryUE.objects.bulk_create([MandatoryUE(rule=rule, ue_code=c) for c in values.mandatory])
    CategoryRule.objects.bulk_create(
        [
            CategoryRule(
                rule=rule,
                categories=c.categories,
                min_credits=c.min_credits,
                max_credits=c.max_credits,
            )
            for c in values.categories
        ]
    )
    return rule


def _existing(campaign: Campaign, programme: str) -> ProgrammeRule | None:
    return (
        ProgrammeRule.objects.select_for_update()
        .filter(campaign=campaign, programme=programme)
        .first()
    )


@transaction.atomic
def do_save_programme_rule(
    code: str, programme: str, values: RuleValues, *, acting_user: Any
) -> ProgrammeRule:
    """Set (create or replace) a programme's rules for the semester of a campaign."""
    campaign = campaign_by_code(code)
    programme = _programme_or_error(campaign, programme)
    checked = checked_rule(campaign, programme, values)
    before = _existing(campaign, programme)
    before_values = rule_values(before) if before else None
    rule = _write_rule(campaign, programme, checked)
    _journal(
        "enrolment.campaign.rule.save",
        acting_user,
        campaign.code,
        {"programme": programme, "before": _described(before_values), "after": _described(checked)},
    )
    return rule


@transaction.atomic
def do_delete_programme_rule(code: str, programme: str, *, acting_user: Any) -> None:
    """Remove a programme's rules: its students' semesters are then judged by none."""
    campaign = campaign_by_code(code)
    rule = _existing(campaign, programme)
    if rule is None:
        raise DomainError(
            "programme",
            f"Formation : {programme} n'a pas de règles dans cette campagne.",
            f"Programme: {programme} has no rules in this campaign.",
        )
    before = rule_values(rule)
    rule.delete()
    _journal(
        "enrolment.campaign.rule.delete",
        acting_user,
        campaign.code,
        {"programme": programme, "before": _described(before)},
    )


@transaction.atomic
def do_copy_rules(code: str, source_code: str, *, acting_user: Any) -> CopyOutcome:
    """Give this campaign the rules of another one, for every programme its catalogue year
    has; a programme's rules here are replaced. A mandatory UE this semester does not offer
    to the programme is left out (and named in the outcome)."""
    campaign = campaign_by_code(code)
    try:
        source = campaign_by_code(source_code)
    except DomainError as error:
        raise DomainError(
            "source",
            f"Campagne à copier : {source_code} est inconnue.",
            f"Campaign to copy: {source_code} is unknown.",
        ) from error
    if source.pk == campaign.pk:
        raise DomainError(
            "source",
            "Campagne à copier : choisissez une autre campagne que celle-ci.",
            "Campaign to copy: choose a campaign other than this one.",
        )
    rules = list(
        ProgrammeRule.objects.filter(campaign=source)
        .order_by("programme")
        .prefetch_related("mandatory", "categories")
    )
    if not rules:
        raise DomainError(
            "source",
            f"Campagne à copier : {source.code} n'a aucune règle de formation.",
            f"Campaign to copy: {source.code} has no programme rules.",
        )
    here = {c for c, _t, _e in catalogue.programmes_of_year(campaign.year)}
    copied, unknown, dropped = [], [], []
    for rule in rules:
        if rule.programme not in here:
            unknown.append(rule.programme)
            continue
        values = rule_values(rule)
        offered = {
            o.ue_code
            for o in catalogue.offers_for_enrolment(
                rule.programme, campaign.year, campaign.semester, ue_codes=values.mandatory
            )
        }
        dropped += [f"{rule.programme}:{c}" for c in values.mandatory if c not in offered]
        kept = RuleValues(
            values.min_credits,
            values.max_credits,
            values.max_ues,
            tuple(c for c in values.mandatory if c in offered),
            values.categories,
        )
        _write_rule(campaign, rule.programme, kept)
        copied.append(rule.programme)
    outcome = CopyOutcome(tuple(copied), tuple(unknown), tuple(dropped))
    _journal(
        "enrolment.campaign.rule.copy",
        acting_user,
        campaign.code,
        {
            "source": source.code,
            "copied": copied,
            "unknown_programmes": unknown,
            "dropped_mandatory": dropped,
        },
    )
    return outcome


# --- places --------------------------------------------------------------------------------


def do_set_seat_capacity(
    code: str,
    ue_code: str,
    capacity: int | None,
    *,
    acting_user: Any,
    now: datetime | None = None,
) -> CapacityChange:
    """Change the places of a UE in a campaign (``None``: no limit). Never below the places
    taken; places added go to its wait-list at once, under the lock of its seat row."""
    wanted = ue_code.strip().upper()
    moment = now or timezone.now()
    if capacity is not None and capacity < 0:
        raise DomainError(
            "capacity", "Places : un nombre positif ou nul.", "Places: zero or a positive number."
        )

    def work() -> CapacityChange:
        campaign = campaign_by_code(code)
        if campaign.phase(moment) == Campaign.Phase.CLOSED:
            raise DomainError(
                "capacity",
                "Places : la campagne est close, ses places ne changent plus.",
                "Places: the campaign is closed; its places no longer change.",
            )
        found = (
            Seats.objects.filter(campaign=campaign, offer__ue__code=wanted)
            .values_list("offer_id", "offer__ue__code")
            .first()
        )
        if found is None:
            raise DomainError(
                "ue",
                f"UE : {wanted} n'a pas de places préparées dans cette campagne.",
                f"UE: {wanted} has no places prepared in this campaign.",
            )
        offer_id, stable = found
        seats = Seats.objects.select_for_update().get(campaign=campaign, offer_id=offer_id)
        before, taken = seats.capacity, seats.taken
        if capacity is not None and capacity < taken:
            raise DomainError(
                "capacity",
                f"Places : {taken} places de {stable} sont déjà prises ; la capacité ne peut "
                f"pas descendre en dessous de {taken}.",
                f"Places: {taken} places in {stable} are already taken; the capacity cannot "
                f"go below {taken}.",
            )
        if capacity == before:
            return CapacityChange(stable, before, capacity, taken, 0)
        seats.capacity = capacity
        seats.save(update_fields=["capacity"])
        _journal(
            "enrolment.campaign.seats.capacity",
            acting_user,
            campaign.code,
            {"ue": stable, "before": before, "after": capacity, "taken": taken},
        )
        if before is not None and (capacity is None or capacity > before):
            fill_freed_places(campaign, seats, stable, acting_user, moment)
        return CapacityChange(stable, before, capacity, seats.taken, seats.taken - taken)

    return retrying(work)
