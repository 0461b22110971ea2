from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Campus, Population, Structure


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom, identifiant, numéro ou courriel"), required=False)
    population = forms.ChoiceField(label=_("Population"), required=False)
    structure = forms.ChoiceField(label=_("Structure (et sous-structures)"), required=False)
    campus = forms.ChoiceField(label=_("Campus"), required=False)
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("active", _("Actives")), ("inactive", _("Inactives")), ("all", _("Toutes"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Toutes"))]
        cast(forms.ChoiceField, self.fields["population"]).choices = everything + [
            (p.code, p.label) for p in Population.objects.order_by("label")
        ]
        cast(forms.ChoiceField, self.fields["structure"]).choices = everything + [
            (s.code, f"{'— ' * max(s.depth, 0)}{s.name}")
            for s in Structure.objects.order_by("path")
        ]
        cast(forms.ChoiceField, self.fields["campus"]).choices = [("", _("Tous"))] + [
            (c.code, c.name) for c in Campus.objects.order_by("name")
        ]
