"""The graduation requirements of each programme and catalogue year, as the scolarité writes
them: credits (overall, per category, per combination), mandatory UEs, internships, a
certification score, a competency block at a level. Each write is checked (every wrong field
named in French and English), atomic, journaled, and queues the recomputation of every
student's profile (coalesced with one already waiting)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from cartable.catalogue import api as catalogue
from cartable.competencies import api as competencies
from cartable.core import audit, jobs
from cartable.core.errors import DomainError

from . import profile_rules as engine
from .models import CategoryRequirement, DiplomaRequirement

#: certification tests a requirement may name, with their score range
TESTS: dict[str, tuple[str, int, int]] = {
    "toeic": ("TOEIC Listening & Reading", 10, 990),
    "pix": ("PIX", 0, 1024),
}
MAX_CREDITS = Decimal(600)
MAX_INTERNSHIPS = 10
MAX_WEEKS = 52


@dataclass(frozen=True)
class Draft:
    """A requirement as typed: ``kind`` is one of :data:`profile_rules.KINDS`; the fields that
    do not concern the kind are ignored."""

    programme: str
    catalogue_year: int
    kind: str
    label: str
    label_en: str = ""
    order: int = 0
    assumption: bool = False
    categories: str = ""
    min_credits: Decimal | None = None
    ues: str = ""
    count: int | None = None
    min_weeks: int | None = None
    test: str = ""
    min_score: int | None = None
    block: uuid.UUID | None = None
    min_rank: int | None = None


def _error(field: str, fr: str, en: str) -> DomainError:
    return DomainError(field, fr, en)


def _codes(raw: str) -> list[str]:
    return [code for code in re.split(r"[\s,;]+", raw.upper()) if code]


def _programme(draft: Draft) -> list[DomainError]:
    known = {code for code, _t, _e in catalogue.programmes_of_year(draft.catalogue_year)}
    known |= {code for code, _t, _e in catalogue.programmes_of_year(catalogue.current_year())}
    if draft.programme not in known:
        return [
            _error(
                "programme",
                f"Formation inconnue : {draft.programme}.",
                f"Unknown programme: {draft.programme}.",
            )
        ]
    return []


def _credit_errors(draft: Draft) -> tuple[list[DomainError], dict[str, Any]]:
    errors = []
    codes = _codes(draft.categories.replace(",", " "))
    unknown = sorted(set(codes) - catalogue.category_codes())
    if unknown:
        errors.append(
            _error(
                "categories",
                f"Catégories inconnues : {', '.join(unknown)}.",
                f"Unknown categories: {', '.join(unknown)}.",
            )
        )
    if draft.min_credits is None or not (0 < draft.min_credits <= MAX_CREDITS):
        errors.append(
            _error(
                "min_credits",
                f"Les crédits minimum vont de 0,5 à {MAX_CREDITS}.",
                f"Minimum credits range from 0.5 to {MAX_CREDITS}.",
            )
        )
    return errors, {"categories": ",".join(codes), "min_credits": draft.min_credits}


def _mandatory_errors(draft: Draft) -> tuple[list[DomainError], dict[str, Any]]:
    codes = _codes(draft.ues)
    if not codes:
        return [
            _error("ues", "Nommez au moins une UE.", "Name at least one UE."),
        ], {}
    resolved = {code: catalogue.resolve_ue_code(code) for code in codes}
    unknown = [code for code, found in resolved.items() if found is None]
    if unknown:
        return [
            _error(
                "ues",
                f"UE inconnues du catalogue : {', '.join(unknown)}.",
                f"UEs not in the catalogue: {', '.join(unknown)}.",
            )
        ], {}
    return [], {"ues": sorted({found for found in resolved.values() if found})}


def _internship_errors(draft: Draft) -> tuple[list[DomainError], dict[str, Any]]:
    errors = []
    if draft.count is None or not (1 <= draft.count <= MAX_INTERNSHIPS):
        errors.append(
            _error(
                "count",
                f"Le nombre de stages va de 1 à {MAX_INTERNSHIPS}.",
                f"The number of internships ranges from 1 to {MAX_INTERNSHIPS}.",
            )
        )
    weeks = draft.min_weeks or 0
    if not (0 <= weeks <= MAX_WEEKS):
        errors.append(
            _error(
                "min_weeks",
                f"La durée minimum va de 0 à {MAX_WEEKS} semaines.",
                f"The minimum length ranges from 0 to {MAX_WEEKS} weeks.",
            )
        )
    return errors, {"count": draft.count, "min_weeks": weeks}


def _certification_errors(draft: Draft) -> tuple[list[DomainError], dict[str, Any]]:
    test = draft.test.strip().lower()
    if test not in TESTS:
        return [
            _error(
                "test",
                f"Test inconnu : choisissez parmi {', '.join(sorted(TESTS))}.",
                f"Unknown test: choose among {', '.join(sorted(TESTS))}.",
            )
        ], {}
    _name, low, high = TESTS[test]
    if draft.min_score is None or not (low <= draft.min_score <= high):
        return [
            _error(
                "min_score",
                f"Le score {test.upper()} va de {low} à {high}.",
                f"The {test.upper()} score ranges from {low} to {high}.",
            )
        ], {}
    return [], {"test": test, "min_score": draft.min_score}


def _block_errors(draft: Draft) -> tuple[list[DomainError], dict[str, Any]]:
    framework = competencies.framework_of_block(draft.block) if draft.block else None
    if draft.block is None or framework is None:
        return [_error("block", "Bloc de compétences inconnu.", "Unknown competency block.")], {}
    ranks = [level.rank for level in competencies.scale(framework)]
    if draft.min_rank not in ranks:
        return [
            _error(
                "min_rank",
                f"Le niveau doit être l'un de {', '.join(map(str, ranks))}.",
                f"The level must be one of {', '.join(map(str, ranks))}.",
            )
        ], {}
    return [], {"block": str(draft.block), "min_rank": draft.min_rank}


CHECKS = {
    engine.CREDITS: _credit_errors,
    engine.MANDATORY_UES: _mandatory_errors,
    engine.INTERNSHIPS: _internship_errors,
    engine.CERTIFICATION: _certification_errors,
    engine.BLOCK: _block_errors,
}


def check(draft: Draft) -> tuple[list[DomainError], dict[str, Any]]:
    """Every error of a draft (empty when right), and its parameters as the engine reads them."""
    if draft.kind not in CHECKS:
        return [_error("kind", "Type d'exigence inconnu.", "Unknown kind of requirement.")], {}
    errors = _programme(draft)
    if not draft.label.strip():
        errors.append(_error("label", "Le libellé est obligatoire.", "The label is required."))
    found, params = CHECKS[draft.kind](draft)
    errors += found
    if not errors and draft.kind != engine.CREDITS:
        errors += [
            _error("kind", problem, problem) for problem in engine.check_params(draft.kind, params)
        ]
    return errors, params


class RequirementErrors(DomainError):
    """Several fields are wrong; ``errors`` holds each."""

    def __init__(self, errors: list[DomainError]) -> None:
        first = errors[0]
        super().__init__(first.field, first.message_fr, first.message_en)
        self.errors = errors


def _recompute(acting_user: Any) -> None:
    jobs.enqueue(
        "records.profiles",
        "Recalcul des profils de diplôme",
        {},
        acting_user=acting_user,
        coalesce=True,
    )


def _detail(draft: Draft, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "programme": draft.programme,
        "catalogue_year": draft.catalogue_year,
        "kind": draft.kind,
        "label": draft.label,
        "params": {k: str(v) if isinstance(v, Decimal) else v for k, v in params.items()},
    }


@transaction.atomic
def do_save_requirement(
    draft: Draft, *, acting_user: Any, requirement_id: int | None = None
) -> CategoryRequirement | DiplomaRequirement:
    """Create (or, with ``requirement_id``, change) a requirement."""
    errors, params = check(draft)
    if errors:
        raise RequirementErrors(errors)
    common = {
        "programme": draft.programme,
        "catalogue_year": draft.catalogue_year,
        "label": draft.label.strip(),
        "label_en": draft.label_en.strip(),
        "order": draft.order,
        "assumption": draft.assumption,
    }
    row: CategoryRequirement | DiplomaRequirement
    if draft.kind == engine.CREDITS:
        clash = CategoryRequirement.objects.filter(
            programme=draft.programme,
            catalogue_year=draft.catalogue_year,
            categories=params["categories"],
        )
        if requirement_id is not None:
            clash = clash.exclude(id=requirement_id)
        if clash.exists():
            raise RequirementErrors(
                [
                    _error(
                        "categories",
                        "Une exigence de crédits porte déjà sur ces catégories.",
                        "A credit requirement already covers these categories.",
                    )
                ]
            )
        values = {
            **common,
            "categories": params["categories"],
            "min_credits": params["min_credits"],
        }
        if requirement_id is None:
            row = CategoryRequirement.objects.create(**values)
        else:
            row = _credit_row(requirement_id)
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
    else:
        values = {**common, "kind": draft.kind, "params": params}
        if requirement_id is None:
            row = DiplomaRequirement.objects.create(**values)
        else:
            row = _other_row(requirement_id)
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
    audit.record(
        "records.requirement.change" if requirement_id else "records.requirement.create",
        actor=acting_user,
        object_type="requirement",
        object_ref=f"{draft.kind}:{row.pk}",
        detail=_detail(draft, params),
    )
    _recompute(acting_user)
    return row


def _credit_row(requirement_id: int) -> CategoryRequirement:
    row = CategoryRequirement.objects.filter(id=requirement_id).first()
    if row is None:
        raise DomainError("requirement", "Exigence introuvable.", "Requirement not found.")
    return row


def _other_row(requirement_id: int) -> DiplomaRequirement:
    row = DiplomaRequirement.objects.filter(id=requirement_id).first()
    if row is None:
        raise DomainError("requirement", "Exigence introuvable.", "Requirement not found.")
    return row


def requirement(kind: str, requirement_id: int) -> CategoryRequirement | DiplomaRequirement:
    """One requirement; credits live in their own table."""
    return _credit_row(requirement_id) if kind == engine.CREDITS else _other_row(requirement_id)


def draft_of(row: CategoryRequirement | DiplomaRequirement) -> dict[str, Any]:
    """The form's initial values for a stored requirement."""
    values: dict[str, Any] = {
        "programme": row.programme,
        "catalogue_year": row.catalogue_year,
        "label": row.label,
        "label_en": row.label_en,
        "order": row.order,
        "assumption": row.assumption,
    }
    if isinstance(row, CategoryRequirement):
        return {
            **values,
            "kind": engine.CREDITS,
            "categories": row.categories,
            "min_credits": row.min_credits,
        }
    params = row.params
    values["kind"] = row.kind
    if row.kind == engine.MANDATORY_UES:
        values["ues"] = " ".join(params.get("ues", ()))
    elif row.kind == engine.INTERNSHIPS:
        values |= {"count": params.get("count"), "min_weeks": params.get("min_weeks")}
    elif row.kind == engine.CERTIFICATION:
        values |= {"test": params.get("test", ""), "min_score": params.get("min_score")}
    elif row.kind == engine.BLOCK:
        values |= {"block": params.get("block"), "min_rank": params.get("min_rank")}
    return values


@transaction.atomic
def do_delete_requirement(kind: str, requirement_id: int, *, acting_user: Any) -> None:
    row = requirement(kind, requirement_id)
    audit.record(
        "records.requirement.delete",
        actor=acting_user,
        object_type="requirement",
        object_ref=f"{kind}:{row.pk}",
        detail={
            "programme": row.programme,
            "catalogue_year": row.catalogue_year,
            "label": row.label,
        },
    )
    row.delete()
    _recompute(acting_user)


@transaction.atomic
def do_copy_requirements(
    programme: str, source_year: int, target_year: int, *, acting_user: Any
) -> int:
    """Copy every requirement of a programme from one catalogue year to another that has none;
    the number copied."""
    if source_year == target_year:
        raise DomainError(
            "target_year",
            "Choisissez une autre année que celle d'origine.",
            "Choose a year other than the source.",
        )
    credits = list(
        CategoryRequirement.objects.filter(programme=programme, catalogue_year=source_year)
    )
    others = list(
        DiplomaRequirement.objects.filter(programme=programme, catalogue_year=source_year)
    )
    if not credits and not others:
        raise DomainError(
            "source_year",
            f"La formation {programme} n'a pas d'exigences en {source_year}.",
            f"Programme {programme} has no requirements in {source_year}.",
        )
    if (
        CategoryRequirement.objects.filter(programme=programme, catalogue_year=target_year).exists()
        or DiplomaRequirement.objects.filter(
            programme=programme, catalogue_year=target_year
        ).exists()
    ):
        raise DomainError(
            "target_year",
            f"La formation {programme} a déjà des exigences en {target_year} : "
            "supprimez-les d'abord.",
            f"Programme {programme} already has requirements in {target_year}: delete them first.",
        )
    for credit in credits:
        credit.pk, credit.catalogue_year = None, target_year
    for other in others:
        other.pk, other.catalogue_year = None, target_year
    CategoryRequirement.objects.bulk_create(credits)
    DiplomaRequirement.objects.bulk_create(others)
    audit.record(
        "records.requirement.copy",
        actor=acting_user,
        object_type="programme",
        object_ref=programme,
        detail={"from": source_year, "to": target_year, "count": len(credits) + len(others)},
    )
    _recompute(acting_user)
    return len(credits) + len(others)


def parse_decimal(raw: Any) -> Decimal | None:
    try:
        return Decimal(str(raw).replace(",", ".")) if raw not in (None, "") else None
    except InvalidOperation:
        return None
