"""The tables of a catalogue file, their columns and how each column is checked.

The same tables serve both formats: a CSV archive holds one file per table
(``offers.csv`` …); a JSON document nests each child table in its parent's items (an offer's
``team`` list …), without the columns that repeat the parent's key. docs/samples/catalogue/
README.md describes every column.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

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
from . import fields as f

FORMAT_NAME = "cartable-catalogue"
FORMAT_VERSION = 1

REQUIRED: Any = object()  # an empty value of such a column is an error


@dataclass(frozen=True)
class Column:
    """One column: its parser, what an empty cell means, whether a new object needs it.

    ``strip``: surrounding spaces are removed (codes, numbers); free text is kept verbatim.
    ``on_create``: a row that creates an object must give this column."""

    name: str
    parser: f.Parser
    empty: Any = ""
    on_create: bool = False
    strip: bool = True


@dataclass(frozen=True)
class Table:
    """A table of the file. ``key`` names the columns of its natural key; a child table's key
    starts with ``parent_columns``, which hold the key of its ``parent`` (the table whose JSON
    items nest it, under ``json_key``)."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    parent: str | None = None
    json_key: str = ""
    parent_columns: tuple[str, ...] = ()
    optional_key: tuple[str, ...] = ()

    @property
    def required_key(self) -> tuple[str, ...]:
        """Key columns every row must give (a prerequisite is a UE *or* a competency level; a
        link's programme year defaults to its offer's)."""
        return tuple(name for name in self.key if name not in self.optional_key)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def own_columns(self) -> tuple[Column, ...]:
        """The columns an item nested in its parent's JSON item carries."""
        inherited = set(self.parent_columns)
        return tuple(column for column in self.columns if column.name not in inherited)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


def _size(model: type[models.Model], name: str) -> int:
    return f.max_length(model, name)


def _remote_size(model: type[models.Model], relation: str, name: str) -> int:
    """The size of a column of a model of another app, reached through a relation."""
    related = model._meta.get_field(relation).related_model
    assert isinstance(related, type)
    assert issubclass(related, models.Model)
    return f.max_length(related, name)


def _decimal(model: type[models.Model], name: str, high: Decimal | None = None) -> f.Parser:
    field = model._meta.get_field(name)
    assert isinstance(field, models.DecimalField)
    return f.decimal(field, Decimal(0), high)


def _text(model: type[models.Model], name: str, *, required: bool = False) -> Column:
    field = model._meta.get_field(name)
    limit = getattr(field, "max_length", None)
    if required:
        return Column(name, f.text(limit), empty=REQUIRED, on_create=True, strip=False)
    return Column(name, f.text(limit), strip=False)


SMALL = 32767
UE_KEY = Column("ue", f.ue_code(_size(UE, "code")), empty=REQUIRED)
YEAR_KEY = Column("year", f.year, empty=REQUIRED)
OFFER_KEY = (UE_KEY, YEAR_KEY, Column("version", f.integer(1, SMALL), empty=REQUIRED))
PROGRAMME_CODE = f.slug(_size(Programme, "code"))
FRAMEWORK_CODE = f.slug(_remote_size(Programme, "framework", "code"))
COMPETENCY_CODE = f.text(_remote_size(CompetencyContribution, "competency", "code"))
CAMPUS_CODE = f.slug(_remote_size(Offer, "campus", "code"))
LOGIN = f.token(_remote_size(Offer, "responsible", "login"))


def _categories() -> Table:
    return Table(
        "categories",
        (
            Column("code", f.slug(_size(Category, "code")), empty=REQUIRED),
            _text(Category, "label", required=True),
            _text(Category, "label_en"),
            _text(Category, "description"),
            Column("position", f.integer(0, SMALL), empty=REQUIRED),
        ),
        key=("code",),
    )


def _software() -> Table:
    return Table(
        "software",
        (
            Column("code", f.slug(_size(Software, "code")), empty=REQUIRED),
            _text(Software, "name", required=True),
            _text(Software, "publisher"),
            Column("licence", f.choice(Software.Licence.values), empty=REQUIRED, on_create=True),
            _text(Software, "description"),
            Column("url", f.url(_size(Software, "url"))),
        ),
        key=("code",),
    )


def _ues() -> tuple[Table, Table]:
    ues = Table("ues", (Column("code", f.ue_code(_size(UE, "code")), empty=REQUIRED),), ("code",))
    aliases = Table(
        "aliases",
        (
            Column("ue", f.ue_code(_size(UE, "code")), empty=REQUIRED),
            Column("code", f.ue_code(_size(UEAlias, "code")), empty=REQUIRED),
            Column("until_year", f.year, empty=None),
        ),
        key=("ue", "code"),
        parent="ues",
        json_key="aliases",
        parent_columns=("ue",),
    )
    return ues, aliases


def _diplomas() -> Table:
    return Table(
        "diplomas",
        (
            Column("code", f.slug(_size(Diploma, "code")), empty=REQUIRED),
            Column("kind", f.choice(Diploma.Kind.values), empty=REQUIRED, on_create=True),
            _text(Diploma, "title", required=True),
            _text(Diploma, "title_en"),
            Column("rncp_code", f.text(_size(Diploma, "rncp_code"))),
            Column("structure", f.slug(_remote_size(Diploma, "structure", "code")), empty=None),
        ),
        key=("code",),
    )


def _programmes() -> tuple[Table, Table]:
    programmes = Table(
        "programmes",
        (
            Column("code", PROGRAMME_CODE, empty=REQUIRED),
            YEAR_KEY,
            Column("diploma", f.slug(_size(Diploma, "code")), empty=REQUIRED, on_create=True),
            Column("cycle", f.choice(Programme.Cycle.values), empty=REQUIRED, on_create=True),
            _text(Programme, "title", required=True),
            _text(Programme, "title_en"),
            _text(Programme, "description"),
            _text(Programme, "description_en"),
            Column("campus", CAMPUS_CODE, empty=None),
            Column("head", LOGIN, empty=None),
            Column("framework", FRAMEWORK_CODE, empty=None),
        ),
        key=("code", "year"),
    )
    tracks = Table(
        "tracks",
        (
            Column("programme", PROGRAMME_CODE, empty=REQUIRED),
            YEAR_KEY,
            Column("code", f.slug(_size(Track, "code")), empty=REQUIRED),
            _text(Track, "title", required=True),
            _text(Track, "title_en"),
        ),
        key=("programme", "year", "code"),
        parent="programmes",
        json_key="tracks",
        parent_columns=("programme", "year"),
    )
    return programmes, tracks


def _offer_columns() -> tuple[Column, ...]:
    hours = [Column(name, _decimal(Offer, name), empty=REQUIRED) for name in HOUR_FIELDS]
    groups = [Column(name, f.integer(0, SMALL), empty=REQUIRED) for name in GROUP_FIELDS]
    return (
        *OFFER_KEY,
        Column("uuid", f.uuid_value, empty=None),
        Column("status", f.choice(Offer.Status.values), empty=REQUIRED),
        Column("supersedes_ue", f.ue_code(_size(UE, "code")), empty=None),
        Column("supersedes_year", f.year, empty=None),
        Column("supersedes_version", f.integer(1, SMALL), empty=None),
        _text(Offer, "title", required=True),
        *(_text(Offer, name) for name in SYLLABUS_FIELDS[1:]),
        Column("credits", _decimal(Offer, "credits", Decimal(60)), empty=REQUIRED),
        Column("language", f.choice(Offer.Language.values), empty=REQUIRED),
        Column("semesters", f.choice(Offer.Semester.values), empty=REQUIRED, on_create=True),
        Column("campus", CAMPUS_CODE, empty=None),
        *hours,
        Column("capacity", f.integer(0, 2**31 - 1), empty=None),
        *groups,
        _text(Offer, "room_needs"),
        Column("responsible", LOGIN, empty=None),
        Column("published_at", f.moment, empty=None),
    )


#: Free-text fields of an offer, written as they are (``title`` first).
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
)
HOUR_FIELDS = ("hours_cm", "hours_td", "hours_tp", "hours_personal")
GROUP_FIELDS = ("groups_cm", "groups_td", "groups_tp")


def _offer_children() -> tuple[Table, ...]:
    def child(
        name: str, json_key: str, key: tuple[str, ...], *columns: Column, optional: int = 0
    ) -> Table:
        return Table(
            name,
            (*OFFER_KEY, *columns),
            key=("ue", "year", "version", *key),
            parent="offers",
            json_key=json_key,
            parent_columns=("ue", "year", "version"),
            optional_key=key[len(key) - optional :] if optional else (),
        )

    framework = Column("framework", FRAMEWORK_CODE, empty=REQUIRED)
    competency = Column("competency", COMPETENCY_CODE, empty=REQUIRED)
    return (
        child(
            "offer_programmes",
            "programmes",
            ("programme", "programme_year"),
            Column("programme", PROGRAMME_CODE, empty=REQUIRED),
            Column("programme_year", f.year, empty=None),
            Column("category", f.slug(_size(Category, "code")), empty=REQUIRED, on_create=True),
            optional=1,
        ),
        child(
            "team",
            "team",
            ("login", "activity"),
            Column("login", LOGIN, empty=REQUIRED),
            Column("activity", f.choice(TeachingAssignment.Activity.values), empty=REQUIRED),
            Column("hours", _decimal(TeachingAssignment, "hours"), empty=REQUIRED),
        ),
        child(
            "elements",
            "elements",
            ("code",),
            Column("code", f.text(_size(ConstituentElement, "code")), empty=REQUIRED),
            _text(ConstituentElement, "title", required=True),
            _text(ConstituentElement, "title_en"),
            Column("hours", _decimal(ConstituentElement, "hours"), empty=REQUIRED),
            Column("weight", _decimal(ConstituentElement, "weight"), empty=REQUIRED),
            Column("position", f.integer(0, SMALL), empty=REQUIRED),
        ),
        child(
            "prerequisites",
            "prerequisites",
            ("required_ue", "framework", "competency", "level"),
            Column("required_ue", f.ue_code(_size(UE, "code")), empty=None),
            Column("framework", FRAMEWORK_CODE, empty=None),
            Column("competency", COMPETENCY_CODE, empty=None),
            Column("level", f.integer(1, SMALL), empty=None),
            _text(Prerequisite, "note"),
            optional=4,
        ),
        child(
            "software_needs",
            "software",
            ("software",),
            Column("software", f.slug(_size(Software, "code")), empty=REQUIRED),
            Column("mode", f.choice(SoftwareNeed.Mode.values), empty=REQUIRED, on_create=True),
            _text(SoftwareNeed, "note"),
        ),
        child(
            "contributions",
            "contributions",
            ("framework", "competency"),
            framework,
            competency,
            Column("level", f.integer(1, SMALL), empty=REQUIRED, on_create=True),
            Column("weight", _decimal(CompetencyContribution, "weight"), empty=REQUIRED),
        ),
    )


def _tables() -> dict[str, Table]:
    ues, aliases = _ues()
    programmes, tracks = _programmes()
    offers = Table("offers", _offer_columns(), key=("ue", "year", "version"))
    ordered = (
        _categories(),
        _software(),
        ues,
        aliases,
        _diplomas(),
        programmes,
        tracks,
        offers,
        *_offer_children(),
    )
    return {table.name: table for table in ordered}


TABLES: dict[str, Table] = _tables()
#: Every table, parents before children: the order of the report and of the writes.
TABLE_NAMES: tuple[str, ...] = tuple(TABLES)
TOP_LEVEL: tuple[str, ...] = tuple(name for name, t in TABLES.items() if t.parent is None)
CHILDREN: dict[str, tuple[str, ...]] = {
    parent: tuple(name for name, t in TABLES.items() if t.parent == parent) for parent in TOP_LEVEL
}
#: Models behind the tables (for the audit detail and the tests).
MODELS: dict[str, type[models.Model]] = {
    "categories": Category,
    "software": Software,
    "ues": UE,
    "aliases": UEAlias,
    "diplomas": Diploma,
    "programmes": Programme,
    "tracks": Track,
    "offers": Offer,
    "offer_programmes": OfferProgramme,
    "team": TeachingAssignment,
    "elements": ConstituentElement,
    "prerequisites": Prerequisite,
    "software_needs": SoftwareNeed,
    "contributions": CompetencyContribution,
}
