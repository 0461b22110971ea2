"""The audit journal: an append-only record of every write and every read of someone's data."""

from __future__ import annotations

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
        indexes = [models.Index(fields=["subject_uuid", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_ref}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit journal is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit journal is append-only.")
