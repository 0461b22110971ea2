"""Advising (§5.2.3): an advisor sees the students of their scope against their programme's
rules, comments, validates or reopens a semester, and overrides a refusal with a reason.

The scolarité advises every student; a programme head, the students of the programmes they
head in the campaign's catalogue year; a teacher to whom a head delegated a programme in a
campaign, the students of that programme. The lists answer 403 to anyone else; a student's
semester does not exist (404) for whoever does not advise them. Every view of a student's data
is journaled."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from cartable.core.permissions import Role, login_required, roles_of
from cartable.core.spreadsheets import csv_response
from cartable.referential import api as referential

from . import actions, delegation
from .delegation import (
    campaign_programmes,
    delegated_programmes,
    delegations_of,
    is_advisor,
)
from .forms_campaigns import AdviseForm, AdvisingFilterForm, DelegationForm, OverrideForm
from .models import Campaign, StudentChoice
from .presenting import (
    advising_line,
    campaign_display,
    finding_lines,
    note_lines,
    pick,
    refusal_texts,
    timetable_days,
    ue_line,
    waitlist_lines,
)
from .queries import (
    campaign_by_code,
    personal_timetable,
    programme_of,
    registration_for,
    semester_view,
    waitlists_of,
)
from .queries_advising import (
    AdvisingRow,
    advising_notes,
    advising_rows,
    filter_advising_rows,
    programmes_headed_by,
)

ADVISORS = (Role.PROGRAMME_HEAD, Role.SCOLARITE)
ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])
PAGE_SIZE = 50
CSV_COLUMNS = (
    "nom",
    "prenom",
    "numero_etudiant",
    "formation",
    "niveau",
    "credits",
    "nombre_ue",
    "ue",
    "regles_non_respectees",
    "listes_attente",
    "etat",
)


# --- access ----------------------------------------------------------------------------------


def _campaign_or_404(code: str) -> Campaign:
    try:
        return campaign_by_code(code)
    except DomainError as error:
        raise Http404(error.message) from error


def advisor_required(view: ViewFunc) -> ViewFunc:
    """Guard: anonymous → login page; neither a head, the scolarité, nor a teacher with a
    delegation → 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_advisor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return cast(ViewFunc, wrapper)


def _headed(request: HttpRequest, campaign: Campaign) -> frozenset[str] | None:
    """The programmes the user answers for (and may delegate); None: every programme."""
    roles = roles_of(request.user)
    if Role.SCOLARITE in roles:
        return None
    me = referential.person_uuid_for_user(request.user)
    if Role.PROGRAMME_HEAD not in roles or me is None:
        return frozenset()
    return programmes_headed_by(me, campaign.year)


def _scope(request: HttpRequest, campaign: Campaign) -> frozenset[str] | None:
    """The programmes whose students the user advises; None: every programme."""
    headed = _headed(request, campaign)
    if headed is None:
        return None
    me = referential.person_uuid_for_user(request.user)
    return headed | (delegated_programmes(me, campaign) if me else frozenset())


def _student_in_scope(request: HttpRequest, campaign: Campaign, student_uuid: uuid.UUID) -> str:
    """The student's programme when the user advises them; 404 otherwise."""
    registration = registration_for(campaign, student_uuid)
    scope = _scope(request, campaign)
    if registration is None or (scope is not None and programme_of(registration) not in scope):
        raise Http404(_("Étudiant·e inconnu·e"))
    return programme_of(registration)


def _me(request: HttpRequest) -> uuid.UUID:
    me = referential.person_uuid_for_user(request.user)
    if me is None:
        raise Http404
    return me


# --- lists -----------------------------------------------------------------------------------


@advisor_required
def advising_home(request: HttpRequest) -> HttpResponse:
    """The campaigns, each with a link to its advising list."""
    now = timezone.now()
    shown = [campaign_display(c, c.phase(now)) for c in Campaign.objects.order_by("-opens_at")]
    return render(request, "enrolment/advising_home.html", {"campaigns": shown})


def _rows(request: HttpRequest, campaign: Campaign) -> tuple[AdvisingFilterForm, list[AdvisingRow]]:
    rows = advising_rows(campaign, _scope(request, campaign))
    form = AdvisingFilterForm(request.GET or None, programmes=sorted({r.programme for r in rows}))
    if form.is_bound:
        rows = filter_advising_rows(rows, **form.values())
    return form, rows


@advisor_required
def advising(request: HttpRequest, code: str) -> HttpResponse:
    """The students of the campaign in my scope, searchable and filterable."""
    campaign = _campaign_or_404(code)
    scope = _scope(request, campaign)
    form, rows = _rows(request, campaign)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_reads(
        "enrolment.advising.list",
        actor=request.user,
        subjects=[row.student_uuid for row in page],
        detail={"campaign": campaign.code},
    )
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    return render(
        request,
        "enrolment/advising.html",
        {
            **_delegation_context(request, campaign),
            "campaign": campaign_display(campaign, campaign.phase(timezone.now())),
            "scope": sorted(scope) if scope is not None else None,
            "form": form,
            "page": page,
            "lines": [advising_line(row) for row in page],
            "total": len(rows),
            "querystring": query,
            "csv_query": query,
        },
    )


@advisor_required
def advising_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The same list as a spreadsheet."""
    campaign = _campaign_or_404(code)
    _form, rows = _rows(request, campaign)
    audit.record_reads(
        "enrolment.advising.export",
        actor=request.user,
        subjects=[row.student_uuid for row in rows],
        kind=AuditEntry.Kind.EXPORT,
        detail={"campaign": campaign.code, "format": "csv"},
    )
    return csv_response(
        f"{campaign.code}-conseil.csv",
        CSV_COLUMNS,
        [
            [
                row.last_name,
                row.first_name,
                row.student_number,
                row.programme,
                row.study_level,
                row.credits,
                len(row.ue_codes),
                " ".join(row.ue_codes),
                " | ".join(pick(f.message_fr, f.message_en) for f in row.problems),
                row.waiting,
                row.status,
            ]
            for row in rows
        ],
    )


# --- one student -----------------------------------------------------------------------------


@login_required
def advising_student(request: HttpRequest, code: str, student_uuid: uuid.UUID) -> HttpResponse:
    campaign = _campaign_or_404(code)
    _student_in_scope(request, campaign, student_uuid)
    return _student_page(request, campaign, student_uuid)


def _student_page(
    request: HttpRequest,
    campaign: Campaign,
    student_uuid: uuid.UUID,
    *,
    advise_form: AdviseForm | None = None,
    override_form: OverrideForm | None = None,
) -> HttpResponse:
    try:
        view = semester_view(campaign.code, student_uuid)
    except DomainError as error:
        raise Http404(error.message) from error
    person = referential.summary(student_uuid)
    audit.record_reads(
        "enrolment.advising.student",
        actor=request.user,
        subjects=[student_uuid],
        detail={"campaign": campaign.code},
    )
    timetable = personal_timetable(view)
    return render(
        request,
        "enrolment/advising_student.html",
        {
            "campaign": campaign_display(campaign, view.phase, view.status),
            "person": person,
            "student_uuid": student_uuid,
            "programme": view.programme,
            "validated": view.status == StudentChoice.Status.VALIDATED,
            "validated_at": view.validated_at,
            "chosen": [ue_line(o) for o in view.chosen],
            "credits": view.credits,
            "findings": finding_lines(view.findings),
            "waitlists": waitlist_lines(waitlists_of(campaign, student_uuid)),
            "timetable": timetable,
            "days": timetable_days(timetable),
            "notes": note_lines(advising_notes(campaign, student_uuid)),
            "advise_form": advise_form or AdviseForm(initial={"kind": "comment"}),
            "override_form": override_form or OverrideForm(),
        },
    )


def _back(campaign: Campaign, student_uuid: uuid.UUID) -> HttpResponse:
    return HttpResponseRedirect(
        reverse("campaigns:advising_student", args=[campaign.code, student_uuid])
    )


ADVISED = {
    "comment": lambda: _("Commentaire enregistré."),
    "validation": lambda: _("Semestre validé."),
    "reopen": lambda: _("Semestre rouvert : l'étudiant·e peut de nouveau le modifier."),
}


@require_POST
@login_required
def advise(request: HttpRequest, code: str, student_uuid: uuid.UUID) -> HttpResponse:
    """Comment on, validate, or reopen a student's semester."""
    campaign = _campaign_or_404(code)
    _student_in_scope(request, campaign, student_uuid)
    form = AdviseForm(request.POST)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            actions.do_advise(
                campaign.code,
                student_uuid,
                kind=kind,
                text=form.cleaned_data["text"],
                advisor_uuid=_me(request),
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, ADVISED[kind]())
            return _back(campaign, student_uuid)
    return _student_page(request, campaign, student_uuid, advise_form=form)


@require_POST
@login_required
def override(request: HttpRequest, code: str, student_uuid: uuid.UUID) -> HttpResponse:
    """Enrol the student in a UE despite its refusals, with the reason on record."""
    campaign = _campaign_or_404(code)
    _student_in_scope(request, campaign, student_uuid)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            outcome = actions.do_override(
                campaign.code,
                student_uuid,
                form.cleaned_data["ue"],
                reason=form.cleaned_data["reason"],
                advisor_uuid=_me(request),
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if outcome.accepted:
                lifted = refusal_texts(outcome.refusals)
                text = _("%(ue)s ajoutée par dérogation.") % {"ue": outcome.ue_code}
                if lifted:
                    text += " " + _("Refus levés : %(list)s") % {"list": " ".join(lifted)}
                messages.success(request, text)
                return _back(campaign, student_uuid)
            for refusal in refusal_texts(outcome.refusals):
                form.add_error("ue", refusal)
            form.add_error("ue", _("Ce refus ne peut pas être levé par dérogation."))
    return _student_page(request, campaign, student_uuid, override_form=form)


# --- delegations -----------------------------------------------------------------------------


def _delegable(request: HttpRequest, campaign: Campaign) -> list[str]:
    """The programmes of the campaign the user may delegate (those they answer for)."""
    headed = _headed(request, campaign)
    programmes = campaign_programmes(campaign)
    return programmes if headed is None else [p for p in programmes if p in headed]


def _delegation_context(
    request: HttpRequest, campaign: Campaign, form: DelegationForm | None = None
) -> dict[str, Any]:
    delegable = _delegable(request, campaign)
    return {
        "delegations": delegations_of(campaign, frozenset(delegable)),
        "delegation_form": form or (DelegationForm(programmes=delegable) if delegable else None),
    }


@require_POST
@advisor_required
def delegate(request: HttpRequest, code: str) -> HttpResponse:
    """A head (or the scolarité) hands a programme's students to a teacher for this campaign."""
    campaign = _campaign_or_404(code)
    delegable = _delegable(request, campaign)
    if not delegable:
        raise PermissionDenied
    form = DelegationForm(request.POST, programmes=delegable)
    if form.is_valid():
        try:
            delegation.do_delegate_advising(
                campaign.code,
                form.cleaned_data["programme"],
                form.cleaned_data["advisor"],
                scope=frozenset(delegable),
                granted_by=referential.person_uuid_for_user(request.user),
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("Conseil délégué pour la formation %(programme)s.")
                % {"programme": form.cleaned_data["programme"]},
            )
            return HttpResponseRedirect(reverse("campaigns:advising", args=[campaign.code]))
    messages.error(request, _("La délégation n'a pas été enregistrée : voir le formulaire."))
    return _delegations_page(request, campaign, form)


def _delegations_page(
    request: HttpRequest, campaign: Campaign, form: DelegationForm
) -> HttpResponse:
    return render(
        request,
        "enrolment/advising_delegations.html",
        {
            "campaign": campaign_display(campaign, campaign.phase(timezone.now())),
            **_delegation_context(request, campaign, form),
        },
        status=400,
    )


@require_POST
@advisor_required
def revoke_delegation(request: HttpRequest, code: str, delegation_uuid: uuid.UUID) -> HttpResponse:
    """End a delegation of the programmes the user answers for."""
    campaign = _campaign_or_404(code)
    delegable = _delegable(request, campaign)
    try:
        delegation.do_revoke_delegation(
            campaign.code, delegation_uuid, scope=frozenset(delegable), acting_user=request.user
        )
    except DomainError as error:
        raise Http404(error.message) from error
    messages.success(request, _("Délégation retirée."))
    return HttpResponseRedirect(reverse("campaigns:advising", args=[campaign.code]))
