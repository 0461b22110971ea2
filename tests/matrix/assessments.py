"""Assessment by competency in a UE's Tableau de bord, and the student's competency page.

The grid is visible to the offer's team, the heads of its programmes and the scolarité; for
anyone else the offer does not exist (404). Publishing and importing accept POST only
(tests/certification/test_assessments.py checks who may do them)."""

from __future__ import annotations

from tests.catalogue.factories import OfferFactory

from . import EVERYONE, LOGIN, NOBODY, Row

SCOLARITE = frozenset({"scolarite"})
_GRID = "/tableau-ue/{assessed_offer}/competences/"

MATRIX: dict[str, Row] = {
    "assessments:grid": (_GRID, SCOLARITE, LOGIN, "get"),
    "assessments:publish": (_GRID + "publier/", NOBODY, 405, "get"),
    "assessments:import": (_GRID + "import/", NOBODY, 405, "get"),
    "certification:mine": ("/certification/mes-competences/", EVERYONE, LOGIN, "get"),
}
REFUSAL = {
    "assessments:grid": 404,
    "assessments:publish": 405,
    "assessments:import": 405,
}


def build_world() -> dict[str, str]:
    return {"assessed_offer": str(OfferFactory().uuid)}
