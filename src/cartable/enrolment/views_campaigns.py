"""The student's semester choice screens (§5.2.3): their campaigns, and in one campaign their
chosen UEs against the programme rules, the UEs open to them, wait-lists and personal timetable.

A campaign is visible to the students registered in its population (404 for anyone else).
Each request is a named POST that calls one action; its outcome (accepted, or every refusal
in the active language) is shown in place with htmx, or on the page that follows without."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.core.errors import DomainError
from cartable.core.permissions import Role, login_required
from cartable.referential import api as referential

from . import actions
from .delegation import is_advisor
from .forms_campaigns import OpenUEFilterForm, UEForm
from .models import Campaign, StudentChoice
from .presenting import (
    Outcome,
    campaign_display,
    finding_lines,
    note_lines,
    outcome_display,
    timetable_days,
    ue_line,
    waitlist_lines,
)
from .queries import (
    campaign_by_code,
    campaigns_of_student,
    concerns,
    filter_open_ues,
    personal_timetable,
    semester_view,
    waitlists_of,
)
from .queries_advising import advising_notes

ADVISORS = frozenset({Role.PROGRAMME_HEAD, Role.SCOLARITE})
KEPT = ("q", "categorie", "libres")

Act = Callable[[str, uuid.UUID, str, Any], Outcome]


def _me(request: HttpRequest) -> uuid.UUID:
    me = referential.person_uuid_for_user(request.user)
    if me is None:
        raise Http404(_("Campagne inconnue"))
    return me


def _campaign_for_student(request: HttpRequest, code: str) -> tuple[Campaign, uuid.UUID]:
    """The campaign and the student, when the campaign concerns them; 404 otherwise."""
    me = _me(request)
    try:
        campaign = campaign_by_code(code)
    except DomainError as error:
        raise Http404(error.message) from error
    if not concerns(campaign, me):
        raise Http404(_("Campagne inconnue"))
    return campaign, me


def _outcome_key(code: str) -> str:
    return f"enrolment-outcome-{code}"


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    """The campaigns of the populations I am registered in, current and past."""
    me = referential.person_uuid_for_user(request.user)
    lines = campaigns_of_student(me) if me else []
    return render(
        request,
        "enrolment/campaigns.html",
        {
            "campaigns": [campaign_display(c, c.phase, c.status) for c in lines],
            "advisor": is_advisor(request.user),
        },
    )


@login_required
def campaign(request: HttpRequest, code: str) -> HttpResponse:
    found, me = _campaign_for_student(request, code)
    stored = request.session.pop(_outcome_key(found.code), None)
    outcome = Outcome.from_dict(stored) if isinstance(stored, dict) else None
    return _semester_page(request, found, me, outcome, request.GET)


def _semester_page(
    request: HttpRequest,
    found: Campaign,
    me: uuid.UUID,
    outcome: Outcome | None,
    data: QueryDict,
) -> HttpResponse:
    try:
        view = semester_view(found.code, me)
    except DomainError as error:
        raise Http404(error.message) from error
    categories = sorted({u.offer.category for u in view.open_ues if u.offer.category})
    filters = OpenUEFilterForm({k: data[k] for k in KEPT if k in data}, categories=categories)
    open_ues = filter_open_ues(view.open_ues, **filters.values())
    timetable = personal_timetable(view)
    context = {
        "campaign": campaign_display(found, view.phase, view.status),
        "can_add": view.phase == Campaign.Phase.CHOICE,
        "can_drop": view.phase in (Campaign.Phase.CHOICE, Campaign.Phase.ADVISING),
        "validated": view.status == StudentChoice.Status.VALIDATED,
        "validated_at": view.validated_at,
        "programme": view.programme,
        "chosen": [ue_line(o) for o in view.chosen],
        "credits": view.credits,
        "findings": finding_lines(view.findings),
        "open_ues": [ue_line(u.offer, u) for u in open_ues],
        "open_total": sum(1 for u in view.open_ues if not u.chosen),
        "filters": filters,
        "kept": filters.hidden_fields_values(),
        "waitlists": waitlist_lines(waitlists_of(found, me)),
        "timetable": timetable,
        "days": timetable_days(timetable),
        "notes": note_lines(advising_notes(found, me)),
        "outcome": outcome_display(outcome) if outcome else None,
    }
    htmx = getattr(request, "htmx", None)
    fragment = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    template = "enrolment/_semester.html" if fragment else "enrolment/campaign.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _kept_query(data: QueryDict) -> str:
    return urlencode([(k, data[k][:100]) for k in KEPT if data.get(k)])


def _act(request: HttpRequest, code: str, act: Act) -> HttpResponse:
    """Run one of the student's requests and show its outcome: in place for htmx, else on
    the campaign page that follows (the outcome waits in the session)."""
    found, me = _campaign_for_student(request, code)
    form = UEForm(request.POST)
    if form.is_valid():
        ue = form.cleaned_data["ue"].strip().upper()
        try:
            outcome = act(found.code, me, ue, request.user)
        except DomainError as error:
            outcome = Outcome.failed(ue, error)
    else:
        outcome = Outcome("error", "", error=("Indiquez le code de l'UE.", "Give the UE code."))
    if getattr(request, "htmx", False):
        return _semester_page(request, found, me, outcome, request.POST)
    request.session[_outcome_key(found.code)] = outcome.as_dict()
    url = reverse("campaigns:campaign", args=[found.code])
    query = _kept_query(request.POST)
    return HttpResponseRedirect(f"{url}?{query}#resultat" if query else f"{url}#resultat")


def _confirm_first(
    request: HttpRequest, code: str, question: str, consequence: str, button: str
) -> HttpResponse | None:
    """Without JavaScript, a drop or a leave is confirmed on a page of its own first (with
    htmx, the button asks and sends ``confirme``)."""
    if request.POST.get("confirme") == "1":
        return None
    found, _me_uuid = _campaign_for_student(request, code)
    ue = request.POST.get("ue", "").strip().upper()[:20]
    return render(
        request,
        "enrolment/confirm.html",
        {
            "campaign": found,
            "question": question % {"ue": ue},
            "consequence": consequence,
            "button": button % {"ue": ue},
            "ue": ue,
            "action": request.path,
            "kept": [(k, request.POST[k][:100]) for k in KEPT if request.POST.get(k)],
            "back": reverse("campaigns:campaign", args=[found.code]),
        },
    )


def _choose(code: str, me: uuid.UUID, ue: str, user: Any) -> Outcome:
    result = actions.do_choose_ue(code, me, ue, acting_user=user)
    if result.accepted:
        return Outcome("added", result.ue_code)
    return Outcome.refused(result.ue_code, result.refusals)


def _drop(code: str, me: uuid.UUID, ue: str, user: Any) -> Outcome:
    actions.do_drop_ue(code, me, ue, acting_user=user)
    return Outcome("dropped", ue)


def _join(code: str, me: uuid.UUID, ue: str, user: Any) -> Outcome:
    position = actions.do_join_waitlist(code, me, ue, acting_user=user)
    return Outcome("joined", ue, position=position)


def _leave(code: str, me: uuid.UUID, ue: str, user: Any) -> Outcome:
    actions.do_leave_waitlist(code, me, ue, acting_user=user)
    return Outcome("left", ue)


def _claim(code: str, me: uuid.UUID, ue: str, user: Any) -> Outcome:
    result = actions.do_claim_place(code, me, ue, acting_user=user)
    if result.accepted:
        return Outcome("claimed", result.ue_code)
    return Outcome.refused(result.ue_code, result.refusals)


@require_POST
@login_required
def add(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, _choose)


@require_POST
@login_required
def drop(request: HttpRequest, code: str) -> HttpResponse:
    confirm = _confirm_first(
        request,
        code,
        _("Retirer %(ue)s de votre semestre ?"),
        _("Votre place sera attribuée au premier de sa liste d'attente."),
        _("Oui, retirer %(ue)s"),
    )
    return confirm or _act(request, code, _drop)


@require_POST
@login_required
def join_waitlist(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, _join)


@require_POST
@login_required
def leave_waitlist(request: HttpRequest, code: str) -> HttpResponse:
    confirm = _confirm_first(
        request,
        code,
        _("Quitter la liste d'attente de %(ue)s ?"),
        _("Vous perdrez votre position ; une place qui vous était proposée passera au suivant."),
        _("Oui, quitter la liste d'attente de %(ue)s"),
    )
    return confirm or _act(request, code, _leave)


@require_POST
@login_required
def claim_place(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, _claim)
