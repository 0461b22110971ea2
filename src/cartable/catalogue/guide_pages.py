"""Queries of the public course guide's UE and programme pages: a fixed number of light
queries per page, whatever the number of prerequisites, competencies or UEs shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from .models import (
    UE,
    CompetencyContribution,
    ConstituentElement,
    Offer,
    OfferProgramme,
    Prerequisite,
    Programme,
    SoftwareNeed,
    TeachingAssignment,
    UEAlias,
)

#: A row of plain values.
Row = Mapping[str, Any]


@dataclass
class UEPageData:
    """Everything a UE page shows, read as plain values: one query per kind of row, whatever
    their number; rows come in database order and are sorted by the caller's display."""

    offer: Row
    aliases: list[str]
    elements: list[Row]
    links: list[Row]
    team: list[Row]
    prerequisites: list[Row]
    required_offers: dict[str, dict[int, tuple[str, str]]]
    software: list[Row]
    contributions: list[Row]


#: Stands for the key while a prepared query is compiled.
_SENTINEL = -7_654_321


class PreparedValues:
    """A ``values()`` query compiled once per process, then run with a different id.

    Compiling a queryset costs Django about half a millisecond, more than SQLite takes to
    answer these indexed lookups; a UE page reads eight kinds of related rows, so its queries
    are compiled once. Rows hold what the database returns, without Django's field
    converters (on SQLite a decimal may come back as a float, a boolean as 0 or 1)."""

    def __init__(
        self, build: Callable[[Any], QuerySet[Any, Any]], sentinel: Any = _SENTINEL
    ) -> None:
        self._build = build
        self._sentinel = sentinel
        self._compiled: tuple[str, tuple[Any, ...], tuple[str, ...]] | None = None

    def rows(self, key: Any) -> list[Row]:
        sentinel = self._sentinel
        if self._compiled is None:
            query = self._build(sentinel).query
            sql, params = query.sql_with_params()
            if list(params).count(sentinel) != 1:
                raise ValueError(f"a prepared query takes its key once: {params}")
            self._compiled = (sql, tuple(params), (*query.values_select, *query.annotation_select))
        sql, template, names = self._compiled
        values = [key if value == sentinel else value for value in template]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_ALIASES = PreparedValues(lambda ue: UEAlias.objects.filter(ue_id=ue).order_by().values("code"))
_ELEMENTS = PreparedValues(
    lambda offer: (
        ConstituentElement.objects.filter(offer_id=offer)
        .order_by()
        .values("code", "title", "title_en", "hours", "weight", "position")
    )
)
_LINKS = PreparedValues(
    lambda offer: (
        OfferProgramme.objects.filter(offer_id=offer)
        .order_by()
        .values(
            "programme__code",
            "programme__year",
            "programme__title",
            "programme__title_en",
            "category__code",
            "category__label",
            "category__label_en",
        )
    )
)
_TEAM = PreparedValues(
    lambda offer: (
        TeachingAssignment.objects.filter(offer_id=offer)
        .order_by()
        .values(
            "person__civil_first_name",
            "person__civil_last_name",
            "person__usage_first_name",
            "person__usage_last_name",
            "person__red_list",
            "activity",
        )
    )
)
_PREREQUISITES = PreparedValues(
    lambda offer: (
        Prerequisite.objects.filter(offer_id=offer)
        .order_by()
        .values(
            "required_ue__code",
            "competency__code",
            "competency__title",
            "competency__title_en",
            "min_level__rank",
            "min_level__label",
            "min_level__label_en",
            "note",
        )
    )
)
#: Every version of the required UEs (a handful of rows), read by the UE index: filtering the
#: status in SQL would make SQLite walk the status index over every published offer.
_REQUIRED_OFFERS = PreparedValues(
    lambda offer: (
        Offer.objects.filter(
            ue_id__in=Prerequisite.objects.filter(offer_id=offer).values("required_ue_id")
        )
        .order_by()
        .values("ue__code", "year", "status", "title", "title_en")
    )
)
_SOFTWARE = PreparedValues(
    lambda offer: (
        SoftwareNeed.objects.filter(offer_id=offer)
        .order_by()
        .values("software__name", "software__url", "software__licence", "mode", "note")
    )
)
_CONTRIBUTIONS = PreparedValues(
    lambda offer: (
        CompetencyContribution.objects.filter(offer_id=offer)
        .order_by()
        .values(
            "competency__code",
            "competency__title",
            "competency__title_en",
            "competency__position",
            "competency__block__position",
            "competency__block__framework__code",
            "competency__block__framework__title",
            "competency__block__framework__title_en",
            "level__rank",
            "level__label",
            "level__label_en",
            "weight",
        )
    )
)


#: Every version of a UE's offers (a handful of rows, found by the UE's code index); the
#: status is checked in Python, for the same reason as above.
_UE_OFFERS = PreparedValues(
    lambda code: (
        Offer.objects.filter(ue__code=code)
        .order_by()
        .values(
            "id",
            "ue_id",
            "ue__code",
            "year",
            "status",
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
            "semesters",
            "language",
            "campus__name",
            "capacity",
            "hours_cm",
            "hours_td",
            "hours_tp",
            "hours_personal",
            "responsible__civil_first_name",
            "responsible__civil_last_name",
            "responsible__usage_first_name",
            "responsible__usage_last_name",
            "responsible__red_list",
        )
    ),
    sentinel="\x00ue-code",
)


def published_offers_of_ue(code: str) -> list[Row]:
    """The published offers of a UE (one per catalogue year), most recent first."""
    offers = [o for o in _UE_OFFERS.rows(code) if o["status"] == Offer.Status.PUBLISHED]
    return sorted(offers, key=lambda o: int(o["year"]), reverse=True)


def ue_page_data(offer: Row) -> UEPageData:
    """The rows a UE page shows around its offer: one prepared query per kind of row."""
    required_offers: dict[str, dict[int, tuple[str, str]]] = {}
    for row in _REQUIRED_OFFERS.rows(offer["id"]):
        if row["status"] != Offer.Status.PUBLISHED:
            continue
        required_offers.setdefault(row["ue__code"], {})[row["year"]] = (
            row["title"],
            row["title_en"],
        )
    return UEPageData(
        offer=offer,
        aliases=[row["code"] for row in _ALIASES.rows(offer["ue_id"])],
        elements=_ELEMENTS.rows(offer["id"]),
        links=_LINKS.rows(offer["id"]),
        team=_TEAM.rows(offer["id"]),
        prerequisites=_PREREQUISITES.rows(offer["id"]),
        required_offers=required_offers,
        software=_SOFTWARE.rows(offer["id"]),
        contributions=_CONTRIBUTIONS.rows(offer["id"]),
    )


def programme_with_details(code: str, year: int) -> Programme | None:
    return (
        Programme.objects.filter(code=code, year=year)
        .select_related("diploma", "head", "campus")
        .prefetch_related("tracks")
        .first()
    )


def published_links_of(programme: Programme) -> QuerySet[OfferProgramme]:
    """The programme's published UEs of its year, by category then code."""
    return (
        OfferProgramme.objects.filter(
            programme=programme,
            offer__status=Offer.Status.PUBLISHED,
            offer__year=programme.year,
        )
        .select_related("offer__ue", "offer__campus", "category")
        .order_by("category__position", "category__code", "offer__ue__code")
    )


def years_of_programme(code: str) -> list[int]:
    years = Programme.objects.filter(code=code).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


# --- UE codes --------------------------------------------------------------------------------


def stable_code(code: str) -> str | None:
    """The stable code of a UE given its code or an alias, in one query; None when unknown."""
    wanted = code.strip().upper()
    found = set(
        UE.objects.filter(Q(code=wanted) | Q(aliases__code=wanted)).values_list("code", flat=True)
    )
    if wanted in found:
        return wanted
    return min(found) if found else None
