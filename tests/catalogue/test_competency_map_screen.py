"""A programme's competency map page (public) and its gap report (programme heads, scolarité,
direction)."""

from __future__ import annotations

import csv
import html
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.catalogue.models import Offer, Programme
from cartable.competencies.models import Competency, Framework, Level
from tests.catalogue.factories import (
    ContributionFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    UEFactory,
)
from tests.competencies.factories import BlockFactory, CompetencyFactory, sample_framework

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def programme_with_map(framework: Framework | None = None) -> Programme:
    """INFO: LO41 develops C1.1 to level 4 (the top) and C1.2 to level 2; IF3A develops C1.2 to
    level 3; nothing develops the competencies of block 2."""
    framework = framework or sample_framework()
    programme = ProgrammeFactory(code="INFO", framework=framework)
    levels = {lv.rank: lv for lv in Level.objects.filter(framework=framework)}
    for ue, developed in (("LO41", {"C1.1": 4, "C1.2": 2}), ("IF3A", {"C1.2": 3})):
        link = OfferProgrammeFactory(
            programme=programme, offer__ue=UEFactory(code=ue), offer__year=programme.year
        )
        for code, rank in developed.items():
            ContributionFactory(
                offer=link.offer,
                competency=Competency.objects.get(block__framework=framework, code=code),
                level=levels[rank],
            )
    return programme


def url(programme: Programme, suffix: str = "") -> str:
    return f"/catalogue/formations/{programme.code}/{programme.year}/competences/{suffix}"


def test_anyone_sees_the_map_with_a_table_with_headers() -> None:
    programme = programme_with_map()
    page = text(Client().get(url(programme)))
    assert page.count("<h1") == 1
    assert 'scope="rowgroup"' in page
    assert 'scope="row"' in page
    assert ">LO41</abbr>" in page
    assert "Compétence 1.2" in page
    assert "Niveau 3 (Niveau 3) : sous le maximum" in page


def test_the_map_offers_a_list_per_competency_for_small_screens() -> None:
    page = text(Client().get(url(programme_with_map())))
    assert 'class="competency-map-list"' in page
    assert "LO41 (niveau 2), IF3A (niveau 3)" in page or "IF3A (niveau 3), LO41 (niveau 2)" in page


def test_the_map_url_has_its_public_name() -> None:
    from django.urls import reverse

    programme = programme_with_map()
    assert reverse("catalogue:competency_map", args=[programme.code, programme.year]) == url(
        programme
    )


@pytest.mark.parametrize("who", ["anonymous", "student", "teacher", "dsin_admin"])
def test_other_visitors_do_not_see_the_gap_report(who: str, client_as: Any) -> None:
    page = text(client_as(who).get(url(programme_with_map())))
    assert "Écarts au référentiel" not in page
    assert "ecarts.csv" not in page


@pytest.mark.parametrize("who", ["programme_head", "scolarite", "direction"])
def test_programme_heads_scolarite_and_direction_see_the_gap_report(
    who: str, client_as: Any
) -> None:
    page = text(client_as(who).get(url(programme_with_map())))
    assert "Écarts au référentiel" in page
    assert "Compétences qu'aucune UE ne développe" in page
    assert "Compétence 2.1" in page
    assert "ecarts.csv" in page


def test_the_gap_csv_lists_unreached_and_below_top_competencies(client_as: Any) -> None:
    programme = programme_with_map()
    response = client_as("programme_head").get(url(programme, "ecarts.csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    gaps = {(row[1], row[3]) for row in rows[1:]}
    assert gaps == {
        ("C2.1", "non atteinte"),
        ("C2.2", "non atteinte"),
        ("C1.2", "sous le maximum"),
    }


def test_the_gap_csv_is_refused_to_others(client_as: Any) -> None:
    programme = programme_with_map()
    assert client_as("teacher").get(url(programme, "ecarts.csv")).status_code == 403
    anonymous = Client().get(url(programme, "ecarts.csv"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/connexion/")


def test_a_programme_without_framework_says_so() -> None:
    programme = ProgrammeFactory(code="MASTER-X", diploma__code="MASTER-X")
    response = Client().get(url(programme))
    assert response.status_code == 200
    assert "pas encore de référentiel de compétences" in text(response)


def test_a_programme_without_framework_has_no_gap_csv(client_as: Any) -> None:
    programme = ProgrammeFactory(code="MASTER-X", diploma__code="MASTER-X")
    assert client_as("scolarite").get(url(programme, "ecarts.csv")).status_code == 404


def test_a_programme_without_its_own_framework_uses_its_diplomas() -> None:
    sample_framework()  # diploma ING-INFO
    programme = ProgrammeFactory(code="INFO-FISA")
    assert "Compétence 1.1" in text(Client().get(url(programme)))


def test_an_unknown_programme_is_not_found() -> None:
    assert Client().get("/catalogue/formations/NOPE/2020/competences/").status_code == 404


def test_draft_offers_are_not_on_the_map() -> None:
    programme = programme_with_map()
    Offer.objects.filter(ue__code="IF3A").update(status=Offer.Status.DRAFT)
    page = text(Client().get(url(programme)))
    assert ">IF3A</abbr>" not in page


def test_the_map_costs_the_same_queries_whatever_the_number_of_offers_and_competencies() -> None:
    programme = programme_with_map()
    client = Client()
    with CaptureQueriesContext(connection) as few:
        client.get(url(programme))
    framework = programme.framework
    assert framework is not None
    block = BlockFactory(framework=framework, code="RNCP35627BC09", position=9)
    top = Level.objects.get(framework=framework, rank=4)
    for n in range(6):
        competency = CompetencyFactory(block=block, code=f"C9.{n}")
        link = OfferProgrammeFactory(
            programme=programme, offer__ue=UEFactory(code=f"XX{n}"), offer__year=programme.year
        )
        ContributionFactory(offer=link.offer, competency=competency, level=top)
    with CaptureQueriesContext(connection) as many:
        client.get(url(programme))
    assert len(few) == len(many)
