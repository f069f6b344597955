"""Submitted reports and their timeline entries are never changed: UPDATE raises an
error in the database itself. Corrections and additions are new entries."""

from django.db import migrations

TABLES = ("concerns_report", "concerns_entry")

SQLITE_FORWARD = [
    f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, 'submitted reports are immutable'); END;"""
    for table in TABLES
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {table}_no_update;" for table in TABLES]

PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION concerns_immutable() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'submitted reports are immutable'; END; $$ LANGUAGE plpgsql;""",
    *[
        f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table}
        FOR EACH ROW EXECUTE FUNCTION concerns_immutable();"""
        for table in TABLES
    ],
]
PG_BACKWARD = [
    *[f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};" for table in TABLES],
    "DROP FUNCTION IF EXISTS concerns_immutable();",
]


def forward(apps, schema_editor):
    statements = PG_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = (
        PG_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("concerns", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
