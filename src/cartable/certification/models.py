"""Certification of competencies: the Open Badges the university issues.

An :class:`IssuerKey` signs; an :class:`Achievement` says what a badge certifies (a
competency block, a UE, a certification) and how it aligns with the frameworks; an
:class:`IssuedBadge` is one signed OpenBadgeCredential, kept exactly as issued, with its place
in a revocation :class:`StatusList`."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData


class IssuerKey(models.Model):
    """An Ed25519 key of the university as badge issuer. The private key is stored encrypted
    (PKCS#8 with a passphrase from the settings). Rotation retires a key: it signs no more but
    stays published in the issuer profile, so that the credentials it signed still verify."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    public_key_multibase = models.CharField(
        _("clé publique (Multikey)"), max_length=80, unique=True
    )
    private_key_pem = models.TextField(_("clé privée chiffrée"))
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("clé de l'émetteur")
        verbose_name_plural = _("clés de l'émetteur")
        constraints = [
            models.UniqueConstraint(
                fields=["retired_at"],
                condition=Q(retired_at__isnull=True),
                name="one_signing_issuer_key",
            )
        ]

    def __str__(self) -> str:
        return self.public_key_multibase


class Achievement(models.Model):
    """What a badge certifies, as an Open Badges Achievement."""

    class Kind(models.TextChoices):
        BLOCK = "block", _("Bloc de compétences")
        UE = "ue", _("UE")
        CERTIFICATION = "certification", _("Certification")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("intitulé"), max_length=250)
    name_en = models.CharField(_("intitulé (anglais)"), max_length=250, blank=True)
    description = models.TextField(_("description"))
    criteria = models.TextField(_("critères d'obtention"))
    #: the competency block certified (kind ``block``), and the level each of its
    #: competencies must reach
    block_uuid = models.UUIDField(_("bloc de compétences"), null=True, blank=True)
    required_rank = models.PositiveSmallIntegerField(_("niveau requis"), null=True, blank=True)
    #: the UE certified (kind ``ue``)
    ue_code = models.CharField(_("UE"), max_length=20, blank=True)
    #: the certification (kind ``certification``), e.g. ``toeic``, ``pix``
    certification = models.CharField(_("certification"), max_length=40, blank=True)
    #: Open Badges alignments: [{"targetName", "targetUrl", "targetCode", "targetFramework",
    #: "targetType", "targetDescription"}]
    alignments = models.JSONField(_("alignements"), default=list, blank=True)
    active = models.BooleanField(_("délivré automatiquement"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("réalisation certifiée")
        verbose_name_plural = _("réalisations certifiées")

    def __str__(self) -> str:
        return self.name


class StatusList(models.Model):
    """A Bitstring Status List (revocation) shared by many credentials: each holds one bit,
    drawn at random so that the list says nothing of who was revoked. The signed list
    credential is kept and signed again at each revocation."""

    number = models.PositiveIntegerField(_("numéro"), unique=True)
    size = models.PositiveIntegerField(_("taille (bits)"), default=131072)
    purpose = models.CharField(_("usage"), max_length=20, default="revocation")
    credential = models.JSONField(_("liste signée"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["number"]
        verbose_name = _("liste de statuts")
        verbose_name_plural = _("listes de statuts")

    def __str__(self) -> str:
        return str(self.number)


class IssuedBadge(models.Model):
    """One OpenBadgeCredential issued to a student, stored exactly as signed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="badges")
    recipient = models.ForeignKey(
        "referential.Person", on_delete=models.PROTECT, related_name="badges"
    )
    credential = models.JSONField(_("attestation signée"))
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="badges")
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="badges")
    status_index = models.PositiveIntegerField(_("position dans la liste"))
    issued_at = models.DateTimeField(_("délivré le"))
    #: what the badge rests on, for the student and the staff (never in the credential)
    source = models.CharField(_("origine"), max_length=250, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revocation_reason = models.TextField(_("motif de révocation"), blank=True)

    personal_data = PersonalData(
        fields=("recipient", "credential", "source", "revocation_reason"),
        retention="Sans limite : une attestation vérifiable reste vérifiable (révocable)",
        purpose="Open Badges : attester des compétences, blocs et certifications acquis",
        subject_field="recipient",
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("badge délivré")
        verbose_name_plural = _("badges délivrés")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="unique_badge_status_index"
            ),
            models.UniqueConstraint(
                fields=["achievement", "recipient"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_badge_per_achievement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.achievement} — {self.recipient_id}"


class AggregationRule(models.Model):
    """How the levels a student reaches on a competency of a framework, in several UEs and
    experiences, make their level: a rule of the framework, written down, not a constant."""

    class Method(models.TextChoices):
        HIGHEST = "highest", _("Le plus haut niveau atteint")
        LATEST = "latest", _("Le niveau le plus récent")
        MAJORITY = "majority", _("Le niveau le plus souvent atteint")
        CONCORDANT = "concordant", _("Le plus haut niveau atteint dans N évaluations au moins")

    framework_uuid = models.UUIDField(_("référentiel"), unique=True)
    method = models.CharField(_("règle"), max_length=20, choices=Method.choices)
    min_concordant = models.PositiveSmallIntegerField(
        _("évaluations concordantes requises"), default=2
    )
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("règle d'agrégation")
        verbose_name_plural = _("règles d'agrégation")

    def __str__(self) -> str:
        return f"{self.framework_uuid}: {self.method}"


class Assessment(models.Model):
    """The level a student reached on a competency in a UE offer, entered by its teachers:
    a draft until published, then seen by the student and counted in their level."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer_uuid = models.UUIDField(_("offre d'UE"), db_index=True)
    ue_code = models.CharField(_("UE"), max_length=20)
    student = models.ForeignKey(
        "referential.Person", on_delete=models.PROTECT, related_name="assessments"
    )
    competency_uuid = models.UUIDField(_("compétence"))
    framework_uuid = models.UUIDField(_("référentiel"))
    level_rank = models.PositiveSmallIntegerField(_("niveau atteint"))
    evidence = models.CharField(_("preuve"), max_length=500, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    assessor = models.ForeignKey(
        "referential.Person",
        on_delete=models.PROTECT,
        null=True,
        related_name="assessments_made",
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    assessed_at = models.DateTimeField(_("évaluée le"))
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    personal_data = PersonalData(
        fields=("student", "level_rank", "evidence", "comment", "assessor"),
        retention="Durée des études, puis 50 ans (preuve du diplôme, comme les résultats)",
        purpose="Évaluation par compétences et certification des blocs",
        subject_field="student",
    )

    class Meta:
        ordering = ["student", "competency_uuid", "assessed_at"]
        verbose_name = _("évaluation de compétence")
        verbose_name_plural = _("évaluations de compétences")
        constraints = [
            models.UniqueConstraint(
                fields=["offer_uuid", "student", "competency_uuid"],
                name="one_assessment_per_offer_student_competency",
            )
        ]
        indexes = [models.Index(fields=["student", "status"])]

    def __str__(self) -> str:
        return f"{self.ue_code} {self.competency_uuid}: {self.level_rank}"
