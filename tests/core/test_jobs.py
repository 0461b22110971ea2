"""Background jobs: in-process by default, on a Celery worker pool when a broker is set."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
from django.test import Client

from cartable.core import jobs
from cartable.core.models import Job

pytestmark = pytest.mark.django_db


def count_to(progress: jobs.Progress, *, n: int) -> dict[str, Any]:
    for i in range(n):
        progress((i + 1) / n, f"{i + 1}/{n}")
    return {"summary": f"compté jusqu'à {n}"}


def explode(progress: jobs.Progress) -> dict[str, Any]:
    progress(0.5)
    raise RuntimeError("boom")


@pytest.fixture
def handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(jobs.JOB_HANDLERS, "test.count", f"{__name__}.count_to")
    monkeypatch.setitem(jobs.JOB_HANDLERS, "test.explode", f"{__name__}.explode")


def test_a_job_runs_in_process_and_records_its_result(
    handlers: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("test.count", "Compter", {"n": 4}, acting_user=None)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress == 1.0
    assert job.result == {"summary": "compté jusqu'à 4"}


def test_a_failing_job_is_reported_not_lost(
    handlers: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("test.explode", "Exploser", {}, acting_user=None)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "boom" in job.error


def test_an_unknown_job_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown job kind"):
        jobs.enqueue("nope", "x", {}, acting_user=None)


def test_a_job_page_is_shown_to_its_launcher_only(client_as, persona) -> None:  # type: ignore[no-untyped-def]
    from tests.personas import login

    teacher = persona("teacher")
    job = Job.objects.create(
        kind="test.count", label="Ma tâche", created_by_user_id=teacher.user.pk
    )
    assert login(Client(), teacher).get(f"/taches/{job.uuid}/").status_code == 200
    assert client_as("student").get(f"/taches/{job.uuid}/").status_code == 404
    assert client_as("dsin_admin").get(f"/taches/{job.uuid}/").status_code == 200


def test_a_running_job_page_polls_and_a_finished_one_stops(persona) -> None:  # type: ignore[no-untyped-def]
    from tests.personas import login

    teacher = persona("teacher")
    client = login(Client(), teacher)
    job = Job.objects.create(
        kind="test.count",
        label="T",
        created_by_user_id=teacher.user.pk,
        status=Job.Status.RUNNING,
        progress=0.42,
    )
    page = client.get(f"/taches/{job.uuid}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'value="42"' in page
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, progress=1.0)
    partial = client.get(f"/taches/{job.uuid}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not _redis_available(), reason="needs a Redis server on 127.0.0.1:6379")
def test_with_a_broker_jobs_run_on_a_celery_worker(handlers: None, settings: Any) -> None:
    from celery.contrib.testing.worker import start_worker

    from cartable.celery import app

    def use_broker(url: str, *, eager: bool) -> None:
        app.conf.update(broker_url=url, result_backend=None, task_always_eager=eager)
        app._pool = None  # connections made for the previous broker must not be reused
        app.amqp._producer_pool = None

    use_broker("redis://127.0.0.1:6379/15", eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            job = jobs.enqueue("test.count", "Compter", {"n": 3}, acting_user=None)
            for _ in range(100):
                job.refresh_from_db()
                if job.finished:
                    break
                time.sleep(0.1)
        assert job.status == Job.Status.SUCCEEDED
        assert job.result == {"summary": "compté jusqu'à 3"}
    finally:
        use_broker("memory://", eager=True)
