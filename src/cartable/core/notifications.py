"""Messages to one person, in French and English (shown on their home page)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification


def notify(
    person_uuid: uuid.UUID,
    *,
    title: str,
    title_en: str,
    body: str = "",
    body_en: str = "",
    url: str = "",
) -> Notification:
    return Notification.objects.create(
        person_uuid=person_uuid,
        title=title,
        title_en=title_en,
        body=body,
        body_en=body_en,
        url=url,
    )


def unread(person_uuid: uuid.UUID) -> QuerySet[Notification]:
    return Notification.objects.filter(person_uuid=person_uuid, read_at__isnull=True)


def mark_read(person_uuid: uuid.UUID, notification_ids: list[int] | None = None) -> int:
    """Mark a person's notifications read (all of them, or these); returns how many."""
    rows = unread(person_uuid)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())
