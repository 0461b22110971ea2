"""Teaching needs for the weekly-template design: an offer's activities, each with its groups,
sessions, lengths, weeks, room features and preferred or forbidden half-days
(``…/ue/<code>/besoins/``), and the semester's list of activities with or without needs,
searchable, filterable and exported as CSV (``…/<year>/<semester>/besoins/``)."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import TimetableOffer
from cartable.core.calendar import academic_year_label
from cartable.core.errors import DomainError
from cartable.core.permissions import role_required

from ..data import WeekPattern
from ..forms import PATTERN_CHOICES, DomainForm, bilingual
from ..models import Activity, ActivityNeed, Slot, TeachingCalendar
from ..needs import (
    HALF_LABELS,
    HALVES,
    NeedValues,
    do_delete_need,
    do_save_need,
    half_days,
    need_rows,
)
from ..weeks import compact, numbers_of, pattern_of
from .common import EDITORS, READERS, may_edit, semester_label, semester_or_404
from .template import offer_or_404

CELL_CHOICES = [
    ("", "—"),
    ("P", gettext_lazy("préférée")),
    ("F", gettext_lazy("interdite")),
]
DAY_COUNT = len(Slot.Day.choices)


def _number(label: Any, **attrs: Any) -> forms.CharField:
    return forms.CharField(label=label, strip=True, widget=forms.TextInput(attrs=attrs))


class NeedForm(DomainForm):
    group_count = _number(gettext_lazy("Nombre de groupes"), size=3, inputmode="numeric")
    group_capacity = _number(gettext_lazy("Places par groupe"), size=4, inputmode="numeric")
    sessions_per_week = _number(gettext_lazy("Séances par semaine"), size=2, inputmode="numeric")
    length = _number(gettext_lazy("Durée d'une séance (minutes)"), size=4, inputmode="numeric")
    pattern = forms.ChoiceField(
        label=gettext_lazy("Semaines"), choices=PATTERN_CHOICES, initial=WeekPattern.EVERY.value
    )
    explicit = forms.CharField(
        label=gettext_lazy("Numéros des semaines choisies"),
        required=False,
        widget=forms.TextInput(attrs={"size": 20, "placeholder": "1,3,5-8"}),
    )
    room_features = forms.CharField(
        label=gettext_lazy("Équipements requis"),
        required=False,
        help_text=gettext_lazy("Séparés par des virgules, comme ceux des salles (info, tp-elec…)."),
    )

    def __init__(self, *args: Any, prefix_id: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        for day, day_label in Slot.Day.choices:
            for half in HALVES:
                self.fields[f"h_{day}{half}"] = forms.ChoiceField(
                    label=f"{day_label} {HALF_LABELS[half]}", choices=CELL_CHOICES, required=False
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("pattern") == WeekPattern.EXPLICIT
            and not str(data.get("explicit", "")).strip()
        ):
            self.add_error(
                "explicit",
                _("Numéros des semaines choisies : obligatoires pour « Semaines choisies ».")
                + " / Chosen week numbers: required for “Chosen weeks”.",
            )
        return data

    def need_values(self) -> NeedValues:
        data = self.cleaned_data
        pattern = data["pattern"]
        weeks = {
            WeekPattern.EVERY.value: "",
            WeekPattern.EXPLICIT.value: data["explicit"],
        }.get(pattern, pattern)
        cells = {name[2:]: value for name, value in data.items() if name.startswith("h_")}
        return NeedValues(
            group_count=data["group_count"],
            group_capacity=data["group_capacity"],
            sessions_per_week=data["sessions_per_week"],
            length=data["length"],
            weeks=weeks,
            room_features=data["room_features"],
            preferred_times=frozenset(c for c, v in cells.items() if v == "P"),
            forbidden_times=frozenset(c for c, v in cells.items() if v == "F"),
        )

    def add_domain_error(self, error: DomainError) -> None:
        field = {"weeks": "explicit", "preferred_times": None, "forbidden_times": None}.get(
            error.field, error.field
        )
        self.add_error(field if field in self.fields else None, bilingual(error))

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("h_")]

    def grid(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The half-day selects, a row per day."""
        return [
            (str(label), [self[f"h_{day}{half}"] for half in HALVES])
            for day, label in Slot.Day.choices
        ]


def _minutes(value: Any) -> int:
    return int(value.hour) * 60 + int(value.minute)


def _initial(activity: Activity, offer: TimetableOffer, teaching: str | None) -> dict[str, Any]:
    """The form's values: the need if there is one, otherwise what the template and the
    Tableau de bord UE already say (groups, places, session length)."""
    need: ActivityNeed | None = getattr(activity, "need", None)
    if need is not None:
        pattern = pattern_of(need.weeks, teaching) if need.weeks and teaching else None
        initial: dict[str, Any] = {
            "group_count": need.group_count,
            "group_capacity": need.group_capacity,
            "sessions_per_week": need.sessions_per_week,
            "length": need.length,
            "pattern": pattern.value if pattern else WeekPattern.EVERY.value,
            "explicit": compact(numbers_of(need.weeks)) if pattern == WeekPattern.EXPLICIT else "",
            "room_features": need.room_features,
        }
        for cell in half_days(need.preferred_times):
            initial[f"h_{cell}"] = "P"
        for cell in half_days(need.forbidden_times):
            initial[f"h_{cell}"] = "F"
        return initial
    groups = list(activity.groups.all())
    slots = [s for g in groups for s in g.slots.all()]
    planned = {"CM": offer.groups_cm, "TD": offer.groups_td, "TP": offer.groups_tp}
    count = len(groups) or planned.get(activity.kind, 0) or 1
    return {
        "group_count": count,
        "group_capacity": max((g.capacity for g in groups), default=0)
        or (offer.capacity or 30) // count,
        "sessions_per_week": max((len(g.slots.all()) for g in groups), default=1) or 1,
        "length": (_minutes(slots[0].end) - _minutes(slots[0].start)) if slots else 120,
        "pattern": WeekPattern.EVERY.value,
    }


@dataclass
class NeedBlock:
    activity: Activity
    form: NeedForm
    has_need: bool


def _page(
    request: HttpRequest,
    offer: TimetableOffer,
    semester: str,
    bound: dict[uuid.UUID, NeedForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    calendar = TeachingCalendar.objects.filter(year=offer.year, semester=semester).first()
    teaching = calendar.teaching_weeks if calendar else None
    activities = (
        Activity.objects.filter(offer__uuid=offer.uuid, semester=semester)
        .select_related("need")
        .prefetch_related("groups__slots")
    )
    blocks = [
        NeedBlock(
            activity,
            (bound or {}).get(activity.uuid)
            or NeedForm(
                initial=_initial(activity, offer, teaching), prefix_id=f"need-{activity.uuid}"
            ),
            hasattr(activity, "need"),
        )
        for activity in activities
    ]
    return render(
        request,
        "timetable/offer_needs.html",
        {
            "offer": offer,
            "semester": semester,
            "semester_label": semester_label(semester),
            "year_label": academic_year_label(offer.year),
            "blocks": blocks,
            "can_edit": may_edit(request),
        },
        status=status,
    )


@role_required(*READERS)
def offer_needs(request: HttpRequest, year: int, semester: str, ue_code: str) -> HttpResponse:
    return _page(request, offer_or_404(year, semester, ue_code), semester)


def _activity_or_404(offer: TimetableOffer, semester: str, activity_uuid: uuid.UUID) -> Activity:
    found = Activity.objects.filter(
        uuid=activity_uuid, offer__uuid=offer.uuid, semester=semester
    ).first()
    if found is None:
        raise Http404(_("Activité inconnue"))
    return found


def _back(offer: TimetableOffer, semester: str, activity: Activity) -> HttpResponseRedirect:
    url = reverse("timetable:offer_needs", args=[offer.year, semester, offer.ue_code])
    return HttpResponseRedirect(f"{url}#need-{activity.uuid}")


@require_POST
@role_required(*EDITORS)
def need_save(
    request: HttpRequest, year: int, semester: str, ue_code: str, activity_uuid: uuid.UUID
) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    activity = _activity_or_404(offer, semester, activity_uuid)
    form = NeedForm(request.POST, prefix_id=f"need-{activity.uuid}")
    if form.is_valid():
        try:
            do_save_need(
                activity.uuid,
                form.need_values(),
                campus_code=offer.campus_code,
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, _("Besoins de l'activité %(kind)s enregistrés.") % {"kind": activity.kind}
            )
            return _back(offer, semester, activity)
    return _page(request, offer, semester, {activity.uuid: form}, status=400)


@require_POST
@role_required(*EDITORS)
def need_delete(
    request: HttpRequest, year: int, semester: str, ue_code: str, activity_uuid: uuid.UUID
) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    activity = _activity_or_404(offer, semester, activity_uuid)
    do_delete_need(activity.uuid, acting_user=request.user)
    messages.success(
        request,
        _("Besoins de l'activité %(kind)s retirés : ses groupes gardent leur forme.")
        % {"kind": activity.kind},
    )
    return _back(offer, semester, activity)


# --- the semester's list --------------------------------------------------------------------


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("UE"), required=False, max_length=60)
    state = forms.ChoiceField(
        label=gettext_lazy("Besoins"),
        required=False,
        choices=[
            ("", gettext_lazy("Toutes les activités")),
            ("with", gettext_lazy("Renseignés")),
            ("without", gettext_lazy("À renseigner")),
        ],
    )


@role_required(*READERS)
def needs(request: HttpRequest, year: int, semester: str) -> HttpResponse:
    semester_or_404(semester)
    form = NeedFilterForm(request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    rows = need_rows(year, semester, criteria.get("q", ""), criteria.get("state", ""))
    everything = need_rows(year, semester, "", "")
    return render(
        request,
        "timetable/needs.html",
        {
            "form": form,
            "rows": rows,
            "year": year,
            "semester": semester,
            "year_label": academic_year_label(year),
            "semester_label": semester_label(semester),
            "filled": sum(1 for r in everything if r.need),
            "total": len(everything),
            "querystring": request.GET.urlencode(),
            "current_year": catalogue.current_year(),
        },
    )


@role_required(*READERS)
def needs_csv(request: HttpRequest, year: int, semester: str) -> HttpResponse:
    semester_or_404(semester)
    form = NeedFilterForm(request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    rows = need_rows(year, semester, criteria.get("q", ""), criteria.get("state", ""))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            "ue",
            "activite",
            "groupes_actuels",
            "groupes",
            "places",
            "seances_par_semaine",
            "duree_minutes",
            "semaines",
            "equipements",
            "preferees",
            "interdites",
        ]
    )
    for row in rows:
        need = row.need
        writer.writerow(
            [
                row.ue_code,
                row.kind,
                row.groups,
                need.group_count if need else "",
                need.group_capacity if need else "",
                need.sessions_per_week if need else "",
                need.length if need else "",
                need.weeks if need else "",
                need.room_features if need else "",
                need.preferred_times if need else "",
                need.forbidden_times if need else "",
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="besoins-{year}{semester}.csv"'
    return response
