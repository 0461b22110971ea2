"""The public course guide's search: text, filters, ranking, paging, htmx, query counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartable.catalogue.models import Offer
from tests.catalogue.factories import (
    AliasFactory,
    CategoryFactory,
    ContributionFactory,
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    UEFactory,
    this_year,
)
from tests.factories import CampusFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def codes(client: Client, **params: Any) -> list[str]:
    """UE codes listed by the guide's search, in order, read from the htmx results part."""
    response = client.get("/guide/", params, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="guide-results")
    assert response.status_code == 200
    html = response.content.decode()
    return [part.split("<", 1)[0] for part in html.split('<span class="code">')[1:]]


def offer(code: str, **fields: Any) -> Offer:
    result: Offer = OfferFactory(ue=UEFactory(code=code), **fields)
    return result


def test_search_ignores_accents(client: Client) -> None:
    offer("EL21", title="Électronique numérique")
    offer("LO21", title="Programmation")
    assert codes(client, q="electronique") == ["EL21"]


def test_search_ignores_case(client: Client) -> None:
    offer("EL21", title="Électronique numérique")
    assert codes(client, q="ELECTRONIQUE") == ["EL21"]


def test_an_accented_query_finds_unaccented_text(client: Client) -> None:
    offer("EL21", title="Electronique numerique")
    assert codes(client, q="Électronique") == ["EL21"]


def test_every_word_of_the_query_must_match(client: Client) -> None:
    offer("EL21", title="Électronique numérique")
    offer("EL22", title="Électronique de puissance")
    assert codes(client, q="électronique puissance") == ["EL22"]


def test_search_reads_the_syllabus(client: Client) -> None:
    offer("LO41", title="Systèmes", content="Ordonnancement des processus")
    assert codes(client, q="ordonnancement") == ["LO41"]


def test_an_old_code_finds_the_ue(client: Client) -> None:
    found = offer("LO41", title="Systèmes d'exploitation")
    AliasFactory(ue=found.ue, code="LO40")
    assert codes(client, q="LO40") == ["LO41"]


def test_an_old_code_in_lower_case_finds_the_ue(client: Client) -> None:
    found = offer("LO41", title="Systèmes d'exploitation")
    AliasFactory(ue=found.ue, code="LO40")
    assert codes(client, q="lo40") == ["LO41"]


def test_the_exact_code_ranks_before_other_matches(client: Client) -> None:
    offer("AA10", title="Projet", content="Suite de LO41 et de ses travaux pratiques")
    offer("LO41", title="Systèmes d'exploitation")
    assert codes(client, q="lo41") == ["LO41", "AA10"]


def test_title_matches_rank_before_syllabus_matches(client: Client) -> None:
    offer("AA10", title="Projet", content="Réseaux de capteurs")
    offer("RE31", title="Réseaux informatiques")
    assert codes(client, q="reseaux") == ["RE31", "AA10"]


def test_without_text_results_are_in_code_order(client: Client) -> None:
    for code in ("MT11", "LO21", "EL21"):
        offer(code)
    assert codes(client) == ["EL21", "LO21", "MT11"]


@pytest.mark.parametrize(
    "status", [Offer.Status.DRAFT, Offer.Status.IN_REVIEW, Offer.Status.ARCHIVED]
)
def test_unpublished_offers_are_never_listed(client: Client, status: str) -> None:
    offer("EL21", title="Électronique numérique", status=status)
    assert codes(client) == []
    assert codes(client, q="electronique") == []


def test_the_current_catalogue_year_is_shown_by_default(client: Client) -> None:
    offer("EL21", year=this_year())
    offer("EL11", year=this_year() - 1)
    assert codes(client) == ["EL21"]


def test_another_published_year_can_be_chosen(client: Client) -> None:
    offer("EL21", year=this_year())
    offer("EL11", year=this_year() - 1)
    assert codes(client, year=this_year() - 1) == ["EL11"]


def test_the_latest_year_is_shown_when_the_current_one_is_not_published(client: Client) -> None:
    offer("EL11", year=this_year() - 1)
    assert codes(client) == ["EL11"]


def test_the_programme_filter_keeps_the_programme_s_ues(client: Client) -> None:
    info = ProgrammeFactory(code="INFO")
    meca = ProgrammeFactory(code="MECA", title="Mécanique")
    OfferProgrammeFactory(offer=offer("LO21"), programme=info)
    OfferProgrammeFactory(offer=offer("ME21"), programme=meca)
    assert codes(client, programme="INFO") == ["LO21"]


def test_the_category_filter_reads_the_category_of_each_programme(client: Client) -> None:
    info = ProgrammeFactory(code="INFO")
    meca = ProgrammeFactory(code="MECA", title="Mécanique")
    cs = CategoryFactory(code="CS")
    tm = CategoryFactory(code="TM", label="Techniques et méthodes")
    shared = offer("MT21")
    OfferProgrammeFactory(offer=shared, programme=info, category=cs)
    OfferProgrammeFactory(offer=shared, programme=meca, category=tm)
    OfferProgrammeFactory(offer=offer("LO21"), programme=info, category=tm)
    assert codes(client, category="TM") == ["LO21", "MT21"]
    assert codes(client, category="TM", programme="INFO") == ["LO21"]
    assert codes(client, category="CS", programme="INFO") == ["MT21"]


def test_the_campus_filter(client: Client) -> None:
    offer("LO21", campus=CampusFactory(code="belfort", name="Belfort"))
    offer("ME21", campus=CampusFactory(code="sevenans", name="Sevenans"))
    assert codes(client, campus="sevenans") == ["ME21"]


@pytest.mark.parametrize(
    ("semester", "expected"), [("A", ["AU01", "BO01"]), ("P", ["BO01", "PR01"])]
)
def test_an_offer_given_in_both_semesters_matches_either(
    client: Client, semester: str, expected: list[str]
) -> None:
    offer("AU01", semesters=Offer.Semester.AUTUMN)
    offer("PR01", semesters=Offer.Semester.SPRING)
    offer("BO01", semesters=Offer.Semester.BOTH)
    assert codes(client, semester=semester) == expected


def test_the_language_filter_includes_bilingual_offers(client: Client) -> None:
    offer("FR01", language=Offer.Language.FRENCH)
    offer("EN01", language=Offer.Language.ENGLISH)
    offer("BI01", language=Offer.Language.BILINGUAL)
    assert codes(client, language="en") == ["BI01", "EN01"]


def test_the_competency_filter(client: Client) -> None:
    developed = ContributionFactory(offer=offer("LO21"))
    ContributionFactory(offer=offer("LO22"))
    offer("LO23")
    assert codes(client, competency=str(developed.competency.uuid)) == ["LO21"]


def test_the_competency_filter_lists_competencies_by_framework_and_block(client: Client) -> None:
    contribution = ContributionFactory(offer=offer("LO21"))
    competency = contribution.competency
    html = client.get("/guide/").content.decode()
    assert f'<optgroup label="{competency.block.framework.title} — {competency.block.code}' in html
    assert f'<option value="{competency.uuid}">{competency.code} — {competency.title}' in html


def test_filters_combine_with_the_text(client: Client) -> None:
    offer("EL21", title="Électronique", semesters=Offer.Semester.AUTUMN)
    offer("EL22", title="Électronique de puissance", semesters=Offer.Semester.SPRING)
    assert codes(client, q="electronique", semester="P") == ["EL22"]


def test_an_unknown_filter_value_is_reported_and_ignored(client: Client) -> None:
    offer("LO21")
    response = client.get("/guide/", {"programme": "NOPE", "q": "unite"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error"' in html
    assert 'value="unite"' in html
    assert '<span class="code">LO21</span>' in html


def test_results_show_credits_semesters_campus_and_categories(client: Client) -> None:
    shown = offer(
        "LO21",
        credits=4,
        semesters=Offer.Semester.BOTH,
        campus=CampusFactory(code="sevenans", name="Sevenans"),
    )
    OfferProgrammeFactory(offer=shown, programme=ProgrammeFactory(code="INFO"))
    html = client.get("/guide/").content.decode()
    assert "4 crédits ECTS · Automne et printemps · Sevenans" in html
    assert '<abbr title="Connaissances scientifiques">CS</abbr> en INFO' in html
    assert "1 UE trouvée" in html


def test_results_are_paged(client: Client) -> None:
    for index in range(23):
        offer(f"PG{index:02d}")
    assert len(codes(client)) == 20
    assert codes(client, page=2) == ["PG20", "PG21", "PG22"]


def test_the_page_works_without_javascript(client: Client) -> None:
    html = client.get("/guide/", {"q": "x"}).content.decode()
    assert '<form method="get" action="/guide/"' in html
    assert '<button type="submit">' in html
    assert html.count("<h1") == 1
    assert '<label for="id_q">' in html


def test_htmx_gets_only_the_results_and_the_count(client: Client) -> None:
    offer("LO21")
    html = client.get("/guide/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="guide-results")
    text = html.content.decode()
    assert "<html" not in text
    assert '<p id="guide-count" hx-swap-oob="innerHTML">' in text


def test_a_year_change_through_htmx_gets_the_whole_form(client: Client) -> None:
    offer("LO21")
    response = client.get("/guide/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="guide-content")
    text = response.content.decode()
    assert text.startswith('<div id="guide-content">')
    assert "<html" not in text


def test_a_newly_published_offer_shows_although_the_page_was_cached(client: Client) -> None:
    offer("LO21")
    draft = offer("LO22", status=Offer.Status.DRAFT)
    assert codes(client) == ["LO21"]
    Offer.objects.filter(pk=draft.pk).update(status=Offer.Status.PUBLISHED)  # no signal
    assert codes(client) == ["LO21", "LO22"]


def _count_queries(client: Client, **params: Any) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/guide/", params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"q": "unite"}, {"q": "unite", "category": "CS"}])
def test_the_query_count_does_not_grow_with_the_results(
    client: Client, params: dict[str, str]
) -> None:
    programme = ProgrammeFactory(code="INFO")
    for index in range(2):
        OfferProgrammeFactory(offer=offer(f"AA{index:02d}"), programme=programme)
    few = _count_queries(client, **params)
    for index in range(18):
        OfferProgrammeFactory(offer=offer(f"BB{index:02d}"), programme=programme)
        ContributionFactory(offer=Offer.objects.get(ue__code=f"BB{index:02d}"))
    many = _count_queries(client, **params)
    assert few == many
    assert many <= 10


def test_a_cached_page_costs_one_query(client: Client) -> None:
    offer("LO21")
    client.get("/guide/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/guide/")
    assert len(queries) == 1


def _token(html: str) -> str:
    return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_a_cached_page_gives_each_visitor_a_working_csrf_token() -> None:
    offer("LO21")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/guide/")
    html = second.get("/guide/").content.decode()
    assert "guide-layout-" not in html
    response = second.post(
        "/i18n/setlang/", {"language": "en", "next": "/guide/", "csrfmiddlewaretoken": _token(html)}
    )
    assert response.status_code == 302


def test_a_cached_page_follows_the_visitor_s_language(client: Client) -> None:
    offer("LO21")
    client.get("/guide/")
    html = client.get("/guide/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in html


def test_a_signed_in_visitor_gets_the_layout_made_for_them(client_as: Any) -> None:
    offer("LO21")
    Client().get("/guide/")
    html = client_as("student").get("/guide/").content.decode()
    assert 'action="/deconnexion/"' in html


def test_the_chosen_filters_stay_selected(client: Client) -> None:
    offer("LO21", semesters=Offer.Semester.SPRING)
    html = client.get("/guide/", {"semester": "P", "language": "fr"}).content.decode()
    assert '<option value="P" selected>' in html
    assert '<option value="fr" selected>' in html
    assert '<option value="fr-en">' in html


def test_the_english_interface_lists_english_titles_marked_as_english(client: Client) -> None:
    offer("LO21", title="Algorithmique", title_en="Algorithms")
    html = client.get("/guide/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="en">Algorithms</span>' in html


def test_the_layout_follows_the_visitor_s_display_preferences(client: Client) -> None:
    offer("LO21")
    Client().get("/guide/")
    client.cookies["cartable_prefs"] = '{"theme": "dark"}'
    html = client.get("/guide/ue/LO21/").content.decode()
    assert 'data-theme="dark"' in html
    assert '<input name="next" type="hidden" value="/guide/ue/LO21/">' in html
    assert "guide-layout-" not in html
