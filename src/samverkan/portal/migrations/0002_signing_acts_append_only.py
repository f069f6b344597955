"""A signing act is never changed or deleted: the database refuses UPDATE and DELETE
on portal_signingact, whoever runs them (as for the audit log, audit/0002)."""

from django.db import migrations

TABLE = "portal_signingact"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'signing acts are append-only'); END;"""
    for op in ("UPDATE", "DELETE")
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {TABLE}_no_{op.lower()};" for op in ("UPDATE", "DELETE")]
PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION portal_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'signing acts are append-only'; END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION portal_append_only();""",
]
PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    "DROP FUNCTION IF EXISTS portal_append_only();",
]


def forward(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in PG_FORWARD if postgres else SQLITE_FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in PG_BACKWARD if postgres else SQLITE_BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
