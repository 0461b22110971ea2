"""Forms of the exam sessions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExamRule, ExamSession


def _day(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=120)
    year = forms.IntegerField(label=_("Année du catalogue"), min_value=2000, max_value=2100)
    semester = forms.ChoiceField(
        label=_("Semestre"), choices=[("A", _("Automne")), ("P", _("Printemps"))]
    )
    kind = forms.ChoiceField(label=_("Type"), choices=ExamSession.Kind.choices)
    first_day = _day(_("Premier jour"))
    last_day = _day(_("Dernier jour"))
    starts = forms.CharField(
        label=_("Débuts des épreuves, chaque jour"),
        max_length=120,
        initial="08:00,10:30,14:00,16:30",
        help_text=_("Heures séparées par des virgules."),
    )
    period_minutes = forms.IntegerField(
        label=_("Durée d'un créneau (minutes)"), min_value=30, max_value=480, initial=120
    )
    saturdays = forms.BooleanField(label=_("Samedis compris"), required=False)


class ExamForm(forms.Form):
    duration = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=480)
    alone_in_room = forms.BooleanField(label=_("Seule dans sa salle"), required=False)


class RuleForm(forms.Form):
    first = forms.ChoiceField(label=_("L'épreuve"))
    kind = forms.ChoiceField(label=_("Règle"), choices=ExamRule.Kind.choices)
    second = forms.ChoiceField(label=_("L'épreuve"))

    def __init__(self, *args: Any, exams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["first"]).choices = exams
        cast(forms.ChoiceField, self.fields["second"]).choices = exams

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", _("Choisissez deux épreuves différentes."))
        return data


class PlanForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Temps de calcul (secondes)"), min_value=5, max_value=3600, initial=60
    )
