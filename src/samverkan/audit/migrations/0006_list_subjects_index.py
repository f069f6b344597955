"""Loggkontroll per person finds the one row written for a page of a list by the people
it names (details["subjects"], decision 0092)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS audit_event_list_subjects ON audit_auditevent "
            "USING gin ((details -> 'subjects') jsonb_path_ops)"
        )
    else:
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS audit_event_list_subjects ON audit_auditevent (id) "
            "WHERE json_type(details, '$.subjects') IS NOT NULL"
        )


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS audit_event_list_subjects")


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_partition_by_month")]

    operations = [migrations.RunPython(create, drop)]
