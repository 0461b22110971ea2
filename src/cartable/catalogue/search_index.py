"""The trigram index of the offers' search text on SQLite (docs/decisions/0007).

Migration 0003 creates it. On SQLite, a later migration that alters ``catalogue_offer`` rebuilds
the table (create, copy, drop, rename), and dropping the old table drops its triggers: the index
would then silently stop following the offers. :func:`ensure` runs after every ``migrate``
(``post_migrate``) and puts back what is missing, rebuilding the index when it had to.
PostgreSQL keeps its GIN index through such changes and needs nothing here."""

from __future__ import annotations

from typing import Any

from django.db import connections

TABLE = "catalogue_offer_fts"
CREATE_TABLE = f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
    search_text, content='catalogue_offer', content_rowid='id', tokenize='trigram'
)"""
TRIGGERS = {
    "catalogue_offer_fts_insert": """CREATE TRIGGER catalogue_offer_fts_insert
        AFTER INSERT ON catalogue_offer BEGIN
        INSERT INTO catalogue_offer_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    "catalogue_offer_fts_delete": """CREATE TRIGGER catalogue_offer_fts_delete
        AFTER DELETE ON catalogue_offer BEGIN
        INSERT INTO catalogue_offer_fts(catalogue_offer_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    "catalogue_offer_fts_update": """CREATE TRIGGER catalogue_offer_fts_update
        AFTER UPDATE OF search_text ON catalogue_offer BEGIN
        INSERT INTO catalogue_offer_fts(catalogue_offer_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO catalogue_offer_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
}


def ensure(using: str = "default") -> bool:
    """Create the SQLite index and its triggers where missing; True when something was
    repaired (the index is then rebuilt from the offers)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'catalogue_offer'"
        )
        if cursor.fetchone() is None:
            return False  # the catalogue is not migrated yet
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            ["catalogue_offer_fts%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in TRIGGERS if name not in present]
        if TABLE in present and not missing:
            return False
        cursor.execute(CREATE_TABLE)
        for name in missing:
            cursor.execute(TRIGGERS[name])
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")  # noqa: S608
    return True


def ensure_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    ensure(using)
