"""Making the database hold what a read package says: plan (no writes), then apply.

The package is the truth for its framework: what it holds is created or updated, what the
stored framework holds beyond it is deleted, unless something else still uses it (a UE offer's
contribution, a prerequisite), which is an error. Unchanged objects are not written, so that
importing the same package twice changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import router
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector

from cartable.core.errors import DomainError

from .. import rules
from ..models import Block, Competency, Framework, LearningOutcome, Level
from .common import Kind
from .parse import ParsedFramework, ParsedItem
from .report import CaseImportReport, Counts, IssueLog

FRAMEWORK_FIELDS = (
    "code",
    "title",
    "title_en",
    "description",
    "diploma_code",
    "version",
    "creator",
    "uri",
)
LEVEL_FIELDS = ("rank", "code", "label", "label_en", "descriptor")
BLOCK_FIELDS = ("code", "title", "title_en", "description", "position")
COMPETENCY_FIELDS = ("block_uuid", "code", "title", "title_en", "description", "position")
OUTCOME_FIELDS = ("competency_uuid", "level_uuid", "code", "text", "text_en", "position")
MODELS: dict[str, Any] = {
    "levels": Level,
    "blocks": Block,
    "competencies": Competency,
    "outcomes": LearningOutcome,
}
LABELS = {
    "levels": ("un niveau", "a level"),
    "blocks": ("un bloc", "a block"),
    "competencies": ("une compétence", "a competency"),
    "outcomes": ("un acquis d'apprentissage", "a learning outcome"),
}


@dataclass
class KindPlan:
    """What to do with one kind of object: wanted values by uuid, the stored rows."""

    wanted: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    paths: dict[uuid.UUID, str] = field(default_factory=dict)
    stored: dict[uuid.UUID, Any] = field(default_factory=dict)
    current: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)

    @property
    def to_create(self) -> list[uuid.UUID]:
        return [u for u in self.wanted if u not in self.stored]

    @property
    def to_update(self) -> list[uuid.UUID]:
        return [u for u in self.wanted if u in self.stored and self.current[u] != self.wanted[u]]

    @property
    def to_delete(self) -> list[uuid.UUID]:
        return [u for u in self.stored if u not in self.wanted]

    def counts(self) -> Counts:
        update = len(self.to_update)
        return Counts(
            created=len(self.to_create),
            updated=update,
            unchanged=len(self.wanted) - len(self.to_create) - update,
            deleted=len(self.to_delete),
        )


@dataclass
class Plan:
    parsed: ParsedFramework
    framework: Framework | None
    framework_values: dict[str, Any]
    kinds: dict[str, KindPlan]

    @property
    def framework_changed(self) -> bool:
        if self.framework is None:
            return True
        return any(getattr(self.framework, k) != v for k, v in self.framework_values.items())


def _values(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _level_values(parsed: ParsedFramework) -> dict[uuid.UUID, dict[str, Any]]:
    return {
        lv.uuid: {
            "rank": lv.rank,
            "code": lv.code,
            "label": lv.label,
            "label_en": lv.label_en,
            "descriptor": lv.descriptor,
        }
        for lv in parsed.levels
    }


def _item_values(item: ParsedItem) -> dict[str, Any]:
    if item.kind == Kind.BLOCK:
        return {
            "code": item.code,
            "title": item.title,
            "title_en": item.title_en,
            "description": item.description,
            "position": item.position,
        }
    if item.kind == Kind.COMPETENCY:
        return {
            "block_uuid": item.parent,
            "code": item.code,
            "title": item.title,
            "title_en": item.title_en,
            "description": item.description,
            "position": item.position,
        }
    return {
        "competency_uuid": item.parent,
        "level_uuid": item.level,
        "code": item.code,
        "text": item.title,
        "text_en": item.title_en,
        "position": item.position,
    }


KIND_NAMES = {Kind.BLOCK: "blocks", Kind.COMPETENCY: "competencies", Kind.OUTCOME: "outcomes"}


def _stored(framework: Framework | None) -> dict[str, KindPlan]:
    kinds = {name: KindPlan() for name in MODELS}
    if framework is None:
        return kinds
    rows: dict[str, Iterable[Any]] = {
        "levels": Level.objects.filter(framework=framework),
        "blocks": Block.objects.filter(framework=framework),
        "competencies": Competency.objects.filter(block__framework=framework).select_related(
            "block"
        ),
        "outcomes": LearningOutcome.objects.filter(
            competency__block__framework=framework
        ).select_related("competency", "level"),
    }
    for name, objects in rows.items():
        for obj in objects:
            kinds[name].stored[obj.uuid] = obj
            kinds[name].current[obj.uuid] = _current(name, obj)
    return kinds


def _current(name: str, obj: Any) -> dict[str, Any]:
    if name == "levels":
        return _values(obj, LEVEL_FIELDS)
    if name == "blocks":
        return _values(obj, BLOCK_FIELDS)
    if name == "competencies":
        return {"block_uuid": obj.block.uuid, **_values(obj, COMPETENCY_FIELDS[1:])}
    return {
        "competency_uuid": obj.competency.uuid,
        "level_uuid": obj.level.uuid if obj.level else None,
        **_values(obj, OUTCOME_FIELDS[2:]),
    }


def _resolve_code(
    parsed: ParsedFramework, existing: Framework | None, code: str, log: IssueLog
) -> str:
    chosen = code or parsed.code or (existing.code if existing else "")
    chosen = chosen or rules.code_from_title(parsed.title)
    try:
        rules.check_framework_code(chosen)
    except DomainError as exc:
        log.error("CFDocument.extensions", str(parsed.uuid), "code", exc.message_fr, exc.message_en)
        return chosen
    other = Framework.objects.filter(code=chosen).exclude(uuid=parsed.uuid).first()
    if other is not None:
        log.error(
            "CFDocument",
            str(parsed.uuid),
            "code",
            f"le code « {chosen} » est déjà celui d'un autre référentiel ({other.uuid}) : "
            "choisissez un autre code",
            f"the code '{chosen}' already belongs to another framework ({other.uuid}): "
            "choose another code",
        )
    return chosen


def _check_identifiers(plan: Plan, log: IssueLog) -> None:
    """A package's identifiers must not belong to another framework or to another kind."""
    wanted = {u: name for name, kind in plan.kinds.items() for u in kind.wanted}
    own = plan.framework.pk if plan.framework else None
    for name, model in MODELS.items():
        owner = (
            "framework_id"
            if name in ("levels", "blocks")
            else (
                "block__framework_id"
                if name == "competencies"
                else "competency__block__framework_id"
            )
        )
        for found, framework_id in model.objects.filter(uuid__in=list(wanted)).values_list(
            "uuid", owner
        ):
            if framework_id == own and wanted[found] == name:
                continue
            fr, en = LABELS[name]
            log.error(
                plan.kinds[wanted[found]].paths.get(found, ""),
                str(found),
                "identifier",
                f"identifiant déjà utilisé par {fr} d'un autre référentiel ou d'un autre type",
                f"identifier already used by {en} of another framework or of another type",
            )


def _check_deletions(plan: Plan, log: IssueLog) -> None:
    """What the package drops must not be used elsewhere (UE offers, prerequisites…)."""
    for name in ("levels", "competencies"):
        kind = plan.kinds[name]
        for gone in kind.to_delete:
            obj = kind.stored[gone]
            collector = Collector(using=router.db_for_write(type(obj)))
            try:
                collector.collect([obj])
            except (ProtectedError, RestrictedError) as exc:
                users = (
                    exc.protected_objects
                    if isinstance(exc, ProtectedError)
                    else exc.restricted_objects
                )
                fr, en = LABELS[name]
                log.error(
                    "CFRubrics" if name == "levels" else "CFItems",
                    str(gone),
                    "identifier",
                    f"{fr} absent du paquet ({obj.code}) ne peut être supprimé : "
                    f"{len(users)} objet(s) l'utilisent encore (contributions d'UE, prérequis)",
                    f"{en} missing from the package ({obj.code}) cannot be deleted: "
                    f"{len(users)} object(s) still use it (UE contributions, prerequisites)",
                )


def _creator(parsed: ParsedFramework, existing: Framework | None) -> str:
    """The export writes the establishment for an empty creator: reading it back keeps it
    empty, so that importing one's own export changes nothing."""
    own_default = parsed.creator == settings.CARTABLE_ESTABLISHMENT_NAME
    if existing is not None and not existing.creator and own_default:
        return ""
    return parsed.creator


def make_plan(parsed: ParsedFramework, *, code: str, diploma_code: str, log: IssueLog) -> Plan:
    existing = Framework.objects.filter(uuid=parsed.uuid).first()
    values = {
        "code": _resolve_code(parsed, existing, code, log),
        "title": parsed.title,
        "title_en": parsed.title_en,
        "description": parsed.description,
        "diploma_code": diploma_code
        or parsed.diploma_code
        or (existing.diploma_code if existing else ""),
        "version": parsed.version,
        "creator": _creator(parsed, existing),
        "uri": parsed.uri,
    }
    if len(values["diploma_code"]) > 40:
        log.error("CFDocument.extensions", str(parsed.uuid), "diplomaCode", "trop long", "too long")
    kinds = _stored(existing)
    kinds["levels"].wanted = _level_values(parsed)
    kinds["levels"].paths = {lv.uuid: lv.path for lv in parsed.levels}
    for item in parsed.items:
        kind = kinds[KIND_NAMES[item.kind]]
        kind.wanted[item.uuid] = _item_values(item)
        kind.paths[item.uuid] = item.path
    plan = Plan(parsed, existing, values, kinds)
    _check_identifiers(plan, log)
    _check_deletions(plan, log)
    return plan


def count(plan: Plan, report: CaseImportReport) -> None:
    report.framework_code = plan.framework_values["code"]
    report.framework_uuid = str(plan.parsed.uuid)
    report.framework_title = plan.parsed.title
    changed = plan.framework_changed
    report.counts["frameworks"] = Counts(
        created=int(plan.framework is None),
        updated=int(plan.framework is not None and changed),
        unchanged=int(plan.framework is not None and not changed),
    )
    for name, kind in plan.kinds.items():
        report.counts[name] = kind.counts()


# -- apply ----------------------------------------------------------------------------------


def _free(kind: KindPlan, unique: tuple[str, ...], temporary: Any) -> None:
    """Give a temporary value to unique fields of rows that change them or go, so that
    swaps (B1 ↔ B2, rank 1 ↔ 2) never meet a uniqueness constraint half-way."""
    moving = [
        u
        for u in kind.stored
        if u not in kind.wanted or any(kind.current[u][f] != kind.wanted[u][f] for f in unique)
    ]
    for index, obj in enumerate(kind.stored[u] for u in moving):
        values = temporary(obj, index)
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(values))


def _upsert(
    kind: KindPlan, model: Any, fixed: dict[str, Any], resolve: Any
) -> dict[uuid.UUID, Model]:
    saved: dict[uuid.UUID, Model] = dict(kind.stored)
    for u in kind.to_create + kind.to_update:
        obj = kind.stored.get(u) or model(uuid=u, **fixed)
        for name, value in resolve(kind.wanted[u]).items():
            setattr(obj, name, value)
        obj.save()
        saved[u] = obj
    return saved


def apply(plan: Plan) -> Framework:
    """Write the plan (the caller holds the transaction)."""
    framework = plan.framework or Framework(uuid=plan.parsed.uuid)
    touched = plan.framework_changed or any(
        kind.to_create or kind.to_update or kind.to_delete for kind in plan.kinds.values()
    )
    if not touched:
        return framework
    for name, value in plan.framework_values.items():
        setattr(framework, name, value)
    framework.save()
    k = plan.kinds
    _free(k["levels"], ("rank", "code"), lambda o, i: {"rank": 30000 + i, "code": f"~{i}"})
    Level.objects.filter(uuid__in=k["levels"].to_delete).delete()
    levels = _upsert(k["levels"], Level, {"framework": framework}, lambda v: v)
    _free(k["blocks"], ("code",), lambda o, i: {"code": f"~{o.pk}"})
    blocks = _upsert(k["blocks"], Block, {"framework": framework}, lambda v: v)
    _free(k["competencies"], ("code", "block_uuid"), lambda o, i: {"code": f"~{o.pk}"})
    competencies = _upsert(
        k["competencies"],
        Competency,
        {},
        lambda v: {**{n: v[n] for n in COMPETENCY_FIELDS[1:]}, "block": blocks[v["block_uuid"]]},
    )
    _free(k["outcomes"], ("code", "competency_uuid"), lambda o, i: {"code": f"~{o.pk}"})
    _upsert(
        k["outcomes"],
        LearningOutcome,
        {},
        lambda v: {
            **{n: v[n] for n in OUTCOME_FIELDS[2:]},
            "competency": competencies[v["competency_uuid"]],
            "level": levels[v["level_uuid"]] if v["level_uuid"] else None,
        },
    )
    LearningOutcome.objects.filter(uuid__in=k["outcomes"].to_delete).delete()
    Competency.objects.filter(uuid__in=k["competencies"].to_delete).delete()
    Block.objects.filter(uuid__in=k["blocks"].to_delete).delete()
    Framework.objects.filter(pk=framework.pk).update(updated_at=plan.parsed.changed_at)
    framework.refresh_from_db()
    return framework
