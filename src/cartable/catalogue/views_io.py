"""Import and export of the whole catalogue, for the scolarité and DSIN administrators.

``echanges/`` shows both forms; POST either checks or imports an uploaded file, or confirms a
successful dry run whose file was kept server-side (:mod:`cartable.core.pending_uploads`, the
token remembered in the session). ``echanges/export/`` downloads the JSON document or the ZIP of
CSV files, for every year or the chosen ones.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cartable.core import pending_uploads as pending
from cartable.core.calendar import academic_year_label
from cartable.core.permissions import Role, role_required

from . import io as catalogue_io
from .io import MAX_UPLOAD_BYTES, ImportReport, guess_format, run_import

SESSION_KEY = "catalogue_io_pending"
TEMPLATE = "catalogue/io/exchange.html"
STAFF = (Role.SCOLARITE, Role.DSIN_ADMIN)
TABLE_LABELS = {
    "categories": _("Catégories d'UE"),
    "software": _("Logiciels"),
    "ues": _("UE"),
    "aliases": _("Anciens codes d'UE"),
    "diplomas": _("Diplômes"),
    "programmes": _("Formations"),
    "tracks": _("Filières"),
    "offers": _("Offres d'UE"),
    "offer_programmes": _("UE dans les formations"),
    "team": _("Équipes pédagogiques"),
    "elements": _("Éléments constitutifs"),
    "prerequisites": _("Prérequis"),
    "software_needs": _("Besoins logiciels"),
    "contributions": _("Contributions aux compétences"),
}


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("json", _("JSON (un seul document)")),
            ("csv", _("CSV (une archive ZIP, un fichier par table)")),
        ],
        initial="json",
    )
    annee = forms.TypedMultipleChoiceField(
        label=_("Années du catalogue"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune année cochée : tout le catalogue."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "export_%s")  # both forms share a page: distinct ids
        super().__init__(*args, **kwargs)
        years = catalogue_io.catalogue_years()
        self.fields["annee"].choices = [(y, academic_year_label(y)) for y in years]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            ("", _("Selon l'extension du fichier")),
            ("json", _("JSON")),
            ("csv", _("CSV (archive ZIP ou fichier d'une table)")),
        ],
    )
    file = forms.FileField(
        label=_("Fichier"),
        help_text=format_lazy(
            _(
                "Document JSON, archive ZIP de fichiers CSV, ou un fichier CSV nommé d'après "
                "sa table (offers.csv…). UTF-8, {size} Mo au plus. Colonnes et exemples : "
                "docs/samples/catalogue/README.md."
            ),
            size=MAX_UPLOAD_BYTES >> 20,
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Simulation : vérifier sans rien enregistrer"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "import_%s")
        super().__init__(*args, **kwargs)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse la taille maximale de %(size)s Mo."),
                params={"size": MAX_UPLOAD_BYTES >> 20},
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and not data.get("format"):
            guessed = guess_format(upload.name or "")
            if guessed is None:
                self.add_error("format", _("Extension inconnue : choisissez le format."))
            data["format"] = guessed
        return data


def _tables(report: ImportReport | None) -> list[dict[str, Any]]:
    if report is None:
        return []
    return [
        {"name": name, "label": TABLE_LABELS[name], "counts": counts}
        for name, counts in report.tables
    ]


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
    context = {
        "import_form": import_form or ImportForm(initial={"dry_run": True}),
        "export_form": export_form or ExportForm(),
        "report": report,
        "tables": _tables(report),
        "token": token,
        "problem": problem,
        "max_mb": MAX_UPLOAD_BYTES >> 20,
    }
    return render(request, TEMPLATE, context, status=status)


def _remember(request: HttpRequest, content: bytes, fmt: str, filename: str) -> str:
    token = pending.store(content)
    waiting = request.session.get(SESSION_KEY, {})
    waiting[token] = {"format": fmt, "filename": filename}
    request.session[SESSION_KEY] = waiting
    return token


def _upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, import_form=form, status=400)
    data = form.cleaned_data
    upload: UploadedFile = data["file"]
    content = b"".join(upload.chunks())
    filename = upload.name or ""
    report = run_import(
        content,
        fmt=data["format"],
        dry_run=data["dry_run"],
        acting_user=request.user,
        filename=filename,
    )
    token = ""
    if report.dry_run and report.ok:
        token = _remember(request, content, data["format"], filename)
    return _render(request, report=report, token=token)


def _confirm(request: HttpRequest) -> HttpResponse:
    """Import the file of a successful dry run of this session."""
    token = request.POST.get("token", "")
    waiting = request.session.get(SESSION_KEY, {})
    choice = waiting.get(token)
    content = pending.load(token) if choice is not None else None
    if choice is None or content is None:
        problem = _("Cette simulation a expiré : déposez le fichier à nouveau.")
        return _render(request, problem=str(problem), status=400)
    report = run_import(
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
    return _render(request, report=report)


@role_required(*STAFF)
def exchange(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _confirm(request) if "token" in request.POST else _upload(request)
    return _render(request)


@role_required(*STAFF)
def export(request: HttpRequest) -> HttpResponse:
    """Download the catalogue (GET: reading only; the export is journaled)."""
    query = request.GET.copy()
    query.setdefault("format", "json")
    form = ExportForm(query)
    if not form.is_valid():
        return _render(request, export_form=form, status=400)
    result = catalogue_io.export(
        form.cleaned_data["format"], form.cleaned_data["annee"], acting_user=request.user
    )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
