"""Reading the campaign as an advisor sees it: the students of their scope with their semester
against their programme's rules, and the history of the notes on one student's semester."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import EnrolmentOffer
from cartable.core.models import AuditEntry
from cartable.core.text import fold
from cartable.referential import api as referential

from . import rules
from .models import AdvisingNote, Campaign, Enrolment, ProgrammeRule, StudentChoice, WaitlistEntry
from .queries import LIVE, programme_of, rules_of


def programmes_headed_by(person_uuid: uuid.UUID, year: int) -> frozenset[str]:
    """Codes of the catalogue programmes of a year that a person heads."""
    return catalogue.programmes_headed_by(person_uuid, year)


def all_semester_rules(campaign: Campaign) -> dict[str, rules.SemesterRules]:
    """The rules of every programme of a campaign (three queries)."""
    return {
        rule.programme: rules_of(rule)
        for rule in ProgrammeRule.objects.filter(campaign=campaign).prefetch_related(
            "mandatory", "categories"
        )
    }


@dataclass(frozen=True)
class AdvisingRow:
    """A student of a campaign as the advisor's list shows them."""

    student_uuid: uuid.UUID
    last_name: str
    first_name: str
    student_number: str
    programme: str
    study_level: str
    credits: Decimal
    ue_codes: tuple[str, ...]
    findings: tuple[rules.Finding, ...]
    status: str
    waiting: int

    @property
    def problems(self) -> tuple[rules.Finding, ...]:
        return tuple(f for f in self.findings if not f.ok)


def students_of_campaign(
    campaign: Campaign, programmes: frozenset[str] | None, day: Any = None
) -> dict[uuid.UUID, Any]:
    """The registration (in the campaign's population) of every student in force today whose
    programme is one of ``programmes`` (all when None)."""
    found: dict[uuid.UUID, Any] = {}
    for person_uuid, facts in referential.facts_for(None, day).items():
        registration = next(
            (
                c
                for c in facts.contracts
                if c.kind == "registration" and c.population_code == campaign.population
            ),
            None,
        )
        if registration is None:
            continue
        if programmes is None or programme_of(registration) in programmes:
            found[person_uuid] = registration
    return found


def advising_rows(
    campaign: Campaign, programmes: frozenset[str] | None, *, now: datetime | None = None
) -> list[AdvisingRow]:
    """Every student of the campaign in an advisor's scope, with their semester against their
    programme's rules, by name. The number of queries does not depend on the number of
    students (only on the number of programmes, and one batch of names per 900 students)."""
    day = timezone.localdate(now or timezone.now())
    registrations = students_of_campaign(campaign, programmes, day)
    chosen: dict[uuid.UUID, list[uuid.UUID]] = {}
    for student_uuid, offer_uuid in Enrolment.objects.filter(
        campaign=campaign, status=Enrolment.Status.ACCEPTED
    ).values_list("student__uuid", "offer__uuid"):
        if student_uuid in registrations:
            chosen.setdefault(student_uuid, []).append(offer_uuid)
    by_programme: dict[str, set[uuid.UUID]] = {}
    for student_uuid, offer_uuids in chosen.items():
        by_programme.setdefault(programme_of(registrations[student_uuid]), set()).update(
            offer_uuids
        )
    offers_of: dict[tuple[str, uuid.UUID], EnrolmentOffer] = {
        (programme, o.uuid): o
        for programme, uuids in by_programme.items()
        for o in catalogue.enrolment_offers(sorted(uuids), programme)
    }
    programme_rules = all_semester_rules(campaign)
    statuses = dict(
        StudentChoice.objects.filter(campaign=campaign).values_list("student__uuid", "status")
    )
    waiting = dict(
        WaitlistEntry.objects.filter(campaign=campaign, status__in=LIVE)
        .values("student__uuid")
        .annotate(n=Count("pk"))
        .values_list("student__uuid", "n")
    )
    rows = []
    for person in referential.summaries(list(registrations)):
        registration = registrations[person.uuid]
        programme = programme_of(registration)
        offers = sorted(
            (
                offers_of[(programme, u)]
                for u in chosen.get(person.uuid, [])
                if (programme, u) in offers_of
            ),
            key=lambda o: o.ue_code,
        )
        rows.append(
            AdvisingRow(
                student_uuid=person.uuid,
                last_name=person.last_name,
                first_name=person.first_name,
                student_number=person.student_number,
                programme=programme,
                study_level=registration.study_level,
                credits=rules.credits_of(offers),
                ue_codes=tuple(o.ue_code for o in offers),
                findings=tuple(rules.findings(offers, programme_rules.get(programme))),
                status=statuses.get(person.uuid, StudentChoice.Status.OPEN),
                waiting=waiting.get(person.uuid, 0),
            )
        )
    return rows


def filter_advising_rows(
    rows: Iterable[AdvisingRow],
    *,
    text: str = "",
    programme: str = "",
    status: str = "",
    problems: bool = False,
) -> list[AdvisingRow]:
    """Rows matching a search: every word of ``text`` in the name or student number, a
    programme, a status, only those with a finding not met."""
    words = fold(text).split()
    found = []
    for row in rows:
        haystack = fold(f"{row.last_name} {row.first_name} {row.student_number}")
        if any(word not in haystack for word in words):
            continue
        if programme and row.programme != programme:
            continue
        if status and row.status != status:
            continue
        if problems and not row.problems:
            continue
        found.append(row)
    return found


@dataclass(frozen=True)
class NoteLine:
    """An advisor's note on a student's semester; an override also carries the refusals it
    lifted (as journaled when it was made)."""

    kind: str
    text: str
    ue_code: str
    created_at: datetime
    author: str
    overridden: tuple[rules.Refusal, ...] = ()


def advising_notes(campaign: Campaign, student_uuid: uuid.UUID) -> list[NoteLine]:
    """The notes on a student's semester in a campaign, oldest first."""
    notes = list(
        AdvisingNote.objects.filter(campaign=campaign, student__uuid=student_uuid)
        .order_by("created_at", "pk")
        .values("kind", "text", "ue_code", "created_at", "author__uuid")
    )
    if not notes:
        return []
    authors = {
        p.uuid: p.display_name for p in referential.summaries({n["author__uuid"] for n in notes})
    }
    lifted: dict[str, list[tuple[rules.Refusal, ...]]] = {}
    if any(n["kind"] == AdvisingNote.Kind.OVERRIDE for n in notes):
        for detail in (
            AuditEntry.objects.filter(
                action="enrolment.override",
                object_ref=campaign.code,
                subject_uuid=student_uuid,
            )
            .order_by("at", "pk")
            .values_list("detail", flat=True)
        ):
            refusals = tuple(
                rules.Refusal(
                    rules.Cause(r["cause"]),
                    r["message_fr"],
                    r["message_en"],
                    tuple(r.get("ue_codes", ())),
                )
                for r in detail.get("refusals", [])
            )
            lifted.setdefault(str(detail.get("ue", "")), []).append(refusals)
    lines = []
    for note in notes:
        overridden: tuple[rules.Refusal, ...] = ()
        if note["kind"] == AdvisingNote.Kind.OVERRIDE and lifted.get(note["ue_code"]):
            overridden = lifted[note["ue_code"]].pop(0)
        lines.append(
            NoteLine(
                kind=note["kind"],
                text=note["text"],
                ue_code=note["ue_code"],
                created_at=note["created_at"],
                author=authors.get(note["author__uuid"], ""),
                overridden=overridden,
            )
        )
    return lines
