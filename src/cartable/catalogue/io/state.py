"""What the database holds, loaded once per table, and what the import will write.

Rows of other apps (campuses, structures, persons, competency frameworks) are only read, by
code, through the relations of the catalogue's own models: the import never writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models

from ..models import (
    UE,
    Category,
    CompetencyContribution,
    Diploma,
    Offer,
    Programme,
    Software,
    UEAlias,
)
from .records import Batch

M = TypeVar("M", bound=models.Model)
OfferKey = tuple[str, int, int]
ProgrammeKey = tuple[str, int]
#: More keys than this in an ``IN (…)`` clause: load the whole table in one query instead.
IN_LIMIT = 900
AMBIGUOUS = -1


@dataclass
class Changes(Generic[M]):
    """The writes planned for one table."""

    create: list[M] = field(default_factory=list)
    update: list[tuple[M, frozenset[str]]] = field(default_factory=list)
    delete: list[Any] = field(default_factory=list)


def related(model: type[models.Model], name: str) -> type[models.Model]:
    """The model at the other end of one of our relations (another app's model)."""
    target = model._meta.get_field(name).related_model
    assert isinstance(target, type)
    assert issubclass(target, models.Model)
    return target


def codes(model: type[models.Model], relation: str, key: str = "code") -> dict[Any, int]:
    """Another app's rows reached through ``model.relation``: natural key → primary key."""
    return dict(related(model, relation)._default_manager.values_list(key, "pk"))


def logins_in(batch: Batch) -> set[str]:
    wanted = [("programmes", "head"), ("offers", "responsible"), ("team", "login")]
    return {
        record.values[name]
        for table, name in wanted
        for record in batch.table(table)
        if record.values.get(name)
    }


def persons_by_login(logins: Iterable[str]) -> dict[str, int]:
    """One query: the persons named in the file (every person when they are too many)."""
    wanted = sorted(set(logins))
    persons = related(Offer, "responsible")._default_manager.exclude(login=None)
    if not wanted:
        return {}
    if len(wanted) <= IN_LIMIT:
        persons = persons.filter(login__in=wanted)
    return dict(persons.values_list("login", "pk"))


@dataclass
class State:
    """Stored and planned objects by natural key, and lookups of other apps' rows."""

    categories: dict[str, Category] = field(default_factory=dict)
    software: dict[str, Software] = field(default_factory=dict)
    ues: dict[str, UE] = field(default_factory=dict)
    aliases: dict[str, UEAlias] = field(default_factory=dict)
    diplomas: dict[str, Diploma] = field(default_factory=dict)
    programmes: dict[ProgrammeKey, Programme] = field(default_factory=dict)
    offers: dict[OfferKey, Offer] = field(default_factory=dict)
    stored_status: dict[OfferKey, str] = field(default_factory=dict)
    campuses: dict[str, int] = field(default_factory=dict)
    structures: dict[str, int] = field(default_factory=dict)
    frameworks: dict[str, int] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)
    competencies: dict[tuple[str, str], int] = field(default_factory=dict)
    competency_keys: dict[int, tuple[str, str]] = field(default_factory=dict)
    levels: dict[tuple[str, int], int] = field(default_factory=dict)
    level_ranks: dict[int, int] = field(default_factory=dict)
    changes: dict[str, Changes[Any]] = field(default_factory=dict)

    def changes_of(self, table: str) -> Changes[Any]:
        return self.changes.setdefault(table, Changes())

    def ue_code(self, code: str) -> str | None:
        """The stable code of a UE given its code or a past one, in the final state."""
        if code in self.ues:
            return code
        alias = self.aliases.get(code)
        return alias.ue.code if alias is not None else None

    def offer_by_pk(self) -> dict[int, OfferKey]:
        return {offer.pk: key for key, offer in self.offers.items() if offer.pk is not None}

    def programme_by_pk(self) -> dict[int, ProgrammeKey]:
        return {p.pk: key for key, p in self.programmes.items() if p.pk is not None}


def load(batch: Batch) -> State:
    """Every stored row of the catalogue's tables (one query each) and the codes of other
    apps' rows the file may name."""
    state = State(
        categories={c.code: c for c in Category.objects.all()},
        software={s.code: s for s in Software.objects.all()},
        ues={u.code: u for u in UE.objects.all()},
        diplomas={d.code: d for d in Diploma.objects.all()},
        campuses=codes(Offer, "campus"),
        structures=codes(Diploma, "structure"),
        frameworks=codes(Programme, "framework"),
        persons=persons_by_login(logins_in(batch)),
    )
    ue_by_pk = {ue.pk: ue for ue in state.ues.values()}
    for alias in UEAlias.objects.all():
        alias.ue = ue_by_pk[alias.ue_id]
        state.aliases[alias.code] = alias
    for programme in Programme.objects.all():
        state.programmes[(programme.code, programme.year)] = programme
    for offer in Offer.objects.all():
        offer.ue = ue_by_pk[offer.ue_id]
        key = (offer.ue.code, offer.year, offer.version)
        state.offers[key] = offer
        state.stored_status[key] = offer.status
    _load_competencies(state)
    return state


def _load_competencies(state: State) -> None:
    competencies = related(CompetencyContribution, "competency")._default_manager.values_list(
        "pk", "block__framework__code", "code"
    )
    for pk, framework, code in competencies:
        key = (framework, code)
        state.competencies[key] = AMBIGUOUS if key in state.competencies else pk
        state.competency_keys[pk] = key
    levels = related(CompetencyContribution, "level")._default_manager.values_list(
        "pk", "framework__code", "rank"
    )
    for pk, framework, rank in levels:
        state.levels[(framework, rank)] = pk
        state.level_ranks[pk] = rank
