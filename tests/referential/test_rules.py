"""Pure rules of the referential, tested without a database."""

from datetime import date

import pytest

from cartable.core.permissions import Role
from cartable.referential import rules
from cartable.referential.data import ContractFacts, FunctionFacts, GroupRule


def contract(**overrides: object) -> ContractFacts:
    values: dict[str, object] = {
        "reference": "INS-1",
        "population_code": "student",
        "population_label": "Étudiant",
        "kind": "registration",
        "structure_code": "info",
        "structure_path": "/utbm/pei/info/",
        "structure_name": "Informatique",
        "campus_code": "belfort",
        "programme": "INFO",
        "study_level": "ING2",
        "start_date": date(2026, 9, 1),
        "end_date": date(2027, 8, 31),
        "grace_days": 0,
    }
    values.update(overrides)
    return ContractFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "grace", "in_force"),
    [
        (date(2026, 8, 31), 0, False),
        (date(2026, 9, 1), 0, True),
        (date(2027, 8, 31), 0, True),
        (date(2027, 9, 1), 0, False),
        (date(2027, 9, 30), 30, True),
        (date(2027, 10, 1), 30, False),
    ],
)
def test_a_contract_carries_rights_from_its_start_to_its_end_plus_the_grace_period(
    day: date, grace: int, in_force: bool
) -> None:
    assert rules.contract_in_force(contract(grace_days=grace), day) is in_force


def test_an_open_ended_contract_stays_in_force() -> None:
    assert rules.contract_in_force(contract(end_date=None), date(2040, 1, 1))


def test_a_registration_makes_a_student_and_nothing_more() -> None:
    assert rules.roles_from([contract()], [], date(2026, 10, 1)) == {Role.STUDENT}


def test_a_function_gives_its_role_only_while_a_contract_is_in_force() -> None:
    dpo = FunctionFacts("dpo", "utbm", "/utbm/", date(2020, 1, 1), None)
    staff = contract(population_code="staff", kind="contract")
    assert rules.roles_from([staff], [dpo], date(2026, 10, 1)) == {Role.DPO}
    assert rules.roles_from([], [dpo], date(2026, 10, 1)) == set()


def test_an_ended_function_gives_no_role() -> None:
    head = FunctionFacts(
        "programme_head", "info", "/utbm/info/", date(2020, 1, 1), date(2025, 1, 1)
    )
    teacher = contract(population_code="teacher_researcher", kind="contract")
    assert rules.roles_from([teacher], [head], date(2026, 10, 1)) == {Role.TEACHER}


@pytest.mark.parametrize(
    ("rule", "member"),
    [
        (GroupRule("g", population_code="student"), True),
        (GroupRule("g", population_code="staff"), False),
        (GroupRule("g", structure_path="/utbm/pei/"), True),
        (GroupRule("g", structure_path="/utbm/pei/", include_substructures=False), False),
        (GroupRule("g", campus_code="belfort", programme="INFO"), True),
        (GroupRule("g", campus_code="sevenans"), False),
        (GroupRule("g", population_code="student", study_level="ING1"), False),
    ],
)
def test_rule_based_groups_match_on_every_criterion(rule: GroupRule, member: bool) -> None:
    assert (rule.group_code in rules.rule_groups_of([contract()], [rule])) is member
