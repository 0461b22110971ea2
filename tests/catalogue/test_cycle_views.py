"""The yearly-cycle screen of the scolarité."""

from __future__ import annotations

from typing import Any

import pytest

from cartable.catalogue.models import Offer
from tests.catalogue.factories import OfferFactory, UEFactory

pytestmark = pytest.mark.django_db

N = 2030


def test_the_cycle_page_counts_the_offers_of_each_year_by_status(client_as: Any) -> None:
    OfferFactory(year=N, status=Offer.Status.IN_REVIEW)
    OfferFactory(year=N, status=Offer.Status.IN_REVIEW)
    OfferFactory(year=N + 1, status=Offer.Status.DRAFT)
    response = client_as("scolarite").get("/catalogue/cycle/")
    counts = {y.year: y.counts for y in response.context["years"]}
    assert counts == {N + 1: [1, 0, 0, 0], N: [0, 2, 0, 0]}


def test_the_copy_form_proposes_the_latest_year_into_the_next(client_as: Any) -> None:
    OfferFactory(year=N)
    form = client_as("scolarite").get("/catalogue/cycle/").context["copy_form"]
    assert (form.initial["source_year"], form.initial["target_year"]) == (N, N + 1)


def test_copying_a_year_shows_the_resulting_counts(client_as: Any) -> None:
    OfferFactory(ue=UEFactory(code="LO41"), year=N)
    response = client_as("scolarite").post(
        "/catalogue/cycle/copier/", {"source_year": N, "target_year": N + 1}, follow=True
    )
    assert "1 offre(s) copiée(s) en brouillon" in response.content.decode()
    assert Offer.objects.filter(year=N + 1).count() == 1


def test_a_copy_into_an_earlier_year_keeps_what_was_typed_and_says_why(client_as: Any) -> None:
    OfferFactory(year=N)
    response = client_as("scolarite").post(
        "/catalogue/cycle/copier/", {"source_year": N, "target_year": N - 5}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{N - 5}"' in html
    assert "Année cible : elle doit suivre l&#x27;année source." in html
    assert "Target year: it must come after the source year." in html
    assert not Offer.objects.filter(year=N - 5).exists()


def test_publishing_the_reviewed_offers_of_a_year_from_the_screen(client_as: Any) -> None:
    offer = OfferFactory(year=N, status=Offer.Status.IN_REVIEW)
    response = client_as("scolarite").post("/catalogue/cycle/publier/", {"year": N}, follow=True)
    assert "1 offre(s) relue(s) publiée(s)" in response.content.decode()
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.PUBLISHED


@pytest.mark.parametrize("who", ["teacher", "programme_head", "ue_coordinator"])
def test_only_the_scolarite_copies_a_year(client_as: Any, who: str) -> None:
    OfferFactory(year=N)
    response = client_as(who).post(
        "/catalogue/cycle/copier/", {"source_year": N, "target_year": N + 1}
    )
    assert response.status_code == 403
    assert not Offer.objects.filter(year=N + 1).exists()
