"""Values exchanged through :mod:`cartable.access.api` (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass(frozen=True)
class ServiceData:
    code: str
    name: str
    name_en: str
    description: str
    description_en: str
    url: str
    category: str
    category_label: str
    criticality: int


@dataclass(frozen=True)
class RuleData:
    uuid: UUID
    service_code: str
    label: str
    population_code: str = ""
    population_label: str = ""
    group_code: str = ""
    group_label: str = ""
    structure_path: str = ""
    structure_label: str = ""
    include_substructures: bool = True
    start_date: date = date.min
    end_date: date | None = None

    @property
    def target_kind(self) -> str:
        if self.population_code:
            return "population"
        if self.group_code:
            return "group"
        return "structure"


@dataclass(frozen=True)
class AuthorisationData:
    uuid: UUID
    service_code: str
    person_uuid: UUID
    reason: str
    approver_name: str
    start_date: date
    end_date: date
    revoked: bool = False


@dataclass(frozen=True)
class Grant:
    """One reason why a person holds a service today.

    ``source`` is ``"rule"`` or ``"authorisation"``; ``via`` names what in the referential
    the grant stands on (a contract reference or a group code); ``until`` is the last day
    the grant holds if nothing changes (``None``: open-ended)."""

    service_code: str
    source: str
    source_uuid: UUID
    label: str
    target_kind: str
    target_label: str
    via: str
    until: date | None


@dataclass(frozen=True)
class Explanation:
    """Why a person has, or has not, a service on a day."""

    service: ServiceData
    person_uuid: UUID
    day: date
    person_active: bool
    grants: tuple[Grant, ...]

    @property
    def granted(self) -> bool:
        return bool(self.grants)
