"""The public JSON search of the course guide (/api/v1/guide/ues/)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.catalogue.models import Offer
from tests.catalogue.factories import (
    AliasFactory,
    CategoryFactory,
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    UEFactory,
    this_year,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/guide/ues/"


def offer(code: str, **fields: Any) -> Offer:
    result: Offer = OfferFactory(ue=UEFactory(code=code), **fields)
    return result


def found(client: Client, **params: Any) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [row["code"] for row in response.json()["results"]]


def test_an_anonymous_visitor_gets_published_offers_as_json(client: Client) -> None:
    shown = offer("LO21", title="Algorithmique", title_en="Algorithms")
    OfferProgrammeFactory(offer=shown, programme=ProgrammeFactory(code="INFO"))
    body = client.get(URL).json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "code": "LO21",
        "year": this_year(),
        "title": "Algorithmique",
        "title_en": "Algorithms",
        "credits": "6.0",
        "semesters": "A",
        "campus": "belfort",
        "language": "fr",
        "categories": [
            {
                "programme": "INFO",
                "programme_year": this_year(),
                "category": "CS",
                "category_label": "Connaissances scientifiques",
                "category_label_en": "",
            }
        ],
        "url": f"/guide/ue/LO21/{this_year()}/",
    }


def test_the_api_search_ignores_accents_and_case(client: Client) -> None:
    offer("EL21", title="Électronique numérique")
    offer("LO21", title="Algorithmique")
    assert found(client, q="ELECTRONIQUE") == ["EL21"]


def test_the_api_finds_a_ue_by_an_old_code(client: Client) -> None:
    AliasFactory(ue=offer("LO41").ue, code="LO40")
    assert found(client, q="LO40") == ["LO41"]


def test_the_api_filters_by_programme_and_category(client: Client) -> None:
    info = ProgrammeFactory(code="INFO")
    tm = CategoryFactory(code="TM", label="Techniques et méthodes")
    OfferProgrammeFactory(offer=offer("LO21"), programme=info, category=tm)
    OfferProgrammeFactory(offer=offer("MT11"), programme=info)
    offer("ME21")
    assert found(client, programme="INFO") == ["LO21", "MT11"]
    assert found(client, programme="INFO", category="TM") == ["LO21"]


def test_the_api_filters_by_year(client: Client) -> None:
    offer("LO21")
    offer("LO11", year=this_year() - 1)
    assert found(client) == ["LO21"]
    assert found(client, year=this_year() - 1) == ["LO11"]


def test_the_api_never_shows_unpublished_offers(client: Client) -> None:
    offer("LO21", status=Offer.Status.DRAFT)
    offer("LO22", status=Offer.Status.ARCHIVED)
    assert found(client) == []


def test_the_api_is_paginated(client: Client) -> None:
    for index in range(5):
        offer(f"PG{index}")
    body = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert body["count"] == 5
    assert [r["code"] for r in body["results"]] == ["PG2", "PG3"]
    assert body["next"]


def test_a_bad_year_is_refused_in_french_and_english(client: Client) -> None:
    response = client.get(URL, {"year": "deux-mille"})
    assert response.status_code == 400
    assert response.json() == {"year": "Année invalide / invalid year"}


def test_a_bad_semester_is_refused(client: Client) -> None:
    assert client.get(URL, {"semester": "Z"}).status_code == 400


def test_the_api_query_count_does_not_grow_with_the_results(client: Client) -> None:
    programme = ProgrammeFactory(code="INFO")
    for index in range(2):
        OfferProgrammeFactory(offer=offer(f"AA{index}"), programme=programme)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"q": "unite"})
    for index in range(18):
        OfferProgrammeFactory(offer=offer(f"BB{index}"), programme=programme)
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"q": "unite"})
    assert len(few) == len(many)


def test_the_endpoint_is_documented_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/guide/ues/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "programme", "category", "year"}
    assert operation["security"] == [{}]  # no authentication needed
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert page.endswith("/GuideOfferPage")
