"""Named writes of the certification module: issuing and revoking Open Badges, rotating the
issuer's key. Each is atomic and journaled."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cartable.competencies import api as competencies
from cartable.core import audit, notifications
from cartable.core.errors import DomainError
from cartable.referential import api as referential

from . import rules
from .badges import documents, integrity, keys, statuslist
from .issuer import private_key
from .models import Achievement, IssuedBadge, IssuerKey, StatusList


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
