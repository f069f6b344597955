"""What a family member wrote (a statement, an answer to the call) is never changed: the
database refuses UPDATE on both tables, whoever runs it. DELETE stays possible, so that
the plan can be thinned out with everything it holds (retention)."""

from django.db import migrations

TABLES = ("plans_familystatement", "plans_meetinganswer")

SQLITE_FORWARD = [
    f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, 'the family''s records are never changed'); END;"""
    for table in TABLES
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {table}_no_update;" for table in TABLES]
PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION plans_family_no_update() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the family''s records are never changed'; END; $$ LANGUAGE plpgsql;""",
    *(
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        FOR EACH ROW EXECUTE FUNCTION plans_family_no_update();"""
        for table in TABLES
    ),
]
PG_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};" for table in TABLES),
    "DROP FUNCTION IF EXISTS plans_family_no_update();",
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
    dependencies = [("plans", "0003_family_statements_and_answers")]

    operations = [migrations.RunPython(forward, backward)]
