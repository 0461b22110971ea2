"""Named, audited writes of the competency frameworks."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils import timezone

from cartable.core import audit
from cartable.core.errors import DomainError

from . import case, rules
from .models import Block, Competency, Framework, LearningOutcome, Level
from .rules import BlockFields, CompetencyFields, FrameworkFields, LevelFields, OutcomeFields


def _others(rows: Any, obj: Model | None) -> Any:
    """``rows`` without ``obj`` (the object being edited, None when creating)."""
    return rows.exclude(pk=obj.pk) if obj is not None else rows


def _touch(framework: Framework) -> None:
    """The framework changed (its CASE lastChangeDateTime follows)."""
    Framework.objects.filter(pk=framework.pk).update(updated_at=timezone.now())


def _taken(field: str, value: object) -> DomainError:
    return DomainError(
        field,
        f"« {value} » est déjà pris dans ce référentiel.",
        f"'{value}' is already used in this framework.",
    )


def _record(action: str, obj: Any, kind: str, detail: dict[str, Any], acting_user: Any) -> None:
    audit.record(
        f"competencies.{kind}.{action}",
        actor=acting_user,
        object_type=kind,
        object_ref=str(obj.uuid),
        detail=detail,
    )


# -- frameworks -----------------------------------------------------------------------------


def _check_framework(fields: FrameworkFields, framework_uuid: uuid.UUID | None) -> None:
    rules.check_framework(fields)
    same_code = Framework.objects.filter(code=fields.code)
    if framework_uuid is not None:
        same_code = same_code.exclude(uuid=framework_uuid)
    if same_code.exists():
        raise _taken("code", fields.code)


@transaction.atomic
def do_create_framework(fields: FrameworkFields, *, acting_user: Any) -> Framework:
    _check_framework(fields, None)
    framework = Framework.objects.create(**asdict(fields))
    _record("create", framework, "framework", asdict(fields), acting_user)
    return framework


@transaction.atomic
def do_update_framework(code: str, fields: FrameworkFields, *, acting_user: Any) -> Framework:
    framework = Framework.objects.select_for_update().get(code=code)
    _check_framework(fields, framework.uuid)
    for name, value in asdict(fields).items():
        setattr(framework, name, value)
    framework.save()
    _record("update", framework, "framework", {"code": code, **asdict(fields)}, acting_user)
    return framework


# -- levels ---------------------------------------------------------------------------------


def _check_level(framework: Framework, fields: LevelFields, level: Level | None) -> None:
    rules.check_level(fields)
    others = _others(Level.objects.filter(framework=framework), level)
    if others.filter(rank=fields.rank).exists():
        raise _taken("rank", fields.rank)
    if others.filter(code=fields.code).exists():
        raise _taken("code", fields.code)


@transaction.atomic
def do_create_level(framework_code: str, fields: LevelFields, *, acting_user: Any) -> Level:
    framework = Framework.objects.select_for_update().get(code=framework_code)
    _check_level(framework, fields, None)
    level = Level.objects.create(framework=framework, **asdict(fields))
    _touch(framework)
    _record("create", level, "level", {"framework": framework_code, **asdict(fields)}, acting_user)
    return level


@transaction.atomic
def do_update_level(level_uuid: uuid.UUID, fields: LevelFields, *, acting_user: Any) -> Level:
    level = Level.objects.select_for_update().select_related("framework").get(uuid=level_uuid)
    _check_level(level.framework, fields, level)
    for name, value in asdict(fields).items():
        setattr(level, name, value)
    level.save()
    _touch(level.framework)
    _record("update", level, "level", asdict(fields), acting_user)
    return level


# -- blocks ---------------------------------------------------------------------------------


def _check_block(framework: Framework, fields: BlockFields, block: Block | None) -> None:
    rules.check_block(fields)
    others = _others(Block.objects.filter(framework=framework), block)
    if others.filter(code=fields.code).exists():
        raise _taken("code", fields.code)


@transaction.atomic
def do_create_block(framework_code: str, fields: BlockFields, *, acting_user: Any) -> Block:
    framework = Framework.objects.select_for_update().get(code=framework_code)
    _check_block(framework, fields, None)
    block = Block.objects.create(framework=framework, **asdict(fields))
    _touch(framework)
    _record("create", block, "block", {"framework": framework_code, **asdict(fields)}, acting_user)
    return block


@transaction.atomic
def do_update_block(block_uuid: uuid.UUID, fields: BlockFields, *, acting_user: Any) -> Block:
    block = Block.objects.select_for_update().select_related("framework").get(uuid=block_uuid)
    _check_block(block.framework, fields, block)
    for name, value in asdict(fields).items():
        setattr(block, name, value)
    block.save()
    _touch(block.framework)
    _record("update", block, "block", asdict(fields), acting_user)
    return block


# -- competencies ---------------------------------------------------------------------------


def _check_competency(
    block: Block, fields: CompetencyFields, competency: Competency | None
) -> None:
    rules.check_competency(fields)
    others = _others(Competency.objects.filter(block=block), competency)
    if others.filter(code=fields.code).exists():
        raise _taken("code", fields.code)


@transaction.atomic
def do_create_competency(
    block_uuid: uuid.UUID, fields: CompetencyFields, *, acting_user: Any
) -> Competency:
    block = Block.objects.select_for_update().select_related("framework").get(uuid=block_uuid)
    _check_competency(block, fields, None)
    competency = Competency.objects.create(block=block, **asdict(fields))
    _touch(block.framework)
    detail = {"block": str(block.uuid), **asdict(fields)}
    _record("create", competency, "competency", detail, acting_user)
    return competency


@transaction.atomic
def do_update_competency(
    competency_uuid: uuid.UUID, fields: CompetencyFields, *, acting_user: Any
) -> Competency:
    competency = (
        Competency.objects.select_for_update()
        .select_related("block__framework")
        .get(uuid=competency_uuid)
    )
    _check_competency(competency.block, fields, competency)
    for name, value in asdict(fields).items():
        setattr(competency, name, value)
    competency.save()
    _touch(competency.block.framework)
    _record("update", competency, "competency", asdict(fields), acting_user)
    return competency


# -- learning outcomes ----------------------------------------------------------------------


def _outcome_values(
    competency: Competency, fields: OutcomeFields, outcome: LearningOutcome | None
) -> dict[str, Any]:
    rules.check_outcome(fields)
    others = _others(LearningOutcome.objects.filter(competency=competency), outcome)
    if others.filter(code=fields.code).exists():
        raise _taken("code", fields.code)
    level = None
    if fields.level_rank is not None:
        level = Level.objects.filter(
            framework_id=competency.block.framework_id, rank=fields.level_rank
        ).first()
        if level is None:
            raise DomainError(
                "level_rank",
                f"Le niveau {fields.level_rank} n'existe pas dans l'échelle du référentiel.",
                f"Level {fields.level_rank} is not in the framework's scale.",
            )
    values = asdict(fields)
    del values["level_rank"]
    return {**values, "level": level}


@transaction.atomic
def do_create_outcome(
    competency_uuid: uuid.UUID, fields: OutcomeFields, *, acting_user: Any
) -> LearningOutcome:
    competency = (
        Competency.objects.select_for_update()
        .select_related("block__framework")
        .get(uuid=competency_uuid)
    )
    values = _outcome_values(competency, fields, None)
    outcome = LearningOutcome.objects.create(competency=competency, **values)
    _touch(competency.block.framework)
    detail = {"competency": str(competency.uuid), **asdict(fields)}
    _record("create", outcome, "outcome", detail, acting_user)
    return outcome


@transaction.atomic
def do_update_outcome(
    outcome_uuid: uuid.UUID, fields: OutcomeFields, *, acting_user: Any
) -> LearningOutcome:
    outcome = (
        LearningOutcome.objects.select_for_update()
        .select_related("competency__block__framework")
        .get(uuid=outcome_uuid)
    )
    for name, value in _outcome_values(outcome.competency, fields, outcome).items():
        setattr(outcome, name, value)
    outcome.save()
    _touch(outcome.competency.block.framework)
    _record("update", outcome, "outcome", asdict(fields), acting_user)
    return outcome


# -- deletion -------------------------------------------------------------------------------

DELETABLE: dict[str, tuple[Any, str]] = {
    "level": (Level, "framework"),
    "block": (Block, "framework"),
    "competency": (Competency, "block__framework"),
    "outcome": (LearningOutcome, "competency__block__framework"),
}


@transaction.atomic
def do_delete(kind: str, object_uuid: uuid.UUID, *, acting_user: Any) -> str:
    """Delete a level, a block (with its competencies), a competency (with its outcomes) or
    an outcome; refused while a UE offer or a prerequisite uses it. Answers the framework's
    code."""
    model, path = DELETABLE[kind]
    obj: Model = model.objects.select_related(path).get(uuid=object_uuid)
    owner: Any = obj
    for step in path.split("__"):
        owner = getattr(owner, step)
    framework: Framework = owner
    try:
        obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise DomainError(
            kind,
            "Suppression impossible : des UE ou des prérequis l'utilisent encore.",
            "Cannot delete: UE offers or prerequisites still use it.",
        ) from exc
    _touch(framework)
    detail = {"framework": framework.code, "code": getattr(obj, "code", "")}
    audit.record(
        f"competencies.{kind}.delete",
        actor=acting_user,
        object_type=kind,
        object_ref=str(object_uuid),
        detail=detail,
    )
    return framework.code


# -- CASE import ----------------------------------------------------------------------------


@transaction.atomic
def do_import_case(
    content: str | bytes | dict[str, Any],
    *,
    dry_run: bool,
    base_uri: str,
    code: str = "",
    diploma_code: str = "",
    acting_user: Any,
) -> case.CaseImportReport:
    """Import a CASE CFPackage (all or nothing; nothing in a dry run), journaled when written."""
    report = case.import_package(
        content, dry_run=dry_run, base_uri=base_uri, code=code, diploma_code=diploma_code
    )
    if report.committed:
        audit.record(
            "competencies.framework.import",
            actor=acting_user,
            object_type="framework",
            object_ref=report.framework_uuid,
            detail={
                "code": report.framework_code,
                "counts": {k: c.as_dict() for k, c in report.counts.items()},
                "warnings": len(report.warnings),
            },
        )
    return report
