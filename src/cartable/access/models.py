"""Digital services and what grants them: rules and individual authorisations (§5.2.2).

Nothing else grants a service: "one account opens everything" is gone.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData


class DigitalService(models.Model):
    """A service of the catalogue (ENT, Moodle, messagerie, Wi-Fi, door access, …)."""

    class Category(models.TextChoices):
        PEDAGOGY = "pedagogy", _("Pédagogie")
        COMMUNICATION = "communication", _("Communication et collaboration")
        ADMINISTRATION = "administration", _("Gestion administrative")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure et réseau")
        RESEARCH = "research", _("Recherche")
        DOCUMENTATION = "documentation", _("Documentation")
        BUILDING = "building", _("Accès aux bâtiments")

    class Criticality(models.IntegerChoices):
        PUBLIC = 1, _("1 — Publique")
        INTERNAL = 2, _("2 — Interne")
        RESTRICTED = 3, _("3 — Restreinte")
        SECRET = 4, _("4 — Secrète")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)
    url = models.URLField(_("adresse"), blank=True)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    criticality = models.PositiveSmallIntegerField(
        _("criticité des données"), choices=Criticality.choices, default=Criticality.INTERNAL
    )
    active = models.BooleanField(_("actif"), default=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service numérique")
        verbose_name_plural = _("services numériques")

    def __str__(self) -> str:
        return self.name


class AccessRule(models.Model):
    """Grants a service to everyone of a population, a group or a structure, for a period."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        DigitalService, verbose_name=_("service"), on_delete=models.CASCADE, related_name="rules"
    )
    label = models.CharField(_("intitulé"), max_length=200)
    population = models.ForeignKey(
        "referential.Population",
        verbose_name=_("population"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    group = models.ForeignKey(
        "referential.Group",
        verbose_name=_("groupe"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    structure = models.ForeignKey(
        "referential.Structure",
        verbose_name=_("structure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    include_substructures = models.BooleanField(_("inclure les sous-structures"), default=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["service__name", "label"]
        verbose_name = _("règle d'attribution")
        verbose_name_plural = _("règles d'attribution")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(population__isnull=False, group__isnull=True, structure__isnull=True)
                    | Q(population__isnull=True, group__isnull=False, structure__isnull=True)
                    | Q(population__isnull=True, group__isnull=True, structure__isnull=False)
                ),
                name="access_rule_has_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="access_rule_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class IndividualAuthorisation(models.Model):
    """A service granted to one person, with a reason, an approver and an expiry."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        DigitalService,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="authorisations",
    )
    person = models.ForeignKey(
        "referential.Person",
        verbose_name=_("bénéficiaire"),
        on_delete=models.CASCADE,
        related_name="authorisations",
    )
    reason = models.TextField(_("motif"))
    approver = models.ForeignKey(
        "referential.Person",
        verbose_name=_("approuvé par"),
        on_delete=models.PROTECT,
        related_name="approved_authorisations",
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("expiration"))
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_reason = models.TextField(_("motif de révocation"), blank=True)

    personal_data = PersonalData(
        fields=("person", "reason", "approver"),
        retention="1 an après l'expiration ou la révocation",
        purpose="Attribution individuelle de services numériques",
        subject_field="person",
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("autorisation individuelle")
        verbose_name_plural = _("autorisations individuelles")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="authorisation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} → {self.person}"


class Delegation(models.Model):
    """Delegated administration: a person manages access for the people of a structure."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    delegate = models.ForeignKey(
        "referential.Person",
        verbose_name=_("délégataire"),
        on_delete=models.CASCADE,
        related_name="delegations",
    )
    structure = models.ForeignKey(
        "referential.Structure", verbose_name=_("structure"), on_delete=models.PROTECT
    )
    services = models.ManyToManyField(
        DigitalService,
        verbose_name=_("services"),
        blank=True,
        help_text=_("Vide : tous les services."),
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)

    personal_data = PersonalData(
        fields=("delegate",),
        retention="1 an après la fin de la délégation",
        purpose="Administration déléguée des droits",
        subject_field="delegate",
    )

    class Meta:
        verbose_name = _("délégation d'administration")
        verbose_name_plural = _("délégations d'administration")

    def __str__(self) -> str:
        return f"{self.delegate} → {self.structure}"
