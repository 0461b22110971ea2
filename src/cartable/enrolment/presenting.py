"""What the campaign screens show, in the active language: the data of :mod:`queries` and the
outcomes of :mod:`actions` turned into plain lines for the templates (which hold no logic)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cartable.catalogue.data import EnrolmentOffer
from cartable.core.errors import DomainError

from .models import AdvisingNote, Campaign, StudentChoice, WaitlistEntry
from .queries import CampaignLine, OpenUE, PersonalTimetable, WaitlistLine
from .queries_advising import AdvisingRow, NoteLine
from .rules import Cause, Finding, Refusal

DAYS = (
    gettext_lazy("Lundi"),
    gettext_lazy("Mardi"),
    gettext_lazy("Mercredi"),
    gettext_lazy("Jeudi"),
    gettext_lazy("Vendredi"),
    gettext_lazy("Samedi"),
    gettext_lazy("Dimanche"),
)


def english() -> bool:
    return (get_language() or "fr").startswith("en")


def pick(french: str, other: str) -> str:
    """The English text when English is active and there is one, else the French."""
    return other if english() and other else french


@dataclass(frozen=True)
class UELine:
    code: str
    title: str
    credits: Decimal
    category: str
    free_seats: int | None = None
    waiting_position: int | None = None
    offered: bool = False


def ue_line(offer: EnrolmentOffer, open_ue: OpenUE | None = None) -> UELine:
    return UELine(
        code=offer.ue_code,
        title=pick(offer.title, offer.title_en),
        credits=offer.credits,
        category=offer.category,
        free_seats=open_ue.free_seats if open_ue else None,
        waiting_position=open_ue.waiting_position if open_ue else None,
        offered=bool(open_ue and open_ue.offered_until),
    )


@dataclass(frozen=True)
class FindingLine:
    ok: bool
    text: str


def finding_lines(findings: Iterable[Finding]) -> list[FindingLine]:
    return [FindingLine(f.ok, pick(f.message_fr, f.message_en)) for f in findings]


def refusal_texts(refusals: Iterable[Refusal]) -> list[str]:
    return [pick(r.message_fr, r.message_en) for r in refusals]


@dataclass(frozen=True)
class CampaignDisplay:
    code: str
    title: str
    year: int
    semester: str
    semester_label: str
    phase: str
    phase_label: str
    opens_at: Any
    advising_from: Any
    closes_at: Any
    status_label: str
    chosen: int


#: The phases as the screens name them ("Close" alone would take Django's own translation).
PHASE_LABELS: dict[str, Any] = {
    Campaign.Phase.UPCOMING: gettext_lazy("À venir"),
    Campaign.Phase.CHOICE: gettext_lazy("Choix des UE"),
    Campaign.Phase.ADVISING: gettext_lazy("Conseil pédagogique"),
    Campaign.Phase.CLOSED: gettext_lazy("Clôturée"),
}
SEMESTER_LABELS = {"A": gettext_lazy("Automne"), "P": gettext_lazy("Printemps")}
STATUS_LABELS = dict(StudentChoice.Status.choices)


def campaign_display(
    campaign: Campaign | CampaignLine, phase: str, status: str = ""
) -> CampaignDisplay:
    return CampaignDisplay(
        code=campaign.code,
        title=pick(campaign.title, campaign.title_en),
        year=campaign.year,
        semester=campaign.semester,
        semester_label=str(SEMESTER_LABELS.get(campaign.semester, campaign.semester)),
        phase=phase,
        phase_label=str(PHASE_LABELS.get(phase, phase)),
        opens_at=campaign.opens_at,
        advising_from=campaign.advising_from,
        closes_at=campaign.closes_at,
        status_label=str(STATUS_LABELS.get(status) or _("Pas encore commencé")),
        chosen=getattr(campaign, "chosen", 0),
    )


@dataclass(frozen=True)
class WaitlistDisplay:
    code: str
    title: str
    position: int
    offered: bool
    offered_until: Any
    note: str


def waitlist_lines(lines: Iterable[WaitlistLine]) -> list[WaitlistDisplay]:
    return [
        WaitlistDisplay(
            code=line.ue_code,
            title=pick(line.title, line.title_en),
            position=line.position,
            offered=line.status == WaitlistEntry.Status.OFFERED,
            offered_until=line.offered_until,
            note=line.note,
        )
        for line in lines
    ]


@dataclass(frozen=True)
class DayDisplay:
    name: str
    lines: tuple[Any, ...]


def timetable_days(personal: PersonalTimetable) -> list[DayDisplay]:
    return [DayDisplay(str(DAYS[d.day]), d.lines) for d in personal.days]


KIND_LABELS = dict(AdvisingNote.Kind.choices)


@dataclass(frozen=True)
class NoteDisplay:
    kind: str
    kind_label: str
    text: str
    ue_code: str
    created_at: Any
    author: str
    overridden: list[str] = field(default_factory=list)


def note_lines(notes: Iterable[NoteLine]) -> list[NoteDisplay]:
    return [
        NoteDisplay(
            kind=n.kind,
            kind_label=str(KIND_LABELS.get(n.kind, n.kind)),
            text=n.text,
            ue_code=n.ue_code,
            created_at=n.created_at,
            author=n.author,
            overridden=refusal_texts(n.overridden),
        )
        for n in notes
    ]


# --- outcomes of the student's actions ---------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What became of a student's request, kept language-neutral (it may wait in the session
    for the page that follows a POST without JavaScript)."""

    kind: str  # added, refused, dropped, joined, left, claimed, error
    ue: str
    refusals: tuple[tuple[str, str, str], ...] = ()  # cause, French, English
    position: int | None = None
    error: tuple[str, str] = ("", "")

    @property
    def can_join_waitlist(self) -> bool:
        return bool(self.refusals) and all(c == Cause.FULL for c, _fr, _en in self.refusals)

    @classmethod
    def refused(cls, ue: str, refusals: Sequence[Refusal]) -> Outcome:
        return cls(
            "refused", ue, tuple((str(r.cause), r.message_fr, r.message_en) for r in refusals)
        )

    @classmethod
    def failed(cls, ue: str, error: DomainError) -> Outcome:
        return cls("error", ue, error=(error.message_fr, error.message_en))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ue": self.ue,
            "refusals": [list(r) for r in self.refusals],
            "position": self.position,
            "error": list(self.error),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        return cls(
            kind=str(data.get("kind", "")),
            ue=str(data.get("ue", "")),
            refusals=tuple((str(c), str(fr), str(en)) for c, fr, en in data.get("refusals", [])),
            position=data.get("position"),
            error=(str(data["error"][0]), str(data["error"][1])) if data.get("error") else ("", ""),
        )


@dataclass(frozen=True)
class OutcomeDisplay:
    ok: bool
    text: str
    details: list[str]
    ue: str
    can_join_waitlist: bool


def outcome_display(outcome: Outcome) -> OutcomeDisplay:
    ue = outcome.ue
    texts = {
        "added": _("%(ue)s a été ajoutée à votre semestre.") % {"ue": ue},
        "dropped": _("%(ue)s a été retirée de votre semestre.") % {"ue": ue},
        "joined": _("Vous êtes inscrit·e sur la liste d'attente de %(ue)s, en position %(n)s.")
        % {"ue": ue, "n": outcome.position},
        "left": _("Vous avez quitté la liste d'attente de %(ue)s.") % {"ue": ue},
        "claimed": _("Vous avez accepté la place en %(ue)s : elle fait partie de votre semestre.")
        % {"ue": ue},
        "refused": _("%(ue)s n'a pas pu être ajoutée :") % {"ue": ue},
        "error": _("Votre demande n'a pas abouti :"),
    }
    details = [pick(fr, en) for _c, fr, en in outcome.refusals]
    if outcome.kind == "error":
        details = [pick(*outcome.error)]
    return OutcomeDisplay(
        ok=outcome.kind not in ("refused", "error"),
        text=texts.get(outcome.kind, ""),
        details=details,
        ue=ue,
        can_join_waitlist=outcome.can_join_waitlist,
    )


@dataclass(frozen=True)
class AdvisingLine:
    student_uuid: Any
    last_name: str
    first_name: str
    student_number: str
    programme: str
    study_level: str
    credits: Decimal
    ue_count: int
    ue_codes: str
    problems: list[str]
    findings_count: int
    waiting: int
    status_label: str
    validated: bool


def advising_line(row: AdvisingRow) -> AdvisingLine:
    return AdvisingLine(
        student_uuid=row.student_uuid,
        last_name=row.last_name,
        first_name=row.first_name,
        student_number=row.student_number,
        programme=row.programme,
        study_level=row.study_level,
        credits=row.credits,
        ue_count=len(row.ue_codes),
        ue_codes=", ".join(row.ue_codes),
        problems=[pick(f.message_fr, f.message_en) for f in row.problems],
        findings_count=len(row.findings),
        waiting=row.waiting,
        status_label=str(STATUS_LABELS.get(row.status, row.status)),
        validated=row.status == StudentChoice.Status.VALIDATED,
    )
