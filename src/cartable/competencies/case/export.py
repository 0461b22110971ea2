"""A framework as a CASE 1.1 CFPackage (see the package docstring for the mapping)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.conf import settings

from ..models import Block, Competency, Framework, LearningOutcome, Level
from .common import (
    CASE_VERSION,
    CRITERION_CATEGORY,
    CRITERION_DESCRIPTION,
    EXTENSION,
    ITEM_TYPES,
    LANGUAGE,
    RUBRIC_TITLE,
    RUBRIC_TITLE_EN,
    Kind,
    child_association_id,
    criterion_id,
    item_type_id,
    object_uri,
    rubric_id,
    skill_level_association_id,
    stamp,
)


class _Writer:
    """Builds the parts of one framework's package."""

    def __init__(self, framework: Framework, base: str) -> None:
        self.framework = framework
        self.base = base
        self.when = stamp(framework.updated_at)
        self.items: list[dict[str, Any]] = []
        self.associations: list[dict[str, Any]] = []

    def uri(self, identifier: uuid.UUID) -> str:
        return object_uri(self.base, self.framework.uuid, identifier)

    def document_uri(self) -> str:
        return self.framework.uri or object_uri(self.base, self.framework.uuid)

    def link(self, title: str, identifier: uuid.UUID, uri: str) -> dict[str, str]:
        return {"title": title, "identifier": str(identifier), "uri": uri}

    def document(self) -> dict[str, Any]:
        fw = self.framework
        doc: dict[str, Any] = {
            "identifier": str(fw.uuid),
            "uri": self.document_uri(),
            "caseVersion": CASE_VERSION,
            "creator": fw.creator or settings.CARTABLE_ESTABLISHMENT_NAME,
            "title": fw.title,
            "lastChangeDateTime": self.when,
            "language": LANGUAGE,
        }
        if fw.description:
            doc["description"] = fw.description
        if fw.version:
            doc["version"] = fw.version
        own: dict[str, Any] = {"code": fw.code}
        if fw.diploma_code:
            own["diplomaCode"] = fw.diploma_code
        if fw.title_en:
            own["translations"] = {"en": {"title": fw.title_en}}
        doc["extensions"] = {EXTENSION: own}
        return doc

    def item(
        self,
        kind: Kind,
        identifier: uuid.UUID,
        *,
        code: str,
        statement: str,
        statement_en: str,
        notes: str,
        sequence: int,
    ) -> dict[str, Any]:
        type_title = ITEM_TYPES[kind][0]
        type_id = item_type_id(self.framework.uuid, kind)
        item: dict[str, Any] = {
            "identifier": str(identifier),
            "uri": self.uri(identifier),
            "fullStatement": statement,
            "humanCodingScheme": code,
            "listEnumeration": str(sequence),
            "CFItemType": type_title,
            "CFItemTypeURI": self.link(type_title, type_id, self.uri(type_id)),
            "language": LANGUAGE,
            "lastChangeDateTime": self.when,
        }
        if notes:
            item["notes"] = notes
        if statement_en:
            item["extensions"] = {
                EXTENSION: {"translations": {"en": {"fullStatement": statement_en}}}
            }
        self.items.append(item)
        return item

    def child_of(
        self, child: dict[str, Any], parent: dict[str, str], sequence: int
    ) -> dict[str, Any]:
        child_id = uuid.UUID(child["identifier"])
        identifier = child_association_id(self.framework.uuid, child_id)
        association = {
            "identifier": str(identifier),
            "associationType": "isChildOf",
            "sequenceNumber": sequence,
            "uri": self.uri(identifier),
            "originNodeURI": self.link(child["fullStatement"], child_id, child["uri"]),
            "destinationNodeURI": parent,
            "lastChangeDateTime": self.when,
        }
        self.associations.append(association)
        return association

    def skill_level(self, outcome: dict[str, Any], level: Level) -> None:
        outcome_id = uuid.UUID(outcome["identifier"])
        identifier = skill_level_association_id(self.framework.uuid, outcome_id)
        self.associations.append(
            {
                "identifier": str(identifier),
                "associationType": "hasSkillLevel",
                "uri": self.uri(identifier),
                "originNodeURI": self.link(outcome["fullStatement"], outcome_id, outcome["uri"]),
                "destinationNodeURI": self.link(level.label, level.uuid, self.uri(level.uuid)),
                "lastChangeDateTime": self.when,
            }
        )

    def rubric(self, levels: list[Level]) -> dict[str, Any]:
        fw_uuid = self.framework.uuid
        rubric, criterion = rubric_id(fw_uuid), criterion_id(fw_uuid)
        return {
            "identifier": str(rubric),
            "uri": self.uri(rubric),
            "title": RUBRIC_TITLE,
            "description": f"{RUBRIC_TITLE} — {self.framework.title}",
            "lastChangeDateTime": self.when,
            "extensions": {EXTENSION: {"translations": {"en": {"title": RUBRIC_TITLE_EN}}}},
            "CFRubricCriteria": [
                {
                    "identifier": str(criterion),
                    "uri": self.uri(criterion),
                    "category": CRITERION_CATEGORY,
                    "description": CRITERION_DESCRIPTION,
                    "position": 1,
                    "rubricId": str(rubric),
                    "lastChangeDateTime": self.when,
                    "CFRubricCriterionLevels": [self.level(lv, criterion) for lv in levels],
                }
            ],
        }

    def level(self, level: Level, criterion: uuid.UUID) -> dict[str, Any]:
        own: dict[str, Any] = {"code": level.code}
        if level.label_en:
            own["translations"] = {"en": {"quality": level.label_en}}
        row: dict[str, Any] = {
            "identifier": str(level.uuid),
            "uri": self.uri(level.uuid),
            "quality": level.label,
            "score": level.rank,
            "position": level.rank,
            "rubricCriterionId": str(criterion),
            "lastChangeDateTime": self.when,
            "extensions": [{EXTENSION: own}],
        }
        if level.descriptor:
            row["description"] = level.descriptor
        return row

    def definitions(self) -> dict[str, Any]:
        types = []
        for kind, (title, title_en, hierarchy, description) in ITEM_TYPES.items():
            identifier = item_type_id(self.framework.uuid, kind)
            types.append(
                {
                    "identifier": str(identifier),
                    "uri": self.uri(identifier),
                    "title": title,
                    "description": description,
                    "hierarchyCode": hierarchy,
                    "typeCode": str(kind),
                    "lastChangeDateTime": self.when,
                    "extensions": {EXTENSION: {"translations": {"en": {"title": title_en}}}},
                }
            )
        return {"CFItemTypes": types}


def _tree(
    framework: Framework,
) -> tuple[
    list[Level],
    list[Block],
    dict[int, list[Competency]],
    dict[int, list[LearningOutcome]],
]:
    levels = list(Level.objects.filter(framework=framework).order_by("rank"))
    blocks = list(Block.objects.filter(framework=framework).order_by("position", "code"))
    competencies: dict[int, list[Competency]] = defaultdict(list)
    for competency in Competency.objects.filter(block__framework=framework).order_by(
        "position", "code"
    ):
        competencies[competency.block_id].append(competency)
    outcomes: dict[int, list[LearningOutcome]] = defaultdict(list)
    for outcome in (
        LearningOutcome.objects.filter(competency__block__framework=framework)
        .select_related("level")
        .order_by("position", "code")
    ):
        outcomes[outcome.competency_id].append(outcome)
    return levels, blocks, competencies, outcomes


def _sequence(positions: list[int]) -> list[int]:
    """The sequenceNumbers of siblings: their positions when these already order them (all
    distinct and positive, so that a re-import changes nothing), else 1, 2, 3…"""
    if all(p > 0 for p in positions) and len(set(positions)) == len(positions):
        return positions
    return list(range(1, len(positions) + 1))


def build_package(framework: Framework, *, base_uri: str) -> dict[str, Any]:
    """The CFPackage of a framework: five queries whatever its size."""
    writer = _Writer(framework, base_uri)
    document = writer.document()
    document_link = writer.link(framework.title, framework.uuid, writer.document_uri())
    levels, blocks, competencies, outcomes = _tree(framework)
    for b_seq, block in zip(_sequence([b.position for b in blocks]), blocks, strict=True):
        b_item = writer.item(
            Kind.BLOCK,
            block.uuid,
            code=block.code,
            statement=block.title,
            statement_en=block.title_en,
            notes=block.description,
            sequence=b_seq,
        )
        writer.child_of(b_item, document_link, b_seq)
        b_link = writer.link(block.title, block.uuid, b_item["uri"])
        siblings = competencies[block.pk]
        for c_seq, competency in zip(
            _sequence([c.position for c in siblings]), siblings, strict=True
        ):
            c_item = writer.item(
                Kind.COMPETENCY,
                competency.uuid,
                code=competency.code,
                statement=competency.title,
                statement_en=competency.title_en,
                notes=competency.description,
                sequence=c_seq,
            )
            writer.child_of(c_item, b_link, c_seq)
            c_link = writer.link(competency.title, competency.uuid, c_item["uri"])
            leaves = outcomes[competency.pk]
            for o_seq, outcome in zip(_sequence([o.position for o in leaves]), leaves, strict=True):
                o_item = writer.item(
                    Kind.OUTCOME,
                    outcome.uuid,
                    code=outcome.code,
                    statement=outcome.text,
                    statement_en=outcome.text_en,
                    notes="",
                    sequence=o_seq,
                )
                writer.child_of(o_item, c_link, o_seq)
                if outcome.level is not None:
                    writer.skill_level(o_item, outcome.level)
    package: dict[str, Any] = {
        "CFDocument": document,
        "CFItems": writer.items,
        "CFAssociations": writer.associations,
        "CFDefinitions": writer.definitions(),
    }
    if levels:
        package["CFRubrics"] = [writer.rubric(levels)]
    return package


def export_package(code: str, *, base_uri: str) -> dict[str, Any] | None:
    """The CFPackage of the framework ``code``, None when there is none."""
    framework = Framework.objects.filter(code=code).first()
    return build_package(framework, base_uri=base_uri) if framework else None
