"""Sectioning runs (/sectionnement/): the scolarité only; a run of the world exists, ready.

Groups (/sectionnement/groupes/): every teacher has a list of their own groups (the teacher,
UE coordinator and programme head personas hold a teaching contract), the scolarité sees
every group, exports the list and prints all sheets. The group of the world is taught by
someone who is none of the personas, in a UE none of them is responsible for: only the
scolarité sees its students and sheet; everyone else gets 404 (the group is not visible to
them, not merely forbidden)."""

from __future__ import annotations

from cartable.enrolment.models import GroupMembership, SectioningRun
from tests.enrolment.campaigns import group, student, ue
from tests.factories import PersonFactory

from . import LOGIN, NOBODY, Row

SCOLARITE = frozenset({"scolarite"})
TEACHERS = frozenset({"teacher", "ue_coordinator", "programme_head", "scolarite"})
_RUN = "/sectionnement/{sectioning_run}/"
_GROUP = "/sectionnement/groupes/{sectioning_group}/"

MATRIX: dict[str, Row] = {
    "sectioning:runs": ("/sectionnement/", SCOLARITE, LOGIN, "get"),
    "sectioning:run": (_RUN, SCOLARITE, LOGIN, "get"),
    "sectioning:stop": (_RUN + "arreter/", NOBODY, 405, "get"),
    "sectioning:publish": (_RUN + "publier/", NOBODY, 405, "get"),
    "sectioning:left_out_csv": (_RUN + "non-repartis.csv", SCOLARITE, LOGIN, "get"),
    "sectioning:groups_csv": (_RUN + "groupes.csv", SCOLARITE, LOGIN, "get"),
    "sectioning:groups": ("/sectionnement/groupes/", TEACHERS, LOGIN, "get"),
    "sectioning:group_list_csv": ("/sectionnement/groupes/liste.csv", SCOLARITE, LOGIN, "get"),
    "sectioning:group_sheets": ("/sectionnement/groupes/feuilles.pdf", SCOLARITE, LOGIN, "get"),
    "sectioning:group": (_GROUP, SCOLARITE, LOGIN, "get"),
    "sectioning:group_sheet": (_GROUP + "feuille.pdf", SCOLARITE, LOGIN, "get"),
}

REFUSAL = {
    "sectioning:stop": 405,
    "sectioning:publish": 405,
    "sectioning:group": 404,
    "sectioning:group_sheet": 404,
}


def build_world() -> dict[str, str]:
    run = SectioningRun.objects.create(
        year=2026, semester="A", status=SectioningRun.Status.READY, figures={}
    )
    offer = ue("SG41")
    taught = group(offer, "TD", "TD1", day=1, start=8, end=10)
    taught.teacher = PersonFactory(login="enseignant-matrice")
    taught.save()
    published = SectioningRun.objects.create(
        year=offer.year, semester="A", status=SectioningRun.Status.PUBLISHED, figures={}
    )
    GroupMembership.objects.create(run=published, student=student(), group=taught)
    return {"sectioning_run": str(run.uuid), "sectioning_group": str(taught.uuid)}
