"""Forms of the Tableau de bord UE and of the yearly cycle.

Values are checked by the same rules the actions apply (:mod:`cartable.catalogue.rules`), so
that every problem is shown at once, next to its field, in French and in English; the fields
are plain text so that what was typed comes back as typed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cartable.core.errors import DomainError

from . import rules
from .models import Offer, SoftwareNeed, TeachingAssignment


def bilingual(error: DomainError) -> str:
    return f"{error.message_fr} / {error.message_en}"


def _text(label: Any, *, rows: int = 0, **attrs: Any) -> forms.CharField:
    widget: forms.Widget = (
        forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    )
    return forms.CharField(label=label, required=False, strip=False, widget=widget)


def _number(label: Any, *, decimal: bool = False) -> forms.CharField:
    return _text(label, inputmode="decimal" if decimal else "numeric", size=6)


class RuleCheckedForm(forms.Form):
    """A form whose fields are checked one by one by a rule of :mod:`rules`."""

    cleaner: Callable[[Mapping[str, Any]], dict[str, Any]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.fields:
            if name in data:
                try:
                    type(self).cleaner({name: data[name]})
                except DomainError as error:
                    self.add_error(name, bilingual(error))
        return data

    def values(self) -> dict[str, Any]:
        """The submitted values, for the action (which cleans them again)."""
        return {name: self.cleaned_data[name] for name in self.fields}

    def add_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, bilingual(error))


class SyllabusForm(RuleCheckedForm):
    cleaner = staticmethod(rules.clean_syllabus)

    title = _text(_("Intitulé"), size=60)
    title_en = _text(_("Intitulé (anglais)"), size=60, lang="en")
    credits = _number(_("Crédits ECTS"), decimal=True)
    objectives = _text(_("Objectifs"), rows=5)
    objectives_en = _text(_("Objectifs (anglais)"), rows=5, lang="en")
    content = _text(_("Contenu"), rows=6)
    content_en = _text(_("Contenu (anglais)"), rows=6, lang="en")
    assessment = _text(_("Modalités d'évaluation"), rows=4)
    assessment_en = _text(_("Modalités d'évaluation (anglais)"), rows=4, lang="en")
    bibliography = _text(_("Bibliographie"), rows=4)

    @classmethod
    def for_offer(cls, offer: Offer) -> SyllabusForm:
        return cls(initial={name: getattr(offer, name) for name in rules.SYLLABUS_FIELDS})


class NeedsForm(RuleCheckedForm):
    cleaner = staticmethod(rules.clean_needs)

    groups_cm = _number(_("Groupes de CM"))
    groups_td = _number(_("Groupes de TD"))
    groups_tp = _number(_("Groupes de TP"))
    hours_cm = _number(_("Heures de CM"), decimal=True)
    hours_td = _number(_("Heures de TD"), decimal=True)
    hours_tp = _number(_("Heures de TP"), decimal=True)
    hours_personal = _number(_("Heures de travail personnel"), decimal=True)
    capacity = _number(_("Capacité d'accueil (vide : sans limite)"))
    room_needs = _text(_("Besoins en salles"), rows=3)

    @classmethod
    def for_offer(cls, offer: Offer) -> NeedsForm:
        initial = {name: getattr(offer, name) for name in rules.NEEDS_FIELDS}
        if initial["capacity"] is None:
            initial["capacity"] = ""
        return cls(initial=initial)


class SoftwareNeedForm(forms.Form):
    software = forms.ChoiceField(label=_("Logiciel"), required=False)
    mode = forms.ChoiceField(
        label=_("Mode d'accès"),
        required=False,
        choices=[("", "—"), *SoftwareNeed.Mode.choices],
    )
    note = _text(_("Précision"), size=30)

    def __init__(self, *args: Any, software_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["software"]).choices = [("", "—"), *software_choices]

    def choice(self) -> rules.SoftwareChoice | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("software") or data.get("DELETE"):
            return None
        return rules.SoftwareChoice(data["software"], data.get("mode", ""), data.get("note", ""))


class BaseSoftwareNeedFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, software_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        self.software_choices = software_choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "software_choices": self.software_choices}

    @property
    def empty_form(self) -> Any:
        return self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            software_choices=self.software_choices,
        )

    def clean(self) -> None:
        if any(self.errors):
            return
        try:
            rules.clean_software_needs(
                self.choices(),
                {code for code, _label in self.software_choices},
                set(SoftwareNeed.Mode.values),
            )
        except DomainError as error:
            raise forms.ValidationError(bilingual(error)) from None

    def choices(self) -> list[rules.SoftwareChoice]:
        found = (form.choice() for form in self.forms)
        return [c for c in found if c is not None]


SoftwareNeedFormSet: Any = forms.formset_factory(
    SoftwareNeedForm, formset=BaseSoftwareNeedFormSet, extra=2, can_delete=True
)


def software_formset(
    offer: Offer, software_choices: list[tuple[str, str]], data: Any = None
) -> BaseSoftwareNeedFormSet:
    initial = [
        {"software": n.software.code, "mode": n.mode, "note": n.note}
        for n in offer.software_needs.select_related("software").order_by("software__name")
    ]
    return cast(
        BaseSoftwareNeedFormSet,
        SoftwareNeedFormSet(
            data, initial=initial, prefix="software", software_choices=software_choices
        ),
    )


class TeamMemberForm(forms.Form):
    person = forms.CharField(
        label=_("Personne"),
        required=False,
        help_text=_("Identifiant, eduPersonPrincipalName ou courriel institutionnel."),
    )
    activity = forms.ChoiceField(
        label=_("Activité"),
        choices=TeachingAssignment.Activity.choices,
        initial=TeachingAssignment.Activity.ALL,
    )
    hours = _number(_("Heures prévues"), decimal=True)

    def clean_person(self) -> str:
        text = str(self.cleaned_data.get("person") or "").strip()
        if not text:
            raise forms.ValidationError(
                "Personne : ce champ est obligatoire. / Person: this field is required."
            )
        return text

    def clean_hours(self) -> str:
        value = self.cleaned_data.get("hours") or "0"
        try:
            rules.clean_team_hours(value)
        except DomainError as error:
            raise forms.ValidationError(bilingual(error)) from None
        return str(value)

    def add_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, bilingual(error))


class ReturnToDraftForm(forms.Form):
    comment = _text(_("Commentaire pour l'équipe (obligatoire)"), rows=3)

    def clean_comment(self) -> str:
        try:
            return rules.clean_comment(self.cleaned_data.get("comment"))
        except DomainError as error:
            raise forms.ValidationError(bilingual(error)) from None


class OfferFilterForm(forms.Form):
    q = forms.CharField(label=_("Code ou intitulé"), required=False)
    year = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous")), *Offer.Status.choices]
    )
    programme = forms.ChoiceField(label=_("Formation"), required=False)

    def __init__(
        self,
        *args: Any,
        years: list[int],
        programmes: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            ("", _("Toutes")),
            *((y, f"{y}-{y + 1}") for y in years),
        ]
        cast(forms.ChoiceField, self.fields["programme"]).choices = [
            ("", _("Toutes")),
            *programmes,
        ]


class CopyYearForm(forms.Form):
    source_year = forms.TypedChoiceField(label=_("Année à copier"), coerce=int)
    target_year = forms.IntegerField(
        label=_("Vers l'année"),
        help_text=_("Année de début de l'année universitaire cible, par exemple 2026."),
        error_messages={
            "required": "Année cible : ce champ est obligatoire. / "
            "Target year: this field is required.",
            "invalid": "Année cible : saisissez une année. / Target year: enter a year.",
        },
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source_year"]).choices = [
            (y, f"{y}-{y + 1}") for y in years
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source, target = data.get("source_year"), data.get("target_year")
        if source is not None and target is not None:
            try:
                rules.check_copy_years(source, target)
            except DomainError as error:
                self.add_error(
                    error.field if error.field in self.fields else None, bilingual(error)
                )
        return data


class PublishYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Année"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, f"{y}-{y + 1}") for y in years]
