"""Forms of the weekly template screens. Fields are plain text where people type (so that
what was typed comes back as typed); values are checked by the parsers the actions use
(:mod:`cartable.timetable.values`), each problem shown next to its field in French and
English."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cartable.catalogue.data import TeamMember
from cartable.core.calendar import academic_year_label
from cartable.core.cells import Problem
from cartable.core.errors import DomainError

from . import values
from .actions import GroupValues, SlotValues
from .data import WeekPattern
from .io import guess_format
from .models import Group, Room, Semester, Slot, TeachingCalendar
from .queries import STATUS_LABELS

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def bilingual(error: DomainError) -> str:
    return f"{error.message_fr} / {error.message_en}"


def _text(label: Any, *, required: bool = False, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, strip=False, widget=forms.TextInput(attrs=attrs)
    )


class DomainForm(forms.Form):
    """A form whose fields are read by the parsers of :mod:`values` and whose action's
    domain errors land on their field."""

    parsers: dict[str, Callable[[Any], Any]] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, parser in self.parsers.items():
            if name in data and name not in self.errors:
                try:
                    data[name] = parser(data[name])
                except Problem as problem:
                    self.add_error(name, bilingual(values.error(name, problem)))
        return data

    def add_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, bilingual(error))


# --- calendars -----------------------------------------------------------------------------


class CalendarForm(DomainForm):
    year = forms.TypedChoiceField(label=_("Année du catalogue"), coerce=int)
    semester = forms.ChoiceField(label=_("Semestre"), choices=Semester.choices)
    first_monday = forms.DateField(
        label=_("Lundi de la première semaine"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    teaching_weeks = _text(
        _("Semaines d'enseignement"),
        required=True,
        size=40,
        spellcheck="false",
        autocomplete="off",
    )
    parsers = {"teaching_weeks": values.teaching_weeks}

    def __init__(self, *args: Any, years: list[int], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = cast(forms.TypedChoiceField, self.fields["year"])
        year_field.choices = [(y, academic_year_label(y)) for y in years]
        self.fields["teaching_weeks"].help_text = _(
            "Un caractère par semaine à partir du lundi indiqué : 1 pour une semaine de cours, "
            "0 pour une semaine sans cours (vacances). Exemple : 1111111011111111."
        )
        if editing:
            del self.fields["year"]
            del self.fields["semester"]

    def clean_first_monday(self) -> date:
        value: date = self.cleaned_data["first_monday"]
        try:
            return values.monday(value)
        except Problem as problem:
            raise forms.ValidationError(bilingual(values.error("first_monday", problem))) from None

    @classmethod
    def for_calendar(cls, calendar: TeachingCalendar, years: list[int]) -> CalendarForm:
        return cls(
            initial={
                "first_monday": calendar.first_monday,
                "teaching_weeks": calendar.teaching_weeks,
            },
            years=years,
            editing=True,
        )


# --- rooms ---------------------------------------------------------------------------------


class RoomForm(DomainForm):
    code = _text(_("Code"), required=True, size=20, autocomplete="off")
    name = _text(_("Nom"), required=True, size=50)
    campus = forms.ChoiceField(label=_("Campus"))
    capacity = _text(_("Capacité (places)"), required=True, size=6, inputmode="numeric")
    features = _text(_("Équipements"), size=50)
    parsers = {
        "code": values.room_code,
        "name": values.room_name,
        "capacity": values.capacity,
        "features": values.features,
    }

    def __init__(
        self, *args: Any, campuses: list[tuple[str, str]], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["campus"]).choices = [("", "—"), *campuses]
        self.fields["features"].help_text = _(
            "Séparés par des virgules, par exemple : info, videoprojecteur, tp-elec."
        )
        if editing:
            del self.fields["code"]

    @classmethod
    def for_room(cls, room: Room, campuses: list[tuple[str, str]]) -> RoomForm:
        return cls(
            initial={
                "name": room.name,
                "campus": room.campus.code,
                "capacity": room.capacity,
                "features": room.features,
            },
            campuses=campuses,
            editing=True,
        )


class RoomFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    campus = forms.ChoiceField(label=_("Campus"), required=False)

    def __init__(self, *args: Any, campuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["campus"]).choices = [
            ("", _("Tous les campus")),
            *campuses,
        ]


# --- the offers of a semester --------------------------------------------------------------


STATUS_CHOICES = [("", _("Tous")), *STATUS_LABELS.items()]


class OfferFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher (code ou intitulé)"), required=False)
    programme = forms.ChoiceField(label=_("Formation"), required=False)
    campus = forms.ChoiceField(label=_("Campus"), required=False)
    status = forms.ChoiceField(label=_("Semaine type"), required=False, choices=STATUS_CHOICES)

    def __init__(
        self,
        *args: Any,
        programmes: list[str],
        campuses: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["programme"]).choices = [
            ("", _("Toutes")),
            *[(p, p) for p in programmes],
        ]
        cast(forms.ChoiceField, self.fields["campus"]).choices = [
            ("", _("Tous les campus")),
            *campuses,
        ]


# --- one offer's template ------------------------------------------------------------------


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'activité"))

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "activity_%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds

    def add_domain_error(self, error: DomainError) -> None:
        self.add_error("kind", bilingual(error))


def _uuid_or_none(raw: str) -> uuid.UUID | None:
    return uuid.UUID(raw) if raw else None


class GroupForm(DomainForm):
    code = _text(_("Code du groupe"), required=True, size=8, autocomplete="off")
    capacity = _text(_("Capacité (places)"), required=True, size=5, inputmode="numeric")
    room = forms.ChoiceField(label=_("Salle"), required=False)
    teacher = forms.ChoiceField(label=_("Enseignant·e"), required=False)
    parent = forms.ChoiceField(label=_("Rattaché au groupe"), required=False)
    parsers = {"code": values.group_code, "capacity": values.capacity}

    def __init__(
        self,
        *args: Any,
        prefix_id: str,
        rooms: list[Room],
        team: list[TeamMember],
        parents: list[Group],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["room"]).choices = [
            ("", _("Aucune")),
            *[(r.code, f"{r.code} — {r.name} ({r.capacity})") for r in rooms],
        ]
        cast(forms.ChoiceField, self.fields["teacher"]).choices = [
            ("", _("Non précisé")),
            *[(str(m.person_uuid), m.display_name) for m in team],
        ]
        cast(forms.ChoiceField, self.fields["parent"]).choices = [
            ("", _("Aucun")),
            *[(str(g.uuid), f"{g.activity.kind} {g.code}") for g in parents],
        ]
        self.fields["parent"].help_text = _(
            "Un groupe de TP rattaché à un groupe de TD : l'étudiant·e suit les deux."
        )

    @classmethod
    def for_group(cls, group: Group, **kwargs: Any) -> GroupForm:
        initial = {
            "code": group.code,
            "capacity": group.capacity,
            "room": group.room.code if group.room else "",
            "teacher": str(group.teacher.uuid) if group.teacher else "",
            "parent": str(group.parent.uuid) if group.parent else "",
        }
        return cls(initial=initial, **kwargs)

    def group_values(self) -> GroupValues:
        data = self.cleaned_data
        return GroupValues(
            code=data["code"],
            capacity=data["capacity"],
            room=data["room"],
            teacher=_uuid_or_none(data["teacher"]),
            parent=_uuid_or_none(data["parent"]),
        )


PATTERN_CHOICES = [
    (WeekPattern.EVERY.value, _("Toutes les semaines")),
    (WeekPattern.ODD.value, _("Semaines impaires")),
    (WeekPattern.EVEN.value, _("Semaines paires")),
    (WeekPattern.EXPLICIT.value, _("Semaines choisies")),
]


class SlotForm(DomainForm):
    day = forms.TypedChoiceField(label=_("Jour"), coerce=int, choices=Slot.Day.choices)
    start = _text(_("Début"), required=True, size=5, placeholder="08:00")
    end = _text(_("Fin"), required=True, size=5, placeholder="10:00")
    pattern = forms.ChoiceField(
        label=_("Semaines"), choices=PATTERN_CHOICES, initial=WeekPattern.EVERY.value
    )
    explicit = _text(_("Numéros des semaines choisies"), size=20, placeholder="1,3,5-8")
    room = forms.ChoiceField(label=_("Salle (si autre que celle du groupe)"), required=False)
    parsers = {"start": values.clock, "end": values.clock}

    def __init__(self, *args: Any, prefix_id: str, rooms: list[Room], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["room"]).choices = [
            ("", _("Celle du groupe")),
            *[(r.code, f"{r.code} — {r.name} ({r.capacity})") for r in rooms],
        ]
        self.fields["explicit"].help_text = _(
            "Seulement pour « Semaines choisies » : numéros de semaine du calendrier, "
            "séparés par des virgules, ou des intervalles (1-4)."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("pattern") == WeekPattern.EXPLICIT
            and not str(data.get("explicit", "")).strip()
        ):
            self.add_error(
                "explicit",
                bilingual(
                    values.error("weeks", Problem("indiquez les numéros", "give the numbers"))
                ),
            )
        return data

    def slot_values(self) -> SlotValues:
        data = self.cleaned_data
        pattern = data["pattern"]
        weeks = data["explicit"] if pattern == WeekPattern.EXPLICIT else pattern
        return SlotValues(
            day=data["day"], start=data["start"], end=data["end"], weeks=weeks, room=data["room"]
        )

    def add_domain_error(self, error: DomainError) -> None:
        field = "explicit" if error.field == "weeks" else error.field
        if error.field == "slot_room":
            field = "room"
        self.add_error(field if field in self.fields else None, bilingual(error))


# --- import and export ---------------------------------------------------------------------


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Selon l'extension du fichier")), ("csv", "CSV"), ("json", "JSON")],
    )
    file = forms.FileField(
        label=_("Fichier"),
        help_text=format_lazy(
            _(
                "Une ligne par créneau (CSV séparé par des points-virgules ou des virgules, "
                "UTF-8), ou un document JSON. {size} Mo au plus. Colonnes et exemples : "
                "docs/samples/timetable/README.md."
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


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("json", "JSON")], initial="csv"
    )
    annee = forms.TypedChoiceField(label=_("Année du catalogue"), coerce=int)
    semestre = forms.ChoiceField(label=_("Semestre"), choices=Semester.choices)
    ue = forms.CharField(
        label=_("UE (codes séparés par des virgules ; vide : toutes)"), required=False
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "export_%s")
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["annee"]).choices = [
            (y, academic_year_label(y)) for y in years
        ]


__all__ = [
    "ActivityForm",
    "CalendarForm",
    "ExportForm",
    "GroupForm",
    "ImportForm",
    "OfferFilterForm",
    "RoomFilterForm",
    "RoomForm",
    "SlotForm",
]
