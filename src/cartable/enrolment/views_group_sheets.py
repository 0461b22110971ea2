"""Group sheets (/sectionnement/groupes/): “Mes groupes” for a teacher — the groups they
teach this catalogue year and those of the UEs they are responsible for —, every group for
the scolarité with a search, a semester filter and a CSV; each group's students in the
published sectioning as a page and as a PDF sheet to sign. Every read is journaled."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cartable.catalogue import api as catalogue
from cartable.core import audit
from cartable.core.calendar import academic_year_label
from cartable.core.models import AuditEntry
from cartable.core.permissions import Role, login_required, role_required
from cartable.core.spreadsheets import csv_response
from cartable.timetable.data import TeachingGroup

from .forms_sectioning import GroupFilterForm
from .group_sheets import (
    MAX_SHEETS,
    GroupFilter,
    GroupRow,
    is_reviewer,
    my_groups,
    pdf,
    rows_of,
    semester_words,
    sheets_of,
    subjects_of,
    visible_group,
)
from .sectioning import REVIEWERS

#: Who has a list of groups: teachers and UE responsibles their own, the scolarité all.
GROUP_READERS = (Role.TEACHER, Role.UE_COORDINATOR, *REVIEWERS)
PAGE_SIZE = 50
CSV_COLUMNS = (
    "annee",
    "semestre",
    "ue",
    "groupe",
    "activite",
    "capacite",
    "effectif",
    "enseignant",
    "salle",
    "creneaux",
)


def _group_or_404(request: HttpRequest, group_uuid: uuid.UUID) -> TeachingGroup:
    group = visible_group(request.user, group_uuid)
    if group is None:
        raise Http404(_("Groupe inconnu"))
    return group


def _filter(request: HttpRequest) -> tuple[GroupFilterForm, GroupFilter]:
    """The filter the GET parameters ask for (a refused value narrows nothing and the form
    says why)."""
    form = GroupFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    return form, GroupFilter(
        q=data.get("q", "").strip(),
        semester=data.get("semester", ""),
        ue=data.get("ue", "").strip().upper(),
    )


def _querystring(chosen: GroupFilter) -> str:
    return urlencode({key: value for key, value in asdict(chosen).items() if value})


def _teachers(rows: list[GroupRow]) -> list[uuid.UUID]:
    return [row.group.teacher for row in rows if row.group.teacher is not None]


@role_required(*GROUP_READERS)
def groups(request: HttpRequest) -> HttpResponse:
    year = catalogue.current_year()
    if is_reviewer(request.user):
        return _every_group(request, year)
    return _my_groups(request, year)


def _my_groups(request: HttpRequest, year: int) -> HttpResponse:
    taught, others = my_groups(request.user, year)
    of_my_ues = rows_of(others)
    audit.record_reads(
        "enrolment.sectioning.groups.read", actor=request.user, subjects=_teachers(of_my_ues)
    )
    return render(
        request,
        "enrolment/sectioning_groups.html",
        {
            "reviewer": False,
            "year_label": academic_year_label(year),
            "rows": rows_of(taught),
            "ue_rows": of_my_ues,
        },
    )


def _every_group(request: HttpRequest, year: int) -> HttpResponse:
    form, chosen = _filter(request)
    found = chosen.groups(year)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = rows_of(list(page))
    audit.record_reads(
        "enrolment.sectioning.groups.read", actor=request.user, subjects=_teachers(rows)
    )
    return render(
        request,
        "enrolment/sectioning_groups.html",
        {
            "reviewer": True,
            "year_label": academic_year_label(year),
            "form": form,
            "page": page,
            "rows": rows,
            "count": len(found),
            "querystring": _querystring(chosen),
        },
    )


@role_required(*REVIEWERS)
def group_list_csv(request: HttpRequest) -> HttpResponse:
    """The filtered groups of the year with their published sizes."""
    year = catalogue.current_year()
    _form, chosen = _filter(request)
    rows = rows_of(chosen.groups(year))
    audit.record_reads(
        "enrolment.sectioning.groups.export",
        actor=request.user,
        subjects=_teachers(rows),
        kind=AuditEntry.Kind.EXPORT,
        detail=asdict(chosen),
    )
    return csv_response(
        f"groupes-{year}.csv",
        CSV_COLUMNS,
        [
            [
                r.group.year,
                r.group.semester,
                r.group.ue_code,
                r.group.code,
                r.group.activity_kind,
                r.group.capacity,
                "" if r.size is None else r.size,
                r.teacher_name,
                r.group.room,
                " ; ".join(r.group.slots),
            ]
            for r in rows
        ],
    )


@login_required
def group_detail(request: HttpRequest, group_uuid: uuid.UUID) -> HttpResponse:
    group = _group_or_404(request, group_uuid)
    sheet = sheets_of([group])[0]
    audit.record_reads(
        "enrolment.sectioning.group.read",
        actor=request.user,
        subjects=subjects_of([sheet]),
        detail={"group": str(group.key)},
    )
    return render(
        request,
        "enrolment/sectioning_group.html",
        {
            "sheet": sheet,
            "group": group,
            "semester": semester_words(group),
            "reviewer": is_reviewer(request.user),
        },
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{get_valid_filename(filename)}"'
    return response


@login_required
def group_sheet(request: HttpRequest, group_uuid: uuid.UUID) -> HttpResponse:
    """One group's sheet as PDF."""
    group = _group_or_404(request, group_uuid)
    sheets = sheets_of([group])
    audit.record_reads(
        "enrolment.sectioning.group_sheet",
        actor=request.user,
        subjects=subjects_of(sheets),
        kind=AuditEntry.Kind.EXPORT,
        detail={"group": str(group.key)},
    )
    return _pdf_response(
        pdf(sheets, f"{_('Feuille de groupe')} {group.label}"),
        f"feuille-{group.ue_code}-{group.code}-{group.year}{group.semester}.pdf",
    )


@role_required(*REVIEWERS)
def group_sheets(request: HttpRequest) -> HttpResponse:
    """The sheets of the filtered groups of the year in one PDF, a group per page."""
    year = catalogue.current_year()
    _form, chosen = _filter(request)
    found = chosen.groups(year)
    if len(found) > MAX_SHEETS:
        messages.error(
            request,
            _(
                "%(n)s groupes : c'est trop pour un seul document. Choisissez un semestre ou "
                "une UE (au plus %(max)s groupes)."
            )
            % {"n": len(found), "max": MAX_SHEETS},
        )
        query = _querystring(chosen)
        return HttpResponseRedirect(reverse("sectioning:groups") + (f"?{query}" if query else ""))
    sheets = sheets_of(found)
    audit.record_reads(
        "enrolment.sectioning.group_sheets",
        actor=request.user,
        subjects=subjects_of(sheets),
        kind=AuditEntry.Kind.EXPORT,
        detail=asdict(chosen),
    )
    suffix = "-".join(value for value in (chosen.semester, chosen.ue, chosen.q) if value)
    return _pdf_response(
        pdf(sheets, _("Feuilles de groupe")),
        f"feuilles-groupes-{year}{'-' + suffix if suffix else ''}.pdf",
    )
