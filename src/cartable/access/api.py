"""What other modules may ask of access: effective services and why they are held."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q

from cartable.referential import api as referential
from cartable.referential.data import PersonFacts

from . import rules
from .data import AuthorisationData, Explanation, Grant, RuleData, ServiceData
from .models import AccessRule, Delegation, DigitalService, IndividualAuthorisation


class UnknownService(LookupError):
    pass


def _service_data(service: DigitalService) -> ServiceData:
    return ServiceData(
        code=service.code,
        name=service.name,
        name_en=service.name_en,
        description=service.description,
        description_en=service.description_en,
        url=service.url,
        category=service.category,
        category_label=str(service.get_category_display()),
        criticality=service.criticality,
    )


def services(*, active_only: bool = True) -> list[ServiceData]:
    found = DigitalService.objects.all()
    if active_only:
        found = found.filter(active=True)
    return [_service_data(s) for s in found.order_by("name")]


def service(code: str) -> ServiceData:
    found = DigitalService.objects.filter(code=code).first()
    if found is None:
        raise UnknownService(code)
    return _service_data(found)


def rule_data(rule: AccessRule) -> RuleData:
    return RuleData(
        uuid=rule.uuid,
        service_code=rule.service.code,
        label=rule.label,
        population_code=rule.population.code if rule.population else "",
        population_label=rule.population.label if rule.population else "",
        group_code=rule.group.code if rule.group else "",
        group_label=rule.group.name if rule.group else "",
        structure_path=rule.structure.path if rule.structure else "",
        structure_label=rule.structure.name if rule.structure else "",
        include_substructures=rule.include_substructures,
        start_date=rule.start_date,
        end_date=rule.end_date,
    )


def rules_for(service_code: str | None = None) -> list[RuleData]:
    found = AccessRule.objects.select_related("service", "population", "group", "structure").filter(
        service__active=True
    )
    if service_code:
        found = found.filter(service__code=service_code)
    return [rule_data(r) for r in found]


def authorisation_data(a: IndividualAuthorisation) -> AuthorisationData:
    return AuthorisationData(
        uuid=a.uuid,
        service_code=a.service.code,
        person_uuid=a.person.uuid,
        reason=a.reason,
        approver_name=a.approver.display_name,
        start_date=a.start_date,
        end_date=a.end_date,
        revoked=a.revoked_at is not None,
    )


def authorisations_for(
    person_uuids: Iterable[uuid.UUID] | None, day: date, service_code: str | None = None
) -> list[AuthorisationData]:
    found = IndividualAuthorisation.objects.select_related("service", "person", "approver").filter(
        revoked_at__isnull=True, start_date__lte=day, end_date__gte=day, service__active=True
    )
    if person_uuids is not None:
        found = found.filter(person__uuid__in=list(person_uuids))
    if service_code:
        found = found.filter(service__code=service_code)
    return [authorisation_data(a) for a in found]


def _grants(
    facts: PersonFacts, day: date, all_rules: list[RuleData], auths: list[AuthorisationData]
) -> dict[str, list[Grant]]:
    return rules.grants_for(facts, all_rules, auths, day)


def effective_services(
    person_uuid: uuid.UUID, day: date | None = None
) -> list[tuple[ServiceData, list[Grant]]]:
    """The services one person holds on ``day``, each with the grants that give it."""
    day = day or referential.today()
    facts = referential.facts_of(person_uuid, day)
    grants = _grants(facts, day, rules_for(), authorisations_for([person_uuid], day))
    catalogue = {s.code: s for s in services()}
    held = [(catalogue[code], g) for code, g in grants.items() if code in catalogue]
    return sorted(held, key=lambda item: (item[0].category_label, item[0].name))


def effective_services_for_all(day: date | None = None) -> dict[uuid.UUID, frozenset[str]]:
    """Every person's services on ``day``: one pass over the referential, in a few queries."""
    day = day or referential.today()
    all_facts = referential.facts_for(None, day)
    all_rules = rules_for()
    auths_by_person: dict[uuid.UUID, list[AuthorisationData]] = {}
    for auth in authorisations_for(None, day):
        auths_by_person.setdefault(auth.person_uuid, []).append(auth)
    return {
        person_uuid: frozenset(
            rules.grants_for(facts, all_rules, auths_by_person.get(person_uuid, ()), day)
        )
        for person_uuid, facts in all_facts.items()
    }


def holders(service_code: str, day: date | None = None) -> list[uuid.UUID]:
    """Persons holding a service on ``day``."""
    day = day or referential.today()
    service_rules = rules_for(service_code)
    auths_by_person: dict[uuid.UUID, list[AuthorisationData]] = {}
    for auth in authorisations_for(None, day, service_code):
        auths_by_person.setdefault(auth.person_uuid, []).append(auth)
    if not service_rules and not auths_by_person:
        return []
    return [
        person_uuid
        for person_uuid, facts in referential.facts_for(None, day).items()
        if (service_rules or person_uuid in auths_by_person)
        and rules.grants_for(facts, service_rules, auths_by_person.get(person_uuid, ()), day)
    ]


def explain(person_uuid: uuid.UUID, service_code: str, day: date | None = None) -> Explanation:
    """Why a person holds a service, or why not (no contract, no rule, no authorisation)."""
    day = day or referential.today()
    the_service = service(service_code)
    facts = referential.facts_of(person_uuid, day)
    grants = rules.grants_for(
        facts, rules_for(service_code), authorisations_for([person_uuid], day, service_code), day
    )
    return Explanation(
        service=the_service,
        person_uuid=person_uuid,
        day=day,
        person_active=facts.active,
        grants=tuple(grants.get(service_code, ())),
    )


PROVISIONING_FIELDS = (
    "uuid",
    "login",
    "eppn",
    "first_name",
    "last_name",
    "institutional_email",
    "student_number",
    "staff_number",
    "populations",
    "structures",
    "red_list",
)


def provisioning_rows(service_code: str, day: date | None = None) -> list[dict[str, Any]]:
    """One row per holder, for downstream directories and door-access groups (§5.2.7).

    ``red_list`` is carried so that downstream directories can honour supannListeRouge."""
    service(service_code)
    people = referential.summaries(holders(service_code, day))
    return [
        {
            "uuid": str(p.uuid),
            "login": p.login,
            "eppn": p.eppn,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "institutional_email": p.institutional_email,
            "student_number": p.student_number,
            "staff_number": p.staff_number,
            "populations": " ".join(p.populations),
            "structures": " ".join(p.structure_codes),
            "red_list": p.red_list,
        }
        for p in people
    ]


def delegated_structure_paths(person_uuid: uuid.UUID, day: date | None = None) -> list[str]:
    """Subtrees in which a person administers access by delegation."""
    day = day or referential.today()
    return list(
        Delegation.objects.filter(delegate__uuid=person_uuid, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values_list("structure__path", flat=True)
    )


def may_delegate_for(
    delegate_uuid: uuid.UUID, person_uuid: uuid.UUID, service_code: str, day: date | None = None
) -> bool:
    """Whether a delegate may grant ``service_code`` to ``person_uuid``."""
    day = day or referential.today()
    targets = referential.structure_paths_of_person(person_uuid, day)
    delegations = (
        Delegation.objects.filter(delegate__uuid=delegate_uuid, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("structure")
        .prefetch_related("services")
    )
    for delegation in delegations:
        codes = {s.code for s in delegation.services.all()}
        if codes and service_code not in codes:
            continue
        if any(path.startswith(delegation.structure.path) for path in targets):
            return True
    return False
