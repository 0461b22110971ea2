"""Rules of the semester choice, plain Python over plain data (no HTTP, no database).

Every refusal names its cause and carries its message in French and in English, with the UEs
it is about, so that the student reads exactly why and the advisor can override it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from cartable.catalogue.data import EnrolmentOffer
from cartable.timetable.data import Compatibility

#: Grades that validate a UE (ECTS scale); FX and F fail, ABS is an absence.
PASSING_GRADES = ("A", "B", "C", "D", "E")
GRADES = (*PASSING_GRADES, "FX", "F", "ABS")


class Cause(StrEnum):
    OUTSIDE_DATES = "outside_dates"
    NOT_OFFERED = "not_offered"
    ALREADY_CHOSEN = "already_chosen"
    ALREADY_PASSED = "already_passed"
    PREREQUISITE = "prerequisite"
    FULL = "full"
    TIMETABLE = "timetable"
    CREDITS = "credits"
    MAX_UES = "max_ues"
    CATEGORY = "category"
    WAITING = "waiting"


#: Causes an advisor may override; capacity never is (a UE never holds more than its places).
OVERRIDABLE = frozenset(Cause) - {Cause.FULL, Cause.WAITING, Cause.ALREADY_CHOSEN}


@dataclass(frozen=True)
class Refusal:
    cause: Cause
    message_fr: str
    message_en: str
    ue_codes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "cause": str(self.cause),
            "message_fr": self.message_fr,
            "message_en": self.message_en,
            "ue_codes": list(self.ue_codes),
        }


@dataclass(frozen=True)
class CategoryLimit:
    codes: tuple[str, ...]
    min_credits: Decimal | None = None
    max_credits: Decimal | None = None

    @property
    def label(self) -> str:
        return "+".join(self.codes)


@dataclass(frozen=True)
class SemesterRules:
    """A programme's rules for a semester (:class:`ProgrammeRule` as data)."""

    min_credits: Decimal
    max_credits: Decimal
    max_ues: int | None = None
    mandatory: tuple[str, ...] = ()
    categories: tuple[CategoryLimit, ...] = ()


@dataclass(frozen=True)
class Finding:
    """Where a semester stands against a rule, for the student and the advisor."""

    ok: bool
    message_fr: str
    message_en: str


@dataclass(frozen=True)
class Situation:
    """Everything the rules look at when a student adds a UE."""

    phase: str
    chosen: tuple[EnrolmentOffer, ...]
    passed: frozenset[str]
    rules: SemesterRules | None
    offered: bool  # the UE is open to the student in this campaign
    free_seats: int | None  # None: no limit
    waiting: bool = False  # the student is already on its wait-list
    compatibility: Compatibility | None = None  # of chosen + the new UE
    extra: tuple[Refusal, ...] = field(default_factory=tuple)
    enrolled_elsewhere: bool = False  # enrolled this year outside this campaign


def _credits(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def credits_of(offers: Iterable[EnrolmentOffer], codes: Sequence[str] = ()) -> Decimal:
    """Credits of the offers, or of those counting in one of ``codes`` categories."""
    return sum((o.credits for o in offers if not codes or o.category.upper() in codes), Decimal(0))


def missing_prerequisites(offer: EnrolmentOffer, passed: frozenset[str]) -> list[str]:
    return [code for code in offer.required_ues if code not in passed]


def refusals_to_add(new: EnrolmentOffer, situation: Situation) -> list[Refusal]:
    """Every reason the student may not add ``new`` now (empty: they may)."""
    code = new.ue_code
    found: list[Refusal] = []
    if situation.phase != "choice":
        found.append(
            Refusal(
                Cause.OUTSIDE_DATES,
                "La période de choix des UE n'est pas ouverte : ajouter une UE passe par "
                "votre conseiller ou conseillère pédagogique.",
                "The UE choice period is not open: adding a UE goes through your academic advisor.",
            )
        )
    if any(o.ue_code == code for o in situation.chosen):
        found.append(
            Refusal(
                Cause.ALREADY_CHOSEN,
                f"{code} fait déjà partie de votre semestre.",
                f"{code} is already in your semester.",
                (code,),
            )
        )
        return found
    if situation.enrolled_elsewhere:
        found.append(
            Refusal(
                Cause.ALREADY_CHOSEN,
                f"Vous êtes déjà inscrit·e à {code} cette année (à un autre semestre).",
                f"You are already enrolled in {code} this year (in another semester).",
                (code,),
            )
        )
        return found
    if code in situation.passed:
        found.append(
            Refusal(
                Cause.ALREADY_PASSED,
                f"Vous avez déjà validé {code}.",
                f"You have already passed {code}.",
                (code,),
            )
        )
    if not situation.offered:
        found.append(
            Refusal(
                Cause.NOT_OFFERED,
                f"{code} n'est pas proposée à votre formation ce semestre.",
                f"{code} is not offered to your programme this semester.",
                (code,),
            )
        )
    missing = missing_prerequisites(new, situation.passed)
    if missing:
        listed = ", ".join(missing)
        found.append(
            Refusal(
                Cause.PREREQUISITE,
                f"Prérequis non validé pour {code} : {listed}.",
                f"Prerequisite not passed for {code}: {listed}.",
                tuple(missing),
            )
        )
    found += _load_refusals(new, situation)
    compatibility = situation.compatibility
    if compatibility is not None and not compatibility.compatible:
        others = [c for c in compatibility.clashing if c != code] or list(compatibility.clashing)
        listed = ", ".join(others)
        found.append(
            Refusal(
                Cause.TIMETABLE,
                f"Emploi du temps incompatible : {code} chevauche {listed}, et aucun choix "
                "de groupes n'évite le chevauchement.",
                f"Timetable clash: {code} overlaps {listed}, and no choice of groups "
                "avoids the overlap.",
                tuple(others),
            )
        )
    found += capacity_refusals(code, situation.free_seats, waiting=situation.waiting)
    return found + list(situation.extra)


def capacity_refusals(code: str, free_seats: int | None, *, waiting: bool) -> list[Refusal]:
    """The refusal a full UE gives: join its wait-list, or you are on it already. A student
    on the wait-list of a UE that has a free place may take it."""
    if free_seats is None or free_seats > 0:
        return []
    if waiting:
        return [
            Refusal(
                Cause.WAITING,
                f"Vous êtes déjà sur la liste d'attente de {code}.",
                f"You are already on the wait-list of {code}.",
                (code,),
            )
        ]
    return [
        Refusal(
            Cause.FULL,
            f"{code} est complète. Vous pouvez vous inscrire sur sa liste d'attente.",
            f"{code} is full. You may join its wait-list.",
            (code,),
        )
    ]


def _load_refusals(new: EnrolmentOffer, situation: Situation) -> list[Refusal]:
    rules = situation.rules
    if rules is None:
        return []
    found = []
    after = (*situation.chosen, new)
    total = credits_of(after)
    if total > rules.max_credits:
        found.append(
            Refusal(
                Cause.CREDITS,
                f"Avec {new.ue_code}, votre semestre compterait {_credits(total)} crédits, "
                f"au-delà du maximum de {_credits(rules.max_credits)}.",
                f"With {new.ue_code}, your semester would count {_credits(total)} credits, "
                f"above the maximum of {_credits(rules.max_credits)}.",
                (new.ue_code,),
            )
        )
    if rules.max_ues is not None and len(after) > rules.max_ues:
        found.append(
            Refusal(
                Cause.MAX_UES,
                f"Un semestre compte au plus {rules.max_ues} UE.",
                f"A semester holds at most {rules.max_ues} UEs.",
                (new.ue_code,),
            )
        )
    for limit in rules.categories:
        if limit.max_credits is None or new.category.upper() not in limit.codes:
            continue
        in_categories = credits_of(after, limit.codes)
        if in_categories > limit.max_credits:
            found.append(
                Refusal(
                    Cause.CATEGORY,
                    f"Avec {new.ue_code}, vous auriez {_credits(in_categories)} crédits en "
                    f"{limit.label}, au-delà du maximum de {_credits(limit.max_credits)}.",
                    f"With {new.ue_code}, you would have {_credits(in_categories)} credits in "
                    f"{limit.label}, above the maximum of {_credits(limit.max_credits)}.",
                    (new.ue_code,),
                )
            )
    return found


def overridable(refusals: Iterable[Refusal]) -> bool:
    """Whether an advisor may accept the UE despite these refusals."""
    return all(r.cause in OVERRIDABLE for r in refusals)


def findings(chosen: Sequence[EnrolmentOffer], rules: SemesterRules | None) -> list[Finding]:
    """The semester against its programme's rules: credits, mandatory UEs, categories."""
    if rules is None:
        return []
    total = credits_of(chosen)
    low, high = _credits(rules.min_credits), _credits(rules.max_credits)
    result = [
        Finding(
            rules.min_credits <= total <= rules.max_credits,
            f"{_credits(total)} crédits (attendu : de {low} à {high})",
            f"{_credits(total)} credits (expected: {low} to {high})",
        )
    ]
    if rules.max_ues is not None:
        result.append(
            Finding(
                len(chosen) <= rules.max_ues,
                f"{len(chosen)} UE (au plus {rules.max_ues})",
                f"{len(chosen)} UEs (at most {rules.max_ues})",
            )
        )
    codes = {o.ue_code for o in chosen}
    for mandatory in rules.mandatory:
        taken = mandatory in codes
        result.append(
            Finding(
                taken,
                f"UE obligatoire {mandatory} : {'choisie' if taken else 'manquante'}",
                f"Mandatory UE {mandatory}: {'chosen' if taken else 'missing'}",
            )
        )
    for limit in rules.categories:
        credits = credits_of(chosen, limit.codes)
        ok = (limit.min_credits is None or credits >= limit.min_credits) and (
            limit.max_credits is None or credits <= limit.max_credits
        )
        bounds_fr, bounds_en = _bounds(limit)
        result.append(
            Finding(
                ok,
                f"{limit.label} : {_credits(credits)} crédits ({bounds_fr})",
                f"{limit.label}: {_credits(credits)} credits ({bounds_en})",
            )
        )
    return result


def _bounds(limit: CategoryLimit) -> tuple[str, str]:
    low = _credits(limit.min_credits) if limit.min_credits is not None else None
    high = _credits(limit.max_credits) if limit.max_credits is not None else None
    if low and high:
        return f"de {low} à {high}", f"{low} to {high}"
    if low:
        return f"au moins {low}", f"at least {low}"
    if high:
        return f"au plus {high}", f"at most {high}"
    return "sans limite", "no limit"
