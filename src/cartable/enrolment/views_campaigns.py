"""The student's semester choice screens."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cartable.core.permissions import login_required

from .queries import semester_view


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    return render(request, "enrolment/campaigns.html", {})


@login_required
def campaign(request: HttpRequest, code: str) -> HttpResponse:
    from cartable.referential import api as referential

    person = referential.person_uuid_for_user(request.user)
    assert person is not None
    return render(request, "enrolment/campaign.html", {"view": semester_view(code, person)})
