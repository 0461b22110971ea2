"""The dossiers of the students of my scope, for the scolarité (every student) and programme
heads (their programmes' students). A student outside the scope does not exist for the viewer
(404); every view of a dossier is journaled. The scolarité enters equivalences, internships
and international experiences."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from cartable.core.permissions import login_required, role_required
from cartable.core.text import fold
from cartable.enrolment import api as enrolment
from cartable.referential import api as referential
from cartable.referential.data import PersonSummary

from . import actions, queries
from .forms import DomainForm, EquivalenceForm, ExperienceForm, InternshipForm, StudentSearchForm
from .models import Equivalence, InternationalExperience, Internship
from .scope import STAFF_ROLES, Scope, scope_of
from .views import dossier_context, pdf_response

PAGE_SIZE = 50


# --- access --------------------------------------------------------------------------------


def student_for_staff(
    request: HttpRequest, student_uuid: uuid.UUID
) -> tuple[PersonSummary, queries.Registration | None, Scope]:
    """The student, when in the viewer's scope; 404 otherwise (not visible)."""
    scope = scope_of(request.user)
    if not scope.staff:
        raise Http404
    student = referential.summary(student_uuid)
    if student is None:
        raise Http404
    registration = queries.registration_of(student_uuid)
    if registration is not None:
        visible = scope.covers(registration.programme)
    else:  # no registration in force: a former student, for the scolarité only
        visible = scope.everyone and bool(enrolment.results_of(student_uuid))
    if not visible:
        raise Http404
    return student, registration, scope


def _editor(request: HttpRequest, student_uuid: uuid.UUID) -> PersonSummary:
    """The student, when the viewer may edit their dossier; 403 when only visible."""
    student, _registration, scope = student_for_staff(request, student_uuid)
    if not scope.may_edit_records:
        raise PermissionDenied
    return student


# --- list and dossier ----------------------------------------------------------------------


@dataclass(frozen=True)
class StudentRow:
    student: PersonSummary
    registration: queries.Registration


def _matches(summary: PersonSummary, words: list[str]) -> bool:
    names = fold(f"{summary.first_name} {summary.last_name} {summary.display_name}")
    return all(word in names or word == fold(summary.student_number) for word in words)


@role_required(*STAFF_ROLES)
def students(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    registered = {u: r for u, r in queries.registrations().items() if scope.covers(r.programme)}
    form = StudentSearchForm(
        request.GET or None,
        programmes=sorted({r.programme for r in registered.values()}),
        levels=sorted({r.study_level for r in registered.values() if r.study_level}),
    )
    criteria = form.cleaned_data if form.is_valid() else {}
    wanted = [
        u
        for u, r in registered.items()
        if (not criteria.get("programme") or r.programme == criteria["programme"])
        and (not criteria.get("level") or r.study_level == criteria["level"])
    ]
    words = fold(criteria.get("q") or "").split()
    rows = sorted(
        (
            StudentRow(summary, registered[summary.uuid])
            for summary in referential.summaries(wanted)
            if _matches(summary, words)
        ),
        key=lambda row: (fold(row.student.last_name), fold(row.student.first_name)),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_reads(
        "records.dossier.list",
        actor=request.user,
        subjects=[row.student.uuid for row in page],
    )
    query = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "records/students.html",
        {"form": form, "page": page, "count": len(rows), "querystring": urlencode(query)},
    )


@login_required
def student(request: HttpRequest, student_uuid: uuid.UUID) -> HttpResponse:
    person, _registration, scope = student_for_staff(request, student_uuid)
    dossier = queries.dossier(person)
    audit.record_reads("records.dossier.view", actor=request.user, subjects=[person.uuid])
    return render(
        request,
        "records/dossier.html",
        dossier_context(dossier, own=False, can_edit=scope.may_edit_records),
    )


@login_required
def student_transcript(request: HttpRequest, student_uuid: uuid.UUID) -> HttpResponse:
    person, _registration, _scope = student_for_staff(request, student_uuid)
    dossier = queries.dossier(person)
    audit.record_reads(
        "records.transcript.download",
        actor=request.user,
        subjects=[person.uuid],
        kind=AuditEntry.Kind.EXPORT,
    )
    return pdf_response(dossier)


# --- equivalences, internships, international experiences ----------------------------------


@dataclass(frozen=True)
class ItemKind:
    model: type[Any]
    form: type[DomainForm]
    action: Any
    uuid_argument: str
    anchor: str
    title_new: str
    title_edit: str
    saved: str


def _kinds() -> dict[str, ItemKind]:
    return {
        "equivalence": ItemKind(
            Equivalence,
            EquivalenceForm,
            actions.do_save_equivalence,
            "equivalence_uuid",
            "equivalences",
            _("Nouvelle équivalence"),
            _("Modifier l'équivalence"),
            _("Équivalence enregistrée."),
        ),
        "internship": ItemKind(
            Internship,
            InternshipForm,
            actions.do_save_internship,
            "internship_uuid",
            "stages",
            _("Nouveau stage"),
            _("Modifier le stage"),
            _("Stage enregistré."),
        ),
        "experience": ItemKind(
            InternationalExperience,
            ExperienceForm,
            actions.do_save_experience,
            "experience_uuid",
            "international",
            _("Nouvelle expérience internationale"),
            _("Modifier l'expérience internationale"),
            _("Expérience internationale enregistrée."),
        ),
    }


def _initial(item: Any, form: type[DomainForm]) -> dict[str, Any]:
    initial = {name: getattr(item, name) for name in form.base_fields}
    return {k: ("" if v is None else v) for k, v in initial.items()}


def _item_page(
    request: HttpRequest, kind: str, student_uuid: uuid.UUID, item_uuid: uuid.UUID | None
) -> HttpResponse:
    spec = _kinds()[kind]
    person = _editor(request, student_uuid)
    item = None
    if item_uuid is not None:
        item = spec.model.objects.filter(uuid=item_uuid, student__uuid=student_uuid).first()
        if item is None:
            raise Http404
    back = reverse("records:student", args=[student_uuid]) + f"#{spec.anchor}"
    if request.method == "POST":
        form = spec.form(request.POST)
        if form.is_valid():
            try:
                spec.action(
                    student_uuid,
                    form.values(),
                    acting_user=request.user,
                    **{spec.uuid_argument: item_uuid},
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, spec.saved)
                return HttpResponseRedirect(back)
    else:
        form = spec.form(initial=_initial(item, spec.form) if item else None)
        audit.record_reads(f"records.{kind}.form", actor=request.user, subjects=[person.uuid])
    return render(
        request,
        "records/item_form.html",
        {
            "form": form,
            "student": person,
            "title": spec.title_edit if item else spec.title_new,
            "back": back,
        },
    )


@login_required
def equivalence_new(request: HttpRequest, student_uuid: uuid.UUID) -> HttpResponse:
    return _item_page(request, "equivalence", student_uuid, None)


@login_required
def equivalence_edit(
    request: HttpRequest, student_uuid: uuid.UUID, item_uuid: uuid.UUID
) -> HttpResponse:
    return _item_page(request, "equivalence", student_uuid, item_uuid)


@login_required
def internship_new(request: HttpRequest, student_uuid: uuid.UUID) -> HttpResponse:
    return _item_page(request, "internship", student_uuid, None)


@login_required
def internship_edit(
    request: HttpRequest, student_uuid: uuid.UUID, item_uuid: uuid.UUID
) -> HttpResponse:
    return _item_page(request, "internship", student_uuid, item_uuid)


@login_required
def experience_new(request: HttpRequest, student_uuid: uuid.UUID) -> HttpResponse:
    return _item_page(request, "experience", student_uuid, None)


@login_required
def experience_edit(
    request: HttpRequest, student_uuid: uuid.UUID, item_uuid: uuid.UUID
) -> HttpResponse:
    return _item_page(request, "experience", student_uuid, item_uuid)
