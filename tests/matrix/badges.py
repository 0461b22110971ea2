"""Open Badges (/badges/): the issuer profile, achievements, status lists, each badge's page,
files and verification, and the verifier are public (a badge is meant to be shown); "my
badges" needs a login. The badge of the world belongs to a student who is not a persona."""

from __future__ import annotations

from cartable.certification import actions
from tests.certification.factories import AchievementFactory
from tests.factories import PersonFactory

from . import EVERYONE, LOGIN, Row

_BADGE = "/badges/{badge}"

MATRIX: dict[str, Row] = {
    "badges:issuer": ("/badges/emetteur", EVERYONE, 200, "get"),
    "badges:achievement": ("/badges/realisations/{badge_achievement}", EVERYONE, 200, "get"),
    "badges:status_list": ("/badges/statuts/1", EVERYONE, 200, "get"),
    "badges:verify": ("/badges/verifier/", EVERYONE, 200, "get"),
    "badges:mine": ("/badges/mes-badges/", EVERYONE, LOGIN, "get"),
    "badges:badge": (_BADGE, EVERYONE, 200, "get"),
    "badges:badge_json": (_BADGE + ".json", EVERYONE, 200, "get"),
    "badges:badge_png": (_BADGE + ".png", EVERYONE, 200, "get"),
    "badges:badge_svg": (_BADGE + ".svg", EVERYONE, 200, "get"),
    "badges:badge_verification": (_BADGE + "/verification", EVERYONE, 200, "get"),
}


def build_world() -> dict[str, str]:
    achievement = AchievementFactory(code="bloc-matrice")
    holder = PersonFactory(login="titulaire-matrice")
    badge = actions.do_issue_badge(achievement.code, holder.uuid, acting_user=None)
    return {"badge": str(badge.uuid), "badge_achievement": str(achievement.uuid)}
