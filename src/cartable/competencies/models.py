"""Competency frameworks (démarche compétence, §2.2.1): blocks, competencies, a proficiency
scale and learning outcomes, per diploma. Identifiers are CASE-compatible UUIDs so that a
framework round-trips through 1EdTech CASE JSON."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData


class Framework(models.Model):
    """A competency framework (CASE CFDocument), usually one per diploma and version."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("intitulé"), max_length=250)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    diploma_code = models.CharField(_("diplôme"), max_length=40, blank=True, db_index=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    creator = models.CharField(_("auteur"), max_length=200, blank=True)
    uri = models.URLField(_("URI"), blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["code"]
        verbose_name = _("référentiel de compétences")
        verbose_name_plural = _("référentiels de compétences")

    def __str__(self) -> str:
        return self.title


class Level(models.Model):
    """One level of a framework's proficiency scale (rank 1 is the lowest)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(_("rang"))
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("libellé"), max_length=120)
    label_en = models.CharField(_("libellé (anglais)"), max_length=120, blank=True)
    descriptor = models.TextField(_("descripteur"), blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["framework", "rank"]
        verbose_name = _("niveau")
        verbose_name_plural = _("niveaux")
        constraints = [
            models.UniqueConstraint(fields=["framework", "rank"], name="unique_level_rank"),
            models.UniqueConstraint(fields=["framework", "code"], name="unique_level_code"),
        ]

    def __str__(self) -> str:
        return f"{self.rank} — {self.label}"


class Block(models.Model):
    """A certifiable block of competencies (RNCP "bloc de compétences")."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="blocks")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=300)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["framework", "position", "code"]
        verbose_name = _("bloc de compétences")
        verbose_name_plural = _("blocs de compétences")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_block_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class Competency(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=300)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["block", "position", "code"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        constraints = [
            models.UniqueConstraint(fields=["block", "code"], name="unique_competency_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class LearningOutcome(models.Model):
    """What a student can do at a level of a competency (acquis d'apprentissage)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="learning_outcomes"
    )
    level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.SET_NULL, related_name="learning_outcomes"
    )
    code = models.CharField(_("code"), max_length=40)
    text = models.TextField(_("énoncé"))
    text_en = models.TextField(_("énoncé (anglais)"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["competency", "position", "code"]
        verbose_name = _("acquis d'apprentissage")
        verbose_name_plural = _("acquis d'apprentissage")
        constraints = [
            models.UniqueConstraint(fields=["competency", "code"], name="unique_outcome_code")
        ]

    def __str__(self) -> str:
        return self.code
