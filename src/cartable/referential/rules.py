"""Pure rules of the referential: when a contract is in force, who belongs to a group, which
roles a person holds. No database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from cartable.core.permissions import Role

from .data import ContractFacts, FunctionFacts, GroupRule

STUDENT_POPULATIONS = frozenset({"student", "apprentice"})
TEACHER_POPULATIONS = frozenset({"teacher_researcher", "contract_teacher"})

FUNCTION_ROLES: dict[str, Role] = {
    "programme_head": Role.PROGRAMME_HEAD,
    "ue_coordinator": Role.UE_COORDINATOR,
    "scolarite": Role.SCOLARITE,
    "dsin_admin": Role.DSIN_ADMIN,
    "dpo": Role.DPO,
    "security_officer": Role.SECURITY_OFFICER,
    "direction": Role.DIRECTION,
}


def contract_in_force(contract: ContractFacts, day: date) -> bool:
    """A contract carries rights from its first day to its last day plus the grace period."""
    if contract.start_date > day:
        return False
    until = contract.rights_until
    return until is None or day <= until


def contracts_in_force(contracts: Iterable[ContractFacts], day: date) -> tuple[ContractFacts, ...]:
    return tuple(c for c in contracts if contract_in_force(c, day))


def function_in_force(function: FunctionFacts, day: date) -> bool:
    return function.start_date <= day and (function.end_date is None or day <= function.end_date)


def within(path: str, ancestor_path: str, *, include_substructures: bool = True) -> bool:
    """Is the structure at ``path`` the one at ``ancestor_path`` or (optionally) below it?"""
    if include_substructures:
        return path.startswith(ancestor_path)
    return path == ancestor_path


def rule_matches(rule: GroupRule, contract: ContractFacts) -> bool:
    """Does one contract in force satisfy every criterion of a rule-based group?"""
    if rule.population_code and contract.population_code != rule.population_code:
        return False
    if rule.structure_path and not within(
        contract.structure_path,
        rule.structure_path,
        include_substructures=rule.include_substructures,
    ):
        return False
    if rule.campus_code and contract.campus_code != rule.campus_code:
        return False
    if rule.programme and contract.programme != rule.programme:
        return False
    return not (rule.study_level and contract.study_level != rule.study_level)


def rule_groups_of(
    contracts_now: Iterable[ContractFacts], rules: Iterable[GroupRule]
) -> frozenset[str]:
    contracts_now = tuple(contracts_now)
    return frozenset(
        rule.group_code for rule in rules if any(rule_matches(rule, c) for c in contracts_now)
    )


def roles_from(
    contracts_now: Iterable[ContractFacts], functions: Iterable[FunctionFacts], day: date
) -> set[Role]:
    """Roles follow the referential: a registration makes a student, a teaching contract a
    teacher, a function in force a staff role. Nothing is granted without a contract in force."""
    contracts_now = tuple(contracts_now)
    if not contracts_now:
        return set()
    roles: set[Role] = set()
    populations = {c.population_code for c in contracts_now}
    if populations & STUDENT_POPULATIONS:
        roles.add(Role.STUDENT)
    if populations & TEACHER_POPULATIONS:
        roles.add(Role.TEACHER)
    for function in functions:
        role = FUNCTION_ROLES.get(function.code)
        if role is not None and function_in_force(function, day):
            roles.add(role)
    return roles
