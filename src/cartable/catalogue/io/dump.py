"""The catalogue as flat tables of plain values, one query per table, in a stable order.

Both writers start from here: the CSV archive writes each table as it is, the JSON document
nests the child tables in their parents. Rows of child tables carry their parent's key columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F, Q, QuerySet

from ..models import (
    UE,
    Category,
    CompetencyContribution,
    ConstituentElement,
    Diploma,
    Offer,
    OfferProgramme,
    Prerequisite,
    Programme,
    Software,
    SoftwareNeed,
    TeachingAssignment,
    Track,
    UEAlias,
)
from .schema import GROUP_FIELDS, HOUR_FIELDS, SYLLABUS_FIELDS
from .state import related

Rows = list[dict[str, Any]]
OFFER_OF = {
    "x_ue": F("offer__ue__code"),
    "x_year": F("offer__year"),
    "x_version": F("offer__version"),
}
OFFER_ORDER = ("offer__ue__code", "offer__year", "offer__version")


def _rows(queryset: QuerySet[Any], *fields: str, **renamed: Any) -> Rows:
    return list(queryset.values(*fields, **renamed))


def _offers(years: Sequence[int] | None) -> QuerySet[Offer]:
    offers = Offer.objects.all()
    return offers.filter(year__in=years) if years else offers


def _of_offers(model: type[Any], years: Sequence[int] | None) -> QuerySet[Any]:
    queryset = model.objects.order_by()
    return queryset.filter(offer__year__in=years) if years else queryset


def reference_tables() -> dict[str, Rows]:
    return {
        "categories": _rows(
            Category.objects.order_by("code"),
            "code",
            "label",
            "label_en",
            "description",
            "position",
        ),
        "software": _rows(
            Software.objects.order_by("code"),
            "code",
            "name",
            "publisher",
            "licence",
            "description",
            "url",
        ),
        "ues": _rows(UE.objects.order_by("code"), "code"),
        "aliases": _rows(
            UEAlias.objects.order_by("ue__code", "code"), "code", "until_year", x_ue=F("ue__code")
        ),
        "diplomas": _rows(
            Diploma.objects.order_by("code"),
            "code",
            "kind",
            "title",
            "title_en",
            "rncp_code",
            x_structure=F("structure__code"),
        ),
    }


def programme_tables(years: Sequence[int] | None) -> dict[str, Rows]:
    programmes = Programme.objects.order_by("year", "code")
    tracks = Track.objects.order_by("programme__year", "programme__code", "code")
    if years:
        programmes = programmes.filter(year__in=years)
        tracks = tracks.filter(programme__year__in=years)
    return {
        "programmes": _rows(
            programmes,
            "code",
            "year",
            "cycle",
            "title",
            "title_en",
            "description",
            "description_en",
            x_diploma=F("diploma__code"),
            x_campus=F("campus__code"),
            x_head=F("head__login"),
            x_framework=F("framework__code"),
        ),
        "tracks": _rows(
            tracks,
            "code",
            "title",
            "title_en",
            x_programme=F("programme__code"),
            x_year=F("programme__year"),
        ),
    }


def offer_table(years: Sequence[int] | None) -> Rows:
    return _rows(
        _offers(years).order_by("ue__code", "year", "version"),
        "year",
        "version",
        "uuid",
        "status",
        *SYLLABUS_FIELDS,
        "credits",
        "language",
        "semesters",
        *HOUR_FIELDS,
        "capacity",
        *GROUP_FIELDS,
        "room_needs",
        "published_at",
        x_ue=F("ue__code"),
        x_supersedes_ue=F("supersedes__ue__code"),
        x_supersedes_year=F("supersedes__year"),
        x_supersedes_version=F("supersedes__version"),
        x_campus=F("campus__code"),
        x_responsible=F("responsible__login"),
    )


def offer_children(years: Sequence[int] | None) -> dict[str, Rows]:
    def of(model: type[Any], *order: str) -> QuerySet[Any]:
        return _of_offers(model, years).order_by(*OFFER_ORDER, *order)

    return {
        "offer_programmes": _rows(
            of(OfferProgramme, "programme__code", "programme__year"),
            **OFFER_OF,
            x_programme=F("programme__code"),
            x_programme_year=F("programme__year"),
            x_category=F("category__code"),
        ),
        "team": _rows(
            of(TeachingAssignment, "person__login", "activity"),
            "activity",
            "hours",
            **OFFER_OF,
            x_login=F("person__login"),
        ),
        "elements": _rows(
            of(ConstituentElement, "position", "code"),
            "code",
            "title",
            "title_en",
            "hours",
            "weight",
            "position",
            **OFFER_OF,
        ),
        "prerequisites": _rows(
            of(Prerequisite, "required_ue__code", "competency__code", "pk").filter(
                Q(required_ue__isnull=False) | Q(competency__isnull=False)
            ),
            "note",
            **OFFER_OF,
            x_required_ue=F("required_ue__code"),
            x_framework=F("competency__block__framework__code"),
            x_competency=F("competency__code"),
            x_level=F("min_level__rank"),
        ),
        "software_needs": _rows(
            of(SoftwareNeed, "software__code"),
            "mode",
            "note",
            **OFFER_OF,
            x_software=F("software__code"),
        ),
        "contributions": _rows(
            of(CompetencyContribution, "competency__block__framework__code", "competency__code"),
            "weight",
            **OFFER_OF,
            x_framework=F("competency__block__framework__code"),
            x_competency=F("competency__code"),
            x_level=F("level__rank"),
        ),
    }


def persons_named(years: Sequence[int] | None) -> list[Any]:
    """UUIDs of the persons the file names by their login: heads of the programmes,
    responsibles and teaching teams of the offers (of ``years`` only, when given)."""
    programmes = Programme.objects.order_by()
    if years:
        programmes = programmes.filter(year__in=years)
    offers = _offers(years).order_by()
    team = _of_offers(TeachingAssignment, years)
    named = related(Offer, "responsible")._default_manager.filter(
        Q(pk__in=programmes.values("head_id"))
        | Q(pk__in=offers.values("responsible_id"))
        | Q(pk__in=team.values("person_id"))
    )
    return list(named.exclude(login=None).values_list("uuid", flat=True))


def _rename(rows: Rows) -> Rows:
    """``values()`` refuses an alias that shadows a field: aliases start with ``x_``."""
    return [{name.removeprefix("x_"): value for name, value in row.items()} for row in rows]


def dump(years: Sequence[int] | None = None) -> dict[str, Rows]:
    """Every table of the catalogue (offers and programmes of ``years`` only, when given)."""
    tables = {
        **reference_tables(),
        **programme_tables(years),
        "offers": offer_table(years),
        **offer_children(years),
    }
    return {name: _rename(rows) for name, rows in tables.items()}
