"""The single referential: persons, structures, campuses, populations, contracts, groups.

Every account and every right derives from a valid contract or registration
(§5.2.2 of the plan: "les créations des comptes, et l'attribution des ressources et droits
découlent de la gestion administrative").
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData


class Campus(models.Model):
    """A place where the university teaches (Belfort, Sevenans, Montbéliard)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["name"]
        verbose_name = _("campus")
        verbose_name_plural = _("campus")

    def __str__(self) -> str:
        return self.name


class Structure(models.Model):
    """A node of the organisation tree (establishment, pole, department, service, laboratory).

    ``path`` is the materialised list of codes from the root (``/UTBM/PEI/INFO/``) so that a
    subtree is one indexed prefix query.
    """

    class Kind(models.TextChoices):
        ESTABLISHMENT = "establishment", _("Établissement")
        POLE = "pole", _("Pôle")
        DEPARTMENT = "department", _("Département")
        SERVICE = "service", _("Service")
        LABORATORY = "laboratory", _("Laboratoire")
        PROGRAMME = "programme", _("Formation")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    name_en = models.CharField(_("nom (anglais)"), max_length=200, blank=True)
    acronym = models.CharField(_("sigle"), max_length=30, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("structure parente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("chemin"), max_length=500, db_index=True, editable=False)
    campus = models.ForeignKey(
        Campus, verbose_name=_("campus"), null=True, blank=True, on_delete=models.PROTECT
    )
    active = models.BooleanField(_("active"), default=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["path"]
        verbose_name = _("structure")
        verbose_name_plural = _("structures")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path = self.compute_path()
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else "/"
        return f"{prefix}{self.code}/"


class Population(models.Model):
    """A population / affiliation (student, teacher-researcher, staff, hosted person, …)."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Inscription")
        CONTRACT = "contract", _("Contrat")
        HOSTING = "hosting", _("Hébergement")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    label_en = models.CharField(_("libellé (anglais)"), max_length=120, blank=True)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    eduperson_affiliations = models.CharField(
        _("affiliations eduPerson"),
        max_length=200,
        blank=True,
        help_text=_("Valeurs eduPersonAffiliation, séparées par des virgules."),
    )
    grace_days = models.PositiveIntegerField(
        _("délai de grâce (jours)"),
        null=True,
        blank=True,
        help_text=_("Jours pendant lesquels les droits survivent à la fin du contrat."),
    )

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["label"]
        verbose_name = _("population")
        verbose_name_plural = _("populations")

    def __str__(self) -> str:
        return self.label

    @property
    def effective_grace_days(self) -> int:
        if self.grace_days is None:
            return int(settings.CARTABLE_DEFAULT_GRACE_DAYS)
        return self.grace_days


class Person(models.Model):
    """Someone the university knows: student, staff member, hosted person or external."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    civil_last_name = models.CharField(_("nom de famille"), max_length=150)
    civil_first_name = models.CharField(_("prénom"), max_length=150)
    usage_last_name = models.CharField(_("nom d'usage"), max_length=150, blank=True)
    usage_first_name = models.CharField(_("prénom d'usage"), max_length=150, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    institutional_email = models.EmailField(_("courriel institutionnel"), blank=True)
    personal_email = models.EmailField(_("courriel personnel"), blank=True)
    login = models.CharField(_("identifiant"), max_length=64, unique=True, null=True, blank=True)
    eppn = models.CharField(
        "eduPersonPrincipalName", max_length=200, unique=True, null=True, blank=True
    )
    ine = models.CharField(_("INE"), max_length=11, unique=True, null=True, blank=True)
    student_number = models.CharField(
        _("numéro étudiant"), max_length=30, unique=True, null=True, blank=True
    )
    staff_number = models.CharField(
        _("numéro de personnel"), max_length=30, unique=True, null=True, blank=True
    )
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    photo_consent = models.BooleanField(_("consentement à l'affichage de la photo"), default=False)
    red_list = models.BooleanField(
        _("liste rouge"),
        default=False,
        help_text=_("supannListeRouge : ne pas publier dans l'annuaire."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        fields=(
            "civil_last_name",
            "civil_first_name",
            "usage_last_name",
            "usage_first_name",
            "birth_date",
            "institutional_email",
            "personal_email",
            "login",
            "eppn",
            "ine",
            "student_number",
            "staff_number",
            "photo",
            "photo_consent",
            "red_list",
        ),
        retention=(
            "Durée de la relation avec l'établissement, puis 5 ans après la fin du dernier "
            "contrat ou de la dernière inscription (identité étudiante conservée pour la "
            "délivrance des diplômes)."
        ),
        purpose="Référentiel des personnes : comptes, droits, scolarité, ressources humaines",
        subject_field="uuid",
        sensitive=("birth_date", "photo", "ine"),
    )

    class Meta:
        ordering = ["civil_last_name", "civil_first_name"]
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        indexes = [models.Index(fields=["civil_last_name", "civil_first_name"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_first_name(self) -> str:
        return self.usage_first_name or self.civil_first_name

    @property
    def display_last_name(self) -> str:
        return self.usage_last_name or self.civil_last_name

    @property
    def display_name(self) -> str:
        return f"{self.display_first_name} {self.display_last_name.upper()}"


class ContractQuerySet(models.QuerySet["Contract"]):
    def possibly_in_force(self, day: date, max_grace_days: int = 0) -> ContractQuerySet:
        """Contracts that may be in force on ``day``: started, and not ended more than
        ``max_grace_days`` before it. The exact grace of each population is applied by
        :func:`cartable.referential.rules.contract_in_force`."""
        horizon = day - timedelta(days=max_grace_days)
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=horizon)
        )


class Contract(models.Model):
    """A contract (staff), registration (student) or hosting agreement, with its dates."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        _("référence"),
        max_length=80,
        unique=True,
        help_text=_("Identifiant dans le système source (Pégase, Mangue, …)."),
    )
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="contracts"
    )
    population = models.ForeignKey(
        Population, verbose_name=_("population"), on_delete=models.PROTECT
    )
    structure = models.ForeignKey(
        Structure, verbose_name=_("structure d'affectation"), on_delete=models.PROTECT
    )
    campus = models.ForeignKey(
        Campus, verbose_name=_("campus"), null=True, blank=True, on_delete=models.PROTECT
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    programme = models.CharField(_("formation"), max_length=40, blank=True)
    study_level = models.CharField(_("niveau"), max_length=20, blank=True)
    job_title = models.CharField(_("fonction / corps"), max_length=120, blank=True)

    objects = ContractQuerySet.as_manager()

    personal_data = PersonalData(
        fields=("person", "population", "structure", "start_date", "end_date", "programme"),
        retention="5 ans après la fin du contrat ou de l'inscription",
        purpose="Ouverture et fermeture des comptes et des droits",
        subject_field="person",
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("contrat ou inscription")
        verbose_name_plural = _("contrats et inscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.population})"


class Function(models.Model):
    """A function held in a structure (supannRoleEntite): head of programme, DPO, …"""

    class Code(models.TextChoices):
        HEAD = "head", _("Direction de la structure")
        PROGRAMME_HEAD = "programme_head", _("Responsable de formation")
        UE_COORDINATOR = "ue_coordinator", _("Responsable d'UE")
        SCOLARITE = "scolarite", _("Agent de scolarité")
        DSIN_ADMIN = "dsin_admin", _("Administrateur DSIN")
        DPO = "dpo", _("Délégué·e à la protection des données")
        SECURITY_OFFICER = "security_officer", _("RSSI")
        DIRECTION = "direction", _("Membre de l'équipe de direction")
        ADVISOR = "advisor", _("Conseiller·e pédagogique")

    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="functions"
    )
    code = models.CharField(_("fonction"), max_length=30, choices=Code.choices)
    structure = models.ForeignKey(Structure, verbose_name=_("structure"), on_delete=models.PROTECT)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)

    personal_data = PersonalData(
        fields=("person", "code", "structure"),
        retention="5 ans après la fin de la fonction",
        purpose="Attribution des rôles applicatifs",
        subject_field="person",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("fonction")
        verbose_name_plural = _("fonctions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "code", "structure", "start_date"], name="unique_function"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} — {self.structure}"


class Group(models.Model):
    """A group of persons: static members, or members computed from a rule."""

    class Kind(models.TextChoices):
        STATIC = "static", _("Membres nommés")
        RULE = "rule", _("Membres calculés par règle")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.STATIC)
    owner = models.ForeignKey(
        Structure,
        verbose_name=_("structure gestionnaire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_groups",
    )
    rule_population = models.ForeignKey(
        Population,
        verbose_name=_("règle : population"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    rule_structure = models.ForeignKey(
        Structure,
        verbose_name=_("règle : structure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_groups",
    )
    rule_include_substructures = models.BooleanField(
        _("règle : inclure les sous-structures"), default=True
    )
    rule_campus = models.ForeignKey(
        Campus, verbose_name=_("règle : campus"), null=True, blank=True, on_delete=models.PROTECT
    )
    rule_programme = models.CharField(_("règle : formation"), max_length=40, blank=True)
    rule_study_level = models.CharField(_("règle : niveau"), max_length=20, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["name"]
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """Named membership of a static group, with its validity."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)

    personal_data = PersonalData(
        fields=("person", "group"),
        retention="Durée de l'appartenance, puis 1 an",
        purpose="Attribution de droits par groupe",
        subject_field="person",
    )

    class Meta:
        verbose_name = _("appartenance à un groupe")
        verbose_name_plural = _("appartenances à des groupes")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person", "start_date"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ∈ {self.group}"
