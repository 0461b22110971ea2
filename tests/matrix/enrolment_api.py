"""The enrolment API: a student's campaigns and semester, their choices and wait-lists (writes
are POST or DELETE only), and the students enrolled in an offer for its staff."""

from __future__ import annotations

from tests.catalogue.factories import OfferFactory
from tests.enrolment.campaigns import CampaignFactory
from tests.enrolment.factories import EnrolmentFactory, student_person

from . import EVERYONE, NOBODY, Row

STUDENT = frozenset({"student"})
SCOLARITE = frozenset({"scolarite"})
_CAMPAIGN = "/api/v1/enrolment/campaigns/{api_campaign}/"

MATRIX: dict[str, Row] = {
    "api-enrolment-campaigns": ("/api/v1/enrolment/campaigns/", EVERYONE, 403, "get"),
    "api-enrolment-semester": (_CAMPAIGN + "semester/", STUDENT, 403, "get"),
    "api-enrolment-choices": (_CAMPAIGN + "choices/", NOBODY, 403, "get"),
    "api-enrolment-choice": (_CAMPAIGN + "choices/LO41/", NOBODY, 403, "get"),
    "api-enrolment-waitlist": (_CAMPAIGN + "waitlist/", NOBODY, 403, "get"),
    "api-enrolment-waitlist-place": (_CAMPAIGN + "waitlist/LO41/", NOBODY, 403, "get"),
    "api-enrolment-claim": (_CAMPAIGN + "waitlist/LO41/claim/", NOBODY, 403, "get"),
    "api-enrolment-offer-students": (
        "/api/v1/enrolment/offers/{api_offer}/students/",
        SCOLARITE,
        403,
        "get",
    ),
}

# A campaign concerns the students of its population only: for anyone else it does not
# exist. Writes answer 405 to a GET. An enrolment list is visible to the offer's team, the
# heads of its programmes and the scolarité; for anyone else the offer does not exist.
REFUSAL = {
    "api-enrolment-semester": 404,
    "api-enrolment-choices": 405,
    "api-enrolment-choice": 405,
    "api-enrolment-waitlist": 405,
    "api-enrolment-waitlist-place": 405,
    "api-enrolment-claim": 405,
    "api-enrolment-offer-students": 404,
}


def build_world() -> dict[str, str]:
    campaign = CampaignFactory(code="api-matrix", population="student")
    offer = OfferFactory()
    EnrolmentFactory(offer=offer, student=student_person())
    return {"api_campaign": campaign.code, "api_offer": str(offer.uuid)}
