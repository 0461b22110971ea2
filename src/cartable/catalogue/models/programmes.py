from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData


class Diploma(models.Model):
    """A diploma: the DEUTEC of the tronc commun, an engineering speciality, a master…"""

    class Kind(models.TextChoices):
        DEUTEC = "deutec", _("DEUTEC (tronc commun)")
        ENGINEER = "engineer", _("Diplôme d'ingénieur")
        APPRENTICESHIP = "apprenticeship", _("Ingénieur par apprentissage")
        MASTER = "master", _("Master")
        OTHER = "other", _("Autre")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=250)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=250, blank=True)
    rncp_code = models.CharField(_("fiche RNCP"), max_length=20, blank=True)
    structure = models.ForeignKey(
        "referential.Structure",
        verbose_name=_("structure porteuse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("diplôme")
        verbose_name_plural = _("diplômes")

    def __str__(self) -> str:
        return self.title


class Programme(models.Model):
    """A diploma's programme for one catalogue year: a student keeps the rules of the year they
    entered."""

    class Cycle(models.TextChoices):
        TRONC_COMMUN = "tronc_commun", _("Tronc commun")
        BRANCHE = "branche", _("Cycle ingénieur (branche)")
        APPRENTICESHIP = "apprenticeship", _("Apprentissage")
        MASTER = "master", _("Master")

    diploma = models.ForeignKey(Diploma, on_delete=models.PROTECT, related_name="programmes")
    year = models.PositiveSmallIntegerField(_("année du catalogue"))
    code = models.SlugField(_("code"), max_length=40)
    cycle = models.CharField(_("cycle"), max_length=20, choices=Cycle.choices)
    title = models.CharField(_("intitulé"), max_length=250)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=250, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    description_en = models.TextField(_("présentation (anglais)"), blank=True)
    campus = models.ForeignKey(
        "referential.Campus",
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    head = models.ForeignKey(
        "referential.Person",
        verbose_name=_("responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_programmes",
    )
    framework = models.ForeignKey(
        "competencies.Framework",
        verbose_name=_("référentiel de compétences"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
    )

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="unique_programme_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year}-{self.year + 1})"


class Track(models.Model):
    """A filière within a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tracks")
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=250)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=250, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["programme", "code"]
        verbose_name = _("filière")
        verbose_name_plural = _("filières")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unique_track_code")
        ]

    def __str__(self) -> str:
        return self.title


class Category(models.Model):
    """A UE category (CS, TM, EC, OM, QC, ST, …), configurable."""

    code = models.SlugField(_("code"), max_length=10, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    label_en = models.CharField(_("libellé (anglais)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("catégorie d'UE")
        verbose_name_plural = _("catégories d'UE")

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"
