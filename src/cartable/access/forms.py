from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cartable.referential import api as referential


def find_one_person(text: str) -> Any:
    """The one person whose login, eduPersonPrincipalName or institutional e-mail is ``text``."""
    text = text.strip()
    found = [
        p
        for p in referential.find_persons(text, limit=5)
        if text.lower() in {p.login.lower(), p.eppn.lower(), p.institutional_email.lower()}
    ]
    if len(found) != 1:
        raise forms.ValidationError(
            _("Aucune personne n'a cet identifiant. / No person has this identifier.")
        )
    return found[0]


class AuthorisationForm(forms.Form):
    person = forms.CharField(
        label=_("Bénéficiaire"),
        help_text=_("Identifiant, eduPersonPrincipalName ou courriel institutionnel."),
    )
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}))
    start_date = forms.DateField(label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("Expiration"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_person(self) -> Any:
        return find_one_person(self.cleaned_data["person"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("start_date")
        end: date | None = data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("L'expiration doit suivre le début. / The expiry must follow the start."),
            )
        return data


class RuleForm(forms.Form):
    label = forms.CharField(label=_("Intitulé"), max_length=200)
    target = forms.ChoiceField(
        label=_("Attribuer à"),
        choices=[
            ("population", _("une population")),
            ("group", _("un groupe")),
            ("structure", _("une structure")),
        ],
        widget=forms.RadioSelect,
    )
    population = forms.ChoiceField(label=_("Population"), required=False)
    group = forms.ChoiceField(label=_("Groupe"), required=False)
    structure = forms.ChoiceField(label=_("Structure"), required=False)
    include_substructures = forms.BooleanField(
        label=_("Inclure les sous-structures"), required=False, initial=True
    )
    start_date = forms.DateField(label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("Fin"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        empty = [("", "—")]
        cast(forms.ChoiceField, self.fields["population"]).choices = empty + [
            (c.code, c.label) for c in referential.population_choices()
        ]
        cast(forms.ChoiceField, self.fields["group"]).choices = empty + [
            (c.code, c.label) for c in referential.group_choices()
        ]
        cast(forms.ChoiceField, self.fields["structure"]).choices = empty + [
            (c.code, c.label) for c in referential.structure_choices()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("target")
        if target and not data.get(target):
            self.add_error(target, _("Choisissez une valeur. / Choose a value."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("La fin doit suivre le début. / The end must follow the start.")
            )
        return data


class ExplainForm(forms.Form):
    person = forms.CharField(
        label=_("Personne"), help_text=_("Nom, identifiant, numéro ou courriel.")
    )


class DelegationForm(forms.Form):
    delegate = forms.CharField(
        label=_("Délégataire"),
        help_text=_("Identifiant, eduPersonPrincipalName ou courriel institutionnel."),
    )
    structure = forms.ChoiceField(label=_("Structure (et sous-structures)"))
    services = forms.MultipleChoiceField(
        label=_("Services"),
        required=False,
        help_text=_("Aucun service choisi : tous les services."),
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("Fin"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, service_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["structure"]).choices = [
            (c.code, c.label) for c in referential.structure_choices()
        ]
        cast(forms.MultipleChoiceField, self.fields["services"]).choices = service_choices

    def clean_delegate(self) -> Any:
        return find_one_person(self.cleaned_data["delegate"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("La fin doit suivre le début. / The end must follow the start.")
            )
        return data
