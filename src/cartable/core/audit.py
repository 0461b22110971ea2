"""Writing to and reading from the audit journal.

Actions call :func:`record` for every write; views call :func:`record_reads` whenever
they show someone else's personal data. The request (address, browser) is taken from
the request context set by :class:`cartable.core.middleware.RequestContextMiddleware`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from .models import AuditEntry
from .request_context import clear_request_cache, current_request_meta

Actor = AbstractBaseUser | AnonymousUser | None


def _actor_fields(actor: Actor) -> dict[str, Any]:
    if actor is None or not actor.is_authenticated:
        return {"actor_user_id": None, "actor_label": "système" if actor is None else "anonyme"}
    person_uuid = getattr(getattr(actor, "person", None), "uuid", None)
    return {
        "actor_user_id": actor.pk,
        "actor_label": actor.get_username(),
        "actor_person_uuid": person_uuid,
    }


def _request_fields() -> dict[str, Any]:
    meta = current_request_meta()
    return {"ip_address": meta.ip_address, "user_agent": meta.user_agent}


def record(
    action: str,
    *,
    actor: Actor,
    kind: str = AuditEntry.Kind.WRITE,
    object_type: str = "",
    object_ref: str = "",
    subject: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the journal (and forget what this request had computed)."""
    clear_request_cache()
    return AuditEntry.objects.create(
        kind=kind,
        action=action,
        object_type=object_type,
        object_ref=str(object_ref),
        subject_uuid=subject,
        detail=detail or {},
        **_actor_fields(actor),
        **_request_fields(),
    )


def record_reads(
    action: str,
    *,
    actor: Actor,
    subjects: Iterable[uuid.UUID],
    object_type: str = "person",
    detail: dict[str, Any] | None = None,
    kind: str = AuditEntry.Kind.READ,
) -> int:
    """Journal that ``actor`` saw the personal data of each of ``subjects`` (not themselves)."""
    base = {**_actor_fields(actor), **_request_fields()}
    own = base.get("actor_person_uuid")
    entries = [
        AuditEntry(
            kind=kind,
            action=action,
            object_type=object_type,
            object_ref=str(subject),
            subject_uuid=subject,
            detail=detail or {},
            **base,
        )
        for subject in dict.fromkeys(subjects)
        if subject != own
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


@dataclass(frozen=True)
class JournalFilter:
    actor: str = ""
    subject: uuid.UUID | None = None
    action: str = ""
    kind: str = ""
    since: datetime | None = None
    until: datetime | None = None


def search(criteria: JournalFilter) -> QuerySet[AuditEntry]:
    """Entries matching the criteria, newest first."""
    entries = AuditEntry.objects.all()
    if criteria.actor:
        entries = entries.filter(actor_label__icontains=criteria.actor)
    if criteria.subject:
        entries = entries.filter(subject_uuid=criteria.subject)
    if criteria.action:
        entries = entries.filter(action__icontains=criteria.action)
    if criteria.kind:
        entries = entries.filter(kind=criteria.kind)
    if criteria.since:
        entries = entries.filter(at__gte=criteria.since)
    if criteria.until:
        entries = entries.filter(at__lte=criteria.until)
    return entries


def accesses_to(subject: uuid.UUID) -> QuerySet[AuditEntry]:
    """What others did with or saw of this person's data (RGPD transparency)."""
    return (
        AuditEntry.objects.filter(subject_uuid=subject)
        .exclude(Q(actor_person_uuid=subject))
        .order_by("-at", "-id")
    )


def last_actor(object_type: str, object_ref: str, action: str) -> int | None:
    """The user id of whoever last did ``action`` on an object (through the object index)."""
    actor: int | None = (
        AuditEntry.objects.filter(object_type=object_type, object_ref=object_ref, action=action)
        .order_by("-id")
        .values_list("actor_user_id", flat=True)
        .first()
    )
    return actor
