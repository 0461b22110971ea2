"""What the weekly-template design reads about people and places (§5.2.3).

``/emploi-du-temps/indisponibilites/``: a teacher sees and enters their own unavailabilities for
a semester; the scolarité sees everyone's (search by name, filter by day, CSV export) and enters
them for the teachers of the semester's groups. Showing someone else's is journaled.

``/emploi-du-temps/campus/trajets/``: the travel time of each pair of campuses; the scolarité
edits it (one small form per pair), the DSIN administrators read it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cartable.catalogue import api as catalogue
from cartable.core import audit
from cartable.core.calendar import academic_year_label
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, role_required, roles_of
from cartable.core.spreadsheets import csv_response
from cartable.referential import api as referential

from .. import needs, queries, values
from ..actions import related
from ..forms import DomainForm, bilingual
from ..models import Group, Semester, Slot, TeacherUnavailability
from .common import PAGE_SIZE, READERS, may_edit, semester_label

#: Who opens the unavailabilities: teachers (their own) and the scolarité (everyone's).
UNAVAILABILITY_USERS = (Role.TEACHER, Role.SCOLARITE)
READ_ACTION = "timetable.unavailability.read"


def _sees_everyone(request: HttpRequest) -> bool:
    return Role.SCOLARITE in roles_of(request.user)


def _own_person(request: HttpRequest) -> uuid.UUID:
    person_uuid = referential.person_uuid_for_user(request.user)
    if person_uuid is None:
        raise PermissionDenied
    return person_uuid


# --- forms ---------------------------------------------------------------------------------


class UnavailabilityFilterForm(forms.Form):
    """The semester shown (year, semester) and, for the scolarité, a name and a day."""

    year = forms.TypedChoiceField(label=gettext_lazy("Année du catalogue"), coerce=int)
    semester = forms.ChoiceField(label=gettext_lazy("Semestre"), choices=Semester.choices)
    q = forms.CharField(label=gettext_lazy("Rechercher (nom de l'enseignant·e)"), required=False)
    day = forms.TypedChoiceField(
        label=gettext_lazy("Jour"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("Tous les jours")), *Slot.Day.choices],
    )

    def __init__(self, *args: Any, years: list[int], everyone: bool, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filtre_%s")
        super().__init__(*args, **kwargs)
        year_field = cast(forms.TypedChoiceField, self.fields["year"])
        year_field.choices = [(y, academic_year_label(y)) for y in years]
        if not everyone:
            del self.fields["q"]
            del self.fields["day"]


class UnavailabilityForm(DomainForm):
    person = forms.ChoiceField(label=gettext_lazy("Enseignant·e"))
    day = forms.TypedChoiceField(label=gettext_lazy("Jour"), coerce=int, choices=Slot.Day.choices)
    start = forms.CharField(
        label=gettext_lazy("Début"),
        strip=False,
        widget=forms.TextInput(attrs={"size": 5, "placeholder": "08:00"}),
    )
    end = forms.CharField(
        label=gettext_lazy("Fin"),
        strip=False,
        widget=forms.TextInput(attrs={"size": 5, "placeholder": "10:00"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Motif"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"size": 40}),
        help_text=gettext_lazy("Facultatif, 200 caractères au plus."),
    )
    parsers = {"start": values.clock, "end": values.clock}

    def __init__(self, *args: Any, teachers: list[tuple[str, str]] | None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "indisponibilite_%s")
        super().__init__(*args, **kwargs)
        if teachers is None:
            del self.fields["person"]
        else:
            person_field = cast(forms.ChoiceField, self.fields["person"])
            person_field.choices = [("", "—"), *teachers]
            person_field.help_text = _(
                "Les enseignant·e·s d'un groupe du semestre, et celles et ceux qui ont déjà "
                "des indisponibilités ce semestre."
            )


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The semester shown and, for the scolarité, who and which day."""

    year: int
    semester: str
    text: str = ""
    day: int | None = None

    @property
    def query(self) -> str:
        params: dict[str, Any] = {"year": self.year, "semester": self.semester}
        if self.text:
            params["q"] = self.text
        if self.day is not None:
            params["day"] = self.day
        return urlencode(params)


def _period(request: HttpRequest, everyone: bool) -> tuple[UnavailabilityFilterForm, Period]:
    """The filter form bound to the query string (year and semester default to the current
    catalogue year's autumn); a wrong value is shown on its field and its default used."""
    current = catalogue.current_year()
    data: QueryDict = request.GET.copy()
    if not data.get("year"):
        data["year"] = str(current)
    if not data.get("semester"):
        data["semester"] = Semester.AUTUMN
    form = UnavailabilityFilterForm(data, years=queries.catalogue_years(), everyone=everyone)
    form.is_valid()
    found = form.cleaned_data
    period = Period(
        year=found.get("year", current),
        semester=found.get("semester", Semester.AUTUMN),
        text=found.get("q", "").strip(),
        day=found.get("day"),
    )
    return form, period


def _person_model() -> Any:
    return related(TeacherUnavailability, "person")


def _rows(period: Period, person_uuid: uuid.UUID | None) -> QuerySet[TeacherUnavailability]:
    rows = TeacherUnavailability.objects.filter(
        year=period.year, semester=period.semester
    ).select_related("person")
    if person_uuid is not None:
        rows = rows.filter(person__uuid=person_uuid)
    if period.text:
        named = _person_model()._default_manager.filter(referential.person_text_query(period.text))
        rows = rows.filter(person__in=named)
    if period.day is not None:
        rows = rows.filter(day=period.day)
    return rows.order_by("person", "day", "start", "end")


def _teachers(period: Period) -> list[tuple[str, str]]:
    """Who the scolarité may enter unavailabilities for: the teachers of a group of the
    semester, and whoever already has some this semester."""
    taught = Group.objects.filter(
        activity__offer__year=period.year,
        activity__semester=period.semester,
        teacher__isnull=False,
    ).values("teacher")
    entered = TeacherUnavailability.objects.filter(
        year=period.year, semester=period.semester
    ).values("person")
    people = _person_model()._default_manager.filter(Q(pk__in=taught) | Q(pk__in=entered))
    return [(str(p.uuid), p.display_name) for p in people]


def _render_unavailabilities(
    request: HttpRequest,
    *,
    everyone: bool,
    own: uuid.UUID | None,
    filters: UnavailabilityFilterForm,
    period: Period,
    add_form: UnavailabilityForm,
    status: int = 200,
) -> HttpResponse:
    page: Any = Paginator(_rows(period, own), PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_reads(
        READ_ACTION,
        actor=request.user,
        subjects=[row.person.uuid for row in page.object_list],
        detail={"year": period.year, "semester": period.semester},
    )
    return render(
        request,
        "timetable/unavailabilities.html",
        {
            "filters": filters,
            "form": add_form,
            "page": page,
            "querystring": period.query,
            "everyone": everyone,
            "year_label": academic_year_label(period.year),
            "semester_label": semester_label(period.semester),
        },
        status=status,
    )


# --- unavailabilities ----------------------------------------------------------------------


@role_required(*UNAVAILABILITY_USERS)
def unavailabilities(request: HttpRequest) -> HttpResponse:
    everyone = _sees_everyone(request)
    own = None if everyone else _own_person(request)
    filters, period = _period(request, everyone)
    teachers = _teachers(period) if everyone else None
    if request.method != "POST":
        return _render_unavailabilities(
            request,
            everyone=everyone,
            own=own,
            filters=filters,
            period=period,
            add_form=UnavailabilityForm(teachers=teachers),
        )
    form = UnavailabilityForm(request.POST, teachers=teachers)
    if "year" in filters.errors or "semester" in filters.errors:
        form.add_error(None, _("Choisissez d'abord une année et un semestre connus."))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            needs.do_add_unavailability(
                uuid.UUID(data["person"]) if own is None else own,
                period.year,
                period.semester,
                day=data["day"],
                start=data["start"],
                end=data["end"],
                note=data["note"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Indisponibilité enregistrée."))
            return HttpResponseRedirect(f"{reverse('timetable:unavailabilities')}?{period.query}")
    return _render_unavailabilities(
        request,
        everyone=everyone,
        own=own,
        filters=filters,
        period=period,
        add_form=form,
        status=400,
    )


@require_POST
@role_required(*UNAVAILABILITY_USERS)
def unavailability_delete(request: HttpRequest, row_uuid: uuid.UUID) -> HttpResponse:
    """A teacher removes one of their own; the scolarité anyone's. Someone else's row is
    not visible to a teacher: 404."""
    row = TeacherUnavailability.objects.select_related("person").filter(uuid=row_uuid).first()
    if row is None or not needs.may_manage_unavailabilities_of(request.user, row.person.uuid):
        raise Http404(_("Indisponibilité inconnue"))
    try:
        needs.do_delete_unavailability(row.uuid, acting_user=request.user)
    except DomainError as error:
        messages.error(request, bilingual(error))
    else:
        messages.success(request, _("Indisponibilité retirée."))
    back = Period(
        year=row.year,
        semester=row.semester,
        text=request.GET.get("q", "").strip(),
        day=int(request.GET["day"]) if request.GET.get("day", "").isdigit() else None,
    )
    return HttpResponseRedirect(f"{reverse('timetable:unavailabilities')}?{back.query}")


@role_required(Role.SCOLARITE)
def unavailabilities_csv(request: HttpRequest) -> HttpResponse:
    """The list as filtered, every page, for a spreadsheet."""
    _filters, period = _period(request, everyone=True)
    rows = list(_rows(period, None))
    audit.record_reads(
        READ_ACTION,
        actor=request.user,
        subjects=[row.person.uuid for row in rows],
        detail={"year": period.year, "semester": period.semester, "export": "csv"},
    )
    return csv_response(
        f"indisponibilites-{period.year}-{period.semester}.csv",
        ["teacher", "person_uuid", "year", "semester", "day", "start", "end", "note"],
        [
            [
                row.person.display_name,
                str(row.person.uuid),
                row.year,
                row.semester,
                values.DAY_NAMES[row.day],
                values.clock_text(row.start),
                values.clock_text(row.end),
                row.note,
            ]
            for row in rows
        ],
    )


# --- travel between campuses ---------------------------------------------------------------


@dataclass
class TravelRow:
    """A pair of campuses, its travel time and, after a refused change, what was typed."""

    campus: str
    campus_name: str
    other: str
    other_name: str
    minutes: int | None
    typed: str
    error: str = ""

    @property
    def field_id(self) -> str:
        return f"trajet-{self.campus}-{self.other}"

    def is_pair(self, campus: str, other: str) -> bool:
        return {self.campus, self.other} == {campus, other}


def _travel_rows() -> list[TravelRow]:
    campuses = queries.campuses()
    known = needs.travel_minutes()
    rows = []
    for i, (code, name) in enumerate(campuses):
        for other, other_name in campuses[i + 1 :]:
            minutes = known.get((code, other))
            typed = "" if minutes is None else str(minutes)
            rows.append(TravelRow(code, name, other, other_name, minutes, typed))
    return rows


def _render_travel(
    request: HttpRequest, rows: list[TravelRow], error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "timetable/travel.html",
        {"rows": rows, "error": error, "can_edit": may_edit(request)},
        status=status,
    )


@role_required(*READERS)
def travel(request: HttpRequest) -> HttpResponse:
    rows = _travel_rows()
    if request.method != "POST":
        return _render_travel(request, rows)
    if not may_edit(request):
        raise PermissionDenied
    campus, other = request.POST.get("campus", ""), request.POST.get("other", "")
    typed = request.POST.get("minutes", "")
    row = next((r for r in rows if r.is_pair(campus, other)), None)
    if row is not None and typed.strip() == row.typed:
        messages.info(request, _("Aucune modification."))
        return HttpResponseRedirect(f"{reverse('timetable:travel')}#{row.field_id}")
    try:
        needs.do_set_travel(campus, other, typed, acting_user=request.user)
    except DomainError as error:
        if row is None:
            return _render_travel(request, rows, bilingual(error), status=400)
        row.typed, row.error = typed, bilingual(error)
        return _render_travel(request, rows, status=400)
    if typed.strip():
        messages.success(request, _("Temps de trajet enregistré."))
    else:
        messages.success(request, _("Temps de trajet retiré."))
    anchor = f"#{row.field_id}" if row else ""
    return HttpResponseRedirect(f"{reverse('timetable:travel')}{anchor}")
