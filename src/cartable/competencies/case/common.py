"""What the CASE export and import agree on: item types, derived identifiers, URIs, dates."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.urls import reverse

CASE_VERSION = "1.1"
LANGUAGE = "fr"
#: Key of Cartable's object inside CASE ``extensions`` (codes and English translations).
EXTENSION = "cartable"
#: Path, under the site, of the CASE URIs (resolved by ``competencies:case_object``).
CASE_PATH = "case/"


class Kind(StrEnum):
    BLOCK = "block"
    COMPETENCY = "competency"
    OUTCOME = "outcome"


#: CFItemType of each kind: title (French), English title, hierarchyCode, description.
ITEM_TYPES: dict[Kind, tuple[str, str, str, str]] = {
    Kind.BLOCK: (
        "Bloc de compétences",
        "Block of competencies",
        "1",
        "Bloc de compétences certifiable (RNCP) : un ensemble homogène de compétences.",
    ),
    Kind.COMPETENCY: (
        "Compétence",
        "Competency",
        "2",
        "Compétence du référentiel, évaluée sur l'échelle de maîtrise.",
    ),
    Kind.OUTCOME: (
        "Acquis d'apprentissage",
        "Learning outcome",
        "3",
        "Ce que l'étudiant sait faire à un niveau d'une compétence.",
    ),
}
#: Depth of an item under the CFDocument (1 = child of the document) → its kind.
KIND_AT_DEPTH = {1: Kind.BLOCK, 2: Kind.COMPETENCY, 3: Kind.OUTCOME}
TYPE_TITLES = {title: kind for kind, (title, _en, _code, _desc) in ITEM_TYPES.items()}

RUBRIC_TITLE = "Échelle de maîtrise"
RUBRIC_TITLE_EN = "Proficiency scale"
CRITERION_DESCRIPTION = "Niveau de maîtrise atteint dans une compétence du référentiel."
CRITERION_CATEGORY = "Maîtrise"


def derived(framework_uuid: uuid.UUID, name: str) -> uuid.UUID:
    """A stable identifier for what Cartable does not store (associations, the rubric…): the
    same framework always exports the same identifiers."""
    return uuid.uuid5(framework_uuid, name)


def rubric_id(framework_uuid: uuid.UUID) -> uuid.UUID:
    return derived(framework_uuid, "CFRubric")


def criterion_id(framework_uuid: uuid.UUID) -> uuid.UUID:
    return derived(framework_uuid, "CFRubricCriterion")


def item_type_id(framework_uuid: uuid.UUID, kind: Kind) -> uuid.UUID:
    return derived(framework_uuid, f"CFItemType:{kind}")


def child_association_id(framework_uuid: uuid.UUID, child: uuid.UUID) -> uuid.UUID:
    return derived(framework_uuid, f"isChildOf:{child}")


def skill_level_association_id(framework_uuid: uuid.UUID, outcome: uuid.UUID) -> uuid.UUID:
    return derived(framework_uuid, f"hasSkillLevel:{outcome}")


def _first_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and "*" not in host and not host.startswith("."):
            return str(host)
    return "localhost"


def base_uri(request: Any = None) -> str:
    """Where CASE URIs start, ending with a slash.

    ``CARTABLE_CASE_BASE_URI`` when the settings define it (production: the public address);
    otherwise the address the request came to; otherwise (management commands) ``https://``
    and the first allowed host."""
    configured = str(getattr(settings, "CARTABLE_CASE_BASE_URI", "") or "")
    if configured:
        return configured.rstrip("/") + "/"
    path = reverse("competencies:frameworks") + CASE_PATH
    if request is not None:
        return str(request.build_absolute_uri(path))
    return f"https://{_first_host()}{path}"


def object_uri(base: str, framework_uuid: uuid.UUID, identifier: uuid.UUID | None = None) -> str:
    """``<base><framework>/`` for the document, ``<base><framework>/<identifier>/`` otherwise:
    both resolve to the CASE JSON of the object."""
    if identifier is None:
        return f"{base}{framework_uuid}/"
    return f"{base}{framework_uuid}/{identifier}/"


def stamp(moment: datetime) -> str:
    """An RFC 3339 date-time in UTC, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_stamp(text: str) -> datetime | None:
    """The date-time of an RFC 3339 string (a naive one is read as UTC), None when invalid."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
