"""Shared helpers of the import tests: the referential a file is imported into, sample files."""

from __future__ import annotations

from pathlib import Path

from cartable.referential.models import Population, Structure
from tests.factories import CampusFactory, PopulationFactory, StructureFactory

DATA = Path(__file__).parent / "data"
PERSONS_HEADER = (
    "login;eppn;civil_last_name;civil_first_name;usage_last_name;usage_first_name;birth_date;"
    "institutional_email;personal_email;ine;student_number;staff_number;photo_consent;red_list"
)
CONTRACTS_HEADER = (
    "reference;person_login;population;structure;campus;start_date;end_date;programme;"
    "study_level;job_title"
)
STRUCTURES_HEADER = "code;name;name_en;acronym;kind;parent_code;campus_code"


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def base_referential() -> None:
    """Campuses, the establishment and the populations the sample files refer to."""
    CampusFactory(code="belfort", name="Belfort")
    CampusFactory(code="sevenans", name="Sevenans", city="Sevenans")
    StructureFactory(code="utbm", name="UTBM", kind=Structure.Kind.ESTABLISHMENT)
    PopulationFactory(
        code="student",
        kind=Population.Kind.REGISTRATION,
        eduperson_affiliations="student,member",
    )
    PopulationFactory(
        code="teacher_researcher",
        label="Enseignant-chercheur",
        kind=Population.Kind.CONTRACT,
        eduperson_affiliations="faculty,teacher,researcher,employee,member",
    )
    PopulationFactory(
        code="contract_teacher",
        label="Enseignant contractuel",
        kind=Population.Kind.CONTRACT,
        eduperson_affiliations="faculty,teacher,employee,member",
    )
    PopulationFactory(
        code="staff",
        label="Personnel BIATSS",
        kind=Population.Kind.CONTRACT,
        eduperson_affiliations="staff,employee,member",
    )


def persons_csv(*lines: str) -> str:
    return "\n".join([PERSONS_HEADER, *lines]) + "\n"


def contracts_csv(*lines: str) -> str:
    return "\n".join([CONTRACTS_HEADER, *lines]) + "\n"


def structures_csv(*lines: str) -> str:
    return "\n".join([STRUCTURES_HEADER, *lines]) + "\n"
