"""The public course guide's UE and programme pages."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from cartable.catalogue import views_guide
from cartable.catalogue.models import Offer, Prerequisite, SoftwareNeed
from tests.catalogue.factories import (
    AliasFactory,
    CategoryFactory,
    ContributionFactory,
    DiplomaFactory,
    ElementFactory,
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    SoftwareFactory,
    SoftwareNeedFactory,
    TeachingAssignmentFactory,
    UEFactory,
    UEPrerequisiteFactory,
    this_year,
)
from tests.competencies.factories import CompetencyFactory, LevelFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def lo41(**fields: object) -> Offer:
    values: dict[str, object] = {
        "ue": UEFactory(code="LO41"),
        "title": "Systèmes d'exploitation",
        "title_en": "Operating systems",
        "objectives": "Comprendre le noyau.",
        "objectives_en": "Understand the kernel.",
        "content": "Processus et mémoire.",
        "content_en": "",
        "assessment": "Examen final.",
        "assessment_en": "Final exam.",
        "bibliography": "Tanenbaum, Systèmes d'exploitation.",
    }
    result: Offer = OfferFactory(**{**values, **fields})
    return result


def page(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, **headers)  # type: ignore[arg-type]
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


# --- UE page ---------------------------------------------------------------------------------


def test_the_ue_page_shows_the_syllabus_hours_and_credits(client: Client) -> None:
    lo41(credits=Decimal("4.5"), hours_personal=Decimal("60"), capacity=48)
    html = page(client, "/guide/ue/LO41/")
    assert html.count("<h1") == 1
    assert "Comprendre le noyau." in html
    assert "Processus et mémoire." in html
    assert "Examen final." in html
    assert "Tanenbaum" in html
    assert "<dd>4,5</dd>" in html
    assert "<td>24</td><td>24</td><td>16</td><td>60</td>" in html
    assert "48 places" in html


def test_the_ue_page_shows_the_english_title_marked_as_english(client: Client) -> None:
    lo41()
    assert '<span lang="en">Operating systems</span>' in page(client, "/guide/ue/LO41/")


def test_the_english_interface_shows_the_english_syllabus(client: Client) -> None:
    lo41()
    html = page(client, "/guide/ue/LO41/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<div lang="en"><p>Understand the kernel.</p></div>' in html
    assert '<div lang="en"><p>Final exam.</p></div>' in html
    assert '<span lang="en">Operating systems</span>' in html


def test_a_passage_without_english_version_stays_french_and_marked_so(client: Client) -> None:
    lo41()
    html = page(client, "/guide/ue/LO41/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<div lang="fr"><p>Processus et mémoire.</p></div>' in html


def test_the_french_interface_shows_the_french_syllabus(client: Client) -> None:
    lo41()
    html = page(client, "/guide/ue/LO41/")
    assert "Understand the kernel." not in html


def test_an_old_code_redirects_for_good_to_the_stable_code(client: Client) -> None:
    offer = lo41()
    AliasFactory(ue=offer.ue, code="LO40")
    response = client.get("/guide/ue/LO40/")
    assert response.status_code == 301
    assert response["Location"] == "/guide/ue/LO41/"


def test_an_old_code_with_a_year_keeps_the_year(client: Client) -> None:
    offer = lo41()
    AliasFactory(ue=offer.ue, code="LO40")
    response = client.get(f"/guide/ue/LO40/{offer.year}/")
    assert response.status_code == 301
    assert response["Location"] == f"/guide/ue/LO41/{offer.year}/"


def test_a_code_in_lower_case_redirects_to_the_stable_code(client: Client) -> None:
    lo41()
    response = client.get("/guide/ue/lo41/")
    assert response.status_code == 301
    assert response["Location"] == "/guide/ue/LO41/"


def test_an_unknown_code_answers_404_with_a_link_to_the_search(client: Client) -> None:
    response = client.get("/guide/ue/ZZ99/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ZZ99" in html
    assert 'href="/guide/"' in html


@pytest.mark.parametrize(
    "status", [Offer.Status.DRAFT, Offer.Status.IN_REVIEW, Offer.Status.ARCHIVED]
)
def test_an_unpublished_offer_has_no_page(client: Client, status: str) -> None:
    offer = lo41(status=status)
    assert client.get("/guide/ue/LO41/").status_code == 404
    assert client.get(f"/guide/ue/LO41/{offer.year}/").status_code == 404


def test_the_ue_page_of_another_year(client: Client) -> None:
    lo41(year=this_year() - 1, content="Ancien programme.")
    lo41(year=this_year(), content="Nouveau programme.")
    assert "Nouveau programme." in page(client, "/guide/ue/LO41/")
    older = page(client, f"/guide/ue/LO41/{this_year() - 1}/")
    assert "Ancien programme." in older
    assert f'href="/guide/ue/LO41/{this_year()}/"' in older


def test_the_ue_page_shows_categories_per_programme(client: Client) -> None:
    offer = lo41()
    OfferProgrammeFactory(offer=offer, programme=ProgrammeFactory(code="INFO"))
    OfferProgrammeFactory(
        offer=offer,
        programme=ProgrammeFactory(code="MECA", title="Mécanique"),
        category=CategoryFactory(code="TM", label="Techniques et méthodes"),
    )
    html = page(client, "/guide/ue/LO41/")
    assert f'href="/guide/formations/INFO/{offer.year}/"' in html
    assert '<abbr title="Connaissances scientifiques">CS</abbr>' in html
    assert '<abbr title="Techniques et méthodes">TM</abbr>' in html


def test_a_ue_prerequisite_links_to_its_page(client: Client) -> None:
    required = OfferFactory(ue=UEFactory(code="LO21"), title="Algorithmique")
    offer = lo41()
    UEPrerequisiteFactory(offer=offer, required_ue=required.ue)
    html = page(client, "/guide/ue/LO41/")
    assert f'<a href="/guide/ue/LO21/{offer.year}/">LO21 — <span lang="fr">Algorithmique' in html


def test_a_competency_prerequisite_shows_its_level(client: Client) -> None:
    offer = lo41()
    competency = CompetencyFactory(code="C7", title="Programmer")
    level = LevelFactory(framework=competency.block.framework, rank=2, label="Maîtrise")
    Prerequisite.objects.create(offer=offer, competency=competency, min_level=level)
    html = page(client, "/guide/ue/LO41/")
    assert 'C7 — <span lang="fr">Programmer</span>, niveau 2 au moins' in html
    assert "Maîtrise" in html


def test_the_ue_page_shows_competencies_with_level_and_weight(client: Client) -> None:
    contribution = ContributionFactory(offer=lo41(), weight=Decimal("0.5"))
    html = page(client, "/guide/ue/LO41/")
    assert f"{contribution.competency.code} — " in html
    assert "<td>0,50</td>" in html


def test_the_ue_page_shows_software_with_licence_and_access(client: Client) -> None:
    software = SoftwareFactory(code="catia", name="CATIA", licence="campus")
    SoftwareNeedFactory(offer=lo41(), software=software, mode=SoftwareNeed.Mode.LAB)
    html = page(client, "/guide/ue/LO41/")
    assert "CATIA" in html
    assert "Licence établissement" in html
    assert "En salle équipée" in html


def test_the_ue_page_shows_constituent_elements(client: Client) -> None:
    ElementFactory(offer=lo41(), code="LO41-TP", title="Travaux pratiques noyau")
    assert "Travaux pratiques noyau" in page(client, "/guide/ue/LO41/")


def test_the_team_is_shown_by_name_only(client: Client) -> None:
    member = PersonFactory(civil_first_name="Ada", civil_last_name="Lovelace")
    offer = lo41(responsible=PersonFactory(civil_first_name="Alan", civil_last_name="Turing"))
    TeachingAssignmentFactory(offer=offer, person=member)
    html = page(client, "/guide/ue/LO41/")
    assert "Alan TURING" in html
    assert "Ada LOVELACE" in html
    assert member.institutional_email not in html


def test_people_on_the_red_list_are_not_published(client: Client) -> None:
    hidden = PersonFactory(civil_first_name="Grace", civil_last_name="Hopper", red_list=True)
    offer = lo41(responsible=hidden)
    TeachingAssignmentFactory(offer=offer, person=hidden)
    assert "HOPPER" not in page(client, "/guide/ue/LO41/")


def _ue_page_queries(client: Client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        page(client, "/guide/ue/LO41/")
    return len(queries)


def test_the_ue_page_query_count_does_not_grow_with_its_content(client: Client) -> None:
    offer = lo41()
    UEPrerequisiteFactory(offer=offer)
    ContributionFactory(offer=offer)
    few = _ue_page_queries(client)
    for index in range(6):
        UEPrerequisiteFactory(offer=offer)
        ContributionFactory(offer=offer)
        SoftwareNeedFactory(offer=offer, software=SoftwareFactory(code=f"s{index}"))
        TeachingAssignmentFactory(offer=offer)
        ElementFactory(offer=offer)
        OfferProgrammeFactory(offer=offer, programme=ProgrammeFactory(code=f"P{index}"))
        AliasFactory(ue=offer.ue)
    assert _ue_page_queries(client) == few
    assert few <= 12


# --- programmes ------------------------------------------------------------------------------


def test_the_programme_list_groups_programmes_by_diploma(client: Client) -> None:
    ProgrammeFactory(code="INFO", title="Informatique")
    ProgrammeFactory(
        code="TC",
        title="Tronc commun",
        diploma=DiplomaFactory(code="DEUTEC", kind="deutec", title="DEUTEC"),
    )
    html = page(client, "/guide/formations/")
    assert '<h2 lang="fr">DEUTEC</h2>' in html
    assert '<h2 lang="fr">Ingénieur en informatique</h2>' in html
    assert f'href="/guide/formations/INFO/{this_year()}/"' in html


def test_the_programme_page_groups_its_ues_by_category(client: Client) -> None:
    programme = ProgrammeFactory(code="INFO", description="Former des ingénieurs.")
    tm = CategoryFactory(code="TM", label="Techniques et méthodes", position=2)
    cs = CategoryFactory(code="CS", position=1)
    OfferProgrammeFactory(
        offer=OfferFactory(ue=UEFactory(code="LO21")), programme=programme, category=tm
    )
    OfferProgrammeFactory(
        offer=OfferFactory(ue=UEFactory(code="MT11")), programme=programme, category=cs
    )
    OfferProgrammeFactory(
        offer=OfferFactory(ue=UEFactory(code="LO99"), status=Offer.Status.DRAFT),
        programme=programme,
        category=tm,
    )
    html = page(client, f"/guide/formations/INFO/{programme.year}/")
    assert "Former des ingénieurs." in html
    assert html.index(">CS</abbr>") < html.index("MT11") < html.index(">TM</abbr>")
    assert html.index(">TM</abbr>") < html.index("LO21")
    assert "LO99" not in html


def test_the_programme_page_shows_its_head_and_tracks(client: Client) -> None:
    programme = ProgrammeFactory(
        code="INFO", head=PersonFactory(civil_first_name="Ada", civil_last_name="Lovelace")
    )
    programme.tracks.create(code="ilc", title="Ingénierie du logiciel")
    html = page(client, f"/guide/formations/INFO/{programme.year}/")
    assert "Ada LOVELACE" in html
    assert "Ingénierie du logiciel" in html


def test_the_programme_page_links_the_competency_map_when_it_exists(client: Client) -> None:
    programme = ProgrammeFactory(code="INFO")
    html = page(client, f"/guide/formations/INFO/{programme.year}/")
    try:
        url = reverse("catalogue:competency_map", args=["INFO", programme.year])
    except NoReverseMatch:
        assert "Carte des compétences" not in html
    else:
        assert f'href="{url}"' in html


def test_the_competency_map_link_is_left_out_when_the_page_does_not_exist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(name: str, args: list[object]) -> str:
        raise NoReverseMatch(name)

    monkeypatch.setattr(views_guide, "reverse", missing)
    assert views_guide._competency_map_url("INFO", 2025) == ""


def test_an_unknown_programme_answers_404(client: Client) -> None:
    response = client.get(f"/guide/formations/NOPE/{this_year()}/")
    assert response.status_code == 404
    assert 'href="/guide/formations/"' in response.content.decode()


def test_the_programme_page_query_count_does_not_grow_with_its_ues(client: Client) -> None:
    programme = ProgrammeFactory(code="INFO")
    OfferProgrammeFactory(programme=programme)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        page(client, f"/guide/formations/INFO/{programme.year}/")
    for _ in range(15):
        OfferProgrammeFactory(programme=programme)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        page(client, f"/guide/formations/INFO/{programme.year}/")
    assert len(few) == len(many)


def test_the_guide_only_answers_reading_requests(client: Client) -> None:
    assert client.post("/guide/").status_code == 405


def test_a_saved_change_shows_at_once_on_a_cached_page(client: Client) -> None:
    offer = lo41()
    assert "Noyaux et systèmes" not in page(client, "/guide/ue/LO41/")
    offer.title = "Noyaux et systèmes"
    offer.save()
    assert "Noyaux et systèmes" in page(client, "/guide/ue/LO41/")
