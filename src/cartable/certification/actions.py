"""Named writes of the certification module: issuing and revoking Open Badges, rotating the
issuer's key. Each is atomic and journaled."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cartable.competencies import api as competencies
from cartable.core import audit, jobs, notifications
from cartable.core.errors import DomainError
from cartable.enrolment import api as enrolment
from cartable.referential import api as referential

from . import rules
from .badges import documents, integrity, keys, statuslist
from .issuer import private_key
from .models import Achievement, Certification, IssuedBadge, IssuerKey, StatusList


def _person_model() -> Any:
    return IssuedBadge._meta.get_field("recipient").related_model


# --- keys ------------------------------------------------------------------------------------


def _signing_key() -> IssuerKey:
    """The key that signs now (one is made the first time)."""
    key = IssuerKey.objects.filter(retired_at__isnull=True).first()
    if key is None:
        public, pem = keys.new_key()
        key = IssuerKey.objects.create(public_key_multibase=public, private_key_pem=pem)
    return key


@transaction.atomic
def do_rotate_issuer_key(*, acting_user: Any) -> IssuerKey:
    """Retire the signing key and make a new one. The retired key stays in the issuer profile:
    the credentials it signed still verify; new ones are signed with the new key."""
    now = timezone.now()
    IssuerKey.objects.select_for_update().filter(retired_at__isnull=True).update(retired_at=now)
    public, pem = keys.new_key()
    key = IssuerKey.objects.create(public_key_multibase=public, private_key_pem=pem)
    for status_list in StatusList.objects.select_for_update():
        _sign_status_list(status_list, key, now)
    audit.record(
        "certification.issuer_key.rotate",
        actor=acting_user,
        object_type="issuer_key",
        object_ref=public,
    )
    return key


def _sign(document: dict[str, Any], key: IssuerKey, at: datetime) -> dict[str, Any]:
    return integrity.sign(
        document,
        private_key(key.private_key_pem),
        documents.verification_method(key.public_key_multibase),
        documents.timestamp(at),
    )


# --- status lists ----------------------------------------------------------------------------


def _sign_status_list(status_list: StatusList, key: IssuerKey, at: datetime) -> None:
    revoked = status_list.badges.filter(revoked_at__isnull=False).values_list(
        "status_index", flat=True
    )
    encoded = statuslist.encode(revoked, status_list.size)
    status_list.credential = _sign(
        documents.status_list_credential(status_list.number, encoded, at), key, at
    )
    status_list.save(update_fields=["credential", "updated_at"])


def _allocate(key: IssuerKey, at: datetime) -> tuple[StatusList, int]:
    """A free index drawn at random in the current list; a new list once half of it is used
    (random draws stay cheap and the list keeps its herd privacy)."""
    status_list = StatusList.objects.select_for_update().order_by("-number").first()
    if status_list is None or status_list.badges.count() >= status_list.size // 2:
        number = status_list.number + 1 if status_list else 1
        status_list = StatusList.objects.create(number=number)
        _sign_status_list(status_list, key, at)
    used = set(status_list.badges.values_list("status_index", flat=True))
    while True:
        index = secrets.randbelow(status_list.size)
        if index not in used:
            return status_list, index


# --- badges ----------------------------------------------------------------------------------


def achievement_data(achievement: Achievement) -> documents.AchievementData:
    return documents.AchievementData(
        uuid=achievement.uuid,
        kind=achievement.kind,
        name=achievement.name,
        name_en=achievement.name_en,
        description=achievement.description,
        criteria=achievement.criteria,
        alignments=tuple(achievement.alignments or ()),
    )


def do_issue_badge(
    achievement_code: str,
    student_uuid: uuid.UUID,
    *,
    source: str = "",
    acting_user: Any,
    now: datetime | None = None,
) -> IssuedBadge:
    """Issue the achievement's badge to the student, signed; the live badge they already hold
    when there is one (issuing is idempotent)."""
    try:
        with transaction.atomic():
            return _issue(achievement_code, student_uuid, source, acting_user, now)
    except IntegrityError:  # another request issued it at the same moment
        return IssuedBadge.objects.get(
            achievement__code=achievement_code,
            recipient__uuid=student_uuid,
            revoked_at__isnull=True,
        )


def _issue(
    achievement_code: str,
    student_uuid: uuid.UUID,
    source: str,
    acting_user: Any,
    now: datetime | None,
) -> IssuedBadge:
    achievement = Achievement.objects.filter(code=achievement_code).first()
    if achievement is None:
        raise DomainError(
            "achievement",
            f"Réalisation inconnue : {achievement_code}.",
            f"Unknown achievement: {achievement_code}.",
        )
    live = IssuedBadge.objects.filter(
        achievement=achievement, recipient__uuid=student_uuid, revoked_at__isnull=True
    ).first()
    if live is not None:
        return live
    person = referential.summary(student_uuid)
    email = person.institutional_email if person else ""
    if not email:
        raise DomainError(
            "recipient",
            "Le titulaire n'a pas d'adresse électronique institutionnelle : le badge ne peut "
            "pas le désigner.",
            "The recipient has no institutional e-mail address: the badge cannot name them.",
        )
    at = (now or timezone.now()).replace(microsecond=0)
    key = _signing_key()
    status_list, index = _allocate(key, at)
    badge = IssuedBadge(
        achievement=achievement,
        recipient=_person_model().objects.get(uuid=student_uuid),
        key=key,
        status_list=status_list,
        status_index=index,
        issued_at=at,
        source=source[:250],
    )
    unsigned = documents.credential(
        key=badge.uuid,
        achievement_data=achievement_data(achievement),
        recipient_email=email,
        issued_at=at,
        status_list_number=status_list.number,
        status_index=index,
    )
    badge.credential = _sign(unsigned, key, at)
    badge.save()
    audit.record(
        "certification.badge.issue",
        actor=acting_user,
        object_type="badge",
        object_ref=str(badge.uuid),
        subject=student_uuid,
        detail={"achievement": achievement.code},
    )
    notifications.notify(
        student_uuid,
        title=f"Nouveau badge : {achievement.name}",
        title_en=f"New badge: {achievement.name_en or achievement.name}",
        url=reverse("badges:badge", args=[badge.uuid]),
    )
    return badge


@transaction.atomic
def do_revoke_badge(badge_uuid: uuid.UUID, *, reason: str, acting_user: Any) -> IssuedBadge:
    """Revoke a badge: its bit is set in the published status list, which is signed again."""
    if not reason.strip():
        raise DomainError(
            "reason", "Le motif de révocation est obligatoire.", "A reason is required."
        )
    badge = IssuedBadge.objects.select_for_update().filter(uuid=badge_uuid).first()
    if badge is None:
        raise DomainError("badge", "Badge inconnu.", "Unknown badge.")
    if badge.revoked_at is not None:
        raise DomainError("badge", "Ce badge est déjà révoqué.", "This badge is already revoked.")
    now = timezone.now()
    badge.revoked_at = now
    badge.revocation_reason = reason.strip()
    badge.save(update_fields=["revoked_at", "revocation_reason"])
    status_list = StatusList.objects.select_for_update().get(pk=badge.status_list_id)
    _sign_status_list(status_list, _signing_key(), now)
    audit.record(
        "certification.badge.revoke",
        actor=acting_user,
        object_type="badge",
        object_ref=str(badge.uuid),
        subject=badge.recipient.uuid,
        detail={"reason": badge.revocation_reason},
    )
    return badge


# --- badges that follow from levels ------------------------------------------------------------


def award_block_badges(student_uuid: uuid.UUID, *, acting_user: Any) -> list[IssuedBadge]:
    """Issue the badges of the blocks the student has now validated (active block
    achievements only; those already held are kept as they are)."""
    from .levels import levels_of

    achievements = list(
        Achievement.objects.filter(
            kind=Achievement.Kind.BLOCK,
            active=True,
            block_uuid__isnull=False,
            required_rank__isnull=False,
        ).exclude(badges__recipient__uuid=student_uuid, badges__revoked_at__isnull=True)
    )
    if not achievements:
        return []
    levels = {level.competency.uuid: level for level in levels_of(student_uuid)}
    # a block can be validated only if the student has evidence in it
    touched = {level.competency.block.uuid for level in levels.values()}
    achievements = [a for a in achievements if a.block_uuid in touched]
    if not achievements:
        return []
    members = competencies.competencies_of_blocks(
        a.block_uuid for a in achievements if a.block_uuid
    )
    issued = []
    for achievement in achievements:
        assert achievement.block_uuid is not None
        assert achievement.required_rank is not None
        progress = rules.BlockProgress(
            required_rank=achievement.required_rank,
            levels=tuple(
                (c.code, levels[c.uuid].rank if c.uuid in levels else None)
                for c in members.get(achievement.block_uuid, [])
            ),
        )
        if progress.validated:
            issued.append(
                do_issue_badge(
                    achievement.code,
                    student_uuid,
                    source="bloc validé",
                    acting_user=acting_user,
                )
            )
    return issued


def _live_held(student_uuid: uuid.UUID) -> set[int]:
    return set(
        IssuedBadge.objects.filter(
            recipient__uuid=student_uuid, revoked_at__isnull=True
        ).values_list("achievement_id", flat=True)
    )


def _award_ue_badges(student_uuid: uuid.UUID, *, acting_user: Any) -> list[IssuedBadge]:
    """The badges of the UEs the student has passed (published grade A–E)."""
    achievements = [
        a
        for a in Achievement.objects.filter(kind=Achievement.Kind.UE, active=True).exclude(
            ue_code=""
        )
        if a.id not in _live_held(student_uuid)
    ]
    if not achievements:
        return []
    passed = {
        result.ue_code.upper()
        for result in enrolment.results_of_many([student_uuid]).get(student_uuid, [])
        if result.passed
    }
    return [
        do_issue_badge(a.code, student_uuid, source="UE validée", acting_user=acting_user)
        for a in achievements
        if a.ue_code.upper() in passed
    ]


def _award_certification_badges(student_uuid: uuid.UUID, *, acting_user: Any) -> list[IssuedBadge]:
    """The badges of the certifications whose score the student has reached."""
    achievements = [
        a
        for a in Achievement.objects.filter(
            kind=Achievement.Kind.CERTIFICATION, active=True, min_score__isnull=False
        ).exclude(certification="")
        if a.id not in _live_held(student_uuid)
    ]
    if not achievements:
        return []
    best: dict[str, int] = {}
    for test, score in Certification.objects.filter(student__uuid=student_uuid).values_list(
        "test", "score"
    ):
        best[test.lower()] = max(best.get(test.lower(), 0), score)
    return [
        do_issue_badge(a.code, student_uuid, source="score atteint", acting_user=acting_user)
        for a in achievements
        if a.min_score is not None and best.get(a.certification.lower(), -1) >= a.min_score
    ]


def award_badges(student_uuid: uuid.UUID, *, acting_user: Any) -> list[IssuedBadge]:
    """Issue every badge the student has now earned and does not hold: validated blocks,
    passed UEs, certification scores reached (active achievements only)."""
    return [
        *award_block_badges(student_uuid, acting_user=acting_user),
        *_award_ue_badges(student_uuid, acting_user=acting_user),
        *_award_certification_badges(student_uuid, acting_user=acting_user),
    ]


def award_candidates() -> list[uuid.UUID]:
    """Students who may have earned a badge of an active achievement: those with evidence in a
    competency, a passed UE of an achievement, or a score of an achievement's test."""
    from .models import Assessment, ExperienceClaim

    found: set[uuid.UUID] = set()
    active = Achievement.objects.filter(active=True)
    if active.filter(kind=Achievement.Kind.BLOCK).exists():
        found |= set(
            Assessment.objects.filter(published_at__isnull=False).values_list(
                "student__uuid", flat=True
            )
        )
        found |= set(
            ExperienceClaim.objects.filter(status=ExperienceClaim.Status.ACCEPTED).values_list(
                "student__uuid", flat=True
            )
        )
    codes = {
        c.upper() for c in active.filter(kind=Achievement.Kind.UE).values_list("ue_code", flat=True)
    }
    if codes:
        found |= {
            student
            for student, _o, code, _g, _at in enrolment.published_passes()
            if code.upper() in codes
        }
    tests = set(
        active.filter(kind=Achievement.Kind.CERTIFICATION).values_list("certification", flat=True)
    )
    if tests:
        found |= set(
            Certification.objects.filter(test__in=tests).values_list("student__uuid", flat=True)
        )
    return sorted(found)


def awards_job(progress: Any, students: list[str] | None = None) -> dict[str, Any]:
    """Background job: award the badges earned by ``students`` (uuids), or by every candidate
    when it names none."""
    chosen = [uuid.UUID(s) for s in students] if students else award_candidates()
    issued = 0
    total = len(chosen)
    for index, student in enumerate(chosen, start=1):
        issued += len(award_badges(student, acting_user=None))
        if index % 20 == 0 or index == total:
            progress(index / total, f"{index}/{total} étudiant·es, {issued} badges délivrés")
    return {"students": total, "issued": issued}


def award_badges_later(student_uuids: Iterable[uuid.UUID], *, acting_user: Any) -> None:
    """Queue the issuing of the badges these students may have earned (passed UEs, scores),
    when some active achievement certifies a UE or a certification; nothing otherwise."""
    chosen = sorted({str(s) for s in student_uuids})
    wanted = Achievement.objects.filter(
        active=True, kind__in=(Achievement.Kind.UE, Achievement.Kind.CERTIFICATION)
    )
    if chosen and wanted.exists():
        jobs.enqueue(
            "certification.awards",
            "Délivrance des badges",
            {"students": chosen},
            acting_user=acting_user,
        )


# --- achievements the scolarité configures ------------------------------------------------------

#: certification tests an achievement may name, with their score range
TESTS: dict[str, tuple[str, int, int]] = {
    "toeic": ("TOEIC Listening & Reading", 10, 990),
    "pix": ("PIX", 0, 1024),
}


def do_create_achievement(
    *,
    kind: str,
    ue_code: str = "",
    test: str = "",
    min_score: int | None = None,
    name: str = "",
    name_en: str = "",
    criteria: str = "",
    acting_user: Any,
) -> Achievement:
    """An achievement that certifies a passed UE or a certification score, issued
    automatically from now on (and to those who already qualify, by a background job)."""
    from cartable.catalogue import api as catalogue

    if kind == Achievement.Kind.UE:
        code = catalogue.resolve_ue_code(ue_code.strip()) if ue_code.strip() else None
        if code is None:
            raise DomainError(
                "ue_code",
                f"UE inconnue du catalogue : {ue_code}.",
                f"UE not in the catalogue: {ue_code}.",
            )
        offer = catalogue.published_offer(code)
        title = offer.title if offer else code
        slug = f"ue-{code.lower()}"
        values: dict[str, Any] = {
            "ue_code": code,
            "name": name.strip() or f"UE {code} — {title}",
            "name_en": name_en.strip(),
            "description": f"L'UE {code} ({title}) validée.",
            "criteria": criteria.strip()
            or f"Avoir validé l'UE {code} (note A à E publiée après le jury).",
        }
    elif kind == Achievement.Kind.CERTIFICATION:
        test = test.strip().lower()
        if test not in TESTS:
            raise DomainError(
                "test",
                f"Test inconnu : choisissez parmi {', '.join(sorted(TESTS))}.",
                f"Unknown test: choose among {', '.join(sorted(TESTS))}.",
            )
        label, low, high = TESTS[test]
        if min_score is None or not (low <= min_score <= high):
            raise DomainError(
                "min_score",
                f"Le score {label} va de {low} à {high}.",
                f"The {label} score ranges from {low} to {high}.",
            )
        slug = f"{test}-{min_score}"
        values = {
            "certification": test,
            "min_score": min_score,
            "name": name.strip() or f"{label} {min_score}",
            "name_en": name_en.strip(),
            "description": f"Un score {label} d'au moins {min_score}.",
            "criteria": criteria.strip() or f"Obtenir un score {label} d'au moins {min_score}.",
        }
    else:
        raise DomainError(
            "kind",
            "Seules les UE et les certifications se configurent ici ; les blocs suivent les "
            "référentiels.",
            "Only UEs and certifications are configured here; blocks follow the frameworks.",
        )
    if Achievement.objects.filter(code=slug).exists():
        raise DomainError(
            "kind",
            f"Cette réalisation existe déjà ({slug}).",
            f"This achievement already exists ({slug}).",
        )
    achievement = Achievement.objects.create(code=slug, kind=kind, active=True, **values)
    audit.record(
        "certification.achievement.create",
        actor=acting_user,
        object_type="achievement",
        object_ref=slug,
        detail={"kind": kind, **{k: v for k, v in values.items() if k != "description"}},
    )
    _award_everyone(acting_user)
    return achievement


def _award_everyone(acting_user: Any) -> None:
    jobs.enqueue(
        "certification.awards",
        "Délivrance des badges",
        {},
        acting_user=acting_user,
        coalesce=True,
    )


@transaction.atomic
def do_set_achievement_active(
    achievement_uuid: uuid.UUID, active: bool, *, acting_user: Any
) -> Achievement:
    """Start or stop issuing an achievement automatically; starting issues it to those who
    already qualify (background job). Badges already issued stay valid."""
    achievement = Achievement.objects.select_for_update().filter(uuid=achievement_uuid).first()
    if achievement is None:
        raise DomainError("achievement", "Réalisation inconnue.", "Unknown achievement.")
    if achievement.active != active:
        achievement.active = active
        achievement.save(update_fields=["active"])
        audit.record(
            "certification.achievement.activate"
            if active
            else "certification.achievement.deactivate",
            actor=acting_user,
            object_type="achievement",
            object_ref=achievement.code,
        )
        if active:
            _award_everyone(acting_user)
    return achievement
