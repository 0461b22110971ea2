"""Sectioning runs: each run puts the students of a semester in groups; the scolarité
reviews a run (figures, students left out and why, what changed from the published one) and
publishes it. The published run's memberships are the students' groups; a later run starts
from them and moves as few students as possible."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData


class SectioningRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("En cours")
        READY = "ready", _("À examiner")
        PUBLISHED = "published", _("Publiée")
        SUPERSEDED = "superseded", _("Remplacée")
        FAILED = "failed", _("Échouée")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("année du catalogue"))
    semester = models.CharField(_("semestre"), max_length=1)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.RUNNING
    )
    time_limit = models.PositiveIntegerField(_("temps de calcul (s)"), default=60)
    seed = models.PositiveIntegerField(_("graine"), default=0)
    stop_requested = models.BooleanField(_("arrêt demandé"), default=False)
    job_uuid = models.UUIDField(null=True, blank=True)
    #: students, fully sectioned, balance, history…
    figures = models.JSONField(_("résultats"), default=dict, blank=True)
    #: [{"student", "ue", "reason", "fr", "en"}]
    left_out = models.JSONField(_("étudiant·es non réparti·es"), default=list, blank=True)
    created_by = models.ForeignKey(
        "referential.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        fields=("left_out", "created_by"),
        retention="Année universitaire, puis 1 an",
        purpose="Répartition des étudiant·es dans les groupes (explication des refus)",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("répartition dans les groupes")
        verbose_name_plural = _("répartitions dans les groupes")

    def __str__(self) -> str:
        return f"{self.year}{self.semester} {self.created_at:%Y-%m-%d %H:%M}"


class GroupMembership(models.Model):
    """A student in a group, as a sectioning run put them."""

    run = models.ForeignKey(SectioningRun, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(
        "referential.Person", on_delete=models.CASCADE, related_name="group_memberships"
    )
    group = models.ForeignKey(
        "timetable.Group", on_delete=models.CASCADE, related_name="memberships"
    )

    personal_data = PersonalData(
        fields=("student", "group"),
        retention="Année universitaire, puis 1 an",
        purpose="Groupes de TD/TP de chaque étudiant·e : emploi du temps, listes d'appel",
        subject_field="student",
    )

    class Meta:
        verbose_name = _("appartenance à un groupe")
        verbose_name_plural = _("appartenances à un groupe")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "student", "group"], name="unique_membership_in_run"
            )
        ]
        indexes = [models.Index(fields=["run", "student"]), models.Index(fields=["run", "group"])]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.student_id} → {self.group_id}"
