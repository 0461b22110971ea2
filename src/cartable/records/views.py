"""My own Dossier étudiant (§5.2.3), its transcript and the private iCalendar feed of my
timetable."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.core.errors import DomainError
from cartable.core.permissions import Role, role_required
from cartable.referential import api as referential
from cartable.referential.data import PersonSummary
from cartable.timetable import api as timetable

from . import actions, queries
from .forms import bilingual
from .transcript import transcript


def _me(request: HttpRequest) -> PersonSummary:
    me = referential.summary_for_user(request.user)
    if me is None:
        raise Http404(_("Aucune fiche dans le référentiel."))
    return me


def dossier_context(dossier: queries.Dossier, **extra: Any) -> dict[str, Any]:
    return {"dossier": dossier, "synthesis": dossier.synthesis, **extra}


@role_required(Role.STUDENT)
def mine(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    dossier = queries.dossier(me)
    feed = queries.live_feed(me.uuid)
    feed_url = (
        request.build_absolute_uri(reverse("records:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(
        request,
        "records/dossier.html",
        dossier_context(dossier, own=True, feed=feed, feed_url=feed_url),
    )


@require_POST
@role_required(Role.STUDENT)
def feed_create(request: HttpRequest) -> HttpResponse:
    """Create the private address of my calendar, or renew it (the old one stops working)."""
    me = _me(request)
    try:
        actions.do_create_calendar_feed(me.uuid, acting_user=request.user)
    except DomainError as error:
        messages.error(request, bilingual(error))
    else:
        messages.success(
            request,
            _(
                "Nouvelle adresse d'agenda créée. Toute adresse précédente ne fonctionne plus : "
                "remplacez-la dans votre application d'agenda."
            ),
        )
    return HttpResponseRedirect(reverse("records:mine") + "#emploi-du-temps")


@require_POST
@role_required(Role.STUDENT)
def feed_revoke(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if actions.do_revoke_calendar_feed(me.uuid, acting_user=request.user):
        messages.success(request, _("Adresse d'agenda révoquée : elle ne fonctionne plus."))
    else:
        messages.info(request, _("Vous n'aviez pas d'adresse d'agenda."))
    return HttpResponseRedirect(reverse("records:mine") + "#emploi-du-temps")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed of a person's current semester, for whoever holds its address (no
    login: calendar applications cannot log in). 404 once revoked, and once the person holds
    no registration or contract in force (like their account)."""
    feed = queries.feed_by_token(token)
    if feed is None or not referential.is_person_active(feed.person.uuid):
        raise Http404
    plan = queries.current_timetable(feed.person.uuid)
    body = timetable.icalendar(
        plan.lines,
        name=f"{_('Emploi du temps')} {plan.label}",
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="emploi-du-temps.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


def pdf_response(dossier: queries.Dossier) -> HttpResponse:
    body = transcript(dossier, issued=timezone.localdate())
    response = HttpResponse(body, content_type="application/pdf")
    number = dossier.student.student_number or str(dossier.student.uuid)
    response["Content-Disposition"] = f'inline; filename="releve-de-notes-{number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.STUDENT)
def my_transcript(request: HttpRequest) -> HttpResponse:
    return pdf_response(queries.dossier(_me(request)))
