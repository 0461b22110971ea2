"""Forms of the campaign screens: the student's search of open UEs and their requests, the
advisor's list filters, notes and overrides."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cartable.core.errors import DomainError

from .models import AdvisingNote, StudentChoice


class DomainErrorForm(forms.Form):
    def add_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class OpenUEFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher (code ou intitulé)"), required=False, max_length=100)
    categorie = forms.ChoiceField(label=_("Catégorie"), required=False)
    libres = forms.BooleanField(label=_("Seulement les UE avec des places libres"), required=False)

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categorie"].choices = [("", _("Toutes")), *((c, c) for c in categories)]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"text": "", "category": "", "free_only": False}
        data = self.cleaned_data
        return {"text": data["q"], "category": data["categorie"], "free_only": data["libres"]}

    def hidden_fields_values(self) -> list[tuple[str, str]]:
        """The search as hidden fields, so that a request keeps it."""
        if not self.is_valid():
            return []
        data = self.cleaned_data
        kept = [("q", data["q"]), ("categorie", data["categorie"])]
        if data["libres"]:
            kept.append(("libres", "on"))
        return [(name, value) for name, value in kept if value]


class UEForm(DomainErrorForm):
    ue = forms.CharField(label=_("Code de l'UE"), max_length=20)


class AdvisingFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher (nom ou numéro)"), required=False, max_length=100)
    formation = forms.ChoiceField(label=_("Formation"), required=False)
    etat = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous")), *StudentChoice.Status.choices],
    )
    problemes = forms.BooleanField(label=_("Seulement les semestres à corriger"), required=False)

    def __init__(self, *args: Any, programmes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["formation"].choices = [("", _("Toutes")), *((p, p) for p in programmes)]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"],
            "programme": data["formation"],
            "status": data["etat"],
            "problems": data["problemes"],
        }


class AdviseForm(DomainErrorForm):
    kind = forms.ChoiceField(
        label=_("Avis"),
        choices=[
            (AdvisingNote.Kind.COMMENT, _("Commentaire")),
            (AdvisingNote.Kind.VALIDATION, _("Validation")),
            (AdvisingNote.Kind.REOPEN, _("Réouverture")),
        ],
        widget=forms.HiddenInput,
    )
    text = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OverrideForm(DomainErrorForm):
    ue = forms.CharField(label=_("Code de l'UE"), max_length=20)
    reason = forms.CharField(
        label=_("Motif de la dérogation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire : il est conservé avec l'inscription et visible de l'étudiant·e."),
    )


class DelegationForm(DomainErrorForm):
    """Delegate the advising of a programme's students to a teacher."""

    programme = forms.ChoiceField(label=_("Formation"))
    advisor = forms.CharField(
        label=_("Identifiant de l'enseignant·e"),
        max_length=150,
        help_text=_("Son identifiant de connexion (login), par exemple « jdupont »."),
    )

    def __init__(self, *args: Any, programmes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["programme"]).choices = [(p, p) for p in programmes]
