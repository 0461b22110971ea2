"""The guide's trigram index follows the offers, and puts itself back after a table rebuild."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from cartable.catalogue import search_index

from .factories import OfferFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only"
    ),
]


def codes(client: Client, q: str) -> list[str]:
    html = client.get("/guide/", {"q": q}).content.decode()
    return [code for code in ("EL21", "LO21") if f'<span class="code">{code}</span>' in html]


def test_an_edited_title_is_found_by_its_new_words(client: Client) -> None:
    offer = OfferFactory(ue__code="EL21", title="Électronique", status="published")
    offer.title = "Capteurs embarqués"
    offer.save()
    assert codes(client, "capteurs") == ["EL21"]
    assert codes(client, "electronique") == []


def test_a_lost_trigger_is_put_back_and_the_index_rebuilt(client: Client) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER catalogue_offer_fts_insert")
    OfferFactory(ue__code="LO21", title="Algorithmique", status="published")
    assert codes(client, "algorithmique") == []
    assert search_index.ensure() is True
    cache.clear()  # the guide's pages are cached; the repair happens at migrate time
    assert codes(client, "algorithmique") == ["LO21"]
    assert search_index.ensure() is False
