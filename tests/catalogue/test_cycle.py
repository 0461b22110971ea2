"""The yearly cycle: copy a catalogue year into the next, then publish what was reviewed."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from cartable.catalogue import actions
from cartable.catalogue.models import Offer, OfferProgramme, Programme, Track
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from tests.catalogue.factories import (
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    UEFactory,
    offer_with_everything,
)

pytestmark = pytest.mark.django_db

N = 2030  # a source year of its own, away from the current one


def copy(acting_user: Any = None) -> actions.YearCopy:
    return actions.do_copy_year(N, N + 1, acting_user=acting_user)


def offers_in(year: int) -> list[tuple[str, int, str]]:
    return list(
        Offer.objects.filter(year=year)
        .order_by("ue__code")
        .values_list("ue__code", "version", "status")
    )


def test_each_ue_gets_a_version_1_draft_in_the_next_year() -> None:
    OfferFactory(ue=UEFactory(code="LO41"), year=N, version=3)
    OfferFactory(ue=UEFactory(code="MT11"), year=N, status=Offer.Status.DRAFT)
    copy()
    assert offers_in(N + 1) == [("LO41", 1, "draft"), ("MT11", 1, "draft")]


def test_the_published_version_is_copied_rather_than_a_newer_draft() -> None:
    ue = UEFactory(code="LO41")
    OfferFactory(ue=ue, year=N, version=1, title="Publiée")
    OfferFactory(ue=ue, year=N, version=2, title="Brouillon", status=Offer.Status.DRAFT)
    copy()
    assert Offer.objects.get(year=N + 1).title == "Publiée"


def test_the_latest_version_is_copied_when_none_is_published() -> None:
    ue = UEFactory(code="LO41")
    OfferFactory(ue=ue, year=N, version=1, title="Ancienne", status=Offer.Status.DRAFT)
    OfferFactory(ue=ue, year=N, version=2, title="Récente", status=Offer.Status.IN_REVIEW)
    copy()
    assert Offer.objects.get(year=N + 1).title == "Récente"


def test_the_copy_takes_every_row_of_the_offer() -> None:
    offer_with_everything(year=N)
    result = copy()
    assert (
        result.team_members,
        result.elements,
        result.prerequisites,
        result.software_needs,
        result.contributions,
        result.programme_links,
    ) == (1, 1, 1, 1, 1, 1)


def test_the_copy_is_linked_to_the_programme_of_the_new_year_in_the_same_category() -> None:
    source = offer_with_everything(year=N)
    copy()
    link = OfferProgramme.objects.get(offer__year=N + 1)
    source_link = source.programme_links.get()
    assert (link.programme.year, link.programme.code, link.category_id) == (
        N + 1,
        source_link.programme.code,
        source_link.category_id,
    )


def test_missing_programmes_are_created_from_the_source_year_with_their_tracks(
    persona: Any,
) -> None:
    head = persona("programme_head").person
    programme = ProgrammeFactory(year=N, code="INFO", head=head, title="Informatique")
    Track.objects.create(programme=programme, code="ilc", title="Logiciel")
    result = copy()
    created = Programme.objects.get(year=N + 1, code="INFO")
    assert (created.title, created.head_id, result.programmes_created, result.tracks) == (
        "Informatique",
        head.pk,
        1,
        1,
    )
    assert list(created.tracks.values_list("code", flat=True)) == ["ilc"]


def test_an_existing_programme_of_the_new_year_is_kept() -> None:
    OfferProgrammeFactory(offer=OfferFactory(year=N), programme=ProgrammeFactory(year=N))
    kept = ProgrammeFactory(year=N + 1, title="Déjà prête")
    result = copy()
    assert (result.programmes_created, result.programmes_existing) == (0, 1)
    assert OfferProgramme.objects.get(offer__year=N + 1).programme_id == kept.pk


def test_a_ue_that_already_has_an_offer_in_the_new_year_is_skipped() -> None:
    ue = UEFactory(code="LO41")
    OfferFactory(ue=ue, year=N, title="Ancienne")
    OfferFactory(ue=ue, year=N + 1, title="Déjà là", status=Offer.Status.DRAFT)
    result = copy()
    assert (result.offers_copied, result.offers_skipped) == (0, 1)
    assert Offer.objects.get(year=N + 1).title == "Déjà là"


def test_copying_twice_copies_nothing_the_second_time() -> None:
    offer_with_everything(year=N)
    first = copy()
    second = copy()
    assert (first.offers_copied, second.offers_copied, second.programmes_created) == (1, 0, 0)
    assert (second.programme_links, second.team_members) == (0, 0)
    assert Offer.objects.filter(year=N + 1).count() == 1


def test_each_copied_offer_has_the_copy_in_its_history() -> None:
    source = OfferFactory(year=N)
    copy()
    clone = Offer.objects.get(year=N + 1)
    entry = AuditEntry.objects.get(object_ref=str(clone.uuid))
    assert (entry.action, entry.detail["from"]) == ("catalogue.offer.copy_year", str(source.uuid))


def test_the_copy_of_a_year_is_journaled_with_its_counts() -> None:
    OfferFactory(year=N)
    copy()
    entry = AuditEntry.objects.get(action="catalogue.year.copy")
    assert (entry.object_ref, entry.detail["offers_copied"]) == (str(N + 1), 1)


def test_only_the_scolarite_copies_a_year(persona: Any) -> None:
    OfferFactory(year=N)
    with pytest.raises(DomainError):
        copy(acting_user=persona("programme_head").user)
    assert not Offer.objects.filter(year=N + 1).exists()


def test_a_year_is_not_copied_into_an_earlier_one() -> None:
    with pytest.raises(DomainError) as refused:
        actions.do_copy_year(N, N - 1, acting_user=None)
    assert refused.value.field == "target_year"


def test_publishing_a_year_publishes_its_offers_in_review_only(persona: Any) -> None:
    OfferFactory(ue=UEFactory(code="LO41"), year=N, status=Offer.Status.IN_REVIEW)
    OfferFactory(ue=UEFactory(code="MT11"), year=N, status=Offer.Status.DRAFT)
    result = actions.do_publish_year(N, acting_user=persona("scolarite").user)
    assert result.published == 1
    assert offers_in(N) == [("LO41", 1, "published"), ("MT11", 1, "draft")]


def test_publishing_a_year_archives_the_versions_it_replaces() -> None:
    ue = UEFactory(code="LO41")
    OfferFactory(ue=ue, year=N, version=1)
    OfferFactory(ue=ue, year=N, version=2, status=Offer.Status.IN_REVIEW)
    result = actions.do_publish_year(N, acting_user=None)
    assert result.archived == 1
    assert offers_in(N) == [("LO41", 1, "archived"), ("LO41", 2, "published")]


def test_publishing_a_year_writes_the_history_of_each_offer() -> None:
    offer = OfferFactory(year=N, status=Offer.Status.IN_REVIEW)
    actions.do_publish_year(N, acting_user=None)
    entry = AuditEntry.objects.get(object_ref=str(offer.uuid))
    assert entry.detail["changes"]["status"] == {"before": "in_review", "after": "published"}


def test_publishing_a_year_with_nothing_in_review_publishes_nothing() -> None:
    OfferFactory(year=N, status=Offer.Status.DRAFT)
    assert actions.do_publish_year(N, acting_user=None).published == 0


def test_the_command_copies_a_year_and_prints_the_counts() -> None:
    offer_with_everything(year=N)
    out = StringIO()
    call_command("copy_catalogue_year", str(N), str(N + 1), stdout=out)
    assert "offers copied: 1" in out.getvalue()
    assert "team members: 1" in out.getvalue()


def test_the_command_run_twice_reports_nothing_copied() -> None:
    OfferFactory(year=N)
    call_command("copy_catalogue_year", str(N), str(N + 1), stdout=StringIO())
    out = StringIO()
    call_command("copy_catalogue_year", str(N), str(N + 1), stdout=out)
    assert "offers copied: 0; déjà présentes / already there: 1" in out.getvalue()
