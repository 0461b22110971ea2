"""A student's diploma profile from their records: the requirements of their programme and
catalogue year, against passed UEs, accepted equivalences and experiences, internships,
certifications and competency blocks — with a what-if (planned UEs, another programme or
catalogue year) that changes nothing, suggestions of catalogue UEs that would close a gap, and
the recomputation of every student's profile as a background job."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.certification import api as certification
from cartable.enrolment import api as enrolment
from cartable.referential import api as referential

from . import profile_rules as engine
from . import rules
from .models import (
    CategoryRequirement,
    DiplomaRequirement,
    Equivalence,
    Internship,
    ProfileSnapshot,
)
from .queries import registrations

SUGGESTIONS = 5


@dataclass(frozen=True)
class Suggestion:
    ue_code: str
    title: str
    credits: Decimal


@dataclass(frozen=True)
class ProfileView:
    programme: str
    catalogue_year: int | None
    profile: engine.Profile
    #: requirement index → UEs of the catalogue that would close its gap
    suggestions: dict[int, tuple[Suggestion, ...]] = field(default_factory=dict)
    what_if: bool = False
    unknown_planned: tuple[str, ...] = ()


def requirement_years(programme: str | None = None) -> list[int]:
    """The catalogue years that have requirements (of ``programme``, or of any programme)."""
    credits = CategoryRequirement.objects.all()
    others = DiplomaRequirement.objects.all()
    if programme is not None:
        credits, others = credits.filter(programme=programme), others.filter(programme=programme)
    years = set(credits.values_list("catalogue_year", flat=True)) | set(
        others.values_list("catalogue_year", flat=True)
    )
    return sorted(years)


def specs_for(programme: str, year: int | None) -> list[engine.RequirementSpec]:
    """Credits first (in their order), then the other requirements (in theirs)."""
    if year is None:
        return []
    credit_specs = [
        engine.RequirementSpec(
            engine.CREDITS,
            r.label,
            r.label_en,
            {"categories": list(r.codes), "min": str(r.min_credits)},
            r.assumption,
        )
        for r in CategoryRequirement.objects.filter(programme=programme, catalogue_year=year)
    ]
    other_specs = [
        engine.RequirementSpec(r.kind, r.label, r.label_en, r.params, r.assumption)
        for r in DiplomaRequirement.objects.filter(programme=programme, catalogue_year=year)
    ]
    return credit_specs + other_specs


@dataclass
class _Records:
    """A batch of students' records, read at once (a few queries whatever their number)."""

    results: dict[uuid.UUID, list[Any]]
    equivalences: dict[uuid.UUID, list[engine.CreditItem]]
    experiences: dict[uuid.UUID, list[engine.CreditItem]]
    internships: dict[uuid.UUID, list[engine.InternshipItem]]
    scores: dict[uuid.UUID, dict[str, int]]
    levels: dict[uuid.UUID, list[Any]]
    members: dict[uuid.UUID, list[Any]]


def _block_specs(specs: list[engine.RequirementSpec]) -> list[tuple[uuid.UUID, int]]:
    wanted = []
    for spec in specs:
        if spec.kind == engine.BLOCK:
            try:
                wanted.append((uuid.UUID(str(spec.params["block"])), int(spec.params["min_rank"])))
            except (KeyError, ValueError):
                continue
    return wanted


def _read(
    students: list[uuid.UUID], blocks: set[uuid.UUID], results: dict[uuid.UUID, list[Any]]
) -> _Records:
    equivalences: dict[uuid.UUID, list[engine.CreditItem]] = {}
    for student, institution, origin, category, credits in Equivalence.objects.filter(
        student__uuid__in=students, status=Equivalence.Status.ACCEPTED
    ).values_list("student__uuid", "institution", "origin", "category", "credits"):
        label = f"{institution} ({Equivalence.Origin(origin).label})"
        equivalences.setdefault(student, []).append(engine.CreditItem(label, category, credits))
    internships: dict[uuid.UUID, list[engine.InternshipItem]] = {}
    for student, company, start, weeks, status in Internship.objects.filter(
        student__uuid__in=students
    ).values_list("student__uuid", "company", "start_date", "weeks", "status"):
        internships.setdefault(student, []).append(
            engine.InternshipItem(
                f"{company} ({start:%m/%Y})", weeks, status == Internship.Status.VALIDATED
            )
        )
    return _Records(
        results=results,
        equivalences=equivalences,
        experiences={
            student: [
                engine.CreditItem(e.title, e.category, e.credits) for e in items if e.category
            ]
            for student, items in certification.experience_credits_many(students).items()
        },
        internships=internships,
        scores={
            student: {t: s.score for t, s in best.items()}
            for student, best in certification.best_scores_many(students).items()
        },
        levels=certification.competency_levels_many(students) if blocks else {},
        members=certification.block_members(blocks) if blocks else {},
    )


def _inputs(
    student: uuid.UUID,
    records: _Records,
    specs: list[engine.RequirementSpec],
    programme: str,
    year: int | None,
    planned: tuple[str, ...],
) -> tuple[engine.ProfileInputs, tuple[str, ...], dict[str, tuple[uuid.UUID, ...]]]:
    """What the engine reads of one student's records; the planned UEs not found in the
    programme's catalogue; the competencies missing in each block."""
    results = rules.kept(records.results.get(student, []))
    passed = [r for r in results if rules.passed(r)]
    passed_codes = frozenset(r.ue_code.upper() for r in passed)
    credits = [
        engine.CreditItem(f"{r.ue_code} ({r.semester}{r.year})", r.category, r.credits)
        for r in passed
    ]
    credits += records.equivalences.get(student, [])
    credits += records.experiences.get(student, [])
    unknown: tuple[str, ...] = ()
    planned_codes = tuple(sorted({c.strip().upper() for c in planned if c.strip()}))
    if planned_codes and year is not None:
        found = catalogue.programme_offers(programme, year, ue_codes=planned_codes)
        known = {o.ue_code.upper() for o in found}
        unknown = tuple(c for c in planned_codes if c not in known)
        credits += list(
            engine.planned_items(((o.ue_code, o.category, o.credits) for o in found), passed_codes)
        )
    wanted = _block_specs(specs)
    states = (
        certification.block_states(
            student, wanted, records.levels.get(student, []), records.members
        )
        if wanted
        else {}
    )
    inputs = engine.ProfileInputs(
        credits=tuple(credits),
        passed_ues=passed_codes,
        planned_ues=frozenset(planned_codes) - frozenset(unknown),
        internships=tuple(records.internships.get(student, [])),
        scores=records.scores.get(student, {}),
        blocks={
            str(key): engine.BlockItem(s.code, s.title, s.validated, s.missing)
            for key, s in states.items()
        },
    )
    return inputs, unknown, {str(key): s.missing_uuids for key, s in states.items()}


def _suggestions(
    profile: engine.Profile,
    programme: str,
    year: int | None,
    passed: frozenset[str],
    missing: dict[str, tuple[uuid.UUID, ...]],
    specs: list[engine.RequirementSpec],
) -> dict[int, tuple[Suggestion, ...]]:
    """For each unmet requirement: catalogue UEs of the current year that would help — in the
    categories lacking credits, the mandatory UEs missing, or those developing the block's
    missing competencies."""
    current = catalogue.current_year()
    offers = {o.ue_code.upper(): o for o in catalogue.programme_offers(programme, current)}
    found: dict[int, tuple[Suggestion, ...]] = {}
    for index, (result, spec) in enumerate(zip(profile.results, specs, strict=True)):
        if result.met:
            continue
        picked: list[Suggestion] = []
        if result.kind == engine.CREDITS:
            categories = set(result.detail)
            candidates = [
                o
                for code, o in offers.items()
                if code not in passed
                and code not in profile.planned
                and (not categories or o.category.upper() in categories)
            ]
            candidates.sort(key=lambda o: (-o.credits, o.ue_code))
            picked = [Suggestion(o.ue_code, o.title, o.credits) for o in candidates[:SUGGESTIONS]]
        elif result.kind == engine.MANDATORY_UES:
            picked = [
                Suggestion(code, offers[code].title, offers[code].credits)
                for code in result.detail
                if code in offers
            ]
        elif result.kind == engine.BLOCK:
            lacking = missing.get(str(spec.params.get("block")), ())
            developing = catalogue.offers_developing(lacking, current)
            seen: dict[str, Suggestion] = {}
            for rows in developing.values():
                for code, title in rows:
                    if code.upper() not in passed and code.upper() in offers:
                        seen.setdefault(code, Suggestion(code, title, offers[code.upper()].credits))
            picked = sorted(seen.values(), key=lambda s: s.ue_code)[:SUGGESTIONS]
        if picked:
            found[index] = tuple(picked)
    return found


def profile_of(
    student_uuid: uuid.UUID,
    *,
    planned: tuple[str, ...] = (),
    programme: str | None = None,
    catalogue_year: int | None = None,
    day: date | None = None,
    with_suggestions: bool = True,
) -> ProfileView:
    """The student's diploma profile; ``planned``, ``programme`` or ``catalogue_year``
    make it a what-if (nothing is written)."""
    return profiles_of(
        [student_uuid],
        planned=planned,
        programme=programme,
        catalogue_year=catalogue_year,
        day=day,
        with_suggestions=with_suggestions,
    )[student_uuid]


def profiles_of(
    students: list[uuid.UUID],
    *,
    planned: tuple[str, ...] = (),
    programme: str | None = None,
    catalogue_year: int | None = None,
    day: date | None = None,
    with_suggestions: bool = False,
) -> dict[uuid.UUID, ProfileView]:
    """The profiles of many students, their records read in a few queries whatever their
    number (the recomputation job reads them by batches)."""
    found_registrations = registrations(students, day)
    chosen: dict[uuid.UUID, str] = {}
    for student in students:
        registration = found_registrations.get(student)
        chosen[student] = programme or (registration.programme if registration else "")
    years_of: dict[str, list[int]] = {}
    specs_of: dict[tuple[str, int | None], list[engine.RequirementSpec]] = {}
    results = enrolment.results_of_many(students, published_only=True)
    contexts: dict[uuid.UUID, tuple[str, int | None]] = {}
    for student in students:
        code = chosen[student]
        year = catalogue_year
        if year is None:
            registration = found_registrations.get(student)
            entry = rules.entry_year(
                registration.start_date if registration else None,
                (r.year for r in results.get(student, [])),
            )
            if code not in years_of:
                years_of[code] = requirement_years(code)
            year = rules.requirement_year(years_of[code], entry)
        contexts[student] = (code, year)
        if (code, year) not in specs_of:
            specs_of[(code, year)] = specs_for(code, year)
    blocks = {b for specs in specs_of.values() for b, _r in _block_specs(specs)}
    records = _read(students, blocks, results)
    views = {}
    for student in students:
        code, year = contexts[student]
        specs = specs_of[(code, year)]
        inputs, unknown, missing = _inputs(student, records, specs, code, year, planned)
        profile = engine.evaluate(specs, inputs)
        suggestions = (
            _suggestions(profile, code, year, inputs.passed_ues, missing, specs)
            if with_suggestions and code
            else {}
        )
        registration = found_registrations.get(student)
        own = registration.programme if registration else ""
        what_if = bool(planned) or code != own or catalogue_year is not None
        views[student] = ProfileView(code, year, profile, suggestions, what_if, unknown)
    return views


# --- recomputation -----------------------------------------------------------------------------


def _snapshot(student: Any, view: ProfileView) -> ProfileSnapshot:
    return ProfileSnapshot(
        student=student,
        programme=view.programme,
        catalogue_year=view.catalogue_year,
        complete=view.profile.complete,
        met=view.profile.met_count,
        total=len(view.profile.results),
        results=[
            {"label": r.label, "state": r.state, "have": str(r.have), "need": str(r.need)}
            for r in view.profile.results
        ],
        computed_at=timezone.now(),
    )


def registered_students(day: date | None = None) -> list[Any]:
    """The persons with a registration in force."""
    person: Any = ProfileSnapshot._meta.get_field("student").related_model
    wanted = referential.registered_person_uuids(day)
    return list(person.objects.filter(uuid__in=wanted).order_by("pk"))


def recompute_all(progress: Any = None, *, batch: int = 200) -> dict[str, Any]:
    """Recompute every registered student's profile (the job after a jury or a rule change)."""
    started = time.perf_counter()
    students = registered_students()
    total = len(students)
    complete = 0
    for start in range(0, total, batch):
        chunk = students[start : start + batch]
        views = profiles_of([s.uuid for s in chunk])
        snapshots = []
        for student in chunk:
            view = views[student.uuid]
            complete += view.profile.complete
            snapshots.append(_snapshot(student, view))
        with transaction.atomic():
            ProfileSnapshot.objects.filter(student__in=chunk).delete()
            ProfileSnapshot.objects.bulk_create(snapshots)
        if progress is not None:
            done = min(start + batch, total)
            progress(done / total if total else 1.0, f"{done} / {total}")
    return {
        "students": total,
        "complete": complete,
        "seconds": round(time.perf_counter() - started, 1),
    }


def recompute_job(progress: Any) -> dict[str, Any]:
    """The background job's handler (``core.jobs``)."""
    return recompute_all(progress)
