"""Named writes of the Dossier étudiant: juries and their decisions, equivalences,
internships, international experiences, and the private calendar feed. Each is atomic and
journaled; each checks who acts, whatever the screen that calls it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from cartable.certification import api as certification
from cartable.core import audit, jobs, notifications
from cartable.core.errors import DomainError
from cartable.enrolment import api as enrolment
from cartable.referential import api as referential

from . import rules
from .models import (
    CalendarFeed,
    DecisionKind,
    Equivalence,
    InternationalExperience,
    Internship,
    Jury,
    JuryDecision,
    Semester,
)
from .queries import registration_of, semester_label
from .scope import Scope, person_pk, scope_of


def _acting_pk(acting_user: Any) -> int | None:
    me = referential.person_uuid_for_user(acting_user) if acting_user is not None else None
    return person_pk(me) if me else None


def _scope(acting_user: Any) -> Scope:
    """The system (``None``: commands, the demo) may do everything."""
    return Scope(everyone=True) if acting_user is None else scope_of(acting_user)


def _refuse_programme(programme: str) -> DomainError:
    return DomainError(
        "programme",
        f"Vous ne tenez pas les jurys de la formation {programme}.",
        f"You do not hold the juries of programme {programme}.",
    )


def _student_pk(student_uuid: uuid.UUID) -> int:
    pk = person_pk(student_uuid)
    if pk is None:
        raise DomainError("student", "Étudiant·e inconnu·e.", "Unknown student.")
    return pk


# --- juries --------------------------------------------------------------------------------


@transaction.atomic
def do_create_jury(
    *, year: int, semester: str, programme: str, day: date, title: str, acting_user: Any
) -> Jury:
    programme = programme.strip()
    if not programme:
        raise DomainError("programme", "Indiquez la formation.", "Enter the programme.")
    if not _scope(acting_user).covers(programme):
        raise _refuse_programme(programme)
    if semester not in Semester.values:
        raise DomainError("semester", "Semestre : A ou P.", "Semester: A or P.")
    title = title.strip() or f"Jury {programme} {semester_label(year, semester)}"
    if Jury.objects.filter(year=year, semester=semester, programme=programme).exists():
        raise DomainError(
            "programme",
            "Un jury existe déjà pour cette formation et ce semestre.",
            "A jury already exists for this programme and semester.",
        )
    jury = Jury.objects.create(
        year=year, semester=semester, programme=programme, date=day, title=title
    )
    audit.record(
        "records.jury.create",
        actor=acting_user,
        object_type="jury",
        object_ref=str(jury.uuid),
        detail={"year": year, "semester": semester, "programme": programme},
    )
    return jury


def _jury_for_update(jury_uuid: uuid.UUID, acting_user: Any) -> Jury:
    jury = Jury.objects.select_for_update().filter(uuid=jury_uuid).first()
    if jury is None:
        raise DomainError("jury", "Jury inconnu.", "Unknown jury.")
    if not _scope(acting_user).covers(jury.programme):
        raise _refuse_programme(jury.programme)
    return jury


def _belongs_to(jury: Jury, student_uuid: uuid.UUID) -> bool:
    """Enrolled in the jury's semester and registered in its programme."""
    enrolled = any(
        r.year == jury.year and r.semester == jury.semester and r.status == "accepted"
        for r in enrolment.results_of(student_uuid, published_only=False)
    )
    if not enrolled:
        return False
    on = min(jury.date, timezone.localdate())
    registration = registration_of(student_uuid, on) or registration_of(student_uuid)
    return registration is not None and registration.programme == jury.programme


@transaction.atomic
def do_record_decision(
    jury_uuid: uuid.UUID,
    student_uuid: uuid.UUID,
    *,
    kind: str,
    comment: str,
    acting_user: Any,
) -> JuryDecision:
    jury = _jury_for_update(jury_uuid, acting_user)
    if jury.published:
        raise DomainError(
            "kind",
            "Ce jury est publié : ses décisions ne peuvent plus être modifiées.",
            "This jury is published: its decisions can no longer be changed.",
        )
    decision_kind = DecisionKind.objects.filter(code=kind, active=True).first()
    if decision_kind is None:
        raise DomainError("kind", "Choisissez une décision de la liste.", "Choose a decision.")
    if not _belongs_to(jury, student_uuid):
        raise DomainError(
            "student",
            "Cet·te étudiant·e ne relève pas de ce jury.",
            "This student does not come under this jury.",
        )
    decision, created = JuryDecision.objects.update_or_create(
        jury=jury,
        student_id=_student_pk(student_uuid),
        defaults={
            "kind": decision_kind,
            "comment": comment.strip(),
            "decided_by_id": _acting_pk(acting_user),
        },
    )
    audit.record(
        "records.jury.decide",
        actor=acting_user,
        object_type="jury",
        object_ref=str(jury.uuid),
        subject=student_uuid,
        detail={"kind": kind, "created": created},
    )
    return decision


@transaction.atomic
def do_publish_jury(jury_uuid: uuid.UUID, *, acting_user: Any) -> int:
    """Publish a jury's decisions and tell each student; returns how many were told."""
    jury = _jury_for_update(jury_uuid, acting_user)
    if jury.published:
        raise DomainError("jury", "Ce jury est déjà publié.", "This jury is already published.")
    decisions = list(jury.decisions.select_related("student", "kind"))
    if not decisions:
        raise DomainError(
            "jury",
            "Aucune décision n'est enregistrée : rien à publier.",
            "No decision has been recorded: nothing to publish.",
        )
    jury.status = Jury.Status.PUBLISHED
    jury.published_at = timezone.now()
    jury.save(update_fields=["status", "published_at"])
    url = reverse("records:mine")
    label = semester_label(jury.year, jury.semester)
    for decision in decisions:
        notifications.notify(
            decision.student.uuid,
            title=f"Décision du jury de semestre ({label}) : {decision.kind.label}",
            title_en=f"Semester jury decision ({label}): "
            f"{decision.kind.label_en or decision.kind.label}",
            url=url,
        )
    audit.record(
        "records.jury.publish",
        actor=acting_user,
        object_type="jury",
        object_ref=str(jury.uuid),
        detail={"decisions": len(decisions)},
    )
    # the published results change the students' diploma profiles: recompute them all
    jobs.enqueue(
        "records.profiles",
        "Recalcul des profils de diplôme (jury publié)",
        {},
        acting_user=acting_user,
        coalesce=True,
    )
    # passed UEs may earn badges
    certification.award_badges_later(
        [decision.student.uuid for decision in decisions], acting_user=acting_user
    )
    return len(decisions)


# --- equivalences, internships, international experiences ----------------------------------


def _require_records_editor(acting_user: Any) -> None:
    if not _scope(acting_user).may_edit_records:
        raise DomainError(
            "student",
            "Seule la scolarité modifie le dossier.",
            "Only the scolarité edits the dossier.",
        )


def _item(model: type[Model], student_pk: int, item_uuid: uuid.UUID | None) -> Any:
    if item_uuid is None:
        return model(student_id=student_pk)
    item = (
        model._default_manager.select_for_update()
        .filter(uuid=item_uuid, student_id=student_pk)
        .first()
    )
    if item is None:
        raise DomainError("item", "Élément inconnu.", "Unknown item.")
    return item


def _save(
    action: str,
    item: Any,
    values: Mapping[str, Any],
    student_uuid: uuid.UUID,
    acting_user: Any,
) -> Any:
    created = item.pk is None
    for name, value in values.items():
        setattr(item, name, value)
    item.save()
    audit.record(
        f"{action}.{'create' if created else 'update'}",
        actor=acting_user,
        object_type=item._meta.model_name,
        object_ref=str(item.uuid),
        subject=student_uuid,
        detail={k: str(v) for k, v in values.items() if k not in ("note",)},
    )
    return item


@transaction.atomic
def do_save_equivalence(
    student_uuid: uuid.UUID,
    values: Mapping[str, Any],
    *,
    equivalence_uuid: uuid.UUID | None = None,
    acting_user: Any,
) -> Equivalence:
    _require_records_editor(acting_user)
    clean = rules.clean_equivalence(values, Equivalence.Origin.values, Equivalence.Status.values)
    item: Equivalence = _item(Equivalence, _student_pk(student_uuid), equivalence_uuid)
    if clean["status"] == Equivalence.Status.PENDING:
        clean.update(decided_by_id=None, decided_at=None)
    elif clean["status"] != item.status or item.decided_at is None:
        clean.update(decided_by_id=_acting_pk(acting_user), decided_at=timezone.now())
    saved: Equivalence = _save("records.equivalence", item, clean, student_uuid, acting_user)
    return saved


@transaction.atomic
def do_save_internship(
    student_uuid: uuid.UUID,
    values: Mapping[str, Any],
    *,
    internship_uuid: uuid.UUID | None = None,
    acting_user: Any,
) -> Internship:
    _require_records_editor(acting_user)
    clean = rules.clean_internship(values, Internship.Kind.values, Internship.Status.values)
    item: Internship = _item(Internship, _student_pk(student_uuid), internship_uuid)
    saved: Internship = _save("records.internship", item, clean, student_uuid, acting_user)
    return saved


@transaction.atomic
def do_save_experience(
    student_uuid: uuid.UUID,
    values: Mapping[str, Any],
    *,
    experience_uuid: uuid.UUID | None = None,
    acting_user: Any,
) -> InternationalExperience:
    _require_records_editor(acting_user)
    clean = rules.clean_experience(values, InternationalExperience.Kind.values)
    item: InternationalExperience = _item(
        InternationalExperience, _student_pk(student_uuid), experience_uuid
    )
    saved: InternationalExperience = _save(
        "records.experience", item, clean, student_uuid, acting_user
    )
    return saved


# --- the private calendar feed --------------------------------------------------------------


@transaction.atomic
def do_create_calendar_feed(person_uuid: uuid.UUID, *, acting_user: Any) -> CalendarFeed:
    """A new private address for a person's calendar; the previous one stops working."""
    pk = _student_pk(person_uuid)
    now = timezone.now()
    revoked = CalendarFeed.objects.filter(person_id=pk, revoked_at__isnull=True).update(
        revoked_at=now
    )
    try:
        with transaction.atomic():
            feed = CalendarFeed.objects.create(person_id=pk)
    except IntegrityError:  # another request made one at the same moment
        raise DomainError(
            "feed", "Réessayez dans un instant.", "Please try again in a moment."
        ) from None
    audit.record(
        "records.calendar_feed.renew" if revoked else "records.calendar_feed.create",
        actor=acting_user,
        object_type="calendar_feed",
        object_ref=str(person_uuid),
        subject=person_uuid,
    )
    return feed


@transaction.atomic
def do_revoke_calendar_feed(person_uuid: uuid.UUID, *, acting_user: Any) -> int:
    pk = _student_pk(person_uuid)
    revoked = CalendarFeed.objects.filter(person_id=pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit.record(
            "records.calendar_feed.revoke",
            actor=acting_user,
            object_type="calendar_feed",
            object_ref=str(person_uuid),
            subject=person_uuid,
        )
    return revoked
