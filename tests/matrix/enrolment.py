"""The roster of an offer and its results entry (enrolment)."""

from __future__ import annotations

from tests.catalogue.factories import OfferFactory
from tests.enrolment.factories import EnrolmentFactory, give_photo, student_person

from . import LOGIN, NOBODY, Row

SCOLARITE = frozenset({"scolarite"})

MATRIX: dict[str, Row] = {
    "enrolment:roster": ("/tableau-ue/{roster_offer}/inscrits/", SCOLARITE, LOGIN, "get"),
    "enrolment:roster_csv": ("/tableau-ue/{roster_offer}/inscrits.csv", SCOLARITE, LOGIN, "get"),
    "enrolment:roster_xlsx": (
        "/tableau-ue/{roster_offer}/inscrits.xlsx",
        SCOLARITE,
        LOGIN,
        "get",
    ),
    "enrolment:photo": (
        "/tableau-ue/{roster_offer}/inscrits/{roster_student}/photo/",
        SCOLARITE,
        LOGIN,
        "get",
    ),
    "enrolment:grades": ("/tableau-ue/{roster_offer}/notes/", SCOLARITE, LOGIN, "get"),
    "enrolment:grades_csv": ("/tableau-ue/{roster_offer}/notes.csv", SCOLARITE, LOGIN, "get"),
    "enrolment:grades_xlsx": ("/tableau-ue/{roster_offer}/notes.xlsx", SCOLARITE, LOGIN, "get"),
    "enrolment:grades_import": ("/tableau-ue/{roster_offer}/notes/import/", NOBODY, 405, "get"),
    "enrolment:grades_publish": ("/tableau-ue/{roster_offer}/notes/publier/", NOBODY, 405, "get"),
}
_POST_ONLY = ("enrolment:grades_import", "enrolment:grades_publish")

# The roster and the results are visible to the offer's team, the heads of its programmes and
# the scolarité; for anyone else the offer does not exist. Importing and publishing accept POST
# only (tests/enrolment/test_grades.py checks who may do them).
REFUSAL = {**dict.fromkeys(MATRIX, 404), **dict.fromkeys(_POST_ONLY, 405)}


def build_world() -> dict[str, str]:
    offer = OfferFactory()
    student = student_person(photo_consent=True)
    give_photo(student)
    EnrolmentFactory(offer=offer, student=student)
    return {"roster_offer": str(offer.uuid), "roster_student": str(student.uuid)}
