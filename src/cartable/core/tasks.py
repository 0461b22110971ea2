from __future__ import annotations

from celery import shared_task

from . import jobs


@shared_task(name="cartable.run_job", acks_late=True)
def run_job(job_uuid: str) -> None:
    jobs.execute(job_uuid)
