"""Learning outside courses: the student's experiences (submit, follow, download their files)
and the referents' queue (search, filter, decide). Rules: :mod:`.claims`.

A claim exists only for its student and the referents of their programme (the heads of the
programme, the scolarité): 404 for anyone else. Every view of someone else's claim and every
download of a file is journaled."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cartable.competencies import api as competencies
from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, login_required, roles_of
from cartable.core.text import english
from cartable.referential import api as referential

from . import claims
from .claims import ClaimData, Upload
from .forms import ClaimForm, DecisionForm
from .models import ClaimFile, ExperienceClaim

PAGE_SIZE = 50


def _me(request: HttpRequest) -> uuid.UUID:
    me = referential.person_uuid_for_user(request.user)
    if me is None:
        raise Http404
    return me


def _competency_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    is_english = english()
    groups = []
    for framework in competencies.frameworks():
        items = [
            (
                str(c.uuid),
                f"{c.code} — {c.title_en if is_english and c.title_en else c.title}",
            )
            for c in competencies.competencies(framework.uuid)
        ]
        if items:
            groups.append(
                (
                    framework.title_en if is_english and framework.title_en else framework.title,
                    items,
                )
            )
    return groups


def _claim_form(data: Any = None, files: Any = None) -> ClaimForm:
    return ClaimForm(
        data,
        files,
        kinds=[(k, str(label)) for k, label in ExperienceClaim.Kind.choices],
        competencies=_competency_choices(),
    )


@login_required
def my_claims(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    found = ExperienceClaim.objects.filter(student__uuid=me).prefetch_related("files")
    return render(request, "certification/my_claims.html", {"claims": list(found)})


@login_required
@require_http_methods(["GET", "POST"])
def claim_new(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = _claim_form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = claims.do_submit_claim(
                me,
                ClaimData(
                    kind=data["kind"],
                    title=data["title"],
                    organisation=data["organisation"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    description=data["description"],
                    test=data["test"] or "",
                    score=data["score"],
                    credits_requested=data["credits_requested"] or Decimal(0),
                ),
                [(uuid.UUID(c), rank) for c, rank in form.claimed()],
                [Upload(f.name or "fichier", f.read()) for f in data["evidence_files"]],
                acting_user=request.user,
            )
        except DomainError as error:
            field = {"files": "evidence_files", "competencies": None}.get(error.field, error.field)
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(request, _("Expérience soumise : un référent l'examinera."))
            return HttpResponseRedirect(reverse("certification:claim", args=[claim.uuid]))
    status = 400 if request.method == "POST" else 200
    return render(request, "certification/claim_new.html", {"form": form}, status=status)


def _claim_for(request: HttpRequest, key: uuid.UUID) -> tuple[ExperienceClaim, bool]:
    """The claim and whether the user decides it; 404 when it is not theirs to see."""
    claim = (
        ExperienceClaim.objects.select_related("student", "referent")
        .prefetch_related("files", "competencies")
        .filter(uuid=key)
        .first()
    )
    if claim is None:
        raise Http404(_("Demande inconnue"))
    me = referential.person_uuid_for_user(request.user)
    if me is not None and claim.student.uuid == me:
        return claim, False
    scope = claims.referent_scope(request.user)
    if scope is not None and not scope:
        raise Http404(_("Demande inconnue"))
    if not claims.in_scope(scope, claim.student.uuid):
        raise Http404(_("Demande inconnue"))
    return claim, True


def _lines(claim: ExperienceClaim) -> list[dict[str, Any]]:
    infos = competencies.competencies_by_uuid(c.competency_uuid for c in claim.competencies.all())
    is_english = english()
    lines = []
    for row in claim.competencies.all():
        info = infos.get(row.competency_uuid)
        title = (info.title_en if is_english and info.title_en else info.title) if info else ""
        lines.append(
            {
                "key": str(row.competency_uuid),
                "label": f"{info.code} — {title}" if info else str(row.competency_uuid),
                "claimed": row.claimed_rank,
                "granted": row.granted_rank,
            }
        )
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """A claim: its student follows it; a referent reads it and decides."""
    found, referent = _claim_for(request, key)
    lines = _lines(found)
    form = None
    if referent:
        audit.record_reads(
            "certification.claim.read",
            actor=request.user,
            subjects=[found.student.uuid],
            object_type="claim",
        )
        if found.status == ExperienceClaim.Status.SUBMITTED:
            form = DecisionForm(
                request.POST or None,
                claimed=[(line["key"], line["label"], line["claimed"]) for line in lines],
            )
    if request.method == "POST":
        if form is None:
            raise Http404(_("Demande inconnue"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                claims.do_decide_claim(
                    found.uuid,
                    accept=data["decision"] == "accept",
                    granted={
                        uuid.UUID(line["key"]): data.get(f"granted_{line['key']}") for line in lines
                    },
                    credits=data["credits"] or Decimal(0),
                    comment=data["comment"],
                    scope=claims.referent_scope(request.user),
                    acting_user=request.user,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("Décision enregistrée ; l'étudiant·e est prévenu·e."))
                return HttpResponseRedirect(reverse("certification:claims_queue"))
    return render(
        request,
        "certification/claim.html",
        {"claim": found, "lines": lines, "referent": referent, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def claim_file(request: HttpRequest, key: uuid.UUID, file_key: uuid.UUID) -> FileResponse:
    found, referent = _claim_for(request, key)
    stored = ClaimFile.objects.filter(claim=found, uuid=file_key).first()
    if stored is None:
        raise Http404(_("Fichier inconnu"))
    if referent:
        audit.record_reads(
            "certification.claim.file",
            actor=request.user,
            subjects=[found.student.uuid],
            object_type="claim_file",
            detail={"file": stored.name},
        )
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="{stored.uuid}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def claims_queue(request: HttpRequest) -> HttpResponse:
    """The claims of the students a referent decides for: search, filter by state and kind."""
    if not roles_of(request.user) & {Role.SCOLARITE, Role.PROGRAMME_HEAD}:
        raise PermissionDenied
    scope = claims.referent_scope(request.user)
    status = request.GET.get("etat", ExperienceClaim.Status.SUBMITTED)
    kind = request.GET.get("type", "")
    query = request.GET.get("q", "").strip()
    found = ExperienceClaim.objects.select_related("student").order_by("submitted_at")
    if status in ExperienceClaim.Status.values:
        found = found.filter(status=status)
    if kind in ExperienceClaim.Kind.values:
        found = found.filter(kind=kind)
    if query:
        found = found.filter(
            Q(title__icontains=query)
            | Q(student__civil_last_name__icontains=query)
            | Q(student__usage_last_name__icontains=query)
            | Q(student__student_number__icontains=query)
        )
    rows = list(found)
    if scope is not None:  # the programmes of all the students at once
        programmes = claims.programmes_of_students({c.student.uuid for c in rows})
        rows = [c for c in rows if programmes.get(c.student.uuid, set()) & scope]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_reads(
        "certification.claims.list",
        actor=request.user,
        subjects=[c.student.uuid for c in page],
    )
    return render(
        request,
        "certification/claims_queue.html",
        {
            "page": page,
            "total": len(rows),
            "status": status,
            "kind": kind,
            "q": query,
            "statuses": ExperienceClaim.Status.choices,
            "kinds": ExperienceClaim.Kind.choices,
            "querystring": urlencode([(k, v) for k, v in request.GET.items() if k != "page"]),
        },
    )
