"""Results of a UE offer (§5.2.3): the grade grid, entering grades, publishing them.

A grade lives on the enrolment row (:attr:`Enrolment.grade`, :attr:`Enrolment.grade_published_at`).
Who may do what, for one offer:

* **see** the grid: whoever sees its Tableau de bord UE (responsible, teaching team, heads of
  its programmes, scolarité) — the view answers 404 to anyone else;
* **enter** grades: the responsible, the teaching team and the scolarité (programme heads read);
* **publish**: the responsible and the scolarité; students then see their grade in their
  dossier and are notified;
* **change a published grade**: the scolarité, or the responsible with a reason, which is
  recorded in the journal; a team member may not (the grade is the university's word to the
  student once published). The student is notified of the change.

Every change is journaled per student with its value before and after. A batch of grades is
checked as a whole: one bad row and nothing is written."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from cartable.core import audit, notifications
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, roles_of
from cartable.referential import api as referential

from . import rules
from .models import Enrolment

OBJECT_TYPE = "enrolment.grades"
ENTER = "enrolment.grades.enter"
IMPORT = "enrolment.grades.import"
PUBLISH = "enrolment.grades.publish"
#: What may be typed for "no grade" besides an empty cell.
BLANKS = ("", "-", "—", "–")
LISTED = ", ".join(rules.GRADES)


def _offer_model() -> Any:
    """The catalogue's offer model, reached through the enrolment's foreign key."""
    return Enrolment._meta.get_field("offer").related_model


# --- who may do what -------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeStanding:
    """How a person stands towards the results of one offer (visibility is checked apart)."""

    responsible: bool = False
    team_member: bool = False
    scolarite: bool = False
    system: bool = False  # management commands and jobs (no acting user)

    @property
    def may_enter(self) -> bool:
        return self.responsible or self.team_member or self.scolarite or self.system

    @property
    def may_publish(self) -> bool:
        return self.responsible or self.scolarite or self.system

    @property
    def may_change_published(self) -> bool:
        return self.responsible or self.scolarite or self.system

    @property
    def reason_required(self) -> bool:
        """The responsible explains a change to a published grade; the scolarité may."""
        return not (self.scolarite or self.system)


def standing_of(user: Any, offer_uuid: uuid.UUID) -> GradeStanding:
    if user is None:
        return GradeStanding(system=True)
    scolarite = Role.SCOLARITE in roles_of(user)
    me = referential.person_uuid_for_user(user)
    if me is None:
        return GradeStanding(scolarite=scolarite)
    offers = _offer_model().objects.filter(uuid=offer_uuid)
    return GradeStanding(
        responsible=offers.filter(responsible__uuid=me).exists(),
        team_member=offers.filter(team__person__uuid=me).exists(),
        scolarite=scolarite,
    )


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRow:
    """One enrolled student of the grid, with their grade."""

    student_uuid: uuid.UUID
    last_name: str
    first_name: str
    student_number: str
    login: str
    institutional_email: str
    grade: str
    published_at: datetime | None

    @property
    def published(self) -> bool:
        return self.published_at is not None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"


def _accepted(offer_uuid: uuid.UUID) -> Any:
    return (
        Enrolment.objects.filter(offer__uuid=offer_uuid, status=Enrolment.Status.ACCEPTED)
        .select_related("student")
        .order_by("student__civil_last_name", "student__civil_first_name", "student__pk")
    )


def _row(enrolment: Enrolment) -> GradeRow:
    person: Any = enrolment.student
    return GradeRow(
        student_uuid=person.uuid,
        last_name=person.display_last_name,
        first_name=person.display_first_name,
        student_number=person.student_number or "",
        login=person.login or "",
        institutional_email=person.institutional_email,
        grade=enrolment.grade,
        published_at=enrolment.grade_published_at,
    )


def grade_rows(offer_uuid: uuid.UUID) -> list[GradeRow]:
    """The students of an offer (accepted enrolments) by name, with their grade: one query."""
    return [_row(e) for e in _accepted(offer_uuid)]


@dataclass(frozen=True)
class GradeSummary:
    counts: tuple[tuple[str, int], ...]  # each grade of rules.GRADES, in order
    graded: int
    ungraded: int
    passed: int
    unpublished: int  # graded, not yet published

    @property
    def pass_rate(self) -> Decimal | None:
        """Percentage of graded students who passed, to one decimal (None: nobody graded)."""
        if not self.graded:
            return None
        rate = Decimal(100 * self.passed) / Decimal(self.graded)
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summarise(rows: Iterable[GradeRow]) -> GradeSummary:
    counts = dict.fromkeys(rules.GRADES, 0)
    ungraded = unpublished = 0
    for row in rows:
        if not row.grade:
            ungraded += 1
            continue
        counts[row.grade] = counts.get(row.grade, 0) + 1
        unpublished += 0 if row.published else 1
    return GradeSummary(
        counts=tuple(counts.items()),
        graded=sum(counts.values()),
        ungraded=ungraded,
        passed=sum(counts[g] for g in rules.PASSING_GRADES),
        unpublished=unpublished,
    )


# --- checking a batch ------------------------------------------------------------------------


def parse_grade(raw: str) -> str | None:
    """The grade meant by ``raw`` ("" for none), or None when it is not a grade."""
    text = raw.strip().upper()
    if text in BLANKS:
        return ""
    return text if text in rules.GRADES else None


@dataclass(frozen=True)
class RowProblem:
    """One refused row: where (file line, 0 in the grid), which field, the value, why."""

    line: int
    field: str
    value: str
    message_fr: str
    message_en: str
    student_uuid: uuid.UUID | None = None

    @property
    def message(self) -> str:
        return self.message_en if (get_language() or "fr").startswith("en") else self.message_fr


class GradeErrors(DomainError):
    """Rows of a batch were refused: nothing was written."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        count = len(problems)
        super().__init__(
            "grades",
            f"{count} ligne(s) refusée(s) : aucun résultat n'a été enregistré.",
            f"{count} row(s) refused: no grade was saved.",
        )
        self.problems = list(problems)


@dataclass(frozen=True)
class Entry:
    """A grade asked for one student; ``expected`` is the grade the asker saw (the grid sends
    it, so that a grade changed meanwhile by someone else is not silently overwritten)."""

    student_uuid: uuid.UUID
    raw: str
    line: int = 0
    expected: str | None = None
    label: str = ""  # how the source named the student (CSV identifier)


@dataclass
class Outcome:
    changed: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    committed: bool = False


@dataclass(frozen=True)
class _Change:
    enrolment: Enrolment
    before: str
    after: str
    line: int
    was_published: bool


def _grade_word(grade: str) -> tuple[str, str]:
    return (grade, grade) if grade else ("(aucun)", "(none)")


def _judge(
    entry: Entry,
    enrolment: Enrolment | None,
    standing: GradeStanding,
    reason: str,
) -> tuple[str | None, RowProblem | None]:
    """The new grade of a row, or why it is refused (None, None: the row is unknown here)."""

    def problem(field_name: str, fr: str, en: str) -> RowProblem:
        return RowProblem(entry.line, field_name, entry.raw, fr, en, entry.student_uuid)

    if enrolment is None:
        who = entry.label or str(entry.student_uuid)
        return None, problem(
            "student",
            f"{who} n'est pas inscrit·e dans cette UE.",
            f"{who} is not enrolled in this UE.",
        )
    name = _row(enrolment).name
    grade = parse_grade(entry.raw)
    if grade is None:
        return None, problem(
            "grade",
            f"{name} : « {entry.raw.strip()} » n'est pas un résultat ({LISTED}, ou vide).",
            f"{name}: '{entry.raw.strip()}' is not a grade ({LISTED}, or empty).",
        )
    current = enrolment.grade
    if grade == current:
        return grade, None
    if entry.expected is not None and entry.expected != current:
        now_fr, now_en = _grade_word(current)
        return None, problem(
            "grade",
            f"{name} : le résultat a été modifié entre-temps par quelqu'un d'autre "
            f"(il vaut maintenant {now_fr}) ; vérifiez-le puis enregistrez à nouveau.",
            f"{name}: the grade was changed meanwhile by someone else (it is now {now_en}); "
            "check it and save again.",
        )
    if enrolment.grade_published_at is not None:
        if not standing.may_change_published:
            return None, problem(
                "grade",
                f"{name} : ce résultat est publié ; seul·e le ou la responsable de l'UE (avec "
                "un motif) ou la scolarité peut le modifier.",
                f"{name}: this grade is published; only the UE's responsible (with a reason) "
                "or the scolarité may change it.",
            )
        if standing.reason_required and not reason.strip():
            return None, problem(
                "reason",
                f"{name} : ce résultat est publié ; indiquez le motif de la modification.",
                f"{name}: this grade is published; give the reason for the change.",
            )
    return grade, None


# --- writing ---------------------------------------------------------------------------------


def _offer_facts(offer_uuid: uuid.UUID) -> dict[str, Any]:
    facts = (
        _offer_model()
        .objects.filter(uuid=offer_uuid)
        .values("ue__code", "year", "title", "title_en")
        .first()
    )
    if facts is None:
        raise DomainError("offer", "Offre inconnue.", "Unknown offer.")
    return dict(facts)


def _refuse(message: tuple[str, str]) -> DomainError:
    return DomainError("offer", *message)


def apply_entries(
    offer_uuid: uuid.UUID,
    entries: Sequence[Entry],
    *,
    action: str,
    acting_user: Any,
    reason: str = "",
    dry_run: bool = False,
    problems: Sequence[RowProblem] = (),
    now: datetime | None = None,
) -> Outcome:
    """Check every entry against the offer's enrolments; when none is refused (and
    ``problems`` found earlier is empty) and this is not a dry run, write the changed grades,
    journal each one and notify the students whose published grade changed. Atomic."""
    standing = standing_of(acting_user, offer_uuid)
    if not standing.may_enter:
        raise _refuse(
            (
                "Vous ne pouvez pas saisir les résultats de cette UE.",
                "You may not enter the grades of this UE.",
            )
        )
    moment = now or timezone.now()
    with transaction.atomic():
        facts = _offer_facts(offer_uuid)
        by_student = {
            e.student.uuid: e for e in _accepted(offer_uuid).select_for_update(of=("self",))
        }
        outcome = Outcome(problems=list(problems))
        changes: list[_Change] = []
        for entry in entries:
            enrolment = by_student.get(entry.student_uuid)
            grade, problem = _judge(entry, enrolment, standing, reason)
            if problem is not None:
                outcome.problems.append(problem)
            elif enrolment is not None and grade is not None:
                if grade == enrolment.grade:
                    outcome.unchanged += 1
                else:
                    changes.append(
                        _Change(
                            enrolment,
                            enrolment.grade,
                            grade,
                            entry.line,
                            enrolment.grade_published_at is not None,
                        )
                    )
        outcome.changed = len(changes)
        if outcome.problems or dry_run or not changes:
            outcome.committed = not outcome.problems and not dry_run
            return outcome
        _write(
            offer_uuid,
            changes,
            facts,
            action=action,
            reason=reason,
            acting_user=acting_user,
            now=moment,
        )
        outcome.committed = True
        return outcome


def _write(
    offer_uuid: uuid.UUID,
    changes: list[_Change],
    facts: dict[str, Any],
    *,
    action: str,
    reason: str,
    acting_user: Any,
    now: datetime,
) -> None:
    code = facts["ue__code"]
    for change in changes:
        enrolment = change.enrolment
        enrolment.grade = change.after
        if change.was_published:
            # a published grade stays published with its new value; cleared, nothing is
            enrolment.grade_published_at = now if change.after else None
        enrolment.updated_at = now
    Enrolment.objects.bulk_update(
        [c.enrolment for c in changes], ["grade", "grade_published_at", "updated_at"]
    )
    for change in changes:
        student = change.enrolment.student.uuid
        detail: dict[str, Any] = {
            "ue": code,
            "year": facts["year"],
            "before": change.before,
            "after": change.after,
            "published": change.was_published,
        }
        if change.line:
            detail["line"] = change.line
        if reason.strip():
            detail["reason"] = reason.strip()
        audit.record(
            action,
            actor=acting_user,
            object_type=OBJECT_TYPE,
            object_ref=str(offer_uuid),
            subject=student,
            detail=detail,
        )
        if change.was_published:
            notifications.notify(
                student,
                title=f"Résultat modifié : {code}",
                title_en=f"Grade changed: {code}",
                body=f"Votre résultat publié en {code} — {facts['title']} a été modifié.",
                body_en=f"Your published grade in {code} — {facts['title_en']} was changed.",
            )


def do_enter_grades(
    offer_uuid: uuid.UUID,
    grades: Mapping[uuid.UUID, str],
    *,
    acting_user: Any,
    expected: Mapping[uuid.UUID, str] | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Outcome:
    """Save the grades of the grid (student → value as typed or chosen), all or nothing.
    Raises :class:`GradeErrors` naming every refused row."""
    known = expected or {}
    entries = [
        Entry(student_uuid=student, raw=raw, expected=known.get(student))
        for student, raw in grades.items()
    ]
    outcome = apply_entries(
        offer_uuid, entries, action=ENTER, acting_user=acting_user, reason=reason, now=now
    )
    if outcome.problems:
        raise GradeErrors(outcome.problems)
    return outcome


def do_publish_grades(
    offer_uuid: uuid.UUID, *, acting_user: Any, now: datetime | None = None
) -> int:
    """Publish every grade of the offer not yet published; each student is notified and
    sees it in their dossier. Returns how many were published."""
    if not standing_of(acting_user, offer_uuid).may_publish:
        raise _refuse(
            (
                "Seul·e le ou la responsable de l'UE ou la scolarité publie les résultats.",
                "Only the UE's responsible or the scolarité publishes the grades.",
            )
        )
    moment = now or timezone.now()
    with transaction.atomic():
        facts = _offer_facts(offer_uuid)
        rows = list(
            _accepted(offer_uuid)
            .select_for_update(of=("self",))
            .exclude(grade="")
            .filter(grade_published_at__isnull=True)
        )
        if not rows:
            raise DomainError(
                "grades",
                "Aucun résultat à publier : tous les résultats saisis sont déjà publiés.",
                "No grade to publish: every grade entered is already published.",
            )
        for enrolment in rows:
            enrolment.grade_published_at = moment
            enrolment.updated_at = moment
        Enrolment.objects.bulk_update(rows, ["grade_published_at", "updated_at"])
        code = facts["ue__code"]
        for enrolment in rows:
            student = enrolment.student.uuid
            audit.record(
                PUBLISH,
                actor=acting_user,
                object_type=OBJECT_TYPE,
                object_ref=str(offer_uuid),
                subject=student,
                detail={"ue": code, "year": facts["year"], "grade": enrolment.grade},
            )
            notifications.notify(
                student,
                title=f"Résultat publié : {code}",
                title_en=f"Grade published: {code}",
                body=f"Votre résultat en {code} — {facts['title']} est consultable dans "
                "votre dossier.",
                body_en=f"Your grade in {code} — {facts['title_en']} is in your record.",
            )
    return len(rows)


__all__ = [
    "ENTER",
    "IMPORT",
    "PUBLISH",
    "Entry",
    "GradeErrors",
    "GradeRow",
    "GradeStanding",
    "GradeSummary",
    "Outcome",
    "RowProblem",
    "apply_entries",
    "do_enter_grades",
    "do_publish_grades",
    "grade_rows",
    "parse_grade",
    "standing_of",
    "summarise",
]
