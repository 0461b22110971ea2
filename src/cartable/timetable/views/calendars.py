"""The timetable's home (semesters and their calendars) and the calendar forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cartable.catalogue import api as catalogue
from cartable.core.calendar import academic_year_label
from cartable.core.errors import DomainError
from cartable.core.permissions import role_required

from .. import actions, queries
from ..forms import CalendarForm
from ..models import Semester, TeachingCalendar
from .common import EDITORS, READERS, may_edit, semester_or_404


@dataclass(frozen=True)
class SemesterRow:
    year: int
    year_label: str
    semester: str
    semester_label: str
    calendar: TeachingCalendar | None

    @property
    def teaching_count(self) -> int:
        return self.calendar.teaching_weeks.count("1") if self.calendar else 0


@role_required(*READERS)
def home(request: HttpRequest) -> HttpResponse:
    """Every semester of the catalogue years around today, with its calendar."""
    known = {(c.year, c.semester): c for c in queries.calendars()}
    rows = [
        SemesterRow(year, academic_year_label(year), s, str(label), known.get((year, s)))
        for year in queries.catalogue_years()
        for s, label in Semester.choices
    ]
    return render(request, "timetable/home.html", {"rows": rows, "can_edit": may_edit(request)})


def _render_form(
    request: HttpRequest, form: CalendarForm, calendar: TeachingCalendar | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "timetable/calendar_form.html",
        {"form": form, "calendar": calendar, "can_edit": may_edit(request)},
        status=status,
    )


@role_required(*EDITORS)
def calendar_new(request: HttpRequest) -> HttpResponse:
    years = queries.catalogue_years()
    if request.method != "POST":
        initial = {
            "year": request.GET.get("annee", catalogue.current_year()),
            "semester": request.GET.get("semestre", Semester.AUTUMN),
        }
        return _render_form(request, CalendarForm(initial=initial, years=years), None)
    form = CalendarForm(request.POST, years=years)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_create_calendar(
                data["year"],
                data["semester"],
                first_monday=data["first_monday"],
                teaching_weeks=data["teaching_weeks"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Calendrier enregistré."))
            return HttpResponseRedirect(reverse("timetable:home"))
    return _render_form(request, form, None, status=400)


def _calendar_or_404(year: int, semester: str) -> TeachingCalendar:
    calendar = queries.calendar(year, semester_or_404(semester))
    if calendar is None:
        raise Http404(_("Calendrier inconnu"))
    return calendar


@role_required(*READERS)
def calendar_edit(request: HttpRequest, year: int, semester: str) -> HttpResponse:
    calendar = _calendar_or_404(year, semester)
    years = queries.catalogue_years()
    if request.method != "POST":
        return _render_form(request, CalendarForm.for_calendar(calendar, years), calendar)
    if not may_edit(request):
        raise PermissionDenied
    form = CalendarForm(request.POST, years=years, editing=True)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            changed = actions.do_update_calendar(
                year,
                semester,
                first_monday=data["first_monday"],
                teaching_weeks=data["teaching_weeks"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if changed:
                messages.success(request, _("Calendrier enregistré."))
            else:
                messages.info(request, _("Aucune modification."))
            return HttpResponseRedirect(reverse("timetable:home"))
    return _render_form(request, form, calendar, status=400)
