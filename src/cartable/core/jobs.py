"""Background jobs with progress.

``enqueue`` records a :class:`Job` and hands it to Celery once the transaction commits: to the
worker pool when ``CELERY_BROKER_URL`` is set, in-process otherwise (the embedded default).
A job's handler is a plain function named in ``JOB_HANDLERS``; it receives a
:class:`Progress` to report how far it is.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Job

logger = logging.getLogger(__name__)

#: job kind -> dotted path of its handler ``handler(progress, **payload) -> dict``
JOB_HANDLERS: dict[str, str] = {
    "referential.import": "cartable.referential.jobs.import_file",
    "records.profiles": "cartable.records.profile.recompute_job",
    "certification.awards": "cartable.certification.actions.awards_job",
    "enrolment.sectioning": "cartable.enrolment.sectioning.sectioning_job",
    "enrolment.exams": "cartable.enrolment.exams.plan_job",
    "timetable.design": "cartable.timetable.design.design_job",
}


class Progress:
    """Reports a job's progress; writes at most every 1 % to keep the database quiet."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = -1.0

    def __call__(self, fraction: float, message: str = "") -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        if fraction - self._last < 0.01 and fraction < 1.0 and not message:
            return
        self._last = fraction
        Job.objects.filter(pk=self.job.pk).update(progress=fraction, message=message[:300])


def enqueue(
    kind: str,
    label: str,
    payload: dict[str, Any],
    *,
    acting_user: Any,
    coalesce: bool = False,
) -> Job:
    """Record a job and run it once the transaction commits. ``coalesce``: when a job of the
    same kind and payload is still queued, it is that job (it will see the latest data), not a
    second one."""
    if kind not in JOB_HANDLERS:
        raise ValueError(f"Unknown job kind {kind!r}")
    if coalesce:
        waiting = Job.objects.filter(kind=kind, status=Job.Status.QUEUED, payload=payload).first()
        if waiting is not None:
            return waiting
    job = Job.objects.create(
        kind=kind,
        label=label,
        payload=payload,
        created_by_user_id=getattr(acting_user, "pk", None),
    )
    from .tasks import run_job

    transaction.on_commit(lambda: run_job.delay(str(job.uuid)))
    return job


def execute(job_uuid: str) -> None:
    """Run one job: mark it running, call its handler, record the result or the error."""
    job = Job.objects.get(uuid=job_uuid)
    if job.status != Job.Status.QUEUED:
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    handler: Callable[..., dict[str, Any]] = import_string(JOB_HANDLERS[job.kind])
    try:
        result = handler(Progress(job), **job.payload)
    except Exception as error:  # a failed job is reported, never lost
        logger.exception("Job %s failed", job_uuid)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{error}\n{traceback.format_exc(limit=5)}",
        )
        return
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED,
        progress=1.0,
        finished_at=timezone.now(),
        result=result or {},
    )


def stop_flag(model: Any, pk: int, *, every: float = 1.0) -> Callable[[], bool]:
    """A ``should_stop()`` for a long computation: true once the row's ``stop_requested`` is
    set (someone pressed the stop button); the database is asked at most every ``every``
    seconds."""
    import time

    last = [0.0, False]

    def should_stop() -> bool:
        now = time.monotonic()
        if now - float(last[0]) >= every:
            last[0] = now
            last[1] = model.objects.filter(pk=pk, stop_requested=True).exists()
        return bool(last[1])

    return should_stop


def solver_progress(
    progress: Callable[[float, str], None], time_limit: float
) -> Callable[[float, int, int, int], None]:
    """A solver's ``progress(elapsed, current cost, best cost, hard violations)`` as a job's
    progress: the share of the time limit spent, and the costs in words."""

    def report(elapsed: float, current: int, best: int, hard: int) -> None:
        progress(
            min(elapsed / max(time_limit, 1.0), 0.99),
            f"{elapsed:.0f} s — coût actuel {current}, meilleur {best}, "
            f"contraintes dures violées {hard}",
        )

    return report
