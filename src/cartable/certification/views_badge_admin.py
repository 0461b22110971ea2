"""Badge management, for the scolarité: the issued badges (search, filter, export), revocation
with a reason, and the rotation of the issuer's signing key."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, role_required
from cartable.core.spreadsheets import csv_response

from . import actions
from .models import Achievement, IssuedBadge, IssuerKey

PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> tuple[list[IssuedBadge], dict[str, str]]:
    query = request.GET.get("q", "").strip()
    achievement = request.GET.get("realisation", "")
    state = request.GET.get("etat", "")
    found = IssuedBadge.objects.select_related("achievement", "recipient").order_by("-issued_at")
    if query:
        found = found.filter(
            Q(recipient__civil_last_name__icontains=query)
            | Q(recipient__usage_last_name__icontains=query)
            | Q(recipient__student_number__icontains=query)
            | Q(achievement__name__icontains=query)
        )
    if achievement:
        found = found.filter(achievement__code=achievement)
    if state == "valide":
        found = found.filter(revoked_at__isnull=True)
    elif state == "revoque":
        found = found.filter(revoked_at__isnull=False)
    return list(found), {"q": query, "realisation": achievement, "etat": state}


@role_required(Role.SCOLARITE)
def badges(request: HttpRequest) -> HttpResponse:
    rows, filters = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_reads(
        "certification.badges.list",
        actor=request.user,
        subjects=[b.recipient.uuid for b in page],
    )
    return render(
        request,
        "certification/badge_admin.html",
        {
            "page": page,
            "total": len(rows),
            "filters": filters,
            "achievements": Achievement.objects.order_by("name"),
            "keys": IssuerKey.objects.order_by("created_at"),
            "querystring": urlencode([(k, v) for k, v in filters.items() if v]),
        },
    )


@role_required(Role.SCOLARITE)
def badges_csv(request: HttpRequest) -> HttpResponse:
    rows, _filters = _filtered(request)
    audit.record_reads(
        "certification.badges.export", actor=request.user, subjects=[b.recipient.uuid for b in rows]
    )
    return csv_response(
        "badges.csv",
        ("badge", "realisation", "nom", "prenom", "numero_etudiant", "delivre_le", "revoque_le"),
        [
            (
                str(b.uuid),
                b.achievement.code,
                b.recipient.display_last_name,
                b.recipient.display_first_name,
                b.recipient.student_number or "",
                b.issued_at.isoformat(),
                b.revoked_at.isoformat() if b.revoked_at else "",
            )
            for b in rows
        ],
    )


@require_POST
@role_required(Role.SCOLARITE)
def revoke(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    try:
        actions.do_revoke_badge(
            key, reason=request.POST.get("reason", ""), acting_user=request.user
        )
    except DomainError as error:
        if error.field == "badge" and not IssuedBadge.objects.filter(uuid=key).exists():
            raise Http404(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("Badge révoqué : la liste de révocation publiée est à jour."))
    return HttpResponseRedirect(reverse("certification:badges"))


@require_POST
@role_required(Role.SCOLARITE)
def rotate_key(request: HttpRequest) -> HttpResponse:
    actions.do_rotate_issuer_key(acting_user=request.user)
    messages.success(
        request,
        _("Nouvelle clé de signature ; les badges déjà délivrés restent vérifiables."),
    )
    return HttpResponseRedirect(reverse("certification:badges"))
