"""Forms of the scolarité's campaign screens: a campaign, a programme's rules with its
category rules, a copy of rules, the search of the places and a UE's capacity. The values
are checked by the rules of :mod:`campaign_rules`; their errors land on their field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cartable.core.errors import DomainError
from cartable.referential import api as referential

from .campaign_rules import CampaignValues, CategoryValues, RuleValues
from .forms_campaigns import DomainErrorForm
from .models import Campaign

DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
FIXED_FIELDS = ("year", "semester", "population")


def _moment(label: Any, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        input_formats=DATETIME_INPUTS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _credits(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=4,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )


class CampaignForm(DomainErrorForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Lettres minuscules, chiffres et tirets, par exemple ip-2025-p-student. "
            "Il figure dans les adresses et ne change plus."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    title_en = forms.CharField(label=_("Intitulé (anglais)"), max_length=200, required=False)
    year = forms.IntegerField(
        label=_("Année du catalogue"),
        min_value=2000,
        max_value=2100,
        help_text=_("Première année de l'année universitaire : 2025 pour 2025-2026."),
    )
    semester = forms.ChoiceField(
        label=_("Semestre"), choices=[("A", _("Automne")), ("P", _("Printemps"))]
    )
    population = forms.ChoiceField(
        label=_("Population"),
        help_text=_("Les étudiant·es inscrit·es dans cette population du référentiel."),
    )
    opens_at = _moment(_("Ouverture (début du choix des UE)"))
    advising_from = _moment(
        _("Début du conseil pédagogique"),
        _(
            "Les étudiant·es ne peuvent plus ajouter d'UE seul·es ; "
            "ils et elles peuvent en retirer."
        ),
    )
    closes_at = _moment(_("Clôture"))
    claim_hours = forms.IntegerField(
        label=_("Délai pour accepter une place libérée (heures)"),
        initial=0,
        help_text=_(
            "0 : la place libérée est attribuée aussitôt au premier de la liste d'attente. "
            "Sinon elle lui est réservée pendant ce délai."
        ),
    )

    def __init__(
        self, *args: Any, campaign: Campaign | None = None, fixed: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(c.code, c.label) for c in referential.registration_population_choices()]
        if campaign is not None:
            del self.fields["code"]
            if campaign.population not in {code for code, _label in choices}:
                choices.append((campaign.population, campaign.population))
        self.fields["population"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
        if fixed:
            for name in FIXED_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "La campagne est ouverte : ce choix ne change plus."
                )

    @classmethod
    def for_campaign(cls, campaign: Campaign, *, fixed: bool) -> CampaignForm:
        initial = {
            name: getattr(campaign, name)
            for name in (
                "title",
                "title_en",
                "year",
                "semester",
                "population",
                "opens_at",
                "advising_from",
                "closes_at",
                "claim_hours",
            )
        }
        return cls(initial=initial, campaign=campaign, fixed=fixed)

    def values(self) -> CampaignValues:
        data = self.cleaned_data
        return CampaignValues(
            title=data["title"],
            title_en=data["title_en"],
            year=data["year"],
            semester=data["semester"],
            population=data["population"],
            opens_at=data["opens_at"],
            advising_from=data["advising_from"],
            closes_at=data["closes_at"],
            claim_hours=data["claim_hours"],
        )


class RuleForm(DomainErrorForm):
    min_credits = _credits(_("Crédits minimum"))
    max_credits = _credits(_("Crédits maximum"))
    max_ues = forms.IntegerField(
        label=_("Nombre maximum d'UE"),
        required=False,
        help_text=_("Vide : pas de limite."),
        widget=forms.NumberInput(attrs={"size": 4}),
    )
    mandatory = forms.CharField(
        label=_("UE obligatoires du semestre"),
        required=False,
        max_length=500,
        help_text=_(
            "Codes des UE séparés par des espaces ou des virgules ; chacune doit être "
            "proposée à la formation ce semestre."
        ),
        widget=forms.TextInput(attrs={"size": 40, "spellcheck": "false", "autocomplete": "off"}),
    )

    @classmethod
    def for_rule(cls, rule: RuleValues | None) -> RuleForm:
        if rule is None:
            return cls()
        return cls(
            initial={
                "min_credits": rule.min_credits,
                "max_credits": rule.max_credits,
                "max_ues": rule.max_ues,
                "mandatory": " ".join(rule.mandatory),
            }
        )

    def mandatory_codes(self) -> tuple[str, ...]:
        text = self.cleaned_data.get("mandatory") or ""
        return tuple(c for c in text.replace(",", " ").replace(";", " ").split() if c)


class CategoryRuleForm(forms.Form):
    categories = forms.CharField(
        label=_("Catégories"),
        required=False,
        max_length=60,
        help_text=_("Une catégorie (CS) ou plusieurs comptées ensemble (CS,TM)."),
        widget=forms.TextInput(attrs={"size": 12, "spellcheck": "false", "autocomplete": "off"}),
    )
    min_credits = _credits(_("Crédits minimum"), required=False)
    max_credits = _credits(_("Crédits maximum"), required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("categories") or "").strip() and (
            data.get("min_credits") is None and data.get("max_credits") is None
        )

    def category_values(self) -> CategoryValues:
        data = self.cleaned_data
        low: Decimal | None = data.get("min_credits")
        high: Decimal | None = data.get("max_credits")
        return CategoryValues(data.get("categories") or "", low, high)


CategoryFormSet = forms.formset_factory(CategoryRuleForm, extra=2, max_num=20)


def category_formset(rule: RuleValues | None, data: Any = None) -> Any:
    """The category rules of a programme's rule, and two blank lines to add some."""
    if data is not None:
        return CategoryFormSet(data, prefix="categories")
    initial = [
        {"categories": c.categories, "min_credits": c.min_credits, "max_credits": c.max_credits}
        for c in (rule.categories if rule else ())
    ]
    return CategoryFormSet(initial=initial, prefix="categories")


def filled_category_forms(formset: Any) -> list[CategoryRuleForm]:
    """The category lines that say something (a blank line is ignored, a cleared one
    removes its rule)."""
    return [form for form in formset.forms if not form.is_blank()]


def place_category_error(formset: Any, filled: list[CategoryRuleForm], error: DomainError) -> bool:
    """Put an error about category rule ``category-<n>`` on its line; False when it is not
    about a category rule."""
    prefix = "category-"
    if not error.field.startswith(prefix):
        return False
    index = int(error.field[len(prefix) :])
    if index >= len(filled):
        return False
    filled[index].add_error("categories", error.message)
    return True


class CopyRulesForm(DomainErrorForm):
    source = forms.ChoiceField(label=_("Campagne dont copier les règles"))

    def __init__(self, *args: Any, campaigns: list[Campaign], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(c.code, f"{c.title} ({c.code})") for c in campaigns]  # type: ignore[attr-defined]


class SeatFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher (code ou intitulé)"), required=False, max_length=100)
    formation = forms.ChoiceField(label=_("Formation"), required=False)
    completes = forms.BooleanField(label=_("Seulement les UE complètes"), required=False)

    def __init__(self, *args: Any, programmes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["formation"].choices = [("", _("Toutes")), *((p, p) for p in programmes)]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"text": data["q"], "programme": data["formation"], "full_only": data["completes"]}


class CapacityForm(DomainErrorForm):
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        help_text=_(
            "Vide : sans limite. Jamais moins que les places déjà prises ; les places "
            "ajoutées vont aussitôt à la liste d'attente."
        ),
        widget=forms.NumberInput(attrs={"size": 5}),
    )
