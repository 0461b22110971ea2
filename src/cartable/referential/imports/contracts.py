"""Contracts and registrations: matched by ``reference``; the person, population, structure
and campus must exist in the referential or, for an LDIF ``all`` import, in the same file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..models import Campus, Contract, Person, Population, Structure
from .common import BATCH_SIZE, bulk_update_grouped, filter_or_all, unique_rows
from .persons import PersonPlan
from .report import Counts, ErrorLog
from .rows import Row
from .structures import StructurePlan

VALUE_FIELDS = ("start_date", "end_date", "programme", "study_level", "job_title")
LOADED = (
    "id",
    "reference",
    "person_id",
    "population_id",
    "structure_id",
    "campus_id",
    *VALUE_FIELDS,
)
Record = dict[str, Any]
UNKNOWN = {
    "population": ("population inconnue", "unknown population"),
    "structure": ("structure inconnue", "unknown structure"),
    "campus": ("campus inconnu", "unknown campus"),
}


@dataclass
class ContractPlan:
    to_create: list[Contract] = field(default_factory=list)
    to_update: list[tuple[Contract, frozenset[str]]] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


@dataclass
class _Lookups:
    persons: dict[tuple[str, str], Person]
    populations: dict[str, int]
    structures: Mapping[str, Structure]
    campuses: dict[str, int]


def _persons(rows: list[Row], plan: PersonPlan | None) -> dict[tuple[str, str], Person]:
    """Persons designated by the rows: from this run first, else from the referential
    (one query per kind of identifier used, usually one)."""
    found: dict[tuple[str, str], Person] = dict(plan.by_key) if plan else {}
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.person_key and row.person_key not in found:
            wanted.setdefault(row.person_key[0], set()).add(row.person_key[1])
    for name, values in wanted.items():
        queryset = filter_or_all(Person.objects.all(), {name: list(values)})
        for value, pk in queryset.values_list(name, "pk").iterator(chunk_size=5000):
            if value in values:
                found[(name, value)] = Person(pk=pk)
    return found


def _lookups(
    rows: list[Row], persons: PersonPlan | None, structures: StructurePlan | None
) -> _Lookups:
    if structures is not None:
        structure_map: Mapping[str, Structure] = structures.by_code
    else:
        structure_map = {
            code: Structure(pk=pk) for code, pk in Structure.objects.values_list("code", "pk")
        }
    return _Lookups(
        persons=_persons(rows, persons),
        populations=dict(Population.objects.values_list("code", "pk")),
        structures=structure_map,
        campuses=dict(Campus.objects.values_list("code", "pk")),
    )


def _targets(row: Row, lookups: _Lookups, errors: ErrorLog) -> dict[str, Any]:
    """The referenced objects the row gives, by field name; unknown ones are errors."""
    targets: dict[str, Any] = {}
    key = row.person_key
    person = lookups.persons.get(key) if key else None
    if person is None:
        errors.about(
            row.line,
            row.label("person_login"),
            key[1] if key else "",
            (
                "personne inconnue (ni dans le fichier ni dans le référentiel)",
                "unknown person (neither in the file nor in the referential)",
            ),
        )
    else:
        targets["person"] = person
    tables: dict[str, Mapping[str, Any]] = {
        "population": lookups.populations,
        "structure": lookups.structures,
        "campus": lookups.campuses,
    }
    for name, table in tables.items():
        if name not in row.values:
            continue
        code = row.values[name]
        if code is None:
            targets[name] = None
        elif code in table:
            targets[name] = table[code]
        else:
            errors.about(row.line, row.label(name), code, UNKNOWN[name])
    return targets


def _check_dates(row: Row, start: date | None, end: date | None, errors: ErrorLog) -> None:
    if start is None:
        if "start_date" not in row.failed:
            errors.about(
                row.line,
                row.label("start_date"),
                "",
                ("date de début obligatoire", "start date required"),
            )
    elif end is not None and end < start:
        errors.about(
            row.line,
            row.label("end_date"),
            end.isoformat(),
            (
                f"la fin ({end.isoformat()}) précède le début ({start.isoformat()})",
                f"the end ({end.isoformat()}) is before the start ({start.isoformat()})",
            ),
        )


def _new_contract(reference: str, row: Row, targets: dict[str, Any], errors: ErrorLog) -> Contract:
    values = {**row.create_defaults, **{k: v for k, v in row.values.items() if k in VALUE_FIELDS}}
    for name in ("population", "structure"):
        if row.missing(name):
            errors.about(
                row.line,
                row.label(name),
                "",
                ("valeur obligatoire manquante", "required value missing"),
            )
    _check_dates(row, values.get("start_date"), values.get("end_date"), errors)
    contract = Contract(reference=reference, **values)
    if "person" in targets:
        contract.person = targets["person"]
    if targets.get("population") is not None:
        contract.population_id = targets["population"]
    if targets.get("structure") is not None:
        contract.structure = targets["structure"]
    contract.campus_id = targets.get("campus")
    return contract


def _changed(record: Record, row: Row, targets: dict[str, Any]) -> dict[str, Any]:
    changes = {
        name: value
        for name, value in row.values.items()
        if name in VALUE_FIELDS and record[name] != value
    }
    for name in ("person", "structure"):
        target = targets.get(name)
        if target is not None and (target.pk is None or target.pk != record[f"{name}_id"]):
            changes[name] = target
    for name in ("population", "campus"):
        if name in targets and targets[name] != record[f"{name}_id"]:
            changes[f"{name}_id"] = targets[name]
    return changes


def plan_contracts(
    rows: list[Row],
    errors: ErrorLog,
    *,
    persons: PersonPlan | None = None,
    structures: StructurePlan | None = None,
) -> ContractPlan:
    plan = ContractPlan()
    by_reference = unique_rows(rows, "reference", errors, ("référence", "reference"))
    lookups = _lookups(list(by_reference.values()), persons, structures)
    queryset = filter_or_all(Contract.objects.all(), {"reference": list(by_reference)})
    stored = {r["reference"]: r for r in queryset.values(*LOADED).iterator(chunk_size=5000)}
    for reference, row in by_reference.items():
        targets = _targets(row, lookups, errors)
        record = stored.get(reference)
        if record is None:
            plan.to_create.append(_new_contract(reference, row, targets, errors))
            continue
        changes = _changed(record, row, targets)
        start = changes.get("start_date", record["start_date"])
        _check_dates(row, start, changes.get("end_date", record["end_date"]), errors)
        if not changes:
            plan.counts.unchanged += 1
            continue
        contract = Contract(**record)
        for name, value in changes.items():
            setattr(contract, name, value)
        plan.to_update.append((contract, frozenset(n.removesuffix("_id") for n in changes)))
    plan.counts.created = len(plan.to_create)
    plan.counts.updated = len(plan.to_update)
    return plan


def apply_contracts(plan: ContractPlan) -> None:
    Contract.objects.bulk_create(plan.to_create, batch_size=BATCH_SIZE)
    bulk_update_grouped(Contract, plan.to_update)
