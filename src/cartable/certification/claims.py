"""Learning outside courses (§2.2.2): a student submits an experience with evidence files and
the competencies it claims; a referent (the heads of the student's programme, the scolarité)
accepts it, adjusting the levels and credits within the rules, or refuses it, with a comment.
Accepted claims count in the student's competency levels, their credits in the diploma
profile, and a certification's score on their record."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.competencies import api as competencies
from cartable.core import audit, notifications
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, roles_of
from cartable.referential import api as referential

from .actions import award_badges
from .models import Certification, ClaimedCompetency, ClaimFile, CreditRule, ExperienceClaim

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 5
#: what a file's first bytes must be for its type: the name and the browser's word are not
#: trusted
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


def sniff(head: bytes) -> str | None:
    for content_type, prefixes in SIGNATURES.items():
        if any(head.startswith(p) for p in prefixes):
            return content_type
    return None


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def check_files(files: Sequence[Upload]) -> list[tuple[Upload, str]]:
    """Each file with its type, or a refusal naming the file and the reason."""
    if len(files) > MAX_FILES:
        raise DomainError(
            "files",
            f"{MAX_FILES} fichiers au plus.",
            f"At most {MAX_FILES} files.",
        )
    checked = []
    for upload in files:
        if len(upload.content) > MAX_FILE_BYTES:
            raise DomainError(
                "files",
                f"« {upload.name} » dépasse 5 Mio.",
                f"“{upload.name}” is larger than 5 MiB.",
            )
        kind = sniff(upload.content[:16])
        if kind is None:
            raise DomainError(
                "files",
                f"« {upload.name} » n'est ni un PDF, ni une image PNG ou JPEG.",
                f"“{upload.name}” is neither a PDF nor a PNG or JPEG image.",
            )
        checked.append((upload, kind))
    return checked


# --- who decides -------------------------------------------------------------------------------


def referent_scope(user: Any) -> frozenset[str] | None:
    """The programmes whose students' claims the user decides: None for the scolarité (all),
    the programmes they head this year for a programme head, none for anyone else."""
    roles = roles_of(user)
    if Role.SCOLARITE in roles:
        return None
    me = referential.person_uuid_for_user(user)
    if Role.PROGRAMME_HEAD not in roles or me is None:
        return frozenset()
    return catalogue.programmes_headed_by(me, catalogue.current_year())


def programmes_of_students(student_uuids: Iterable[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """The programmes of each student's registrations in force (a few queries for all)."""
    return {
        key: {c.programme for c in facts.contracts if c.kind == "registration" and c.programme}
        for key, facts in referential.facts_for(list(student_uuids)).items()
    }


def in_scope(scope: frozenset[str] | None, student_uuid: uuid.UUID) -> bool:
    if scope is None:
        return True
    programmes = {
        c.programme
        for c in referential.contracts_in_force(student_uuid)
        if c.kind == "registration" and c.programme
    }
    return bool(programmes & scope)


# --- submitting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimData:
    kind: str
    title: str
    organisation: str
    start_date: date
    end_date: date | None
    description: str
    test: str = ""
    score: int | None = None
    credits_requested: Decimal = Decimal(0)


def _person_model() -> Any:
    return ExperienceClaim._meta.get_field("student").related_model


def _frameworks(claimed: Sequence[tuple[uuid.UUID, int]]) -> dict[uuid.UUID, uuid.UUID]:
    """The framework of each claimed competency; a refusal for an unknown one or a level
    outside its scale."""
    infos = competencies.competencies_by_uuid([c for c, _r in claimed])
    result = {}
    for competency, rank in claimed:
        if competency not in infos:
            raise DomainError("competencies", "Compétence inconnue.", "Unknown competency.")
        framework = competencies.framework_of_block(infos[competency].block.uuid)
        assert framework is not None
        ranks = [level.rank for level in competencies.scale(framework)]
        if rank not in ranks:
            raise DomainError(
                "competencies",
                f"{infos[competency].code} : niveau {rank} hors de l'échelle.",
                f"{infos[competency].code}: level {rank} is outside the scale.",
            )
        result[competency] = framework
    return result


@transaction.atomic
def do_submit_claim(
    student_uuid: uuid.UUID,
    data: ClaimData,
    claimed: Sequence[tuple[uuid.UUID, int]],
    files: Sequence[Upload],
    *,
    acting_user: Any,
) -> ExperienceClaim:
    """Record a student's claim with its files; the referents will decide."""
    if data.end_date and data.end_date < data.start_date:
        raise DomainError("end_date", "La fin précède le début.", "The end comes before the start.")
    if data.kind == ExperienceClaim.Kind.CERTIFICATION and (not data.test or data.score is None):
        raise DomainError(
            "score",
            "Une certification se déclare avec son test et son score.",
            "A certification is declared with its test and score.",
        )
    if len({c for c, _r in claimed}) != len(claimed):
        raise DomainError(
            "competencies",
            "Une même compétence est revendiquée deux fois.",
            "The same competency is claimed twice.",
        )
    if not files:
        raise DomainError(
            "files", "Joignez au moins une pièce justificative.", "Attach at least one file."
        )
    checked = check_files(files)
    frameworks = _frameworks(claimed)
    claim = ExperienceClaim.objects.create(
        student=_person_model().objects.get(uuid=student_uuid),
        kind=data.kind,
        title=data.title,
        organisation=data.organisation,
        start_date=data.start_date,
        end_date=data.end_date,
        description=data.description,
        test=data.test,
        score=data.score,
        credits_requested=data.credits_requested,
    )
    for competency, rank in claimed:
        ClaimedCompetency.objects.create(
            claim=claim,
            competency_uuid=competency,
            framework_uuid=frameworks[competency],
            claimed_rank=rank,
        )
    for upload, content_type in checked:
        stored = ClaimFile(
            claim=claim,
            name=upload.name[:200],
            content_type=content_type,
            size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(),
        )
        stored.file.save(f"{uuid.uuid4()}", ContentFile(upload.content), save=False)
        stored.save()
    audit.record(
        "certification.claim.submit",
        actor=acting_user,
        object_type="claim",
        object_ref=str(claim.uuid),
        subject=student_uuid,
        detail={"kind": claim.kind, "files": len(checked), "competencies": len(claimed)},
    )
    return claim


# --- deciding ----------------------------------------------------------------------------------


@transaction.atomic
def do_decide_claim(
    claim_uuid: uuid.UUID,
    *,
    accept: bool,
    granted: dict[uuid.UUID, int | None],
    credits: Decimal,
    comment: str,
    scope: frozenset[str] | None,
    acting_user: Any,
) -> ExperienceClaim:
    """Accept (with the levels and credits granted, within the claim and the rules) or
    refuse a claim. A refusal needs a comment."""
    claim = (
        ExperienceClaim.objects.select_for_update()
        .select_related("student")
        .filter(uuid=claim_uuid)
        .first()
    )
    if claim is None or not in_scope(scope, claim.student.uuid):
        raise DomainError("claim", "Demande inconnue.", "Unknown claim.")
    if claim.status != ExperienceClaim.Status.SUBMITTED:
        raise DomainError(
            "claim", "Cette demande a déjà été décidée.", "This claim has already been decided."
        )
    comment = comment.strip()
    if not accept and not comment:
        raise DomainError(
            "comment",
            "Un refus s'explique : le commentaire est obligatoire.",
            "A refusal must be explained: the comment is required.",
        )
    claimed = {c.competency_uuid: c for c in claim.competencies.all()}
    if accept:
        _check_grant(claim, claimed, granted, credits)
    claim.status = ExperienceClaim.Status.ACCEPTED if accept else ExperienceClaim.Status.REFUSED
    claim.credits_granted = credits if accept else Decimal(0)
    claim.decision_comment = comment
    claim.decided_at = timezone.now()
    me = referential.person_uuid_for_user(acting_user) if acting_user else None
    claim.referent = _person_model().objects.filter(uuid=me).first() if me else None
    claim.save()
    for competency, row in claimed.items():
        row.granted_rank = granted.get(competency) if accept else None
        row.save(update_fields=["granted_rank"])
    if accept and claim.kind == ExperienceClaim.Kind.CERTIFICATION and claim.score is not None:
        Certification.objects.update_or_create(
            student=claim.student,
            test=claim.test,
            obtained_on=claim.end_date or claim.start_date,
            defaults={"score": claim.score, "source": f"demande {claim.uuid}"},
        )
    audit.record(
        "certification.claim.decide",
        actor=acting_user,
        object_type="claim",
        object_ref=str(claim.uuid),
        subject=claim.student.uuid,
        detail={"accepted": accept, "credits": str(claim.credits_granted)},
    )
    notifications.notify(
        claim.student.uuid,
        title=f"Expérience « {claim.title} » : {'acceptée' if accept else 'refusée'}",
        title_en=f"Experience “{claim.title}”: {'accepted' if accept else 'refused'}",
        body=comment,
        body_en=comment,
    )
    if accept:
        award_badges(claim.student.uuid, acting_user=acting_user)
    return claim


def _check_grant(
    claim: ExperienceClaim,
    claimed: dict[uuid.UUID, ClaimedCompetency],
    granted: dict[uuid.UUID, int | None],
    credits: Decimal,
) -> None:
    for competency, rank in granted.items():
        row = claimed.get(competency)
        if row is None:
            raise DomainError(
                "granted", "Compétence non revendiquée.", "This competency was not claimed."
            )
        if rank is not None and not 1 <= rank <= row.claimed_rank:
            raise DomainError(
                "granted",
                f"Le niveau reconnu va de 1 au niveau revendiqué ({row.claimed_rank}).",
                f"The level granted goes from 1 to the level claimed ({row.claimed_rank}).",
            )
    if credits < 0:
        raise DomainError("credits", "Crédits négatifs.", "Negative credits.")
    if credits:
        rule = CreditRule.objects.filter(kind=claim.kind).first()
        if rule is None:
            raise DomainError(
                "credits",
                "Ce type d'expérience n'apporte pas de crédits.",
                "This kind of experience brings no credits.",
            )
        if credits > rule.max_credits:
            raise DomainError(
                "credits",
                f"{rule.max_credits} crédits au plus pour ce type d'expérience.",
                f"At most {rule.max_credits} credits for this kind of experience.",
            )
