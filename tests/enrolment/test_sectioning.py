"""Sectioning a semester's students from their enrolments and the weekly template: the
engine's answer in people's terms (UE codes, reasons in French and English), and the command
that prints the figures."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from cartable.enrolment.sectioning import problem_of, section
from tests.enrolment.campaigns import group, student, ue
from tests.enrolment.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def semester() -> int:
    lo21 = ue("LO21")
    ia41 = ue("IA41")
    mt90 = ue("MT90")
    group(lo21, "CM", "CM1", day=0, start=8, end=10, capacity=200)
    group(lo21, "TD", "TD1", day=1, start=8, end=10, capacity=2)
    group(lo21, "TD", "TD2", day=1, start=10, end=12, capacity=2)
    group(ia41, "CM", "CM1", day=0, start=8, end=10, capacity=200)  # the same time as LO21
    group(mt90, "CM", "CM1", day=2, start=8, end=10, capacity=200)
    people = [student() for _ in range(5)]
    for person in people[:4]:
        EnrolmentFactory(student=person, offer=lo21, semester="A")
        EnrolmentFactory(student=person, offer=mt90, semester="A")
    EnrolmentFactory(student=people[4], offer=lo21, semester="A")
    EnrolmentFactory(student=people[4], offer=ia41, semester="A")
    return int(lo21.year)


def test_the_problem_is_read_from_enrolments_and_the_template(semester: int) -> None:
    problem, codes = problem_of(semester, "A")
    assert sorted(codes.values()) == ["IA41", "LO21", "MT90"]
    assert len(problem.requests) == 5
    assert len(problem.groups) == 5


def test_students_are_sectioned_and_those_left_out_are_told_why(semester: int) -> None:
    result, explanations = section(semester, "A", time_limit=20, seed=1, deterministic=True)
    assert result.students == 5
    assert result.fully_sectioned == 4
    sizes = {fill.size for fill in result.fills if fill.capacity == 2}
    assert sizes == {2}  # the two TD groups share the four students
    (why,) = explanations
    assert why.reason == "conflict"
    assert why.ue_code in {"LO21", "IA41"}
    assert "ne permet pas de la suivre avec" in why.message_fr


def test_the_command_prints_the_figures(semester: int) -> None:
    out = StringIO()
    call_command(
        "section_students",
        "--year",
        str(semester),
        "--time-limit",
        "20",
        "--deterministic",
        "--json",
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    assert figures["students"] == 5
    assert figures["fully_sectioned"] == 4
    assert figures["left_out_by_reason"] == {"conflict": 1}
