"""Persons: matched by ``login``, else ``eppn``, else ``student_number``, else ``staff_number``.
Unique identifiers are checked within the file and against the referential."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..models import Person
from .common import BATCH_SIZE, bulk_update_grouped, ensure_pks, filter_or_all
from .report import Counts, ErrorLog
from .rows import PERSON_KEYS, PERSON_UNIQUE, Row

FIELDS = (
    "login",
    "eppn",
    "civil_last_name",
    "civil_first_name",
    "usage_last_name",
    "usage_first_name",
    "birth_date",
    "institutional_email",
    "personal_email",
    "ine",
    "student_number",
    "staff_number",
    "photo_consent",
    "red_list",
)
Record = dict[str, Any]


@dataclass
class PersonPlan:
    #: Every identifier of the file's rows → the person it designates (new or stored).
    by_key: dict[tuple[str, str], Person] = field(default_factory=dict)
    to_create: list[Person] = field(default_factory=list)
    to_update: list[tuple[Person, frozenset[str]]] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


class _Owners:
    """Stored persons indexed by each unique identifier."""

    def __init__(self, rows: list[Row]) -> None:
        lookups = {
            name: list({row.values[name] for row in rows if row.values.get(name)})
            for name in PERSON_UNIQUE
        }
        self.by_field: dict[str, dict[str, Record]] = {name: {} for name in PERSON_UNIQUE}
        queryset = filter_or_all(Person.objects.all(), lookups).values("id", *FIELDS)
        for record in queryset.iterator(chunk_size=5000):
            for name in PERSON_UNIQUE:
                if record[name]:
                    self.by_field[name][record[name]] = record

    def match(self, row: Row) -> Record | None:
        for name in PERSON_KEYS:
            value = row.values.get(name)
            if value and value in self.by_field[name]:
                return self.by_field[name][value]
        return None


class _Uniqueness:
    """Checks that no identifier is used twice in the file or by another stored person."""

    def __init__(self, owners: _Owners, errors: ErrorLog) -> None:
        self.owners = owners
        self.errors = errors
        self.seen: dict[str, dict[str, int]] = {name: {} for name in PERSON_UNIQUE}
        self.targeted: dict[int, int] = {}

    def check(self, row: Row, match: Record | None) -> None:
        for name in PERSON_UNIQUE:
            value = row.values.get(name)
            if not value:
                continue
            first_line = self.seen[name].setdefault(value, row.line)
            if first_line != row.line:
                self.errors.about(
                    row.line,
                    row.label(name),
                    value,
                    (
                        f"valeur en double dans le fichier (déjà ligne {first_line})",
                        f"duplicate value in the file (already on line {first_line})",
                    ),
                )
            owner = self.owners.by_field[name].get(value)
            if owner is not None and (match is None or owner["id"] != match["id"]):
                self.errors.about(
                    row.line,
                    row.label(name),
                    value,
                    (
                        "déjà attribué à une autre personne du référentiel",
                        "already given to another person of the referential",
                    ),
                )
        if match is not None:
            first_line = self.targeted.setdefault(match["id"], row.line)
            if first_line != row.line:
                key = row.person_key or ("login", "")
                self.errors.about(
                    row.line,
                    row.label(key[0]),
                    key[1],
                    (
                        f"cette personne figure déjà ligne {first_line}",
                        f"this person already appears on line {first_line}",
                    ),
                )


def _changes(record: Record, row: Row) -> dict[str, Any]:
    return {name: value for name, value in row.values.items() if record[name] != value}


def plan_persons(rows: list[Row], errors: ErrorLog, now: datetime) -> PersonPlan:
    """Check every row; decide which persons to create, update or leave alone."""
    plan = PersonPlan()
    owners = _Owners(rows)
    uniqueness = _Uniqueness(owners, errors)
    for row in rows:
        match = owners.match(row)
        uniqueness.check(row, match)
        if match is None:
            person = Person(**row.values)
            plan.to_create.append(person)
        else:
            changes = _changes(match, row)
            if changes:
                person = Person(**match)
                for name, value in changes.items():
                    setattr(person, name, value)
                person.updated_at = now
                plan.to_update.append((person, frozenset(changes)))
            else:
                person = Person(pk=match["id"])
                plan.counts.unchanged += 1
        for name in PERSON_KEYS:
            if row.values.get(name):
                plan.by_key[(name, row.values[name])] = person
    plan.counts.created = len(plan.to_create)
    plan.counts.updated = len(plan.to_update)
    return plan


def apply_persons(plan: PersonPlan) -> None:
    Person.objects.bulk_create(plan.to_create, batch_size=BATCH_SIZE)
    ensure_pks(Person, plan.to_create, "uuid")
    bulk_update_grouped(Person, plan.to_update, extra=("updated_at",))
