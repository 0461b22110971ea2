"""LDIF (SUPANN / eduPerson) imports: structures, persons and their contracts in one file."""

from __future__ import annotations

from datetime import date

import pytest

from cartable.referential.imports import ImportReport, run_import
from cartable.referential.models import Contract, Person, Structure
from tests.factories import PersonFactory

from .test_imports_support import base_referential, sample

pytestmark = pytest.mark.django_db

STUDENT = """dn: uid=ajones,ou=people,dc=utbm,dc=fr
objectClass: inetOrgPerson
objectClass: eduPerson
objectClass: supannPerson
uid: ajones
sn: Jones
givenName: Alice
supannEtuId: 21905555
eduPersonAffiliation: student
supannEntiteAffectationPrincipale: utbm
"""


@pytest.fixture(autouse=True)
def _referential() -> None:
    base_referential()


def ldif(content: str | bytes, kind: str = "all", *, dry_run: bool = False) -> ImportReport:
    return run_import(kind, content, fmt="ldif", dry_run=dry_run, acting_user=None)


def test_one_ldif_file_imports_structures_persons_and_contracts() -> None:
    report = ldif(sample("referential.ldif"))
    assert report.ok, report.errors
    assert report.committed
    assert {k: c.created for k, c in report.by_kind.items()} == {
        "structures": 3,
        "persons": 3,
        "contracts": 4,
    }
    assert Structure.objects.get(code="info").path == "/utbm/pei/info/"
    assert Structure.objects.get(code="dsin").kind == Structure.Kind.SERVICE


def test_ldif_attributes_map_to_person_fields() -> None:
    ldif(sample("referential.ldif"))
    jeanne = Person.objects.get(login="jdupont")
    assert (jeanne.eppn, jeanne.civil_last_name, jeanne.civil_first_name) == (
        "jdupont@utbm.fr",
        "Dupont",
        "Jeanne",
    )
    assert (jeanne.student_number, jeanne.ine) == ("21900123", "1234567890A")
    assert (jeanne.institutional_email, jeanne.personal_email) == (
        "jeanne.dupont@utbm.fr",
        "jeanne.dupont@example.org",
    )
    assert jeanne.birth_date == date(2004, 4, 12)
    assert jeanne.red_list is False


def test_the_birth_name_is_the_civil_name_and_sn_the_usage_name() -> None:
    ldif(sample("referential.ldif"))
    lucie = Person.objects.get(login="lroche")
    assert (lucie.civil_last_name, lucie.usage_last_name, lucie.red_list) == (
        "Bernard",
        "Roche",
        True,
    )


def test_each_registration_becomes_a_student_contract_for_its_academic_year() -> None:
    ldif(sample("referential.ldif"))
    registration = Contract.objects.get(reference="INS-21900123-2025")
    assert registration.person.login == "jdupont"
    assert registration.population.code == "student"
    assert (registration.start_date, registration.end_date) == (date(2025, 9, 1), date(2026, 8, 31))
    assert (registration.programme, registration.study_level) == ("ING-INFO", "I2")
    assert registration.structure.code == "info"
    assert Contract.objects.filter(reference="INS-21900123-2024").exists()


def test_staff_affiliations_map_to_the_most_specific_population() -> None:
    ldif(sample("referential.ldif"))
    teacher = Contract.objects.get(reference="LDAP-E12345-teacher_researcher")
    staff = Contract.objects.get(reference="LDAP-E23456-staff")
    assert teacher.job_title == "Maître de conférences"
    assert staff.structure.code == "dsin"
    assert staff.start_date == date.today()
    assert staff.end_date is None


def test_a_second_identical_ldif_run_changes_nothing() -> None:
    ldif(sample("referential.ldif"))
    stamps = dict(Person.objects.values_list("login", "updated_at"))
    dates = dict(Contract.objects.values_list("reference", "start_date"))
    report = ldif(sample("referential.ldif"))
    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 11)
    assert dict(Person.objects.values_list("login", "updated_at")) == stamps
    assert dict(Contract.objects.values_list("reference", "start_date")) == dates


def test_a_stored_staff_contract_keeps_its_dates() -> None:
    ldif(sample("referential.ldif"))
    Contract.objects.filter(reference="LDAP-E23456-staff").update(start_date=date(2020, 1, 6))
    report = ldif(sample("referential.ldif"))
    assert report.updated == 0
    assert Contract.objects.get(reference="LDAP-E23456-staff").start_date == date(2020, 1, 6)


def test_ldif_errors_point_at_the_line_where_the_entry_starts() -> None:
    content = "version: 1\n\n" + STUDENT + "schacDateOfBirth: 20010231\n"
    report = ldif(content, "persons", dry_run=True)
    assert [(e.line, e.field, e.value) for e in report.errors] == [
        (3, "schacDateOfBirth", "20010231")
    ]
    assert report.errors[0].message_en.endswith("(expected YYYYMMDD)")


def test_every_bad_entry_is_reported() -> None:
    second = STUDENT.replace("ajones", "bsmith").replace("21905555", "21906666")
    content = STUDENT.replace("sn: Jones\n", "") + "\n" + second + "supannCodeINE: 12\n"
    report = ldif(content, "persons", dry_run=True)
    assert [(e.line, e.field) for e in report.errors] == [(1, "sn"), (11, "supannCodeINE")]


def test_contracts_of_an_ldif_refer_to_stored_persons_when_only_contracts_are_imported() -> None:
    PersonFactory(login="ajones")
    content = (
        STUDENT + "supannEtuInscription: [anneeinsc=2025][affect=utbm][cursusann={SUPANN}L1]\n"
    )
    report = ldif(content, "contracts")
    assert report.ok, report.errors
    assert Contract.objects.get(reference="INS-21905555-2025").study_level == "L1"


def test_a_registration_of_an_unknown_person_is_an_error_when_only_contracts_are_imported() -> None:
    content = STUDENT + "supannEtuInscription: [anneeinsc=2025][affect=utbm]\n"
    report = ldif(content, "contracts")
    assert [(e.line, e.field) for e in report.errors] == [(1, "uid")]


def test_an_unreadable_registration_is_an_error() -> None:
    content = STUDENT + "supannEtuInscription: anneeinsc=2025\n"
    report = ldif(content, dry_run=True)
    assert [e.field for e in report.errors] == ["supannEtuInscription"]


def test_affiliations_no_population_matches_are_an_error() -> None:
    content = STUDENT.replace("student", "library-walk-in").replace(
        "eduPersonAffiliation: library-walk-in", "eduPersonAffiliation: affiliate"
    )
    report = ldif(content, dry_run=True)
    assert [e.field for e in report.errors] == ["eduPersonAffiliation"]


def test_a_structure_entry_without_code_is_an_error() -> None:
    content = "dn: ou=x,dc=utbm,dc=fr\nobjectClass: supannEntite\nou: Sans code\n"
    report = ldif(content, "structures", dry_run=True)
    assert [(e.line, e.field) for e in report.errors] == [(1, "supannCodeEntite")]


def test_a_malformed_ldif_entry_is_reported_and_the_others_still_checked() -> None:
    content = "dn: uid=x,dc=utbm,dc=fr\nthis line has no colon\n\n" + STUDENT
    report = ldif(content, "persons", dry_run=True)
    assert [(e.line, e.field) for e in report.errors] == [(1, "dn")]
    assert report.created == 1
