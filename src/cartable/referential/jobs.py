"""Background jobs of the referential (handlers listed in ``cartable.core.jobs.JOB_HANDLERS``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from cartable.core import pending_uploads as pending
from cartable.core.jobs import Progress

from .imports import run_import


class ImportFileMissing(RuntimeError):
    """The confirmed file is no longer waiting (expired or already imported)."""


def import_file(
    progress: Progress, *, token: str, kind: str, fmt: str, user_id: int | None
) -> dict[str, Any]:
    """Import a file kept after a successful dry run; the report becomes the job's result."""
    content = pending.load(token)
    if content is None:
        raise ImportFileMissing(
            "Le fichier n'est plus disponible : déposez-le à nouveau. / "
            "The file is no longer available: upload it again."
        )
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report = run_import(kind, content, fmt=fmt, dry_run=False, acting_user=user, progress=progress)
    if report.committed:
        pending.discard(token)
    summary = (
        f"{report.created} créés, {report.updated} modifiés, {report.unchanged} inchangés"
        if report.committed
        else f"{len(report.errors)} erreurs : rien n'a été enregistré"
    )
    return {
        "report": report.as_dict(),
        "summary": summary,
        "next_url": reverse("referential:imports") + f"?tache={progress.job.uuid}",
    }
