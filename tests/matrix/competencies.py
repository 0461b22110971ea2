"""Competency frameworks (public reading, editing by scolarité, programme heads and DSIN, CASE
exchange) and the programmes' competency maps (gap report for programme heads, scolarité and
direction)."""

from __future__ import annotations

from tests.catalogue.factories import (
    ContributionFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
)
from tests.competencies.factories import (
    BlockFactory,
    CompetencyFactory,
    FrameworkFactory,
    LearningOutcomeFactory,
    scale,
)

from . import EVERYONE, LOGIN, NOBODY, Row

EDITORS = frozenset({"scolarite", "programme_head", "dsin_admin"})
GAP_READERS = frozenset({"programme_head", "scolarite", "direction"})
FW = "/competences/{cmp_framework}"
MAP = "/catalogue/formations/{cmp_programme}/{cmp_year}/competences/"

MATRIX: dict[str, Row] = {
    "competencies:frameworks": ("/competences/", EVERYONE, 200, "get"),
    "competencies:framework_new": ("/competences/nouveau/", EDITORS, LOGIN, "get"),
    "competencies:case_import": ("/competences/import/", EDITORS, LOGIN, "get"),
    "competencies:case_document": (
        "/competences/case/{cmp_framework_uuid}/",
        EVERYONE,
        200,
        "get",
    ),
    "competencies:case_object": (
        "/competences/case/{cmp_framework_uuid}/{cmp_block}/",
        EVERYONE,
        200,
        "get",
    ),
    "competencies:framework": (FW + "/", EVERYONE, 200, "get"),
    "competencies:framework_edit": (FW + "/modifier/", EDITORS, LOGIN, "get"),
    "competencies:case_download": (FW + "/case.json", EVERYONE, 200, "get"),
    "competencies:level_new": (FW + "/niveaux/nouveau/", EDITORS, LOGIN, "get"),
    "competencies:level_edit": (FW + "/niveaux/{cmp_level}/", EDITORS, LOGIN, "get"),
    "competencies:block_new": (FW + "/blocs/nouveau/", EDITORS, LOGIN, "get"),
    "competencies:block_edit": (FW + "/blocs/{cmp_block}/", EDITORS, LOGIN, "get"),
    "competencies:competency_new": (
        FW + "/blocs/{cmp_block}/competences/nouvelle/",
        EDITORS,
        LOGIN,
        "get",
    ),
    "competencies:competency_edit": (
        FW + "/competences/{cmp_competency}/",
        EDITORS,
        LOGIN,
        "get",
    ),
    "competencies:outcome_new": (
        FW + "/competences/{cmp_competency}/acquis/nouveau/",
        EDITORS,
        LOGIN,
        "get",
    ),
    "competencies:outcome_edit": (FW + "/acquis/{cmp_outcome}/", EDITORS, LOGIN, "get"),
    "competencies:delete": (FW + "/acquis/{cmp_outcome}/supprimer/", NOBODY, 405, "get"),
    "catalogue:competency_map": (MAP, EVERYONE, 200, "get"),
    "catalogue:competency_gaps_csv": (MAP + "ecarts.csv", GAP_READERS, LOGIN, "get"),
}

REFUSAL = {
    "competencies:delete": 405,  # POST only
}


def build_world() -> dict[str, str]:
    framework = FrameworkFactory(code="cmp-matrix", title="Référentiel de la matrice")
    levels = scale(framework, 3)
    block = BlockFactory(framework=framework, code="RNCP99999BC01")
    competency = CompetencyFactory(block=block, code="C1")
    outcome = LearningOutcomeFactory(competency=competency, level=levels[0])
    programme = ProgrammeFactory(code="cmp-info", framework=framework)
    link = OfferProgrammeFactory(programme=programme, offer__year=programme.year)
    ContributionFactory(offer=link.offer, competency=competency, level=levels[1])
    return {
        "cmp_framework": framework.code,
        "cmp_framework_uuid": str(framework.uuid),
        "cmp_level": str(levels[0].uuid),
        "cmp_block": str(block.uuid),
        "cmp_competency": str(competency.uuid),
        "cmp_outcome": str(outcome.uuid),
        "cmp_programme": programme.code,
        "cmp_year": str(programme.year),
    }
