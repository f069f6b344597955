"""Each link records its row's time (``event_occurred_at``), and on PostgreSQL both audit
tables become partitioned by month (decision 0102, audit/partitions.py).

Works on a new database and on one with rows: the tables are renamed, recreated
(partitioned on PostgreSQL), every row and link is copied as it was (ids, hashes and
the chain unchanged) and the old tables are dropped, all in the migration's one
transaction. The append-only triggers are recreated on the new tables. On PostgreSQL the
function ``audit_partitions_ensure(from, to)`` is created here; it runs with the rights
of the role that runs this migration (the owner).
"""

from django.db import migrations, models

EVENT = "audit_auditevent"
SEAL = "audit_auditseal"
LOCK_KEY = 7_341_220_012

ENSURE_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_partitions_ensure(p_from timestamptz, p_to timestamptz)
RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, {schema}
AS $$
DECLARE
    month_start timestamp := date_trunc('month', p_from AT TIME ZONE 'UTC');
    last_start timestamp := date_trunc('month', p_to AT TIME ZONE 'UTC');
    ns text := {schema_literal};
    parent text;
    part text;
    qualified text;
    who record;
BEGIN
    IF p_from IS NULL OR p_to IS NULL OR last_start < month_start THEN
        RETURN;
    END IF;
    IF last_start > month_start + interval '1200 months' THEN
        RAISE EXCEPTION 'audit_partitions_ensure: at most 1200 months at a time';
    END IF;
    PERFORM pg_advisory_xact_lock({lock_key});
    WHILE month_start <= last_start LOOP
        FOREACH parent IN ARRAY ARRAY['{event}', '{seal}'] LOOP
            part := parent || to_char(month_start, '"_p"YYYY"_"MM');
            qualified := format('%I.%I', ns, part);
            IF to_regclass(qualified) IS NULL THEN
                EXECUTE format(
                    'CREATE TABLE %s PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                    qualified, ns, parent,
                    month_start AT TIME ZONE 'UTC',
                    (month_start + interval '1 month') AT TIME ZONE 'UTC');
                -- Row triggers, indexes and keys come from the parent; TRUNCATE of a
                -- partition itself does not fire the parent's trigger, so it gets its own.
                EXECUTE format(
                    'CREATE TRIGGER %I BEFORE TRUNCATE ON %s '
                    'FOR EACH STATEMENT EXECUTE FUNCTION %I.audit_append_only()',
                    part || '_no_truncate', qualified, ns);
                -- Default privileges may have granted more than the parent has: nobody but
                -- the owner may change or empty a partition directly.
                FOR who IN
                    SELECT DISTINCT a.grantee
                    FROM pg_class c, aclexplode(c.relacl) a
                    WHERE c.oid = to_regclass(qualified) AND a.grantee <> c.relowner
                LOOP
                    EXECUTE format(
                        'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM %s',
                        qualified,
                        CASE WHEN who.grantee = 0 THEN 'PUBLIC'
                             ELSE quote_ident(pg_get_userbyid(who.grantee)) END);
                END LOOP;
                RETURN NEXT qualified;
            END IF;
        END LOOP;
        month_start := month_start + interval '1 month';
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION audit_partitions_ensure(timestamptz, timestamptz) FROM PUBLIC;

-- For grants.sql (docs/operations.md), run by the owner after granting on ALL TABLES:
-- takes UPDATE, DELETE and TRUNCATE on every existing partition away again.
CREATE OR REPLACE FUNCTION audit_partitions_revoke_changes() RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, {schema}
AS $$
DECLARE
    ns text := {schema_literal};
    part record;
    who record;
BEGIN
    FOR part IN
        SELECT c.oid, format('%I.%I', ns, c.relname) AS name
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent IN (to_regclass(format('%I.%I', ns, '{event}')),
                              to_regclass(format('%I.%I', ns, '{seal}')))
    LOOP
        FOR who IN
            SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.oid = part.oid AND a.grantee <> c.relowner
        LOOP
            EXECUTE format(
                'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM %s',
                part.name,
                CASE WHEN who.grantee = 0 THEN 'PUBLIC'
                     ELSE quote_ident(pg_get_userbyid(who.grantee)) END);
        END LOOP;
    END LOOP;
END
$$;
"""


def _index_definitions(cursor, table):
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           JOIN pg_class c ON c.relname = i.indexname
           JOIN pg_index x ON x.indexrelid = c.oid
           WHERE i.tablename = %s AND i.schemaname = current_schema()
             AND NOT x.indisunique""",
        [table],
    )
    return cursor.fetchall()


def _partition_postgresql(schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema_name,) = cursor.fetchone()
        schema = connection.ops.quote_name(schema_name)
        schema_literal = "'" + schema_name.replace("'", "''") + "'"
        event_indexes = _index_definitions(cursor, EVENT)
        cursor.execute(
            f"SELECT pg_get_serial_sequence('{EVENT}', 'id')"
        )
        (sequence,) = cursor.fetchone()
        if sequence:
            cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO audit_legacy_id_seq")
        cursor.execute(f"ALTER TABLE {SEAL} RENAME TO {SEAL}_legacy")
        cursor.execute(f"ALTER TABLE {EVENT} RENAME TO {EVENT}_legacy")
        cursor.execute(
            """SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
               WHERE x.indrelid IN (to_regclass(%s), to_regclass(%s))""",
            [f"{EVENT}_legacy", f"{SEAL}_legacy"],
        )
        for number, (name,) in enumerate(cursor.fetchall()):
            cursor.execute(f'ALTER INDEX "{name}" RENAME TO audit_legacy_index_{number}')
        cursor.execute(
            f"""CREATE TABLE {EVENT} (
                LIKE {EVENT}_legacy INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE,
                PRIMARY KEY (id, occurred_at)
            ) PARTITION BY RANGE (occurred_at)"""
        )
        # ON UPDATE CASCADE: a link follows its row (to another month, if the row's time
        # is changed), which only someone who dropped the append-only triggers can do;
        # verify then finds the two together and reports the change.
        cursor.execute(
            f"""CREATE TABLE {SEAL} (
                LIKE {SEAL}_legacy INCLUDING DEFAULTS INCLUDING STORAGE,
                event_occurred_at timestamp with time zone NOT NULL,
                PRIMARY KEY (seq, event_occurred_at),
                UNIQUE (event_id, event_occurred_at),
                FOREIGN KEY (event_id, event_occurred_at) REFERENCES {EVENT} (id, occurred_at)
                    ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED
            ) PARTITION BY RANGE (event_occurred_at)"""
        )
        for _name, definition in event_indexes:
            cursor.execute(definition)  # names and columns as Django made them
        cursor.execute(
            ENSURE_FUNCTION.format(
                schema=schema,
                schema_literal=schema_literal,
                lock_key=LOCK_KEY,
                event=EVENT,
                seal=SEAL,
            )
        )
        cursor.execute(
            f"""SELECT * FROM audit_partitions_ensure(
                    least(now() - interval '1 month', (SELECT min(occurred_at) FROM {EVENT}_legacy)),
                    greatest(now() + interval '3 months', (SELECT max(occurred_at) FROM {EVENT}_legacy)))"""
        )
        cursor.execute(f"INSERT INTO {EVENT} SELECT * FROM {EVENT}_legacy")
        cursor.execute(
            f"""INSERT INTO {SEAL} (seq, prev_hash, chain_hash, sealed_at, event_id, event_occurred_at)
                SELECT s.seq, s.prev_hash, s.chain_hash, s.sealed_at, s.event_id, e.occurred_at
                FROM {SEAL}_legacy s JOIN {EVENT}_legacy e ON e.id = s.event_id"""
        )
        cursor.execute(
            f"""SELECT (SELECT count(*) FROM {SEAL}), (SELECT count(*) FROM {SEAL}_legacy),
                       (SELECT max(id) FROM {EVENT})"""
        )
        copied, legacy, highest = cursor.fetchone()
        if copied != legacy:
            raise RuntimeError(f"audit 0004: {legacy - copied} links name rows that are missing")
        if highest is not None:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{EVENT}', 'id'), %s)", [highest]
            )
        cursor.execute(f"DROP TABLE {SEAL}_legacy")
        cursor.execute(f"DROP TABLE {EVENT}_legacy")
        for table in (EVENT, SEAL):
            cursor.execute(
                f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION audit_append_only()"""
            )
            cursor.execute(
                f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"""
            )


def _rebuild_seal_sqlite(apps, schema_editor):
    seal = apps.get_model("audit", "AuditSeal")
    execute = schema_editor.execute
    for op in ("update", "delete"):
        execute(f"DROP TRIGGER IF EXISTS {SEAL}_no_{op}")
    execute(f"ALTER TABLE {SEAL} RENAME TO {SEAL}_legacy")
    schema_editor.create_model(seal)
    execute(
        f"""INSERT INTO {SEAL} (seq, prev_hash, chain_hash, sealed_at, event_id, event_occurred_at)
            SELECT s.seq, s.prev_hash, s.chain_hash, s.sealed_at, s.event_id, e.occurred_at
            FROM {SEAL}_legacy s JOIN {EVENT} e ON e.id = s.event_id"""
    )
    execute(f"DROP TABLE {SEAL}_legacy")
    for op in ("UPDATE", "DELETE"):
        execute(
            f"""CREATE TRIGGER {SEAL}_no_{op.lower()} BEFORE {op} ON {SEAL}
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"""
        )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _partition_postgresql(schema_editor)
    else:
        _rebuild_seal_sqlite(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_assurance_level")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="auditseal",
                    name="event_occurred_at",
                    field=models.DateTimeField(),
                    preserve_default=False,
                ),
            ],
        ),
        migrations.RunPython(forward, elidable=False),
    ]
