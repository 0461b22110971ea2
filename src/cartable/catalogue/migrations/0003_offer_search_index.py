"""Index of the offers' folded search text, for the public guide (docs/decisions/0007).

The guide finds an offer when each word of the query occurs in ``Offer.search_text``, as a
substring (``reseau`` finds ``reseaux``). Without an index that is a scan of every syllabus
of the year. Each database gets the trigram index it has:

- SQLite: an FTS5 table with the trigram tokenizer, holding no copy of the text (external
  content), kept in step by triggers, so bulk writes and raw SQL are covered too;
- PostgreSQL: a GIN index with ``pg_trgm``'s operator class, which ``LIKE '%word%'`` uses as is.
"""

from typing import Any

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE catalogue_offer_fts USING fts5(
           search_text, content='catalogue_offer', content_rowid='id', tokenize='trigram'
       );""",
    """CREATE TRIGGER catalogue_offer_fts_insert AFTER INSERT ON catalogue_offer BEGIN
           INSERT INTO catalogue_offer_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END;""",
    """CREATE TRIGGER catalogue_offer_fts_delete AFTER DELETE ON catalogue_offer BEGIN
           INSERT INTO catalogue_offer_fts(catalogue_offer_fts, rowid, search_text)
           VALUES ('delete', old.id, old.search_text);
       END;""",
    """CREATE TRIGGER catalogue_offer_fts_update AFTER UPDATE OF search_text ON catalogue_offer
       BEGIN
           INSERT INTO catalogue_offer_fts(catalogue_offer_fts, rowid, search_text)
           VALUES ('delete', old.id, old.search_text);
           INSERT INTO catalogue_offer_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END;""",
    "INSERT INTO catalogue_offer_fts(catalogue_offer_fts) VALUES ('rebuild');",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS catalogue_offer_fts_insert;",
    "DROP TRIGGER IF EXISTS catalogue_offer_fts_delete;",
    "DROP TRIGGER IF EXISTS catalogue_offer_fts_update;",
    "DROP TABLE IF EXISTS catalogue_offer_fts;",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    """CREATE INDEX IF NOT EXISTS catalogue_offer_search_trgm
       ON catalogue_offer USING gin (search_text gin_trgm_ops);""",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS catalogue_offer_search_trgm;"]


def forwards(apps: Any, schema_editor: Any) -> None:
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps: Any, schema_editor: Any) -> None:
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_offer_status_year_index")]
    operations = [migrations.RunPython(forwards, backwards)]
