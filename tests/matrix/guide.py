"""The public course guide (guide-ue) and its API: open to everyone, without login."""

from __future__ import annotations

from tests.catalogue.factories import (
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    UEFactory,
)

from . import EVERYONE, Row

MATRIX: dict[str, Row] = {
    "guide:search": ("/guide/", EVERYONE, 200, "get"),
    "guide:ue": ("/guide/ue/{guide_ue}/", EVERYONE, 200, "get"),
    "guide:ue_year": ("/guide/ue/{guide_ue}/{guide_year}/", EVERYONE, 200, "get"),
    "guide:programmes": ("/guide/formations/", EVERYONE, 200, "get"),
    "guide:programme": (
        "/guide/formations/{guide_programme}/{guide_year}/",
        EVERYONE,
        200,
        "get",
    ),
    "api-guide-ues": ("/api/v1/guide/ues/", EVERYONE, 200, "get"),
}


def build_world() -> dict[str, str]:
    offer = OfferFactory(ue=UEFactory(code="GUIDE41"))
    programme = ProgrammeFactory(code="guide-info", year=offer.year)
    OfferProgrammeFactory(offer=offer, programme=programme)
    return {
        "guide_ue": offer.ue.code,
        "guide_year": str(offer.year),
        "guide_programme": programme.code,
    }
