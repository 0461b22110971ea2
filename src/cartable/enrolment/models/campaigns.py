"""Semester enrolment campaigns (§5.2.3): dates and phases, programme rules as data, seats,
wait-lists and advising.

Concurrency (docs/decisions/0008): every write of a student's choice first locks that
student's :class:`StudentChoice` row, then the :class:`Seats` row of each UE it touches, in
that order; the seat count is a column of the locked row, so no UE can exceed its capacity
whatever the interleaving, and a check constraint says so again in the database."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData


class Campaign(models.Model):
    """A semester's pedagogical enrolment campaign for one population of students.

    Phases follow the dates: choice from ``opens_at`` to ``advising_from``, advising until
    ``closes_at``, then closed. During advising, students may still drop UEs and take freed
    places; new choices go through their advisor."""

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("À venir")
        CHOICE = "choice", _("Choix des UE")
        ADVISING = "advising", _("Conseil pédagogique")
        CLOSED = "closed", _("Clôturée")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("année du catalogue"))
    semester = models.CharField(_("semestre"), max_length=1)
    population = models.CharField(
        _("population"),
        max_length=40,
        help_text=_("Code de la population du référentiel (étudiants, apprentis…)."),
    )
    opens_at = models.DateTimeField(_("ouverture"))
    advising_from = models.DateTimeField(_("début du conseil pédagogique"))
    closes_at = models.DateTimeField(_("clôture"))
    claim_hours = models.PositiveSmallIntegerField(
        _("délai pour accepter une place libérée (heures)"),
        default=0,
        help_text=_(
            "0 : la place libérée est attribuée aussitôt au premier de la liste d'attente. "
            "Sinon elle lui est réservée pendant ce délai."
        ),
    )

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["-year", "semester", "code"]
        verbose_name = _("campagne d'inscription")
        verbose_name_plural = _("campagnes d'inscription")
        constraints = [
            models.CheckConstraint(
                condition=Q(advising_from__gte=F("opens_at"))
                & Q(closes_at__gte=F("advising_from")),
                name="campaign_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.code

    def phase(self, now: datetime) -> str:
        if now < self.opens_at:
            return self.Phase.UPCOMING
        if now < self.advising_from:
            return self.Phase.CHOICE
        if now < self.closes_at:
            return self.Phase.ADVISING
        return self.Phase.CLOSED


class ProgrammeRule(models.Model):
    """What a semester must look like for the students of a programme, in a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rules")
    programme = models.CharField(_("formation"), max_length=40)
    min_credits = models.DecimalField(_("crédits minimum"), max_digits=4, decimal_places=1)
    max_credits = models.DecimalField(_("crédits maximum"), max_digits=4, decimal_places=1)
    max_ues = models.PositiveSmallIntegerField(_("nombre maximum d'UE"), null=True, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["campaign", "programme"]
        verbose_name = _("règle de formation")
        verbose_name_plural = _("règles de formation")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "programme"], name="unique_rule"),
            models.CheckConstraint(
                condition=Q(max_credits__gte=F("min_credits")), name="rule_credit_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.programme}"


class MandatoryUE(models.Model):
    """A UE every student of the programme must take this semester."""

    rule = models.ForeignKey(ProgrammeRule, on_delete=models.CASCADE, related_name="mandatory")
    ue_code = models.CharField(_("code de l'UE"), max_length=20)

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("UE obligatoire")
        verbose_name_plural = _("UE obligatoires")
        constraints = [
            models.UniqueConstraint(fields=["rule", "ue_code"], name="unique_mandatory_ue")
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.ue_code}"


class CategoryRule(models.Model):
    """Credits of the semester in some categories, together (``CS`` or ``CS,TM``)."""

    rule = models.ForeignKey(ProgrammeRule, on_delete=models.CASCADE, related_name="categories")
    categories = models.CharField(_("catégories"), max_length=60)
    min_credits = models.DecimalField(
        _("crédits minimum"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    max_credits = models.DecimalField(
        _("crédits maximum"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("règle de catégorie")
        verbose_name_plural = _("règles de catégorie")

    def __str__(self) -> str:
        return f"{self.rule} {self.categories}"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.strip().upper() for c in self.categories.split(",") if c.strip())


class Seats(models.Model):
    """The places of a UE offer in a campaign: the row every enrolment locks."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="seats")
    offer = models.ForeignKey("catalogue.Offer", on_delete=models.CASCADE, related_name="+")
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    taken = models.PositiveIntegerField(_("places prises"), default=0)

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("places d'une UE")
        verbose_name_plural = _("places des UE")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "offer"], name="unique_seats"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(taken__lte=F("capacity")),
                name="seats_never_over_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.offer_id}: {self.taken}/{self.capacity}"

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)


class StudentChoice(models.Model):
    """A student's semester in a campaign: the row that serialises their own changes, and
    their advisor's validation."""

    class Status(models.TextChoices):
        OPEN = "open", _("En cours")
        VALIDATED = "validated", _("Validé")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="choices")
    student = models.ForeignKey(
        "referential.Person", on_delete=models.PROTECT, related_name="semester_choices"
    )
    programme = models.CharField(_("formation"), max_length=40, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.OPEN)
    validated_by = models.ForeignKey(
        "referential.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="validated_choices",
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        fields=("student", "programme", "status", "validated_by"),
        retention="Durée des études, puis 5 ans (dossier étudiant)",
        purpose="Inscription pédagogique : choix du semestre et validation par le conseiller",
        subject_field="student",
    )

    class Meta:
        verbose_name = _("choix de semestre")
        verbose_name_plural = _("choix de semestre")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "student"], name="unique_choice")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.student_id}"


class WaitlistEntry(models.Model):
    """A student waiting for a place in a full UE; the order of arrival is the order of
    the wait-list."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("En attente")
        OFFERED = "offered", _("Place proposée")
        ENROLLED = "enrolled", _("Inscrit·e")
        WITHDRAWN = "withdrawn", _("Retiré·e")
        EXPIRED = "expired", _("Délai dépassé")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="waitlist")
    offer = models.ForeignKey("catalogue.Offer", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        "referential.Person", on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    offered_until = models.DateTimeField(_("place réservée jusqu'au"), null=True, blank=True)
    note = models.CharField(_("remarque"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        fields=("student", "offer", "status"),
        retention="Fin de la campagne, puis 1 an",
        purpose="Listes d'attente des UE complètes",
        subject_field="student",
    )

    class Meta:
        ordering = ["campaign", "offer", "id"]
        verbose_name = _("place en liste d'attente")
        verbose_name_plural = _("listes d'attente")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "offer", "student"],
                condition=Q(status__in=["waiting", "offered"]),
                name="one_live_waitlist_entry",
            )
        ]
        indexes = [models.Index(fields=["campaign", "offer", "status"])]

    def __str__(self) -> str:
        return f"{self.campaign} {self.offer_id} #{self.pk}"


class AdvisingNote(models.Model):
    """What an advisor wrote about a student's semester: a comment, a validation, or an
    override of a refusal with its reason."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Commentaire")
        VALIDATION = "validation", _("Validation")
        OVERRIDE = "override", _("Dérogation")
        REOPEN = "reopen", _("Réouverture")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="notes")
    student = models.ForeignKey(
        "referential.Person", on_delete=models.PROTECT, related_name="advising_notes"
    )
    author = models.ForeignKey(
        "referential.Person", on_delete=models.PROTECT, related_name="advising_notes_written"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("texte"))
    ue_code = models.CharField(_("UE concernée"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        fields=("student", "author", "text"),
        retention="Durée des études, puis 5 ans (dossier étudiant)",
        purpose="Conseil pédagogique : avis et dérogations sur le choix des UE",
        subject_field="student",
    )

    class Meta:
        ordering = ["campaign", "student", "created_at"]
        verbose_name = _("avis du conseiller")
        verbose_name_plural = _("avis des conseillers")

    def __str__(self) -> str:
        return f"{self.campaign} {self.kind}"


class AdvisorDelegation(models.Model):
    """A teacher to whom a programme's head (or the scolarité) delegates the advising of the
    programme's students in one campaign: they then see, comment, validate and override as
    the head does, for that programme only."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="delegations")
    programme = models.CharField(_("formation"), max_length=40)
    advisor = models.ForeignKey(
        "referential.Person", on_delete=models.PROTECT, related_name="advising_delegations"
    )
    granted_by = models.ForeignKey(
        "referential.Person",
        on_delete=models.PROTECT,
        null=True,
        related_name="advising_delegations_granted",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        fields=("advisor", "granted_by"),
        retention="Durée de la campagne, puis 5 ans (traçabilité des avis)",
        purpose="Conseil pédagogique : qui conseille les étudiant·es d'une formation",
        subject_field="advisor",
    )

    class Meta:
        ordering = ["campaign", "programme", "created_at"]
        verbose_name = _("délégation de conseil")
        verbose_name_plural = _("délégations de conseil")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "programme", "advisor"], name="unique_advisor_delegation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.programme}"
