"""Rules of the scolarité's campaign settings, plain Python over plain values (no HTTP, no
database): the values of a campaign and of a programme's rules, and what makes them valid.
Each refusal is a :class:`DomainError` naming its field, in French and in English."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from cartable.core.calendar import academic_year_label
from cartable.core.errors import DomainError

#: Codes that would hide a screen of /inscriptions/ behind a campaign's page.
RESERVED_CODES = frozenset({"gestion", "conseil", "nouvelle"})
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
SEMESTERS = {"A": ("d'automne", "autumn"), "P": ("de printemps", "spring")}
MAX_CLAIM_HOURS = 720
MAX_CREDITS = Decimal(60)
MAX_UES = 20


# --- values --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignValues:
    """What the scolarité sets on a campaign (its code aside, which never changes)."""

    title: str
    title_en: str
    year: int
    semester: str
    population: str
    opens_at: datetime
    advising_from: datetime
    closes_at: datetime
    claim_hours: int


@dataclass(frozen=True)
class CategoryValues:
    """Credits of the semester in some categories together (``CS`` or ``CS,TM``)."""

    categories: str
    min_credits: Decimal | None = None
    max_credits: Decimal | None = None


@dataclass(frozen=True)
class RuleValues:
    """A programme's rules for the semester of a campaign."""

    min_credits: Decimal
    max_credits: Decimal
    max_ues: int | None = None
    mandatory: tuple[str, ...] = ()
    categories: tuple[CategoryValues, ...] = ()


@dataclass(frozen=True)
class CopyOutcome:
    """What a copy of rules did: the programmes copied, those of the other campaign that the
    catalogue year of this one does not have, and the mandatory UEs left out because this
    semester does not offer them to their programme (``PROG:UE``)."""

    copied: tuple[str, ...]
    unknown_programmes: tuple[str, ...]
    dropped_mandatory: tuple[str, ...]


@dataclass(frozen=True)
class CapacityChange:
    ue_code: str
    before: int | None
    after: int | None
    taken: int
    given_to_waitlist: int


# --- rules ---------------------------------------------------------------------------------


def check_code(code: str) -> str:
    code = code.strip().lower()
    if not CODE_PATTERN.match(code):
        raise DomainError(
            "code",
            "Code : de 2 à 40 caractères, lettres minuscules sans accent, chiffres et tirets, "
            "en commençant par une lettre ou un chiffre.",
            "Code: 2 to 40 characters, lower-case letters without accents, digits and hyphens, "
            "starting with a letter or a digit.",
        )
    if code in RESERVED_CODES:
        raise DomainError(
            "code",
            f"Code : « {code} » est réservé aux écrans des inscriptions ; choisissez-en un autre.",
            f"Code: “{code}” is reserved for the enrolment screens; choose another one.",
        )
    return code


def check_dates(opens_at: datetime, advising_from: datetime, closes_at: datetime) -> None:
    """Ouverture ≤ début du conseil pédagogique ≤ clôture."""
    if advising_from < opens_at:
        raise DomainError(
            "advising_from",
            "Début du conseil pédagogique : il ne peut précéder l'ouverture de la campagne.",
            "Start of advising: it cannot come before the campaign opens.",
        )
    if closes_at < advising_from:
        raise DomainError(
            "closes_at",
            "Clôture : elle ne peut précéder le début du conseil pédagogique.",
            "Closing: it cannot come before the start of advising.",
        )


def check_values(
    values: CampaignValues, *, year_has_programmes: bool, populations: Iterable[str]
) -> None:
    """Every value of a campaign, in the order of the form, given whether the catalogue has
    programmes in its year and the codes of the registration populations."""
    if not values.title.strip():
        raise DomainError("title", "Intitulé : il est obligatoire.", "Title: it is required.")
    if values.semester not in SEMESTERS:
        raise DomainError(
            "semester",
            "Semestre : A (automne) ou P (printemps).",
            "Semester: A (autumn) or P (spring).",
        )
    if not year_has_programmes:
        label = academic_year_label(values.year)
        raise DomainError(
            "year",
            f"Année du catalogue : le catalogue n'a aucune formation en {label}.",
            f"Catalogue year: the catalogue has no programme in {label}.",
        )
    if values.population not in set(populations):
        raise DomainError(
            "population",
            f"Population : « {values.population} » n'est pas une population d'inscrits du "
            "référentiel.",
            f"Population: “{values.population}” is not a registration population of the "
            "referential.",
        )
    check_dates(values.opens_at, values.advising_from, values.closes_at)
    if not 0 <= values.claim_hours <= MAX_CLAIM_HOURS:
        raise DomainError(
            "claim_hours",
            f"Délai pour accepter une place libérée : de 0 à {MAX_CLAIM_HOURS} heures.",
            f"Time to accept a freed place: 0 to {MAX_CLAIM_HOURS} hours.",
        )


def check_credit_range(low: Decimal, high: Decimal, max_ues: int | None) -> None:
    if not Decimal(0) <= low <= MAX_CREDITS:
        raise DomainError(
            "min_credits",
            f"Crédits minimum : de 0 à {MAX_CREDITS}.",
            f"Minimum credits: 0 to {MAX_CREDITS}.",
        )
    if not low <= high <= MAX_CREDITS:
        raise DomainError(
            "max_credits",
            f"Crédits maximum : au moins les crédits minimum, au plus {MAX_CREDITS}.",
            f"Maximum credits: at least the minimum credits, at most {MAX_CREDITS}.",
        )
    if max_ues is not None and not 1 <= max_ues <= MAX_UES:
        raise DomainError(
            "max_ues",
            f"Nombre maximum d'UE : de 1 à {MAX_UES}, ou vide pour ne pas limiter.",
            f"Maximum number of UEs: 1 to {MAX_UES}, or empty for no limit.",
        )


def category_codes(index: int, text: str, known: frozenset[str]) -> tuple[str, ...]:
    """The codes of a category rule (``CS`` or ``CS,TM``), each a category of the catalogue.
    Errors name the rule by its line (field ``category-<index>``)."""
    line = index + 1
    codes = tuple(dict.fromkeys(c.strip().upper() for c in re.split(r"[,;+\s]+", text) if c))
    if not codes:
        raise DomainError(
            f"category-{index}",
            f"Règle de catégorie n° {line} : indiquez au moins une catégorie.",
            f"Category rule no. {line}: give at least one category.",
        )
    unknown = [c for c in codes if c not in known]
    if unknown:
        listed, known_list = ", ".join(unknown), ", ".join(sorted(known))
        raise DomainError(
            f"category-{index}",
            f"Règle de catégorie n° {line} : catégorie inconnue du catalogue : {listed} "
            f"(catégories connues : {known_list}).",
            f"Category rule no. {line}: unknown catalogue category: {listed} "
            f"(known categories: {known_list}).",
        )
    return codes


def check_category_bounds(index: int, values: CategoryValues) -> None:
    line, low, high = index + 1, values.min_credits, values.max_credits
    if low is None and high is None:
        raise DomainError(
            f"category-{index}",
            f"Règle de catégorie n° {line} : indiquez un minimum, un maximum ou les deux.",
            f"Category rule no. {line}: give a minimum, a maximum or both.",
        )
    for bound in (low, high):
        if bound is not None and not Decimal(0) <= bound <= MAX_CREDITS:
            raise DomainError(
                f"category-{index}",
                f"Règle de catégorie n° {line} : crédits de 0 à {MAX_CREDITS}.",
                f"Category rule no. {line}: credits from 0 to {MAX_CREDITS}.",
            )
    if low is not None and high is not None and high < low:
        raise DomainError(
            f"category-{index}",
            f"Règle de catégorie n° {line} : le maximum ne peut être inférieur au minimum.",
            f"Category rule no. {line}: the maximum cannot be below the minimum.",
        )


def check_mandatory(
    programme: str,
    year: int,
    semester: str,
    mandatory: tuple[str, ...],
    offered: dict[str, Decimal],
    values: RuleValues,
) -> None:
    """The mandatory UEs of a programme's rule: each offered to the programme in the semester
    (``offered``: code → credits of those that are), together within the rule's maxima."""
    unknown = [code for code in mandatory if code not in offered]
    if unknown:
        season_fr, season_en = SEMESTERS.get(semester, ("", ""))
        label, listed = academic_year_label(year), ", ".join(unknown)
        raise DomainError(
            "mandatory",
            f"UE obligatoires : inconnue ou non proposée à {programme} au semestre "
            f"{season_fr} {label} : {listed}.",
            f"Mandatory UEs: unknown or not offered to {programme} in the {season_en} "
            f"{label} semester: {listed}.",
        )
    credits = sum((offered[code] for code in mandatory), Decimal(0))
    if credits > values.max_credits:
        raise DomainError(
            "mandatory",
            f"UE obligatoires : elles comptent {credits} crédits, au-delà du maximum de "
            f"{values.max_credits}.",
            f"Mandatory UEs: they count {credits} credits, above the maximum of "
            f"{values.max_credits}.",
        )
    if values.max_ues is not None and len(mandatory) > values.max_ues:
        raise DomainError(
            "mandatory",
            f"UE obligatoires : {len(mandatory)} UE, au-delà du maximum de {values.max_ues}.",
            f"Mandatory UEs: {len(mandatory)} UEs, above the maximum of {values.max_ues}.",
        )
