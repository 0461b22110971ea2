"""Teachers' unavailabilities and travel between campuses (/emploi-du-temps/indisponibilites/,
/emploi-du-temps/campus/trajets/).

Every teacher opens the unavailabilities page (their own; the teacher, UE coordinator and
programme head personas hold a teaching contract); the scolarité sees everyone's and alone
exports them. Removing one is POST only (a GET answers 405 to everyone). The travel times are
read by the timetable's readers (scolarité, DSIN administrators)."""

from __future__ import annotations

from datetime import time

from cartable.timetable.models import TeacherUnavailability
from tests.factories import PersonFactory

from . import LOGIN, NOBODY, Row

TEACHERS = frozenset({"teacher", "ue_coordinator", "programme_head", "scolarite"})
SCOLARITE = frozenset({"scolarite"})
READERS = frozenset({"scolarite", "dsin_admin"})

MATRIX: dict[str, Row] = {
    "timetable:unavailabilities": ("/emploi-du-temps/indisponibilites/", TEACHERS, LOGIN, "get"),
    "timetable:unavailabilities_csv": (
        "/emploi-du-temps/indisponibilites/export.csv",
        SCOLARITE,
        LOGIN,
        "get",
    ),
    "timetable:unavailability_delete": (
        "/emploi-du-temps/indisponibilites/{tt_unavailability}/supprimer/",
        NOBODY,
        405,
        "get",
    ),
    "timetable:travel": ("/emploi-du-temps/campus/trajets/", READERS, LOGIN, "get"),
}

REFUSAL = {"timetable:unavailability_delete": 405}


def build_world() -> dict[str, str]:
    row = TeacherUnavailability.objects.create(
        person=PersonFactory(login="indisponible-matrice"),
        year=2026,
        semester="A",
        day=0,
        start=time(8),
        end=time(10),
    )
    return {"tt_unavailability": str(row.uuid)}
