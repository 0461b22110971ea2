"""The audit journal, searchable by the data-protection officer and the security officer."""

from __future__ import annotations

import csv
import uuid
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import AuditEntry
from .permissions import Role, role_required

JOURNAL_READERS = (Role.DPO, Role.SECURITY_OFFICER)


class JournalForm(forms.Form):
    actor = forms.CharField(label=_("Auteur (identifiant)"), required=False)
    subject = forms.UUIDField(label=_("Personne concernée (UUID)"), required=False)
    action = forms.CharField(label=_("Action"), required=False)
    kind = forms.ChoiceField(
        label=_("Nature"), required=False, choices=[("", _("Toutes")), *AuditEntry.Kind.choices]
    )
    since = forms.DateTimeField(
        label=_("Depuis"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    until = forms.DateTimeField(
        label=_("Jusqu'à"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def criteria(self) -> audit.JournalFilter:
        data = self.cleaned_data
        subject: uuid.UUID | None = data.get("subject")
        return audit.JournalFilter(
            actor=data.get("actor") or "",
            subject=subject,
            action=data.get("action") or "",
            kind=data.get("kind") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


def _entries(request: HttpRequest) -> tuple[JournalForm, object]:
    form = JournalForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, AuditEntry.objects.none()
    criteria = form.criteria() if request.GET else audit.JournalFilter()
    return form, audit.search(criteria)


@role_required(*JOURNAL_READERS)
def journal(request: HttpRequest) -> HttpResponse:
    form, entries = _entries(request)
    page: Any = Paginator(entries, 50).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/journal.html",
        {"form": form, "page": page, "querystring": query.urlencode()},
    )


@role_required(*JOURNAL_READERS)
def journal_export(request: HttpRequest) -> HttpResponse:
    _form, entries = _entries(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="journal.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["date", "nature", "action", "auteur", "objet", "personne", "ip", "detail"])
    for e in entries.iterator():  # type: ignore[attr-defined]
        writer.writerow(
            [
                e.at.isoformat(),
                e.kind,
                e.action,
                e.actor_label,
                e.object_ref,
                e.subject_uuid or "",
                e.ip_address or "",
                e.detail,
            ]
        )
    audit.record(
        "core.journal.export",
        actor=request.user,
        kind=AuditEntry.Kind.EXPORT,
        detail={"query": request.GET.urlencode()},
    )
    return response
