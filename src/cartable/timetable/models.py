"""The weekly template ("semaine type", §5.2.3): for each UE offer of a semester, its
activities (CM, TD, TP…), their groups and each group's time slots, on dated weeks.

Weeks are those of a :class:`TeachingCalendar`: week 1 starts on its first Monday; a slot's
``weeks`` is a string of ``0``/``1``, one character per calendar week (holiday weeks included,
always ``0``), as in the ITC 2019 format. Conflicts are judged on these dated occurrences, so
two labs on alternating weeks do not clash (see :mod:`cartable.timetable.rules`)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cartable.core.personal_data import PersonalData

WEEKS = RegexValidator(r"^[01]+$", _("Une suite de 0 et de 1, une par semaine."))


class Semester(models.TextChoices):
    AUTUMN = "A", _("Automne")
    SPRING = "P", _("Printemps")


class TeachingCalendar(models.Model):
    """The dated weeks of a semester of a catalogue year, with its teaching weeks."""

    year = models.PositiveSmallIntegerField(_("année du catalogue"))
    semester = models.CharField(_("semestre"), max_length=1, choices=Semester.choices)
    first_monday = models.DateField(_("lundi de la première semaine"))
    teaching_weeks = models.CharField(
        _("semaines d'enseignement"),
        max_length=60,
        validators=[WEEKS],
        help_text=_("1 pour une semaine de cours, 0 pour une semaine sans cours (vacances)."),
    )

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("calendrier de semestre")
        verbose_name_plural = _("calendriers de semestre")
        constraints = [models.UniqueConstraint(fields=["year", "semester"], name="unique_calendar")]

    def __str__(self) -> str:
        return f"{self.year}-{self.year + 1} {self.semester}"

    @property
    def week_count(self) -> int:
        return len(self.teaching_weeks)

    def monday_of(self, week: int) -> date:
        """The Monday of a week (1-based)."""
        return self.first_monday + timedelta(weeks=week - 1)

    def clean(self) -> None:
        if self.first_monday and self.first_monday.weekday() != 0:
            raise ValidationError({"first_monday": _("Ce jour n'est pas un lundi.")})


class Room(models.Model):
    """A teaching room, with its capacity and features (``info``, ``tp-elec``…)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    campus = models.ForeignKey(
        "referential.Campus", verbose_name=_("campus"), on_delete=models.PROTECT
    )
    capacity = models.PositiveIntegerField(_("capacité"))
    features = models.CharField(
        _("équipements"), max_length=250, blank=True, help_text=_("Séparés par des virgules.")
    )

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["code"]
        verbose_name = _("salle")
        verbose_name_plural = _("salles")

    def __str__(self) -> str:
        return self.code


class Activity(models.Model):
    """A kind of teaching of an offer in a semester (CM, TD, TP…); every student of the UE
    attends one group of each of its activities."""

    class Kind(models.TextChoices):
        CM = "CM", _("Cours magistral")
        TD = "TD", _("Travaux dirigés")
        TP = "TP", _("Travaux pratiques")
        PROJECT = "PRJ", _("Projet")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(
        "catalogue.Offer", verbose_name=_("offre d'UE"), on_delete=models.CASCADE
    )
    semester = models.CharField(_("semestre"), max_length=1, choices=Semester.choices)
    kind = models.CharField(_("type"), max_length=3, choices=Kind.choices)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["offer", "semester", "kind"]
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "semester", "kind"], name="unique_activity_of_offer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer} {self.kind}"


class Group(models.Model):
    """A group of an activity (``TD1``), its capacity, room and teacher. A group may be
    attached to a group of another activity of the same UE (a TP group to its TD group): a
    student then takes both."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=20)
    capacity = models.PositiveIntegerField(_("capacité"))
    room = models.ForeignKey(
        Room, verbose_name=_("salle"), null=True, blank=True, on_delete=models.SET_NULL
    )
    teacher = models.ForeignKey(
        "referential.Person",
        verbose_name=_("enseignant·e"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="timetable_groups",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("rattaché au groupe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )

    personal_data = PersonalData(
        fields=("teacher",),
        retention="Année universitaire, puis 5 ans (service d'enseignement)",
        purpose="Emploi du temps : qui enseigne dans quel groupe",
    )

    class Meta:
        ordering = ["activity", "code"]
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")
        constraints = [
            models.UniqueConstraint(fields=["activity", "code"], name="unique_group_code"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="group_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.code}"


class Slot(models.Model):
    """A weekly time slot of a group, on some weeks of the semester."""

    class Day(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="slots")
    day = models.PositiveSmallIntegerField(_("jour"), choices=Day.choices)
    start = models.TimeField(_("début"))
    end = models.TimeField(_("fin"))
    weeks = models.CharField(_("semaines"), max_length=60, validators=[WEEKS])
    room = models.ForeignKey(
        Room,
        verbose_name=_("salle (si autre que celle du groupe)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["group", "day", "start"]
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.get_day_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class TemplateRun(models.Model):
    """A computed proposal for a semester's weekly template: a time and a room for each group
    that may move; reviewed (what changes, for how many students), then published onto the
    template."""

    class Status(models.TextChoices):
        RUNNING = "running", _("En cours")
        READY = "ready", _("À examiner")
        PUBLISHED = "published", _("Publiée")
        SUPERSEDED = "superseded", _("Remplacée")
        FAILED = "failed", _("Échouée")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("année du catalogue"))
    semester = models.CharField(_("semestre"), max_length=1, choices=Semester.choices)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    time_limit = models.PositiveIntegerField(_("temps de calcul (s)"), default=60)
    seed = models.PositiveIntegerField(_("graine"), default=0)
    #: "LO21 IA41/TD1": UEs (all their groups) or single groups that must not move
    pinned = models.CharField(_("épinglés"), max_length=500, blank=True)
    stop_requested = models.BooleanField(default=False)
    job_uuid = models.UUIDField(null=True, blank=True)
    figures = models.JSONField(_("résultats"), default=dict, blank=True)
    #: group uuid → [day, "HH:MM", "HH:MM", weeks, room code or ""] for the groups that move
    proposal = models.JSONField(_("proposition"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData.none()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calcul de semaine type")
        verbose_name_plural = _("calculs de semaine type")

    def __str__(self) -> str:
        return f"{self.year}{self.semester} {self.created_at:%Y-%m-%d %H:%M}"


#: Half-days of the week, as the teaching needs name preferred and forbidden times: ``"0M"``
#: is Monday morning (before 12:00), ``"0A"`` Monday afternoon (12:00–18:00), ``"0E"`` Monday
#: evening (from 18:00).
HALF_DAYS = RegexValidator(
    r"^([0-5][MAE]( [0-5][MAE])*)?$",
    _(
        "Des demi-journées séparées par des espaces, comme « 0M 2A » (lundi matin, mercredi "
        "après-midi)."
    ),
)


class ActivityNeed(models.Model):
    """What an activity needs from the weekly template, as the UE's team states it: how many
    groups of what size, how many sessions a week of what length on which weeks, in rooms with
    which features, at preferred times and never at forbidden ones. The template design reads
    it; an activity without a need keeps the shape its groups have in the template."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="need")
    group_count = models.PositiveSmallIntegerField(_("nombre de groupes"))
    group_capacity = models.PositiveIntegerField(_("places par groupe"))
    sessions_per_week = models.PositiveSmallIntegerField(_("séances par semaine"), default=1)
    length = models.PositiveSmallIntegerField(_("durée d'une séance (minutes)"))
    #: blank: every teaching week of the semester's calendar
    weeks = models.CharField(_("semaines"), max_length=60, blank=True, validators=[WEEKS])
    room_features = models.CharField(
        _("équipements requis"),
        max_length=250,
        blank=True,
        help_text=_("Séparés par des virgules."),
    )
    preferred_times = models.CharField(
        _("demi-journées préférées"), max_length=60, blank=True, validators=[HALF_DAYS]
    )
    forbidden_times = models.CharField(
        _("demi-journées interdites"), max_length=60, blank=True, validators=[HALF_DAYS]
    )
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("besoin d'une activité")
        verbose_name_plural = _("besoins des activités")

    def __str__(self) -> str:
        return f"{self.activity}: {self.group_count} × {self.sessions_per_week} × {self.length} min"


class TeacherUnavailability(models.Model):
    """A time of the week when a teacher cannot teach in a semester (another duty, a part-time
    contract): the template design never places their groups there."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "referential.Person",
        verbose_name=_("enseignant·e"),
        on_delete=models.CASCADE,
        related_name="timetable_unavailabilities",
    )
    year = models.PositiveSmallIntegerField(_("année du catalogue"))
    semester = models.CharField(_("semestre"), max_length=1, choices=Semester.choices)
    day = models.PositiveSmallIntegerField(_("jour"), choices=Slot.Day.choices)
    start = models.TimeField(_("début"))
    end = models.TimeField(_("fin"))
    note = models.CharField(_("motif"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        fields=("person", "note"),
        retention="Le semestre, puis supprimé avec le calendrier",
        purpose="Emploi du temps : ne pas placer un enseignement quand l'enseignant·e est pris",
    )

    class Meta:
        ordering = ["year", "semester", "day", "start"]
        verbose_name = _("indisponibilité d'enseignant·e")
        verbose_name_plural = _("indisponibilités d'enseignant·e·s")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="unavailability_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_day_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class CampusTravel(models.Model):
    """The time it takes to go from one campus to another, either way: a teacher's two groups
    on different campuses are at least this far apart."""

    campus = models.ForeignKey(
        "referential.Campus", on_delete=models.CASCADE, related_name="+", verbose_name=_("campus")
    )
    other = models.ForeignKey(
        "referential.Campus",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("autre campus"),
    )
    minutes = models.PositiveSmallIntegerField(_("trajet (minutes)"))

    personal_data = PersonalData.none()

    class Meta:
        verbose_name = _("trajet entre campus")
        verbose_name_plural = _("trajets entre campus")
        constraints = [
            models.UniqueConstraint(fields=["campus", "other"], name="unique_campus_travel"),
            models.CheckConstraint(
                condition=Q(campus__lt=F("other")), name="campus_travel_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campus_id}–{self.other_id}: {self.minutes} min"
