"""The CSV import form of the grade grid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .grades_import import MAX_UPLOAD_BYTES


class GradeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=format_lazy(
            _(
                "Une ligne d'en-tête ; une colonne numero_etudiant (ou login, ou courriel) et "
                "une colonne resultat (A, B, C, D, E, FX, F, ABS ; vide : inchangé ; - : "
                "effacé). L'export CSV de la grille peut être complété puis réimporté. "
                "{size} Mo au plus."
            ),
            size=MAX_UPLOAD_BYTES >> 20,
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Simulation : vérifier sans rien enregistrer"), required=False, initial=True
    )
    reason = forms.CharField(
        label=_("Motif (pour modifier un résultat déjà publié)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "import_%s")  # the grid shares the page: distinct ids
        super().__init__(*args, **kwargs)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse la taille maximale de %(size)s Mo."),
                params={"size": MAX_UPLOAD_BYTES >> 20},
            )
        return upload
