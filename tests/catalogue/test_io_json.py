"""Reading a JSON document: every problem is located (section, rank, path) and explained in
French and English; nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from cartable.catalogue.io import ImportReport, run_import
from cartable.catalogue.models import UE, Offer

from .test_io_support import json_of, referential

pytestmark = pytest.mark.django_db

OFFER = {"ue": "LO41", "year": 2025, "version": 1, "title": "Systèmes", "semesters": "A"}


@pytest.fixture(autouse=True)
def _referential() -> None:
    referential()


def check(content: bytes) -> ImportReport:
    return run_import(content, fmt="json", dry_run=False, acting_user=None)


def only_error(report: ImportReport) -> Any:
    assert len(report.errors) == 1, report.errors
    return report.errors[0]


def test_a_minimal_document_creates_a_ue_and_its_offer() -> None:
    report = check(json_of(ues=[{"code": "LO41"}], offers=[OFFER]))
    assert report.committed
    offer = Offer.objects.get(ue__code="LO41")
    assert (offer.status, offer.credits, offer.title) == ("draft", 6, "Systèmes")


def test_a_document_of_another_kind_is_refused() -> None:
    error = only_error(check(b'{"format": "something-else", "version": 1}'))
    assert error.field == "format"
    assert "cartable-catalogue" in error.message_fr


def test_an_unsupported_version_is_refused() -> None:
    error = only_error(check(b'{"format": "cartable-catalogue", "version": 7}'))
    assert error.field == "version"
    assert "unsupported version" in error.message_en


def test_unreadable_json_is_reported_with_its_line() -> None:
    error = only_error(check(b'{"format": "cartable-catalogue",\n "version": 1,,}'))
    assert error.line == 2
    assert error.message_fr.startswith("JSON illisible")


def test_a_file_that_is_not_utf8_is_refused() -> None:
    error = only_error(check('{"format": "é"}'.encode("latin-1")))
    assert "UTF-8" in error.message_en


def test_an_unknown_section_is_an_error() -> None:
    error = only_error(check(json_of(courses=[])))
    assert error.field == "courses"
    assert "section inconnue" in error.message_fr


def test_an_unknown_field_names_the_section_the_rank_and_the_field() -> None:
    report = check(json_of(ues=[{"code": "LO41"}, {"code": "MT01", "colour": "red"}]))
    error = only_error(report)
    assert (error.section, error.line, error.field) == ("ues", 2, "colour")
    assert error.message_fr.startswith("colour : champ inconnu")
    assert error.message_en.startswith("colour: unknown field")
    assert not UE.objects.exists()


def test_a_bad_value_in_a_nested_list_is_located_by_its_path() -> None:
    offer = {**OFFER, "team": [{"login": "tmartin", "activity": "all", "hours": "vingt"}]}
    error = only_error(check(json_of(ues=[{"code": "LO41"}], offers=[offer])))
    assert (error.section, error.line, error.field, error.value) == (
        "offers",
        1,
        "team[1].hours",
        "vingt",
    )
    assert "nombre attendu" in error.message_fr


def test_a_value_of_the_wrong_type_is_an_error() -> None:
    offer = {**OFFER, "title": ["not", "a", "title"]}
    error = only_error(check(json_of(ues=[{"code": "LO41"}], offers=[offer])))
    assert error.field == "title"
    assert "invalid value type" in error.message_en


def test_a_list_where_an_object_is_expected_is_an_error() -> None:
    error = only_error(check(json_of(ues=["LO41"])))
    assert (error.section, error.line) == ("ues", 1)
    assert "objet attendu" in error.message_fr


def test_a_missing_key_field_is_required() -> None:
    offer = {key: value for key, value in OFFER.items() if key != "version"}
    error = only_error(check(json_of(ues=[{"code": "LO41"}], offers=[offer])))
    assert error.field == "version"
    assert "obligatoire" in error.message_fr


def test_numbers_may_be_given_as_json_numbers_or_strings() -> None:
    offer = {**OFFER, "credits": 4.5, "hours_cm": "12,5", "capacity": "30"}
    report = check(json_of(ues=[{"code": "LO41"}], offers=[offer]))
    assert report.errors == []
    stored = Offer.objects.get()
    assert (str(stored.credits), str(stored.hours_cm), stored.capacity) == ("4.5", "12.5", 30)


def test_null_clears_an_optional_value() -> None:
    check(json_of(ues=[{"code": "LO41"}], offers=[{**OFFER, "capacity": 30}]))
    check(json_of(offers=[{**OFFER, "capacity": None}]))
    assert Offer.objects.get().capacity is None


def test_null_for_a_required_value_is_an_error() -> None:
    error = only_error(check(json_of(ues=[{"code": "LO41"}], offers=[{**OFFER, "title": None}])))
    assert error.field == "title"
    assert error.message_en == "title: required value missing"


def test_every_problem_of_the_file_is_reported() -> None:
    offers = [
        {**OFFER, "credits": "100"},
        {**OFFER, "version": 2, "semesters": "winter", "language": "klingon"},
    ]
    report = check(json_of(ues=[{"code": "LO41"}, {"code": "lo 42"}], offers=offers))
    assert [(e.section, e.line, e.field) for e in report.errors] == [
        ("ues", 2, "code"),
        ("offers", 1, "credits"),
        ("offers", 2, "language"),
        ("offers", 2, "semesters"),
    ]
    assert not report.committed
    assert not UE.objects.exists()
