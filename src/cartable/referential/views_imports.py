"""Staff screen to import structures, persons and contracts (DSIN administrators only).

One URL: GET shows the upload form; POST either checks or imports an uploaded file, or
confirms a successful dry run whose file was kept server-side
(:mod:`cartable.core.pending_uploads`).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cartable.core import jobs
from cartable.core import pending_uploads as pending
from cartable.core.models import Job
from cartable.core.permissions import Role, role_required

from .imports import MAX_UPLOAD_BYTES, ImportReport, guess_format, run_import

SESSION_KEY = "referential_imports_pending"
JOB_KIND = "referential.import"
TEMPLATE = "referential/imports.html"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Données à importer"),
        choices=[
            ("persons", _("Personnes")),
            ("structures", _("Structures")),
            ("contracts", _("Contrats et inscriptions")),
            ("all", _("Structures, personnes et contrats (LDIF seulement)")),
        ],
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            ("", _("Selon l'extension du fichier")),
            ("csv", _("CSV (séparateur ; ou ,)")),
            ("ldif", _("LDIF (SUPANN / eduPerson)")),
        ],
    )
    file = forms.FileField(
        label=_("Fichier"),
        help_text=format_lazy(
            _("UTF-8, {size} Mo au plus. Colonnes et exemples : docs/samples/README.md."),
            size=MAX_UPLOAD_BYTES >> 20,
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Simulation : vérifier sans rien enregistrer"), required=False, initial=True
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse la taille maximale de %(size)s Mo."),
                params={"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
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
        if data.get("kind") == "all" and data.get("format") == "csv":
            self.add_error("kind", _("« Structures, personnes et contrats » exige un LDIF."))
        return data


def _render(
    request: HttpRequest,
    form: ImportForm,
    report: ImportReport | None = None,
    token: str = "",
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "report": report,
        "token": token,
        "problem": problem,
        "max_mb": MAX_UPLOAD_BYTES >> 20,
    }
    return render(request, TEMPLATE, context, status=status)


def _upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=400)
    data = form.cleaned_data
    content = b"".join(data["file"].chunks())
    report = run_import(
        data["kind"], content, fmt=data["format"], dry_run=data["dry_run"], acting_user=request.user
    )
    token = ""
    if report.dry_run and report.ok:
        token = pending.store(content)
        waiting = request.session.get(SESSION_KEY, {})
        waiting[token] = {"kind": data["kind"], "format": data["format"]}
        request.session[SESSION_KEY] = waiting
    return _render(request, ImportForm(initial={"kind": data["kind"]}), report, token)


def _confirm(request: HttpRequest) -> HttpResponse:
    """Run the confirmed import as a background job and follow it on this screen."""
    token = request.POST.get("token", "")
    waiting = request.session.get(SESSION_KEY, {})
    choice = waiting.get(token)
    form = ImportForm(initial={"dry_run": True})
    if choice is None or pending.load(token) is None:
        problem = _("Cette simulation a expiré : déposez le fichier à nouveau.")
        return _render(request, form, status=400, problem=str(problem))
    del waiting[token]
    request.session[SESSION_KEY] = waiting
    job = jobs.enqueue(
        JOB_KIND,
        str(_("Import du référentiel")),
        {
            "token": token,
            "kind": choice["kind"],
            "fmt": choice["format"],
            "user_id": request.user.pk,
        },
        acting_user=request.user,
    )
    return HttpResponseRedirect(f"{reverse('referential:imports')}?tache={job.uuid}")


def _follow(request: HttpRequest, job_uuid: str) -> HttpResponse:
    job = Job.objects.filter(uuid=job_uuid, kind=JOB_KIND).first() if _is_uuid(job_uuid) else None
    if job is None:
        raise Http404
    report = job.result.get("report") if job.finished else None
    context = {
        "form": ImportForm(initial={"dry_run": True}),
        "job": job,
        "report": report,
        "problem": job.error.splitlines()[0] if job.error else "",
        "max_mb": MAX_UPLOAD_BYTES >> 20,
    }
    return render(request, TEMPLATE, context)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@role_required(Role.DSIN_ADMIN)
def imports(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _confirm(request) if "token" in request.POST else _upload(request)
    if "tache" in request.GET:
        return _follow(request, request.GET["tache"])
    return _render(request, ImportForm(initial={"dry_run": True}))
