"""The audit journal: an append-only record of every write and every read of someone's data."""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .personal_data import PersonalData


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a journal entry."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit journal is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit journal is append-only.")


class AuditEntry(models.Model):
    """One line of the journal: who did or saw what, about whom, when and from where.

    The table is append-only: the model refuses updates and deletions, and database
    triggers (SQLite and PostgreSQL) refuse them too (docs/decisions/0003).
    """

    class Kind(models.TextChoices):
        READ = "read", _("Consultation")
        WRITE = "write", _("Modification")
        AUTH = "auth", _("Authentification")
        EXPORT = "export", _("Export")

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    actor_user_id = models.IntegerField(_("compte auteur"), null=True, blank=True)
    actor_label = models.CharField(_("auteur"), max_length=200, blank=True, db_index=True)
    actor_person_uuid = models.UUIDField(_("personne auteur"), null=True, blank=True)
    object_type = models.CharField(_("type d'objet"), max_length=80, blank=True)
    object_ref = models.CharField(_("objet"), max_length=200, blank=True)
    subject_uuid = models.UUIDField(_("personne concernée"), null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.TextField(_("navigateur"), blank=True)
    detail = models.JSONField(_("détail"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    personal_data = PersonalData(
        fields=("actor_label", "actor_person_uuid", "subject_uuid", "ip_address", "user_agent"),
        retention="1 an glissant après l'événement (traçabilité, recommandation CNIL)",
        purpose="Traçabilité des accès aux données personnelles et des modifications",
        subject_field="subject_uuid",
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal d'audit")
        indexes = [
            models.Index(fields=["subject_uuid", "at"]),
            models.Index(fields=["object_type", "object_ref"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_ref}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit journal is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit journal is append-only.")


class Job(models.Model):
    """A long task run in the background (Celery worker pool, or in-process by default).

    Its progress is written as it runs so that a screen can show it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        SUCCEEDED = "succeeded", _("Terminée")
        FAILED = "failed", _("Échouée")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("nature"), max_length=80)
    label = models.CharField(_("intitulé"), max_length=200)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.FloatField(_("avancement"), default=0.0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    payload = models.JSONField(_("paramètres"), default=dict, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_by_user_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    started_at = models.DateTimeField(_("démarrée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finie le"), null=True, blank=True)

    personal_data = PersonalData(
        fields=("created_by_user_id",),
        retention="90 jours après la fin de la tâche",
        purpose="Suivi des traitements longs lancés par le personnel",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tâche de fond")
        verbose_name_plural = _("tâches de fond")

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class Notification(models.Model):
    """A message for one person (a place freed on a wait-list, a published result…), in
    French and English, shown on their home page until they read it."""

    person_uuid = models.UUIDField(_("destinataire"), db_index=True)
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    body = models.TextField(_("message"), blank=True)
    body_en = models.TextField(_("message (anglais)"), blank=True)
    url = models.CharField(_("lien"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    personal_data = PersonalData(
        fields=("person_uuid", "title", "body"),
        retention="1 an après lecture",
        purpose="Informer une personne d'un événement qui la concerne",
        subject_field="person_uuid",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title
