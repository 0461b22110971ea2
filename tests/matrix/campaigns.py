"""The enrolment campaign screens (/inscriptions/): a student's campaigns and semester, their
requests (POST only), the advising screens of programme heads and the scolarité, and the
scolarité's management of campaigns (/inscriptions/gestion/: the scolarité only, the DSIN
included in the 403s).

The campaign of the world concerns the students' population; its student is in the INFO
programme, which the programme-head persona does not head."""

from __future__ import annotations

from cartable.enrolment.actions import do_prepare_seats
from tests.enrolment.campaigns import CampaignFactory, student, ue

from . import EVERYONE, LOGIN, NOBODY, Row

STUDENT = frozenset({"student"})
ADVISORS = frozenset({"programme_head", "scolarite"})
SCOLARITE = frozenset({"scolarite"})
_CAMPAIGN = "/inscriptions/{campaign}/"
_STUDENT = _CAMPAIGN + "conseil/{campaign_student}/"
_ADMIN = "/inscriptions/gestion/"
_MANAGED = _ADMIN + "{campaign}/"
_RULE = _MANAGED + "regles/{campaign_programme}/"

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
    "campaigns:delegate": (_CAMPAIGN + "conseil/delegations/", NOBODY, 405, "get"),
    "campaigns:revoke_delegation": (
        _CAMPAIGN + "conseil/delegations/{campaign_delegation}/retrait/",
        NOBODY,
        405,
        "get",
    ),
    "campaigns:admin_campaigns": (_ADMIN, SCOLARITE, LOGIN, "get"),
    "campaigns:admin_campaign_new": (_ADMIN + "nouvelle/", SCOLARITE, LOGIN, "get"),
    "campaigns:admin_campaign": (_MANAGED, SCOLARITE, LOGIN, "get"),
    "campaigns:admin_rules_copy": (_MANAGED + "regles/copier/", NOBODY, 405, "get"),
    "campaigns:admin_rule": (_RULE, SCOLARITE, LOGIN, "get"),
    "campaigns:admin_rule_delete": (_RULE + "supprimer/", NOBODY, 405, "get"),
    "campaigns:admin_seats": (_MANAGED + "places/", SCOLARITE, LOGIN, "get"),
    "campaigns:admin_seats_csv": (_ADMIN + "{campaign}/places.csv", SCOLARITE, LOGIN, "get"),
    "campaigns:admin_seats_prepare": (_MANAGED + "places/preparer/", NOBODY, 405, "get"),
    "campaigns:admin_seat": (_MANAGED + "places/{campaign_ue}/", SCOLARITE, LOGIN, "get"),
}

_POST_ONLY = (
    "add",
    "drop",
    "join_waitlist",
    "leave_waitlist",
    "claim_place",
    "advise",
    "override",
    "delegate",
    "revoke_delegation",
    "admin_rules_copy",
    "admin_rule_delete",
    "admin_seats_prepare",
)

# A campaign exists only for the students of its population, and a student's semester only
# for those who advise them (the programme head of the world heads another programme).
# Requests answer 405 to a GET (tests/enrolment/test_campaign_views.py and
# test_advising_views.py and test_campaign_admin.py check who may make them).
REFUSAL = {
    "campaigns:campaign": 404,
    "campaigns:advising_student": 404,
    **{f"campaigns:{name}": 405 for name in _POST_ONLY},
}


def build_world() -> dict[str, str]:
    campaign = CampaignFactory(code="inscriptions-matrice", population="student")
    ue("MX01")
    do_prepare_seats(campaign.code, acting_user=None)
    someone = student("INFO")
    return {
        "campaign": campaign.code,
        "campaign_student": str(someone.uuid),
        "campaign_programme": "INFO",
        "campaign_ue": "MX01",
        "campaign_delegation": "00000000-0000-0000-0000-000000000000",
    }
