"""Import and export of weekly templates (``echanges/``).

POST either checks or imports an uploaded file, or confirms a successful dry run whose file
was kept server-side (:mod:`cartable.core.pending_uploads`, the token remembered in the
session). Export downloads the templates of a semester as CSV or JSON. The DSIN
administrators may export; only the scolarité imports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartable.catalogue import api as catalogue
from cartable.core import pending_uploads as pending
from cartable.core.permissions import role_required

from .. import io as timetable_io
from .. import queries
from ..forms import ExportForm, ImportForm
from ..io import ImportReport
from .common import READERS, may_edit

SESSION_KEY = "timetable_io_pending"
TEMPLATE = "timetable/exchange.html"
TABLE_LABELS = {
    "activities": gettext_lazy("Activités"),
    "groups": gettext_lazy("Groupes"),
    "slots": gettext_lazy("Créneaux"),
}


def _export_form(data: object = None) -> ExportForm:
    years = queries.catalogue_years()
    initial = {"annee": catalogue.current_year(), "semestre": "A", "format": "csv"}
    return ExportForm(data, initial=initial, years=years)


def _render(
    request: HttpRequest,
    *,
    import_form: ImportForm | None = None,
    export_form: ExportForm | None = None,
    report: ImportReport | None = None,
    token: str = "",
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    tables = [
        {"name": name, "label": str(TABLE_LABELS[name]), "counts": counts}
        for name, counts in (report.tables if report else [])
    ]
    context = {
        "import_form": import_form or ImportForm(initial={"dry_run": True}),
        "export_form": export_form or _export_form(),
        "report": report,
        "tables": tables,
        "token": token,
        "problem": problem,
        "columns": timetable_io.COLUMNS,
        "can_edit": may_edit(request),
    }
    return render(request, TEMPLATE, context, status=status)


def _upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, import_form=form, status=400)
    data = form.cleaned_data
    upload: UploadedFile = data["file"]
    content = b"".join(upload.chunks())
    filename = upload.name or ""
    report = timetable_io.run_import(
        content,
        fmt=data["format"],
        dry_run=data["dry_run"],
        acting_user=request.user,
        filename=filename,
    )
    token = ""
    if report.dry_run and report.ok:
        token = pending.store(content)
        waiting = request.session.get(SESSION_KEY, {})
        waiting[token] = {"format": data["format"], "filename": filename}
        request.session[SESSION_KEY] = waiting
    return _render(request, report=report, token=token, status=200 if report.ok else 400)


def _confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    waiting = request.session.get(SESSION_KEY, {})
    choice = waiting.get(token)
    content = pending.load(token) if choice is not None else None
    if choice is None or content is None:
        problem = _("Cette simulation a expiré : déposez le fichier à nouveau.")
        return _render(request, problem=problem, status=400)
    report = timetable_io.run_import(
        content,
        fmt=choice["format"],
        dry_run=False,
        acting_user=request.user,
        filename=choice["filename"],
    )
    if report.committed:
        pending.discard(token)
        del waiting[token]
        request.session[SESSION_KEY] = waiting
    return _render(request, report=report, status=200 if report.ok else 400)


@role_required(*READERS)
def exchange(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not may_edit(request):
            raise PermissionDenied
        return _confirm(request) if "token" in request.POST else _upload(request)
    return _render(request)


@role_required(*READERS)
def export(request: HttpRequest) -> HttpResponse:
    """Download the templates of a semester (GET: reading only; the export is journaled)."""
    query = request.GET.copy()
    query.setdefault("format", "csv")
    query.setdefault("annee", str(catalogue.current_year()))
    query.setdefault("semestre", "A")
    form = _export_form(query)
    if not form.is_valid():
        return _render(request, export_form=form, status=400)
    data = form.cleaned_data
    codes = [c.strip().upper() for c in data["ue"].split(",") if c.strip()]
    result = timetable_io.export(
        data["format"], data["annee"], data["semestre"], codes, acting_user=request.user
    )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
