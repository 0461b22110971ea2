"""Semester juries: the scolarité and the heads of a programme create its jury, see each
student's semester (grades published or not), record a decision per student and publish
them. A jury outside the viewer's programmes does not exist for them (404)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.catalogue import api as catalogue
from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.permissions import login_required, role_required

from . import actions, juries, queries, rules
from .forms import DecisionForm, JuryForm, bilingual
from .models import Jury
from .scope import STAFF_ROLES, Scope, scope_of


def _programmes(scope: Scope) -> list[str]:
    if scope.everyone:
        return sorted(catalogue.published_offers_by_programme())
    return sorted(scope.programmes)


def _jury_for_user(request: HttpRequest, jury_uuid: uuid.UUID) -> Jury:
    scope = scope_of(request.user)
    jury = juries.jury_by_uuid(jury_uuid)
    if jury is None or not scope.covers(jury.programme):
        raise Http404(_("Jury inconnu"))
    return jury


def _jury_form(scope: Scope, data: Any = None) -> JuryForm:
    year, semester = queries.today_semester()
    return JuryForm(
        data,
        programmes=_programmes(scope),
        initial={"year": year, "semester": semester, "date": timezone.localdate()},
    )


@role_required(*STAFF_ROLES)
def jury_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    form = _jury_form(scope, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            jury = actions.do_create_jury(
                year=data["year"],
                semester=data["semester"],
                programme=data["programme"],
                day=data["date"],
                title=data["title"] or "",
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Jury créé."))
            return HttpResponseRedirect(reverse("records:jury", args=[jury.uuid]))
    return render(
        request,
        "records/juries.html",
        {"juries": list(juries.juries_in_scope(scope)), "form": form},
    )


def _jury_page(
    request: HttpRequest, jury: Jury, bound: tuple[uuid.UUID, DecisionForm] | None = None
) -> HttpResponse:
    kinds = [(k.code, k.label) for k in juries.decision_kinds()]
    students = juries.jury_students(jury)
    audit.record_reads(
        "records.jury.view",
        actor=request.user,
        subjects=[s.student.uuid for s in students],
        detail={"jury": str(jury.uuid)},
    )
    rows = []
    for entry in students:
        if bound and bound[0] == entry.student.uuid:
            form, bound = bound[1], None
        else:
            initial = (
                {"kind": entry.decision.kind.code, "comment": entry.decision.comment}
                if entry.decision
                else None
            )
            form = DecisionForm(initial=initial, kinds=kinds, prefix=f"s-{entry.student.uuid}")
        rows.append((entry, form))
    if bound:  # a student outside the jury: the form is not on the page, its errors are
        for errors in bound[1].errors.values():
            for error in errors:
                messages.error(request, str(error))
    decided = sum(1 for entry in students if entry.decision)
    return render(
        request,
        "records/jury.html",
        {
            "jury": jury,
            "label": queries.semester_label(jury.year, jury.semester),
            "rows": rows,
            "decided": decided,
            "passing": ", ".join(sorted(rules.PASSING_GRADES)),
        },
    )


@login_required
def jury(request: HttpRequest, jury_uuid: uuid.UUID) -> HttpResponse:
    return _jury_page(request, _jury_for_user(request, jury_uuid))


@require_POST
@login_required
def decide(request: HttpRequest, jury_uuid: uuid.UUID, student_uuid: uuid.UUID) -> HttpResponse:
    found = _jury_for_user(request, jury_uuid)
    kinds = [(k.code, k.label) for k in juries.decision_kinds()]
    form = DecisionForm(request.POST, kinds=kinds, prefix=f"s-{student_uuid}")
    if form.is_valid():
        try:
            actions.do_record_decision(
                found.uuid,
                student_uuid,
                kind=form.cleaned_data["kind"],
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Décision enregistrée."))
            url = reverse("records:jury", args=[found.uuid])
            return HttpResponseRedirect(f"{url}#etudiant-{student_uuid}")
    return _jury_page(request, found, (student_uuid, form))


@require_POST
@login_required
def publish(request: HttpRequest, jury_uuid: uuid.UUID) -> HttpResponse:
    found = _jury_for_user(request, jury_uuid)
    try:
        told = actions.do_publish_jury(found.uuid, acting_user=request.user)
    except DomainError as error:
        messages.error(request, bilingual(error))
    else:
        messages.success(
            request,
            _("Jury publié : %(n)s étudiant·e·s voient leur décision.") % {"n": told},
        )
    return HttpResponseRedirect(reverse("records:jury", args=[found.uuid]))
