from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class EmailCheckForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique du titulaire"),
        help_text=_("Elle est comparée à l'empreinte inscrite dans le badge, jamais enregistrée."),
    )


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label=_("Badge (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("Collez le contenu JSON du badge, ou déposez son fichier ci-dessous."),
    )
    file = forms.FileField(
        label=_("Fichier du badge"),
        required=False,
        help_text=_("JSON, ou image PNG ou SVG où le badge est intégré (512 Kio au plus)."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("credential") and not data.get("file"):
            raise forms.ValidationError(_("Collez un badge ou déposez son fichier."))
        return data


class AssessmentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des évaluations"),
        help_text=_(
            "Colonnes : numero_etudiant, competence (code), niveau (rang ou code), preuve, "
            "commentaire ; séparateur « ; » ou « , » ; UTF-8."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Le fichier dépasse 2 Mio."))
        raw = upload.read()
        try:
            self.cleaned_data["text"] = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("Le fichier n'est pas en UTF-8 (octet %(at)s).") % {"at": error.start}
            ) from error
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "text" in self.cleaned_data:
            data["text"] = self.cleaned_data["text"]
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


CLAIMED_ROWS = 4


class ClaimForm(forms.Form):
    """An experience to have recognised, with up to four competencies it claims."""

    kind = forms.ChoiceField(label=_("Type d'expérience"))
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    organisation = forms.CharField(label=_("Organisme"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("Fin"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Ce que vous avez fait et appris"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    test = forms.ChoiceField(
        label=_("Test (certification)"),
        required=False,
        choices=[("", "—"), ("toeic", "TOEIC"), ("pix", "PIX"), ("other", _("Autre"))],
    )
    score = forms.IntegerField(label=_("Score (certification)"), required=False, min_value=0)
    credits_requested = forms.DecimalField(
        label=_("Crédits demandés"), required=False, min_value=0, max_digits=4, decimal_places=1
    )
    evidence_files = MultipleFileField(
        label=_("Pièces justificatives"),
        help_text=_("PDF, PNG ou JPEG ; 5 fichiers au plus, 5 Mio chacun."),
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        competencies: list[tuple[str, list[tuple[str, str]]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast_choice(self.fields["kind"]).choices = kinds
        for n in range(1, CLAIMED_ROWS + 1):
            self.fields[f"competency_{n}"] = forms.ChoiceField(
                label=_("Compétence %(n)s") % {"n": n},
                required=False,
                choices=[("", "—"), *competencies],
            )
            self.fields[f"level_{n}"] = forms.TypedChoiceField(
                label=_("Niveau revendiqué %(n)s") % {"n": n},
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—")] + [(str(r), str(r)) for r in range(1, 9)],
            )

    def claimed(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [
            (data[f"competency_{n}"], data[f"level_{n}"])
            for n in range(1, CLAIMED_ROWS + 1)
            if data.get(f"competency_{n}") and data.get(f"level_{n}")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, CLAIMED_ROWS + 1):
            if bool(data.get(f"competency_{n}")) != bool(data.get(f"level_{n}")):
                self.add_error(
                    f"level_{n}", _("Choisissez la compétence et son niveau, ou aucun des deux.")
                )
        return data


def cast_choice(field: forms.Field) -> forms.ChoiceField:
    assert isinstance(field, forms.ChoiceField)
    return field


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("accept", _("Accepter")), ("refuse", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    credits = forms.DecimalField(
        label=_("Crédits accordés"), required=False, min_value=0, max_digits=4, decimal_places=1
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un refus ; l'étudiant·e le lit."),
    )

    def __init__(self, *args: Any, claimed: list[tuple[str, str, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claimed = claimed
        for key, label, rank in claimed:
            self.fields[f"granted_{key}"] = forms.TypedChoiceField(
                label=_("Niveau reconnu — %(competency)s") % {"competency": label},
                required=False,
                coerce=int,
                empty_value=None,
                initial=str(rank),
                choices=[("", _("Aucun"))] + [(str(r), str(r)) for r in range(1, rank + 1)],
            )

    def add_domain_error(self, error: Any) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class PixImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des résultats PIX"),
        help_text=_(
            "Colonnes : numero_etudiant, date, score, puis, au choix, une colonne par "
            "compétence CRCN (1.1 … 5.2) avec le niveau atteint ; UTF-8."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Vérifier seulement, sans rien enregistrer"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mio."))
        try:
            self.cleaned_data["text"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("Le fichier n'est pas en UTF-8 (octet %(at)s).") % {"at": error.start}
            ) from error
        return upload


class AggregationRuleForm(forms.Form):
    method = forms.ChoiceField(label=_("Règle d'agrégation"))
    min_concordant = forms.IntegerField(
        label=_("Évaluations concordantes requises"),
        min_value=1,
        max_value=10,
        initial=2,
        help_text=_("Pour la règle « N évaluations au moins » seulement."),
    )

    def __init__(self, *args: Any, methods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast_choice(self.fields["method"]).choices = methods


class CreditRuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'expérience"))
    max_credits = forms.DecimalField(
        label=_("Crédits au plus"), min_value=0, max_value=60, max_digits=4, decimal_places=1
    )
    category = forms.CharField(label=_("Catégorie"), max_length=10)
    note = forms.CharField(label=_("Remarque"), max_length=250, required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast_choice(self.fields["kind"]).choices = kinds

    def clean_category(self) -> str:
        return str(self.cleaned_data["category"]).strip().upper()


class AchievementForm(forms.Form):
    """A badge for a passed UE or a certification score."""

    kind = forms.ChoiceField(label=_("Le badge certifie"))
    ue_code = forms.CharField(
        label=_("UE"), required=False, max_length=20, help_text=_("Pour une UE : son code.")
    )
    test = forms.ChoiceField(label=_("Certification"), required=False)
    min_score = forms.IntegerField(
        label=_("Score minimum"), required=False, help_text=_("Pour une certification.")
    )
    name = forms.CharField(
        label=_("Intitulé"),
        required=False,
        max_length=250,
        help_text=_("Vide : un intitulé tiré de l'UE ou du test."),
    )
    name_en = forms.CharField(label=_("Intitulé (anglais)"), required=False, max_length=250)
    criteria = forms.CharField(
        label=_("Critères d'obtention"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Vide : des critères tirés de l'UE ou du score."),
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        tests: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast_choice(self.fields["kind"]).choices = kinds
        cast_choice(self.fields["test"]).choices = [("", "—"), *tests]
