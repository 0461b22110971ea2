"""Sectioning screens for the scolarité (/sectionnement/): launch a run for a semester,
watch its progress, stop it, review it (figures, students left out and why, what changed
from the published sectioning, group sizes), export it, and publish it."""

from __future__ import annotations

import csv
import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.catalogue import api as catalogue
from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.models import Job
from cartable.core.permissions import role_required
from cartable.core.text import english, fold
from cartable.referential import api as referential
from cartable.timetable import api as timetable

from .forms_sectioning import SectioningForm
from .models import GroupMembership, SectioningRun
from .sectioning import (
    REVIEWERS,
    changes,
    do_publish_sectioning,
    do_start_sectioning,
    do_stop_sectioning,
)

PAGE_SIZE = 50
REASONS = {
    "conflict": ("Conflit d'emploi du temps", "Timetable conflict"),
    "capacity": ("Groupes complets", "Groups full"),
    "no_groups": ("UE sans groupes", "UE without groups"),
}


def _bilingual(error: DomainError) -> str:
    return f"{error.message_fr} / {error.message_en}"


def _run_or_404(run_uuid: uuid.UUID) -> SectioningRun:
    run = SectioningRun.objects.filter(uuid=run_uuid).first()
    if run is None:
        raise Http404(_("Répartition inconnue"))
    return run


def _home(request: HttpRequest, form: SectioningForm | None = None) -> HttpResponse:
    form = form or SectioningForm(initial={"year": catalogue.current_year()})
    return render(
        request,
        "enrolment/sectioning_runs.html",
        {"form": form, "runs": SectioningRun.objects.all()[:50]},
        status=400 if form.errors else 200,
    )


@role_required(*REVIEWERS)
def runs(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _home(request)
    form = SectioningForm(request.POST)
    if not form.is_valid():
        return _home(request, form)
    data = form.cleaned_data
    try:
        run = do_start_sectioning(
            data["year"],
            data["semester"],
            time_limit=data["time_limit"],
            seed=data["seed"] or 0,
            acting_user=request.user,
        )
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, _bilingual(error))
        return _home(request, form)
    messages.success(request, _("Répartition lancée : suivez son avancement ci-dessous."))
    return HttpResponseRedirect(reverse("sectioning:run", args=[run.uuid]))


def _left_out(request: HttpRequest, run: SectioningRun) -> tuple[list[dict[str, Any]], str]:
    rows = list(run.left_out)
    names = {str(p.uuid): p for p in referential.summaries({uuid.UUID(r["student"]) for r in rows})}
    is_english = english()
    query = fold(request.GET.get("q", "").strip())
    reason = request.GET.get("motif", "")
    found = []
    for row in rows:
        person = names.get(row["student"])
        name = person.display_name if person else row["student"]
        number = person.student_number if person else ""
        if reason and row["reason"] != reason:
            continue
        if query and query not in fold(f"{name} {number} {row['ue']}"):
            continue
        found.append(
            {
                "name": name,
                "number": number,
                "ue": row["ue"],
                "reason": REASONS.get(row["reason"], (row["reason"], row["reason"]))[
                    1 if is_english else 0
                ],
                "message": row["en"] if is_english else row["fr"],
            }
        )
    return found, urlencode({"q": request.GET.get("q", ""), "motif": reason})


@role_required(*REVIEWERS)
def run_detail(request: HttpRequest, run_uuid: uuid.UUID) -> HttpResponse:
    run = _run_or_404(run_uuid)
    job = Job.objects.filter(uuid=run.job_uuid).first() if run.job_uuid else None
    left_out, querystring = _left_out(request, run)
    page = Paginator(left_out, PAGE_SIZE).get_page(request.GET.get("page"))
    published = (
        SectioningRun.objects.filter(
            year=run.year, semester=run.semester, status=SectioningRun.Status.PUBLISHED
        )
        .exclude(pk=run.pk)
        .exists()
    )
    moved = changes(run) if run.status == SectioningRun.Status.READY else []
    names = {
        p.uuid: p.display_name for p in referential.summaries({c.student for c in moved[:100]})
    }
    audit.record_reads(
        "enrolment.sectioning.read",
        actor=request.user,
        subjects=[uuid.UUID(r["student"]) for r in run.left_out[:PAGE_SIZE]],
    )
    return render(
        request,
        "enrolment/sectioning_run.html",
        {
            "run": run,
            "job": job,
            "figures": run.figures,
            "page": page,
            "querystring": querystring,
            "reasons": [(key, en if english() else fr) for key, (fr, en) in REASONS.items()],
            "reason": request.GET.get("motif", ""),
            "q": request.GET.get("q", ""),
            "changes": [
                {"name": names.get(c.student, str(c.student)), "before": c.before, "after": c.after}
                for c in moved[:100]
            ],
            "changed": len(moved),
            "can_publish": run.status == SectioningRun.Status.READY,
            "compare": run.status == SectioningRun.Status.READY and published,
            "running": run.status == SectioningRun.Status.RUNNING,
        },
    )


@require_POST
@role_required(*REVIEWERS)
def run_stop(request: HttpRequest, run_uuid: uuid.UUID) -> HttpResponse:
    try:
        do_stop_sectioning(run_uuid, acting_user=request.user)
    except DomainError as error:
        messages.error(request, _bilingual(error))
    else:
        messages.success(request, _("Arrêt demandé : la meilleure répartition trouvée est gardée."))
    return HttpResponseRedirect(reverse("sectioning:run", args=[run_uuid]))


@require_POST
@role_required(*REVIEWERS)
def run_publish(request: HttpRequest, run_uuid: uuid.UUID) -> HttpResponse:
    try:
        told = do_publish_sectioning(run_uuid, acting_user=request.user)
    except DomainError as error:
        messages.error(request, _bilingual(error))
    else:
        messages.success(
            request,
            _("Répartition publiée ; %(told)s étudiant·es prévenu·es de leurs groupes.")
            % {"told": told},
        )
    return HttpResponseRedirect(reverse("sectioning:run", args=[run_uuid]))


def _csv(filename: str) -> tuple[HttpResponse, Any]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv.writer(response, delimiter=";")


@role_required(*REVIEWERS)
def run_left_out_csv(request: HttpRequest, run_uuid: uuid.UUID) -> HttpResponse:
    run = _run_or_404(run_uuid)
    rows, _query = _left_out(request, run)
    audit.record_reads(
        "enrolment.sectioning.export",
        actor=request.user,
        subjects=[uuid.UUID(r["student"]) for r in run.left_out],
    )
    response, writer = _csv(f"non-repartis-{run.year}{run.semester}.csv")
    writer.writerow(["etudiant", "numero", "ue", "motif", "explication"])
    for row in rows:
        writer.writerow([row["name"], row["number"], row["ue"], row["reason"], row["message"]])
    return response


@role_required(*REVIEWERS)
def run_groups_csv(request: HttpRequest, run_uuid: uuid.UUID) -> HttpResponse:
    """Each group's size in the run, beside its capacity."""
    run = _run_or_404(run_uuid)
    sizes: dict[uuid.UUID, int] = {}
    for key in GroupMembership.objects.filter(run=run).values_list("group__uuid", flat=True):
        sizes[key] = sizes.get(key, 0) + 1
    response, writer = _csv(f"groupes-{run.year}{run.semester}.csv")
    writer.writerow(["groupe", "effectif", "capacite"])
    for key, label, capacity in timetable.group_capacities(run.year, run.semester):
        writer.writerow([label, sizes.get(key, 0), capacity])
    return response
