"""Following a background job: its progress while it runs, its result when it ends."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Job
from .permissions import Role, has_any_role, login_required


def _job_for_user(request: HttpRequest, job_uuid: str) -> Job:
    """A job is visible to whoever launched it and to DSIN administrators; 404 otherwise."""
    job = Job.objects.filter(uuid=job_uuid).first()
    if job is None:
        raise Http404
    if job.created_by_user_id != request.user.pk and not has_any_role(
        request.user, {Role.DSIN_ADMIN}
    ):
        raise Http404
    return job


@login_required
def job_detail(request: HttpRequest, job_uuid: str) -> HttpResponse:
    job = _job_for_user(request, job_uuid)
    template = "core/_job_status.html" if getattr(request, "htmx", False) else "core/job.html"
    return render(request, template, {"job": job})
