"""The demo training offer: deterministic, personas with their responsibilities, a catalogue
that gives every screen something to show."""

from __future__ import annotations

import hashlib
import io
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from cartable.catalogue import api as catalogue
from cartable.catalogue.demo.domains import DOMAINS, TOPIC_PREFIXES
from cartable.catalogue.demo.planner import People, Planner
from cartable.catalogue.demo.tables import SOFTWARE
from cartable.catalogue.models import (
    UE,
    CompetencyContribution,
    Offer,
    OfferProgramme,
    Prerequisite,
    Programme,
    SoftwareNeed,
    TeachingAssignment,
    UEAlias,
)
from cartable.competencies.demo import CompetencyData, FrameworkData
from cartable.competencies.models import Competency, Framework
from cartable.core.calendar import academic_year
from cartable.core.permissions import Role, roles_of
from cartable.referential.models import Person
from tests.factories import today

TINY = 0.02


def build(seed: int = 2026, *, if_absent: bool = False) -> str:
    out = io.StringIO()
    call_command("build_demo_campus", seed=seed, scale=TINY, if_absent=if_absent, stdout=out)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of the training offer: UEs, offers, links, teams, needs, competencies."""
    rows = [
        "|".join(map(str, row))
        for row in Offer.objects.order_by("ue__code", "year", "version").values_list(
            "uuid", "ue__code", "year", "version", "status", "title", "credits", "semesters",
            "campus__code", "language", "hours_cm", "hours_td", "hours_tp", "capacity",
            "responsible__login", "objectives", "published_at",
        )
    ]  # fmt: skip
    rows += sorted("|".join(r) for r in UEAlias.objects.values_list("code", "ue__code"))
    rows += sorted(
        "|".join(map(str, row))
        for row in OfferProgramme.objects.values_list(
            "offer__uuid", "programme__code", "programme__year", "category__code"
        )
    )
    rows += sorted(
        "|".join(map(str, row))
        for row in TeachingAssignment.objects.values_list(
            "offer__uuid", "person__login", "activity", "hours"
        )
    )
    rows += sorted(
        "|".join(map(str, row))
        for row in CompetencyContribution.objects.values_list(
            "offer__uuid", "competency__uuid", "level__rank", "weight"
        )
    )
    rows += sorted(
        "|".join(map(str, row))
        for row in SoftwareNeed.objects.values_list("offer__uuid", "software__code", "mode")
    )
    rows += sorted(
        "|".join(map(str, row))
        for row in Prerequisite.objects.values_list(
            "offer__uuid", "required_ue__code", "competency__uuid"
        )
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def build_in_fresh_database(seed: int) -> str:
    savepoint = transaction.savepoint()
    try:
        build(seed)
        return digest()
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.fixture
def campus(db: None) -> str:
    return build()


def user_of(login: str) -> object:
    return Person.objects.select_related("user").get(login=login).user


def this_year() -> int:
    return academic_year(today())


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_catalogue_and_another_seed_another() -> None:
    first = build_in_fresh_database(2026)
    again = build_in_fresh_database(2026)
    other = build_in_fresh_database(7)
    assert first == again
    assert other != first


def test_the_build_prints_the_catalogue_steps_and_totals(campus: str) -> None:
    assert "Offres d'UE (deux années)" in campus
    assert "software needs" in campus


def test_resp_ue_coordinates_several_current_year_offers_and_gets_the_role(campus: str) -> None:
    offers = Offer.objects.filter(responsible__login="resp-ue", year=this_year())
    assert offers.filter(status=Offer.Status.PUBLISHED).count() >= 3
    assert Role.UE_COORDINATOR in roles_of(user_of("resp-ue"))


def test_resp_ue_has_work_to_show_on_the_dashboard(campus: str) -> None:
    pending = Offer.objects.filter(
        responsible__login="resp-ue",
        year=this_year(),
        status__in=(Offer.Status.DRAFT, Offer.Status.IN_REVIEW),
    )
    assert set(pending.values_list("status", flat=True)) == {"draft", "in_review"}
    assert all(o.supersedes is not None and o.version == 2 for o in pending)


def test_resp_formation_heads_info_in_both_years_and_gets_the_role(campus: str) -> None:
    headed = Programme.objects.filter(head__login="resp-formation", code="INFO")
    assert set(headed.values_list("year", flat=True)) == {this_year() - 1, this_year()}
    assert Role.PROGRAMME_HEAD in roles_of(user_of("resp-formation"))


def test_enseignant_teaches_in_a_few_offers_without_coordinating_any(campus: str) -> None:
    taught = TeachingAssignment.objects.filter(person__login="enseignant", offer__year=this_year())
    assert taught.values("offer__ue").distinct().count() >= 2
    assert Role.UE_COORDINATOR not in roles_of(user_of("enseignant"))


def test_every_current_programme_has_offers_in_several_categories(campus: str) -> None:
    categories: dict[str, set[str]] = defaultdict(set)
    for code, category in OfferProgramme.objects.filter(
        programme__year=this_year(), offer__status=Offer.Status.PUBLISHED
    ).values_list("programme__code", "category__code"):
        categories[code].add(category)
    programmes = set(Programme.objects.filter(year=this_year()).values_list("code", flat=True))
    assert programmes
    assert set(categories) == programmes
    assert all(len(held) >= 3 for held in categories.values()), categories


def test_both_years_are_published_with_a_few_new_versions_this_year(campus: str) -> None:
    year = this_year()
    for catalogue_year in (year - 1, year):
        published = Offer.objects.filter(year=catalogue_year, status=Offer.Status.PUBLISHED)
        assert published.count() > 40
        assert not published.filter(published_at__isnull=True).exists()
    assert Offer.objects.filter(year=year, status=Offer.Status.DRAFT).exists()
    assert not Offer.objects.filter(year=year, status=Offer.Status.ARCHIVED).exists()


def test_bulk_created_offers_carry_their_search_text(campus: str) -> None:
    offers = Offer.objects.select_related("ue")[:50]
    assert all(o.search_text and o.search_text == o.compute_search_text() for o in offers)


def test_ue_prerequisites_form_no_cycle(campus: str) -> None:
    requires: dict[str, set[str]] = defaultdict(set)
    for ue, required in Prerequisite.objects.filter(required_ue__isnull=False).values_list(
        "offer__ue__code", "required_ue__code"
    ):
        requires[ue].add(required)
    assert requires
    done: set[str] = set()

    def visit(code: str, path: tuple[str, ...]) -> None:
        assert code not in path, path
        if code in done:
            return
        for required in requires[code]:
            visit(required, (*path, code))
        done.add(code)

    for code in list(requires):
        visit(code, ())


def test_some_competencies_of_every_framework_are_reached_by_no_offer(campus: str) -> None:
    reached = set(CompetencyContribution.objects.values_list("competency", flat=True))
    assert reached
    for framework in Framework.objects.all():
        competencies = set(
            Competency.objects.filter(block__framework=framework).values_list("pk", flat=True)
        )
        assert competencies - reached, framework.code


def test_contributions_use_the_frameworks_of_the_offer_programmes(campus: str) -> None:
    frameworks_of = defaultdict(set)
    for offer, framework in OfferProgramme.objects.values_list("offer", "programme__framework"):
        frameworks_of[offer].add(framework)
    for offer, framework, level_framework in CompetencyContribution.objects.values_list(
        "offer", "competency__block__framework", "level__framework"
    ):
        assert framework in frameworks_of[offer]
        assert level_framework == framework


def test_software_needs_use_the_three_modes_as_licences_allow(campus: str) -> None:
    allowed = {code: modes for code, _name, _publisher, _licence, modes, _url in SOFTWARE}
    needs = list(SoftwareNeed.objects.values_list("software__code", "mode"))
    assert {mode for _code, mode in needs} == {"byod", "virtualised", "lab"}
    assert all(mode in allowed[code] for code, mode in needs)


def test_old_codes_resolve_to_their_ue(campus: str) -> None:
    aliases = list(UEAlias.objects.values_list("code", "ue__code", "until_year"))
    assert aliases
    for old, stable, until in aliases:
        assert catalogue.resolve_ue_code(old.lower()) == stable
        assert until < this_year()
    assert not UE.objects.filter(code__in=[old for old, _s, _u in aliases]).exists()


def test_if_absent_adds_nothing_on_a_second_run(campus: str) -> None:
    counts = (UE.objects.count(), Offer.objects.count(), Framework.objects.count())
    output = build(if_absent=True)
    assert "rien à faire" in output
    assert (UE.objects.count(), Offer.objects.count(), Framework.objects.count()) == counts


def _planner(scale: float) -> Planner:
    """A planner over invented teachers and frameworks: no database needed."""
    framework = FrameworkData(
        id=1,
        code="ref",
        diploma_code="",
        level_ids={1: 1, 2: 2, 3: 3, 4: 4},
        competencies=tuple(
            CompetencyData(i, f"C{i}", "technical" if i % 2 else "transversal")
            for i in range(1, 15)
        ),
    )
    diplomas = ("DEUTEC", "ING-INFO", "ING-ENER", "ING-MECA", "ING-GI", "ING-EDIM")
    diplomas += ("FISA-INFO", "FISA-MECA", "MASTER-EEA", "MASTER-INFO")
    teachers = list(range(100, 160))
    people = People({"INFO": teachers[:20]}, {"INFO": teachers[:10]}, teachers, {})
    return Planner(
        random.Random(1),
        scale=scale,
        year=this_year(),
        people=people,
        frameworks=dict.fromkeys(diplomas, framework),
    )


@pytest.mark.parametrize(("scale", "expected"), [(1, 300), (10, 3000)])
def test_the_scale_multiplies_the_number_of_ues_with_unique_ut_codes(
    scale: float, expected: int
) -> None:
    plans = _planner(scale).plan()
    codes = [p.code for p in plans] + [p.alias[0] for p in plans if p.alias]
    assert len(plans) == expected
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 4 and c[:2].isalpha() and c[2:].isdigit() for c in codes)


def test_credits_are_mostly_six_with_internships_at_thirty() -> None:
    plans = _planner(1).plan()
    credits = [p.credits for p in plans]
    assert credits.count(Decimal(6)) > len(plans) / 2
    assert {Decimal(2), Decimal(3), Decimal(4), Decimal(30)} <= set(credits)
    assert all(p.credits == 30 for p in plans if p.kind == "internship" and p.code != "ST05")


def test_about_forty_percent_of_ues_need_software() -> None:
    plans = _planner(1).plan()
    share = sum(1 for p in plans if p.needs) / len(plans)
    assert 0.3 <= share <= 0.55


def test_every_demo_topic_has_a_code_prefix_of_its_domain() -> None:
    for domain in DOMAINS:
        prefixes = TOPIC_PREFIXES[domain.key]
        assert len(prefixes) == len(domain.topics), domain.key
        assert set(prefixes) == set(domain.prefixes), domain.key
