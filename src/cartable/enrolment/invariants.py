"""What must hold in a campaign whatever the interleaving of its writes (docs/decisions/0008).

:func:`violations` reads the database and lists every breach, in plain words; an empty list
means the campaign is sound. The rush tests, ``bench/enrolment.py`` and the
``enrolment_invariants`` command call it after concurrent choices, drops and wait-list moves:

- no UE holds more students than its places (``taken <= capacity``);
- the places counted as taken are exactly the accepted enrolments of the campaign plus the
  places offered from a wait-list and not yet claimed (none lost, none counted twice);
- no enrolment and no live wait-list place exists twice, and nobody waits for a UE they
  already have;
- no wait-list position is skipped: a place never goes to someone while a student ahead of
  them in line is still waiting without a recorded reason for being passed over (a clash, too
  many credits…);
- optionally, what the clients were told: every accepted choice is there, every refused or
  dropped one is not.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet

from .models import Campaign, Enrolment, Seats, WaitlistEntry

LIVE = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)
#: Wait-list states in which a student has been given (or offered) a place from the list.
SERVED = (WaitlistEntry.Status.OFFERED, WaitlistEntry.Status.ENROLLED)

Pair = tuple[uuid.UUID, str]  # (student UUID, UE code)


def violations(
    campaign_code: str,
    *,
    enrolled: Iterable[Pair] = (),
    not_enrolled: Iterable[Pair] = (),
) -> list[str]:
    """Every breach of the campaign's invariants (empty: none). ``enrolled``: pairs the
    clients were told are accepted (and did not drop since); ``not_enrolled``: pairs that
    must not be enrolled (refused, or dropped and not given back)."""
    campaign = Campaign.objects.filter(code=campaign_code).first()
    if campaign is None:
        return [f"campagne inconnue : {campaign_code}"]
    found: list[str] = []
    found += _seat_counts(campaign)
    found += _duplicates(campaign)
    found += _waiting_while_enrolled(campaign)
    found += _skipped_positions(campaign)
    found += _told(campaign, enrolled, not_enrolled)
    return found


def _seat_counts(campaign: Campaign) -> list[str]:
    accepted = _count_by_offer(
        Enrolment.objects.filter(campaign=campaign, status=Enrolment.Status.ACCEPTED)
    )
    offered = _count_by_offer(
        WaitlistEntry.objects.filter(campaign=campaign, status=WaitlistEntry.Status.OFFERED)
    )
    found = []
    seats = Seats.objects.filter(campaign=campaign).values_list(
        "offer_id", "offer__ue__code", "capacity", "taken"
    )
    seen = set()
    for offer_id, code, capacity, taken in seats:
        seen.add(offer_id)
        holders = accepted.get(offer_id, 0) + offered.get(offer_id, 0)
        if capacity is not None and taken > capacity:
            found.append(f"{code} : {taken} places prises pour {capacity} places")
        if capacity is not None and holders > capacity:
            found.append(
                f"{code} : {holders} inscrit·es et places proposées pour {capacity} places"
            )
        if taken != holders:
            found.append(
                f"{code} : {taken} places comptées, mais {accepted.get(offer_id, 0)} "
                f"inscriptions et {offered.get(offer_id, 0)} places proposées"
            )
    for offer_id in (set(accepted) | set(offered)) - seen:
        found.append(f"offre {offer_id} : des inscriptions sans ligne de places")
    return found


def _count_by_offer(rows: QuerySet[Any]) -> dict[int, int]:
    return dict(rows.values("offer_id").annotate(n=Count("pk")).values_list("offer_id", "n"))


def _duplicates(campaign: Campaign) -> list[str]:
    found = []
    twice = (
        Enrolment.objects.filter(campaign=campaign)
        .values("student__uuid", "offer__ue__code")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for row in twice:
        found.append(
            f"{row['offer__ue__code']} : {row['n']} inscriptions pour {row['student__uuid']}"
        )
    waiting_twice = (
        WaitlistEntry.objects.filter(campaign=campaign, status__in=LIVE)
        .values("student__uuid", "offer__ue__code")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for row in waiting_twice:
        found.append(
            f"{row['offer__ue__code']} : {row['n']} places en liste d'attente pour "
            f"{row['student__uuid']}"
        )
    return found


def _waiting_while_enrolled(campaign: Campaign) -> list[str]:
    enrolled = set(
        Enrolment.objects.filter(campaign=campaign, status=Enrolment.Status.ACCEPTED).values_list(
            "student_id", "offer_id"
        )
    )
    live = WaitlistEntry.objects.filter(campaign=campaign, status__in=LIVE).values_list(
        "student_id", "offer_id", "student__uuid", "offer__ue__code"
    )
    return [
        f"{code} : {student} est inscrit·e et en liste d'attente à la fois"
        for student_id, offer_id, student, code in live
        if (student_id, offer_id) in enrolled
    ]


def _skipped_positions(campaign: Campaign) -> list[str]:
    """A place given (or offered) from the list while someone ahead of its receiver still
    waits with no reason recorded for being passed over. Joining and serving a list both
    hold the lock of the UE's places, so the order of ids is the order of arrival."""
    entries: dict[str, list[tuple[int, str, str, uuid.UUID]]] = defaultdict(list)
    rows = (
        WaitlistEntry.objects.filter(campaign=campaign)
        .order_by("offer_id", "id")
        .values_list("id", "status", "note", "student__uuid", "offer__ue__code")
    )
    for pk, status, note, student, code in rows:
        entries[code].append((pk, status, note, student))
    found = []
    for code, line in entries.items():
        served = [pk for pk, status, _note, _s in line if status in SERVED]
        if not served:
            continue
        last_served = max(served)
        for pk, status, note, student in line:
            if pk < last_served and status == WaitlistEntry.Status.WAITING and not note:
                found.append(
                    f"{code} : {student} attend toujours alors qu'une place est allée à "
                    "quelqu'un arrivé après, sans raison notée"
                )
    return found


def _told(campaign: Campaign, enrolled: Iterable[Pair], not_enrolled: Iterable[Pair]) -> list[str]:
    wanted, unwanted = set(enrolled), set(not_enrolled)
    if not wanted and not unwanted:
        return []
    present = set(
        Enrolment.objects.filter(campaign=campaign, status=Enrolment.Status.ACCEPTED).values_list(
            "student__uuid", "offer__ue__code"
        )
    )
    found = [
        f"{code} : le choix accepté de {student} a disparu"
        for student, code in sorted(wanted - present, key=str)
    ]
    found += [
        f"{code} : {student} est inscrit·e alors que son choix a été refusé ou abandonné"
        for student, code in sorted(unwanted & present, key=str)
    ]
    return found
