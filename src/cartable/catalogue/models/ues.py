from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData


class UE(models.Model):
    """A teaching unit with a stable code (``LO41``); its content lives in yearly offers."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["code"]
        verbose_name = _("UE")
        verbose_name_plural = _("UE")

    def __str__(self) -> str:
        return self.code


class UEAlias(models.Model):
    """A past code of a UE, so that old prerequisites and transcripts still resolve."""

    ue = models.ForeignKey(UE, on_delete=models.CASCADE, related_name="aliases")
    code = models.CharField(_("ancien code"), max_length=20, unique=True)
    until_year = models.PositiveSmallIntegerField(
        _("utilisé jusqu'à l'année"), null=True, blank=True
    )

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["code"]
        verbose_name = _("ancien code d'UE")
        verbose_name_plural = _("anciens codes d'UE")

    def __str__(self) -> str:
        return f"{self.code} → {self.ue.code}"


class Software(models.Model):
    """A piece of software that teaching needs (the teaching-software referential, §2.1.3)."""

    class Licence(models.TextChoices):
        FREE = "free", _("Libre ou gratuit")
        CAMPUS = "campus", _("Licence établissement")
        EDUCATION = "education", _("Licence éducation nominative")
        PAID = "paid", _("Licence payante par poste")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    publisher = models.CharField(_("éditeur"), max_length=120, blank=True)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("adresse"), blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["name"]
        verbose_name = _("logiciel")
        verbose_name_plural = _("logiciels")

    def __str__(self) -> str:
        return self.name
