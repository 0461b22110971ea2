"""The Dossier étudiant (§5.2.3): semester juries and their decisions, credit equivalences,
internships, international experiences, the programme's credit requirements, and the private
iCalendar feed of a student's timetable.

Results (UEs and grades) live in enrolment, the registration in the referential and the
timetable in the timetable module; this app reads them through their ``api`` and keeps only
what the dossier adds."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData

DOSSIER_RETENTION = "Durée des études, puis 5 ans (dossier étudiant), puis archives"


class Semester(models.TextChoices):
    AUTUMN = "A", _("Automne")
    SPRING = "P", _("Printemps")


class DecisionKind(models.Model):
    """A decision a semester jury may take (configurable data, seeded by a migration)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    label_en = models.CharField(_("libellé (anglais)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("proposée aux jurys"), default=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("décision de jury")
        verbose_name_plural = _("décisions de jury")

    def __str__(self) -> str:
        return self.label


class Jury(models.Model):
    """The semester jury of a programme: it sees each student's semester and records a
    decision; students see the decisions once the jury is published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        PUBLISHED = "published", _("Publié")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("année du catalogue"))
    semester = models.CharField(_("semestre"), max_length=1, choices=Semester.choices)
    programme = models.CharField(_("formation"), max_length=40)
    date = models.DateField(_("date du jury"))
    title = models.CharField(_("intitulé"), max_length=200)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["-year", "-semester", "programme"]
        verbose_name = _("jury de semestre")
        verbose_name_plural = _("jurys de semestre")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "semester", "programme"], name="one_jury_per_semester"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class JuryDecision(models.Model):
    """What a jury decided for one student."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="decisions")
    student = models.ForeignKey(
        "referential.Person",
        verbose_name=_("étudiant·e"),
        on_delete=models.PROTECT,
        related_name="jury_decisions",
    )
    kind = models.ForeignKey(
        DecisionKind, verbose_name=_("décision"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("commentaire"), blank=True)
    decided_by = models.ForeignKey(
        "referential.Person",
        verbose_name=_("saisie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jury_decisions_recorded",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        fields=("student", "kind", "comment", "decided_by"),
        retention=DOSSIER_RETENTION,
        purpose="Jurys de suivi semestriel : décision sur le semestre de chaque étudiant·e",
        subject_field="student",
    )

    class Meta:
        verbose_name = _("décision du jury")
        verbose_name_plural = _("décisions du jury")
        constraints = [
            models.UniqueConstraint(fields=["jury", "student"], name="one_decision_per_student")
        ]

    def __str__(self) -> str:
        return f"{self.jury} {self.student_id}"


class Equivalence(models.Model):
    """Credits of a category granted for studies done elsewhere (before, or abroad)."""

    class Origin(models.TextChoices):
        PRIOR = "prior", _("Études antérieures")
        ABROAD = "abroad", _("Études à l'étranger")
        OTHER = "other", _("Autre")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de décision")
        ACCEPTED = "accepted", _("Accordée")
        REFUSED = "refused", _("Refusée")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        "referential.Person",
        verbose_name=_("étudiant·e"),
        on_delete=models.PROTECT,
        related_name="equivalences",
    )
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices)
    institution = models.CharField(_("établissement"), max_length=200)
    country = models.CharField(_("pays"), max_length=80, blank=True)
    category = models.CharField(_("catégorie"), max_length=10)
    credits = models.DecimalField(_("crédits"), max_digits=4, decimal_places=1)
    status = models.CharField(
        _("décision"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        "referential.Person",
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="equivalences_decided",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    note = models.TextField(_("remarque"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        fields=("student", "institution", "country", "credits", "status", "decided_by", "note"),
        retention=DOSSIER_RETENTION,
        purpose="Équivalences de crédits (études antérieures ou à l'étranger)",
        subject_field="student",
    )

    class Meta:
        ordering = ["student", "created_at", "id"]
        verbose_name = _("équivalence")
        verbose_name_plural = _("équivalences")

    def __str__(self) -> str:
        return f"{self.institution} {self.category} {self.credits}"


class Internship(models.Model):
    """An internship of the cursus, and where it stands."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("Stage ouvrier")
        ASSISTANT = "assistant", _("Stage assistant ingénieur")
        FINAL = "final", _("Stage de fin d'études")
        RESEARCH = "research", _("Stage de recherche")
        OTHER = "other", _("Autre stage")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévu")
        ONGOING = "ongoing", _("En cours")
        VALIDATED = "validated", _("Validé")
        FAILED = "failed", _("Non validé")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        "referential.Person",
        verbose_name=_("étudiant·e"),
        on_delete=models.PROTECT,
        related_name="internships",
    )
    kind = models.CharField(_("type de stage"), max_length=10, choices=Kind.choices)
    company = models.CharField(_("entreprise ou organisme"), max_length=200)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    country = models.CharField(_("pays"), max_length=80, blank=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    weeks = models.PositiveSmallIntegerField(_("semaines"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        fields=("student", "company", "city", "country", "start_date", "end_date", "status"),
        retention=DOSSIER_RETENTION,
        purpose="Situation des stages du cursus",
        subject_field="student",
    )

    class Meta:
        ordering = ["student", "start_date", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.company}"


class InternationalExperience(models.Model):
    """Time spent abroad during the cursus, and the credits it brought."""

    class Kind(models.TextChoices):
        SEMESTER = "semester", _("Semestre d'études à l'étranger")
        DOUBLE_DEGREE = "double_degree", _("Double diplôme")
        SUMMER_SCHOOL = "summer_school", _("École d'été")
        INTERNSHIP = "internship", _("Stage à l'étranger")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        "referential.Person",
        verbose_name=_("étudiant·e"),
        on_delete=models.PROTECT,
        related_name="international_experiences",
    )
    kind = models.CharField(_("type d'expérience"), max_length=15, choices=Kind.choices)
    partner = models.CharField(_("établissement ou organisme partenaire"), max_length=200)
    country = models.CharField(_("pays"), max_length=80)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    credits_recognised = models.DecimalField(
        _("crédits reconnus"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        fields=("student", "partner", "country", "start_date", "end_date"),
        retention=DOSSIER_RETENTION,
        purpose="Expériences internationales du cursus",
        subject_field="student",
    )

    class Meta:
        ordering = ["student", "start_date", "id"]
        verbose_name = _("expérience internationale")
        verbose_name_plural = _("expériences internationales")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.partner}"


class CategoryRequirement(models.Model):
    """Credits a programme requires in some categories, together (``CS`` or ``CS,TM``), or in
    all of them (no category: the total), for the students of a catalogue year."""

    programme = models.CharField(_("formation"), max_length=40)
    catalogue_year = models.PositiveSmallIntegerField(_("année du catalogue"))
    categories = models.CharField(
        _("catégories"),
        max_length=60,
        blank=True,
        help_text=_("Codes séparés par des virgules ; vide : tous les crédits (total)."),
    )
    min_credits = models.DecimalField(_("crédits minimum"), max_digits=5, decimal_places=1)
    label = models.CharField(_("libellé"), max_length=120)
    label_en = models.CharField(_("libellé (anglais)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    assumption = models.BooleanField(
        _("hypothèse"),
        default=False,
        help_text=_("La valeur est une hypothèse (démonstration), pas une règle votée."),
    )

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["programme", "catalogue_year", "order", "id"]
        verbose_name = _("exigence de crédits")
        verbose_name_plural = _("exigences de crédits")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "catalogue_year", "categories"],
                name="one_requirement_per_categories",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.catalogue_year} {self.label}"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.strip().upper() for c in self.categories.split(",") if c.strip())


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The private address of a person's iCalendar feed. Whoever holds the address reads the
    timetable, so it can be revoked (and a new one made) at any time."""

    person = models.ForeignKey(
        "referential.Person", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        fields=("person", "token"),
        retention="Jusqu'à sa révocation, puis 1 an",
        purpose="Adresse privée de l'agenda (emploi du temps au format iCalendar)",
        subject_field="person",
    )

    class Meta:
        verbose_name = _("flux d'agenda")
        verbose_name_plural = _("flux d'agenda")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_feed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {'révoqué' if self.revoked_at else 'actif'}"


class DiplomaRequirement(models.Model):
    """A graduation requirement of a programme for the students of a catalogue year, other
    than credits (which :class:`CategoryRequirement` holds): mandatory UEs, internships, a
    certification score, a competency block at a level. ``params`` by kind: see
    :class:`cartable.records.profile_rules.RequirementSpec`."""

    class Kind(models.TextChoices):
        MANDATORY_UES = "mandatory_ues", _("UE obligatoires")
        INTERNSHIPS = "internships", _("Stages")
        CERTIFICATION = "certification", _("Certification")
        BLOCK = "block", _("Bloc de compétences")

    programme = models.CharField(_("formation"), max_length=40)
    catalogue_year = models.PositiveSmallIntegerField(_("année du catalogue"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    params = models.JSONField(_("paramètres"), default=dict)
    label = models.CharField(_("libellé"), max_length=160)
    label_en = models.CharField(_("libellé (anglais)"), max_length=160, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    assumption = models.BooleanField(
        _("hypothèse"),
        default=False,
        help_text=_("La valeur est une hypothèse (démonstration), pas une règle votée."),
    )

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["programme", "catalogue_year", "order", "id"]
        verbose_name = _("exigence du diplôme")
        verbose_name_plural = _("exigences du diplôme")

    def __str__(self) -> str:
        return f"{self.programme} {self.catalogue_year}: {self.label}"


class ProfileSnapshot(models.Model):
    """The last computed diploma profile of a student (recomputed in the background after a
    jury or a rule change), for lists and indicators; one student's page computes it live."""

    student = models.OneToOneField(
        "referential.Person", on_delete=models.CASCADE, related_name="diploma_profile"
    )
    programme = models.CharField(_("formation"), max_length=40)
    catalogue_year = models.PositiveSmallIntegerField(_("année du catalogue"), null=True)
    complete = models.BooleanField(_("complet"))
    met = models.PositiveSmallIntegerField(_("exigences remplies"))
    total = models.PositiveSmallIntegerField(_("exigences"))
    results = models.JSONField(_("détail"), default=list)
    computed_at = models.DateTimeField(_("calculé le"))

    personal_data = PersonalData(
        fields=("student", "results"),
        retention="Durée des études (recalculé ; supprimé avec le dossier)",
        purpose="Profil de diplôme : avancement vers le diplôme",
        subject_field="student",
    )

    class Meta:
        verbose_name = _("profil de diplôme")
        verbose_name_plural = _("profils de diplôme")

    def __str__(self) -> str:
        return f"{self.student_id}: {self.met}/{self.total}"
