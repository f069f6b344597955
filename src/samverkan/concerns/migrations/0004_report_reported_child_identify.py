"""A professional may report a child who is not in their register (the personnummer
and name travel with the report), and social services' intake identifies the child of
such a report, or of an anonymous one, afterwards. The report stays immutable except for
exactly that: its ``child`` may be set once, from empty to a child.

The schema changes rebuild ``concerns_report`` on SQLite, which drops its triggers, so
the triggers are (re)created at the end, on both databases."""

from django.conf import settings
from django.db import migrations, models

MESSAGE = "submitted reports are immutable"


def _sqlite_forward(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("PRAGMA table_info(concerns_report)")
        columns = [row[1] for row in cursor.fetchall() if row[1] != "child_id"]
    return [
        "DROP TRIGGER IF EXISTS concerns_report_no_update;",
        "DROP TRIGGER IF EXISTS concerns_report_child_once;",
        # Any change of any column but child_id is refused ...
        f"""CREATE TRIGGER concerns_report_no_update BEFORE UPDATE OF {", ".join(columns)}
        ON concerns_report BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
        # ... and child_id may only go from empty to a child.
        f"""CREATE TRIGGER concerns_report_child_once BEFORE UPDATE OF child_id
        ON concerns_report WHEN OLD.child_id IS NOT NULL OR NEW.child_id IS NULL
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
        f"""CREATE TRIGGER IF NOT EXISTS concerns_entry_no_update BEFORE UPDATE ON concerns_entry
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    ]


SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS concerns_report_child_once;",
    "DROP TRIGGER IF EXISTS concerns_report_no_update;",
    f"""CREATE TRIGGER concerns_report_no_update BEFORE UPDATE ON concerns_report
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]

PG_FORWARD = [
    # The whole row, with child_id put back as it was, must be unchanged: new columns
    # are covered without touching this function.
    f"""CREATE OR REPLACE FUNCTION concerns_report_immutable() RETURNS trigger AS $$
    DECLARE probe concerns_report;
    BEGIN
      IF OLD.child_id IS NULL AND NEW.child_id IS NOT NULL THEN
        probe := NEW;
        probe.child_id := NULL;
        IF probe IS NOT DISTINCT FROM OLD THEN RETURN NEW; END IF;
      END IF;
      RAISE EXCEPTION '{MESSAGE}';
    END; $$ LANGUAGE plpgsql;""",
    "DROP TRIGGER IF EXISTS concerns_report_immutable ON concerns_report;",
    """CREATE TRIGGER concerns_report_immutable BEFORE UPDATE ON concerns_report
    FOR EACH ROW EXECUTE FUNCTION concerns_report_immutable();""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS concerns_report_immutable ON concerns_report;",
    """CREATE TRIGGER concerns_report_immutable BEFORE UPDATE ON concerns_report
    FOR EACH ROW EXECUTE FUNCTION concerns_immutable();""",
    "DROP FUNCTION IF EXISTS concerns_report_immutable();",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = PG_FORWARD
    else:
        statements = _sqlite_forward(schema_editor)
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in PG_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('concerns', '0003_notice_key'),
        ('directory', '0002_standard_functions'),
        ('people', '0003_guardian_per_organisation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='report',
            name='concern_child_identified',
        ),
        migrations.AddField(
            model_name='report',
            name='reported_first_name',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name='report',
            name='reported_last_name',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name='report',
            name='reported_personal_number',
            field=models.CharField(blank=True, max_length=12),
        ),
        migrations.AlterField(
            model_name='entry',
            name='kind',
            field=models.CharField(choices=[('receipt', 'Mottagningsbekräftelse'), ('addition', 'Tillägg från anmälaren'), ('correction', 'Rättelse från anmälaren'), ('question', 'Fråga från anmälaren'), ('answer', 'Svar från handläggaren'), ('written_received', 'Skriftlig anmälan har kommit in'), ('assigned', 'Handläggare utsedd'), ('protection', 'Skyddsbedömning'), ('preliminary', 'Beslut efter förhandsbedömning'), ('preliminary_extended', 'Förhandsbedömningen förlängd'), ('investigation_extended', 'Utredningstiden förlängd'), ('closed', 'Ärendet avslutat'), ('feedback', 'Återkoppling'), ('note', 'Anteckning'), ('identified', 'Barnet identifierat')], max_length=30),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=models.Q(('child__isnull', False), models.Q(('child_details', ''), _negated=True), models.Q(('reported_personal_number', ''), _negated=True), _connector='OR'), name='concern_child_identified'),
        ),
        migrations.RunPython(forward, backward),
    ]
