"""Named writes of the enrolment campaign: choose, drop, wait, claim, advise.

Each action is one transaction that locks, in this order, the acting student's
:class:`StudentChoice` row, then the :class:`Seats` row of the UE; the free places are read
and written under that lock, so a UE never exceeds its capacity and a freed place goes to the
first eligible student on the wait-list in the same transaction (docs/decisions/0008).
On PostgreSQL two transactions may still wait on each other (a drop that promotes a student
who is adding a UE at the same moment): the database detects it and one of them is run again
(:func:`retrying`). On SQLite every write transaction starts ``IMMEDIATE`` and runs alone."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.core import audit, notifications
from cartable.core.errors import DomainError
from cartable.timetable import api as timetable

from . import rules
from .models import (
    AdvisingNote,
    Campaign,
    Enrolment,
    Seats,
    StudentChoice,
    WaitlistEntry,
)
from .queries import (
    SemesterView,
    StudentContext,
    campaign_by_code,
    offer_pk,
    person_pk,
    seat_capacity,
    student_context,
)
from .rules import Cause, Refusal

T = TypeVar("T")
ATTEMPTS = 8


def retrying(work: Callable[[], T]) -> T:
    """Run ``work`` in a transaction, again when the database broke a deadlock or a
    serialisation conflict by cancelling it (nothing of a cancelled attempt remains)."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            text = str(error).lower()
            if attempt == ATTEMPTS - 1 or not ("deadlock" in text or "serializ" in text):
                raise
            time.sleep(random.uniform(0.001, 0.01) * (attempt + 1))
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class ChoiceOutcome:
    """What became of a request to add a UE."""

    ue_code: str
    accepted: bool
    refusals: tuple[Refusal, ...] = ()
    waitlist_position: int | None = None

    @property
    def can_join_waitlist(self) -> bool:
        """Full is the only reason: the student may wait for a place."""
        return bool(self.refusals) and all(r.cause is Cause.FULL for r in self.refusals)


# --- locks -----------------------------------------------------------------------------------


def _lock_choice(campaign: Campaign, student_pk: int, programme: str) -> StudentChoice:
    StudentChoice.objects.bulk_create(
        [StudentChoice(campaign=campaign, student_id=student_pk, programme=programme)],
        ignore_conflicts=True,
    )
    return StudentChoice.objects.select_for_update().get(campaign=campaign, student_id=student_pk)


def _lock_seats(campaign: Campaign, offer_uuid: uuid.UUID) -> Seats:
    pk = offer_pk(offer_uuid)
    if not Seats.objects.filter(campaign=campaign, offer_id=pk).exists():
        capacity = seat_capacity(offer_uuid, campaign.semester)
        Seats.objects.bulk_create(
            [Seats(campaign=campaign, offer_id=pk, capacity=capacity)], ignore_conflicts=True
        )
    return Seats.objects.select_for_update().get(campaign=campaign, offer_id=pk)


# --- adding a UE -----------------------------------------------------------------------------


def _enrol(
    context: StudentContext, offer_uuid: uuid.UUID, *, source: str, reason: str = ""
) -> Enrolment:
    """Create the enrolment, or bring a dropped one back."""
    pk = offer_pk(offer_uuid)
    enrolment, created = Enrolment.objects.get_or_create(
        student_id=context.student_pk,
        offer_id=pk,
        defaults={
            "campaign": context.campaign,
            "semester": context.campaign.semester,
            "source": source,
            "override_reason": reason,
        },
    )
    if not created:
        if enrolment.status == Enrolment.Status.ACCEPTED:
            raise DomainError(
                "ue", "Cette UE fait déjà partie du semestre.", "This UE is already chosen."
            )
        enrolment.status = Enrolment.Status.ACCEPTED
        enrolment.campaign = context.campaign
        enrolment.semester = context.campaign.semester
        enrolment.source = source
        enrolment.override_reason = reason
        enrolment.save()
    return enrolment


def _seats_unlocked(campaign: Campaign, offer_uuid: uuid.UUID) -> Seats | None:
    """The places of a UE as they stand, without locking them (to tell a refused student
    whether the UE is also full)."""
    return Seats.objects.filter(campaign=campaign, offer__uuid=offer_uuid).first()


def _close_entry(context: StudentContext, code: str, status: str) -> None:
    """The student's live wait-list entry for a UE they now take, if any, is closed."""
    entry = context.live_entry(code)
    if entry is not None:
        entry.status = status
        entry.save(update_fields=["status", "updated_at"])


def _reopen_if_validated(context: StudentContext) -> None:
    """A validated semester that the student changes goes back to their advisor."""
    choice = context.choice
    if choice is not None and choice.status == StudentChoice.Status.VALIDATED:
        choice.status = StudentChoice.Status.OPEN
        choice.validated_by = None
        choice.validated_at = None
        choice.save(update_fields=["status", "validated_by", "validated_at", "updated_at"])


def _refusals(context: StudentContext, ue_code: str, seats: Seats | None) -> list[Refusal]:
    view = context.view_of(ue_code)
    if view is None:
        return [
            Refusal(
                Cause.NOT_OFFERED,
                f"{ue_code} n'est pas proposée ce semestre.",
                f"{ue_code} is not offered this semester.",
                (ue_code,),
            )
        ]
    return rules.refusals_to_add(view.offer, context.situation(view, seats))


def do_choose_ue(
    campaign_code: str,
    student_uuid: uuid.UUID,
    ue_code: str,
    *,
    acting_user: Any,
    now: datetime | None = None,
) -> ChoiceOutcome:
    """A student adds a UE to their semester; every refusal is returned, none is raised."""
    code = ue_code.strip().upper()

    def work() -> ChoiceOutcome:
        context = student_context(
            campaign_code, student_uuid, now=now, lock=_lock_choice, only=code
        )
        view = context.view_of(code)
        if view is None:
            return ChoiceOutcome(code, False, tuple(_refusals(context, code, None)))
        # Every rule but the places depends only on the student's own row, locked above:
        # judge them before taking the UE's row, so a popular UE is held only briefly.
        refusals = _refusals(context, code, None)
        waiting = code in context.entries
        if refusals:
            seen = _seats_unlocked(context.campaign, view.offer.uuid)
            free = seen.free if seen else None
            refusals += rules.capacity_refusals(code, free, waiting=waiting)
            return ChoiceOutcome(code, False, tuple(refusals))
        seats = _lock_seats(context.campaign, view.offer.uuid)
        full = rules.capacity_refusals(code, seats.free, waiting=waiting)
        if full:
            return ChoiceOutcome(code, False, tuple(full))
        _enrol(context, view.offer.uuid, source=Enrolment.Source.CAMPAIGN)
        seats.taken += 1
        seats.save(update_fields=["taken"])
        _close_entry(context, code, WaitlistEntry.Status.ENROLLED)
        _journal("enrolment.choose", acting_user, context, code)
        _reopen_if_validated(context)
        return ChoiceOutcome(code, True)

    return retrying(work)


def do_drop_ue(
    campaign_code: str,
    student_uuid: uuid.UUID,
    ue_code: str,
    *,
    acting_user: Any,
    now: datetime | None = None,
) -> None:
    """A student drops a UE (until the campaign closes); the freed place goes to the wait-list
    in the same transaction."""
    code = ue_code.strip().upper()

    def work() -> None:
        context = student_context(
            campaign_code, student_uuid, now=now, lock=_lock_choice, only=code
        )
        if context.phase == Campaign.Phase.CLOSED or context.phase == Campaign.Phase.UPCOMING:
            raise DomainError(
                "ue",
                "La campagne n'est pas ouverte : votre semestre ne peut plus être modifié.",
                "The campaign is not open: your semester can no longer be changed.",
            )
        chosen = context.chosen_view(code)
        if chosen is None:
            raise DomainError(
                "ue", f"{code} ne fait pas partie de votre semestre.", f"{code} is not chosen."
            )
        seats = _lock_seats(context.campaign, chosen.offer.uuid)
        Enrolment.objects.filter(
            student_id=context.student_pk, offer_id=offer_pk(chosen.offer.uuid)
        ).update(status=Enrolment.Status.DROPPED, updated_at=timezone.now())
        seats.taken -= 1
        seats.save(update_fields=["taken"])
        _journal("enrolment.drop", acting_user, context, code)
        _reopen_if_validated(context)
        fill_freed_places(context.campaign, seats, code, acting_user, context.now)

    retrying(work)


# --- wait-lists ------------------------------------------------------------------------------


def waitlist_position(entry: WaitlistEntry) -> int:
    """1 for the first in line (entries offered a place count before those waiting)."""
    return WaitlistEntry.objects.filter(
        campaign_id=entry.campaign_id,
        offer_id=entry.offer_id,
        status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
        id__lte=entry.id,
    ).count()


def do_join_waitlist(
    campaign_code: str,
    student_uuid: uuid.UUID,
    ue_code: str,
    *,
    acting_user: Any,
    now: datetime | None = None,
) -> int:
    """Join a full UE's wait-list; returns the position. Only a full UE has one, and only a
    student who could take it otherwise may wait for it."""
    code = ue_code.strip().upper()

    def work() -> int:
        context = student_context(
            campaign_code, student_uuid, now=now, lock=_lock_choice, only=code
        )
        view = context.view_of(code)
        seats = _lock_seats(context.campaign, view.offer.uuid) if view else None
        refusals = _refusals(context, code, seats)
        if not refusals or any(r.cause is not Cause.FULL for r in refusals):
            blocking = [r for r in refusals if r.cause is not Cause.FULL]
            if blocking:
                first = blocking[0]
                raise DomainError("ue", first.message_fr, first.message_en)
            raise DomainError(
                "ue",
                f"{code} a des places libres : inscrivez-vous directement.",
                f"{code} has free places: enrol directly.",
            )
        assert view is not None
        try:
            with transaction.atomic():
                entry = WaitlistEntry.objects.create(
                    campaign=context.campaign,
                    offer_id=offer_pk(view.offer.uuid),
                    student_id=context.student_pk,
                )
        except IntegrityError as error:
            raise DomainError(
                "ue",
                f"Vous êtes déjà sur la liste d'attente de {code}.",
                f"You are already on the wait-list of {code}.",
            ) from error
        _journal("enrolment.waitlist.join", acting_user, context, code)
        return waitlist_position(entry)

    return retrying(work)


def do_leave_waitlist(
    campaign_code: str, student_uuid: uuid.UUID, ue_code: str, *, acting_user: Any
) -> None:
    """Leave a wait-list (or decline a place offered): a reserved place goes to the next."""
    code = ue_code.strip().upper()

    def work() -> None:
        context = student_context(campaign_code, student_uuid, lock=_lock_choice, only=code)
        entry = context.live_entry(code)
        if entry is None:
            raise DomainError(
                "ue",
                f"Vous n'êtes pas sur la liste d'attente de {code}.",
                f"You are not on the wait-list of {code}.",
            )
        seats = _lock_seats(context.campaign, entry.offer.uuid)
        if _reread(entry).status not in (
            WaitlistEntry.Status.WAITING,
            WaitlistEntry.Status.OFFERED,
        ):
            raise DomainError(
                "ue",
                f"Vous n'êtes plus sur la liste d'attente de {code}.",
                f"You are no longer on the wait-list of {code}.",
            )
        was_offered = entry.status == WaitlistEntry.Status.OFFERED
        entry.status = WaitlistEntry.Status.WITHDRAWN
        entry.save(update_fields=["status", "updated_at"])
        _journal("enrolment.waitlist.leave", acting_user, context, code)
        if was_offered:
            seats.taken -= 1
            seats.save(update_fields=["taken"])
            fill_freed_places(context.campaign, seats, code, acting_user, context.now)

    retrying(work)


def do_claim_place(
    campaign_code: str,
    student_uuid: uuid.UUID,
    ue_code: str,
    *,
    acting_user: Any,
    now: datetime | None = None,
) -> ChoiceOutcome:
    """Take the place offered from a wait-list, within its claim window."""
    code = ue_code.strip().upper()

    def work() -> ChoiceOutcome:
        context = student_context(
            campaign_code, student_uuid, now=now, lock=_lock_choice, only=code
        )
        entry = context.live_entry(code)
        if entry is None or entry.status != WaitlistEntry.Status.OFFERED:
            raise DomainError(
                "ue",
                f"Aucune place de {code} ne vous est proposée.",
                f"No place in {code} is offered to you.",
            )
        seats = _lock_seats(context.campaign, entry.offer.uuid)
        if _reread(entry).status != WaitlistEntry.Status.OFFERED:
            raise DomainError(
                "ue",
                f"Le délai pour accepter la place de {code} est dépassé : elle est passée "
                "au suivant sur la liste.",
                f"The time to accept the place in {code} has passed: it went to the next "
                "on the list.",
            )
        if entry.offered_until and context.now > entry.offered_until:
            _expire(entry, seats, acting_user, context.now)
            return ChoiceOutcome(
                code,
                False,
                (
                    Refusal(
                        Cause.OUTSIDE_DATES,
                        "Le délai pour accepter cette place est dépassé.",
                        "The time to accept this place has passed.",
                        (code,),
                    ),
                ),
            )
        view = context.view_of(code)
        assert view is not None
        # the place is already counted in ``taken``: judge the rest as if it were free
        situation = context.situation(view, seats, reserved=True)
        refusals = rules.refusals_to_add(view.offer, situation)
        if refusals:
            return ChoiceOutcome(code, False, tuple(refusals))
        _enrol(context, view.offer.uuid, source=Enrolment.Source.WAITLIST)
        entry.status = WaitlistEntry.Status.ENROLLED
        entry.save(update_fields=["status", "updated_at"])
        _journal("enrolment.waitlist.claim", acting_user, context, code)
        _reopen_if_validated(context)
        return ChoiceOutcome(code, True)

    return retrying(work)


def _reread(entry: WaitlistEntry) -> WaitlistEntry:
    """``entry`` as it stands once the caller holds the lock of its UE's places. Every change
    of a wait-list entry is made under that lock, but the student's context was read before
    it: meanwhile an expiry, a decline or an offer may have moved the entry, and acting on
    the stale state would hand out a place twice."""
    entry.refresh_from_db(fields=["status", "offered_until"])
    return entry


def _expire(entry: WaitlistEntry, seats: Seats, acting_user: Any, now: datetime) -> None:
    entry.status = WaitlistEntry.Status.EXPIRED
    entry.save(update_fields=["status", "updated_at"])
    seats.taken -= 1
    seats.save(update_fields=["taken"])
    campaign = entry.campaign
    audit.record(
        "enrolment.waitlist.expire",
        actor=acting_user,
        object_type="enrolment.waitlist",
        object_ref=str(entry.uuid),
        subject=entry.student.uuid,
    )
    fill_freed_places(campaign, seats, seats.offer.ue.code, acting_user, now)


def do_expire_offers(campaign_code: str, *, acting_user: Any, now: datetime | None = None) -> int:
    """Places offered and not claimed in time go to the next in line; returns how many."""
    moment = now or timezone.now()
    campaign = campaign_by_code(campaign_code)
    overdue = list(
        WaitlistEntry.objects.filter(
            campaign=campaign, status=WaitlistEntry.Status.OFFERED, offered_until__lt=moment
        ).values_list("pk", "offer_id")
    )
    expired = 0
    for entry_pk, offer_id in overdue:

        def work(entry_pk: int = entry_pk, offer_id: int = offer_id) -> bool:
            seats = Seats.objects.select_for_update().get(campaign=campaign, offer_id=offer_id)
            entry = WaitlistEntry.objects.select_related("student", "campaign").get(pk=entry_pk)
            if entry.status != WaitlistEntry.Status.OFFERED:
                return False
            _expire(entry, seats, acting_user, moment)
            return True

        expired += retrying(work)
    return expired


def fill_freed_places(
    campaign: Campaign, seats: Seats, ue_code: str, acting_user: Any, now: datetime
) -> None:
    """Give the free places of a UE to the wait-list, first eligible student first. The
    caller holds the lock on ``seats``. A student who cannot take the UE now (a clash, too
    many credits) keeps their place in line for the next one."""
    waiting = list(
        WaitlistEntry.objects.filter(
            campaign=campaign, offer_id=seats.offer_id, status=WaitlistEntry.Status.WAITING
        )
        .select_related("student")
        .order_by("id")
    )
    url = reverse("campaigns:campaign", args=[campaign.code])
    for entry in waiting:
        free = seats.free
        if free is not None and free <= 0:
            return
        if campaign.claim_hours:
            entry.status = WaitlistEntry.Status.OFFERED
            entry.offered_until = now + timedelta(hours=campaign.claim_hours)
            entry.save(update_fields=["status", "offered_until", "updated_at"])
            seats.taken += 1
            seats.save(update_fields=["taken"])
            _notify_offer(entry, ue_code, url)
            continue
        context = student_context(
            campaign.code,
            entry.student.uuid,
            now=now,
            lock=_lock_choice,
            campaign=campaign,
            only=ue_code,
        )
        view = context.view_of(ue_code)
        refusals = (
            rules.refusals_to_add(view.offer, context.situation(view, seats, promotion=True))
            if view
            else [Refusal(Cause.NOT_OFFERED, "", "")]
        )
        if refusals:
            reason = "; ".join(r.message_fr for r in refusals)[:250]
            if entry.note != reason:
                entry.note = reason
                entry.save(update_fields=["note", "updated_at"])
            continue
        assert view is not None
        _enrol(context, view.offer.uuid, source=Enrolment.Source.WAITLIST)
        entry.status = WaitlistEntry.Status.ENROLLED
        entry.note = ""
        entry.save(update_fields=["status", "note", "updated_at"])
        seats.taken += 1
        seats.save(update_fields=["taken"])
        audit.record(
            "enrolment.waitlist.promote",
            actor=acting_user,
            object_type="enrolment.campaign",
            object_ref=campaign.code,
            subject=entry.student.uuid,
            detail={"ue": ue_code},
        )
        notifications.notify(
            entry.student.uuid,
            title=f"Place obtenue en {ue_code}",
            title_en=f"You got a place in {ue_code}",
            body=f"Une place s'est libérée : vous êtes inscrit·e en {ue_code}.",
            body_en=f"A place became free: you are now enrolled in {ue_code}.",
            url=url,
        )


def _notify_offer(entry: WaitlistEntry, ue_code: str, url: str) -> None:
    until = timezone.localtime(entry.offered_until) if entry.offered_until else None
    when = until.strftime("%d/%m/%Y %H:%M") if until else ""
    notifications.notify(
        entry.student.uuid,
        title=f"Une place vous attend en {ue_code}",
        title_en=f"A place in {ue_code} is waiting for you",
        body=f"Acceptez-la avant le {when}, sinon elle passera au suivant sur la liste.",
        body_en=f"Accept it before {when}, or it goes to the next on the list.",
        url=url,
    )


# --- advising --------------------------------------------------------------------------------


def do_advise(
    campaign_code: str,
    student_uuid: uuid.UUID,
    *,
    kind: str,
    text: str,
    advisor_uuid: uuid.UUID,
    acting_user: Any,
) -> AdvisingNote:
    """An advisor comments on, validates, or reopens a student's semester."""
    if kind not in (AdvisingNote.Kind.COMMENT, AdvisingNote.Kind.VALIDATION, "reopen"):
        raise DomainError("kind", "Type d'avis inconnu.", "Unknown kind of note.")
    if kind == AdvisingNote.Kind.COMMENT and not text.strip():
        raise DomainError("text", "Le commentaire est vide.", "The comment is empty.")

    def work() -> AdvisingNote:
        context = student_context(campaign_code, student_uuid, lock=_lock_choice, only="")
        choice = context.choice
        assert choice is not None
        if kind == AdvisingNote.Kind.VALIDATION:
            choice.status = StudentChoice.Status.VALIDATED
            choice.validated_by_id = person_pk(advisor_uuid)
            choice.validated_at = timezone.now()
        elif kind == "reopen":
            choice.status = StudentChoice.Status.OPEN
            choice.validated_by = None
            choice.validated_at = None
        choice.save()
        note = AdvisingNote.objects.create(
            campaign=context.campaign,
            student_id=context.student_pk,
            author_id=person_pk(advisor_uuid),
            kind=kind,
            text=text.strip(),
        )
        _journal(f"enrolment.advise.{kind}", acting_user, context, "")
        return note

    return retrying(work)


def do_override(
    campaign_code: str,
    student_uuid: uuid.UUID,
    ue_code: str,
    *,
    reason: str,
    advisor_uuid: uuid.UUID,
    acting_user: Any,
) -> ChoiceOutcome:
    """An advisor enrols a student despite refusals (a clash they will catch up on, a
    prerequisite judged equivalent…), with the reason on record. Capacity is never
    overridden."""
    code = ue_code.strip().upper()
    if not reason.strip():
        raise DomainError(
            "reason", "Le motif de la dérogation est obligatoire.", "The reason is required."
        )

    def work() -> ChoiceOutcome:
        context = student_context(campaign_code, student_uuid, lock=_lock_choice, any_ue=True)
        view = context.view_of(code)
        if view is None:
            raise DomainError(
                "ue",
                f"{code} n'a pas d'offre publiée ce semestre.",
                f"{code} has no published offer this semester.",
            )
        seats = _lock_seats(context.campaign, view.offer.uuid)
        refusals = _refusals(context, code, seats)
        if not rules.overridable(refusals):
            return ChoiceOutcome(code, False, tuple(refusals))
        _enrol(context, view.offer.uuid, source=Enrolment.Source.ADVISOR, reason=reason.strip())
        seats.taken += 1
        seats.save(update_fields=["taken"])
        _close_entry(context, code, WaitlistEntry.Status.ENROLLED)
        AdvisingNote.objects.create(
            campaign=context.campaign,
            student_id=context.student_pk,
            author_id=person_pk(advisor_uuid),
            kind=AdvisingNote.Kind.OVERRIDE,
            text=reason.strip(),
            ue_code=code,
        )
        _journal(
            "enrolment.override",
            acting_user,
            context,
            code,
            {"refusals": [r.as_dict() for r in refusals], "reason": reason.strip()},
        )
        return ChoiceOutcome(code, True, tuple(refusals))

    return retrying(work)


# --- setting up ------------------------------------------------------------------------------


@transaction.atomic
def do_prepare_seats(campaign_code: str, *, acting_user: Any) -> int:
    """Create the seat rows of every published offer of the campaign's semester (capacity of
    the offer, else what its groups hold); returns how many were created."""
    campaign = campaign_by_code(campaign_code)
    offers = catalogue.published_offers_of_semester(campaign.year, campaign.semester)
    groups = timetable.group_capacity([u for u, _c in offers], campaign.semester)
    existing = set(Seats.objects.filter(campaign=campaign).values_list("offer_id", flat=True))
    rows = []
    for offer_uuid, capacity in offers:
        pk = offer_pk(offer_uuid)
        if pk in existing:
            continue
        rows.append(
            Seats(
                campaign=campaign,
                offer_id=pk,
                capacity=capacity if capacity is not None else groups.get(offer_uuid),
            )
        )
    Seats.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    audit.record(
        "enrolment.campaign.prepare_seats",
        actor=acting_user,
        object_type="enrolment.campaign",
        object_ref=campaign.code,
        detail={"created": len(rows)},
    )
    return len(rows)


def _journal(
    action: str,
    acting_user: Any,
    context: StudentContext,
    ue_code: str,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        action,
        actor=acting_user,
        object_type="enrolment.campaign",
        object_ref=context.campaign.code,
        subject=context.student_uuid,
        detail={"ue": ue_code, **(detail or {})},
    )


__all__ = [
    "ChoiceOutcome",
    "SemesterView",
    "do_advise",
    "do_choose_ue",
    "do_claim_place",
    "do_drop_ue",
    "do_expire_offers",
    "do_join_waitlist",
    "do_leave_waitlist",
    "do_override",
    "do_prepare_seats",
    "fill_freed_places",
    "retrying",
    "waitlist_position",
]
