"""The invariant checks find every kind of breach, and nothing in a sound campaign."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from cartable.enrolment import actions
from cartable.enrolment.invariants import violations
from cartable.enrolment.models import Enrolment, Seats, WaitlistEntry

from .campaigns import CampaignFactory, student, ue

pytestmark = pytest.mark.django_db


def choose(campaign, person, code):  # type: ignore[no-untyped-def]
    return actions.do_choose_ue(campaign.code, person.uuid, code, acting_user=None)


def join(campaign, person, code):  # type: ignore[no-untyped-def]
    return actions.do_join_waitlist(campaign.code, person.uuid, code, acting_user=None)


def test_a_campaign_run_through_its_actions_is_sound() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    ada, bob = student(), student()
    choose(campaign, ada, "LO41")
    join(campaign, bob, "LO41")
    actions.do_drop_ue(campaign.code, ada.uuid, "LO41", acting_user=None)
    assert violations(campaign.code) == []


def test_a_place_counted_twice_is_reported() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=3)
    choose(campaign, student(), "LO41")
    Seats.objects.filter(campaign=campaign).update(taken=2)
    assert violations(campaign.code) == [
        "LO41 : 2 places comptées, mais 1 inscriptions et 0 places proposées"
    ]


def test_more_students_than_places_is_reported() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=2)
    choose(campaign, student(), "LO41")
    choose(campaign, student(), "LO41")
    Seats.objects.filter(campaign=campaign).update(capacity=1, taken=1)
    found = violations(campaign.code)
    assert "LO41 : 2 inscrit·es et places proposées pour 1 places" in found


def test_a_skipped_wait_list_position_is_reported() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    choose(campaign, student(), "LO41")
    first, second = student(), student()
    join(campaign, first, "LO41")
    join(campaign, second, "LO41")
    WaitlistEntry.objects.filter(student=second).update(status=WaitlistEntry.Status.ENROLLED)
    found = violations(campaign.code)
    assert any(str(first.uuid) in line and "arrivé après" in line for line in found)


def test_passing_over_a_student_for_a_recorded_reason_is_not_a_skip() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    choose(campaign, student(), "LO41")
    first, second = student(), student()
    join(campaign, first, "LO41")
    join(campaign, second, "LO41")
    WaitlistEntry.objects.filter(student=first).update(note="Emploi du temps incompatible")
    WaitlistEntry.objects.filter(student=second).update(status=WaitlistEntry.Status.ENROLLED)
    assert not any("arrivé après" in line for line in violations(campaign.code))


def test_an_accepted_choice_that_vanished_is_reported() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    choose(campaign, ada, "LO41")
    Enrolment.objects.filter(student=ada).update(status=Enrolment.Status.DROPPED)
    Seats.objects.filter(campaign=campaign).update(taken=0)
    assert violations(campaign.code, enrolled=[(ada.uuid, "LO41")]) == [
        f"LO41 : le choix accepté de {ada.uuid} a disparu"
    ]


def test_a_refused_choice_that_got_in_is_reported() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    choose(campaign, ada, "LO41")
    found = violations(campaign.code, not_enrolled=[(ada.uuid, "LO41")])
    assert found == [
        f"LO41 : {ada.uuid} est inscrit·e alors que son choix a été refusé ou abandonné"
    ]


def test_the_command_fails_on_a_breach_and_passes_otherwise() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    choose(campaign, student(), "LO41")
    call_command("enrolment_invariants", campaign.code)
    Seats.objects.filter(campaign=campaign).update(taken=0)
    with pytest.raises(CommandError):
        call_command("enrolment_invariants", campaign.code)
