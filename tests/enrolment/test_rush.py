"""The campaign opening rush: many students at the same second, on PostgreSQL.

Each test builds a campaign, then starts many threads together (a barrier), each with its own
database connection, that choose, drop, wait, claim and expire at once; afterwards
:func:`cartable.enrolment.invariants.violations` must find nothing: no UE over capacity, no
accepted choice lost or counted twice, no wait-list position skipped. SQLite runs one write
transaction at a time, so these tests only mean something on PostgreSQL."""

from __future__ import annotations

import contextlib
import random
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from cartable.catalogue.models import Offer
from cartable.core.errors import DomainError
from cartable.enrolment import actions
from cartable.enrolment.actions import ChoiceOutcome
from cartable.enrolment.invariants import violations
from cartable.enrolment.models import Campaign, Enrolment, Seats, WaitlistEntry
from cartable.referential.models import Person

from .campaigns import CampaignFactory, group, rule, student, ue

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrency needs PostgreSQL (SQLite runs one write transaction at a time)",
    ),
    pytest.mark.django_db(transaction=True),
]

Pair = tuple[uuid.UUID, str]


def rush(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread, all released at once; each thread's result, or the
    exception it raised, in the order of ``calls``."""
    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index: int) -> None:
        try:
            connection.ensure_connection()  # connect before the start, not during the rush
            barrier.wait()
            results[index] = calls[index]()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a client never finished"
    return results


def unexpected(results: list[Any]) -> list[Exception]:
    """Exceptions other than a domain refusal (a deadlock left unretried, a constraint…)."""
    return [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)]


def choose(campaign: Campaign, person: Person, code: str) -> ChoiceOutcome:
    return actions.do_choose_ue(campaign.code, person.uuid, code, acting_user=None)


def drop(campaign: Campaign, person: Person, code: str) -> None:
    actions.do_drop_ue(campaign.code, person.uuid, code, acting_user=None)


def join(campaign: Campaign, person: Person, code: str) -> int:
    return actions.do_join_waitlist(campaign.code, person.uuid, code, acting_user=None)


def enrolled_in(campaign: Campaign, code: str) -> set[uuid.UUID]:
    return set(
        Enrolment.objects.filter(
            campaign=campaign, offer__ue__code=code, status=Enrolment.Status.ACCEPTED
        ).values_list("student__uuid", flat=True)
    )


def seats_of(campaign: Campaign, offer: Offer) -> Seats:
    return Seats.objects.get(campaign=campaign, offer=offer)


def entry_of(campaign: Campaign, person: Person, code: str) -> WaitlistEntry:
    return WaitlistEntry.objects.filter(
        campaign=campaign, student=person, offer__ue__code=code
    ).latest("id")


def full_ue_with_a_line(
    campaign: Campaign, code: str, *, places: int, waiting: int
) -> tuple[Offer, list[Person], list[Person]]:
    """A UE whose places are all taken (holders) and a wait-list joined in a known order."""
    offer = ue(code, capacity=places)
    holders = [student() for _ in range(places)]
    for holder in holders:
        assert choose(campaign, holder, code).accepted
    line = [student() for _ in range(waiting)]
    for person in line:
        join(campaign, person, code)
    return offer, holders, line


# --- many students, one small UE -------------------------------------------------------------


def test_a_small_ue_taken_by_sixty_students_at_once_holds_exactly_its_places() -> None:
    campaign = CampaignFactory()
    offer = ue("LO41", capacity=7)
    crowd = [student() for _ in range(60)]

    results = rush([lambda p=p: choose(campaign, p, "LO41") for p in crowd])

    assert unexpected(results) == []
    accepted = [p.uuid for p, r in zip(crowd, results, strict=True) if r.accepted]
    refused = [p.uuid for p, r in zip(crowd, results, strict=True) if not r.accepted]
    assert len(accepted) == 7
    assert all([str(x.cause) for x in r.refusals] == ["full"] for r in results if not r.accepted)
    assert seats_of(campaign, offer).taken == 7
    assert enrolled_in(campaign, "LO41") == set(accepted)
    assert Enrolment.objects.filter(campaign=campaign).count() == 7
    assert (
        violations(
            campaign.code,
            enrolled=[(u, "LO41") for u in accepted],
            not_enrolled=[(u, "LO41") for u in refused],
        )
        == []
    )


# --- adding several UEs in different orders while others drop ----------------------------------


@pytest.mark.parametrize("seed", [1, 2])
def test_adds_in_any_order_with_drops_and_promotions_never_break_a_count(seed: int) -> None:
    rng = random.Random(seed)
    campaign = CampaignFactory()
    codes = ["AA01", "AA02", "AA03", "AA04", "AA05", "AA06"]
    offers = {code: ue(code, capacity=5) for code in codes[3:]}
    holders: dict[str, list[Person]] = {}
    waiters: dict[str, list[Person]] = {}
    for code in codes[:3]:
        offers[code], holders[code], waiters[code] = full_ue_with_a_line(
            campaign, code, places=5, waiting=4
        )
    adders = [student() for _ in range(20)]
    accepted: list[Pair] = []
    dropped: list[Pair] = []
    lock = threading.Lock()

    def holder_client(person: Person, code: str, leaves: bool) -> None:
        if leaves:
            drop(campaign, person, code)
            with lock:
                dropped.append((person.uuid, code))
        else:
            add_each(person, [codes[3]])

    def add_each(person: Person, plan: list[str]) -> None:
        for code in plan:
            outcome = choose(campaign, person, code)
            if outcome.accepted:
                with lock:
                    accepted.append((person.uuid, code))
            elif outcome.can_join_waitlist:
                with contextlib.suppress(DomainError):  # a place freed meanwhile
                    join(campaign, person, code)

    calls: list[Callable[[], Any]] = []
    for code in codes[:3]:
        for index, person in enumerate(holders[code]):
            calls.append(lambda p=person, c=code, x=index: holder_client(p, c, leaves=x < 4))
        for person in waiters[code]:
            plan = rng.sample(codes[3:], 2)
            calls.append(lambda p=person, plan=plan: add_each(p, plan))
    for person in adders:
        plan = rng.sample(codes, 3)
        calls.append(lambda p=person, plan=plan: add_each(p, plan))

    results = rush(calls)

    assert unexpected(results) == []
    assert len(dropped) == 12
    promoted = WaitlistEntry.objects.filter(
        campaign=campaign, status=WaitlistEntry.Status.ENROLLED
    ).count()
    assert promoted >= 12  # every place freed on a full UE went to its wait-list
    for code, offer in offers.items():
        seats = seats_of(campaign, offer)
        assert seats.taken <= 5
        assert seats.taken == len(enrolled_in(campaign, code))
    assert violations(campaign.code, enrolled=accepted, not_enrolled=dropped) == []


# --- wait-list order -------------------------------------------------------------------------


def test_concurrent_drops_promote_strictly_in_line_passing_over_only_the_ineligible() -> None:
    campaign = CampaignFactory()
    rule(campaign, high="12")
    offer, holders, line = full_ue_with_a_line(campaign, "LO41", places=5, waiting=12)
    group(offer, "CM", "CM1", day=0, start=8, end=10)
    group(ue("MT42"), "CM", "CM1", day=0, start=8, end=10)
    ue("GE01")
    ue("GE02")
    clash, too_many_credits = line[2], line[4]
    assert choose(campaign, clash, "MT42").accepted  # LO41 now clashes with their semester
    assert choose(campaign, too_many_credits, "GE01").accepted
    assert choose(campaign, too_many_credits, "GE02").accepted  # 12 credits: no room left
    leaver = line[9]
    latecomer = student()

    def late() -> int | None:
        outcome = choose(campaign, latecomer, "LO41")
        assert not outcome.accepted
        assert outcome.can_join_waitlist  # every freed place went to the line
        return join(campaign, latecomer, "LO41")

    results = rush(
        [lambda p=p: drop(campaign, p, "LO41") for p in holders]
        + [lambda: actions.do_leave_waitlist(campaign.code, leaver.uuid, "LO41", acting_user=None)]
        + [late]
    )

    assert unexpected(results) == []
    first_eligible = [line[0], line[1], line[3], line[5], line[6]]
    assert enrolled_in(campaign, "LO41") == {p.uuid for p in first_eligible}
    assert seats_of(campaign, offer).taken == 5
    assert entry_of(campaign, clash, "LO41").status == WaitlistEntry.Status.WAITING
    assert "Emploi du temps" in entry_of(campaign, clash, "LO41").note
    assert actions.waitlist_position(entry_of(campaign, clash, "LO41")) == 1
    assert actions.waitlist_position(entry_of(campaign, too_many_credits, "LO41")) == 2
    assert actions.waitlist_position(entry_of(campaign, line[7], "LO41")) == 3
    assert actions.waitlist_position(entry_of(campaign, latecomer, "LO41")) == 7
    assert violations(campaign.code) == []


# --- claim window ----------------------------------------------------------------------------


def test_concurrent_drops_offer_the_places_to_the_first_in_line() -> None:
    campaign = CampaignFactory(claim_hours=24)
    offer, holders, line = full_ue_with_a_line(campaign, "LO41", places=6, waiting=14)
    newcomers = [student() for _ in range(6)]

    results = rush(
        [lambda p=p: drop(campaign, p, "LO41") for p in holders]
        + [lambda p=p: choose(campaign, p, "LO41") for p in newcomers]
    )

    assert unexpected(results) == []
    assert not any(r.accepted for r in results[len(holders) :])  # the places are reserved
    offered = WaitlistEntry.objects.filter(
        campaign=campaign, status=WaitlistEntry.Status.OFFERED
    ).values_list("student__uuid", flat=True)
    assert set(offered) == {p.uuid for p in line[:6]}
    assert seats_of(campaign, offer).taken == 6
    assert violations(campaign.code) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_claims_declines_and_expiry_racing_never_hand_out_a_place_twice(seed: int) -> None:
    campaign = CampaignFactory(claim_hours=24)
    offer, holders, line = full_ue_with_a_line(campaign, "LO41", places=6, waiting=24)
    for holder in holders:
        drop(campaign, holder, "LO41")  # the first six in line are offered a place
    later = timezone.now() + timedelta(hours=48)

    def claim(person: Person) -> ChoiceOutcome:
        return actions.do_claim_place(campaign.code, person.uuid, "LO41", acting_user=None)

    def decline(person: Person) -> None:
        actions.do_leave_waitlist(campaign.code, person.uuid, "LO41", acting_user=None)

    def expire() -> int:
        return actions.do_expire_offers(campaign.code, acting_user=None, now=later)

    offered = line[:6]
    calls: list[Callable[[], Any]] = [lambda p=p: claim(p) for p in offered[:4]]
    calls += [lambda p=p: decline(p) for p in offered[4:]]
    calls += [expire for _ in range(6)]
    # the next in line try to claim too early, or give up, while their turn may come
    calls += [lambda p=p: claim(p) for p in line[6:12]]
    calls += [lambda p=p: decline(p) for p in line[12:14]]
    random.Random(seed).shuffle(calls)

    results = rush(calls)

    assert unexpected(results) == []
    claimed = [
        (p.uuid, "LO41")
        for p in line
        if Enrolment.objects.filter(
            campaign=campaign, student=p, status=Enrolment.Status.ACCEPTED
        ).exists()
    ]
    seats = seats_of(campaign, offer)
    holding = (
        len(claimed)
        + WaitlistEntry.objects.filter(
            campaign=campaign, status=WaitlistEntry.Status.OFFERED
        ).count()
    )
    assert seats.taken == holding == 6  # every place is held once, none lost, none doubled
    assert violations(campaign.code, enrolled=claimed) == []


def test_expiry_from_many_workers_at_once_moves_each_place_once() -> None:
    campaign = CampaignFactory(claim_hours=24)
    offer, holders, line = full_ue_with_a_line(campaign, "LO41", places=5, waiting=20)
    for holder in holders:
        drop(campaign, holder, "LO41")
    later = timezone.now() + timedelta(hours=30)

    results = rush(
        [
            lambda: actions.do_expire_offers(campaign.code, acting_user=None, now=later)
            for _ in range(40)
        ]
    )

    assert unexpected(results) == []
    assert sum(results) == 5  # each overdue offer expired by exactly one worker
    offered = WaitlistEntry.objects.filter(campaign=campaign, status=WaitlistEntry.Status.OFFERED)
    assert set(offered.values_list("student__uuid", flat=True)) == {p.uuid for p in line[5:10]}
    assert seats_of(campaign, offer).taken == 5
    assert violations(campaign.code) == []
