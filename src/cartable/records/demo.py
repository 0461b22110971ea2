"""Demo dossiers: each programme's credit requirements, equivalences, internships and
international experiences for a deterministic share of the students, and a published jury of
the last semester that has results, with a decision for each of its students.

Deterministic for a seed. Runs after the demo enrolments and past results."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.competencies import api as competencies
from cartable.enrolment import api as enrolment
from cartable.enrolment.data import StudentResult

from . import actions, rules
from .models import (
    CategoryRequirement,
    DecisionKind,
    DiplomaRequirement,
    Equivalence,
    InternationalExperience,
    Internship,
    Jury,
    JuryDecision,
)
from .queries import Registration, registrations, today_semester
from .scope import person_model

EQUIVALENCE_SHARE = 0.08
INTERNSHIP_SHARE = 0.6  # of students in their second year or later
EXPERIENCE_SHARE = 0.12
REQUIREMENT_YEARS = 5  # the current catalogue year and the four before it
BATCH = 2000

#: (categories, minimum, label, English label) per kind of programme
ENGINEERING = (
    ("CS", 30, "Connaissances scientifiques (CS)", "Scientific knowledge (CS)"),
    ("TM", 30, "Techniques et méthodes (TM)", "Techniques and methods (TM)"),
    ("CS,TM", 84, "CS et TM ensemble", "CS and TM together"),
    ("EC,OM,QC", 28, "Humanités : EC, OM et QC ensemble", "Humanities: EC, OM and QC"),
    ("ST", 30, "Stages (ST)", "Internships (ST)"),
    ("", 180, "Total du cycle ingénieur", "Engineering cycle total"),
)
TRONC_COMMUN = (
    ("CS", 48, "Connaissances scientifiques (CS)", "Scientific knowledge (CS)"),
    ("TM", 12, "Techniques et méthodes (TM)", "Techniques and methods (TM)"),
    ("EC,OM,QC", 16, "Humanités : EC, OM et QC ensemble", "Humanities: EC, OM and QC"),
    ("", 120, "Total du tronc commun", "Tronc commun total"),
)
MASTER = (
    ("CS,TM", 60, "CS et TM ensemble", "CS and TM together"),
    ("ST", 24, "Stage (ST)", "Internship (ST)"),
    ("", 120, "Total du master", "Master's total"),
)

INSTITUTIONS = (
    ("prior", "IUT de Belfort-Montbéliard", "France", "TM", "12"),
    ("prior", "CPGE Lycée Condorcet", "France", "CS", "24"),
    ("prior", "Université de Franche-Comté", "France", "CS", "18"),
    ("abroad", "Technische Universität München", "Allemagne", "TM", "18"),
    ("abroad", "Politecnico di Milano", "Italie", "CS", "12"),
    ("abroad", "Universidad Politécnica de Valencia", "Espagne", "TM", "24"),
    ("other", "Validation des acquis de l'expérience", "France", "OM", "6"),
)
COMPANIES = (
    ("Stellantis", "Sochaux", "France"),
    ("Alstom", "Belfort", "France"),
    ("General Electric", "Belfort", "France"),
    ("Faurecia", "Audincourt", "France"),
    ("Peugeot Motocycles", "Mandeure", "France"),
    ("Capgemini", "Mulhouse", "France"),
    ("Siemens", "Bâle", "Suisse"),
    ("Bosch", "Stuttgart", "Allemagne"),
)
PARTNERS = (
    ("semester", "Université de Montréal — Polytechnique", "Canada", "30"),
    ("semester", "Tongji University", "Chine", "30"),
    ("double_degree", "Hochschule Karlsruhe", "Allemagne", "60"),
    ("summer_school", "Universitat Politècnica de Catalunya", "Espagne", "4"),
    ("internship", "ABB Robotics", "Suède", ""),
)


def _requirements(programme: str) -> tuple[tuple[str, int, str, str], ...]:
    if programme == "TC":
        return TRONC_COMMUN
    if programme.startswith("M-"):
        return MASTER
    return ENGINEERING


def build_requirements() -> int:
    year = catalogue.current_year()
    rows = [
        CategoryRequirement(
            programme=programme,
            catalogue_year=catalogue_year,
            categories=categories,
            min_credits=Decimal(minimum),
            label=label,
            label_en=label_en,
            order=order,
            assumption=True,
        )
        for programme in sorted(catalogue.published_offers_by_programme(year))
        for catalogue_year in range(year - REQUIREMENT_YEARS + 1, year + 1)
        for order, (categories, minimum, label, label_en) in enumerate(_requirements(programme))
    ]
    CategoryRequirement.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def build_diploma_requirements() -> int:
    """Beyond credits, for each programme of the last catalogue years: engineers need TOEIC 785
    and two internships of at least 4 weeks and 20 weeks… (values are assumptions of the demo,
    labelled so), the DEUTEC (tronc commun) a PIX score of 500, every programme the blocks of
    its diploma's framework at level 3."""
    year = catalogue.current_year()
    diplomas = catalogue.programme_diplomas(year)
    rows = []
    for programme in sorted(catalogue.published_offers_by_programme(year)):
        diploma, kind = diplomas.get(programme, ("", ""))
        wanted: list[tuple[str, dict[str, Any], str, str]] = []
        if kind in ("engineer", "apprenticeship"):
            wanted += [
                (
                    "certification",
                    {"test": "toeic", "min_score": 785},
                    "Anglais : TOEIC 785",
                    "English: TOEIC 785",
                ),
                (
                    "internships",
                    {"count": 2, "min_weeks": 4},
                    "Deux stages validés (4 semaines au moins)",
                    "Two validated internships (at least 4 weeks)",
                ),
            ]
        if kind == "deutec":
            wanted.append(
                ("certification", {"test": "pix", "min_score": 500}, "PIX 500", "PIX 500")
            )
        framework = competencies.framework_for_diploma(diploma)
        if framework is not None:
            for block in competencies.blocks(framework.uuid)[:3]:
                wanted.append(
                    (
                        "block",
                        {"block": str(block.uuid), "min_rank": 3},
                        f"Bloc {block.code} au niveau 3",
                        f"Block {block.code} at level 3",
                    )
                )
        for catalogue_year in range(year - REQUIREMENT_YEARS + 1, year + 1):
            rows += [
                DiplomaRequirement(
                    programme=programme,
                    catalogue_year=catalogue_year,
                    kind=kind_,
                    params=params,
                    label=label,
                    label_en=label_en,
                    order=order,
                    assumption=True,
                )
                for order, (kind_, params, label, label_en) in enumerate(wanted, start=10)
            ]
    DiplomaRequirement.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _level(registration: Registration) -> int:
    level = registration.study_level
    return int(level[-1]) if level[-1:].isdigit() else 1


def _records(rng: random.Random, students: list[tuple[int, Registration]]) -> int:
    """Equivalences, internships and international experiences for a share of students."""
    made: list[Any] = []
    today = timezone.localdate()
    for pk, registration in students:
        level = _level(registration)
        if rng.random() < EQUIVALENCE_SHARE:
            origin, institution, country, category, credits = rng.choice(INSTITUTIONS)
            status = rng.choice(("accepted", "accepted", "accepted", "pending", "refused"))
            made.append(
                Equivalence(
                    student_id=pk,
                    origin=origin,
                    institution=institution,
                    country=country,
                    category=category,
                    credits=Decimal(credits),
                    status=status,
                    decided_at=None if status == "pending" else timezone.now(),
                )
            )
        if level > 1 and rng.random() < INTERNSHIP_SHARE:
            company, city, country = rng.choice(COMPANIES)
            weeks = 4 if level <= 2 else rng.choice((20, 24, 26))
            start = date(today.year - 1, 6, 1) + timedelta(days=7 * rng.randint(0, 4))
            start -= timedelta(days=start.weekday())
            made.append(
                Internship(
                    student_id=pk,
                    kind="worker" if level <= 2 else rng.choice(("assistant", "final")),
                    company=company,
                    city=city,
                    country=country,
                    start_date=start,
                    end_date=start + timedelta(weeks=weeks, days=-3),
                    weeks=weeks,
                    status="validated" if start + timedelta(weeks=weeks) < today else "ongoing",
                )
            )
        if level > 2 and rng.random() < EXPERIENCE_SHARE:
            kind, partner, country, credits = rng.choice(PARTNERS)
            start = date(today.year - 1, 9, 1)
            made.append(
                InternationalExperience(
                    student_id=pk,
                    kind=kind,
                    partner=partner,
                    country=country,
                    start_date=start,
                    end_date=start + timedelta(days=140),
                    credits_recognised=Decimal(credits) if credits else None,
                )
            )
    for model in (Equivalence, Internship, InternationalExperience):
        rows: list[Any] = [m for m in made if isinstance(m, model)]
        model._default_manager.bulk_create(rows, batch_size=BATCH)
    return len(made)


def _suggested(results: list[StudentResult], kinds: dict[str, DecisionKind]) -> DecisionKind:
    earned = sum((rules.earned(r, unpublished=True) for r in results), Decimal(0))
    credits = sum((r.credits for r in results), Decimal(0)) or Decimal(1)
    share = earned / credits
    code = (
        "normal"
        if share >= Decimal("0.8")
        else "warning"
        if share >= Decimal("0.6")
        else "probation"
        if share >= Decimal("0.4")
        else "reorientation"
    )
    return kinds[code]


def _graded_semester() -> tuple[int, str, dict[uuid.UUID, list[StudentResult]]]:
    """The last semester before the current one whose results are in (two tries)."""
    year, semester = today_semester()
    for _attempt in range(2):
        year, semester = rules.previous_semester(year, semester)
        results = enrolment.semester_results(year, semester)
        graded = {u: rs for u, rs in results.items() if any(r.grade for r in rs)}
        if graded:
            return year, semester, graded
    return year, semester, {}


def build_juries() -> int:
    """A published jury per programme for the last semester with results."""
    year, semester, results = _graded_semester()
    if not results:
        return 0
    found = registrations(list(results))
    kinds = {k.code: k for k in DecisionKind.objects.all()}
    pks = dict(person_model().objects.values_list("uuid", "pk"))
    day = date(year + 1, 1, 30) if semester == rules.AUTUMN else date(year + 1, 6, 30)
    decisions = 0
    for programme in sorted({r.programme for r in found.values()}):
        members = sorted(u for u, r in found.items() if r.programme == programme)
        jury = Jury.objects.create(
            year=year,
            semester=semester,
            programme=programme,
            date=day,
            title=f"Jury {programme} — semestre {semester} {year}-{year + 1}",
        )
        JuryDecision.objects.bulk_create(
            [
                JuryDecision(jury=jury, student_id=pks[u], kind=_suggested(results[u], kinds))
                for u in members
            ],
            batch_size=BATCH,
        )
        decisions += actions.do_publish_jury(jury.uuid, acting_user=None)
    return decisions


def build_records(*, seed: int) -> int:
    """Everything above; returns how many rows it made."""
    rng = random.Random(f"records-{seed}")
    made = build_requirements() + build_diploma_requirements()
    found = registrations()
    pks = dict(person_model().objects.values_list("uuid", "pk"))
    students = [(pks[u], found[u]) for u in sorted(found, key=str) if u in pks]
    made += _records(rng, students)
    return made + build_juries()
