"""Queries of the public course guide: which published offers match a search, in which order.

Text search is accent- and case-insensitive: the query is folded with
:func:`cartable.core.text.fold` and every word must occur in ``Offer.search_text`` (already
folded) or be an old code (alias) of the UE; a query that is exactly a UE code or an alias also
finds that UE. With a text query, results are ranked: code or alias equal to the query first,
then codes starting with it, then offers whose title holds every word, then the rest; each rank
by code. Ranking, counting and slicing are done by the database, so a common word that matches
a thousand syllabi costs no more Python than a rare one. The words are looked up in a trigram
index (docs/decisions/0007).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db import connection
from django.db.models import (
    Case,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models.expressions import RawSQL

from cartable.core.text import fold

from . import api
from .models import (
    UE,
    Category,
    CompetencyContribution,
    Offer,
    OfferProgramme,
    Programme,
    UEAlias,
)

#: A language filter also finds bilingual offers taught in that language.
LANGUAGE_MATCHES: dict[str, tuple[str, ...]] = {
    Offer.Language.FRENCH: (Offer.Language.FRENCH, Offer.Language.BILINGUAL),
    Offer.Language.ENGLISH: (Offer.Language.ENGLISH, Offer.Language.BILINGUAL),
    Offer.Language.BILINGUAL: (Offer.Language.BILINGUAL,),
    Offer.Language.GERMAN: (Offer.Language.GERMAN,),
}
#: A semester filter also finds offers given in both semesters.
SEMESTER_MATCHES: dict[str, tuple[str, ...]] = {
    Offer.Semester.AUTUMN: (Offer.Semester.AUTUMN, Offer.Semester.BOTH),
    Offer.Semester.SPRING: (Offer.Semester.SPRING, Offer.Semester.BOTH),
}


@dataclass(frozen=True)
class GuideQuery:
    """What a visitor asks the guide; empty strings mean "any"."""

    year: int
    text: str = ""
    programme: str = ""
    category: str = ""
    campus: str = ""
    semester: str = ""
    language: str = ""
    competency: uuid.UUID | None = None


# --- years -----------------------------------------------------------------------------------


def published_years() -> list[int]:
    """Catalogue years with at least one published offer, most recent first."""
    years = Offer.objects.published().order_by().values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def programme_years() -> list[int]:
    years = Programme.objects.order_by().values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def default_year(years: Sequence[int]) -> int:
    """The current academic year when it is among ``years``, else the latest one before it,
    else the earliest one after it (or the current year when there are none)."""
    current = api.current_year()
    if not years or current in years:
        return current
    earlier = [y for y in years if y < current]
    return max(earlier) if earlier else min(years)


# --- the search ------------------------------------------------------------------------------


def _ues_with_alias(code: str) -> QuerySet[UEAlias, Any]:
    """Ids of the UEs that had this old code (one uncorrelated, indexed subquery)."""
    return UEAlias.objects.filter(code=code.upper()).values("ue_id")


#: The trigram index finds substrings of at least three characters.
TRIGRAM = 3


def _sqlite_text_condition(words: list[str], code: str) -> Q:
    """The same condition as :func:`text_condition`, as one subquery of offer ids that SQLite
    plans from the FTS5 trigram table of migration 0003: (offers whose text holds the first
    word or whose UE had it as a code) ∩ (the same for the second word) ∩ … ∪ (offers of the
    UE whose code or old code is the whole query). Compound selects bind left to right, which
    is this order. Words shorter than a trigram are matched by ``LIKE``."""
    offer = Offer._meta.db_table
    ue = UE._meta.db_table
    alias = UEAlias._meta.db_table
    # Table names come from the models; every value is a parameter.
    by_alias = f"SELECT id FROM {offer} WHERE ue_id IN (SELECT ue_id FROM {alias} WHERE code = %s)"  # noqa: S608
    parts: list[str] = []
    params: list[str] = []
    for word in words:
        if len(word) >= TRIGRAM:
            holds = "SELECT rowid AS id FROM catalogue_offer_fts WHERE catalogue_offer_fts MATCH %s"
            params.append('"' + word.replace('"', '""') + '"')
        else:
            holds = f"SELECT id FROM {offer} WHERE search_text LIKE %s ESCAPE '\\'"  # noqa: S608
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        parts.append(f"SELECT id FROM ({holds} UNION {by_alias})")  # noqa: S608
        params.append(word.upper())
    by_code = f"SELECT o.id FROM {offer} o JOIN {ue} u ON u.id = o.ue_id WHERE u.code = %s"  # noqa: S608
    parts += [by_code, by_alias]
    params += [code, code]
    operators = [" INTERSECT "] * (len(words) - 1) + [" UNION ", " UNION "]
    sql = parts[0] + "".join(op + part for op, part in zip(operators, parts[1:], strict=True))
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 - fixed SQL, values as parameters


def text_condition(text: str) -> Q:
    """Every folded word is in the offer's search text or is an old code of the UE; or the
    whole query is the UE's code or one of its old codes.

    On PostgreSQL, ``LIKE '%word%'`` is served by the ``pg_trgm`` GIN index of migration
    0003; on SQLite the condition goes through its FTS5 trigram table."""
    code = text.strip().upper()
    words = fold(text).split()
    if connection.vendor == "sqlite" and words:
        return _sqlite_text_condition(words, code)
    every_word = Q()
    for word in words:
        every_word &= Q(search_text__contains=word) | Q(ue_id__in=_ues_with_alias(word))
    return every_word | Q(ue__code=code) | Q(ue_id__in=_ues_with_alias(code))


def filtered_offers(query: GuideQuery) -> QuerySet[Offer]:
    """Published offers of the query's year matching its filters and text.

    Filters on related rows are uncorrelated ``IN`` subqueries: SQLite plans them once,
    where a correlated ``EXISTS`` may scan a whole index for every offer."""
    offers = Offer.objects.published().filter(year=query.year)
    if query.programme or query.category:
        links = OfferProgramme.objects.all()
        if query.programme:
            links = links.filter(programme__code=query.programme, programme__year=query.year)
        if query.category:
            links = links.filter(category__code=query.category)
        offers = offers.filter(pk__in=links.values("offer_id"))
    if query.campus:
        offers = offers.filter(campus__code=query.campus)
    if query.semester:
        offers = offers.filter(semesters__in=SEMESTER_MATCHES.get(query.semester, ()))
    if query.language:
        offers = offers.filter(language__in=LANGUAGE_MATCHES.get(query.language, ()))
    if query.competency:
        contributions = CompetencyContribution.objects.filter(competency__uuid=query.competency)
        offers = offers.filter(pk__in=contributions.values("offer_id"))
    if query.text.strip():
        offers = offers.filter(text_condition(query.text))
    return offers


#: The columns a results list reads (the syllabus texts are left in the database).
LISTING_FIELDS = (
    "ue__code",
    "year",
    "title",
    "title_en",
    "credits",
    "semesters",
    "language",
    "campus__code",
    "campus__name",
)


def with_listing_details(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """What a results list shows: UE, campus, and the category in each programme."""
    links = OfferProgramme.objects.select_related("programme", "category").order_by(
        "programme__code"
    )
    return (
        offers.select_related("ue", "campus")
        .only(*LISTING_FIELDS)
        .prefetch_related(Prefetch("programme_links", queryset=links))
    )


@dataclass(frozen=True)
class ListingLink:
    """The category an offer counts in for one programme."""

    programme: str
    category: str
    category_label: str
    category_label_en: str


@dataclass(frozen=True)
class Listing:
    """One line of a results list, read as plain values (no model instances)."""

    pk: int
    code: str
    year: int
    title: str
    title_en: str
    credits: Any
    semesters: str
    language: str
    campus: str
    links: tuple[ListingLink, ...]


def listings(offer_ids: Sequence[int]) -> list[Listing]:
    """The results-list lines of these offers, in this order: two queries whatever their
    number."""
    rows = Offer.objects.filter(pk__in=offer_ids).values_list(
        "pk",
        "ue__code",
        "year",
        "title",
        "title_en",
        "credits",
        "semesters",
        "language",
        "campus__name",
    )
    links: dict[int, list[ListingLink]] = {}
    for offer_id, programme, category, label, label_en in (
        OfferProgramme.objects.filter(offer_id__in=offer_ids)
        .order_by("programme__code")
        .values_list(
            "offer_id", "programme__code", "category__code", "category__label", "category__label_en"
        )
    ):
        links.setdefault(offer_id, []).append(ListingLink(programme, category, label, label_en))
    by_id = {
        pk: Listing(
            pk,
            code,
            year,
            title,
            title_en,
            credits,
            semesters,
            language,
            campus or "",
            tuple(links.get(pk, ())),
        )
        for pk, code, year, title, title_en, credits, semesters, language, campus in rows
    }
    return [by_id[pk] for pk in offer_ids if pk in by_id]


def ranking(text: str) -> Case:
    """The rank of an offer for a text query, computed by the database: 0 its code or an old
    code is the query, 1 its code starts with it, 2 its title (French or English) holds every
    word, 3 the rest (the words are in its syllabus)."""
    wanted = fold(text)
    words = wanted.split()
    in_title = Q()
    for word in words:
        in_title &= Q(title_folded__contains=word)
    return Case(
        When(Q(ue__code=wanted.upper()) | Q(ue_id__in=_ues_with_alias(text.strip())), then=0),
        When(ue__code__startswith=wanted.replace(" ", "").upper(), then=1),
        When(in_title, then=2),
        default=3,
        output_field=IntegerField(),
    )


class Results(Sequence[Offer]):
    """The offers a query finds, sliceable and countable like a queryset, so that Django's
    paginator and DRF's pagination use it as is. With a text query, one query ranks every
    match and the count and slices are read from its ids; a page then costs the offers and
    their programme links (two queries), whatever its length."""

    def __init__(self, query: GuideQuery) -> None:
        self.query = query
        self._count: int | None = None
        self._ranked_ids: list[int] | None = None

    @property
    def ranked(self) -> bool:
        return bool(self.query.text.strip())

    def ordered(self) -> QuerySet[Offer]:
        """The matching offers in the order a visitor reads them: by rank, then by code."""
        offers = filtered_offers(self.query)
        if not self.ranked:
            return offers.order_by("ue__code", "pk")
        return offers.annotate(rank=ranking(self.query.text)).order_by("rank", "ue__code", "pk")

    def _ids(self, index: slice) -> list[int]:
        if not self.ranked:
            return list(self.ordered().values_list("pk", flat=True)[index])
        if self._ranked_ids is None:
            # One query ranks every match; only their ids cross over to Python, and the
            # count and every slice are read from that list.
            self._ranked_ids = list(self.ordered().values_list("pk", flat=True))
        return self._ranked_ids[index]

    def count(self, value: object = None) -> int:
        if self._count is None:
            if self.ranked:
                self._count = len(self._ids(slice(None)))
            else:
                self._count = filtered_offers(self.query).count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Offer: ...

    @overload
    def __getitem__(self, index: slice) -> list[Offer]: ...

    def __getitem__(self, index: int | slice) -> Offer | list[Offer]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        ids = self._ids(index)
        by_id = {o.pk: o for o in with_listing_details(Offer.objects.filter(pk__in=ids))}
        return [by_id[pk] for pk in ids if pk in by_id]

    def __iter__(self) -> Iterator[Offer]:
        return iter(self[0 : self.count()])

    def listing(self, index: slice) -> list[Listing]:
        """The results-list lines of a slice: what the guide's page shows, without building
        model instances."""
        return listings(self._ids(index))


def search(query: GuideQuery) -> Results:
    return Results(query)


class Lines(Sequence[Listing]):
    """The same results as :class:`Results`, as results-list lines (for the guide's pages)."""

    def __init__(self, query: GuideQuery) -> None:
        self.results = Results(query)

    def count(self, value: object = None) -> int:
        return self.results.count()

    def __len__(self) -> int:
        return self.results.count()

    @overload
    def __getitem__(self, index: int) -> Listing: ...

    @overload
    def __getitem__(self, index: slice) -> list[Listing]: ...

    def __getitem__(self, index: int | slice) -> Listing | list[Listing]:
        if isinstance(index, int):
            found = self.results.listing(slice(index, index + 1))
            if not found:
                raise IndexError(index)
            return found[0]
        return self.results.listing(index)


def search_lines(query: GuideQuery) -> Lines:
    return Lines(query)


# --- filter choices --------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyChoice:
    uuid: uuid.UUID
    code: str
    title: str
    title_en: str
    group: str
    group_en: str


def competency_choices(year: int) -> list[CompetencyChoice]:
    """Competencies that at least one published offer of the year develops, in framework,
    block and competency order."""
    published = Offer.objects.published().filter(year=year).values("id")
    used = CompetencyContribution.objects.filter(offer_id__in=published).values("competency_id")
    competency_model = CompetencyContribution._meta.get_field("competency").related_model
    assert isinstance(
        competency_model, type
    )  # through the relation: the catalogue does not import competencies.models
    rows = (
        competency_model._default_manager.filter(id__in=used)
        .values_list(
            "uuid",
            "code",
            "title",
            "title_en",
            "block__code",
            "block__title",
            "block__title_en",
            "block__framework__title",
            "block__framework__title_en",
        )
        .order_by("block__framework__code", "block__position", "block__code", "position", "code")
    )
    return [
        CompetencyChoice(
            uuid=uid,
            code=code,
            title=title,
            title_en=title_en,
            group=f"{framework} — {block_code} {block_title}",
            group_en=f"{framework_en or framework} — {block_code} {block_title_en or block_title}",
        )
        for (
            uid,
            code,
            title,
            title_en,
            block_code,
            block_title,
            block_title_en,
            framework,
            framework_en,
        ) in rows
    ]


def campus_choices(year: int) -> list[tuple[str, str]]:
    """Campuses where published offers of the year are taught."""
    rows = (
        Offer.objects.published()
        .filter(year=year, campus__isnull=False)
        .values_list("campus__code", "campus__name")
        .order_by("campus__name")
        .distinct()
    )
    return [(code, name) for code, name in rows]


def programmes_of_year(year: int) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(year=year)
        .select_related("diploma")
        .order_by("diploma__kind", "diploma__title", "title")
    )


def categories() -> QuerySet[Category]:
    return Category.objects.all()


# --- revision of the catalogue, for caching -------------------------------------------------


def catalogue_revision() -> str:
    """A short fingerprint of what the public guide shows, in one query over indexed columns
    (about a millisecond on SQLite at scale 10).

    It changes when an offer is created or deleted, when the set of published offers changes
    (publication, archiving: the sum of their ids, read from the status index), when a
    programme link, a programme or an alias is added or removed. Under the catalogue's rule
    that a published offer is read-only (changes go through a new version), that covers every
    change of a guide page's offers. Edits it cannot see without a full scan (a programme's
    description, a link's category changed in place, a person's name) show up when cached
    pages expire. ``MAX(updated_at)`` is left out: without an index it reads every offer row
    (20 ms at scale 10)."""
    offer = Offer._meta.db_table
    link = OfferProgramme._meta.db_table
    programme = Programme._meta.db_table
    alias = UEAlias._meta.db_table
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {offer}), "  # noqa: S608 - table names from models
        f"(SELECT COALESCE(MAX(id), 0) FROM {offer}), "
        f"(SELECT COALESCE(SUM(id), 0) FROM {offer} WHERE status = %s), "
        f"(SELECT COUNT(*) FROM {link}), "
        f"(SELECT COALESCE(MAX(id), 0) FROM {link}), "
        f"(SELECT COUNT(*) FROM {programme}), "
        f"(SELECT COALESCE(MAX(id), 0) FROM {programme}), "
        f"(SELECT COUNT(*) FROM {alias})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Offer.Status.PUBLISHED.value])
        row = cursor.fetchone()
    return "-".join(str(value) for value in row)
