"""What other modules may ask of the referential."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from cartable.core.permissions import Role
from cartable.core.request_context import request_cached

from . import rules
from .data import Choice, ContractFacts, FunctionFacts, GroupRule, PersonFacts, PersonSummary
from .models import Contract, Function, Group, GroupMembership, Person, Population, Structure


def today() -> date:
    return timezone.localdate()


def max_grace_days() -> int:
    largest = Population.objects.aggregate(m=Max("grace_days"))["m"] or 0
    return max(int(largest), int(settings.CARTABLE_DEFAULT_GRACE_DAYS))


def _contract_facts(row: dict[str, Any]) -> ContractFacts:
    grace = row["population__grace_days"]
    return ContractFacts(
        reference=row["reference"],
        population_code=row["population__code"],
        population_label=row["population__label"],
        kind=row["population__kind"],
        structure_code=row["structure__code"],
        structure_path=row["structure__path"],
        structure_name=row["structure__name"],
        campus_code=row["campus__code"] or "",
        programme=row["programme"],
        study_level=row["study_level"],
        start_date=row["start_date"],
        end_date=row["end_date"],
        grace_days=int(settings.CARTABLE_DEFAULT_GRACE_DAYS) if grace is None else grace,
    )


CONTRACT_FIELDS = (
    "person__uuid",
    "reference",
    "population__code",
    "population__label",
    "population__kind",
    "population__grace_days",
    "structure__code",
    "structure__path",
    "structure__name",
    "campus__code",
    "programme",
    "study_level",
    "start_date",
    "end_date",
)


def group_rules() -> list[GroupRule]:
    return [
        GroupRule(
            group_code=g.code,
            population_code=g.rule_population.code if g.rule_population else "",
            structure_path=g.rule_structure.path if g.rule_structure else "",
            include_substructures=g.rule_include_substructures,
            campus_code=g.rule_campus.code if g.rule_campus else "",
            programme=g.rule_programme,
            study_level=g.rule_study_level,
        )
        for g in Group.objects.filter(kind=Group.Kind.RULE).select_related(
            "rule_population", "rule_structure", "rule_campus"
        )
    ]


def facts_for(
    person_uuids: Iterable[uuid.UUID] | None = None, day: date | None = None
) -> dict[uuid.UUID, PersonFacts]:
    """Contracts in force, functions and groups of each person on ``day``, in a few queries.

    With ``person_uuids=None`` every person with a contract in force is returned; persons
    without one are absent (they hold no right)."""
    day = day or today()
    if person_uuids is None:
        contracts = Contract.objects.possibly_in_force(day, max_grace_days())
    else:  # a few persons: read all their started contracts, the grace is applied below
        contracts = Contract.objects.filter(start_date__lte=day)
    functions = Function.objects.filter(start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    memberships = GroupMembership.objects.filter(start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    if person_uuids is not None:
        wanted = list(person_uuids)
        contracts = contracts.filter(person__uuid__in=wanted)
        functions = functions.filter(person__uuid__in=wanted)
        memberships = memberships.filter(person__uuid__in=wanted)

    by_person: dict[uuid.UUID, list[ContractFacts]] = defaultdict(list)
    rows = contracts.values(*CONTRACT_FIELDS)
    # everyone: streamed in chunks; a few persons: one plain query (no server-side cursor)
    for row in rows.iterator(chunk_size=5000) if person_uuids is None else rows:
        facts = _contract_facts(row)
        if rules.contract_in_force(facts, day):
            by_person[row["person__uuid"]].append(facts)

    functions_by_person: dict[uuid.UUID, list[FunctionFacts]] = defaultdict(list)
    for row in functions.values(
        "person__uuid", "code", "structure__code", "structure__path", "start_date", "end_date"
    ):
        functions_by_person[row["person__uuid"]].append(
            FunctionFacts(
                code=row["code"],
                structure_code=row["structure__code"],
                structure_path=row["structure__path"],
                start_date=row["start_date"],
                end_date=row["end_date"],
            )
        )

    static_groups: dict[uuid.UUID, set[str]] = defaultdict(set)
    for person_uuid, group_code in memberships.values_list("person__uuid", "group__code"):
        static_groups[person_uuid].add(group_code)

    rules_list = group_rules()
    result: dict[uuid.UUID, PersonFacts] = {}
    for person_uuid, person_contracts in by_person.items():
        result[person_uuid] = PersonFacts(
            uuid=person_uuid,
            contracts=tuple(person_contracts),
            functions=tuple(functions_by_person.get(person_uuid, ())),
            groups=frozenset(static_groups.get(person_uuid, set()))
            | rules.rule_groups_of(person_contracts, rules_list),
        )
    return result


def facts_of(person_uuid: uuid.UUID, day: date | None = None) -> PersonFacts:
    """One person's facts; a person without a contract in force gets empty facts."""
    return _facts_of(person_uuid, day or today())


@request_cached
def _facts_of(person_uuid: uuid.UUID, day: date) -> PersonFacts:
    return facts_for([person_uuid], day).get(person_uuid, PersonFacts(uuid=person_uuid))


def roles_for_user(user: Any) -> set[Role]:
    """The resolver behind :func:`cartable.core.permissions.roles_of`."""
    person_uuid = person_uuid_for_user(user)
    if person_uuid is None:
        return set()
    day = today()
    # Roles need contracts and functions, not groups: two queries on every signed-in request.
    functions = [
        FunctionFacts(
            code=row["code"],
            structure_code=row["structure__code"],
            structure_path=row["structure__path"],
            start_date=row["start_date"],
            end_date=row["end_date"],
        )
        for row in Function.objects.filter(person__uuid=person_uuid, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values("code", "structure__code", "structure__path", "start_date", "end_date")
    ]
    return rules.roles_from(contracts_in_force(person_uuid, day), functions, day)


def person_uuid_for_user(user: Any) -> uuid.UUID | None:
    if user is None or not user.is_authenticated:
        return None
    return _person_uuid_for_user_id(user.pk)


@request_cached
def _person_uuid_for_user_id(user_id: int) -> uuid.UUID | None:
    return Person.objects.filter(user_id=user_id).values_list("uuid", flat=True).first()


def person_uuid_for_login(login: str) -> uuid.UUID | None:
    return Person.objects.filter(login=login).values_list("uuid", flat=True).first()


def is_person_active(person_uuid: uuid.UUID, day: date | None = None) -> bool:
    """Whether the person holds a contract or registration in force (grace included): one
    query, shared within a request with :func:`contracts_in_force`."""
    return bool(contracts_in_force(person_uuid, day))


def is_teacher(person_uuid: uuid.UUID, day: date | None = None) -> bool:
    """Whether the person teaches: a contract in force in a teaching population."""
    return any(
        c.population_code in rules.TEACHER_POPULATIONS for c in contracts_in_force(person_uuid, day)
    )


def _summary(person: Person, facts: PersonFacts | None) -> PersonSummary:
    """Who someone is; populations and structures are those of the contracts in force,
    grace periods included (the same rule as rights and roles)."""
    in_force = facts.contracts if facts else ()
    return PersonSummary(
        uuid=person.uuid,
        display_name=person.display_name,
        first_name=person.display_first_name,
        last_name=person.display_last_name,
        login=person.login or "",
        eppn=person.eppn or "",
        institutional_email=person.institutional_email,
        student_number=person.student_number or "",
        staff_number=person.staff_number or "",
        red_list=person.red_list,
        populations=tuple(sorted({c.population_code for c in in_force})),
        structure_codes=tuple(sorted({c.structure_code for c in in_force})),
        active=bool(in_force),
    )


#: Identifiers per query, below every database's limit on query parameters.
BATCH = 900


def summaries(person_uuids: Iterable[uuid.UUID]) -> list[PersonSummary]:
    """Who these persons are, in the order of their names."""
    wanted = list(person_uuids)
    people: list[Person] = []
    facts: dict[uuid.UUID, PersonFacts] = {}
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        people.extend(Person.objects.filter(uuid__in=batch))
        facts.update(facts_for(batch))
    people.sort(key=lambda p: (p.civil_last_name, p.civil_first_name, p.pk))
    return [_summary(p, facts.get(p.uuid)) for p in people]


def summary(person_uuid: uuid.UUID) -> PersonSummary | None:
    found = summaries([person_uuid])
    return found[0] if found else None


def summary_for_user(user: Any) -> PersonSummary | None:
    person_uuid = person_uuid_for_user(user)
    return summary(person_uuid) if person_uuid else None


def find_persons(text: str, limit: int = 20) -> list[PersonSummary]:
    """Persons whose name, login, e-mail or number matches ``text``."""
    if not text.strip():
        return []
    uuids = list(
        Person.objects.filter(person_text_query(text)).values_list("uuid", flat=True)[:limit]
    )
    return summaries(uuids)


def person_text_query(text: str) -> Q:
    """Every word must match a name (civil or usage), or exactly a login, number or e-mail."""
    query = Q()
    for word in text.split():
        query &= (
            Q(civil_last_name__icontains=word)
            | Q(usage_last_name__icontains=word)
            | Q(civil_first_name__icontains=word)
            | Q(usage_first_name__icontains=word)
            | Q(login__iexact=word)
            | Q(eppn__iexact=word)
            | Q(student_number=word)
            | Q(staff_number=word)
            | Q(institutional_email__iexact=word)
        )
    return query


def population_choices() -> list[Choice]:
    return [Choice(p.code, p.label) for p in Population.objects.order_by("label")]


def registration_population_choices() -> list[Choice]:
    """The populations people enter by a registration (students, apprentices…), by label."""
    return [
        Choice(p.code, p.label)
        for p in Population.objects.filter(kind=Population.Kind.REGISTRATION).order_by("label")
    ]


def structure_choices() -> list[Choice]:
    return [
        Choice(s.code, f"{'  ' * max(s.depth, 0)}{s.name}")
        for s in Structure.objects.order_by("path")
    ]


def group_choices() -> list[Choice]:
    return [Choice(g.code, g.name) for g in Group.objects.order_by("name")]


def structure_path(code: str) -> str | None:
    return Structure.objects.filter(code=code).values_list("path", flat=True).first()


def structures_within(code: str) -> list[str]:
    """Codes of a structure and all those below it."""
    path = structure_path(code)
    if path is None:
        return []
    return list(Structure.objects.filter(path__startswith=path).values_list("code", flat=True))


def registered_person_uuids(day: date | None = None) -> set[uuid.UUID]:
    """Persons with a registration (not a staff contract) in force on ``day``."""
    return {
        person_uuid
        for person_uuid, f in facts_for(None, day).items()
        if any(c.kind == "registration" for c in f.contracts)
    }


def person_uuids_in_structures(paths: Iterable[str], day: date | None = None) -> set[uuid.UUID]:
    """Persons with a contract in force in one of these subtrees (delegated administration)."""
    facts = facts_for(None, day)
    paths = tuple(paths)
    return {
        person_uuid
        for person_uuid, f in facts.items()
        if any(c.structure_path.startswith(paths) for c in f.contracts)
    }


def structure_paths_of_person(person_uuid: uuid.UUID, day: date | None = None) -> tuple[str, ...]:
    return tuple(c.structure_path for c in facts_of(person_uuid, day).contracts)


def contracts_in_force(
    person_uuid: uuid.UUID, day: date | None = None
) -> tuple[ContractFacts, ...]:
    """One person's contracts and registrations in force on ``day`` (grace included), in one
    query (once per request): what a hot path needs when it does not need functions and
    groups."""
    return _contracts_in_force(person_uuid, day or today())


@request_cached
def _contracts_in_force(person_uuid: uuid.UUID, day: date) -> tuple[ContractFacts, ...]:
    rows = Contract.objects.filter(person__uuid=person_uuid, start_date__lte=day).values(
        *CONTRACT_FIELDS
    )
    found = [_contract_facts(row) for row in rows]
    return tuple(facts for facts in found if rules.contract_in_force(facts, day))
