"""Designing the weekly template (/emploi-du-temps/conception/): launch a computation for a
semester with pinned UEs or groups, watch it, stop it, review what moves, publish it."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cartable.catalogue import api as catalogue
from cartable.core.errors import DomainError
from cartable.core.models import Job
from cartable.core.permissions import Role, role_required

from ..design import compare, do_publish_design, do_start_design, do_stop_design, moves
from ..models import TemplateRun


class DesignForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Année du catalogue"), min_value=2000, max_value=2100
    )
    semester = forms.ChoiceField(
        label=gettext_lazy("Semestre"),
        choices=[("A", gettext_lazy("Automne")), ("P", gettext_lazy("Printemps"))],
    )
    time_limit = forms.IntegerField(
        label=gettext_lazy("Temps de calcul (secondes)"), min_value=5, max_value=3600, initial=120
    )
    seed = forms.IntegerField(label=gettext_lazy("Graine"), min_value=0, initial=0, required=False)
    pinned = forms.CharField(
        label=gettext_lazy("UE ou groupes épinglés"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Ils gardent leur créneau et leur salle : « LO21 » pour toute l'UE, « IA41/TD1 » "
            "pour un groupe."
        ),
    )


def _run_choices() -> list[tuple[str, str]]:
    return [
        (
            str(r.uuid),
            f"{r.year}{r.semester} — {r.created_at:%Y-%m-%d %H:%M} ({r.get_status_display()})",
        )
        for r in TemplateRun.objects.exclude(status=TemplateRun.Status.RUNNING)[:50]
    ]


class CompareForm(forms.Form):
    first = forms.ChoiceField(label=gettext_lazy("Première proposition"))
    second = forms.ChoiceField(label=gettext_lazy("Seconde proposition"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _run_choices()
        cast(forms.ChoiceField, self.fields["first"]).choices = choices
        cast(forms.ChoiceField, self.fields["second"]).choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        runs = {
            str(r.uuid): (r.year, r.semester)
            for r in TemplateRun.objects.filter(uuid__in=[data.get("first"), data.get("second")])
        }
        if len(set(runs.values())) > 1:
            self.add_error(
                "second",
                _("Seconde proposition : choisissez-en une du même semestre que la première.")
                + " / "
                + "Second proposal: choose one of the same semester as the first.",
            )
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error(
                "second",
                _("Seconde proposition : choisissez-en une autre que la première.")
                + " / "
                + "Second proposal: choose another one than the first.",
            )
        return data


def _french(request: HttpRequest) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "fr") or "fr").startswith("fr")


def _bilingual(error: DomainError) -> str:
    return f"{error.message_fr} / {error.message_en}"


@role_required(Role.SCOLARITE)
def design_runs(request: HttpRequest) -> HttpResponse:
    form = DesignForm(
        request.POST or None, initial={"year": catalogue.current_year(), "semester": "A"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = do_start_design(
                data["year"],
                data["semester"],
                time_limit=data["time_limit"],
                seed=data["seed"] or 0,
                pinned=data["pinned"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, _bilingual(error))
        else:
            messages.success(request, _("Calcul lancé : suivez son avancement ci-dessous."))
            return HttpResponseRedirect(reverse("timetable:design_run", args=[run.uuid]))
    return render(
        request,
        "timetable/design_runs.html",
        {
            "form": form,
            "runs": TemplateRun.objects.all()[:50],
            "compare_form": CompareForm(),
            "year": catalogue.current_year(),
        },
        status=400 if form.errors else 200,
    )


def _run_or_404(run_uuid: uuid.UUID) -> TemplateRun:
    run = TemplateRun.objects.filter(uuid=run_uuid).first()
    if run is None:
        raise Http404(_("Calcul inconnu"))
    return run


@role_required(Role.SCOLARITE)
def design_run(request: HttpRequest, run_uuid: uuid.UUID) -> HttpResponse:
    run = _run_or_404(run_uuid)
    return render(
        request,
        "timetable/design_run.html",
        {
            "run": run,
            "job": Job.objects.filter(uuid=run.job_uuid).first() if run.job_uuid else None,
            "figures": run.figures,
            "moves": moves(run) if run.proposal else [],
            "notes": [fr if _french(request) else en for fr, en in run.figures.get("notes", [])],
            "running": run.status == TemplateRun.Status.RUNNING,
            "can_publish": run.status == TemplateRun.Status.READY and run.figures.get("feasible"),
        },
    )


@require_POST
@role_required(Role.SCOLARITE)
def design_stop(request: HttpRequest, run_uuid: uuid.UUID) -> HttpResponse:
    run = _run_or_404(run_uuid)
    do_stop_design(run.uuid, acting_user=request.user)
    messages.success(request, _("Arrêt demandé : la meilleure proposition trouvée est gardée."))
    return HttpResponseRedirect(reverse("timetable:design_run", args=[run.uuid]))


@require_POST
@role_required(Role.SCOLARITE)
def design_publish(request: HttpRequest, run_uuid: uuid.UUID) -> HttpResponse:
    run = _run_or_404(run_uuid)
    try:
        moved = do_publish_design(run.uuid, acting_user=request.user)
    except DomainError as error:
        messages.error(request, _bilingual(error))
    else:
        messages.success(
            request,
            _("Semaine type publiée : %(moved)s groupes déplacés.") % {"moved": moved},
        )
    return HttpResponseRedirect(reverse("timetable:design_run", args=[run.uuid]))


@role_required(Role.SCOLARITE)
def design_compare(request: HttpRequest) -> HttpResponse:
    """Two proposals side by side: their figures, and the sessions they place differently."""
    form = CompareForm(request.GET or None)
    first = second = None
    differences = []
    if form.is_valid():
        first = _run_or_404(uuid.UUID(form.cleaned_data["first"]))
        second = _run_or_404(uuid.UUID(form.cleaned_data["second"]))
        differences = compare(first, second)
    return render(
        request,
        "timetable/design_compare.html",
        {"form": form, "first": first, "second": second, "differences": differences},
        status=400 if form.errors else 200,
    )
