"""Defects found in review of the Tableau de bord UE, the yearly cycle, the catalogue exchange
and the competency map: each test failed before its fix."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cartable.catalogue import actions, rules
from cartable.catalogue import io as catalogue_io
from cartable.catalogue.models import Offer
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from tests.catalogue.factories import (
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    TeachingAssignmentFactory,
    UEFactory,
    this_year,
)
from tests.competencies.factories import BlockFactory, CompetencyFactory, FrameworkFactory, scale
from tests.factories import PersonFactory
from tests.personas import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(persona: Any) -> Any:
    return persona("teacher")


def test_the_excel_sheet_exports_a_syllabus_pasted_with_control_characters(teacher: Any) -> None:
    offer: Offer = OfferFactory(
        ue=UEFactory(code="LO41"),
        responsible=teacher.person,
        content="Processus\x0bmémoire\x1ffichiers",
    )
    response = login(Client(), teacher).get(f"/tableau-ue/{offer.uuid}/fiche.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = dict(sheet.iter_rows(min_row=2, values_only=True))
    assert values["Contenu"] == "Processusmémoirefichiers"


def test_exporting_the_catalogue_journals_each_person_named_in_the_file(persona: Any) -> None:
    scolarite = persona("scolarite")
    head, responsible, member, stranger = (
        PersonFactory(login=name) for name in ("hleroy", "rdupont", "tmartin", "ailleurs")
    )
    offer = OfferFactory(responsible=responsible)
    OfferProgrammeFactory(offer=offer, programme=ProgrammeFactory(year=offer.year, head=head))
    TeachingAssignmentFactory(offer=offer, person=member)
    catalogue_io.export("json", acting_user=scolarite.user)
    seen = set(
        AuditEntry.objects.filter(kind=AuditEntry.Kind.EXPORT)
        .exclude(subject_uuid=None)
        .values_list("subject_uuid", flat=True)
    )
    assert seen == {head.uuid, responsible.uuid, member.uuid}
    assert stranger.uuid not in seen


def test_exporting_some_years_journals_only_the_persons_of_those_years(persona: Any) -> None:
    scolarite = persona("scolarite")
    now, before = PersonFactory(login="maintenant"), PersonFactory(login="avant")
    year = this_year()
    OfferFactory(year=year, responsible=now)
    OfferFactory(year=year - 1, responsible=before)
    catalogue_io.export("csv", [year], acting_user=scolarite.user)
    seen = set(AuditEntry.objects.exclude(subject_uuid=None).values_list("subject_uuid", flat=True))
    assert seen == {now.uuid}


def gap_csv_of(client: Client, title: str) -> str:
    framework = FrameworkFactory(code="ing-info")
    scale(framework)
    CompetencyFactory(block=BlockFactory(framework=framework), code="C1", title=title)
    programme = ProgrammeFactory(code="INFO", framework=framework)
    url = f"/catalogue/formations/INFO/{programme.year}/competences/ecarts.csv"
    return str(client.get(url).content.decode("utf-8"))


def test_the_gap_csv_opens_in_a_french_spreadsheet_with_its_accents(client_as: Any) -> None:
    text = gap_csv_of(client_as("programme_head"), "Élaborer une stratégie")
    assert text.startswith("\ufeff")


def test_the_gap_csv_never_lets_a_spreadsheet_run_a_title_as_a_formula(client_as: Any) -> None:
    text = gap_csv_of(client_as("programme_head"), '=HYPERLINK("http://x.example","clic")')
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1][2] == '\'=HYPERLINK("http://x.example","clic")'


def test_a_member_is_found_by_login_even_when_many_people_bear_that_name(teacher: Any) -> None:
    draft = OfferFactory(responsible=teacher.person, status=Offer.Status.DRAFT)
    for n in range(6):  # people are searched in the order of their names: these come first
        PersonFactory(civil_last_name="Martin", civil_first_name=f"Anne{n}", login=f"am{n}")
    martin = PersonFactory(civil_last_name="Martin", civil_first_name="Zoé", login="martin")
    assignment = actions.do_add_team_member(draft.uuid, "martin", acting_user=teacher.user)
    assert assignment.person == martin


def test_a_software_note_too_long_is_named_in_french_and_in_english() -> None:
    with pytest.raises(DomainError) as caught:
        rules.clean_software_needs(
            [rules.SoftwareChoice("python", "byod", "x" * 251)], {"python"}, {"byod"}
        )
    assert caught.value.message_fr == "Précision : 250 caractères au plus."
    assert caught.value.message_en == "Note: at most 250 characters."


YEARS_READ = re.compile(r'SELECT (DISTINCT )?"catalogue_(offer|programme)"\."year" AS "year"[ ,]')


def year_queries(sqls: list[str]) -> list[str]:
    """The queries that read catalogue years (for the year choices of a form; counts per year
    are grouped already)."""
    return [sql for sql in sqls if YEARS_READ.match(sql) and "GROUP BY" not in sql]


def several_offers() -> None:
    year = this_year()
    for n in range(4):
        OfferFactory(ue=UEFactory(code=f"YR{n}"), year=year - n % 2)


def test_the_catalogue_years_are_read_as_distinct_values_without_a_join() -> None:
    several_offers()
    with CaptureQueriesContext(connection) as queries:
        years = catalogue_io.catalogue_years()
    assert years == [this_year(), this_year() - 1]
    sqls = year_queries([q["sql"] for q in queries.captured_queries])
    assert sqls
    assert all(sql.startswith("SELECT DISTINCT") and "JOIN" not in sql for sql in sqls)


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/tableau-ue/offres/"), ("post", "/catalogue/cycle/copier/")],
)
def test_the_year_choices_of_a_staff_screen_are_read_as_distinct_values(
    client_as: Any, method: str, path: str
) -> None:
    several_offers()
    client = client_as("scolarite")
    with CaptureQueriesContext(connection) as queries:
        assert getattr(client, method)(path).status_code == 200
    sqls = year_queries([q["sql"] for q in queries.captured_queries])
    assert sqls
    assert all(sql.startswith("SELECT DISTINCT") and "JOIN" not in sql for sql in sqls)


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": "cartable-catalogue", "version": 1, "offers": [{"year": '
        + b"9" * 5000
        + b"}]}",
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["huge-number", "deep-nesting"],
)
def test_a_json_file_python_cannot_read_is_reported_not_crashed_on(content: bytes) -> None:
    report = catalogue_io.run_import(content, fmt="json", dry_run=True, acting_user=None)
    assert not report.ok
    assert report.errors[0].field == "file"
