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
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.ACCEPTED
    )
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        fields=("student", "offer", "status"),
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
        indexes = [models.Index(fields=["offer", "status"])]

    def __str__(self) -> str:
        return f"{self.student} → {self.offer}"
