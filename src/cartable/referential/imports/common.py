"""Helpers shared by the planners of each kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router

from .report import ErrorLog
from .rows import Row

BATCH_SIZE = 500
#: Above this many keys, loading a whole table in one query beats a long ``IN (…)``.
IN_LIMIT = 900

M = TypeVar("M", bound=models.Model)


def unique_rows(
    rows: Iterable[Row], key: str, errors: ErrorLog, what: tuple[str, str]
) -> dict[str, Row]:
    """Rows by natural key; a key seen twice is an error on the later row."""
    found: dict[str, Row] = {}
    for row in rows:
        value = row.values[key]
        if value in found:
            errors.about(
                row.line,
                row.label(key),
                value,
                (
                    f"{what[0]} en double (déjà ligne {found[value].line})",
                    f"duplicate {what[1]} (already on line {found[value].line})",
                ),
            )
            continue
        found[value] = row
    return found


def filter_or_all(
    queryset: models.QuerySet[M], lookups: Mapping[str, Sequence[Any]]
) -> models.QuerySet[M]:
    """One query: rows whose field is in the given values, or every row when the values are
    too many for an ``IN`` clause."""
    wanted = {name: values for name, values in lookups.items() if values}
    if not wanted:
        return queryset.none()
    if sum(len(values) for values in wanted.values()) > IN_LIMIT:
        return queryset
    condition = models.Q()
    for name, values in wanted.items():
        condition |= models.Q(**{f"{name}__in": list(values)})
    return queryset.filter(condition)


def ensure_pks(model: type[M], objects: Sequence[M], key: str) -> None:
    """After ``bulk_create``: fetch primary keys on backends that do not return them."""
    missing = [obj for obj in objects if obj.pk is None]
    if not missing:
        return
    keys = [getattr(obj, key) for obj in missing]
    found: dict[Any, Any] = {}
    for start in range(0, len(keys), IN_LIMIT):
        chunk = keys[start : start + IN_LIMIT]
        found.update(model._default_manager.filter(**{f"{key}__in": chunk}).values_list(key, "pk"))
    for obj in missing:
        obj.pk = found[getattr(obj, key)]


def update_rows(model: type[M], objects: Sequence[M], names: Sequence[str]) -> None:
    """Write ``names`` of each object with one prepared ``UPDATE … WHERE pk = %s`` run through
    ``executemany``, in batches.

    Django's ``bulk_update`` builds a ``CASE WHEN`` expression per object and field and spends
    seconds resolving them for tens of thousands of rows; this writes the same values, prepared
    by each field's ``get_db_prep_save``, at the database's own pace."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = [meta.get_field(name) for name in names]
    concrete = [field for field in columns if isinstance(field, models.Field)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in concrete)
    pk_column = quote(str(meta.pk.column)) if meta.pk else "id"
    sql = f"UPDATE {quote(str(meta.db_table))} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(objects), BATCH_SIZE * 10):
            batch = objects[start : start + BATCH_SIZE * 10]
            params = []
            for obj in batch:
                link_saved_relations(obj, concrete)
                params.append([*values_of(obj, concrete, connection), obj.pk])
            cursor.executemany(sql, params)


def link_saved_relations(obj: models.Model, fields: Sequence[models.Field[Any, Any]]) -> None:
    """Copy into ``<fk>_id`` the primary key of a related object assigned before it was saved."""
    for field in fields:
        if isinstance(field, models.ForeignKey) and field.is_cached(obj):
            related = getattr(obj, field.name)
            setattr(obj, field.attname, related.pk if related is not None else None)


def values_of(
    obj: models.Model, fields: Sequence[models.Field[Any, Any]], connection: Any
) -> list[Any]:
    return [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]


def bulk_update_grouped(
    model: type[M], changes: Iterable[tuple[M, frozenset[str]]], extra: tuple[str, ...] = ()
) -> None:
    """Update objects grouped by the set of fields that changed, so that each statement only
    writes what changed."""
    groups: dict[frozenset[str], list[M]] = {}
    for obj, fields in changes:
        groups.setdefault(fields, []).append(obj)
    for fields, objects in groups.items():
        update_rows(model, objects, sorted(fields | set(extra)))
