"""Wait-list moves interleaved at the worst moment, replayed deterministically on any database.

A student's action reads their situation, then waits for the lock of the UE's places; an
expiry may run in between. The action must judge the entry as it stands once it holds the
lock, or a place would be handed out twice (test_rush.py races the same on PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cartable.core.errors import DomainError
from cartable.enrolment import actions
from cartable.enrolment.invariants import violations
from cartable.enrolment.models import Campaign, Seats, WaitlistEntry

from .campaigns import CampaignFactory, student, ue

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered() -> tuple[Campaign, Any, list[Any]]:
    """LO41 (one place) offered to the first of three in line, claim window of a day."""
    campaign = CampaignFactory(claim_hours=24)
    ue("LO41", capacity=1)
    holder = student()
    actions.do_choose_ue(campaign.code, holder.uuid, "LO41", acting_user=None)
    line = [student() for _ in range(3)]
    for person in line:
        actions.do_join_waitlist(campaign.code, person.uuid, "LO41", acting_user=None)
    actions.do_drop_ue(campaign.code, holder.uuid, "LO41", acting_user=None)
    return campaign, holder, line


def expired_after_reading(monkeypatch: pytest.MonkeyPatch, campaign: Campaign, person: Any) -> None:
    """The student's next action reads their wait-list as it was, then the expiry commits,
    then the action takes the lock of the UE's places."""
    stale = actions.student_context(campaign.code, person.uuid).entries
    later = timezone.now() + timedelta(hours=25)
    actions.do_expire_offers(campaign.code, acting_user=None, now=later)
    real = actions.student_context

    def read_before_the_expiry(*args: Any, **kwargs: Any) -> Any:
        context = real(*args, **kwargs)
        if context.student_uuid == person.uuid:
            context.entries = stale
        return context

    monkeypatch.setattr(actions, "student_context", read_before_the_expiry)


def test_a_claim_arriving_after_the_expiry_is_refused_and_the_place_stays_with_the_next(
    offered: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign, _holder, line = offered
    expired_after_reading(monkeypatch, campaign, line[0])
    with pytest.raises(DomainError) as error:
        actions.do_claim_place(campaign.code, line[0].uuid, "LO41", acting_user=None)
    assert "délai" in error.value.message_fr
    next_in_line = WaitlistEntry.objects.get(student=line[1])
    assert next_in_line.status == WaitlistEntry.Status.OFFERED
    assert Seats.objects.get(campaign=campaign).taken == 1
    assert violations(campaign.code) == []


def test_a_decline_arriving_after_the_expiry_does_not_free_the_place_again(
    offered: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign, _holder, line = offered
    expired_after_reading(monkeypatch, campaign, line[0])
    with pytest.raises(DomainError):
        actions.do_leave_waitlist(campaign.code, line[0].uuid, "LO41", acting_user=None)
    statuses = [WaitlistEntry.objects.get(student=p).status for p in line]
    assert statuses == ["expired", "offered", "waiting"]
    assert violations(campaign.code) == []
