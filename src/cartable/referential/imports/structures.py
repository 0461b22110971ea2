"""Structures: matched by ``code``. Bulk writes bypass ``Structure.save()``, so the
materialised ``path`` is computed here, for the file's rows and for every stored descendant of a
structure that moves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import groupby

from ..models import Campus, Structure
from .common import BATCH_SIZE, ensure_pks, unique_rows
from .fields import max_length
from .report import Counts, ErrorLog
from .rows import Row

TEXT_FIELDS = ("name", "name_en", "acronym", "kind")
UPDATE_FIELDS = ["name", "name_en", "acronym", "kind", "parent", "campus", "path"]


@dataclass
class StructurePlan:
    by_code: dict[str, Structure] = field(default_factory=dict)
    to_create: list[Structure] = field(default_factory=list)
    to_update: list[Structure] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


def compute_paths(parent_of: Mapping[str, str | None]) -> tuple[dict[str, str], set[str]]:
    """Materialised paths (``/ROOT/CHILD/``) of every code, and the codes on a cycle.

    Codes on a cycle, or below one, get no path."""
    paths: dict[str, str] = {}
    cyclic: set[str] = set()
    for code in parent_of:
        chain: list[str] = []
        current: str | None = code
        while current is not None and current not in paths and current not in cyclic:
            if current in chain:
                cyclic.update(chain[chain.index(current) :])
                break
            chain.append(current)
            current = parent_of.get(current)
        base = "/" if current is None else paths.get(current)
        for node in reversed(chain):
            if node in cyclic or base is None:
                base = None
                continue
            base = f"{base}{node}/"
            paths[node] = base
    return paths, cyclic


def _check_references(
    row: Row, known: set[str], campuses: Mapping[str, int], errors: ErrorLog
) -> None:
    parent = row.values.get("parent_code")
    if parent and parent not in known:
        errors.about(
            row.line,
            row.label("parent_code"),
            parent,
            (
                "structure parente inconnue (ni dans le fichier ni dans le référentiel)",
                "unknown parent structure (neither in the file nor in the referential)",
            ),
        )
    campus = row.values.get("campus_code")
    if campus and campus not in campuses:
        errors.about(
            row.line, row.label("campus_code"), campus, ("campus inconnu", "unknown campus")
        )


def _parents(
    existing: dict[str, Structure], rows: dict[str, Row], known: set[str]
) -> dict[str, str | None]:
    code_of = {s.pk: code for code, s in existing.items()}
    parent_of: dict[str, str | None] = {
        code: code_of.get(s.parent_id) if s.parent_id else None for code, s in existing.items()
    }
    for code, row in rows.items():
        if "parent_code" in row.values:
            parent = row.values["parent_code"]
            parent_of[code] = parent if parent in known else None
        elif code not in existing:
            parent_of[code] = None
    return parent_of


def _check_tree(
    rows: dict[str, Row],
    parent_of: Mapping[str, str | None],
    paths: Mapping[str, str],
    cyclic: set[str],
    errors: ErrorLog,
) -> None:
    limit = max_length(Structure, "path")
    for code in sorted(cyclic & rows.keys(), key=lambda c: rows[c].line):
        row = rows[code]
        errors.about(
            row.line,
            row.label("parent_code"),
            row.values.get("parent_code") or "",
            (
                "cycle : la structure deviendrait sa propre ancêtre",
                "cycle: the structure would become its own ancestor",
            ),
        )
    blamed: set[str] = set()
    for code, path in paths.items():
        if len(path) <= limit:
            continue
        culprit: str | None = code
        while culprit is not None and culprit not in rows:
            culprit = parent_of.get(culprit)
        if culprit is not None and culprit not in blamed:
            blamed.add(culprit)
            errors.about(
                rows[culprit].line,
                rows[culprit].label("code"),
                culprit,
                (
                    f"chemin trop long ({len(path)} caractères, {limit} au maximum) : {path}",
                    f"path too long ({len(path)} characters, at most {limit}): {path}",
                ),
            )


def _assign(structure: Structure, row: Row, campuses: Mapping[str, int]) -> bool:
    changed = False
    for name in TEXT_FIELDS:
        if name in row.values and getattr(structure, name) != row.values[name]:
            setattr(structure, name, row.values[name])
            changed = True
    if "campus_code" in row.values:
        code = row.values["campus_code"]
        campus_id = campuses.get(code) if code else None
        if structure.campus_id != campus_id:
            structure.campus_id = campus_id
            changed = True
    return changed


def _place(structure: Structure, parent: Structure | None, path: str) -> bool:
    """Set parent and path; True when either changes."""
    changed = False
    parent_pk = parent.pk if parent is not None else None
    if structure.parent_id != parent_pk or (parent is not None and parent.pk is None):
        structure.parent = parent
        changed = True
    if structure.path != path:
        structure.path = path
        changed = True
    return changed


def plan_structures(rows: list[Row], errors: ErrorLog) -> StructurePlan:
    """Check every row against the file and the referential; decide what to write."""
    plan = StructurePlan()
    existing = {s.code: s for s in Structure.objects.all()}
    campuses = dict(Campus.objects.values_list("code", "pk"))
    by_code = unique_rows(rows, "code", errors, ("code", "code"))
    known = existing.keys() | by_code.keys()
    for row in by_code.values():
        _check_references(row, known, campuses, errors)
    parent_of = _parents(existing, by_code, known)
    paths, cyclic = compute_paths(parent_of)
    _check_tree(by_code, parent_of, paths, cyclic, errors)

    plan.by_code = dict(existing)
    dirty: set[str] = set()
    for code, row in by_code.items():
        if code in existing:
            if _assign(existing[code], row, campuses):
                dirty.add(code)
            continue
        if row.missing("kind"):
            errors.about(
                row.line,
                row.label("kind"),
                "",
                (
                    "type obligatoire pour une nouvelle structure",
                    "kind required for a new structure",
                ),
            )
        structure = Structure(code=code, kind=row.values.get("kind", ""))
        _assign(structure, row, campuses)
        plan.by_code[code] = structure
        plan.to_create.append(structure)
    for code, structure in plan.by_code.items():
        if code not in paths:
            continue
        parent_code = parent_of.get(code)
        parent = plan.by_code[parent_code] if parent_code else None
        if _place(structure, parent, paths[code]) and code in existing:
            dirty.add(code)
    plan.to_update = [existing[code] for code in sorted(dirty)]
    plan.counts = Counts(
        created=len(plan.to_create),
        updated=len(dirty & by_code.keys()),
        unchanged=len(by_code.keys() & existing.keys() - dirty),
    )
    return plan


def apply_structures(plan: StructurePlan) -> None:
    """Create parents before children (by depth), then update moved or changed ones.

    A parent assigned before it was created gets its primary key copied into ``parent_id`` by
    Django's ``bulk_create``/``bulk_update`` (``_prepare_related_fields_for_save``)."""
    ordered = sorted(plan.to_create, key=lambda s: s.path.count("/"))
    for _depth, level in groupby(ordered, key=lambda s: s.path.count("/")):
        created = list(level)
        Structure.objects.bulk_create(created, batch_size=BATCH_SIZE)
        ensure_pks(Structure, created, "code")
    if plan.to_update:
        Structure.objects.bulk_update(plan.to_update, UPDATE_FIELDS, batch_size=BATCH_SIZE)
