"""The form that launches a sectioning run."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SectioningForm(forms.Form):
    year = forms.IntegerField(
        label=_("Année du catalogue"),
        min_value=2000,
        max_value=2100,
        help_text=_("L'année où commence l'année universitaire : 2025 pour 2025-2026."),
    )
    semester = forms.ChoiceField(
        label=_("Semestre"), choices=[("A", _("Automne")), ("P", _("Printemps"))]
    )
    time_limit = forms.IntegerField(
        label=_("Temps de calcul (secondes)"),
        initial=60,
        min_value=5,
        max_value=3600,
        help_text=_("La meilleure répartition trouvée dans ce temps est gardée."),
    )
    seed = forms.IntegerField(
        label=_("Graine"),
        required=False,
        min_value=0,
        initial=0,
        help_text=_("La même graine redonne la même construction."),
    )


class GroupFilterForm(forms.Form):
    """How the scolarité narrows the list of groups (GET parameters)."""

    q = forms.CharField(label=_("Code d'UE ou de groupe"), required=False, max_length=40)
    semester = forms.ChoiceField(
        label=_("Semestre"),
        required=False,
        choices=[("", _("Les deux")), ("A", _("Automne")), ("P", _("Printemps"))],
    )
    ue = forms.CharField(label=_("UE (code exact)"), required=False, max_length=20)
