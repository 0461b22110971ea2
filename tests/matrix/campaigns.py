"""The enrolment campaign screens (/inscriptions/): a student's campaigns and semester, their
requests (POST only), and the advising screens of programme heads and the scolarité.

The campaign of the world concerns the students' population; its student is in the INFO
programme, which the programme-head persona does not head."""

from __future__ import annotations

from tests.enrolment.campaigns import CampaignFactory, student, ue

from . import EVERYONE, LOGIN, NOBODY, Row

STUDENT = frozenset({"student"})
ADVISORS = frozenset({"programme_head", "scolarite"})
SCOLARITE = frozenset({"scolarite"})
_CAMPAIGN = "/inscriptions/{campaign}/"
_STUDENT = _CAMPAIGN + "conseil/{campaign_student}/"

MATRIX: dict[str, Row] = {
    "campaigns:list": ("/inscriptions/", EVERYONE, LOGIN, "get"),
    "campaigns:campaign": (_CAMPAIGN, STUDENT, LOGIN, "get"),
    "campaigns:add": (_CAMPAIGN + "ajouter/", NOBODY, 405, "get"),
    "campaigns:drop": (_CAMPAIGN + "retirer/", NOBODY, 405, "get"),
    "campaigns:join_waitlist": (_CAMPAIGN + "attente/rejoindre/", NOBODY, 405, "get"),
    "campaigns:leave_waitlist": (_CAMPAIGN + "attente/quitter/", NOBODY, 405, "get"),
    "campaigns:claim_place": (_CAMPAIGN + "attente/accepter/", NOBODY, 405, "get"),
    "campaigns:advising_home": ("/inscriptions/conseil/", ADVISORS, LOGIN, "get"),
    "campaigns:advising": (_CAMPAIGN + "conseil/", ADVISORS, LOGIN, "get"),
    "campaigns:advising_csv": ("/inscriptions/{campaign}/conseil.csv", ADVISORS, LOGIN, "get"),
    "campaigns:advising_student": (_STUDENT, SCOLARITE, LOGIN, "get"),
    "campaigns:advise": (_STUDENT + "avis/", NOBODY, 405, "get"),
    "campaigns:override": (_STUDENT + "derogation/", NOBODY, 405, "get"),
}

_POST_ONLY = (
    "add",
    "drop",
    "join_waitlist",
    "leave_waitlist",
    "claim_place",
    "advise",
    "override",
)

# A campaign exists only for the students of its population, and a student's semester only
# for those who advise them (the programme head of the world heads another programme).
# Requests answer 405 to a GET (tests/enrolment/test_campaign_views.py and
# test_advising_views.py check who may make them).
REFUSAL = {
    "campaigns:campaign": 404,
    "campaigns:advising_student": 404,
    **{f"campaigns:{name}": 405 for name in _POST_ONLY},
}


def build_world() -> dict[str, str]:
    campaign = CampaignFactory(code="inscriptions-matrice", population="student")
    ue("MX01")
    someone = student("INFO")
    return {"campaign": campaign.code, "campaign_student": str(someone.uuid)}
