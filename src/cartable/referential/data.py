"""Values exchanged through :mod:`cartable.referential.api` (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID


@dataclass(frozen=True)
class ContractFacts:
    """A contract or registration, reduced to what rights and roles depend on."""

    reference: str
    population_code: str
    population_label: str
    kind: str
    structure_code: str
    structure_path: str
    structure_name: str
    campus_code: str
    programme: str
    study_level: str
    start_date: date
    end_date: date | None
    grace_days: int = 0

    @property
    def rights_until(self) -> date | None:
        """Last day on which this contract still carries rights (grace included)."""
        if self.end_date is None:
            return None
        return self.end_date + timedelta(days=self.grace_days)


@dataclass(frozen=True)
class FunctionFacts:
    code: str
    structure_code: str
    structure_path: str
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class GroupRule:
    """The criteria of a rule-based group; empty criteria match everything."""

    group_code: str
    population_code: str = ""
    structure_path: str = ""
    include_substructures: bool = True
    campus_code: str = ""
    programme: str = ""
    study_level: str = ""


@dataclass(frozen=True)
class PersonFacts:
    """What the referential knows of one person on one day, for rights and roles."""

    uuid: UUID
    contracts: tuple[ContractFacts, ...] = ()
    functions: tuple[FunctionFacts, ...] = ()
    groups: frozenset[str] = field(default_factory=frozenset)

    @property
    def active(self) -> bool:
        return bool(self.contracts)


@dataclass(frozen=True)
class PersonSummary:
    """Who someone is, as other modules may show it."""

    uuid: UUID
    display_name: str
    first_name: str
    last_name: str
    login: str
    eppn: str
    institutional_email: str
    student_number: str
    staff_number: str
    red_list: bool
    populations: tuple[str, ...]
    structure_codes: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class Choice:
    """A value to pick in a form of another module (population, structure, group)."""

    code: str
    label: str
