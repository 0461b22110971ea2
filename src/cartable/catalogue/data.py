"""Values exchanged through :mod:`cartable.catalogue.api` (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class OfferSummary:
    uuid: UUID
    ue_code: str
    year: int
    version: int
    status: str
    title: str
    title_en: str
    credits: Decimal
    semesters: str
    campus_code: str
    language: str


@dataclass(frozen=True)
class SoftwareRequirement:
    """Software an offer needs and how a student gets it (for the digital schoolbag)."""

    ue_code: str
    software_code: str
    software_name: str
    licence: str
    mode: str
    mode_label: str
    note: str


@dataclass(frozen=True)
class EnrolmentOffer:
    """A published offer as the enrolment campaign needs it, for one programme (the category
    is the one it counts in for that programme, empty outside it)."""

    uuid: UUID
    ue_code: str
    title: str
    title_en: str
    credits: Decimal
    semesters: str
    category: str
    capacity: int | None
    campus_code: str
    required_ues: tuple[str, ...]


@dataclass(frozen=True)
class TeamMember:
    """A member of an offer's teaching team (the responsible counts as one, activity ``cm``
    when not otherwise in the team), as the timetable offers them as group teachers."""

    person_uuid: UUID
    login: str
    display_name: str
    activity: str


@dataclass(frozen=True)
class TimetableOffer:
    """A published offer as the weekly template needs it: hours and groups per activity,
    capacity, campus, room needs and the programmes it counts for."""

    uuid: UUID
    ue_code: str
    year: int
    title: str
    title_en: str
    semesters: str
    campus_code: str
    capacity: int | None
    hours_cm: Decimal
    hours_td: Decimal
    hours_tp: Decimal
    groups_cm: int
    groups_td: int
    groups_tp: int
    room_needs: str
    programmes: tuple[str, ...]


@dataclass(frozen=True)
class OfferCompetency:
    """A competency an offer develops, up to a level of its framework's scale."""

    competency_uuid: UUID
    code: str
    title: str
    title_en: str
    block_code: str
    block_title: str
    framework_uuid: UUID
    target_rank: int
    weight: Decimal


@dataclass(frozen=True)
class OfferStanding:
    """How a person stands towards an offer they may see."""

    responsible: bool
    team_member: bool
    programme_head: bool
    scolarite: bool
