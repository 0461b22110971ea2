"""What a semester jury sees: each student of the programme's semester, with their UEs and
grades (published or not) and the credits they earned."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from cartable.enrolment import api as enrolment
from cartable.enrolment.data import StudentResult
from cartable.referential import api as referential
from cartable.referential.data import PersonSummary

from . import rules
from .models import DecisionKind, Jury, JuryDecision
from .queries import Registration, registrations
from .scope import Scope


@dataclass(frozen=True)
class JuryLine:
    result: StudentResult
    passed: bool
    earned: Decimal


@dataclass(frozen=True)
class JuryStudent:
    student: PersonSummary
    registration: Registration
    lines: tuple[JuryLine, ...]
    decision: JuryDecision | None

    @property
    def credits(self) -> Decimal:
        return sum((line.result.credits for line in self.lines), Decimal(0))

    @property
    def earned(self) -> Decimal:
        return sum((line.earned for line in self.lines), Decimal(0))

    @property
    def ungraded(self) -> int:
        return sum(1 for line in self.lines if not line.result.grade)


def juries_in_scope(scope: Scope) -> QuerySet[Jury]:
    juries = Jury.objects.all()
    return juries if scope.everyone else juries.filter(programme__in=sorted(scope.programmes))


def jury_students(jury: Jury) -> list[JuryStudent]:
    """The students of the jury's semester: enrolled in UEs of that semester and registered
    in the jury's programme (on the jury's date, else today). A constant number of queries."""
    results = enrolment.semester_results(jury.year, jury.semester, published_only=False)
    if not results:
        return []
    candidates = list(results)
    on = min(jury.date, timezone.localdate())
    found = registrations(candidates, on)
    missing = [u for u in candidates if u not in found]
    if missing and on != timezone.localdate():
        found.update(registrations(missing))
    members = [u for u in candidates if u in found and found[u].programme == jury.programme]
    decisions = {
        d.student.uuid: d
        for d in JuryDecision.objects.filter(jury=jury).select_related("student", "kind")
    }
    return [
        JuryStudent(
            student=summary,
            registration=found[summary.uuid],
            lines=tuple(
                JuryLine(
                    result=r,
                    passed=rules.passed(r, unpublished=True),
                    earned=rules.earned(r, unpublished=True),
                )
                for r in results[summary.uuid]
            ),
            decision=decisions.get(summary.uuid),
        )
        for summary in referential.summaries(members)
    ]


def decision_kinds() -> list[DecisionKind]:
    return list(DecisionKind.objects.filter(active=True))


def jury_by_uuid(jury_uuid: uuid.UUID) -> Jury | None:
    return Jury.objects.filter(uuid=jury_uuid).first()
