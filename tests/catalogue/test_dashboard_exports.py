"""Exports of the Tableau de bord UE: the offer sheet and the teaching team, CSV and Excel."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from cartable.catalogue.models import Offer
from cartable.core.models import AuditEntry
from tests.catalogue.factories import OfferFactory, TeachingAssignmentFactory, UEFactory
from tests.factories import PersonFactory
from tests.personas import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(persona: Any) -> Any:
    return persona("teacher")


@pytest.fixture
def offer(teacher: Any) -> Offer:
    offer = OfferFactory(
        ue=UEFactory(code="LO41"), responsible=teacher.person, title="Systèmes d'exploitation"
    )
    TeachingAssignmentFactory(
        offer=offer,
        person=PersonFactory(civil_last_name="Martin", civil_first_name="Léa", login="lmartin"),
        activity="tp",
        hours=16,
    )
    return offer


def get(teacher: Any, offer: Offer, name: str) -> Any:
    return login(Client(), teacher).get(f"/tableau-ue/{offer.uuid}/{name}")


def csv_rows(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_the_offer_sheet_is_a_semicolon_csv_with_a_bom(teacher: Any, offer: Offer) -> None:
    response = get(teacher, offer, "fiche.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="LO41-' in response["Content-Disposition"]
    rows = dict(csv_rows(response)[1:])
    assert (rows["Code"], rows["Intitulé"], rows["Crédits ECTS"]) == (
        "LO41",
        "Systèmes d'exploitation",
        "6,0",
    )


def test_the_offer_sheet_in_excel_has_the_same_rows(teacher: Any, offer: Offer) -> None:
    rows = xlsx_rows(get(teacher, offer, "fiche.xlsx"))
    values = dict(rows[1:])
    assert rows[0] == ("Rubrique", "Valeur")
    assert (values["Code"], values["Heures de TP"]) == ("LO41", 16)


def test_the_team_csv_lists_the_responsible_then_the_team(teacher: Any, offer: Offer) -> None:
    rows = csv_rows(get(teacher, offer, "equipe.csv"))
    assert rows[0] == [
        "Nom",
        "Prénom",
        "Identifiant",
        "Courriel",
        "Rôle",
        "Activité",
        "Heures prévues",
    ]
    assert [r[2] for r in rows[1:]] == [teacher.person.login, "lmartin"]
    assert rows[2][4:] == ["Équipe pédagogique", "Travaux pratiques", "16,0"]


def test_the_team_in_excel_opens_with_every_member(teacher: Any, offer: Offer) -> None:
    rows = xlsx_rows(get(teacher, offer, "equipe.xlsx"))
    assert len(rows) == 3
    assert rows[2][:3] == ("Martin", "Léa", "lmartin")


def test_exporting_the_team_is_journaled_for_each_member(teacher: Any, offer: Offer) -> None:
    get(teacher, offer, "equipe.csv")
    exported = AuditEntry.objects.filter(
        action="catalogue.offer.team.export", kind=AuditEntry.Kind.EXPORT
    )
    assert exported.count() == 1  # the responsible exporting is not journaled about themself


def test_a_text_that_looks_like_a_formula_is_not_run_by_the_spreadsheet(
    teacher: Any, offer: Offer
) -> None:
    Offer.objects.filter(pk=offer.pk).update(room_needs='=HYPERLINK("http://x")')
    rows = dict(csv_rows(get(teacher, offer, "fiche.csv"))[1:])
    assert rows["Besoins en salles"].startswith("'=")
    sheet = load_workbook(io.BytesIO(get(teacher, offer, "fiche.xlsx").content)).active
    assert sheet is not None
    cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "Besoins en salles")
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_a_stranger_cannot_export_an_offer(persona: Any, offer: Offer) -> None:
    stranger = persona("ue_coordinator")
    assert get(stranger, offer, "equipe.csv").status_code == 404
