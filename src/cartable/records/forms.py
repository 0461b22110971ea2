"""Forms of the Dossier étudiant. They collect what was typed (kept on error); the actions
check it again with :mod:`rules`, whose errors name the field in French and English."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cartable.core.errors import DomainError

from .models import Equivalence, InternationalExperience, Internship, Semester


def bilingual(error: DomainError) -> str:
    return f"{error.message_fr} / {error.message_en}"


class DomainForm(forms.Form):
    def add_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, bilingual(error))

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _text(label: Any, *, required: bool = True, size: int = 40) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=200, widget=forms.TextInput({"size": size})
    )


def _credits(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=10,
        widget=forms.TextInput({"inputmode": "decimal", "size": 6}),
        help_text=_("Par exemple 6 ou 4,5."),
    )


class EquivalenceForm(DomainForm):
    origin = forms.ChoiceField(label=_("Origine"), choices=Equivalence.Origin.choices)
    institution = _text(_("Établissement"))
    country = _text(_("Pays"), required=False, size=20)
    category = forms.CharField(
        label=_("Catégorie"),
        max_length=10,
        widget=forms.TextInput({"size": 6}),
        help_text=_("Code de la catégorie : CS, TM, EC, OM, QC, ST…"),
    )
    credits = _credits(_("Crédits"))
    status = forms.ChoiceField(label=_("Décision"), choices=Equivalence.Status.choices)
    note = forms.CharField(label=_("Remarque"), required=False, widget=forms.Textarea({"rows": 3}))


class InternshipForm(DomainForm):
    kind = forms.ChoiceField(label=_("Type de stage"), choices=Internship.Kind.choices)
    company = _text(_("Entreprise ou organisme"))
    city = _text(_("Ville"), required=False, size=20)
    country = _text(_("Pays"), required=False, size=20)
    start_date = _date(_("Début"))
    end_date = _date(_("Fin"))
    weeks = forms.IntegerField(
        label=_("Semaines"), min_value=1, max_value=104, widget=forms.NumberInput({"size": 4})
    )
    status = forms.ChoiceField(label=_("État"), choices=Internship.Status.choices)


class ExperienceForm(DomainForm):
    kind = forms.ChoiceField(
        label=_("Type d'expérience"), choices=InternationalExperience.Kind.choices
    )
    partner = _text(_("Établissement ou organisme partenaire"))
    country = _text(_("Pays"), size=20)
    start_date = _date(_("Début"))
    end_date = _date(_("Fin"))
    credits_recognised = _credits(_("Crédits reconnus"), required=False)


class JuryForm(DomainForm):
    programme = forms.ChoiceField(label=_("Formation"))
    year = forms.IntegerField(
        label=_("Année du catalogue"),
        min_value=2000,
        max_value=2100,
        help_text=_("L'année où commence l'année universitaire : 2025 pour 2025-2026."),
    )
    semester = forms.ChoiceField(label=_("Semestre"), choices=Semester.choices)
    date = _date(_("Date du jury"))
    title = _text(_("Intitulé"), required=False)

    def __init__(self, *args: Any, programmes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["programme"])
        field.choices = [(code, code) for code in programmes]


class DecisionForm(DomainForm):
    kind = forms.ChoiceField(label=_("Décision"))
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea({"rows": 2, "cols": 40})
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["kind"])
        field.choices = [("", "—"), *kinds]


class StudentSearchForm(forms.Form):
    q = forms.CharField(label=_("Nom ou numéro étudiant"), required=False, max_length=100)
    programme = forms.ChoiceField(label=_("Formation"), required=False)
    level = forms.ChoiceField(label=_("Niveau"), required=False)

    def __init__(self, *args: Any, programmes: list[str], levels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["programme"]).choices = [
            ("", _("Toutes")),
            *[(p, p) for p in programmes],
        ]
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            ("", _("Tous")),
            *[(level, level) for level in levels],
        ]


class WhatIfForm(forms.Form):
    """What if I took these UEs, or followed another programme or catalogue year?"""

    planned = forms.CharField(
        label=_("UE prévues"),
        required=False,
        max_length=300,
        help_text=_("Codes séparés par des espaces ou des virgules, par exemple « IA41 LO21 »."),
    )
    programme = forms.CharField(
        label=_("Autre formation"),
        required=False,
        max_length=40,
        help_text=_("Code de formation, par exemple « INFO » ; vide : la vôtre."),
    )
    year = forms.TypedChoiceField(
        label=_("Autre année du catalogue"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("La vôtre"))] + [(str(y), f"{y}-{y + 1}") for y in years]

    def clean_programme(self) -> str:
        return str(self.cleaned_data.get("programme") or "").strip().upper()


class RequirementForm(DomainForm):
    """A graduation requirement: the common fields, then those of its kind (the others are
    ignored). The action checks the values against the catalogue and the frameworks."""

    KIND_FIELDS = {
        "credits": ("categories", "min_credits"),
        "mandatory_ues": ("ues",),
        "internships": ("count", "min_weeks"),
        "certification": ("test", "min_score"),
        "block": ("block", "min_rank"),
    }

    kind = forms.ChoiceField(label=_("Type d'exigence"))
    programme = forms.ChoiceField(label=_("Formation"))
    catalogue_year = forms.TypedChoiceField(label=_("Année du catalogue"), coerce=int)
    label = _text(_("Libellé"))
    label_en = _text(_("Libellé (anglais)"), required=False)
    order = forms.IntegerField(
        label=_("Ordre d'affichage"), min_value=0, max_value=999, initial=0, required=False
    )
    assumption = forms.BooleanField(label=_("Hypothèse (valeur non votée)"), required=False)
    categories = forms.CharField(
        label=_("Catégories"),
        required=False,
        max_length=60,
        help_text=_("Codes séparés par des virgules (CS,TM) ; vide : tous les crédits."),
    )
    min_credits = forms.DecimalField(
        label=_("Crédits minimum"), required=False, max_digits=5, decimal_places=1
    )
    ues = forms.CharField(
        label=_("UE obligatoires"),
        required=False,
        max_length=300,
        help_text=_("Codes séparés par des espaces ou des virgules."),
    )
    count = forms.IntegerField(label=_("Nombre de stages"), required=False)
    min_weeks = forms.IntegerField(label=_("Semaines au moins, par stage"), required=False)
    test = forms.ChoiceField(label=_("Test"), required=False)
    min_score = forms.IntegerField(label=_("Score minimum"), required=False)
    block = forms.ChoiceField(label=_("Bloc de compétences"), required=False)
    min_rank = forms.IntegerField(label=_("Niveau requis"), required=False)

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        programmes: list[tuple[str, str]],
        years: list[int],
        tests: list[tuple[str, str]],
        blocks: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._kinds = kinds
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds
        cast(forms.ChoiceField, self.fields["programme"]).choices = programmes
        cast(forms.ChoiceField, self.fields["catalogue_year"]).choices = [
            (y, f"{y}-{y + 1}") for y in years
        ]
        cast(forms.ChoiceField, self.fields["test"]).choices = [("", "—"), *tests]
        cast(forms.ChoiceField, self.fields["block"]).choices = [("", "—"), *blocks]

    def kind_fields(self) -> list[tuple[str, list[Any]]]:
        """Each kind's own fields, for the screen to group them."""
        labels = dict(self._kinds)
        return [
            (str(labels.get(kind, kind)), [self[name] for name in names])
            for kind, names in self.KIND_FIELDS.items()
        ]
