"""The roster of an offer (enrolment)."""

from __future__ import annotations

from tests.catalogue.factories import OfferFactory
from tests.enrolment.factories import EnrolmentFactory, give_photo, student_person

from . import LOGIN, Row

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
}

# The roster is visible to the offer's team, the heads of its programmes and the scolarité;
# for anyone else the offer does not exist.
REFUSAL = dict.fromkeys(MATRIX, 404)


def build_world() -> dict[str, str]:
    offer = OfferFactory()
    student = student_person(photo_consent=True)
    give_photo(student)
    EnrolmentFactory(offer=offer, student=student)
    return {"roster_offer": str(offer.uuid), "roster_student": str(student.uuid)}
