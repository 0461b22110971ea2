"""Helpers shared by the planners of every table: matching rows to stored objects by natural
key, comparing and assigning values, resolving references, counting."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from django.db import models

from .records import Record, Scope
from .report import Counts, ErrorLog
from .schema import TABLES
from .state import State

M = TypeVar("M", bound=models.Model)
NOT_GIVEN: Any = object()  # the column is absent: leave the stored value alone
BROKEN: Any = object()  # the reference could not be resolved (an error was recorded)

Reason = tuple[str, str]
UNKNOWN_IN_FILE = ("ni dans le fichier ni dans la base", "neither in the file nor in the database")


def unknown(what: Reason, where: Reason = UNKNOWN_IN_FILE) -> Reason:
    return (f"{what[0]} inconnu(e) ({where[0]})", f"unknown {what[1]} ({where[1]})")


def key_text(key: Any) -> str:
    if not isinstance(key, tuple):
        return str(key)
    return "/".join(key_text(part) if isinstance(part, tuple) else str(part or "") for part in key)


class Planner:
    """Plans one import: every check, every decision, no write."""

    def __init__(
        self,
        state: State,
        errors: ErrorLog,
        counts: Callable[[str], Counts],
        scopes: Mapping[str, dict[tuple[Any, ...], Scope]],
    ) -> None:
        self.state = state
        self.errors = errors
        self.counts = counts
        self._scopes = scopes
        #: (table, key) of rows already reported as unusable: their children are not reported.
        self.broken: set[tuple[str, Any]] = set()

    def scopes(self, table: str) -> dict[tuple[Any, ...], Scope]:
        """Parents whose list of ``table`` children the file gives in full."""
        return self._scopes.get(table, {})

    def error(self, record: Record, name: str, value: object, reason: Reason) -> None:
        self.errors.about(record.section, record.line, record.label(name), value, reason)

    def unique(
        self, records: list[Record], key: Callable[[Record], Any]
    ) -> list[tuple[Record, Any]]:
        """Records with their key (None: already reported); a key seen twice is an error on
        the later record."""
        seen: dict[Any, Record] = {}
        found = []
        for record in records:
            value = key(record)
            if value is None:
                continue
            if value in seen:
                first = seen[value]
                place = f"{first.section} {first.line}"
                name = TABLES[record.table].key[-1]
                self.error(
                    record,
                    name,
                    key_text(value),
                    (f"ligne en double (déjà en {place})", f"duplicate row (already at {place})"),
                )
                continue
            seen[value] = record
            found.append((record, value))
        return found

    def creatable(self, record: Record) -> bool:
        """A row that creates an object gives every column a creation needs."""
        ok = True
        for column in TABLES[record.table].columns:
            if column.on_create and record.missing(column.name):
                ok = False
                self.error(
                    record,
                    column.name,
                    "",
                    (
                        "valeur obligatoire pour créer cet objet",
                        "value required to create this object",
                    ),
                )
        return ok and not record.failed

    def ref(
        self, record: Record, name: str, known: Mapping[Any, Any], what: Reason, where: Reason
    ) -> Any:
        """The object or primary key a column names; None when emptied; NOT_GIVEN; BROKEN."""
        if name not in record.values:
            return NOT_GIVEN
        value = record.values[name]
        if value is None:
            return None
        target = known.get(value)
        if target is None:
            self.error(record, name, value, unknown(what, where))
            return BROKEN
        return target


def set_value(obj: models.Model, name: str, value: Any, changed: set[str]) -> None:
    if getattr(obj, name) != value:
        setattr(obj, name, value)
        changed.add(name)


def set_plain(obj: models.Model, record: Record, names: tuple[str, ...], changed: set[str]) -> None:
    """Columns stored as they are read, under the same name."""
    for name in names:
        if name in record.values:
            set_value(obj, name, record.values[name], changed)


def set_relation(obj: models.Model, name: str, target: Any, changed: set[str]) -> None:
    """Point ``obj.name`` at ``target``: a model instance (maybe not saved yet), a primary
    key, or None. NOT_GIVEN and BROKEN change nothing."""
    if target is NOT_GIVEN or target is BROKEN:
        return
    attname = obj._meta.get_field(name).attname  # type: ignore[union-attr]
    if isinstance(target, models.Model):
        if target.pk is None or getattr(obj, attname) != target.pk:
            setattr(obj, name, target)
            changed.add(name)
    elif getattr(obj, attname) != target:
        setattr(obj, attname, target)
        changed.add(name)


def plan_rows(
    planner: Planner,
    table: str,
    records: list[Record],
    existing: dict[Any, M],
    make: Callable[[Record], M],
    assign: Callable[[M, Record, set[str]], None],
    veto: Callable[[M, Record, set[str]], bool] | None = None,
    key: Callable[[Record], Any] = Record.key,
) -> None:
    """Create what is missing, update what differs, count what is equal.

    Every row is matched first, so that a row may refer to another row of the same table
    further down (``existing`` gains the new objects), then assigned; ``veto`` sees the final
    state of the table and may refuse an update (it records why)."""
    counts = planner.counts(table)
    changes = planner.state.changes_of(table)
    matched: list[tuple[Record, M, bool]] = []
    for record, found in planner.unique(records, key):
        obj = existing.get(found)
        if obj is None:
            complete = planner.creatable(record)
            obj = make(record)
            # Known even when it cannot be created, so that rows referring to it are not
            # reported too: nothing is written once there is an error.
            existing[found] = obj
            if complete:
                matched.append((record, obj, True))
            continue
        matched.append((record, obj, False))
    assigned: list[tuple[Record, M, bool, set[str]]] = []
    for record, obj, created in matched:
        changed: set[str] = set()
        assign(obj, record, changed)
        assigned.append((record, obj, created, changed))
    for record, obj, created, changed in assigned:
        if created:
            changes.create.append(obj)
            counts.created += 1
        elif not changed:
            counts.unchanged += 1
        elif veto is None or not veto(obj, record, changed):
            changes.update.append((obj, frozenset(changed)))
            counts.updated += 1


Stored = list[tuple[tuple[Any, ...], tuple[Any, ...] | None, M]]


class ChildPlan(Generic[M]):
    """Plans a child table: rows are matched by (parent key, child key) to the stored
    ``(parent key, child key or None, object)``; the stored children of every parent whose list
    the file gives in full, and that the file does not list, are removed.

    ``frozen(parent key)`` tells why a parent's children may not change (a published offer)."""

    def __init__(
        self,
        planner: Planner,
        table: str,
        parents: Mapping[tuple[Any, ...], Any],
        frozen: Callable[[tuple[Any, ...]], Reason | None],
    ) -> None:
        self.planner = planner
        self.table = TABLES[table]
        self.parents = parents
        self.frozen = frozen
        self.counts = planner.counts(table)
        self.changes = planner.state.changes_of(table)
        self.by_parent: dict[tuple[Any, ...], dict[Any, M]] = {}
        self.doubles: dict[tuple[Any, ...], list[M]] = {}
        self.listed: set[tuple[Any, ...]] = set()

    @property
    def parent_label(self) -> str:
        return self.table.parent_columns[-1]

    def index(self, stored: Stored[M]) -> None:
        for parent_key, key, obj in stored:
            children = self.by_parent.setdefault(parent_key, {})
            if key is None or key in children:
                self.doubles.setdefault(parent_key, []).append(obj)
            else:
                children[key] = obj

    def full_key(
        self, record: Record, child_key: Callable[[Record], tuple[Any, ...] | None]
    ) -> tuple[Any, ...] | None:
        parent_key = record.parent_key()
        if (self.table.parent, parent_key) in self.planner.broken:
            return None
        if parent_key not in self.parents:
            name = self.table.parent or ""
            what = (f"parent ({name})", f"parent ({name})")
            self.planner.error(record, self.parent_label, key_text(parent_key), unknown(what))
            return None
        key = child_key(record)
        return None if key is None else (parent_key, key)

    def create(
        self,
        record: Record,
        parent_key: tuple[Any, ...],
        make: Callable[[Record, Any], M],
        assign: Callable[[M, Record, set[str]], None],
    ) -> None:
        if not self.planner.creatable(record):
            return
        if (reason := self.frozen(parent_key)) is not None:
            self.planner.error(record, self.parent_label, key_text(parent_key), reason)
            return
        obj = make(record, self.parents[parent_key])
        assign(obj, record, set())
        self.changes.create.append(obj)
        self.counts.created += 1

    def update(
        self,
        record: Record,
        parent_key: tuple[Any, ...],
        obj: M,
        assign: Callable[[M, Record, set[str]], None],
    ) -> None:
        changed: set[str] = set()
        assign(obj, record, changed)
        if not changed:
            self.counts.unchanged += 1
        elif (reason := self.frozen(parent_key)) is not None:
            self.planner.error(record, sorted(changed)[0], "", reason)
        else:
            self.changes.update.append((obj, frozenset(changed)))
            self.counts.updated += 1

    def remove_unlisted(self) -> None:
        for parent_key, scope in self.planner.scopes(self.table.name).items():
            gone = [
                obj
                for key, obj in self.by_parent.get(parent_key, {}).items()
                if (parent_key, key) not in self.listed
            ]
            gone += self.doubles.get(parent_key, [])
            if not gone:
                continue
            reason = self.frozen(parent_key)
            if reason is not None:
                self.planner.errors.about(
                    scope.record.section,
                    scope.record.line,
                    scope.field,
                    len(gone),
                    (
                        f"{reason[0]} ({len(gone)} à retirer)",
                        f"{reason[1]} ({len(gone)} to remove)",
                    ),
                )
                continue
            self.changes.delete.extend(obj.pk for obj in gone)
            self.counts.deleted += len(gone)


def plan_children(
    planner: Planner,
    table: str,
    records: list[Record],
    stored: Stored[M],
    parents: Mapping[tuple[Any, ...], Any],
    child_key: Callable[[Record], tuple[Any, ...] | None],
    make: Callable[[Record, Any], M],
    assign: Callable[[M, Record, set[str]], None],
    frozen: Callable[[tuple[Any, ...]], Reason | None] = lambda key: None,
) -> None:
    """Plan a child table (see :class:`ChildPlan`)."""
    plan: ChildPlan[M] = ChildPlan(planner, table, parents, frozen)
    plan.index(stored)
    for record, (parent_key, key) in planner.unique(records, lambda r: plan.full_key(r, child_key)):
        plan.listed.add((parent_key, key))
        found = plan.by_parent.get(parent_key, {}).get(key)
        if found is None:
            plan.create(record, parent_key, make, assign)
        else:
            plan.update(record, parent_key, found, assign)
    plan.remove_unlisted()
