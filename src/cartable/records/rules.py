"""Rules of the Dossier étudiant, plain Python over plain data: the current semester, the
programme of a registration, semesters of results, credits earned, the cursus synthesis
against a programme's requirements, and the checks of what the scolarité enters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from cartable.core.calendar import academic_year
from cartable.core.errors import DomainError
from cartable.enrolment.data import StudentResult

PASSING_GRADES = frozenset({"A", "B", "C", "D", "E"})
AUTUMN, SPRING = "A", "P"
#: Without a teaching calendar, the spring semester starts in February.
SPRING_MONTH = 2
FIRST_AUTUMN_MONTH = 9
MAX_CREDITS = Decimal(120)


# --- semesters -----------------------------------------------------------------------------


def current_semester(day: date, spring_starts: date | None = None) -> tuple[int, str]:
    """The (catalogue year, semester) ``day`` falls in: spring from the first Monday of the
    spring calendar when there is one (else from February) to the end of August."""
    year = academic_year(day)
    start = spring_starts or date(year + 1, SPRING_MONTH, 1)
    if day.month >= FIRST_AUTUMN_MONTH or day < start:
        return year, AUTUMN
    return year, SPRING


def previous_semester(year: int, semester: str) -> tuple[int, str]:
    return (year, AUTUMN) if semester == SPRING else (year - 1, SPRING)


def semester_order(semester: str) -> int:
    return 0 if semester == AUTUMN else 1


def programme_of(population_code: str, programme: str) -> str:
    """The catalogue programme of a registration (apprentices follow the FISA programme)."""
    if population_code == "apprentice" and programme:
        return f"FISA-{programme}"
    return programme


# --- results -------------------------------------------------------------------------------


def passed(result: StudentResult, *, unpublished: bool = False) -> bool:
    """Whether a UE is passed; a jury also counts grades not yet published."""
    return result.grade in PASSING_GRADES and (result.published or unpublished)


def earned(result: StudentResult, *, unpublished: bool = False) -> Decimal:
    return result.credits if passed(result, unpublished=unpublished) else Decimal(0)


def kept(results: Iterable[StudentResult]) -> list[StudentResult]:
    """The UEs that belong to the path: those the student did not drop."""
    return [r for r in results if r.status == "accepted"]


def by_semester(results: Iterable[StudentResult]) -> list[tuple[int, str, list[StudentResult]]]:
    """Results grouped by (year, semester), in the order of the cursus."""
    groups: dict[tuple[int, str], list[StudentResult]] = {}
    for result in results:
        groups.setdefault((result.year, result.semester), []).append(result)
    return [
        (year, semester, sorted(rows, key=lambda r: r.ue_code))
        for (year, semester), rows in sorted(
            groups.items(), key=lambda kv: (kv[0][0], semester_order(kv[0][1]))
        )
    ]


def entry_year(registration_start: date | None, result_years: Iterable[int]) -> int | None:
    """The catalogue year the student entered: of their first registration or of their first
    enrolment, whichever is earlier."""
    years = [*result_years]
    if registration_start is not None:
        years.append(academic_year(registration_start))
    return min(years) if years else None


# --- cursus synthesis ----------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    label: str
    label_en: str
    categories: tuple[str, ...]  # empty: every credit counts (the total)
    minimum: Decimal


@dataclass(frozen=True)
class CategoryCredits:
    category: str
    from_ues: Decimal
    from_equivalences: Decimal

    @property
    def total(self) -> Decimal:
        return self.from_ues + self.from_equivalences


@dataclass(frozen=True)
class RequirementCheck:
    label: str
    label_en: str
    categories: tuple[str, ...]
    required: Decimal
    earned: Decimal

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.earned, Decimal(0))

    @property
    def met(self) -> bool:
        return self.earned >= self.required


@dataclass(frozen=True)
class Synthesis:
    catalogue_year: int | None
    by_category: tuple[CategoryCredits, ...]
    checks: tuple[RequirementCheck, ...]

    @property
    def from_ues(self) -> Decimal:
        return sum((c.from_ues for c in self.by_category), Decimal(0))

    @property
    def from_equivalences(self) -> Decimal:
        return sum((c.from_equivalences for c in self.by_category), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.from_ues + self.from_equivalences

    @property
    def complete(self) -> bool:
        """Every requirement met (and there is at least one)."""
        return bool(self.checks) and all(c.met for c in self.checks)


NO_CATEGORY = ""


def synthesis(
    results: Iterable[StudentResult],
    equivalences: Iterable[tuple[str, Decimal]],
    requirements: Sequence[Requirement],
    catalogue_year: int | None,
) -> Synthesis:
    """Credits earned by category — passed UEs (published grades) and accepted equivalences
    (category, credits) — against the programme's requirements."""
    ues: dict[str, Decimal] = {}
    for result in results:
        if passed(result):
            key = result.category.upper()
            ues[key] = ues.get(key, Decimal(0)) + result.credits
    granted: dict[str, Decimal] = {}
    for category, credits in equivalences:
        key = category.upper()
        granted[key] = granted.get(key, Decimal(0)) + credits
    categories = sorted(set(ues) | set(granted), key=lambda c: (c == NO_CATEGORY, c))
    rows = tuple(
        CategoryCredits(c, ues.get(c, Decimal(0)), granted.get(c, Decimal(0))) for c in categories
    )
    checks = tuple(
        RequirementCheck(
            label=r.label,
            label_en=r.label_en,
            categories=r.categories,
            required=r.minimum,
            earned=sum(
                (row.total for row in rows if not r.categories or row.category in r.categories),
                Decimal(0),
            ),
        )
        for r in requirements
    )
    return Synthesis(catalogue_year, rows, checks)


def requirement_year(available: Iterable[int], entry: int | None) -> int | None:
    """Which catalogue year's requirements apply: the student's entry year, else the latest
    year before it, else (a programme whose rules were entered later) its earliest year."""
    years = sorted(set(available))
    if not years:
        return None
    if entry is None:
        return years[-1]
    before = [y for y in years if y <= entry]
    return before[-1] if before else years[0]


# --- what the scolarité enters -------------------------------------------------------------


def _credits(value: Any, field: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise DomainError(field, "Indiquez un nombre de crédits.", "Enter a number of credits.")
        return None
    try:
        credits = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise DomainError(
            field, "Nombre de crédits invalide.", "Invalid number of credits."
        ) from None
    if not credits.is_finite() or credits <= 0 or credits > MAX_CREDITS:
        raise DomainError(
            field,
            f"Les crédits doivent être compris entre 0 (exclu) et {MAX_CREDITS}.",
            f"Credits must be more than 0 and at most {MAX_CREDITS}.",
        )
    if credits * 2 != int(credits * 2):
        raise DomainError(
            field,
            "Les crédits se comptent par demi-crédits.",
            "Credits are counted in halves.",
        )
    return credits


def _text(values: Mapping[str, Any], field: str, fr: str, en: str) -> str:
    text = str(values.get(field) or "").strip()
    if not text:
        raise DomainError(field, f"Indiquez {fr}.", f"Enter {en}.")
    return text


def _dates(values: Mapping[str, Any]) -> tuple[date, date]:
    start, end = values.get("start_date"), values.get("end_date")
    if not isinstance(start, date):
        raise DomainError("start_date", "Indiquez la date de début.", "Enter the start date.")
    if not isinstance(end, date):
        raise DomainError("end_date", "Indiquez la date de fin.", "Enter the end date.")
    if end < start:
        raise DomainError(
            "end_date",
            "La date de fin précède la date de début.",
            "The end date is before the start date.",
        )
    return start, end


def _choice(values: Mapping[str, Any], field: str, allowed: Iterable[str]) -> str:
    value = str(values.get(field) or "")
    if value not in set(allowed):
        raise DomainError(field, "Choix invalide.", "Invalid choice.")
    return value


def clean_equivalence(
    values: Mapping[str, Any], origins: Iterable[str], statuses: Iterable[str]
) -> dict[str, Any]:
    category = _text(values, "category", "la catégorie", "the category").upper()
    if not category.replace("-", "").isalnum() or len(category) > 10:
        raise DomainError(
            "category",
            "Catégorie invalide : un code comme CS ou TM.",
            "Invalid category: a code such as CS or TM.",
        )
    return {
        "origin": _choice(values, "origin", origins),
        "institution": _text(values, "institution", "l'établissement", "the institution"),
        "country": str(values.get("country") or "").strip(),
        "category": category,
        "credits": _credits(values.get("credits"), "credits"),
        "status": _choice(values, "status", statuses),
        "note": str(values.get("note") or "").strip(),
    }


def clean_internship(
    values: Mapping[str, Any], kinds: Iterable[str], statuses: Iterable[str]
) -> dict[str, Any]:
    start, end = _dates(values)
    weeks = values.get("weeks")
    if not isinstance(weeks, int) or weeks <= 0:
        raise DomainError(
            "weeks", "Indiquez un nombre de semaines positif.", "Enter a positive number of weeks."
        )
    span = (end - start).days // 7 + 1
    if weeks > span:
        raise DomainError(
            "weeks",
            f"{weeks} semaines ne tiennent pas entre ces dates ({span} au plus).",
            f"{weeks} weeks do not fit between these dates ({span} at most).",
        )
    return {
        "kind": _choice(values, "kind", kinds),
        "company": _text(values, "company", "l'entreprise ou l'organisme", "the company"),
        "city": str(values.get("city") or "").strip(),
        "country": str(values.get("country") or "").strip(),
        "start_date": start,
        "end_date": end,
        "weeks": weeks,
        "status": _choice(values, "status", statuses),
    }


def clean_experience(values: Mapping[str, Any], kinds: Iterable[str]) -> dict[str, Any]:
    start, end = _dates(values)
    return {
        "kind": _choice(values, "kind", kinds),
        "partner": _text(values, "partner", "l'établissement partenaire", "the partner"),
        "country": _text(values, "country", "le pays", "the country"),
        "start_date": start,
        "end_date": end,
        "credits_recognised": _credits(
            values.get("credits_recognised"), "credits_recognised", required=False
        ),
    }
