"""Forms of the framework editor and of the CASE import screen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .data import LevelInfo
from .rules import BlockFields, CompetencyFields, FrameworkFields, LevelFields, OutcomeFields

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_TEXT = {"rows": 3}


class FrameworkForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lettres, chiffres, tirets ; il apparaît dans les adresses."),
    )
    title = forms.CharField(label=_("Intitulé"), max_length=250)
    title_en = forms.CharField(label=_("Intitulé (anglais)"), max_length=250, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs=_TEXT)
    )
    diploma_code = forms.CharField(
        label=_("Code du diplôme"),
        max_length=40,
        required=False,
        help_text=_("Le diplôme dont c'est le référentiel, par exemple ING-INFO."),
    )
    version = forms.CharField(label=_("Version"), max_length=40, required=False)
    creator = forms.CharField(
        label=_("Auteur"),
        max_length=200,
        required=False,
        help_text=_("L'autorité qui publie le référentiel ; l'établissement par défaut."),
    )

    def to_fields(self) -> FrameworkFields:
        return FrameworkFields(**self.cleaned_data)


class LevelForm(forms.Form):
    rank = forms.IntegerField(
        label=_("Rang"), min_value=1, max_value=20, help_text=_("1 est le niveau le plus bas.")
    )
    code = forms.CharField(label=_("Code"), max_length=20)
    label = forms.CharField(label=_("Libellé"), max_length=120)
    label_en = forms.CharField(label=_("Libellé (anglais)"), max_length=120, required=False)
    descriptor = forms.CharField(
        label=_("Descripteur"), required=False, widget=forms.Textarea(attrs=_TEXT)
    )

    def to_fields(self) -> LevelFields:
        return LevelFields(**self.cleaned_data)


class BlockForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40, help_text=_("Par exemple RNCP35627BC01.")
    )
    title = forms.CharField(label=_("Intitulé"), max_length=300)
    title_en = forms.CharField(label=_("Intitulé (anglais)"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs=_TEXT)
    )
    position = forms.IntegerField(label=_("Ordre"), min_value=0, max_value=32767, initial=0)

    def to_fields(self) -> BlockFields:
        return BlockFields(**self.cleaned_data)


class CompetencyForm(BlockForm):
    code = forms.CharField(label=_("Code"), max_length=40)

    def to_fields(self) -> CompetencyFields:  # type: ignore[override]
        return CompetencyFields(**self.cleaned_data)


class OutcomeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    text = forms.CharField(label=_("Énoncé"), widget=forms.Textarea(attrs=_TEXT))
    text_en = forms.CharField(
        label=_("Énoncé (anglais)"), required=False, widget=forms.Textarea(attrs=_TEXT)
    )
    position = forms.IntegerField(label=_("Ordre"), min_value=0, max_value=32767, initial=0)
    level_rank = forms.TypedChoiceField(
        label=_("Niveau visé"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, levels: list[LevelInfo], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["level_rank"]
        field.choices = [("", _("Aucun"))] + [
            (str(lv.rank), f"{lv.rank} — {lv.label}") for lv in levels
        ]

    def to_fields(self) -> OutcomeFields:
        return OutcomeFields(**self.cleaned_data)


class CaseImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CASE (JSON)"),
        help_text=_("Un CFPackage CASE 1.1 en UTF-8, 5 Mo au plus."),
    )
    code = forms.SlugField(
        label=_("Code du référentiel"),
        max_length=60,
        required=False,
        help_text=_(
            "Facultatif : par défaut celui du paquet, ou du référentiel déjà importé, ou tiré "
            "de l'intitulé."
        ),
    )
    diploma_code = forms.CharField(label=_("Code du diplôme"), max_length=40, required=False)
    dry_run = forms.BooleanField(
        label=_("Simulation : vérifier sans rien enregistrer"), required=False, initial=True
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse 5 Mo. / The file is larger than 5 MB.")
            )
        return upload
