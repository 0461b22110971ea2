"""CSV imports through the public API: checks, dry runs, atomicity and idempotence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cartable.core.models import AuditEntry
from cartable.referential.imports import ImportReport, run_import
from cartable.referential.models import Contract, Person, Structure
from tests.factories import ContractFactory, PersonFactory, UserFactory

from .test_imports_support import (
    base_referential,
    contracts_csv,
    persons_csv,
    sample,
    structures_csv,
)

pytestmark = pytest.mark.django_db

GOOD_PERSON = "jdoe;jdoe@utbm.fr;Doe;Jane;;;2001-02-03;jane.doe@utbm.fr;;;21901000;;oui;non"


@pytest.fixture(autouse=True)
def _referential() -> None:
    base_referential()


def persons(content: str | bytes, *, dry_run: bool = False) -> ImportReport:
    return run_import("persons", content, fmt="csv", dry_run=dry_run, acting_user=None)


def fields_in_error(report: ImportReport) -> set[tuple[int, str]]:
    return {(error.line, error.field) for error in report.errors}


def test_a_real_run_creates_the_persons_of_the_sample_file() -> None:
    report = persons(sample("persons.csv"))
    assert report.ok, report.errors
    assert (report.rows_read, report.created, report.committed) == (4, 4, True)
    jeanne = Person.objects.get(login="jdupont")
    assert jeanne.birth_date == date(2004, 4, 12)
    assert jeanne.ine == "1234567890A"
    assert jeanne.photo_consent is True
    assert Person.objects.get(login="mnguyen").red_list is True


def test_a_dry_run_reports_every_bad_row_and_writes_nothing() -> None:
    content = persons_csv(
        GOOD_PERSON,
        "bad1;;Doe;John;;;31/02/2001;;;;;;;",
        "bad2;;Doe;Jim;;;;not-an-email;;;;;peut-être;",
        "bad3;;;Jack;;;;;;12345;;;;",
    )
    report = persons(content, dry_run=True)
    assert fields_in_error(report) == {
        (3, "birth_date"),
        (4, "institutional_email"),
        (4, "photo_consent"),
        (5, "civil_last_name"),
        (5, "ine"),
    }
    assert not report.committed
    assert Person.objects.count() == 0


def test_a_dry_run_of_a_good_file_tells_what_would_be_created_without_writing() -> None:
    report = persons(persons_csv(GOOD_PERSON), dry_run=True)
    assert report.ok
    assert (report.created, report.committed, report.dry_run) == (1, False, True)
    assert not Person.objects.exists()


def test_error_messages_name_the_field_in_french_and_in_english() -> None:
    report = persons(persons_csv("x;;Doe;John;;;31/02/2001;;;;;;;"), dry_run=True)
    [error] = report.errors
    assert error.value == "31/02/2001"
    assert error.message_fr == "birth_date : date invalide « 31/02/2001 » (attendu AAAA-MM-JJ)"
    assert error.message_en == "birth_date: invalid date '31/02/2001' (expected YYYY-MM-DD)"


def test_one_bad_row_among_good_rows_commits_nothing() -> None:
    report = persons(persons_csv(GOOD_PERSON, "jroe;;Roe;;;;;;;;;;;"))
    assert fields_in_error(report) == {(3, "civil_first_name")}
    assert not report.committed
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action="referential.import").exists()


def test_a_second_identical_run_changes_nothing() -> None:
    persons(sample("persons.csv"))
    stamps = dict(Person.objects.values_list("login", "updated_at"))
    report = persons(sample("persons.csv"))
    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert dict(Person.objects.values_list("login", "updated_at")) == stamps


def test_a_changed_row_updates_only_that_person() -> None:
    persons(persons_csv(GOOD_PERSON, "jroe;;Roe;Jim;;;;;;;;;;"))
    report = persons(persons_csv(GOOD_PERSON.replace("Jane", "Janet"), "jroe;;Roe;Jim;;;;;;;;;;"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Person.objects.get(login="jdoe").civil_first_name == "Janet"


def test_a_person_is_found_by_eppn_when_the_login_is_new() -> None:
    existing = PersonFactory(login="old-login", eppn="jdoe@utbm.fr")
    report = persons(persons_csv(GOOD_PERSON))
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.login == "jdoe"


def test_a_person_is_found_by_student_number_without_login() -> None:
    existing = PersonFactory(login=None, eppn=None, student_number="21901000", user=None)
    report = persons(persons_csv(";;Doe;Jane;;;;;;;21901000;;;"))
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.civil_last_name == "Doe"


def test_an_empty_identifier_cell_never_erases_a_stored_identifier() -> None:
    existing = PersonFactory(login="jdoe", eppn="jdoe@utbm.fr", student_number="219")
    persons(persons_csv("jdoe;;Doe;Jane;;;;;;;;;;"))
    existing.refresh_from_db()
    assert (existing.eppn, existing.student_number) == ("jdoe@utbm.fr", "219")


def test_a_value_longer_than_the_field_is_an_error_not_a_truncation() -> None:
    report = persons(persons_csv("jdoe;;" + "D" * 151 + ";Jane;;;;;;;;;;"))
    [error] = report.errors
    assert (error.line, error.field) == (2, "civil_last_name")
    assert "151" in error.message_en
    assert "150" in error.message_en
    assert not Person.objects.exists()


def test_an_unknown_column_is_an_error_naming_it() -> None:
    report = persons("login;civil_last_name;civil_first_name;shoe_size\njdoe;Doe;Jane;42\n")
    assert [(e.line, e.field, e.value) for e in report.errors] == [(1, "shoe_size", "shoe_size")]
    assert not report.committed


def test_a_comma_separated_file_with_a_byte_order_mark_is_read() -> None:
    content = "\ufefflogin,civil_last_name,civil_first_name\njdoe,Doe,Jane\n".encode()
    report = persons(content)
    assert report.ok
    assert report.created == 1


def test_a_file_that_is_not_utf8_is_refused() -> None:
    report = persons("login;civil_last_name;civil_first_name\njdoe;Dupré;Jane\n".encode("latin-1"))
    assert [(e.line, e.field) for e in report.errors] == [(2, "file")]


def test_a_row_without_any_identifier_is_an_error() -> None:
    report = persons(persons_csv(";;Doe;Jane;;;;;;;;;;"))
    assert fields_in_error(report) == {(2, "login")}


@pytest.mark.parametrize(
    ("ine", "valid"),
    [("1234567890A", True), ("123456789AB", True), ("12345678901", False), ("1234567890", False)],
)
def test_ine_must_be_ten_digits_and_a_letter_or_nine_digits_and_two_letters(
    ine: str, valid: bool
) -> None:
    report = persons(persons_csv(f"jdoe;;Doe;Jane;;;;;;{ine};;;;"), dry_run=True)
    assert report.ok is valid


def test_a_birth_date_in_the_future_is_an_error() -> None:
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    report = persons(persons_csv(f"jdoe;;Doe;Jane;;;{tomorrow};;;;;;;"), dry_run=True)
    assert fields_in_error(report) == {(2, "birth_date")}


def test_an_identifier_repeated_in_the_file_is_an_error_on_the_later_row() -> None:
    report = persons(persons_csv(GOOD_PERSON, "jdoe;;Doe;John;;;;;;;;;;"), dry_run=True)
    assert fields_in_error(report) == {(3, "login")}
    assert "ligne 2" in report.errors[0].message_fr


def test_an_identifier_held_by_another_stored_person_is_an_error() -> None:
    PersonFactory(login="jdoe", eppn="jdoe@utbm.fr")
    PersonFactory(login="someone", eppn="taken@utbm.fr")
    report = persons(persons_csv("jdoe;taken@utbm.fr;Doe;Jane;;;;;;;;;;"))
    assert fields_in_error(report) == {(2, "eppn")}
    assert Person.objects.get(login="jdoe").eppn == "jdoe@utbm.fr"


def test_a_real_run_writes_one_audit_entry_with_the_counts() -> None:
    user = UserFactory(username="admin-dsin")
    run_import("persons", sample("persons.csv"), fmt="csv", dry_run=False, acting_user=user)
    entry = AuditEntry.objects.get(action="referential.import")
    assert entry.actor_label == "admin-dsin"
    assert entry.detail["created"] == 4
    assert (entry.detail["kind"], entry.detail["fmt"]) == ("persons", "csv")


def test_all_is_refused_for_csv() -> None:
    report = run_import("all", sample("persons.csv"), fmt="csv", dry_run=True, acting_user=None)
    assert [e.field for e in report.errors] == ["kind"]


def structures(content: str, *, dry_run: bool = False) -> ImportReport:
    return run_import("structures", content, fmt="csv", dry_run=dry_run, acting_user=None)


def test_structures_are_created_with_a_parent_defined_later_in_the_file() -> None:
    report = structures(sample("structures.csv").decode())
    assert report.ok, report.errors
    assert (report.created, report.updated) == (4, 1)  # utbm gets its full name
    info = Structure.objects.get(code="info")
    assert info.path == "/utbm/pei/info/"
    assert info.parent == Structure.objects.get(code="pei")
    assert info.campus is not None
    assert info.campus.code == "belfort"


def test_a_second_identical_structure_import_changes_nothing() -> None:
    structures(sample("structures.csv").decode())
    report = structures(sample("structures.csv").decode())
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)


def test_a_parent_cycle_is_an_error_on_each_row_of_the_cycle() -> None:
    report = structures(structures_csv("a;A;;;pole;b;", "b;B;;;pole;c;", "c;C;;;pole;a;"))
    assert fields_in_error(report) == {(2, "parent_code"), (3, "parent_code"), (4, "parent_code")}
    assert not Structure.objects.filter(code__in=["a", "b", "c"]).exists()


def test_a_cycle_through_a_stored_structure_is_detected() -> None:
    structures(structures_csv("a;A;;;pole;utbm;", "b;B;;;department;a;"))
    report = structures(structures_csv("a;A;;;pole;b;"))
    assert fields_in_error(report) == {(2, "parent_code")}


def test_an_unknown_parent_or_campus_is_an_error() -> None:
    report = structures(structures_csv("a;A;;;pole;nowhere;", "b;B;;;pole;utbm;paris"))
    assert fields_in_error(report) == {(2, "parent_code"), (3, "campus_code")}


def test_an_unknown_kind_is_an_error() -> None:
    report = structures(structures_csv("a;A;;;faculty;utbm;"))
    assert fields_in_error(report) == {(2, "kind")}


def test_moving_a_structure_recomputes_the_paths_of_its_stored_descendants() -> None:
    structures(structures_csv("a;A;;;pole;utbm;", "b;B;;;department;a;", "c;C;;;service;b;"))
    structures(structures_csv("z;Z;;;pole;utbm;"))
    report = structures(structures_csv("b;B;;;department;z;"))
    assert report.updated == 1
    assert Structure.objects.get(code="c").path == "/utbm/z/b/c/"


def contracts(content: str, *, dry_run: bool = False) -> ImportReport:
    return run_import("contracts", content, fmt="csv", dry_run=dry_run, acting_user=None)


def test_contracts_are_created_for_stored_persons() -> None:
    structures(sample("structures.csv").decode())
    persons(sample("persons.csv"))
    report = contracts(sample("contracts.csv").decode())
    assert report.ok, report.errors
    assert report.created == 4
    contract = Contract.objects.get(reference="RH-E23456-2021")
    assert contract.person.login == "lbernard"
    assert (contract.population.code, contract.structure.code) == ("staff", "dsin")
    assert contract.end_date == date(2027, 2, 28)


def test_a_second_identical_contract_import_changes_nothing() -> None:
    structures(sample("structures.csv").decode())
    persons(sample("persons.csv"))
    contracts(sample("contracts.csv").decode())
    report = contracts(sample("contracts.csv").decode())
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)


def test_contracts_referring_to_unknown_person_population_or_structure_are_errors() -> None:
    PersonFactory(login="jdoe")
    report = contracts(
        contracts_csv(
            "C-1;nobody;student;utbm;;2025-09-01;;;;",
            "C-2;jdoe;astronaut;utbm;;2025-09-01;;;;",
            "C-3;jdoe;student;atlantis;;2025-09-01;;;;",
            "C-4;jdoe;student;utbm;mars;2025-09-01;;;;",
        )
    )
    assert fields_in_error(report) == {
        (2, "person_login"),
        (3, "population"),
        (4, "structure"),
        (5, "campus"),
    }
    assert not Contract.objects.exists()


def test_a_contract_ending_before_it_starts_is_an_error() -> None:
    PersonFactory(login="jdoe")
    report = contracts(contracts_csv("C-1;jdoe;student;utbm;;2025-09-01;2025-08-31;;;"))
    assert fields_in_error(report) == {(2, "end_date")}


def test_a_changed_end_date_updates_the_stored_contract() -> None:
    contract = ContractFactory(reference="C-1", person=PersonFactory(login="jdoe"))
    line = (
        f"C-1;jdoe;{contract.population.code};{contract.structure.code};;"
        f"{contract.start_date.isoformat()};2030-01-31;;;"
    )
    report = contracts(contracts_csv(line))
    assert (report.updated, report.unchanged) == (1, 0)
    contract.refresh_from_db()
    assert contract.end_date == date(2030, 1, 31)
