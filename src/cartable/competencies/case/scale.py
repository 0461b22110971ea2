"""Reading the proficiency scale: one CFRubric with one CFRubricCriterion, whose levels
become the framework's levels (rank = position, else score, else order)."""

from __future__ import annotations

import uuid
from typing import Any

from ..models import Level
from .common import RUBRIC_TITLE
from .parsed import Checks, ParsedLevel, english, foreign_extensions, limit, norm, own

CRITERION_KEPT = {
    "identifier",
    "uri",
    "category",
    "description",
    "position",
    "rubricId",
    "lastChangeDateTime",
    "CFRubricCriterionLevels",
    "extensions",
}
LEVEL_KEPT = {
    "identifier",
    "uri",
    "description",
    "quality",
    "score",
    "position",
    "rubricCriterionId",
    "lastChangeDateTime",
    "extensions",
}


class ScaleReader(Checks):
    def levels(self, package: dict[str, Any], framework_title: str) -> list[ParsedLevel]:
        rubrics = package.get("CFRubrics", [])
        if not rubrics:
            return []
        if len(rubrics) > 1:
            self.log.error(
                "CFRubrics",
                "",
                "CFRubrics",
                f"{len(rubrics)} rubriques : Cartable tient une seule échelle de maîtrise par "
                "référentiel (une CFRubric avec un critère)",
                f"{len(rubrics)} rubrics: Cartable holds one proficiency scale per framework "
                "(one CFRubric with one criterion)",
            )
            return []
        rubric = rubrics[0]
        rubric_id = norm(rubric["identifier"])
        if rubric.get("title", RUBRIC_TITLE) != RUBRIC_TITLE:
            self.not_kept("CFRubrics[0]", rubric_id, ["title"])
        if rubric.get("description", "") not in ("", f"{RUBRIC_TITLE} — {framework_title}"):
            self.not_kept("CFRubrics[0]", rubric_id, ["description"])
        criteria = rubric.get("CFRubricCriteria", [])
        if len(criteria) != 1:
            self.log.error(
                "CFRubrics[0].CFRubricCriteria",
                rubric_id,
                "CFRubricCriteria",
                f"{len(criteria)} critères : l'échelle de maîtrise est une rubrique à un seul "
                "critère dont les niveaux sont ceux de l'échelle",
                f"{len(criteria)} criteria: the proficiency scale is a rubric with exactly one "
                "criterion whose levels are the scale's",
            )
            return []
        criterion = criteria[0]
        path = "CFRubrics[0].CFRubricCriteria[0]"
        self.not_kept(path, norm(criterion["identifier"]), sorted(set(criterion) - CRITERION_KEPT))
        levels = [
            self.level(f"{path}.CFRubricCriterionLevels[{k}]", k, row)
            for k, row in enumerate(criterion.get("CFRubricCriterionLevels", []))
        ]
        self.unique([(lv.rank, lv.path, str(lv.uuid)) for lv in levels], "position")
        self.unique([(lv.code, lv.path, str(lv.uuid)) for lv in levels], "code")
        return sorted(levels, key=lambda lv: lv.rank)

    def level(self, path: str, index: int, row: dict[str, Any]) -> ParsedLevel:
        ident = norm(row["identifier"])
        self.not_kept(path, ident, sorted(set(row) - LEVEL_KEPT))
        self.not_kept(f"{path}.extensions", ident, foreign_extensions(row.get("extensions", [])))
        position, score = row.get("position"), row.get("score")
        if isinstance(position, int) and position >= 1:
            rank = position
        elif isinstance(score, int | float) and score >= 1 and float(score).is_integer():
            rank = int(score)
        else:
            rank = index + 1
        if score is not None and score != rank:
            self.log.warning(
                path,
                ident,
                "score",
                f"score {score} non conservé : le rang du niveau est {rank}",
                f"score {score} not kept: the level's rank is {rank}",
            )
        label = str(row.get("quality", "")).strip()
        if not label:
            self.log.error(
                path,
                ident,
                "quality",
                "libellé du niveau manquant",
                "the level has no label (quality)",
            )
        ours = own(row.get("extensions", []))
        level = ParsedLevel(
            uuid=uuid.UUID(ident),
            rank=rank,
            code=str(ours.get("code", "") or f"N{rank}"),
            label=label,
            label_en=english(row.get("extensions", []), "quality"),
            descriptor=str(row.get("description", "")),
            path=path,
        )
        for name, value, most in (
            ("quality", level.label, limit(Level, "label")),
            ("code", level.code, limit(Level, "code")),
            ("extensions", level.label_en, limit(Level, "label_en")),
        ):
            self.too_long(path, ident, name, value, most)
        if level.rank > 1000:
            self.log.error(path, ident, "position", "rang trop grand", "rank too large")
        return level
