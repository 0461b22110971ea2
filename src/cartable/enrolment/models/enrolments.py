"""Pedagogical enrolment: a student is enrolled in a UE offer (§5.2.3).

This is the record the Tableau de bord UE reads for its roster; the semester campaigns,
choice rules, compatibility checks and wait-lists build on it."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Inscrit·e")
        DROPPED = "dropped", _("Désinscrit·e")

    class Source(models.TextChoices):
        CAMPAIGN = "campaign", _("Campagne d'inscription")
        WAITLIST = "waitlist", _("Liste d'attente")
        ADVISOR = "advisor", _("Dérogation du conseiller ou de la conseillère")
        SCOLARITE = "scolarite", _("Saisie par la scolarité")
        IMPORT = "import", _("Import")
        DEMO = "demo", _("Campus de démonstration")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        "referential.Person",
        verbose_name=_("étudiant·e"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    offer = models.ForeignKey(
        "catalogue.Offer",
        verbose_name=_("offre d'UE"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    campaign = models.ForeignKey(
        "enrolment.Campaign",
        verbose_name=_("campagne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    semester = models.CharField(_("semestre"), max_length=1, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.ACCEPTED
    )
    override_reason = models.TextField(_("motif de la dérogation"), blank=True)
    grade = models.CharField(
        _("résultat"),
        max_length=3,
        blank=True,
        choices=[(g, g) for g in ("A", "B", "C", "D", "E", "FX", "F", "ABS")],
        help_text=_("A à E : UE validée ; FX et F : non validée ; ABS : absence."),
    )
    grade_published_at = models.DateTimeField(_("résultat publié le"), null=True, blank=True)
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        fields=("student", "offer", "status", "override_reason", "grade"),
        retention="Durée des études, puis 5 ans (dossier étudiant), puis archives",
        purpose="Inscription pédagogique aux UE, listes d'étudiants des équipes pédagogiques",
        subject_field="student",
    )

    class Meta:
        verbose_name = _("inscription pédagogique")
        verbose_name_plural = _("inscriptions pédagogiques")
        constraints = [
            models.UniqueConstraint(fields=["student", "offer"], name="unique_enrolment")
        ]
        indexes = [
            models.Index(fields=["offer", "status"]),
            models.Index(fields=["campaign", "student"]),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.offer}"
