"""Assessment by competency in a UE offer (§2.2.1): its teachers record, for each enrolled
student, the level reached on each competency the UE develops, with evidence and a comment;
drafts until the responsible (or the scolarité) publishes them.

Who may do what: whoever sees the offer's Tableau de bord sees the grid (its responsible, its
team, the heads of its programmes, the scolarité; 404 for anyone else); the responsible, the
team and the scolarité enter; the responsible and the scolarité publish, and only they may
change an assessment once published."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import OfferCompetency, OfferSummary
from cartable.competencies import api as competencies
from cartable.competencies.data import LevelInfo
from cartable.core import audit, notifications
from cartable.core.errors import DomainError
from cartable.core.import_report import ErrorLog, RowError
from cartable.enrolment import api as enrolment
from cartable.enrolment.data import EnrolledStudent
from cartable.referential import api as referential

from .actions import award_badges
from .models import Assessment

CSV_COLUMNS = ("numero_etudiant", "competence", "niveau", "preuve", "commentaire")


@dataclass(frozen=True)
class AssessmentStanding:
    responsible: bool = False
    team_member: bool = False
    scolarite: bool = False
    system: bool = False

    @property
    def may_enter(self) -> bool:
        return self.responsible or self.team_member or self.scolarite or self.system

    @property
    def may_publish(self) -> bool:
        return self.responsible or self.scolarite or self.system


def standing_of(user: Any, offer_uuid: uuid.UUID) -> AssessmentStanding | None:
    """None when the offer does not exist or is not visible to ``user``."""
    if user is None:
        return AssessmentStanding(system=True)
    found = catalogue.offer_standing(user, offer_uuid)
    if found is None:
        return None
    return AssessmentStanding(
        responsible=found.responsible, team_member=found.team_member, scolarite=found.scolarite
    )


@dataclass(frozen=True)
class Cell:
    rank: int | None
    published: bool


@dataclass(frozen=True)
class GridRow:
    student: EnrolledStudent
    cells: dict[uuid.UUID, Cell]
    evidence: str
    comment: str


@dataclass(frozen=True)
class Grid:
    offer: OfferSummary
    competencies: list[OfferCompetency]
    scales: dict[uuid.UUID, list[LevelInfo]]
    rows: list[GridRow]

    @property
    def drafts(self) -> int:
        return sum(1 for row in self.rows for c in row.cells.values() if c.rank and not c.published)


def _scales(developed: Sequence[OfferCompetency]) -> dict[uuid.UUID, list[LevelInfo]]:
    return {f: competencies.scale(f) for f in {c.framework_uuid for c in developed}}


def grid(offer: OfferSummary) -> Grid:
    """The offer's students and competencies with what has been entered (four queries and one
    per framework)."""
    developed = catalogue.offer_competencies([offer.uuid])[offer.uuid]
    students = enrolment.enrolled_students(offer.uuid)
    entered: dict[uuid.UUID, dict[uuid.UUID, Assessment]] = {}
    for found in Assessment.objects.filter(offer_uuid=offer.uuid).select_related("student"):
        entered.setdefault(found.student.uuid, {})[found.competency_uuid] = found
    rows = []
    for student in students:
        mine = entered.get(student.uuid, {})
        any_one = next(iter(mine.values()), None)
        rows.append(
            GridRow(
                student=student,
                cells={
                    c.competency_uuid: Cell(
                        mine[c.competency_uuid].level_rank,
                        mine[c.competency_uuid].status == Assessment.Status.PUBLISHED,
                    )
                    if c.competency_uuid in mine
                    else Cell(None, False)
                    for c in developed
                },
                evidence=any_one.evidence if any_one else "",
                comment=any_one.comment if any_one else "",
            )
        )
    return Grid(offer, developed, _scales(developed), rows)


@dataclass(frozen=True)
class Entry:
    """What was entered for one student and competency (rank None: nothing, or erase a
    draft); ``line`` locates it in an imported file."""

    student_uuid: uuid.UUID
    competency_uuid: uuid.UUID
    rank: int | None
    evidence: str = ""
    comment: str = ""
    line: int = 0


@dataclass
class SaveOutcome:
    created: int = 0
    changed: int = 0
    erased: int = 0
    errors: list[RowError] = field(default_factory=list)


class AssessmentErrors(DomainError):
    def __init__(self, errors: list[RowError]) -> None:
        first = errors[0]
        super().__init__(first.field, first.message_fr, first.message_en)
        self.errors = errors


def _person_model() -> Any:
    return Assessment._meta.get_field("student").related_model


def _check(
    entries: Sequence[Entry],
    developed: dict[uuid.UUID, OfferCompetency],
    scales: dict[uuid.UUID, list[LevelInfo]],
    enrolled: set[uuid.UUID],
) -> ErrorLog:
    errors = ErrorLog()
    for entry in entries:
        if entry.student_uuid not in enrolled:
            errors.add(
                entry.line,
                "student",
                entry.student_uuid,
                "Cet·te étudiant·e n'est pas inscrit·e à l'UE.",
                "This student is not enrolled in the UE.",
            )
        competency = developed.get(entry.competency_uuid)
        if competency is None:
            errors.add(
                entry.line,
                "competency",
                entry.competency_uuid,
                "L'UE ne développe pas cette compétence.",
                "The UE does not develop this competency.",
            )
            continue
        ranks = [level.rank for level in scales[competency.framework_uuid]]
        if entry.rank is not None and entry.rank not in ranks:
            errors.add(
                entry.line,
                "level",
                entry.rank,
                f"Niveau inconnu : l'échelle va de {min(ranks)} à {max(ranks)}.",
                f"Unknown level: the scale goes from {min(ranks)} to {max(ranks)}.",
            )
        if len(entry.evidence) > 500:
            errors.add(
                entry.line,
                "evidence",
                entry.evidence[:40] + "…",
                "La preuve dépasse 500 caractères.",
                "The evidence is longer than 500 characters.",
            )
    return errors


@transaction.atomic
def do_save_assessments(
    offer: OfferSummary, entries: Sequence[Entry], *, acting_user: Any
) -> SaveOutcome:
    """Record what was entered; nothing at all when one entry is refused (every refusal is
    reported). Unchanged entries are not rewritten."""
    standing = standing_of(acting_user, offer.uuid)
    if standing is None or not standing.may_enter:
        raise DomainError(
            "offer",
            "Vous ne pouvez pas saisir les évaluations de cette UE.",
            "You may not enter the assessments of this UE.",
        )
    developed = {
        c.competency_uuid: c for c in catalogue.offer_competencies([offer.uuid])[offer.uuid]
    }
    scales = _scales(list(developed.values()))
    enrolled = {s.uuid for s in enrolment.enrolled_students(offer.uuid)}
    errors = _check(entries, developed, scales, enrolled)
    existing = {
        (a.student.uuid, a.competency_uuid): a
        for a in Assessment.objects.select_for_update()
        .filter(offer_uuid=offer.uuid)
        .select_related("student")
    }
    outcome = SaveOutcome()
    changes: list[tuple[Entry, Assessment | None]] = []
    for entry in entries:
        found = existing.get((entry.student_uuid, entry.competency_uuid))
        same = found is not None and (
            found.level_rank == entry.rank
            and found.evidence == entry.evidence
            and found.comment == entry.comment
        )
        if same or (found is None and entry.rank is None):
            continue
        if found is not None and found.status == Assessment.Status.PUBLISHED:
            if not standing.may_publish:
                errors.add(
                    entry.line,
                    "level",
                    entry.rank,
                    "Évaluation publiée : seul·e le ou la responsable de l'UE ou la scolarité "
                    "peut la modifier.",
                    "Published assessment: only the UE's responsible or the registrar's "
                    "office may change it.",
                )
                continue
            if entry.rank is None:
                errors.add(
                    entry.line,
                    "level",
                    "",
                    "Une évaluation publiée ne peut pas être effacée.",
                    "A published assessment cannot be erased.",
                )
                continue
        changes.append((entry, found))
    if errors:
        raise AssessmentErrors(errors.sorted())
    assessor = referential.person_uuid_for_user(acting_user) if acting_user else None
    people = {
        p.uuid: p
        for p in _person_model().objects.filter(
            uuid__in={e.student_uuid for e, _f in changes} | ({assessor} if assessor else set())
        )
    }
    now = timezone.now()
    republished: set[uuid.UUID] = set()
    for entry, found in changes:
        if found is not None and found.status == Assessment.Status.PUBLISHED:
            republished.add(entry.student_uuid)
        if entry.rank is None and found is not None:
            found.delete()
            outcome.erased += 1
            continue
        assert entry.rank is not None
        if found is None:
            found = Assessment(
                offer_uuid=offer.uuid,
                ue_code=offer.ue_code,
                student=people[entry.student_uuid],
                competency_uuid=entry.competency_uuid,
                framework_uuid=developed[entry.competency_uuid].framework_uuid,
            )
            outcome.created += 1
        else:
            outcome.changed += 1
        found.level_rank = entry.rank
        found.evidence = entry.evidence
        found.comment = entry.comment
        found.assessor = people.get(assessor) if assessor else None
        found.assessed_at = now
        found.save()
    if changes:
        audit.record(
            "certification.assessments.save",
            actor=acting_user,
            object_type="offer",
            object_ref=str(offer.uuid),
            detail={
                "ue": offer.ue_code,
                "created": outcome.created,
                "changed": outcome.changed,
                "erased": outcome.erased,
            },
        )
    for student in republished:  # a published level changed: it counts at once
        award_badges(student, acting_user=acting_user)
    return outcome


@transaction.atomic
def do_publish_assessments(offer: OfferSummary, *, acting_user: Any) -> int:
    """Publish the offer's drafts: the students see them and their levels count them."""
    standing = standing_of(acting_user, offer.uuid)
    if standing is None or not standing.may_publish:
        raise DomainError(
            "offer",
            "Seul·e le ou la responsable de l'UE ou la scolarité publie les évaluations.",
            "Only the UE's responsible or the registrar's office publishes assessments.",
        )
    drafts = Assessment.objects.filter(offer_uuid=offer.uuid, status=Assessment.Status.DRAFT)
    students = set(drafts.values_list("student__uuid", flat=True))
    count = drafts.update(status=Assessment.Status.PUBLISHED, published_at=timezone.now())
    if count:
        audit.record(
            "certification.assessments.publish",
            actor=acting_user,
            object_type="offer",
            object_ref=str(offer.uuid),
            detail={"ue": offer.ue_code, "published": count},
        )
        for student in students:
            award_badges(student, acting_user=acting_user)
            notifications.notify(
                student,
                title=f"Compétences évaluées en {offer.ue_code}",
                title_en=f"Competencies assessed in {offer.ue_code}",
            )
    return count


# --- CSV -------------------------------------------------------------------------------------


def parse_csv(offer: OfferSummary, text: str) -> tuple[list[Entry], ErrorLog]:
    """Entries of a CSV file (``;`` or ``,``; columns numero_etudiant, competence, niveau,
    preuve, commentaire; the level by its rank or its code), and what cannot be read."""
    errors = ErrorLog()
    sample = text[:2048]
    dialect = csv.Sniffer().sniff(sample, delimiters=";,") if sample.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = [c for c in CSV_COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        errors.add(
            1,
            "columns",
            ", ".join(missing),
            "Colonnes manquantes : " + ", ".join(missing) + ".",
            "Missing columns: " + ", ".join(missing) + ".",
        )
        return [], errors
    students = {s.student_number: s.uuid for s in enrolment.enrolled_students(offer.uuid)}
    developed = {c.code: c for c in catalogue.offer_competencies([offer.uuid])[offer.uuid]}
    scales = _scales(list(developed.values()))
    entries = []
    for line, row in enumerate(reader, start=2):
        number = (row.get("numero_etudiant") or "").strip()
        code = (row.get("competence") or "").strip()
        raw = (row.get("niveau") or "").strip()
        student = students.get(number)
        if student is None:
            errors.about(line, "numero_etudiant", number, _NOT_ENROLLED)
        competency = developed.get(code)
        if competency is None:
            errors.about(line, "competence", code, _NOT_DEVELOPED)
        if student is None or competency is None:
            continue
        rank = None
        if raw:
            levels = scales[competency.framework_uuid]
            matches = [lv.rank for lv in levels if raw in (str(lv.rank), lv.code)]
            if not matches:
                errors.about(line, "niveau", raw, _UNKNOWN_LEVEL)
                continue
            rank = matches[0]
        entries.append(
            Entry(
                student,
                competency.competency_uuid,
                rank,
                (row.get("preuve") or "").strip(),
                (row.get("commentaire") or "").strip(),
                line,
            )
        )
    return entries, errors


_NOT_ENROLLED = ("Aucun·e inscrit·e à l'UE n'a ce numéro.", "No student enrolled has this number.")
_NOT_DEVELOPED = ("L'UE ne développe pas cette compétence.", "The UE does not develop it.")
_UNKNOWN_LEVEL = ("Niveau inconnu dans l'échelle du référentiel.", "Unknown level in the scale.")
