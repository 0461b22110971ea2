"""Certification of competencies: the Open Badges the university issues.

An :class:`IssuerKey` signs; an :class:`Achievement` says what a badge certifies (a
competency block, a UE, a certification) and how it aligns with the frameworks; an
:class:`IssuedBadge` is one signed OpenBadgeCredential, kept exactly as issued, with its place
in a revocation :class:`StatusList`."""

from __future__ import annotations

import uuid
from typing import Any

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
    #: the score the certification must reach (kind ``certification``)
    min_score = models.PositiveIntegerField(_("score minimum"), null=True, blank=True)
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


def _evidence_storage() -> Any:
    from django.core.files.storage import storages

    return storages["evidence"]


class ExperienceClaim(models.Model):
    """Learning outside courses a student asks to have recognised (§2.2.2): an internship, a
    project, an association, a job, a MOOC or a certification, with evidence files and the
    competencies it claims. A referent accepts it (possibly adjusting the levels and credits)
    or refuses it, with a comment."""

    class Kind(models.TextChoices):
        INTERNSHIP = "internship", _("Stage")
        PROJECT = "project", _("Projet")
        ASSOCIATION = "association", _("Engagement associatif")
        JOB = "job", _("Emploi")
        MOOC = "mooc", _("MOOC")
        CERTIFICATION = "certification", _("Certification (PIX, TOEIC…)")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Soumise")
        ACCEPTED = "accepted", _("Acceptée")
        REFUSED = "refused", _("Refusée")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        "referential.Person", on_delete=models.PROTECT, related_name="experience_claims"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    organisation = models.CharField(_("organisme"), max_length=200, blank=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    description = models.TextField(_("ce que j'ai fait et appris"))
    #: a certification: its test (``toeic``, ``pix``, …) and score
    test = models.CharField(_("test"), max_length=40, blank=True)
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    credits_requested = models.DecimalField(
        _("crédits demandés"), max_digits=4, decimal_places=1, default=0
    )
    credits_granted = models.DecimalField(
        _("crédits accordés"), max_digits=4, decimal_places=1, default=0
    )
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    referent = models.ForeignKey(
        "referential.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experience_claims_decided",
    )
    decision_comment = models.TextField(_("commentaire du référent"), blank=True)
    submitted_at = models.DateTimeField(_("soumise le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    personal_data = PersonalData(
        fields=(
            "student",
            "title",
            "organisation",
            "description",
            "score",
            "decision_comment",
            "referent",
        ),
        retention="Durée des études, puis 5 ans ; les fichiers joints sont effacés 1 an après "
        "la décision",
        purpose="Reconnaissance des acquis hors formation (compétences et crédits)",
        subject_field="student",
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("expérience à faire reconnaître")
        verbose_name_plural = _("expériences à faire reconnaître")

    def __str__(self) -> str:
        return self.title


class ClaimedCompetency(models.Model):
    """A competency an experience claims, at a level; the referent grants a level (possibly
    lower), or none."""

    claim = models.ForeignKey(
        ExperienceClaim, on_delete=models.CASCADE, related_name="competencies"
    )
    competency_uuid = models.UUIDField(_("compétence"))
    framework_uuid = models.UUIDField(_("référentiel"))
    claimed_rank = models.PositiveSmallIntegerField(_("niveau revendiqué"))
    granted_rank = models.PositiveSmallIntegerField(_("niveau reconnu"), null=True, blank=True)

    personal_data = PersonalData(
        fields=("claimed_rank", "granted_rank"),
        retention="Celle de la demande",
        purpose="Reconnaissance des acquis hors formation (compétences et crédits)",
        subject_field="claim__student",
    )

    class Meta:
        verbose_name = _("compétence revendiquée")
        verbose_name_plural = _("compétences revendiquées")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "competency_uuid"], name="one_claim_per_competency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.competency_uuid}"


class ClaimFile(models.Model):
    """An evidence file of an experience, checked (type by its content, size) and stored
    privately; served only to the student and the referents, each download journaled."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.ForeignKey(ExperienceClaim, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="claims/", storage=_evidence_storage)
    name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("taille"))
    sha256 = models.CharField(max_length=64)

    personal_data = PersonalData(
        fields=("file", "name"),
        retention="1 an après la décision sur la demande",
        purpose="Reconnaissance des acquis hors formation : pièces justificatives",
        subject_field="claim__student",
    )

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")

    def __str__(self) -> str:
        return self.name


class Certification(models.Model):
    """A certification score on a student's record (PIX imported from its CSV, TOEIC and
    others from accepted claims), with its per-competence detail for PIX."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        "referential.Person", on_delete=models.PROTECT, related_name="certifications"
    )
    test = models.CharField(_("test"), max_length=40)
    score = models.PositiveIntegerField(_("score"))
    obtained_on = models.DateField(_("obtenu le"))
    #: PIX: level per CRCN competence code ("1.1" → 3)
    detail = models.JSONField(_("détail"), default=dict, blank=True)
    source = models.CharField(_("origine"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        fields=("student", "score", "detail"),
        retention="Durée des études, puis 50 ans (preuve du diplôme)",
        purpose="Certifications exigées par le diplôme (anglais, compétences numériques)",
        subject_field="student",
    )

    class Meta:
        ordering = ["student", "test", "-obtained_on"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "test", "obtained_on"], name="one_certification_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.test} {self.score}"


class CreditRule(models.Model):
    """How many credits an accepted experience of a kind may bring, and in which category:
    the rule the referent's decision is held to (no row: no credits for that kind)."""

    kind = models.CharField(
        _("type d'expérience"), max_length=20, choices=ExperienceClaim.Kind.choices, unique=True
    )
    max_credits = models.DecimalField(_("crédits au plus"), max_digits=4, decimal_places=1)
    category = models.CharField(_("catégorie"), max_length=10)
    note = models.CharField(_("remarque"), max_length=250, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("règle de crédits")
        verbose_name_plural = _("règles de crédits")

    def __str__(self) -> str:
        return f"{self.kind} ≤ {self.max_credits}"
