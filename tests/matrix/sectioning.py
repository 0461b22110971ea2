"""Sectioning runs (/sectionnement/): the scolarité only; a run of the world exists, ready."""

from __future__ import annotations

from cartable.enrolment.models import SectioningRun

from . import LOGIN, NOBODY, Row

SCOLARITE = frozenset({"scolarite"})
_RUN = "/sectionnement/{sectioning_run}/"

MATRIX: dict[str, Row] = {
    "sectioning:runs": ("/sectionnement/", SCOLARITE, LOGIN, "get"),
    "sectioning:run": (_RUN, SCOLARITE, LOGIN, "get"),
    "sectioning:stop": (_RUN + "arreter/", NOBODY, 405, "get"),
    "sectioning:publish": (_RUN + "publier/", NOBODY, 405, "get"),
    "sectioning:left_out_csv": (_RUN + "non-repartis.csv", SCOLARITE, LOGIN, "get"),
    "sectioning:groups_csv": (_RUN + "groupes.csv", SCOLARITE, LOGIN, "get"),
}

REFUSAL = {"sectioning:stop": 405, "sectioning:publish": 405}


def build_world() -> dict[str, str]:
    run = SectioningRun.objects.create(
        year=2026, semester="A", status=SectioningRun.Status.READY, figures={}
    )
    return {"sectioning_run": str(run.uuid)}
