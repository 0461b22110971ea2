"""Assessment by competency in a UE's Tableau de bord, and the student's competency page.

The grid is keyboard-first and works without JavaScript: one row per enrolled student, one
list per competency the UE develops (Tab moves along the row), then the evidence and comment
of the row. Saving sends the whole grid; if one entry is refused, nothing is saved and every
refusal is listed, with what was typed kept. Rules: :mod:`cartable.certification.assessments`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import OfferSummary
from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.permissions import login_required
from cartable.core.text import english
from cartable.referential import api as referential

from . import assessments
from .assessments import AssessmentErrors, AssessmentStanding, Entry, Grid
from .forms import AssessmentImportForm
from .levels import levels_of
from .pix import digcomp_view, latest_pix

TEMPLATE = "certification/assessments.html"
RULE_LABELS = {
    "highest": gettext_lazy("le plus haut niveau atteint"),
    "latest": gettext_lazy("le niveau le plus récent"),
    "majority": gettext_lazy("le niveau le plus souvent atteint"),
    "concordant": gettext_lazy("niveau confirmé par plusieurs évaluations"),
}


def _offer(request: HttpRequest, offer_uuid: uuid.UUID) -> tuple[OfferSummary, AssessmentStanding]:
    standing = assessments.standing_of(request.user, offer_uuid)
    offer = catalogue.offer_for_staff(request.user, offer_uuid) if standing else None
    if offer is None or standing is None:
        raise Http404(_("UE inconnue"))
    return offer, standing


def _field(student: uuid.UUID, competency: uuid.UUID) -> str:
    return f"l-{student}-{competency}"


def _lines(grid: Grid, typed: Any = None) -> list[dict[str, Any]]:
    lines = []
    for row in grid.rows:
        key = row.student.uuid
        cells = []
        for competency in grid.competencies:
            cell = row.cells[competency.competency_uuid]
            name = _field(key, competency.competency_uuid)
            value = typed.get(name, "") if typed is not None else str(cell.rank or "")
            scale = grid.scales[competency.framework_uuid]
            cells.append(
                {
                    "field": name,
                    "value": value,
                    "published": cell.published,
                    "label": f"{competency.code} — {row.student.last_name} "
                    f"{row.student.first_name}",
                    "choices": [("", "—")]
                    + [
                        (
                            str(lv.rank),
                            f"{lv.rank} {lv.label_en if english() and lv.label_en else lv.label}",
                        )
                        for lv in scale
                    ],
                }
            )
        lines.append(
            {
                "student": row.student,
                "cells": cells,
                "evidence": typed.get(f"e-{key}", "") if typed is not None else row.evidence,
                "comment": typed.get(f"c-{key}", "") if typed is not None else row.comment,
            }
        )
    return lines


def _entries(grid: Grid, data: Any) -> list[Entry]:
    entries = []
    for number, row in enumerate(grid.rows, start=1):
        key = row.student.uuid
        evidence = data.get(f"e-{key}", "").strip()
        comment = data.get(f"c-{key}", "").strip()
        for competency in grid.competencies:
            raw = data.get(_field(key, competency.competency_uuid), "").strip()
            try:
                rank = int(raw) if raw else None
            except ValueError:
                rank = -1  # refused by the rules with the scale's bounds
            entries.append(Entry(key, competency.competency_uuid, rank, evidence, comment, number))
    return entries


def _render(
    request: HttpRequest,
    offer: OfferSummary,
    standing: AssessmentStanding,
    grid: Grid,
    *,
    typed: Any = None,
    problems: list[str] | None = None,
    import_form: AssessmentImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    audit.record_reads(
        "certification.assessments.read",
        actor=request.user,
        subjects=[row.student.uuid for row in grid.rows],
        detail={"ue": offer.ue_code},
    )
    return render(
        request,
        TEMPLATE,
        {
            "offer": offer,
            "standing": standing,
            "competencies": grid.competencies,
            "lines": _lines(grid, typed),
            "drafts": grid.drafts,
            "problems": problems or [],
            "import_form": import_form or AssessmentImportForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def grid(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    offer, standing = _offer(request, offer_uuid)
    found = assessments.grid(offer)
    if request.method == "GET":
        return _render(request, offer, standing, found)
    if not standing.may_enter:
        raise PermissionDenied
    try:
        outcome = assessments.do_save_assessments(
            offer, _entries(found, request.POST), acting_user=request.user
        )
    except AssessmentErrors as error:
        problems = [_problem(found, e) for e in error.errors]
        return _render(
            request, offer, standing, found, typed=request.POST, problems=problems, status=400
        )
    messages.success(
        request,
        _("Évaluations enregistrées : %(created)s nouvelles, %(changed)s modifiées.")
        % {"created": outcome.created, "changed": outcome.changed + outcome.erased},
    )
    return HttpResponseRedirect(reverse("assessments:grid", args=[offer.uuid]))


def _problem(grid: Grid, error: Any) -> str:
    message = error.message_en if english() else error.message_fr
    if 1 <= error.line <= len(grid.rows):
        student = grid.rows[error.line - 1].student
        return f"{student.last_name} {student.first_name} : {message}"
    return message


@require_POST
@login_required
def publish(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    offer, standing = _offer(request, offer_uuid)
    if not standing.may_publish:
        raise PermissionDenied
    count = assessments.do_publish_assessments(offer, acting_user=request.user)
    messages.success(request, _("%(n)s évaluations publiées.") % {"n": count})
    return HttpResponseRedirect(reverse("assessments:grid", args=[offer.uuid]))


@require_POST
@login_required
def import_csv(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    """Import a CSV file of assessments: all its lines or none."""
    offer, standing = _offer(request, offer_uuid)
    if not standing.may_enter:
        raise PermissionDenied
    form = AssessmentImportForm(request.POST, request.FILES)
    found = assessments.grid(offer)
    if not form.is_valid():
        return _render(request, offer, standing, found, import_form=form, status=400)
    entries, errors = assessments.parse_csv(offer, form.cleaned_data["text"])
    problems = [
        _("ligne %(line)s, %(field)s « %(value)s » : %(message)s")
        % {
            "line": e.line,
            "field": e.field,
            "value": e.value,
            "message": e.message_en if english() else e.message_fr,
        }
        for e in errors.sorted()
    ]
    if not problems:
        try:
            outcome = assessments.do_save_assessments(offer, entries, acting_user=request.user)
        except AssessmentErrors as error:
            problems = [
                _("ligne %(line)s : %(message)s")
                % {"line": e.line, "message": e.message_en if english() else e.message_fr}
                for e in error.errors
            ]
        except DomainError as error:
            problems = [error.message]
        else:
            messages.success(
                request,
                _("Fichier importé : %(created)s nouvelles évaluations, %(changed)s modifiées.")
                % {"created": outcome.created, "changed": outcome.changed},
            )
            return HttpResponseRedirect(reverse("assessments:grid", args=[offer.uuid]))
    return _render(request, offer, standing, found, problems=problems, import_form=form, status=400)


@login_required
def my_competencies(request: HttpRequest) -> HttpResponse:
    """My competencies: each level, the rule that makes it, and where it comes from."""
    me = referential.person_uuid_for_user(request.user)
    if me is None:
        raise Http404
    is_english = english()
    rows = [
        {
            "block": level.competency.block.title_en
            if is_english and level.competency.block.title_en
            else level.competency.block.title,
            "code": level.competency.code,
            "title": level.competency.title_en
            if is_english and level.competency.title_en
            else level.competency.title,
            "rank": level.rank,
            "rule": str(RULE_LABELS.get(level.method, level.method)),
            "sources": ", ".join(sorted({e.source for e in level.counted})),
            "assessments": level.assessments,
        }
        for level in levels_of(me)
    ]
    pix = latest_pix(me)
    return render(
        request,
        "certification/my_competencies.html",
        {
            "rows": rows,
            "pix": pix,
            "digcomp": digcomp_view(pix.detail if pix else {}),
        },
    )
