"""PIX results import, for the scolarité: check the file (every bad line reported), then
import it at once."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cartable.core.permissions import Role, role_required
from cartable.core.text import english

from .forms import PixImportForm
from .pix import do_import_pix


@role_required(Role.SCOLARITE)
@require_http_methods(["GET", "POST"])
def pix_import(request: HttpRequest) -> HttpResponse:
    form = PixImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            report = do_import_pix(
                form.cleaned_data["text"],
                dry_run=form.cleaned_data["dry_run"],
                acting_user=request.user,
                source=form.cleaned_data["file"].name or "",
            )
            status = 400 if report.errors else 200
        else:
            status = 400
    is_english = english()
    errors = [
        {
            "line": e.line,
            "field": e.field,
            "value": e.value,
            "message": e.message_en if is_english else e.message_fr,
        }
        for e in (report.errors if report else [])
    ]
    return render(
        request,
        "certification/pix_import.html",
        {"form": form, "report": report, "errors": errors},
        status=status,
    )
