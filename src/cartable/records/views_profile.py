"""The student's path ("Mon parcours", §5.2.3 perspectives): their competency map, validated
blocks, badges, and their progress towards the diploma requirement by requirement — what is
missing and which UEs of the catalogue would close the gap — with a what-if (planned UEs,
another programme or catalogue year) that changes nothing. Advisors (the staff who see the
student's dossier) see the same page for a student, journaled. The scolarité recomputes every
student's profile in the background."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.certification import api as certification
from cartable.core import audit, jobs
from cartable.core.models import Job
from cartable.core.permissions import Role, login_required, role_required
from cartable.core.text import english
from cartable.referential import api as referential

from .forms import WhatIfForm
from .models import ProfileSnapshot
from .profile import ProfileView, profile_of, requirement_years
from .views_staff import student_for_staff

STATE_LABELS = {
    "met": ("Rempli", "Met"),
    "met_if_planned": ("Rempli si les UE prévues sont validées", "Met if the planned UEs pass"),
    "missing": ("À compléter", "To complete"),
}


def _planned(raw: str) -> tuple[str, ...]:
    return tuple(code for code in re.split(r"[\s,;]+", raw.upper()) if code)


def _requirements(view: ProfileView) -> list[dict[str, Any]]:
    is_english = english()
    lines = []
    for index, result in enumerate(view.profile.results):
        state = STATE_LABELS[result.state]
        lines.append(
            {
                "label": result.label_en if is_english and result.label_en else result.label,
                "state": result.state,
                "state_label": state[1] if is_english else state[0],
                "have": result.have,
                "need": result.need,
                "percent": round(result.progress * 100),
                "gap": result.gap_en if is_english else result.gap,
                "counted": result.counted,
                "assumption": result.assumption,
                "suggestions": view.suggestions.get(index, ()),
            }
        )
    return lines


def _competency_map(student_uuid: uuid.UUID) -> list[dict[str, Any]]:
    is_english = english()
    blocks: dict[uuid.UUID, dict[str, Any]] = {}
    for level in certification.competency_levels(student_uuid):
        block = blocks.setdefault(
            level.block_uuid,
            {
                "code": level.block_code,
                "title": level.block_title_en
                if is_english and level.block_title_en
                else level.block_title,
                "competencies": [],
            },
        )
        block["competencies"].append(
            {
                "code": level.code,
                "title": level.title_en if is_english and level.title_en else level.title,
                "rank": level.rank,
                "sources": ", ".join(level.sources),
            }
        )
    return list(blocks.values())


def _page(
    request: HttpRequest, student_uuid: uuid.UUID, *, staff: bool, action: str
) -> HttpResponse:
    form = WhatIfForm(request.GET or None, years=requirement_years())
    planned: tuple[str, ...] = ()
    programme = year = None
    if form.is_valid():
        planned = _planned(form.cleaned_data["planned"])
        programme = form.cleaned_data["programme"] or None
        year = form.cleaned_data["year"]
    view = profile_of(student_uuid, planned=planned, programme=programme, catalogue_year=year)
    return render(
        request,
        "records/profile.html",
        {
            "student": referential.summary(student_uuid) if staff else None,
            "view": view,
            "requirements": _requirements(view),
            "competency_map": _competency_map(student_uuid),
            "badges": certification.badges_of(student_uuid),
            "form": form,
            "action": action,
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    me = referential.person_uuid_for_user(request.user)
    if me is None:
        raise Http404
    return _page(request, me, staff=False, action=reverse("records:my_profile"))


@login_required
def student_profile(request: HttpRequest, student_uuid: uuid.UUID) -> HttpResponse:
    student, _registration, _scope = student_for_staff(request, student_uuid)
    audit.record_reads(
        "records.profile.read", actor=request.user, subjects=[student.uuid], object_type="person"
    )
    return _page(
        request,
        student.uuid,
        staff=True,
        action=reverse("records:student_profile", args=[student.uuid]),
    )


@role_required(Role.SCOLARITE)
def profiles(request: HttpRequest) -> HttpResponse:
    """Where the profiles stand, and their recomputation as a background job."""
    snapshots = ProfileSnapshot.objects.all()
    last = snapshots.order_by("-computed_at").values_list("computed_at", flat=True).first()
    job = Job.objects.filter(kind="records.profiles").order_by("-created_at").first()
    return render(
        request,
        "records/profiles.html",
        {
            "total": snapshots.count(),
            "complete": snapshots.filter(complete=True).count(),
            "last": last,
            "job": job,
        },
    )


@require_POST
@role_required(Role.SCOLARITE)
def profiles_recompute(request: HttpRequest) -> HttpResponse:
    job = jobs.enqueue(
        "records.profiles",
        _("Recalcul des profils de diplôme"),
        {},
        acting_user=request.user,
        coalesce=True,
    )
    audit.record("records.profiles.recompute", actor=request.user, object_ref=str(job.uuid))
    messages.success(request, _("Recalcul lancé : suivez son avancement ci-dessous."))
    return HttpResponseRedirect(reverse("records:profiles"))
