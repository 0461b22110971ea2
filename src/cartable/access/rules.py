"""Pure rules: which services a person holds, and why. No database, no HTTP.

A service is held only through an access rule or an individual authorisation in force,
and only while the person has a contract or registration in force (§5.2.2).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from cartable.referential.data import ContractFacts, PersonFacts

from .data import AuthorisationData, Grant, RuleData


def _earliest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def rule_in_force(rule: RuleData, day: date) -> bool:
    return rule.start_date <= day and (rule.end_date is None or day <= rule.end_date)


def authorisation_in_force(authorisation: AuthorisationData, day: date) -> bool:
    return not authorisation.revoked and authorisation.start_date <= day <= authorisation.end_date


def _contract_matches(rule: RuleData, contract: ContractFacts) -> bool:
    if rule.population_code:
        return contract.population_code == rule.population_code
    if rule.structure_path:
        if rule.include_substructures:
            return contract.structure_path.startswith(rule.structure_path)
        return contract.structure_path == rule.structure_path
    return False


def _latest_rights(contracts: Iterable[ContractFacts]) -> date | None:
    ends = [c.rights_until for c in contracts]
    if any(end is None for end in ends):
        return None
    return max((end for end in ends if end is not None), default=None)


def grants_from_rule(rule: RuleData, facts: PersonFacts, day: date) -> list[Grant]:
    """The grants a rule gives a person: one per contract (or group) it stands on."""
    if not facts.active or not rule_in_force(rule, day):
        return []
    if rule.group_code:
        if rule.group_code not in facts.groups:
            return []
        return [
            Grant(
                service_code=rule.service_code,
                source="rule",
                source_uuid=rule.uuid,
                label=rule.label,
                target_kind="group",
                target_label=rule.group_label or rule.group_code,
                via=rule.group_code,
                until=_earliest(rule.end_date, _latest_rights(facts.contracts)),
            )
        ]
    return [
        Grant(
            service_code=rule.service_code,
            source="rule",
            source_uuid=rule.uuid,
            label=rule.label,
            target_kind=rule.target_kind,
            target_label=rule.population_label or rule.structure_label,
            via=contract.reference,
            until=_earliest(rule.end_date, contract.rights_until),
        )
        for contract in facts.contracts
        if _contract_matches(rule, contract)
    ]


def grant_from_authorisation(
    authorisation: AuthorisationData, facts: PersonFacts, day: date
) -> Grant | None:
    if not facts.active or not authorisation_in_force(authorisation, day):
        return None
    return Grant(
        service_code=authorisation.service_code,
        source="authorisation",
        source_uuid=authorisation.uuid,
        label=authorisation.reason,
        target_kind="person",
        target_label=authorisation.approver_name,
        via=", ".join(c.reference for c in facts.contracts),
        until=_earliest(authorisation.end_date, _latest_rights(facts.contracts)),
    )


def grants_for(
    facts: PersonFacts,
    rules: Iterable[RuleData],
    authorisations: Iterable[AuthorisationData],
    day: date,
) -> dict[str, list[Grant]]:
    """Every service a person holds on ``day``, each with all the grants that give it."""
    grants: dict[str, list[Grant]] = defaultdict(list)
    if not facts.active:
        return {}
    for rule in rules:
        for grant in grants_from_rule(rule, facts, day):
            grants[grant.service_code].append(grant)
    for authorisation in authorisations:
        if authorisation.person_uuid != facts.uuid:
            continue
        found = grant_from_authorisation(authorisation, facts, day)
        if found is not None:
            grants[found.service_code].append(found)
    return dict(grants)
