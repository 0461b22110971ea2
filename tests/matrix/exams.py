"""Exam sessions (/examens/): the scolarité manages sessions; every signed-in person has a page
of their own exams and its iCalendar file."""

from __future__ import annotations

from datetime import date

from cartable.enrolment.models import ExamSession

from . import EVERYONE, LOGIN, NOBODY, Row

SCOLARITE = frozenset({"scolarite"})
_S = "/examens/{exam_session}/"
_ZERO = "00000000-0000-0000-0000-000000000000"

MATRIX: dict[str, Row] = {
    "exams:sessions": ("/examens/", SCOLARITE, LOGIN, "get"),
    "exams:mine": ("/examens/mes-examens/", EVERYONE, LOGIN, "get"),
    "exams:mine_ics": ("/examens/mes-examens.ics", EVERYONE, LOGIN, "get"),
    "exams:session": (_S, SCOLARITE, LOGIN, "get"),
    "exams:exam": (_S + f"epreuves/{_ZERO}/", NOBODY, 405, "get"),
    "exams:rule_add": (_S + "regles/", NOBODY, 405, "get"),
    "exams:rule_delete": (_S + "regles/1/supprimer/", NOBODY, 405, "get"),
    "exams:plan": (_S + "planifier/", NOBODY, 405, "get"),
    "exams:stop": (_S + "arreter/", NOBODY, 405, "get"),
    "exams:publish": (_S + "publier/", NOBODY, 405, "get"),
    "exams:csv": (_S + "examens.csv", SCOLARITE, LOGIN, "get"),
    "exams:room_sheets": (_S + "salles.pdf", SCOLARITE, LOGIN, "get"),
}

REFUSAL = {name: 405 for name, row in MATRIX.items() if row[2] == 405}


def build_world() -> dict[str, str]:
    session = ExamSession.objects.create(
        year=2026,
        semester="A",
        kind=ExamSession.Kind.FINAL,
        title="Finaux",
        first_day=date(2027, 1, 11),
        last_day=date(2027, 1, 15),
    )
    return {"exam_session": str(session.uuid)}
