"""Reading a student's situation in a campaign: what is open to them, what they chose, what
they passed, their programme's rules, their wait-lists, and one valid personal timetable."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import EnrolmentOffer
from cartable.core.errors import DomainError
from cartable.core.text import fold
from cartable.referential import api as referential
from cartable.timetable import api as timetable
from cartable.timetable.data import Compatibility, TimetableLine, UEWeek

from . import rules
from .models import (
    Campaign,
    Enrolment,
    ProgrammeRule,
    Seats,
    StudentChoice,
    WaitlistEntry,
)


def _related(model: type[Any], name: str) -> Any:
    return model._meta.get_field(name).related_model


def campaign_by_code(code: str) -> Campaign:
    campaign = Campaign.objects.filter(code=code).first()
    if campaign is None:
        raise DomainError("campaign", f"Campagne inconnue : {code}.", f"Unknown campaign: {code}.")
    return campaign


def offer_pk(offer_uuid: uuid.UUID) -> int:
    pk: int = _related(Enrolment, "offer").objects.values_list("pk", flat=True).get(uuid=offer_uuid)
    return pk


def person_pk(person_uuid: uuid.UUID) -> int:
    pk: int = (
        _related(Enrolment, "student").objects.values_list("pk", flat=True).get(uuid=person_uuid)
    )
    return pk


def seat_capacity(offer_uuid: uuid.UUID, semester: str) -> int | None:
    """The places of an offer: its capacity in the catalogue, else what its groups hold,
    else no limit."""
    capacity = (
        _related(Enrolment, "offer").objects.values_list("capacity", flat=True).get(uuid=offer_uuid)
    )
    if capacity is not None:
        return int(capacity)
    return timetable.group_capacity([offer_uuid], semester).get(offer_uuid)


def programme_of(contract: Any) -> str:
    """The catalogue programme of a registration (apprentices follow the FISA programme)."""
    if contract.population_code == "apprentice" and contract.programme:
        return f"FISA-{contract.programme}"
    return str(contract.programme)


def registration_for(campaign: Campaign, student_uuid: uuid.UUID, day: Any = None) -> Any:
    for contract in referential.contracts_in_force(student_uuid, day):
        if contract.kind == "registration" and contract.population_code == campaign.population:
            return contract
    return None


def rules_of(rule: ProgrammeRule) -> rules.SemesterRules:
    """A programme rule as the rules read it (its mandatory UEs and categories prefetched)."""
    return rules.SemesterRules(
        min_credits=rule.min_credits,
        max_credits=rule.max_credits,
        max_ues=rule.max_ues,
        mandatory=tuple(sorted(m.ue_code for m in rule.mandatory.all())),
        categories=tuple(
            rules.CategoryLimit(c.codes, c.min_credits, c.max_credits)
            for c in rule.categories.all()
        ),
    )


def semester_rules(campaign: Campaign, programme: str) -> rules.SemesterRules | None:
    rule = (
        ProgrammeRule.objects.filter(campaign=campaign, programme=programme)
        .prefetch_related("mandatory", "categories")
        .first()
    )
    return rules_of(rule) if rule else None


@dataclass(frozen=True)
class OfferView:
    offer: EnrolmentOffer
    chosen: bool = False


@dataclass
class StudentContext:
    campaign: Campaign
    student_uuid: uuid.UUID
    student_pk: int
    programme: str
    now: datetime
    phase: str
    choice: StudentChoice | None
    offered: dict[str, EnrolmentOffer]
    chosen: list[EnrolmentOffer]
    passed: frozenset[str]
    programme_rules: rules.SemesterRules | None
    entries: dict[str, WaitlistEntry] = field(default_factory=dict)
    extra: dict[str, EnrolmentOffer] = field(default_factory=dict)
    #: UEs of the campaign's year the student is enrolled in outside this campaign
    elsewhere: frozenset[str] = frozenset()

    def view_of(self, code: str) -> OfferView | None:
        for offer in self.chosen:
            if offer.ue_code == code:
                return OfferView(offer, chosen=True)
        found = self.offered.get(code) or self.extra.get(code)
        return OfferView(found) if found else None

    def chosen_view(self, code: str) -> OfferView | None:
        view = self.view_of(code)
        return view if view and view.chosen else None

    def live_entry(self, code: str) -> WaitlistEntry | None:
        return self.entries.get(code)

    def compatibility(self, extra: EnrolmentOffer | None = None) -> Compatibility:
        offers = list(self.chosen) + ([extra] if extra else [])
        weeks = timetable.ue_weeks([o.uuid for o in offers], self.campaign.semester)
        ues: list[UEWeek] = [weeks[o.uuid] for o in offers]
        keep = [extra.ue_code] if extra else []
        return timetable.check_compatibility(ues, keep=keep)

    def situation(
        self,
        view: OfferView,
        seats: Seats | None,
        *,
        reserved: bool = False,
        promotion: bool = False,
    ) -> rules.Situation:
        """What the rules look at to add ``view``'s UE. ``reserved``: the student claims a
        place kept for them; ``promotion``: the wait-list gives them a freed place (the
        campaign's phase and their own wait-list entry do not stand in the way)."""
        free = seats.free if seats else None
        if reserved and free is not None:
            free += 1
        code = view.offer.ue_code
        return rules.Situation(
            phase=Campaign.Phase.CHOICE if (reserved or promotion) else self.phase,
            chosen=tuple(self.chosen),
            passed=self.passed,
            rules=self.programme_rules,
            offered=code in self.offered,
            free_seats=free,
            waiting=code in self.entries and not (reserved or promotion),
            enrolled_elsewhere=code in self.elsewhere,
            compatibility=None if view.chosen else self.compatibility(view.offer),
        )


def student_context(
    campaign_code: str,
    student_uuid: uuid.UUID,
    *,
    now: datetime | None = None,
    lock: Callable[[Campaign, int, str], StudentChoice] | None = None,
    campaign: Campaign | None = None,
    any_ue: bool = False,
    only: str | None = None,
) -> StudentContext:
    """A student's situation in a campaign, read after ``lock`` (when given) has locked their
    choice row. ``any_ue``: also resolve UEs outside their programme (for an advisor).
    ``only``: the actions about one UE read only that UE among those open to the student
    (``offered`` then holds it alone, if it is open to them)."""
    campaign = campaign or campaign_by_code(campaign_code)
    moment = now or timezone.now()
    registration = registration_for(campaign, student_uuid, timezone.localdate(moment))
    if registration is None:
        raise DomainError(
            "student",
            "Cette campagne ne concerne pas cet·te étudiant·e (pas d'inscription en cours "
            "dans sa population).",
            "This campaign does not concern this student (no current registration in its "
            "population).",
        )
    programme = programme_of(registration)
    student_pk = person_pk(student_uuid)
    if lock is not None:
        choice: StudentChoice | None = lock(campaign, student_pk, programme)
    else:
        choice = StudentChoice.objects.filter(campaign=campaign, student_id=student_pk).first()
    offered = {
        o.ue_code: o
        for o in catalogue.offers_for_enrolment(
            programme,
            campaign.year,
            campaign.semester,
            ue_codes=None if only is None else [only],
        )
    }
    chosen_uuids = list(
        Enrolment.objects.filter(
            student_id=student_pk, campaign=campaign, status=Enrolment.Status.ACCEPTED
        ).values_list("offer__uuid", flat=True)
    )
    chosen = catalogue.enrolment_offers(chosen_uuids, programme) if chosen_uuids else []
    passed_codes: set[str] = set()
    elsewhere_codes: set[str] = set()
    for code, year, grade, published_at, status, in_campaign in Enrolment.objects.filter(
        student_id=student_pk
    ).values_list(
        "offer__ue__code", "offer__year", "grade", "grade_published_at", "status", "campaign_id"
    ):
        if grade in rules.PASSING_GRADES and published_at is not None:
            passed_codes.add(code)
        if (
            status == Enrolment.Status.ACCEPTED
            and year == campaign.year
            and in_campaign != campaign.pk
        ):
            elsewhere_codes.add(code)
    passed = frozenset(passed_codes)
    entries = {
        e.offer.ue.code: e
        for e in WaitlistEntry.objects.filter(
            campaign=campaign,
            student_id=student_pk,
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
        ).select_related("offer__ue", "student", "campaign")
    }
    extra: dict[str, EnrolmentOffer] = {}
    if any_ue:
        others = [
            u
            for u, _capacity in catalogue.published_offers_of_semester(
                campaign.year, campaign.semester
            )
        ]
        extra = {o.ue_code: o for o in catalogue.enrolment_offers(others, programme)}
    return StudentContext(
        campaign=campaign,
        student_uuid=student_uuid,
        student_pk=student_pk,
        programme=programme,
        now=moment,
        phase=campaign.phase(moment),
        choice=choice,
        offered=offered,
        chosen=chosen,
        passed=passed,
        elsewhere=frozenset(elsewhere_codes),
        programme_rules=semester_rules(campaign, programme),
        entries=entries,
        extra=extra,
    )


@dataclass(frozen=True)
class OpenUE:
    """A UE open to the student, as the choice screen lists it."""

    offer: EnrolmentOffer
    chosen: bool
    free_seats: int | None
    waiting_position: int | None
    offered_until: datetime | None


@dataclass(frozen=True)
class SemesterView:
    """The whole choice screen of a student."""

    campaign: Campaign
    phase: str
    programme: str
    chosen: tuple[EnrolmentOffer, ...]
    credits: Decimal
    open_ues: tuple[OpenUE, ...]
    findings: tuple[rules.Finding, ...]
    compatibility: Compatibility
    status: str
    validated_at: datetime | None


def semester_view(campaign_code: str, student_uuid: uuid.UUID) -> SemesterView:
    context = student_context(campaign_code, student_uuid)
    places = {
        offer: (capacity, taken)
        for offer, capacity, taken in Seats.objects.filter(campaign=context.campaign).values_list(
            "offer__uuid", "capacity", "taken"
        )
    }
    positions = {
        line.ue_code: line.position for line in waitlists_of(context.campaign, student_uuid)
    }
    chosen_codes = {o.ue_code for o in context.chosen}
    open_ues = []
    for code in sorted(set(context.offered) | chosen_codes):
        offer = context.offered.get(code) or next(o for o in context.chosen if o.ue_code == code)
        capacity, taken = places.get(offer.uuid, (offer.capacity, 0))
        free = None if capacity is None else max(capacity - taken, 0)
        entry = context.entries.get(code)
        open_ues.append(
            OpenUE(
                offer=offer,
                chosen=code in chosen_codes,
                free_seats=free,
                waiting_position=positions.get(code),
                offered_until=entry.offered_until
                if entry and entry.status == WaitlistEntry.Status.OFFERED
                else None,
            )
        )
    choice = context.choice
    return SemesterView(
        campaign=context.campaign,
        phase=context.phase,
        programme=context.programme,
        chosen=tuple(context.chosen),
        credits=rules.credits_of(context.chosen),
        open_ues=tuple(open_ues),
        findings=tuple(rules.findings(context.chosen, context.programme_rules)),
        compatibility=context.compatibility(),
        status=choice.status if choice else StudentChoice.Status.OPEN,
        validated_at=choice.validated_at if choice else None,
    )


# --- screens: the student's campaigns, wait-lists and personal timetable ---------------------

LIVE = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)


@dataclass(frozen=True)
class CampaignLine:
    """A campaign as the list of a student's campaigns shows it."""

    code: str
    title: str
    title_en: str
    year: int
    semester: str
    phase: str
    opens_at: datetime
    advising_from: datetime
    closes_at: datetime
    status: str  # the student's semester: open, validated, or "" when never started
    chosen: int


def campaigns_of_student(
    student_uuid: uuid.UUID, *, now: datetime | None = None
) -> list[CampaignLine]:
    """The campaigns of the populations the student is registered in today, current and past,
    the most recent first."""
    moment = now or timezone.now()
    contracts = referential.contracts_in_force(student_uuid, timezone.localdate(moment))
    populations = {c.population_code for c in contracts if c.kind == "registration"}
    if not populations:
        return []
    campaigns = list(Campaign.objects.filter(population__in=populations).order_by("-opens_at"))
    statuses = dict(
        StudentChoice.objects.filter(
            student__uuid=student_uuid, campaign__in=campaigns
        ).values_list("campaign_id", "status")
    )
    counts = dict(
        Enrolment.objects.filter(
            student__uuid=student_uuid, campaign__in=campaigns, status=Enrolment.Status.ACCEPTED
        )
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
    )
    return [
        CampaignLine(
            code=c.code,
            title=c.title,
            title_en=c.title_en,
            year=c.year,
            semester=c.semester,
            phase=c.phase(moment),
            opens_at=c.opens_at,
            advising_from=c.advising_from,
            closes_at=c.closes_at,
            status=statuses.get(c.pk, ""),
            chosen=counts.get(c.pk, 0),
        )
        for c in campaigns
    ]


def concerns(campaign: Campaign, student_uuid: uuid.UUID, *, now: datetime | None = None) -> bool:
    """Whether the student has a registration in force in the campaign's population."""
    day = timezone.localdate(now or timezone.now())
    return registration_for(campaign, student_uuid, day) is not None


@dataclass(frozen=True)
class WaitlistLine:
    """One of a student's live wait-list entries, with their position (1: first in line)."""

    ue_code: str
    title: str
    title_en: str
    status: str
    position: int
    offered_until: datetime | None
    note: str


def waitlists_of(campaign: Campaign, student_uuid: uuid.UUID) -> list[WaitlistLine]:
    """The student's live wait-list entries in a campaign, positions counted as
    :func:`cartable.enrolment.actions.waitlist_position` counts them (one query)."""
    ahead = (
        WaitlistEntry.objects.filter(
            campaign_id=OuterRef("campaign_id"),
            offer_id=OuterRef("offer_id"),
            status__in=LIVE,
            id__lte=OuterRef("id"),
        )
        .values("offer_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    entries = (
        WaitlistEntry.objects.filter(campaign=campaign, student__uuid=student_uuid, status__in=LIVE)
        .select_related("offer__ue")
        .annotate(position=Subquery(ahead))
        .order_by("offer__ue__code")
    )
    return [
        WaitlistLine(
            ue_code=e.offer.ue.code,
            title=e.offer.title,
            title_en=e.offer.title_en,
            status=e.status,
            position=int(e.position or 0),
            offered_until=e.offered_until if e.status == WaitlistEntry.Status.OFFERED else None,
            note=e.note,
        )
        for e in entries
    ]


def filter_open_ues(
    ues: Iterable[OpenUE], *, text: str = "", category: str = "", free_only: bool = False
) -> list[OpenUE]:
    """The UEs open to a student that are not chosen yet and match a search: every word of
    ``text`` in the code or a title (accents and case ignored), a category, free places."""
    words = fold(text).split()
    found = []
    for ue in ues:
        offer = ue.offer
        if ue.chosen:
            continue
        haystack = fold(f"{offer.ue_code} {offer.title} {offer.title_en}")
        if any(word not in haystack for word in words):
            continue
        if category and offer.category.upper() != category.upper():
            continue
        if free_only and ue.free_seats is not None and ue.free_seats <= 0:
            continue
        found.append(ue)
    return found


@dataclass(frozen=True)
class TimetableDay:
    day: int  # 0 = Monday
    lines: tuple[TimetableLine, ...]


@dataclass(frozen=True)
class PersonalTimetable:
    """One valid personal timetable for the chosen UEs, by day; the chosen UEs whose weekly
    template is not published yet; or, when no choice of groups works, the UEs that clash."""

    compatible: bool
    days: tuple[TimetableDay, ...]
    unpublished: tuple[str, ...]
    clashing: tuple[str, ...]


def personal_timetable(view: SemesterView) -> PersonalTimetable:
    compatibility = view.compatibility
    placements = compatibility.placements
    keys = [p.group.key for p in placements]
    lines = (
        timetable.timetable_lines(keys, view.campaign.year, view.campaign.semester) if keys else []
    )
    by_day: dict[int, list[TimetableLine]] = {}
    for line in lines:
        by_day.setdefault(line.day, []).append(line)
    placed = {p.ue_code for p in placements}
    return PersonalTimetable(
        compatible=compatibility.compatible,
        days=tuple(TimetableDay(day, tuple(by_day[day])) for day in sorted(by_day)),
        unpublished=tuple(o.ue_code for o in view.chosen if o.ue_code not in placed)
        if compatibility.compatible
        else (),
        clashing=tuple(compatibility.clashing),
    )
