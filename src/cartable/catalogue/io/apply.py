"""Writing a checked plan: parents before children, removals before creations, bulk statements.

Offers are written in an order the database constraints accept: archiving a published
version first, then new offers, then the other updates, then the ``supersedes`` links that point
at offers created in the same run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import connections, models, router

from ..models import Offer
from .schema import MODELS
from .state import Changes, State

BATCH_SIZE = 500
DELETE_CHUNK = 900

M = TypeVar("M", bound=models.Model)


def update_rows(model: type[M], objects: Sequence[M], names: Iterable[str]) -> None:
    """Write ``names`` of each object with one prepared ``UPDATE … WHERE pk = %s`` run through
    ``executemany`` (Django's ``bulk_update`` builds a ``CASE WHEN`` per object and field, which
    is slow for thousands of rows)."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [meta.get_field(name) for name in sorted(set(names))]
    concrete = [field for field in fields if isinstance(field, models.Field)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in concrete)
    pk_column = quote(str(meta.pk.column)) if meta.pk else "id"
    sql = f"UPDATE {quote(str(meta.db_table))} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(objects), BATCH_SIZE * 10):
            params = []
            for obj in objects[start : start + BATCH_SIZE * 10]:
                for field in concrete:
                    if isinstance(field, models.ForeignKey) and field.is_cached(obj):
                        related = getattr(obj, field.name)
                        setattr(obj, field.attname, related.pk if related is not None else None)
                values = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in concrete]
                params.append([*values, obj.pk])
            cursor.executemany(sql, params)


def update_grouped(model: type[M], changes: Iterable[tuple[M, frozenset[str]]]) -> None:
    """Update objects grouped by the set of fields that changed: each statement writes only
    what changed."""
    groups: dict[frozenset[str], list[M]] = {}
    for obj, names in changes:
        groups.setdefault(names, []).append(obj)
    for names, objects in groups.items():
        update_rows(model, objects, names)


def create(model: type[M], objects: list[M]) -> None:
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    if not connection.features.can_return_rows_from_bulk_insert:
        for obj in objects:  # old SQLite: primary keys are needed by the children
            obj.save(force_insert=True)
        return
    model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)


def delete(model: type[M], pks: Sequence[Any]) -> None:
    for start in range(0, len(pks), DELETE_CHUNK):
        model._base_manager.filter(pk__in=pks[start : start + DELETE_CHUNK]).delete()


def write_table(model: type[M], changes: Changes[M]) -> None:
    delete(model, changes.delete)
    update_grouped(model, changes.update)
    create(model, changes.create)


def write_offers(state: State, now: datetime) -> None:
    changes: Changes[Offer] = state.changes_of("offers")
    for offer in changes.create:
        offer.update_search_fields()
    updates = []
    for offer, names in changes.update:
        offer.update_search_fields()
        offer.updated_at = now
        updates.append((offer, names | {"search_text", "title_folded", "updated_at"}))

    def archiving(item: tuple[Offer, frozenset[str]]) -> bool:
        offer = item[0]
        key = (offer.ue.code, offer.year, offer.version)
        return state.stored_status.get(key) == Offer.Status.PUBLISHED

    update_grouped(Offer, [item for item in updates if archiving(item)])
    later: list[tuple[Offer, Offer]] = []
    for offer in changes.create:
        target = offer.supersedes
        if target is not None and target.pk is None:
            later.append((offer, target))
            offer.supersedes = None
    create(Offer, changes.create)
    update_grouped(Offer, [item for item in updates if not archiving(item)])
    for offer, target in later:
        offer.supersedes = target
    update_rows(Offer, [offer for offer, _target in later], ["supersedes"])


def write(state: State, now: datetime) -> None:
    """Every planned change, in an order the database constraints accept."""
    for table in MODELS:
        if table == "offers":
            write_offers(state, now)
        elif table in state.changes:
            write_table(MODELS[table], state.changes[table])
