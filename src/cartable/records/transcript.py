"""The transcript of records (relevé de notes) as a PDF, drawn with ReportLab.

The standard Helvetica font is used with its WinAnsi encoding, which holds every letter of
French (é, è, ç, œ, Œ, « », …) without embedding a font file; the layout is one table per
semester (UE, title, credits, grade, credits earned), its totals and the published jury
decision, then the credits of the whole cursus."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from cartable.referential import api as referential

from .queries import Dossier, SemesterRecord

FONT, BOLD = "Helvetica", "Helvetica-Bold"


def establishment_name() -> str:
    """The name of the establishment at the root of the referential's structures."""
    roots = [c.label for c in referential.structure_choices() if not c.label.startswith(" ")]
    return roots[0] if roots else str(settings.CARTABLE_ESTABLISHMENT_NAME)


def _credits(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"
    return text.replace(".", ",")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=BOLD, fontSize=16),
        "head": ParagraphStyle("head", parent=base["Normal"], fontName=BOLD, fontSize=11),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], fontName=BOLD, fontSize=12, spaceBefore=8
        ),
        "text": ParagraphStyle("text", parent=base["Normal"], fontName=FONT, fontSize=9.5),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontName=FONT, fontSize=8.5),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


TABLE_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("FONT", (0, 0), (-1, 0), BOLD, 8.5),
        ("FONT", (0, -1), (-1, -1), BOLD, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e9ef")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
        ("ALIGN", (2, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa3b5")),
    ]
)


def _semester(record: SemesterRecord, styles: dict[str, ParagraphStyle]) -> Flowable:
    rows: list[list[object]] = [
        [_("UE"), _("Intitulé"), _("Crédits"), _("Résultat"), _("Crédits obtenus")]
    ]
    for r in record.results:
        rows.append(
            [
                r.ue_code,
                _p(r.title, styles["cell"]),
                _credits(r.credits),
                r.grade or _("en attente"),
                _credits(r.credits_earned),
            ]
        )
    rows.append(["", _("Total du semestre"), _credits(record.credits), "", _credits(record.earned)])
    table = Table(rows, colWidths=[20 * mm, 85 * mm, 18 * mm, 20 * mm, 27 * mm], repeatRows=1)
    table.setStyle(TABLE_STYLE)
    parts: list[Flowable] = [_p(record.label, styles["h2"]), table]
    if record.decision:
        decision = record.decision
        text = _("Décision du jury du %(date)s : %(label)s") % {
            "date": date_format(decision.jury_date, "SHORT_DATE_FORMAT"),
            "label": decision.label,
        }
        if decision.comment:
            text += f" — {decision.comment}"
        parts += [Spacer(1, 2 * mm), _p(text, styles["text"])]
    return KeepTogether(parts)


def _identity(dossier: Dossier, issued: date, styles: dict[str, ParagraphStyle]) -> Table:
    student, registration = dossier.student, dossier.registration
    rows = [
        [_("Nom"), student.last_name.upper()],
        [_("Prénom"), student.first_name],
        [_("Numéro étudiant"), student.student_number or "—"],
    ]
    if registration:
        rows += [
            [_("Formation"), registration.programme],
            [_("Niveau"), registration.study_level or "—"],
        ]
    rows.append([_("Date d'émission"), date_format(issued, "DATE_FORMAT")])
    table = Table(
        [[_p(a, styles["head"]), _p(b, styles["text"])] for a, b in rows],
        colWidths=[40 * mm, 130 * mm],
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def transcript(dossier: Dossier, *, issued: date) -> bytes:
    """The PDF transcript of a dossier (published grades and decisions only)."""
    styles = _styles()
    buffer = io.BytesIO()
    name = f"{dossier.student.first_name} {dossier.student.last_name}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{_('Relevé de notes')} — {name}",
        author=establishment_name(),
        lang="fr",
    )
    story: list[Flowable] = [
        _p(establishment_name(), styles["head"]),
        Spacer(1, 3 * mm),
        _p(_("Relevé de notes"), styles["title"]),
        _identity(dossier, issued, styles),
        Spacer(1, 4 * mm),
    ]
    graded = [s for s in dossier.semesters if s.results]
    if not graded:
        story.append(_p(_("Aucune UE à ce jour."), styles["text"]))
    story += [_semester(record, styles) for record in graded]
    synthesis = dossier.synthesis
    story += [
        _p(_("Cursus"), styles["h2"]),
        _p(
            _(
                "Crédits obtenus : %(ues)s par les UE, %(equivalences)s par équivalence, "
                "%(total)s au total."
            )
            % {
                "ues": _credits(synthesis.from_ues),
                "equivalences": _credits(synthesis.from_equivalences),
                "total": _credits(synthesis.total),
            },
            styles["text"],
        ),
        Spacer(1, 3 * mm),
        _p(
            _("Résultats : A à E, UE validée ; FX et F, non validée ; ABS, absence."),
            styles["cell"],
        ),
    ]

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        page = _("page %(n)s") % {"n": document.page}
        canvas.drawString(18 * mm, 10 * mm, f"{name} — {_('Relevé de notes')} — {page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
