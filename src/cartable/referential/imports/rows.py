"""From raw cells (a CSV line, an LDIF entry) to checked rows, whatever the file format.

A row only holds the fields its source provides: a column absent from the CSV header, an
attribute absent from the LDIF entry, or an empty cell of a field marked :data:`KEEP` leaves the
stored value alone. Every field is checked; every problem is recorded, none stops the reading.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..models import Campus, Contract, Person, Structure
from . import fields as f
from .report import ErrorLog

KEEP: Any = object()  # an empty cell of such a field leaves the stored value unchanged

#: Natural keys of a person, in matching order (the first one the row has wins).
PERSON_KEYS = ("login", "eppn", "student_number", "staff_number")
#: Fields that are unique in the database (checked within the file and against the database).
PERSON_UNIQUE = ("login", "eppn", "ine", "student_number", "staff_number")
CONTRACT_FIELDS = (
    "reference",
    "person_login",
    "population",
    "structure",
    "campus",
    "start_date",
    "end_date",
    "programme",
    "study_level",
    "job_title",
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    parser: f.Parser
    required: bool = False
    empty: Any = KEEP


@dataclass
class Row:
    """One record of the file, reduced to checked values keyed by column name."""

    line: int
    values: dict[str, Any]
    labels: Mapping[str, str] = field(default_factory=dict)
    failed: frozenset[str] = frozenset()
    person_key: tuple[str, str] | None = None
    create_defaults: dict[str, Any] = field(default_factory=dict)

    def label(self, name: str) -> str:
        """The name of the field as the file calls it (a column, or an LDIF attribute)."""
        return self.labels.get(name, name)

    def missing(self, name: str) -> bool:
        """Not given at all (a value that failed its check is not reported twice)."""
        return name not in self.values and name not in self.failed


@dataclass
class Batch:
    structures: list[Row] = field(default_factory=list)
    persons: list[Row] = field(default_factory=list)
    contracts: list[Row] = field(default_factory=list)
    rows_read: int = 0


REQUIRED = ("valeur obligatoire manquante", "required value missing")


def structure_specs() -> tuple[FieldSpec, ...]:
    size = lambda name: f.max_length(Structure, name)  # noqa: E731
    return (
        FieldSpec("code", f.slug(size("code")), required=True),
        FieldSpec("name", f.text(size("name")), required=True),
        FieldSpec("name_en", f.text(size("name_en")), empty=""),
        FieldSpec("acronym", f.text(size("acronym")), empty=""),
        FieldSpec("kind", f.choice(Structure.Kind.values)),
        FieldSpec("parent_code", f.slug(size("code")), empty=None),
        FieldSpec("campus_code", f.slug(f.max_length(Campus, "code")), empty=None),
    )


def person_specs(
    today: date, read_date: Callable[[str], date] = f.iso_date
) -> tuple[FieldSpec, ...]:
    size = lambda name: f.max_length(Person, name)  # noqa: E731
    return (
        FieldSpec("login", f.token(size("login"))),
        FieldSpec("eppn", f.eppn(size("eppn"))),
        FieldSpec("civil_last_name", f.text(size("civil_last_name")), required=True),
        FieldSpec("civil_first_name", f.text(size("civil_first_name")), required=True),
        FieldSpec("usage_last_name", f.text(size("usage_last_name")), empty=""),
        FieldSpec("usage_first_name", f.text(size("usage_first_name")), empty=""),
        FieldSpec("birth_date", f.birth_date(read_date, today), empty=None),
        FieldSpec("institutional_email", f.email(size("institutional_email")), empty=""),
        FieldSpec("personal_email", f.email(size("personal_email")), empty=""),
        FieldSpec("ine", f.ine),
        FieldSpec("student_number", f.token(size("student_number"))),
        FieldSpec("staff_number", f.token(size("staff_number"))),
        FieldSpec("photo_consent", f.boolean),
        FieldSpec("red_list", f.boolean),
    )


def contract_specs() -> tuple[FieldSpec, ...]:
    size = lambda name: f.max_length(Contract, name)  # noqa: E731
    return (
        FieldSpec("reference", f.token(size("reference")), required=True),
        FieldSpec("person_login", f.token(f.max_length(Person, "eppn")), required=True),
        FieldSpec("population", f.slug(40), required=True),
        FieldSpec("structure", f.slug(f.max_length(Structure, "code")), required=True),
        FieldSpec("campus", f.slug(f.max_length(Campus, "code")), empty=None),
        FieldSpec("start_date", f.iso_date),
        FieldSpec("end_date", f.iso_date, empty=None),
        FieldSpec("programme", f.text(size("programme")), empty=""),
        FieldSpec("study_level", f.text(size("study_level")), empty=""),
        FieldSpec("job_title", f.text(size("job_title")), empty=""),
    )


def convert(
    line: int,
    cells: Mapping[str, str],
    specs: tuple[FieldSpec, ...],
    errors: ErrorLog,
    labels: Mapping[str, str] | None = None,
) -> Row:
    """Check every field of one record; a bad field is recorded and left out of the row."""
    labels = labels or {}
    values: dict[str, Any] = {}
    failed: set[str] = set()
    for spec in specs:
        label = labels.get(spec.name, spec.name)
        raw = cells.get(spec.name)
        raw = raw.strip() if raw is not None else None
        if not raw:
            if spec.required:
                errors.about(line, label, "", REQUIRED)
                failed.add(spec.name)
            elif raw is not None and spec.empty is not KEEP:
                values[spec.name] = spec.empty
            continue
        try:
            values[spec.name] = spec.parser(raw)
        except f.Problem as problem:
            errors.about(line, label, raw, problem.reason)
            failed.add(spec.name)
    return Row(line, values, labels, frozenset(failed))


def structure_row(
    line: int,
    cells: Mapping[str, str],
    errors: ErrorLog,
    specs: tuple[FieldSpec, ...],
    labels: Mapping[str, str] | None = None,
) -> Row | None:
    row = convert(line, cells, specs, errors, labels)
    return row if "code" in row.values else None


def person_row(
    line: int,
    cells: Mapping[str, str],
    errors: ErrorLog,
    specs: tuple[FieldSpec, ...],
    labels: Mapping[str, str] | None = None,
) -> Row | None:
    row = convert(line, cells, specs, errors, labels)
    if not any(key in row.values for key in PERSON_KEYS):
        if not any(key in row.failed for key in PERSON_KEYS):
            names = ", ".join(row.label(key) for key in PERSON_KEYS)
            errors.about(
                line,
                row.label("login"),
                "",
                (
                    f"au moins un identifiant est obligatoire ({names})",
                    f"at least one identifier is required ({names})",
                ),
            )
        return None
    key = next(k for k in PERSON_KEYS if k in row.values)
    row.person_key = (key, row.values[key])
    return row


def contract_row(
    line: int,
    cells: Mapping[str, str],
    errors: ErrorLog,
    specs: tuple[FieldSpec, ...],
    labels: Mapping[str, str] | None = None,
    person_field: str = "login",
) -> Row | None:
    row = convert(line, cells, specs, errors, labels)
    start, end = row.values.get("start_date"), row.values.get("end_date")
    if start and end and end < start:
        errors.about(
            line,
            row.label("end_date"),
            end.isoformat(),
            (
                f"la fin ({end.isoformat()}) précède le début ({start.isoformat()})",
                f"the end ({end.isoformat()}) is before the start ({start.isoformat()})",
            ),
        )
        row.failed |= {"end_date"}
        del row.values["end_date"]
    if "reference" not in row.values or "person_login" not in row.values:
        return None
    row.person_key = (person_field, row.values.pop("person_login"))
    return row
