"""Assessment by competency in a UE's Tableau de bord, and the student's competency page.

The grid is visible to the offer's team, the heads of its programmes and the scolarité; for
anyone else the offer does not exist (404). Publishing and importing accept POST only
(tests/certification/test_assessments.py checks who may do them)."""

from __future__ import annotations

from tests.catalogue.factories import OfferFactory

from . import EVERYONE, LOGIN, NOBODY, Row

SCOLARITE = frozenset({"scolarite"})
# a programme head decides for the programmes they head (none in the world: an empty queue)
REFERENTS = frozenset({"scolarite", "programme_head"})
_GRID = "/tableau-ue/{assessed_offer}/competences/"

MATRIX: dict[str, Row] = {
    "assessments:grid": (_GRID, SCOLARITE, LOGIN, "get"),
    "assessments:publish": (_GRID + "publier/", NOBODY, 405, "get"),
    "assessments:import": (_GRID + "import/", NOBODY, 405, "get"),
    "certification:mine": ("/certification/mes-competences/", EVERYONE, LOGIN, "get"),
    "certification:claims": ("/certification/experiences/", EVERYONE, LOGIN, "get"),
    "certification:claim_new": ("/certification/experiences/nouvelle/", EVERYONE, LOGIN, "get"),
    "certification:claims_queue": (
        "/certification/experiences/a-traiter/",
        REFERENTS,
        LOGIN,
        "get",
    ),
    "certification:pix_import": ("/certification/pix/import/", SCOLARITE, LOGIN, "get"),
    "certification:rules": ("/certification/regles/", SCOLARITE, LOGIN, "get"),
    "certification:badges": ("/certification/badges/", SCOLARITE, LOGIN, "get"),
    "certification:badges_csv": ("/certification/badges.csv", SCOLARITE, LOGIN, "get"),
    "certification:badge_revoke": (
        "/certification/badges/00000000-0000-0000-0000-000000000000/revocation/",
        NOBODY,
        405,
        "get",
    ),
    "certification:rotate_key": ("/certification/badges/cle/", NOBODY, 405, "get"),
    "certification:aggregation_rule": (
        "/certification/regles/referentiels/00000000-0000-0000-0000-000000000000/",
        NOBODY,
        405,
        "get",
    ),
    "certification:credit_rule": ("/certification/regles/credits/", NOBODY, 405, "get"),
    "certification:achievement_new": ("/certification/regles/badges/", NOBODY, 405, "get"),
    "certification:achievement_active": (
        "/certification/regles/badges/00000000-0000-0000-0000-000000000000/",
        NOBODY,
        405,
        "get",
    ),
    "certification:claim": ("/certification/experiences/{claim}/", SCOLARITE, LOGIN, "get"),
    "certification:claim_file": (
        "/certification/experiences/{claim}/fichiers/{claim_file}",
        SCOLARITE,
        LOGIN,
        "get",
    ),
}
REFUSAL = {
    "certification:badge_revoke": 405,
    "certification:rotate_key": 405,
    "certification:aggregation_rule": 405,
    "certification:credit_rule": 405,
    "certification:achievement_new": 405,
    "certification:achievement_active": 405,
    "certification:claim": 404,
    "certification:claim_file": 404,
    "assessments:grid": 404,
    "assessments:publish": 405,
    "assessments:import": 405,
}


def build_world() -> dict[str, str]:
    """An offer, and the claim of a student who is not a persona, with one file."""
    from django.core.files.base import ContentFile

    from cartable.certification.models import ClaimFile, ExperienceClaim
    from tests.factories import PersonFactory

    claim = ExperienceClaim.objects.create(
        student=PersonFactory(login="auteur-matrice"),
        kind="project",
        title="Projet matrice",
        start_date="2026-01-05",
        description="…",
    )
    stored = ClaimFile(claim=claim, name="a.pdf", content_type="application/pdf", size=5)
    stored.file.save("a.pdf", ContentFile(b"%PDF-"), save=True)
    return {
        "assessed_offer": str(OfferFactory().uuid),
        "claim": str(claim.uuid),
        "claim_file": str(stored.uuid),
    }
