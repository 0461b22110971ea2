"""Demo certification data, deterministic for a seed: an aggregation rule per framework, an
achievement (badge) per competency block aligned with its RNCP block and CASE item, credit rules
for experiences, competency assessments published for the UEs students passed (the level
follows the grade), PIX and TOEIC results for a share of the students, experiences of the demo
student, and the badges of the blocks a sample of students validated.

Every value of a rule here is an assumption of the demo, not a rule voted by the university."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from cartable.catalogue import api as catalogue
from cartable.competencies import api as competencies
from cartable.enrolment import api as enrolment
from cartable.referential import api as referential

from . import actions, claims, pix
from .models import (
    Achievement,
    AggregationRule,
    Assessment,
    Certification,
    CreditRule,
    ExperienceClaim,
)

BATCH = 2000
PIX_SHARE = 0.3
TOEIC_SHARE = 0.35
BADGE_SAMPLE = 120
REQUIRED_RANK = 3
#: grade → levels below the UE's target level
GRADE_DROP = {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2}
CREDIT_RULES = (
    ("association", Decimal(2), "OM", "Engagement associatif : 2 crédits au plus (hypothèse)"),
    ("project", Decimal(4), "TM", "Projet personnel : 4 crédits au plus (hypothèse)"),
    ("mooc", Decimal(2), "CS", "MOOC certifiant : 2 crédits au plus (hypothèse)"),
)
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _person_model() -> Any:
    return Assessment._meta.get_field("student").related_model


def _rules_and_achievements() -> int:
    made = 0
    base = (settings.CARTABLE_CASE_BASE_URI or settings.CARTABLE_PUBLIC_URL).rstrip("/")
    for index, framework in enumerate(competencies.frameworks()):
        concordant = index % 3 == 2
        AggregationRule.objects.get_or_create(
            framework_uuid=framework.uuid,
            defaults={
                "method": "concordant" if concordant else "highest",
                "min_concordant": 2,
            },
        )
        for block in competencies.blocks(framework.uuid):
            number = block.code.split("BC")[0].removeprefix("RNCP")
            _achievement, created = Achievement.objects.get_or_create(
                code=f"bloc-{block.code.lower()}",
                defaults={
                    "kind": Achievement.Kind.BLOCK,
                    "name": block.title,
                    "name_en": block.title_en,
                    "description": f"Bloc de compétences {block.code} — {framework.title}.",
                    "criteria": (
                        f"Chaque compétence du bloc atteint au moins le niveau {REQUIRED_RANK} "
                        "de l'échelle du référentiel, selon sa règle d'agrégation, par les "
                        "évaluations publiées des UE et les expériences reconnues."
                    ),
                    "block_uuid": block.uuid,
                    "required_rank": REQUIRED_RANK,
                    "alignments": [
                        {
                            "targetName": block.title,
                            "targetCode": block.code,
                            "targetFramework": "RNCP",
                            "targetType": "ext:RNCPBlock",
                            "targetUrl": "https://www.francecompetences.fr/recherche/rncp/"
                            f"{number}/",
                        },
                        {
                            "targetName": block.title,
                            "targetCode": block.code,
                            "targetFramework": framework.title,
                            "targetType": "CFItem",
                            "targetUrl": f"{base}/competences/case/{framework.uuid}/{block.uuid}/",
                        },
                    ],
                },
            )
            made += created
    Achievement.objects.get_or_create(
        code="toeic-785",
        defaults={
            "kind": Achievement.Kind.CERTIFICATION,
            "certification": "toeic",
            "min_score": 785,
            "name": "Anglais — TOEIC 785",
            "name_en": "English — TOEIC 785",
            "description": "Niveau d'anglais exigé pour le diplôme d'ingénieur (B2).",
            "criteria": "Un score TOEIC Listening & Reading d'au moins 785.",
            "active": False,
        },
    )
    for kind, maximum, category, note in CREDIT_RULES:
        CreditRule.objects.get_or_create(
            kind=kind, defaults={"max_credits": maximum, "category": category, "note": note}
        )
    return made


def _assessments(passes: list[Any]) -> int:
    developed = catalogue.offer_competencies({offer for _s, offer, *_r in passes})
    people = {p.uuid: p for p in _person_model().objects.filter(uuid__in={s for s, *_r in passes})}
    rows = []
    for student, offer, ue_code, grade, published_at in passes:
        for competency in developed.get(offer, []):
            rows.append(
                Assessment(
                    offer_uuid=offer,
                    ue_code=ue_code,
                    student=people[student],
                    competency_uuid=competency.competency_uuid,
                    framework_uuid=competency.framework_uuid,
                    level_rank=max(1, competency.target_rank - GRADE_DROP.get(grade, 2)),
                    status=Assessment.Status.PUBLISHED,
                    assessed_at=published_at,
                    published_at=published_at,
                )
            )
    Assessment.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def _scores(rng: random.Random, day: date) -> int:
    students = sorted(referential.registered_person_uuids(day))
    people = {p.uuid: p for p in _person_model().objects.filter(uuid__in=students)}
    codes = pix.crcn_codes()
    rows = []
    for student in students:
        if rng.random() < PIX_SHARE:
            detail = {code: rng.randint(1, 6) for code in codes}
            rows.append(
                Certification(
                    student=people[student],
                    test="pix",
                    score=min(1024, sum(detail.values()) * 8 + rng.randint(0, 40)),
                    obtained_on=day - timedelta(days=rng.randint(30, 700)),
                    detail=detail,
                    source="démonstration",
                )
            )
        if rng.random() < TOEIC_SHARE:
            rows.append(
                Certification(
                    student=people[student],
                    test="toeic",
                    score=5 * rng.randint(110, 195),
                    obtained_on=day - timedelta(days=rng.randint(30, 700)),
                    source="démonstration",
                )
            )
    Certification.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def _demo_student_claims(day: date) -> int:
    student = referential.person_uuid_for_login("etudiant")
    if student is None or ExperienceClaim.objects.filter(student__uuid=student).exists():
        return 0
    claims.do_submit_claim(
        student,
        claims.ClaimData(
            kind="association",
            title="Trésorière du bureau des élèves",
            organisation="BDE UTBM",
            start_date=day - timedelta(days=300),
            end_date=day - timedelta(days=30),
            description="Budget annuel de 40 000 €, équipe de douze bénévoles, trois événements.",
            credits_requested=Decimal(2),
        ),
        [],
        [claims.Upload("attestation-bde.pdf", TINY_PDF)],
        acting_user=None,
    )
    return 1 + _demo_student_project(student, day)


def _demo_student_project(student: Any, day: date) -> int:
    """A project of the demo student that a referent accepted, bringing the competencies of
    the first block of her diploma's framework to level 3: the block is validated and its
    badge issued, through the same rules as anyone's."""
    programmes = {
        c.programme for c in referential.contracts_in_force(student) if c.kind == "registration"
    }
    diplomas = catalogue.programme_diplomas(catalogue.current_year())
    framework = next(
        (
            found
            for p in sorted(programmes)
            if (found := competencies.framework_for_diploma(diplomas.get(p, ("", ""))[0]))
        ),
        None,
    )
    blocks = competencies.blocks(framework.uuid) if framework else []
    if not blocks:
        return 0
    members = competencies.block_competencies(blocks[0].uuid)
    claim = claims.do_submit_claim(
        student,
        claims.ClaimData(
            kind="project",
            title="Projet de robotique — coupe Eurobot",
            organisation="Association UTBM Robotique",
            start_date=day - timedelta(days=400),
            end_date=day - timedelta(days=60),
            description="Conception et programmation du robot de l'équipe ; chef de projet.",
            credits_requested=Decimal(4),
        ),
        [(c.uuid, REQUIRED_RANK) for c in members[:4]],
        [claims.Upload("rapport-eurobot.pdf", TINY_PDF)],
        acting_user=None,
    )
    claims.do_decide_claim(
        claim.uuid,
        accept=True,
        granted={c.uuid: REQUIRED_RANK for c in members[:4]},
        credits=Decimal(2),
        comment="Projet exigeant et bien documenté.",
        scope=None,
        acting_user=None,
    )
    return 1


def _badges(passes: list[Any]) -> int:
    students: dict[Any, int] = defaultdict(int)
    for student, *_rest in passes:
        students[student] += 1
    sample = sorted(students, key=lambda s: (-students[s], str(s)))[:BADGE_SAMPLE]
    demo = referential.person_uuid_for_login("etudiant")
    if demo is not None:
        sample.append(demo)
    issued = 0
    for student in sample:
        issued += len(actions.award_block_badges(student, acting_user=None))
    return issued


def build(*, seed: int, day: date | None = None) -> dict[str, int]:
    rng = random.Random(f"{seed}-certification")
    day = day or referential.today()
    passes = enrolment.published_passes()
    return {
        "achievements": _rules_and_achievements(),
        "competency assessments": _assessments(passes),
        "certification scores": _scores(rng, day),
        "experiences": _demo_student_claims(day),
        "badges": _badges(passes),
    }
