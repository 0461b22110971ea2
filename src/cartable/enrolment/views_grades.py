"""Results entry of a UE offer, in its Tableau de bord (§5.2.3): the grade grid, CSV import and
export, publication.

Who may do what (the rule lives in :mod:`cartable.enrolment.grades`):

* the grid and its exports are shown to whoever sees the offer's Tableau de bord — its
  responsible, its teaching team, the heads of its programmes and the scolarité; for anyone
  else the offer does not exist (404);
* saving the grid and importing a file: the responsible, the team and the scolarité; the
  heads of its programmes read only (403);
* publishing: the responsible and the scolarité (403 for the team);
* **after publication** a grade can only be changed by the scolarité, or by the responsible
  with a reason, which is recorded in the journal with the values before and after; a team
  member's change to a published grade is refused on its row and nothing is saved. The
  student is notified of the change.

The grid is keyboard-first and works without JavaScript: one field per student in one column,
so Tab goes down the column; either a list (type the letter to choose it) or, with
``?saisie=texte``, a text field accepting the letter (lower case too). Saving sends the whole
grid at once; rows whose value did not change are not rewritten, and a row changed meanwhile
by someone else is reported rather than overwritten."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import OfferSummary
from cartable.core import audit
from cartable.core import pending_uploads as pending
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from cartable.core.permissions import login_required
from cartable.core.spreadsheets import csv_response, xlsx_response

from . import grades, rules
from .forms_grades import GradeImportForm
from .grades import GradeRow, GradeStanding, RowProblem
from .grades_import import GradeImportReport, do_import_grades

TEMPLATE = "enrolment/grades.html"
SESSION_KEY = "enrolment_grades_pending"
TEXT_MODE = "texte"
FIELD = "g-"
SEEN = "was-"
EXPORT_COLUMNS = ("nom", "prenom", "numero_etudiant", "courriel", "resultat", "publie")
#: The list's order lets the keyboard reach every grade by typing it: "F" selects F, "FX"
#: typed quickly selects FX, "A" selects A and "AB" selects ABS.
KEYBOARD_ORDER = ("A", "B", "C", "D", "E", "F", "FX", "ABS")


@dataclass(frozen=True)
class Access:
    offer: OfferSummary
    standing: GradeStanding


def _access(request: HttpRequest, offer_uuid: uuid.UUID) -> Access:
    """The offer and what the user may do with its grades; 404 when it is not visible."""
    offer = catalogue.offer_for_staff(request.user, offer_uuid)
    if offer is None:
        raise Http404(_("Offre inconnue"))
    return Access(offer, grades.standing_of(request.user, offer_uuid))


def _entering(request: HttpRequest, offer_uuid: uuid.UUID) -> Access:
    access = _access(request, offer_uuid)
    if not access.standing.may_enter:
        raise PermissionDenied
    return access


# --- the grid --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridLine:
    row: GradeRow
    field: str  # the name and id of its input
    value: str  # what the input shows: the grade, or what was just sent
    editable: bool
    error: str


def _text_mode(request: HttpRequest) -> bool:
    return request.GET.get("saisie") == TEXT_MODE


def _grid_url(offer_uuid: uuid.UUID, text_mode: bool) -> str:
    url = reverse("enrolment:grades", args=[offer_uuid])
    return f"{url}?saisie={TEXT_MODE}" if text_mode else url


def _lines(
    rows: list[GradeRow],
    standing: GradeStanding,
    sent: dict[uuid.UUID, str],
    errors: dict[uuid.UUID, str],
) -> list[GridLine]:
    return [
        GridLine(
            row=row,
            field=f"{FIELD}{row.student_uuid}",
            value=sent.get(row.student_uuid, row.grade),
            editable=standing.may_enter and (not row.published or standing.may_change_published),
            error=errors.get(row.student_uuid, ""),
        )
        for row in rows
    ]


def _render(
    request: HttpRequest,
    access: Access,
    *,
    sent: dict[uuid.UUID, str] | None = None,
    problems: list[RowProblem] | None = None,
    reason: str = "",
    import_form: GradeImportForm | None = None,
    report: GradeImportReport | None = None,
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    offer, standing = access.offer, access.standing
    rows = grades.grade_rows(offer.uuid)
    audit.record_reads(
        "enrolment.grades.view",
        actor=request.user,
        subjects=[r.student_uuid for r in rows],
        detail={"offer": str(offer.uuid)},
    )
    grid_problems = problems or []
    errors: dict[uuid.UUID, str] = {}
    for problem in grid_problems:
        if problem.student_uuid is not None:
            errors.setdefault(problem.student_uuid, problem.message)
    summary = grades.summarise(rows)
    text_mode = _text_mode(request)
    context: dict[str, Any] = {
        "offer": offer,
        "standing": standing,
        "lines": _lines(rows, standing, sent or {}, errors),
        "summary": summary,
        "published_rows": any(r.published for r in rows),
        "choices": [("", "—"), *((g, g) for g in KEYBOARD_ORDER)],
        "grades_listed": ", ".join(rules.GRADES),
        "text_mode": text_mode,
        "action": _grid_url(offer.uuid, text_mode),
        "problems": [
            (f"{FIELD}{p.student_uuid}" if p.student_uuid else "motif", p.message)
            for p in grid_problems
        ],
        "reason": reason,
        "import_form": import_form or GradeImportForm(initial={"dry_run": True}),
        "report": report,
        "token": token,
    }
    return render(request, TEMPLATE, context, status=status)


def _sent(data: QueryDict) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    """The grades sent by the grid, and the grades the sender saw, by student."""
    found: dict[str, dict[uuid.UUID, str]] = {FIELD: {}, SEEN: {}}
    for key, value in data.items():
        prefix = FIELD if key.startswith(FIELD) else SEEN if key.startswith(SEEN) else ""
        if not prefix:
            continue
        try:
            student = uuid.UUID(key[len(prefix) :])
        except ValueError:
            continue
        found[prefix][student] = str(value)
    return found[FIELD], found[SEEN]


@login_required
@require_http_methods(["GET", "POST"])
def grade_grid(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    """The grade grid: read it (GET), save it all at once (POST)."""
    if request.method != "POST":
        return _render(request, _access(request, offer_uuid))
    access = _entering(request, offer_uuid)
    sent, seen = _sent(request.POST)
    reason = request.POST.get("motif", "")
    try:
        outcome = grades.do_enter_grades(
            offer_uuid, sent, expected=seen, reason=reason, acting_user=request.user
        )
    except grades.GradeErrors as refused:
        return _render(
            request, access, sent=sent, problems=refused.problems, reason=reason, status=400
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _render(request, access, sent=sent, reason=reason, status=400)
    if outcome.changed:
        messages.success(
            request,
            ngettext(
                "%(count)d résultat enregistré.",
                "%(count)d résultats enregistrés.",
                outcome.changed,
            )
            % {"count": outcome.changed},
        )
    else:
        messages.info(request, _("Aucun résultat n'a changé : rien à enregistrer."))
    return HttpResponseRedirect(_grid_url(offer_uuid, _text_mode(request)))


# --- CSV import ------------------------------------------------------------------------------


def _remember(request: HttpRequest, offer_uuid: uuid.UUID, content: bytes, reason: str) -> str:
    token = pending.store(content)
    waiting = request.session.get(SESSION_KEY, {})
    waiting[token] = {"offer": str(offer_uuid), "reason": reason}
    request.session[SESSION_KEY] = waiting
    return token


def _imported(request: HttpRequest, access: Access, report: GradeImportReport) -> HttpResponse:
    messages.success(
        request,
        _("Import enregistré : %(changed)d résultat(s) modifié(s), %(unchanged)d inchangé(s).")
        % {"changed": report.changed, "unchanged": report.unchanged},
    )
    return HttpResponseRedirect(_grid_url(access.offer.uuid, False))


def _confirm(request: HttpRequest, access: Access) -> HttpResponse:
    """Import the file of a successful dry run of this session, for this offer."""
    token = request.POST.get("token", "")
    waiting = request.session.get(SESSION_KEY, {})
    kept = waiting.get(token)
    content = pending.load(token) if kept and kept["offer"] == str(access.offer.uuid) else None
    if kept is None or content is None:
        messages.error(request, _("Cette simulation a expiré : déposez le fichier à nouveau."))
        return _render(request, access, status=400)
    report = do_import_grades(
        access.offer.uuid,
        content,
        dry_run=False,
        reason=kept["reason"],
        acting_user=request.user,
    )
    pending.discard(token)
    del waiting[token]
    request.session[SESSION_KEY] = waiting
    if report.committed:
        return _imported(request, access, report)
    return _render(request, access, report=report, status=400)


@require_POST
@login_required
def grade_import(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    """Check (dry run) or import a CSV file of grades; a successful dry run can be confirmed."""
    access = _entering(request, offer_uuid)
    if "token" in request.POST:
        return _confirm(request, access)
    form = GradeImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, access, import_form=form, status=400)
    upload: UploadedFile = form.cleaned_data["file"]
    content = b"".join(upload.chunks())
    reason = form.cleaned_data["reason"]
    dry_run = form.cleaned_data["dry_run"]
    report = do_import_grades(
        offer_uuid, content, dry_run=dry_run, reason=reason, acting_user=request.user
    )
    if report.committed:
        return _imported(request, access, report)
    token = _remember(request, offer_uuid, content, reason) if dry_run and report.ok else ""
    return _render(
        request, access, import_form=form, report=report, token=token, status=200 if token else 400
    )


# --- exports and publication -----------------------------------------------------------------


def _export(
    request: HttpRequest, offer_uuid: uuid.UUID, fmt: str
) -> tuple[OfferSummary, list[list[str]]]:
    offer = _access(request, offer_uuid).offer
    rows = grades.grade_rows(offer_uuid)
    audit.record_reads(
        "enrolment.grades.export",
        actor=request.user,
        subjects=[r.student_uuid for r in rows],
        kind=AuditEntry.Kind.EXPORT,
        detail={"offer": str(offer_uuid), "format": fmt},
    )
    lines = [
        [
            r.last_name,
            r.first_name,
            r.student_number,
            r.institutional_email,
            r.grade,
            r.published_at.date().isoformat() if r.published_at else "",
        ]
        for r in rows
    ]
    return offer, lines


@login_required
def grades_csv(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    offer, lines = _export(request, offer_uuid, "csv")
    return csv_response(f"{offer.ue_code}-{offer.year}-resultats.csv", EXPORT_COLUMNS, lines)


@login_required
def grades_xlsx(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    offer, lines = _export(request, offer_uuid, "xlsx")
    return xlsx_response(
        f"{offer.ue_code}-{offer.year}-resultats.xlsx",
        f"{offer.ue_code} {offer.year}",
        EXPORT_COLUMNS,
        lines,
    )


@require_POST
@login_required
def grade_publish(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    """Publish the grades entered and not yet published (responsible or scolarité)."""
    access = _access(request, offer_uuid)
    if not access.standing.may_publish:
        raise PermissionDenied
    try:
        count = grades.do_publish_grades(offer_uuid, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d résultat publié : l'étudiant·e le voit dans son dossier.",
                "%(count)d résultats publiés : les étudiants les voient dans leur dossier.",
                count,
            )
            % {"count": count},
        )
    return HttpResponseRedirect(_grid_url(offer_uuid, False))
