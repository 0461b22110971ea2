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
    #: the competency block certified (kind ``block``)
    block_uuid = models.UUIDField(_("bloc de compétences"), null=True, blank=True)
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
