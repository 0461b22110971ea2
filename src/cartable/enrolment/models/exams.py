"""Exam sessions (midterms and finals): the exams of a semester's UEs, their periods and
rooms, planned by the timetable engine (ITC 2007 model) from who is enrolled in what, then
reviewed and published as each student's exam timetable and each room's sheet."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData


class ExamSession(models.Model):
    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("Médians")
        FINAL = "final", _("Finaux")

    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        PLANNING = "planning", _("Calcul en cours")
        PLANNED = "planned", _("À examiner")
        PUBLISHED = "published", _("Publiée")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("année du catalogue"))
    semester = models.CharField(_("semestre"), max_length=1)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=120)
    first_day = models.DateField(_("premier jour"))
    last_day = models.DateField(_("dernier jour"))
    #: "08:00,10:30,14:00,16:30": the start of each period of a day
    starts = models.CharField(
        _("débuts des épreuves"), max_length=120, default="08:00,10:30,14:00,16:30"
    )
    period_minutes = models.PositiveSmallIntegerField(_("durée d'un créneau (min)"), default=120)
    saturdays = models.BooleanField(_("samedis compris"), default=False)
    #: soft constraints: two exams in a row / in a day, spread gap, front load
    two_in_a_row = models.PositiveIntegerField(_("poids : deux à la suite"), default=10)
    two_in_a_day = models.PositiveIntegerField(_("poids : deux le même jour"), default=5)
    spread_gap = models.PositiveSmallIntegerField(_("écart souhaité (créneaux)"), default=4)
    front_load_exams = models.PositiveSmallIntegerField(
        _("grands examens à placer tôt"), default=10
    )
    front_load_weight = models.PositiveIntegerField(_("poids : grand examen tardif"), default=5)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    time_limit = models.PositiveIntegerField(_("temps de calcul (s)"), default=60)
    stop_requested = models.BooleanField(default=False)
    job_uuid = models.UUIDField(null=True, blank=True)
    figures = models.JSONField(_("résultats"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    #: what the candidates were last told: session exam uuid → {"starts_at": ISO 8601,
    #: "duration": minutes, "seating": {room code: seats}}; empty until the first publication.
    #: A re-plan moves as few of these as it can, and is compared with them before publishing.
    published_plan = models.JSONField(_("plan publié"), default=dict, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["-year", "semester", "first_day"]
        verbose_name = _("session d'examens")
        verbose_name_plural = _("sessions d'examens")

    def __str__(self) -> str:
        return self.title


class SessionExam(models.Model):
    """The exam of a UE offer in a session."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="exams")
    offer = models.ForeignKey("catalogue.Offer", on_delete=models.PROTECT, related_name="+")
    duration = models.PositiveSmallIntegerField(_("durée (min)"), default=120)
    alone_in_room = models.BooleanField(_("seul dans sa salle"), default=False)
    #: planned: when, and where (room code → seats)
    starts_at = models.DateTimeField(_("début"), null=True, blank=True)
    seating = models.JSONField(_("salles"), default=dict, blank=True)
    candidates = models.PositiveIntegerField(_("candidat·es"), default=0)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["session", "starts_at", "offer__ue__code"]
        verbose_name = _("épreuve")
        verbose_name_plural = _("épreuves")
        constraints = [
            models.UniqueConstraint(fields=["session", "offer"], name="one_exam_per_offer")
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.offer_id}"


class ExamRule(models.Model):
    """A hard rule between two exams of a session: ``first`` after ``second``, both at the
    same time, or never at the same time."""

    class Kind(models.TextChoices):
        AFTER = "AFTER", _("après")
        COINCIDENCE = "EXAM_COINCIDENCE", _("en même temps que")
        EXCLUSION = "EXCLUSION", _("jamais en même temps que")

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="rules")
    first = models.ForeignKey(SessionExam, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("règle"), max_length=20, choices=Kind.choices)
    second = models.ForeignKey(SessionExam, on_delete=models.CASCADE, related_name="+")

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("règle entre épreuves")
        verbose_name_plural = _("règles entre épreuves")

    def __str__(self) -> str:
        return f"{self.first_id} {self.kind} {self.second_id}"
