"""Tableau de bord UE (/tableau-ue/) and the catalogue's yearly cycle (/catalogue/cycle/).

The offer of the world has a responsible who is none of the personas: only the scolarité sees
it; everyone else gets 404 (the offer is not visible to them, not merely forbidden)."""

from __future__ import annotations

from cartable.catalogue.models import Offer
from tests.catalogue.factories import OfferFactory, UEFactory

from . import LOGIN, NOBODY, Row

DASHBOARD_USERS = frozenset({"teacher", "ue_coordinator", "programme_head", "scolarite"})
REVIEWERS = frozenset({"programme_head", "scolarite"})
SCOLARITE = frozenset({"scolarite"})

_OFFER = "/tableau-ue/{dashboard_offer}/"

MATRIX: dict[str, Row] = {
    "dashboard:home": ("/tableau-ue/", DASHBOARD_USERS, LOGIN, "get"),
    "dashboard:offers": ("/tableau-ue/offres/", REVIEWERS, LOGIN, "get"),
    "dashboard:offer": (_OFFER, SCOLARITE, LOGIN, "get"),
    "dashboard:export_sheet_csv": (_OFFER + "fiche.csv", SCOLARITE, LOGIN, "get"),
    "dashboard:export_sheet_xlsx": (_OFFER + "fiche.xlsx", SCOLARITE, LOGIN, "get"),
    "dashboard:export_team_csv": (_OFFER + "equipe.csv", SCOLARITE, LOGIN, "get"),
    "dashboard:export_team_xlsx": (_OFFER + "equipe.xlsx", SCOLARITE, LOGIN, "get"),
    "dashboard:syllabus": (_OFFER + "syllabus/", NOBODY, 405, "get"),
    "dashboard:needs": (_OFFER + "preparation/", NOBODY, 405, "get"),
    "dashboard:software": (_OFFER + "logiciels/", NOBODY, 405, "get"),
    "dashboard:team_add": (_OFFER + "equipe/ajouter/", NOBODY, 405, "get"),
    "dashboard:team_remove": (_OFFER + "equipe/retirer/", NOBODY, 405, "get"),
    "dashboard:submit": (_OFFER + "soumettre/", NOBODY, 405, "get"),
    "dashboard:publish": (_OFFER + "publier/", NOBODY, 405, "get"),
    "dashboard:return_to_draft": (_OFFER + "renvoyer/", NOBODY, 405, "get"),
    "dashboard:new_version": (_OFFER + "nouvelle-version/", NOBODY, 405, "get"),
    "catalogue:cycle": ("/catalogue/cycle/", SCOLARITE, LOGIN, "get"),
    "catalogue:cycle_copy": ("/catalogue/cycle/copier/", NOBODY, 405, "get"),
    "catalogue:cycle_publish": ("/catalogue/cycle/publier/", NOBODY, 405, "get"),
}

_POST_ONLY = (
    "syllabus",
    "needs",
    "software",
    "team_add",
    "team_remove",
    "submit",
    "publish",
    "return_to_draft",
    "new_version",
)
_OFFER_PAGES = (
    "offer",
    "export_sheet_csv",
    "export_sheet_xlsx",
    "export_team_csv",
    "export_team_xlsx",
)

REFUSAL = {
    **{f"dashboard:{name}": 404 for name in _OFFER_PAGES},
    **{f"dashboard:{name}": 405 for name in _POST_ONLY},
    "catalogue:cycle_copy": 405,
    "catalogue:cycle_publish": 405,
}


def build_world() -> dict[str, str]:
    offer = OfferFactory(ue=UEFactory(code="TBD01"), status=Offer.Status.DRAFT)
    return {"dashboard_offer": str(offer.uuid)}
