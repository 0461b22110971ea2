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
