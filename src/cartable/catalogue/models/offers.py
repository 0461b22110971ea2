from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData
from cartable.core.text import fold

from .programmes import Category, Programme
from .ues import UE, Software


class OfferQuerySet(models.QuerySet["Offer"]):
    def published(self) -> OfferQuerySet:
        return self.filter(status=Offer.Status.PUBLISHED)

    def of_year(self, year: int) -> OfferQuerySet:
        return self.filter(year=year)


class Offer(models.Model):
    """A UE offered in one catalogue year: syllabus, credits, hours, team, needs.

    Versions: a published offer is read-only; changing it means a new version (a draft copy),
    reviewed then published, which archives the previous one. At most one version of a UE is
    published per year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        IN_REVIEW = "in_review", _("En relecture")
        PUBLISHED = "published", _("Publiée")
        ARCHIVED = "archived", _("Archivée")

    class Semester(models.TextChoices):
        AUTUMN = "A", _("Automne")
        SPRING = "P", _("Printemps")
        BOTH = "AP", _("Automne et printemps")

    class Language(models.TextChoices):
        FRENCH = "fr", _("Français")
        ENGLISH = "en", _("Anglais")
        BILINGUAL = "fr-en", _("Français et anglais")
        GERMAN = "de", _("Allemand")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ue = models.ForeignKey(UE, on_delete=models.PROTECT, related_name="offers")
    year = models.PositiveSmallIntegerField(_("année du catalogue"), db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("remplace"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    title = models.CharField(_("intitulé"), max_length=250)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=250, blank=True)
    objectives = models.TextField(_("objectifs"), blank=True)
    objectives_en = models.TextField(_("objectifs (anglais)"), blank=True)
    content = models.TextField(_("contenu"), blank=True)
    content_en = models.TextField(_("contenu (anglais)"), blank=True)
    assessment = models.TextField(_("modalités d'évaluation"), blank=True)
    assessment_en = models.TextField(_("modalités d'évaluation (anglais)"), blank=True)
    bibliography = models.TextField(_("bibliographie"), blank=True)
    credits = models.DecimalField(
        _("crédits ECTS"), max_digits=4, decimal_places=1, default=Decimal("6")
    )
    language = models.CharField(
        _("langue d'enseignement"), max_length=5, choices=Language.choices, default="fr"
    )
    semesters = models.CharField(_("semestres"), max_length=2, choices=Semester.choices)
    campus = models.ForeignKey(
        "referential.Campus",
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    hours_cm = models.DecimalField(_("heures de CM"), max_digits=5, decimal_places=1, default=0)
    hours_td = models.DecimalField(_("heures de TD"), max_digits=5, decimal_places=1, default=0)
    hours_tp = models.DecimalField(_("heures de TP"), max_digits=5, decimal_places=1, default=0)
    hours_personal = models.DecimalField(
        _("heures de travail personnel"), max_digits=5, decimal_places=1, default=0
    )
    capacity = models.PositiveIntegerField(_("capacité d'accueil"), null=True, blank=True)
    groups_cm = models.PositiveSmallIntegerField(_("groupes de CM"), default=1)
    groups_td = models.PositiveSmallIntegerField(_("groupes de TD"), default=0)
    groups_tp = models.PositiveSmallIntegerField(_("groupes de TP"), default=0)
    room_needs = models.TextField(_("besoins en salles"), blank=True)
    responsible = models.ForeignKey(
        "referential.Person",
        verbose_name=_("responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_offers",
    )
    search_text = models.TextField(editable=False, blank=True)
    title_folded = models.CharField(max_length=600, editable=False, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    personal_data = PersonalData(
        fields=("responsible",),
        retention="Durée de l'offre, puis archives du catalogue (10 ans)",
        purpose="Publication de l'offre de formation et de ses responsables",
        subject_field="responsible",
    )

    class Meta:
        ordering = ["ue__code", "-year", "-version"]
        verbose_name = _("offre d'UE")
        verbose_name_plural = _("offres d'UE")
        constraints = [
            models.UniqueConstraint(fields=["ue", "year", "version"], name="unique_offer_version"),
            models.UniqueConstraint(
                fields=["ue", "year"],
                condition=Q(status="published"),
                name="one_published_offer_per_ue_and_year",
            ),
            models.CheckConstraint(
                condition=Q(credits__gte=0) & Q(credits__lte=60), name="offer_credits_in_range"
            ),
        ]
        indexes = [models.Index(fields=["status", "year"], name="offer_status_year")]

    def __str__(self) -> str:
        return f"{self.ue.code} {self.year}-{self.year + 1} v{self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.update_search_fields()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def code(self) -> str:
        return self.ue.code

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.IN_REVIEW)

    @property
    def total_hours(self) -> Decimal:
        return self.hours_cm + self.hours_td + self.hours_tp

    def update_search_fields(self) -> None:
        """Fill the folded copies the public guide searches and ranks by."""
        self.search_text = self.compute_search_text()
        self.title_folded = self.compute_title_folded()

    def compute_title_folded(self) -> str:
        """Both titles, accent- and case-folded: a search whose words are all in the title
        ranks before one that matches only the syllabus."""
        return fold(f"{self.title} {self.title_en}")[:600]

    def compute_search_text(self, aliases: tuple[str, ...] = ()) -> str:
        """Accent- and case-folded text searched by the public guide."""
        parts = [self.ue.code, *aliases, self.title, self.title_en, self.objectives, self.content]
        return fold(" ".join(p for p in parts if p))


class OfferProgramme(models.Model):
    """An offer counts for a programme, in a category that may differ between programmes."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="programme_links")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="offer_links")
    category = models.ForeignKey(Category, on_delete=models.PROTECT)

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("UE dans une formation")
        verbose_name_plural = _("UE dans les formations")
        constraints = [
            models.UniqueConstraint(fields=["offer", "programme"], name="unique_offer_programme")
        ]

    def __str__(self) -> str:
        return f"{self.offer} ∈ {self.programme.code} ({self.category.code})"


class TeachingAssignment(models.Model):
    """A member of an offer's teaching team and what they teach."""

    class Activity(models.TextChoices):
        CM = "cm", _("Cours magistral")
        TD = "td", _("Travaux dirigés")
        TP = "tp", _("Travaux pratiques")
        ALL = "all", _("Toutes les activités")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(
        "referential.Person", on_delete=models.CASCADE, related_name="teaching_assignments"
    )
    activity = models.CharField(
        _("activité"), max_length=5, choices=Activity.choices, default="all"
    )
    hours = models.DecimalField(_("heures prévues"), max_digits=5, decimal_places=1, default=0)

    personal_data = PersonalData(
        fields=("person", "hours"),
        retention="Durée de l'offre, puis 5 ans (service d'enseignement)",
        purpose="Équipe pédagogique et préparation du service d'enseignement",
        subject_field="person",
    )

    class Meta:
        verbose_name = _("membre de l'équipe pédagogique")
        verbose_name_plural = _("équipe pédagogique")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "person", "activity"], name="unique_teaching_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.offer}"


class ConstituentElement(models.Model):
    """An élément constitutif of an offer (asked by the CTI)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=250)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=250, blank=True)
    hours = models.DecimalField(_("heures"), max_digits=5, decimal_places=1, default=0)
    weight = models.DecimalField(_("coefficient"), max_digits=4, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["offer", "position", "code"]
        verbose_name = _("élément constitutif")
        verbose_name_plural = _("éléments constitutifs")
        constraints = [
            models.UniqueConstraint(fields=["offer", "code"], name="unique_element_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class Prerequisite(models.Model):
    """A prerequisite of an offer: a UE (by its stable code), or a level of a competency."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="prerequisites")
    required_ue = models.ForeignKey(
        UE, null=True, blank=True, on_delete=models.PROTECT, related_name="required_by"
    )
    competency = models.ForeignKey(
        "competencies.Competency", null=True, blank=True, on_delete=models.PROTECT
    )
    min_level = models.ForeignKey(
        "competencies.Level", null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.CharField(_("précision"), max_length=250, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("prérequis")
        verbose_name_plural = _("prérequis")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(required_ue__isnull=False, competency__isnull=True, min_level__isnull=True)
                    | Q(required_ue__isnull=True, competency__isnull=False, min_level__isnull=False)
                ),
                name="prerequisite_is_a_ue_or_a_competency_level",
            )
        ]

    def __str__(self) -> str:
        return str(self.required_ue or self.competency)


class SoftwareNeed(models.Model):
    """Software an offer requires, and how students get it (the cartable numérique, §2.1.3)."""

    class Mode(models.TextChoices):
        BYOD = "byod", _("Sur l'ordinateur de l'étudiant")
        VIRTUALISED = "virtualised", _("Virtualisé")
        LAB = "lab", _("En salle équipée")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="software_needs")
    software = models.ForeignKey(Software, on_delete=models.PROTECT, related_name="needs")
    mode = models.CharField(_("mode d'accès"), max_length=12, choices=Mode.choices)
    note = models.CharField(_("précision"), max_length=250, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("besoin logiciel")
        verbose_name_plural = _("besoins logiciels")
        constraints = [
            models.UniqueConstraint(fields=["offer", "software"], name="unique_software_need")
        ]

    def __str__(self) -> str:
        return f"{self.software} ({self.get_mode_display()})"


class CompetencyContribution(models.Model):
    """An offer develops a competency up to a level, with a weight."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="contributions")
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="contributions"
    )
    level = models.ForeignKey("competencies.Level", on_delete=models.PROTECT)
    weight = models.DecimalField(_("poids"), max_digits=4, decimal_places=2, default=1)

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("contribution à une compétence")
        verbose_name_plural = _("contributions aux compétences")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "competency"], name="unique_competency_contribution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer} → {self.competency.code} ({self.level.rank})"
