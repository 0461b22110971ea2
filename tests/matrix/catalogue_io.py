"""Import and export of the whole catalogue: scolarité and DSIN administrators only.

The CSV download of one year is listed under its own label so that both formats are checked."""

from __future__ import annotations

from tests.catalogue.factories import OfferFactory, UEFactory

from . import LOGIN, Row

STAFF = frozenset({"scolarite", "dsin_admin"})

MATRIX: dict[str, Row] = {
    "catalogue:io": ("/catalogue/echanges/", STAFF, LOGIN, "get"),
    "catalogue:io_export": ("/catalogue/echanges/export/", STAFF, LOGIN, "get"),
    "catalogue:io_export (csv)": (
        "/catalogue/echanges/export/?format=csv&annee={io_year}",
        STAFF,
        LOGIN,
        "get",
    ),
}


def build_world() -> dict[str, str]:
    offer = OfferFactory(ue=UEFactory(code="IO41"))
    return {"io_year": str(offer.year)}
