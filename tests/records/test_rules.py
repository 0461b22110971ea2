"""Rules of the dossier, without a database: semesters, credits, synthesis, entered values."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cartable.core.errors import DomainError
from cartable.enrolment.data import StudentResult
from cartable.records import rules


def result(
    grade: str, credits: str = "6", category: str = "CS", published: bool = True, **kw: Any
) -> StudentResult:
    values: dict[str, Any] = {
        "offer_uuid": uuid.uuid4(),
        "year": 2025,
        "semester": "A",
        "ue_code": "LO41",
        "title": "Systèmes d'exploitation",
        "title_en": "Operating systems",
        "credits": Decimal(credits),
        "category": category,
        "status": "accepted",
        "grade": grade,
        "published": published,
        **kw,
    }
    return StudentResult(**values)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 9, 1), (2026, "A")),
        (date(2026, 12, 20), (2026, "A")),
        (date(2027, 1, 20), (2026, "A")),
        (date(2027, 2, 1), (2026, "P")),
        (date(2027, 8, 31), (2026, "P")),
    ],
)
def test_the_current_semester_follows_the_academic_calendar(
    day: date, expected: tuple[int, str]
) -> None:
    assert rules.current_semester(day) == expected


def test_the_spring_semester_starts_on_the_first_monday_of_its_calendar() -> None:
    spring = date(2027, 2, 15)
    assert rules.current_semester(date(2027, 2, 10), spring) == (2026, "A")
    assert rules.current_semester(date(2027, 2, 15), spring) == (2026, "P")


def test_the_semester_before_an_autumn_is_the_spring_of_the_year_before() -> None:
    assert rules.previous_semester(2026, "A") == (2025, "P")
    assert rules.previous_semester(2026, "P") == (2026, "A")


def test_apprentices_follow_the_fisa_programme() -> None:
    assert rules.programme_of("apprentice", "INFO") == "FISA-INFO"
    assert rules.programme_of("student", "INFO") == "INFO"


@pytest.mark.parametrize(
    ("grade", "published", "unpublished", "passed"),
    [
        ("A", True, False, True),
        ("E", True, False, True),
        ("FX", True, False, False),
        ("ABS", True, False, False),
        ("B", False, False, False),
        ("B", False, True, True),
        ("", False, True, False),
    ],
)
def test_a_ue_is_passed_with_a_grade_from_a_to_e(
    grade: str, published: bool, unpublished: bool, passed: bool
) -> None:
    assert rules.passed(result(grade, published=published), unpublished=unpublished) is passed


def test_results_are_grouped_by_semester_in_the_order_of_the_cursus() -> None:
    rows = [
        result("A", year=2025, semester="P", ue_code="B1"),
        result("A", year=2024, semester="P", ue_code="A2"),
        result("A", year=2025, semester="A", ue_code="C3"),
        result("A", year=2025, semester="A", ue_code="A1"),
    ]
    grouped = rules.by_semester(rows)
    assert [(y, s, [r.ue_code for r in rs]) for y, s, rs in grouped] == [
        (2024, "P", ["A2"]),
        (2025, "A", ["A1", "C3"]),
        (2025, "P", ["B1"]),
    ]


def test_the_entry_year_is_the_earliest_of_registration_and_enrolments() -> None:
    assert rules.entry_year(date(2025, 9, 1), [2024, 2025]) == 2024
    assert rules.entry_year(date(2023, 9, 1), [2024]) == 2023
    assert rules.entry_year(None, []) is None


@pytest.mark.parametrize(
    ("available", "entry", "expected"),
    [
        ([2022, 2024, 2026], 2024, 2024),
        ([2022, 2024, 2026], 2025, 2024),
        ([2024, 2026], 2021, 2024),
        ([2024, 2026], None, 2026),
        ([], 2024, None),
    ],
)
def test_the_requirements_of_the_entry_year_apply(
    available: list[int], entry: int | None, expected: int | None
) -> None:
    assert rules.requirement_year(available, entry) == expected


def test_a_requirement_on_several_categories_sums_them_and_the_total_sums_everything() -> None:
    requirements = [
        rules.Requirement("CS+TM", "CS+TM", ("CS", "TM"), Decimal(10)),
        rules.Requirement("Total", "Total", (), Decimal(20)),
    ]
    found = rules.synthesis(
        [result("A", "6", "CS"), result("C", "4", "TM"), result("B", "3", "EC")],
        [("tm", Decimal(2))],
        requirements,
        2025,
    )
    assert [(c.earned, c.met, c.missing) for c in found.checks] == [
        (Decimal(12), True, Decimal(0)),
        (Decimal(15), False, Decimal(5)),
    ]
    assert not found.complete


def test_the_synthesis_is_complete_when_every_requirement_is_met() -> None:
    found = rules.synthesis(
        [result("A", "30", "CS")], [], [rules.Requirement("CS", "CS", ("CS",), Decimal(30))], 2025
    )
    assert found.complete


def test_failed_or_unpublished_ues_earn_nothing_in_the_synthesis() -> None:
    found = rules.synthesis(
        [result("F"), result("ABS"), result("A", published=False)], [], [], None
    )
    assert found.total == Decimal(0)


EQUIVALENCE = {
    "origin": "abroad",
    "institution": "TU München",
    "country": "Allemagne",
    "category": "tm",
    "credits": "12",
    "status": "accepted",
    "note": "",
}


def clean_equivalence(**changes: Any) -> dict[str, Any]:
    return rules.clean_equivalence(
        {**EQUIVALENCE, **changes}, ["prior", "abroad", "other"], ["pending", "accepted"]
    )


def test_an_equivalence_category_is_stored_in_capitals() -> None:
    assert clean_equivalence()["category"] == "TM"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"credits": "0"}, "credits"),
        ({"credits": "douze"}, "credits"),
        ({"credits": "4.25"}, "credits"),
        ({"credits": ""}, "credits"),
        ({"category": "C S"}, "category"),
        ({"institution": "  "}, "institution"),
        ({"origin": "moon"}, "origin"),
    ],
)
def test_a_bad_equivalence_names_its_field_in_french_and_english(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        clean_equivalence(**changes)
    assert caught.value.field == field
    assert caught.value.message_fr != caught.value.message_en


def test_half_credits_are_accepted_with_a_french_comma() -> None:
    assert clean_equivalence(credits="4,5")["credits"] == Decimal("4.5")


INTERNSHIP = {
    "kind": "worker",
    "company": "Alstom",
    "city": "Belfort",
    "country": "France",
    "start_date": date(2026, 6, 1),
    "end_date": date(2026, 6, 26),
    "weeks": 4,
    "status": "planned",
}


def clean_internship(**changes: Any) -> dict[str, Any]:
    return rules.clean_internship({**INTERNSHIP, **changes}, ["worker"], ["planned"])


def test_an_internship_cannot_end_before_it_starts() -> None:
    with pytest.raises(DomainError) as caught:
        clean_internship(end_date=date(2026, 5, 1))
    assert caught.value.field == "end_date"


def test_an_internship_cannot_last_more_weeks_than_its_dates_hold() -> None:
    with pytest.raises(DomainError) as caught:
        clean_internship(weeks=9)
    assert caught.value.field == "weeks"
    assert "4" in caught.value.message_fr


def test_an_international_experience_needs_its_country() -> None:
    with pytest.raises(DomainError) as caught:
        rules.clean_experience(
            {
                "kind": "semester",
                "partner": "Tongji",
                "country": "",
                "start_date": date(2025, 9, 1),
                "end_date": date(2026, 1, 31),
            },
            ["semester"],
        )
    assert caught.value.field == "country"
