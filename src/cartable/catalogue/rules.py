"""Rules of an offer's life: its versions, who may do what, and what values are acceptable.

Plain Python: functions over values, no HTTP and no database. The statuses are those of
:class:`cartable.catalogue.models.Offer`::

    draft ──submit──▶ in_review ──publish──▶ published ──(new version published)──▶ archived
      ▲                   │                      │
      └──return to draft──┘                      └──new version──▶ (a new draft, version + 1)

Who may (decision recorded here, docs of the Tableau de bord UE):

- edit the syllabus: the responsible and the members of the teaching team, who write it
  together; the timetable needs, the software needs and the team: the responsible only.
  Scolarité may do both, as the catalogue's administrator (an offer whose responsible has left
  must still be fixable). Only while the offer is a draft.
- submit for review: the responsible (or scolarité).
- publish, or send back to draft with a comment: a head of a programme the offer counts for,
  or scolarité. The responsible cannot take a submitted offer back: a reviewer returns it.
- create a new version of a published offer: its responsible or scolarité.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from cartable.core.errors import DomainError

DRAFT = "draft"
IN_REVIEW = "in_review"
PUBLISHED = "published"
ARCHIVED = "archived"


@dataclass(frozen=True)
class Standing:
    """How a person stands towards one offer."""

    responsible: bool = False
    team_member: bool = False
    programme_head: bool = False
    scolarite: bool = False
    system: bool = False  # management commands and jobs (no acting user)

    @property
    def visible(self) -> bool:
        return (
            self.responsible
            or self.team_member
            or self.programme_head
            or self.scolarite
            or self.system
        )

    @property
    def reviewer(self) -> bool:
        return self.programme_head or self.scolarite or self.system


SYSTEM = Standing(system=True)


class Permission(StrEnum):
    EDIT_SYLLABUS = "edit_syllabus"
    EDIT_NEEDS = "edit_needs"
    MANAGE_TEAM = "manage_team"
    SUBMIT = "submit"
    PUBLISH = "publish"
    RETURN_TO_DRAFT = "return_to_draft"
    NEW_VERSION = "new_version"


def _owner(s: Standing) -> bool:
    return s.responsible or s.scolarite or s.system


WHO: dict[Permission, Callable[[Standing], bool]] = {
    Permission.EDIT_SYLLABUS: lambda s: _owner(s) or s.team_member,
    Permission.EDIT_NEEDS: _owner,
    Permission.MANAGE_TEAM: _owner,
    Permission.SUBMIT: _owner,
    Permission.PUBLISH: lambda s: s.reviewer,
    Permission.RETURN_TO_DRAFT: lambda s: s.reviewer,
    Permission.NEW_VERSION: _owner,
}

WHEN: dict[Permission, frozenset[str]] = {
    Permission.EDIT_SYLLABUS: frozenset({DRAFT}),
    Permission.EDIT_NEEDS: frozenset({DRAFT}),
    Permission.MANAGE_TEAM: frozenset({DRAFT}),
    Permission.SUBMIT: frozenset({DRAFT}),
    Permission.PUBLISH: frozenset({IN_REVIEW}),
    Permission.RETURN_TO_DRAFT: frozenset({IN_REVIEW}),
    Permission.NEW_VERSION: frozenset({PUBLISHED}),
}

_STATE_MESSAGES: dict[str, tuple[str, str]] = {
    DRAFT: (
        "Cette offre est un brouillon : cette opération n'est pas possible.",
        "This offer is a draft: this operation is not possible.",
    ),
    IN_REVIEW: (
        "Cette offre est en relecture : elle ne se modifie pas, sauf à la renvoyer en brouillon.",
        "This offer is in review: it cannot be changed unless it is returned to draft.",
    ),
    PUBLISHED: (
        "Cette offre est publiée et en lecture seule : créez une nouvelle version.",
        "This offer is published and read-only: create a new version.",
    ),
    ARCHIVED: (
        "Cette offre est archivée : une version plus récente l'a remplacée.",
        "This offer is archived: a more recent version replaced it.",
    ),
}


def may(permission: Permission, status: str, standing: Standing) -> bool:
    return status in WHEN[permission] and WHO[permission](standing)


def allowed_permissions(status: str, standing: Standing) -> frozenset[Permission]:
    return frozenset(p for p in Permission if may(p, status, standing))


def check(permission: Permission, status: str, standing: Standing) -> None:
    """Raise a :class:`DomainError` explaining why ``permission`` is refused, if it is."""
    if not WHO[permission](standing):
        raise DomainError(
            "offer",
            "Vous n'êtes pas autorisé·e à faire cela sur cette offre.",
            "You are not allowed to do this on this offer.",
        )
    if status not in WHEN[permission]:
        message_fr, message_en = _STATE_MESSAGES[status]
        raise DomainError("status", message_fr, message_en)


def check_second_reader(standing: Standing, *, submitted_by_publisher: bool) -> None:
    """An offer is published by someone other than the person who submitted it for review
    (a second reader: another head of one of its programmes, or the scolarité, which may
    also publish what it submitted itself)."""
    if submitted_by_publisher and not (standing.scolarite or standing.system):
        raise DomainError(
            "offer",
            "Vous avez soumis cette offre à relecture : sa publication revient à une autre "
            "personne (un autre responsable de formation ou la scolarité).",
            "You submitted this offer for review: someone else publishes it (another "
            "programme head or the scolarité).",
        )


# --- values ------------------------------------------------------------------------------

SYLLABUS_FIELDS = (
    "title",
    "title_en",
    "objectives",
    "objectives_en",
    "content",
    "content_en",
    "assessment",
    "assessment_en",
    "bibliography",
    "credits",
)
NEEDS_FIELDS = (
    "groups_cm",
    "groups_td",
    "groups_tp",
    "hours_cm",
    "hours_td",
    "hours_tp",
    "hours_personal",
    "room_needs",
    "capacity",
)
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "title": ("Intitulé", "Title"),
    "title_en": ("Intitulé (anglais)", "Title (English)"),
    "objectives": ("Objectifs", "Objectives"),
    "objectives_en": ("Objectifs (anglais)", "Objectives (English)"),
    "content": ("Contenu", "Content"),
    "content_en": ("Contenu (anglais)", "Content (English)"),
    "assessment": ("Modalités d'évaluation", "Assessment methods"),
    "assessment_en": ("Modalités d'évaluation (anglais)", "Assessment methods (English)"),
    "bibliography": ("Bibliographie", "Bibliography"),
    "credits": ("Crédits ECTS", "ECTS credits"),
    "groups_cm": ("Groupes de CM", "Lecture groups"),
    "groups_td": ("Groupes de TD", "Tutorial groups"),
    "groups_tp": ("Groupes de TP", "Lab groups"),
    "hours_cm": ("Heures de CM", "Lecture hours"),
    "hours_td": ("Heures de TD", "Tutorial hours"),
    "hours_tp": ("Heures de TP", "Lab hours"),
    "hours_personal": ("Heures de travail personnel", "Personal work hours"),
    "room_needs": ("Besoins en salles", "Room needs"),
    "capacity": ("Capacité d'accueil", "Capacity"),
    "software": ("Logiciel", "Software"),
    "mode": ("Mode d'accès", "Access mode"),
    "note": ("Précision", "Note"),
    "person": ("Personne", "Person"),
    "activity": ("Activité", "Activity"),
    "hours": ("Heures prévues", "Planned hours"),
    "comment": ("Commentaire", "Comment"),
    "source_year": ("Année source", "Source year"),
    "target_year": ("Année cible", "Target year"),
}

MAX_CREDITS = Decimal("60")
MAX_HOURS = Decimal("1000")
MAX_GROUPS = 99
MAX_CAPACITY = 10_000
MAX_TITLE = 250
MAX_NOTE = 250


def field_error(field: str, problem_fr: str, problem_en: str) -> DomainError:
    """A :class:`DomainError` whose messages start with the field's name in each language."""
    name_fr, name_en = FIELD_NAMES.get(field, (field, field))
    return DomainError(field, f"{name_fr} : {problem_fr}", f"{name_en}: {problem_en}")


def _text(field: str, value: Any, *, required: bool = False, limit: int | None = None) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise field_error(field, "ce champ est obligatoire.", "this field is required.")
    if limit is not None and len(text) > limit:
        raise field_error(
            field,
            f"{limit} caractères au plus.",
            f"at most {limit} characters.",
        )
    return text


def _parse_decimal(field: str, value: Any) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise field_error(field, "saisissez un nombre.", "enter a number.") from None
    if not number.is_finite():
        raise field_error(field, "saisissez un nombre.", "enter a number.")
    try:
        rounded = number.quantize(Decimal("0.1"))
    except InvalidOperation:
        raise field_error(field, "nombre trop grand.", "number too large.") from None
    if number != rounded:
        raise field_error(field, "une décimale au plus.", "at most one decimal place.")
    return rounded


def _decimal(field: str, value: Any, *, maximum: Decimal) -> Decimal:
    number = _parse_decimal(field, value)
    if number < 0:
        raise field_error(
            field, "ce nombre ne peut pas être négatif.", "this number cannot be negative."
        )
    if number > maximum:
        raise field_error(field, f"{maximum} au plus.", f"at most {maximum}.")
    return number


def _integer(field: str, value: Any, *, minimum: int, maximum: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise field_error(field, "saisissez un nombre entier.", "enter a whole number.") from None
    if number < minimum:
        if minimum == 0:
            raise field_error(
                field, "ce nombre ne peut pas être négatif.", "this number cannot be negative."
            )
        raise field_error(field, f"{minimum} au moins.", f"at least {minimum}.")
    if number > maximum:
        raise field_error(field, f"{maximum} au plus.", f"at most {maximum}.")
    return number


def clean_credits(value: Any) -> Decimal:
    credits = _parse_decimal("credits", value)
    if not Decimal(0) <= credits <= MAX_CREDITS:
        raise field_error("credits", f"entre 0 et {MAX_CREDITS}.", f"between 0 and {MAX_CREDITS}.")
    return credits


def clean_syllabus(values: Mapping[str, Any]) -> dict[str, Any]:
    """The syllabus fields present in ``values``, cleaned; unknown keys are refused."""
    _refuse_unknown(values, SYLLABUS_FIELDS)
    cleaned: dict[str, Any] = {}
    for field, value in values.items():
        if field == "credits":
            cleaned[field] = clean_credits(value)
        elif field in ("title", "title_en"):
            cleaned[field] = _text(field, value, required=field == "title", limit=MAX_TITLE)
        else:
            cleaned[field] = _text(field, value)
    return cleaned


def clean_needs(values: Mapping[str, Any]) -> dict[str, Any]:
    """The timetable-preparation fields present in ``values``, cleaned."""
    _refuse_unknown(values, NEEDS_FIELDS)
    cleaned: dict[str, Any] = {}
    for field, value in values.items():
        if field.startswith("groups_"):
            cleaned[field] = _integer(field, value, minimum=0, maximum=MAX_GROUPS)
        elif field.startswith("hours_"):
            cleaned[field] = _decimal(field, value, maximum=MAX_HOURS)
        elif field == "capacity":
            empty = value is None or str(value).strip() == ""
            cleaned[field] = (
                None if empty else _integer(field, value, minimum=1, maximum=MAX_CAPACITY)
            )
        else:
            cleaned[field] = _text(field, value)
    return cleaned


def clean_team_hours(value: Any) -> Decimal:
    return _decimal("hours", value if value not in (None, "") else 0, maximum=MAX_HOURS)


def clean_comment(value: Any) -> str:
    return _text("comment", value, required=True)


def _refuse_unknown(values: Mapping[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise DomainError(
            unknown[0],
            f"Champ inconnu : {unknown[0]}.",
            f"Unknown field: {unknown[0]}.",
        )


def check_ready_for_review(values: Mapping[str, Any]) -> None:
    """A syllabus goes to review with its title, objectives and content in French."""
    for field in ("title", "objectives", "content"):
        _text(field, values.get(field), required=True)


@dataclass(frozen=True)
class SoftwareChoice:
    software_code: str
    mode: str
    note: str = ""


def clean_software_needs(
    needs: list[SoftwareChoice], known_codes: set[str], modes: set[str]
) -> list[SoftwareChoice]:
    """Each software once, known, with a known access mode."""
    seen: set[str] = set()
    cleaned = []
    for need in needs:
        code = need.software_code.strip()
        if code not in known_codes:
            raise field_error("software", "logiciel inconnu.", "unknown software.")
        if code in seen:
            raise field_error(
                "software",
                "chaque logiciel ne figure qu'une fois.",
                "each software appears only once.",
            )
        if need.mode not in modes:
            raise field_error("mode", "choisissez un mode d'accès.", "choose an access mode.")
        seen.add(code)
        cleaned.append(SoftwareChoice(code, need.mode, _text("note", need.note, limit=MAX_NOTE)))
    return cleaned


def check_copy_years(source_year: int, target_year: int) -> None:
    if not 1900 < source_year < 3000:
        raise field_error("source_year", "année invalide.", "invalid year.")
    if target_year <= source_year or target_year >= 3000:
        raise field_error(
            "target_year",
            "elle doit suivre l'année source.",
            "it must come after the source year.",
        )


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{field: {"before": …, "after": …}}`` for the fields whose value differs (JSON-ready)."""
    return {
        field: {"before": _jsonable(before.get(field)), "after": _jsonable(value)}
        for field, value in after.items()
        if before.get(field) != value
    }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return str(value)
