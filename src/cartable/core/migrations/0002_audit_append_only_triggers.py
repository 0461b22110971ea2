"""Database-level guarantee that the audit journal is append-only (docs/decisions/0003).

Row-level UPDATE and DELETE are refused by triggers. TRUNCATE is a table-level operation that
the production database role is not granted (see the decision record); test databases use it
to reset between transactional tests."""

from typing import Any

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;""",
    """CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit journal is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
       FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;",
    "DROP FUNCTION IF EXISTS core_auditentry_append_only();",
]


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
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
