"""The Dossier étudiant (/dossier/) and its API.

The student of the world is registered in a programme nobody among the personas heads: only
the scolarité sees their dossier, for everyone else it does not exist (404); the programme
head persona heads no programme, so their list of dossiers and juries is empty. The calendar
feed needs no login: its address is the secret."""

from __future__ import annotations

from cartable.records.models import CalendarFeed
from tests.records.factories import (
    EquivalenceFactory,
    ExperienceFactory,
    InternshipFactory,
    JuryFactory,
    RequirementFactory,
    graded,
    registered_student,
)

from . import EVERYONE, LOGIN, NOBODY, Row

STUDENT = frozenset({"student"})
SCOLARITE = frozenset({"scolarite"})
STAFF = frozenset({"scolarite", "programme_head"})

_STUDENT = "/dossier/etudiants/{records_student}/"

MATRIX: dict[str, Row] = {
    "records:mine": ("/dossier/", STUDENT, LOGIN, "get"),
    "records:my_transcript": ("/dossier/releve.pdf", STUDENT, LOGIN, "get"),
    "records:feed_create": ("/dossier/calendrier/creer/", NOBODY, 405, "get"),
    "records:feed_revoke": ("/dossier/calendrier/revoquer/", NOBODY, 405, "get"),
    "records:calendar_feed": ("/dossier/calendrier/{records_feed}.ics", EVERYONE, 200, "get"),
    "records:students": ("/dossier/etudiants/", STAFF, LOGIN, "get"),
    "records:student": (_STUDENT, SCOLARITE, LOGIN, "get"),
    "records:student_transcript": (_STUDENT + "releve.pdf", SCOLARITE, LOGIN, "get"),
    "records:student_profile": (_STUDENT + "parcours/", SCOLARITE, LOGIN, "get"),
    "records:my_profile": ("/dossier/parcours/", EVERYONE, LOGIN, "get"),
    "records:profiles": ("/dossier/profils/", SCOLARITE, LOGIN, "get"),
    "records:profiles_recompute": ("/dossier/profils/recalcul/", NOBODY, 405, "get"),
    "records:requirements": ("/dossier/exigences/", SCOLARITE, LOGIN, "get"),
    "records:requirements_csv": ("/dossier/exigences/export.csv", SCOLARITE, LOGIN, "get"),
    "records:requirements_copy": ("/dossier/exigences/copier/", NOBODY, 405, "get"),
    "records:requirement_edit": (
        "/dossier/exigences/credits/{records_requirement}/",
        SCOLARITE,
        LOGIN,
        "get",
    ),
    "records:requirement_delete": (
        "/dossier/exigences/credits/{records_requirement}/supprimer/",
        NOBODY,
        405,
        "get",
    ),
    "records:equivalence_new": (_STUDENT + "equivalences/nouvelle/", SCOLARITE, LOGIN, "get"),
    "records:equivalence_edit": (
        _STUDENT + "equivalences/{records_equivalence}/",
        SCOLARITE,
        LOGIN,
        "get",
    ),
    "records:internship_new": (_STUDENT + "stages/nouveau/", SCOLARITE, LOGIN, "get"),
    "records:internship_edit": (
        _STUDENT + "stages/{records_internship}/",
        SCOLARITE,
        LOGIN,
        "get",
    ),
    "records:experience_new": (_STUDENT + "international/nouvelle/", SCOLARITE, LOGIN, "get"),
    "records:experience_edit": (
        _STUDENT + "international/{records_experience}/",
        SCOLARITE,
        LOGIN,
        "get",
    ),
    "records:juries": ("/dossier/jurys/", STAFF, LOGIN, "get"),
    "records:jury": ("/dossier/jurys/{records_jury}/", SCOLARITE, LOGIN, "get"),
    "records:decide": (
        "/dossier/jurys/{records_jury}/decisions/{records_student}/",
        NOBODY,
        405,
        "get",
    ),
    "records:publish": ("/dossier/jurys/{records_jury}/publier/", NOBODY, 405, "get"),
    "api-records-me": ("/api/v1/records/me/", STUDENT, 403, "get"),
    "api-records-me-timetable": ("/api/v1/records/me/timetable/", STUDENT, 403, "get"),
}

_NOT_VISIBLE = (
    "student",
    "student_transcript",
    "student_profile",
    "equivalence_new",
    "equivalence_edit",
    "internship_new",
    "internship_edit",
    "experience_new",
    "experience_edit",
    "jury",
)

REFUSAL = {
    **{f"records:{name}": 404 for name in _NOT_VISIBLE},
    "records:feed_create": 405,
    "records:feed_revoke": 405,
    "records:decide": 405,
    "records:publish": 405,
    "records:profiles_recompute": 405,
    "records:requirements_copy": 405,
    "records:requirement_delete": 405,
}


def build_world() -> dict[str, str]:
    student = registered_student(programme="RECORDS-PROG")
    graded(student, "RC01", programme="RECORDS-PROG")
    feed = CalendarFeed.objects.create(person=student)
    return {
        "records_student": str(student.uuid),
        "records_feed": feed.token,
        "records_equivalence": str(EquivalenceFactory(student=student).uuid),
        "records_internship": str(InternshipFactory(student=student).uuid),
        "records_experience": str(ExperienceFactory(student=student).uuid),
        "records_jury": str(JuryFactory(programme="RECORDS-PROG").uuid),
        "records_requirement": str(RequirementFactory(programme="RECORDS-PROG").pk),
    }
