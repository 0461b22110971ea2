"""What other modules may ask of the catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Prefetch, Q

from cartable.core.calendar import academic_year
from cartable.core.permissions import Role
from cartable.referential import api as referential

from .data import (
    EnrolmentOffer,
    OfferCompetency,
    OfferStanding,
    OfferSummary,
    SoftwareRequirement,
    TeamMember,
    TimetableOffer,
)
from .models import (
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


def current_year() -> int:
    return academic_year(referential.today())


def resolve_ue_code(code: str) -> str | None:
    """The stable code of a UE given its code or any past code (alias); None when unknown."""
    code = code.strip().upper()
    if UE.objects.filter(code=code).exists():
        return code
    return UEAlias.objects.filter(code=code).values_list("ue__code", flat=True).first()


def _summary(offer: Offer) -> OfferSummary:
    return OfferSummary(
        uuid=offer.uuid,
        ue_code=offer.ue.code,
        year=offer.year,
        version=offer.version,
        status=offer.status,
        title=offer.title,
        title_en=offer.title_en,
        credits=offer.credits,
        semesters=offer.semesters,
        campus_code=offer.campus.code if offer.campus else "",
        language=offer.language,
    )


def published_offer(ue_code: str, year: int | None = None) -> OfferSummary | None:
    """The published offer of a UE (any of its codes) for a catalogue year."""
    stable = resolve_ue_code(ue_code)
    if stable is None:
        return None
    offer = (
        Offer.objects.published()
        .filter(ue__code=stable, year=year or current_year())
        .select_related("ue", "campus")
        .first()
    )
    return _summary(offer) if offer else None


def offers_in_charge(person_uuid: uuid.UUID, year: int | None = None) -> list[OfferSummary]:
    """Offers a person is responsible for or teaches in, for a year (current by default)."""
    year = year or current_year()
    offers = (
        Offer.objects.filter(year=year)
        .exclude(status=Offer.Status.ARCHIVED)
        .filter(Q(responsible__uuid=person_uuid) | Q(team__person__uuid=person_uuid))
        .select_related("ue", "campus")
        .distinct()
        .order_by("ue__code", "-version")
    )
    return [_summary(o) for o in offers]


def software_requirements(
    ue_codes: list[str], year: int | None = None
) -> list[SoftwareRequirement]:
    """Software that published offers of these UEs need, for the digital schoolbag."""
    needs = (
        SoftwareNeed.objects.filter(
            offer__status=Offer.Status.PUBLISHED,
            offer__year=year or current_year(),
            offer__ue__code__in=ue_codes,
        )
        .select_related("offer__ue", "software")
        .order_by("software__name", "offer__ue__code")
    )
    return [
        SoftwareRequirement(
            ue_code=n.offer.ue.code,
            software_code=n.software.code,
            software_name=n.software.name,
            licence=n.software.licence,
            mode=n.mode,
            mode_label=str(n.get_mode_display()),
            note=n.note,
        )
        for n in needs
    ]


def roles_for_user(user: Any) -> set[Role]:
    """Responsibilities in the catalogue, for people with a contract in force: the responsible
    of an offer of the current or next year coordinates a UE; a programme's head heads it."""
    person_uuid = referential.person_uuid_for_user(user)
    if person_uuid is None or not referential.is_person_active(person_uuid):
        return set()
    year = current_year()
    roles: set[Role] = set()
    if (
        Offer.objects.filter(responsible__uuid=person_uuid, year__gte=year)
        .exclude(status=Offer.Status.ARCHIVED)
        .exists()
    ):
        roles.add(Role.UE_COORDINATOR)
    if Programme.objects.filter(head__uuid=person_uuid, year__gte=year).exists():
        roles.add(Role.PROGRAMME_HEAD)
    return roles


def offer_for_staff(user: Any, offer_uuid: uuid.UUID) -> OfferSummary | None:
    """The offer if ``user`` may see its Tableau de bord UE (responsible, team, heads of its
    programmes, scolarité); ``None`` when it does not exist or is not visible to them."""
    from .actions import standing

    offer = (
        Offer.objects.select_related("ue", "campus", "responsible").filter(uuid=offer_uuid).first()
    )
    if offer is None or user is None or not standing(offer, user).visible:
        return None
    return _summary(offer)


def published_offers_by_programme(
    year: int | None = None,
) -> dict[str, list[tuple[uuid.UUID, int | None]]]:
    """For each programme code, its published offers of a year: (offer uuid, capacity)."""
    links = (
        OfferProgramme.objects.filter(
            programme__year=year or current_year(), offer__status=Offer.Status.PUBLISHED
        )
        .order_by("programme__code", "offer__ue__code")
        .values_list("programme__code", "offer__uuid", "offer__capacity")
    )
    result: dict[str, list[tuple[uuid.UUID, int | None]]] = {}
    for programme, offer_uuid, capacity in links:
        result.setdefault(programme, []).append((offer_uuid, capacity))
    return result


def _semester_matches(semester: str) -> Q:
    return Q(semesters=semester) | Q(semesters=Offer.Semester.BOTH)


def _enrolment_offers(offers: Any, programme: str) -> list[EnrolmentOffer]:
    """These offers as enrolment reads them, each with its category in ``programme`` of its
    own catalogue year: three queries of plain values (they run at every click of a
    campaign)."""
    rows = list(
        offers.order_by("ue__code", "year").values_list(
            "pk",
            "uuid",
            "ue__code",
            "title",
            "title_en",
            "credits",
            "semesters",
            "capacity",
            "campus__code",
        )
    )
    pks = [row[0] for row in rows]
    categories = dict(
        OfferProgramme.objects.filter(
            offer__in=pks, programme__code=programme, programme__year=F("offer__year")
        ).values_list("offer_id", "category__code")
    )
    required: dict[int, set[str]] = {}
    for offer_id, code in Prerequisite.objects.filter(
        offer__in=pks, required_ue__isnull=False
    ).values_list("offer_id", "required_ue__code"):
        required.setdefault(offer_id, set()).add(code)
    return [
        EnrolmentOffer(
            uuid=offer_uuid,
            ue_code=ue_code,
            title=title,
            title_en=title_en,
            credits=credits,
            semesters=semesters,
            category=categories.get(pk) or "",
            capacity=capacity,
            campus_code=campus_code or "",
            required_ues=tuple(sorted(required.get(pk, ()))),
        )
        for pk, offer_uuid, ue_code, title, title_en, credits, semesters, capacity, campus_code in (
            rows
        )
    ]


def offers_for_enrolment(
    programme: str, year: int, semester: str, *, ue_codes: Iterable[str] | None = None
) -> list[EnrolmentOffer]:
    """Published offers of a programme given in a semester of a catalogue year (only those
    of ``ue_codes`` when given)."""
    offers = Offer.objects.published().filter(
        _semester_matches(semester),
        year=year,
        programme_links__programme__code=programme,
        programme_links__programme__year=year,
    )
    if ue_codes is not None:
        offers = offers.filter(ue__code__in=list(ue_codes))
    return _enrolment_offers(offers, programme)


def enrolment_offers(offer_uuids: list[uuid.UUID], programme: str) -> list[EnrolmentOffer]:
    """These offers as enrolment needs them, with their category in ``programme``."""
    return _enrolment_offers(Offer.objects.filter(uuid__in=offer_uuids), programme)


def published_offers_of_semester(year: int, semester: str) -> list[tuple[uuid.UUID, int | None]]:
    """Every published offer given in a semester: (uuid, capacity)."""
    return list(
        Offer.objects.published()
        .filter(_semester_matches(semester), year=year)
        .order_by("ue__code")
        .values_list("uuid", "capacity")
    )


def _timetable_offer(offer: Offer) -> TimetableOffer:
    return TimetableOffer(
        uuid=offer.uuid,
        ue_code=offer.ue.code,
        year=offer.year,
        title=offer.title,
        title_en=offer.title_en,
        semesters=offer.semesters,
        campus_code=offer.campus.code if offer.campus else "",
        capacity=offer.capacity,
        hours_cm=offer.hours_cm,
        hours_td=offer.hours_td,
        hours_tp=offer.hours_tp,
        groups_cm=offer.groups_cm,
        groups_td=offer.groups_td,
        groups_tp=offer.groups_tp,
        room_needs=offer.room_needs,
        programmes=tuple(link.programme.code for link in offer.programme_links.all()),
    )


def timetable_offers(
    year: int, semester: str | None = None, ue_codes: list[str] | None = None
) -> list[TimetableOffer]:
    """Published offers of a catalogue year (given in ``semester`` when one is named, of these
    stable UE codes when given), by UE code, as the weekly template needs them (two queries)."""
    offers = Offer.objects.published().filter(year=year)
    if semester:
        offers = offers.filter(_semester_matches(semester))
    if ue_codes is not None:
        offers = offers.filter(ue__code__in=ue_codes)
    links = OfferProgramme.objects.select_related("programme").order_by("programme__code")
    rows = (
        offers.select_related("ue", "campus")
        .prefetch_related(Prefetch("programme_links", queryset=links))
        .order_by("ue__code")
    )
    return [_timetable_offer(o) for o in rows]


def timetable_offer(ue_code: str, year: int) -> TimetableOffer | None:
    """The published offer of a UE (any of its codes) for a year, for the weekly template."""
    stable = resolve_ue_code(ue_code)
    if stable is None:
        return None
    found = timetable_offers(year, ue_codes=[stable])
    return found[0] if found else None


_NAME_FIELDS: tuple[str, ...] = (
    "uuid",
    "login",
    "usage_first_name",
    "civil_first_name",
    "usage_last_name",
    "civil_last_name",
)


def _member(row: tuple[Any, ...], activity: str) -> TeamMember:
    person_uuid, login, usage_first, civil_first, usage_last, civil_last = row
    # the display name of the referential: usage names first, the last name in capitals
    name = f"{usage_first or civil_first} {(usage_last or civil_last).upper()}"
    return TeamMember(
        person_uuid=person_uuid, login=login or "", display_name=name, activity=activity
    )


def teaching_teams(offer_uuids: list[uuid.UUID]) -> dict[uuid.UUID, list[TeamMember]]:
    """The teaching team of each offer, its responsible included, by name (two queries)."""
    teams: dict[uuid.UUID, dict[uuid.UUID, TeamMember]] = {u: {} for u in offer_uuids}
    assignments = (
        TeachingAssignment.objects.filter(offer__uuid__in=offer_uuids)
        .order_by("activity")
        .values_list("offer__uuid", "activity", *(f"person__{f}" for f in _NAME_FIELDS))
    )
    responsibles = Offer.objects.filter(
        uuid__in=offer_uuids, responsible__isnull=False
    ).values_list("uuid", *(f"responsible__{f}" for f in _NAME_FIELDS))
    people = [(row[0], _member(row[2:], row[1])) for row in assignments]
    people += [(row[0], _member(row[1:], "cm")) for row in responsibles]
    for offer_uuid, member in people:
        teams[offer_uuid].setdefault(member.person_uuid, member)
    return {
        offer_uuid: sorted(members.values(), key=lambda m: (m.display_name, m.login))
        for offer_uuid, members in teams.items()
    }


def programmes_headed_by(person_uuid: uuid.UUID, year: int) -> frozenset[str]:
    """Codes of the programmes of a catalogue year that a person heads."""
    return frozenset(
        Programme.objects.filter(head__uuid=person_uuid, year=year).values_list("code", flat=True)
    )


def programmes_of_year(year: int) -> list[tuple[str, str, str]]:
    """The programmes of a catalogue year, by code: (code, French title, English title)."""
    return list(
        Programme.objects.filter(year=year)
        .order_by("code")
        .values_list("code", "title", "title_en")
    )


def category_codes() -> frozenset[str]:
    """The codes of the UE categories (``CS``, ``TM``…), in capitals."""
    from .models import Category

    return frozenset(code.upper() for code in Category.objects.values_list("code", flat=True))


def offer_standing(user: Any, offer_uuid: uuid.UUID) -> OfferStanding | None:
    """How ``user`` stands towards the offer; None when the offer does not exist or is not
    visible to them (its responsible, team, programme heads and the scolarité see it)."""
    from .actions import standing

    offer = Offer.objects.select_related("responsible").filter(uuid=offer_uuid).first()
    if offer is None or user is None:
        return None
    found = standing(offer, user)
    if not found.visible:
        return None
    return OfferStanding(
        responsible=found.responsible,
        team_member=found.team_member,
        programme_head=found.programme_head,
        scolarite=found.scolarite,
    )


def offer_competencies(offer_uuids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[OfferCompetency]]:
    """The competencies each offer develops, block by block (one query)."""
    wanted = list(offer_uuids)
    result: dict[uuid.UUID, list[OfferCompetency]] = {u: [] for u in wanted}
    rows = (
        CompetencyContribution.objects.filter(offer__uuid__in=wanted)
        .order_by(
            "competency__block__position",
            "competency__block__code",
            "competency__position",
            "competency__code",
        )
        .values_list(
            "offer__uuid",
            "competency__uuid",
            "competency__code",
            "competency__title",
            "competency__title_en",
            "competency__block__code",
            "competency__block__title",
            "competency__block__framework__uuid",
            "level__rank",
            "weight",
        )
    )
    for offer, key, code, title, title_en, block, block_title, framework, rank, weight in rows:
        result[offer].append(
            OfferCompetency(
                competency_uuid=key,
                code=code,
                title=title,
                title_en=title_en,
                block_code=block,
                block_title=block_title,
                framework_uuid=framework,
                target_rank=rank,
                weight=weight,
            )
        )
    return result


def programme_offers(
    programme: str, year: int, *, ue_codes: Iterable[str] | None = None
) -> list[EnrolmentOffer]:
    """Published offers of a programme in a catalogue year, both semesters (only those of
    ``ue_codes`` when given), with the category they count in for it."""
    offers = Offer.objects.published().filter(
        year=year,
        programme_links__programme__code=programme,
        programme_links__programme__year=year,
    )
    if ue_codes is not None:
        offers = offers.filter(ue__code__in=[c.upper() for c in ue_codes])
    return _enrolment_offers(offers, programme)


def offers_developing(
    competency_uuids: Iterable[uuid.UUID], year: int
) -> dict[uuid.UUID, list[tuple[str, str]]]:
    """For each competency, the published offers of a year that develop it: (UE code, title)."""
    rows = (
        CompetencyContribution.objects.filter(
            competency__uuid__in=list(competency_uuids),
            offer__year=year,
            offer__status=Offer.Status.PUBLISHED,
        )
        .order_by("offer__ue__code")
        .values_list("competency__uuid", "offer__ue__code", "offer__title")
    )
    result: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for competency, code, title in rows:
        result.setdefault(competency, []).append((code, title))
    return result


def programme_diplomas(year: int) -> dict[str, tuple[str, str]]:
    """For each programme of a catalogue year: (diploma code, diploma kind)."""
    return {
        code: (diploma, kind)
        for code, diploma, kind in Programme.objects.filter(year=year).values_list(
            "code", "diploma__code", "diploma__kind"
        )
    }
