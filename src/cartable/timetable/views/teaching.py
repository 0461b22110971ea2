"""“Mon emploi du temps” (``/emploi-du-temps/mon-service/``): a teacher's weekly template for a
semester — the groups whose teacher they are, each slot with its weeks in words — as a week
and as a table, with the hours it makes; and the same sessions, dated, as an iCalendar file
(``agenda.ics``). Teachers and UE coordinators only, each their own: nobody else's service is
shown, so nothing is journaled.

No private subscription address: the revocable tokens of the student's feed belong to the
records module, above this one, which the timetable may not call."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartable.core.calendar import academic_year_label
from cartable.core.permissions import Role, role_required
from cartable.core.text import english
from cartable.referential import api as referential

from .. import ical, queries
from ..models import Semester
from ..teaching import TeacherTimetable, semester_under_way, teacher_timetable
from .common import semester_label

#: Who has a timetable of their own groups.
TEACHERS = (Role.TEACHER, Role.UE_COORDINATOR)


class SemesterForm(forms.Form):
    """The semester shown: a catalogue year and a semester."""

    year = forms.TypedChoiceField(label=gettext_lazy("Année du catalogue"), coerce=int)
    semester = forms.ChoiceField(label=gettext_lazy("Semestre"), choices=Semester.choices)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "semestre_%s")
        super().__init__(*args, **kwargs)
        year_field = cast(forms.TypedChoiceField, self.fields["year"])
        year_field.choices = [(y, academic_year_label(y)) for y in years]


def _own_person(request: HttpRequest) -> uuid.UUID:
    person_uuid = referential.person_uuid_for_user(request.user)
    if person_uuid is None:
        raise PermissionDenied
    return person_uuid


def _semester(request: HttpRequest) -> tuple[SemesterForm, int, str]:
    """The semester the query string asks for; by default the semester under way. A wrong
    value is shown on its field and its default used."""
    year, semester = semester_under_way()
    data: QueryDict = request.GET.copy()
    data.setdefault("year", str(year))
    data.setdefault("semester", semester)
    form = SemesterForm(data, years=queries.catalogue_years())
    form.is_valid()
    found = form.cleaned_data
    return form, found.get("year", year), found.get("semester", semester)


def _timetable(request: HttpRequest) -> tuple[SemesterForm, TeacherTimetable]:
    me = _own_person(request)
    form, year, semester = _semester(request)
    return form, teacher_timetable(me, year, semester, english=english())


def _title(plan: TeacherTimetable) -> str:
    return f"{semester_label(plan.semester)} {academic_year_label(plan.year)}"


@role_required(*TEACHERS)
def my_timetable(request: HttpRequest) -> HttpResponse:
    form, plan = _timetable(request)
    query = urlencode({"year": str(plan.year), "semester": plan.semester})
    return render(
        request,
        "timetable/my_timetable.html",
        {
            "form": form,
            "plan": plan,
            "title": _title(plan),
            "ics_url": f"{reverse('timetable:my_timetable_ics')}?{query}",
        },
    )


@role_required(*TEACHERS)
def my_timetable_ics(request: HttpRequest) -> HttpResponse:
    """Every dated session of the semester, as a file to import into a calendar."""
    _form, plan = _timetable(request)
    body = ical.calendar(
        plan.lines,
        name=f"{_('Mon emploi du temps')} {_title(plan)}",
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"emploi-du-temps-{plan.year}-{plan.semester}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
