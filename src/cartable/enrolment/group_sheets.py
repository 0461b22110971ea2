"""Group sheets (“feuilles de groupe”): the groups of the timetable with the students the
published sectioning put in them — for each group's teacher, its UE's responsible and the
scolarité (who reviews the sectioning runs) — as a page, a CSV of the groups and a PDF with
one sheet per group, a column to sign."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Count
from django.utils.translation import gettext as _

from cartable.catalogue import api as catalogue
from cartable.core.calendar import academic_year_label
from cartable.core.permissions import Role, has_any_role
from cartable.core.text import english, fold
from cartable.referential import api as referential
from cartable.timetable import api as timetable
from cartable.timetable.data import TeachingGroup

from .models import GroupMembership, SectioningRun
from .presenting import SEMESTER_LABELS
from .sectioning import REVIEWERS

#: More groups than this in one PDF: the scolarité is asked to narrow the filter.
MAX_SHEETS = 400


@dataclass(frozen=True)
class SheetStudent:
    uuid: uuid.UUID
    last_name: str
    first_name: str
    student_number: str
    programme: str
    study_level: str


@dataclass(frozen=True)
class GroupRow:
    """A group in a list: its published size (None when its semester has no published
    sectioning) and its teacher's name."""

    group: TeachingGroup
    size: int | None
    teacher_name: str

    @property
    def semester_name(self) -> str:
        return str(SEMESTER_LABELS.get(self.group.semester, self.group.semester))


@dataclass(frozen=True)
class Sheet:
    """A group sheet: the group, its teacher's name and its students by name."""

    group: TeachingGroup
    teacher_name: str
    students: tuple[SheetStudent, ...]
    published: bool


@dataclass(frozen=True)
class GroupFilter:
    """What the scolarité narrows the groups to: words of UE or group codes, a semester, a
    UE code."""

    q: str = ""
    semester: str = ""
    ue: str = ""

    def groups(self, year: int) -> list[TeachingGroup]:
        return timetable.teaching_groups(
            year=year,
            semesters=[self.semester] if self.semester else (),
            ue_code=self.ue,
            search=self.q,
            english=english(),
        )


def is_reviewer(user: Any) -> bool:
    """Whether the user reviews sectioning runs (and so sees every group)."""
    return has_any_role(user, REVIEWERS)


def visible_group(user: Any, group_uuid: uuid.UUID) -> TeachingGroup | None:
    """The group when ``user`` may see its students: its teacher, its UE's responsible, the
    scolarité; None when it does not exist or is not visible to them."""
    found = timetable.teaching_groups(keys=[group_uuid], english=english())
    if not found:
        return None
    group = found[0]
    if is_reviewer(user):
        return group
    me = referential.person_uuid_for_user(user)
    if me is not None and group.teacher == me:
        return group
    standing = catalogue.offer_standing(user, group.offer)
    return group if standing is not None and standing.responsible else None


def _responsible_offers(user: Any, me: uuid.UUID, year: int) -> list[uuid.UUID]:
    """The offers of ``year`` whose responsible ``user`` is (a few queries per offer they
    are in charge of: asked only of UE coordinators)."""
    if not has_any_role(user, {Role.UE_COORDINATOR}):
        return []
    found = []
    for offer in catalogue.offers_in_charge(me, year):
        standing = catalogue.offer_standing(user, offer.uuid)
        if standing is not None and standing.responsible:
            found.append(offer.uuid)
    return found


def my_groups(user: Any, year: int) -> tuple[list[TeachingGroup], list[TeachingGroup]]:
    """The groups of ``year`` that ``user`` teaches, and the other groups of the UEs they
    are responsible for."""
    me = referential.person_uuid_for_user(user)
    if me is None:
        return [], []
    taught = timetable.teaching_groups(year=year, teacher=me, english=english())
    offers = _responsible_offers(user, me, year)
    others = (
        [
            g
            for g in timetable.teaching_groups(year=year, offers=offers, english=english())
            if g.teacher != me
        ]
        if offers
        else []
    )
    return taught, others


def _published(groups: Sequence[TeachingGroup]) -> set[tuple[int, str]]:
    """The (year, semester) of these groups that have a published sectioning (one query)."""
    return set(
        SectioningRun.objects.filter(
            status=SectioningRun.Status.PUBLISHED,
            year__in={g.year for g in groups},
            semester__in={g.semester for g in groups},
        ).values_list("year", "semester")
    )


def _names(people: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {p for p in people if p is not None}
    return {p.uuid: p.display_name for p in referential.summaries(wanted)} if wanted else {}


def rows_of(groups: Sequence[TeachingGroup]) -> list[GroupRow]:
    """The groups with their published sizes and teachers' names (a few queries, whatever
    their number)."""
    if not groups:
        return []
    published = _published(groups)
    sizes = {
        row["group__uuid"]: row["n"]
        for row in GroupMembership.objects.filter(
            run__status=SectioningRun.Status.PUBLISHED,
            group__uuid__in=[g.key for g in groups],
        )
        .values("group__uuid")
        .annotate(n=Count("pk"))
        .order_by()
    }
    names = _names(g.teacher for g in groups)
    return [
        GroupRow(
            group=g,
            size=sizes.get(g.key, 0) if (g.year, g.semester) in published else None,
            teacher_name=names.get(g.teacher, "") if g.teacher else "",
        )
        for g in groups
    ]


def sheets_of(groups: Sequence[TeachingGroup]) -> list[Sheet]:
    """Each group with its students in the published sectioning of its semester, by name
    (a few queries, whatever the number of groups)."""
    if not groups:
        return []
    published = _published(groups)
    members: dict[uuid.UUID, list[Any]] = {}
    for membership in (
        GroupMembership.objects.filter(
            run__status=SectioningRun.Status.PUBLISHED,
            group__uuid__in=[g.key for g in groups],
        )
        .select_related("student", "group")
        .order_by()
    ):
        members.setdefault(membership.group.uuid, []).append(membership.student)
    everyone = [p.uuid for people in members.values() for p in people]
    facts = referential.facts_for(everyone) if everyone else {}
    names = _names(g.teacher for g in groups)
    sheets = []
    for group in groups:
        students = []
        for person in members.get(group.key, []):
            contracts = facts[person.uuid].contracts if person.uuid in facts else ()
            registration = next((c for c in contracts if c.kind == "registration"), None)
            students.append(
                SheetStudent(
                    uuid=person.uuid,
                    last_name=person.display_last_name,
                    first_name=person.display_first_name,
                    student_number=person.student_number or "",
                    programme=registration.programme if registration else "",
                    study_level=registration.study_level if registration else "",
                )
            )
        students.sort(key=lambda s: (fold(s.last_name), fold(s.first_name), s.student_number))
        sheets.append(
            Sheet(
                group=group,
                teacher_name=names.get(group.teacher, "") if group.teacher else "",
                students=tuple(students),
                published=(group.year, group.semester) in published,
            )
        )
    return sheets


def subjects_of(sheets: Iterable[Sheet]) -> list[uuid.UUID]:
    """Whose personal data the sheets show: their students and teachers."""
    found: list[uuid.UUID] = []
    for sheet in sheets:
        found += [s.uuid for s in sheet.students]
        if sheet.group.teacher is not None:
            found.append(sheet.group.teacher)
    return found


def semester_words(group: TeachingGroup) -> str:
    return f"{academic_year_label(group.year)}, {SEMESTER_LABELS.get(group.semester, '')}"


def pdf(sheets: Sequence[Sheet], title: str) -> bytes:
    """The sheets as a PDF, each group from a new page: the group's UE, slots, room and
    teacher, then its students with a column to sign."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    story: list[Any] = []
    for sheet in sheets:
        group = sheet.group
        if story:
            story.append(PageBreak())
        heading = f"{group.label} — {group.activity_kind} — {semester_words(group)}"
        story.append(Paragraph(escape(heading), styles["Heading2"]))
        facts = [
            (_("Créneaux"), " ; ".join(group.slots) or "—"),
            (_("Salle"), group.room or "—"),
            (_("Enseignant·e"), sheet.teacher_name or "—"),
            (_("Effectif"), f"{len(sheet.students)} / {group.capacity}"),
        ]
        for label, value in facts:
            story.append(Paragraph(f"<b>{escape(label)} :</b> {escape(value)}", styles["Normal"]))
        if not sheet.published:
            story.append(
                Paragraph(
                    escape(_("Aucune répartition publiée pour ce semestre.")), styles["Normal"]
                )
            )
            continue
        rows = [[_("Nom"), _("Prénom"), _("Numéro"), _("Formation"), _("Signature")]] + [
            [s.last_name, s.first_name, s.student_number, f"{s.programme} {s.study_level}", ""]
            for s in sheet.students
        ]
        table = Table(rows, colWidths=[120, 100, 70, 80, 130], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
        story.append(table)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title).build(
        story or [Paragraph(escape(_("Aucun groupe.")), styles["Normal"])]
    )
    return buffer.getvalue()
