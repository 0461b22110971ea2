"""Reading a student's dossier from the modules that hold its parts: the registration from the
referential, results from enrolment, the timetable from the timetable module, and what this
app keeps (jury decisions, equivalences, internships, international experiences)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cartable.core.calendar import academic_year, academic_year_label
from cartable.enrolment import api as enrolment
from cartable.enrolment.data import StudentResult
from cartable.referential import api as referential
from cartable.referential.data import ContractFacts, PersonSummary
from cartable.timetable import api as timetable
from cartable.timetable.data import TimetableLine

from . import rules
from .models import (
    CalendarFeed,
    CategoryRequirement,
    Equivalence,
    InternationalExperience,
    Internship,
    JuryDecision,
    Semester,
)


@dataclass(frozen=True)
class Registration:
    """The administrative registration in force, as the referential knows it."""

    reference: str
    programme: str  # the catalogue programme (FISA-… for apprentices)
    population_code: str
    population_label: str
    study_level: str
    campus_code: str
    structure_name: str
    start_date: date
    end_date: date | None


def registration_of(student_uuid: uuid.UUID, day: date | None = None) -> Registration | None:
    """The student's registration in force on ``day`` (the latest one if several)."""
    contracts = [
        c for c in referential.contracts_in_force(student_uuid, day) if c.kind == "registration"
    ]
    if not contracts:
        return None
    return _registration(max(contracts, key=lambda c: c.start_date))


def _registration(c: ContractFacts) -> Registration:
    return Registration(
        reference=c.reference,
        programme=rules.programme_of(c.population_code, c.programme),
        population_code=c.population_code,
        population_label=c.population_label,
        study_level=c.study_level,
        campus_code=c.campus_code,
        structure_name=c.structure_name,
        start_date=c.start_date,
        end_date=c.end_date,
    )


def registrations(
    student_uuids: list[uuid.UUID] | None = None, day: date | None = None
) -> dict[uuid.UUID, Registration]:
    """The registration in force of each of these students (of every registered student with
    ``None``), in a few queries."""
    found: dict[uuid.UUID, Registration] = {}
    for person_uuid, facts in referential.facts_for(student_uuids, day).items():
        contracts = [c for c in facts.contracts if c.kind == "registration"]
        if contracts:
            found[person_uuid] = _registration(max(contracts, key=lambda c: c.start_date))
    return found


def semester_label(year: int, semester: str) -> str:
    return f"{academic_year_label(year)} · {Semester(semester).label}"


@dataclass(frozen=True)
class Decision:
    """A published decision of a semester jury."""

    year: int
    semester: str
    jury_title: str
    jury_date: date
    kind: str
    label: str
    label_en: str
    comment: str


@dataclass(frozen=True)
class SemesterRecord:
    year: int
    semester: str
    results: tuple[StudentResult, ...]
    decision: Decision | None

    @property
    def label(self) -> str:
        return semester_label(self.year, self.semester)

    @property
    def credits(self) -> Decimal:
        return sum((r.credits for r in self.results), Decimal(0))

    @property
    def earned(self) -> Decimal:
        return sum((r.credits_earned for r in self.results), Decimal(0))


@dataclass(frozen=True)
class TimetableDay:
    label: str
    lines: tuple[TimetableLine, ...]


DAY_LABELS = (
    _("Lundi"),
    _("Mardi"),
    _("Mercredi"),
    _("Jeudi"),
    _("Vendredi"),
    _("Samedi"),
    _("Dimanche"),
)


@dataclass(frozen=True)
class PersonalTimetable:
    """One valid personal timetable of a semester: a group for each activity of each UE."""

    year: int
    semester: str
    ue_codes: tuple[str, ...]
    compatible: bool
    lines: tuple[TimetableLine, ...]

    @property
    def label(self) -> str:
        return semester_label(self.year, self.semester)

    @property
    def days(self) -> tuple[TimetableDay, ...]:
        by_day: dict[int, list[TimetableLine]] = {}
        for line in self.lines:
            by_day.setdefault(line.day, []).append(line)
        return tuple(
            TimetableDay(str(DAY_LABELS[day]), tuple(lines))
            for day, lines in sorted(by_day.items())
        )


def today_semester(day: date | None = None) -> tuple[int, str]:
    day = day or timezone.localdate()
    spring = timetable.calendar_first_monday(academic_year(day), rules.SPRING)
    return rules.current_semester(day, spring)


def personal_timetable(
    results: list[StudentResult], year: int, semester: str, groups: Sequence[str] = ()
) -> PersonalTimetable:
    """The timetable of the UEs the student is enrolled in for a semester: their groups when
    the sectioning is published (``groups``), otherwise the same valid choice of groups as
    the enrolment screen shows (UEs in code order)."""
    offers = sorted(
        (r for r in rules.kept(results) if (r.year, r.semester) == (year, semester)),
        key=lambda r: r.ue_code,
    )
    codes = tuple(r.ue_code for r in offers)
    if not offers:
        return PersonalTimetable(year, semester, codes, True, ())
    if groups:
        lines = timetable.timetable_lines(groups, year, semester)
        return PersonalTimetable(year, semester, codes, True, tuple(lines))
    weeks = timetable.ue_weeks([r.offer_uuid for r in offers], semester)
    compatibility = timetable.check_compatibility([weeks[r.offer_uuid] for r in offers])
    keys = [p.group.key for p in compatibility.placements]
    lines = timetable.timetable_lines(keys, year, semester) if keys else []
    return PersonalTimetable(year, semester, codes, compatibility.compatible, tuple(lines))


def current_timetable(student_uuid: uuid.UUID, day: date | None = None) -> PersonalTimetable:
    """The student's personal timetable of the semester under way."""
    year, semester = today_semester(day)
    return personal_timetable(
        enrolment.results_of(student_uuid),
        year,
        semester,
        enrolment.published_groups(student_uuid, year, semester),
    )


def published_decisions(student_uuid: uuid.UUID) -> list[Decision]:
    rows = (
        JuryDecision.objects.filter(student__uuid=student_uuid, jury__status="published")
        .select_related("jury", "kind")
        .order_by("jury__year", "jury__semester")
    )
    return [
        Decision(
            year=d.jury.year,
            semester=d.jury.semester,
            jury_title=d.jury.title,
            jury_date=d.jury.date,
            kind=d.kind.code,
            label=d.kind.label,
            label_en=d.kind.label_en,
            comment=d.comment,
        )
        for d in rows
    ]


def requirements_for(
    programme: str, entry: int | None
) -> tuple[int | None, list[rules.Requirement]]:
    rows = list(CategoryRequirement.objects.filter(programme=programme))
    year = rules.requirement_year((r.catalogue_year for r in rows), entry)
    return year, [
        rules.Requirement(r.label, r.label_en, r.codes, r.min_credits)
        for r in rows
        if r.catalogue_year == year
    ]


@dataclass(frozen=True)
class Dossier:
    student: PersonSummary
    registration: Registration | None
    semesters: tuple[SemesterRecord, ...]
    equivalences: tuple[Equivalence, ...]
    internships: tuple[Internship, ...]
    experiences: tuple[InternationalExperience, ...]
    synthesis: rules.Synthesis
    timetable: PersonalTimetable

    @property
    def decisions(self) -> tuple[Decision, ...]:
        return tuple(s.decision for s in self.semesters if s.decision)


def dossier(student: PersonSummary, *, day: date | None = None) -> Dossier:
    """Everything the Dossier étudiant shows, as the student sees it: published grades and
    published jury decisions only."""
    day = day or timezone.localdate()
    registration = registration_of(student.uuid, day)
    results = rules.kept(enrolment.results_of(student.uuid, published_only=True))
    decisions = {(d.year, d.semester): d for d in published_decisions(student.uuid)}
    semesters = tuple(
        SemesterRecord(year, semester, tuple(rows), decisions.get((year, semester)))
        for year, semester, rows in rules.by_semester(results)
    )
    equivalences = tuple(Equivalence.objects.filter(student__uuid=student.uuid))
    entry = rules.entry_year(
        registration.start_date if registration else None, (r.year for r in results)
    )
    requirement_year, requirements = (
        requirements_for(registration.programme, entry) if registration else (None, [])
    )
    synthesis = rules.synthesis(
        results,
        [(e.category, e.credits) for e in equivalences if e.status == Equivalence.Status.ACCEPTED],
        requirements,
        requirement_year,
    )
    year, semester = today_semester(day)
    return Dossier(
        student=student,
        registration=registration,
        semesters=semesters,
        equivalences=equivalences,
        internships=tuple(Internship.objects.filter(student__uuid=student.uuid)),
        experiences=tuple(InternationalExperience.objects.filter(student__uuid=student.uuid)),
        synthesis=synthesis,
        timetable=personal_timetable(
            results, year, semester, enrolment.published_groups(student.uuid, year, semester)
        ),
    )


def live_feed(person_uuid: uuid.UUID) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person__uuid=person_uuid, revoked_at__isnull=True).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("person")
        .first()
    )
