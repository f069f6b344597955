# ruff: noqa: S608 - the SQL names this module's own tables and partitions
"""Monthly partitions of the audit log on PostgreSQL (audit/partitions.py, migration
0004): rows and their links land in their month's partitions, partitions are created
ahead, a partition cannot be changed or emptied by anyone, and the application's role
gets no more than SELECT and INSERT on them. SQLite keeps one table."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from samverkan.audit import lag, partitions, services, verify
from samverkan.audit.tests.roles import sealer_role
from samverkan.web.management.commands import grants

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only"
)

UTC = datetime.UTC


def _month(value: datetime.datetime) -> str:
    return f"p{value:%Y_%m}"


def _partition_of(table: str, key: str, value) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE {key} = %s", [value])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_rows_and_links_share_their_months_partition():
    assert partitions.is_partitioned()
    event = services.event_record(actor=None, action="read", resource_type="test.thing")
    services.seal_pending()
    month = _month(event.occurred_at)
    assert _partition_of("audit_auditevent", "id", event.pk) == f"audit_auditevent_{month}"
    assert _partition_of("audit_auditseal", "event_id", event.pk) == f"audit_auditseal_{month}"
    assert verify.chain_verify().ok


@pytest.mark.django_db
def test_partitions_are_created_ahead_and_only_once():
    far = datetime.datetime.now(UTC) + datetime.timedelta(days=400)
    created = partitions.ensure(starts=far, ends=far)
    suffix = _month(far)
    assert sorted(name.split(".")[-1] for name in created) == [
        f"audit_auditevent_{suffix}",
        f"audit_auditseal_{suffix}",
    ]
    assert partitions.ensure(starts=far, ends=far) == []
    assert partitions.months_ahead() >= partitions.AHEAD_MONTHS - 1
    # A row in that month can be written and is verified with its own month.
    services.event_record(actor=None, action="read", resource_type="test.thing", occurred_at=far)
    services.seal_pending()
    result = verify.chain_verify()
    assert result.ok
    assert result.segments == len(partitions.partitions())


@pytest.mark.django_db
def test_a_row_for_a_month_without_partition_is_refused_loudly():
    """No default partition: an audit row that cannot be filed fails its request
    instead of vanishing."""
    never = datetime.datetime(1999, 1, 1, tzinfo=UTC)
    with pytest.raises(DatabaseError, match="no partition"), transaction.atomic():
        services.event_record(
            actor=None, action="read", resource_type="test.thing", occurred_at=never
        )


@pytest.mark.django_db
def test_a_row_for_a_coming_month_without_partition_creates_it_and_is_written():
    """The sealer has not run for a year (or the clock jumped): access goes on, logged."""
    later = datetime.datetime.now(UTC) + datetime.timedelta(days=800)
    assert _month(later) not in {p.suffix for p in partitions.partitions()}
    event = services.event_record(
        actor=None, action="read", resource_type="test.thing", occurred_at=later
    )
    assert _partition_of("audit_auditevent", "id", event.pk) == f"audit_auditevent_{_month(later)}"
    services.seal_pending()
    assert verify.chain_verify().ok


def _refused(sql, match="append-only"):
    with (
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


@pytest.mark.django_db
def test_a_partition_cannot_be_changed_or_emptied_directly():
    event = services.event_record(actor=None, action="read", resource_type="test.thing")
    services.seal_pending()
    month = _month(event.occurred_at)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _refused(f"TRUNCATE audit_auditseal_{month}")
    # A month of rows is also held by the links' foreign key.
    _refused(f"TRUNCATE audit_auditevent_{month}", match="foreign key")
    _refused(f"TRUNCATE audit_auditevent_{month} CASCADE")
    for table in (f"audit_auditevent_{month}", f"audit_auditseal_{month}"):
        _refused(f"DELETE FROM {table}")
    _refused(f"UPDATE audit_auditevent_{month} SET reason = 'x'")
    assert verify.chain_verify().ok


@pytest.mark.django_db
def test_the_application_role_may_only_read_and_insert(django_db_blocker):
    """The shipped SQL (schema.sql, then `samverkan grants`, which runs grants.sql and
    check_grants.sql) for a role created inside the test's transaction (rolled back
    with it): the role writes, seals and creates partitions, and can change nothing."""
    role = "samverkan_test_app_role"
    far = datetime.datetime.now(UTC) + datetime.timedelta(days=800)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        for statement in grants.statements("schema.sql", role):
            cursor.execute(statement)
    out = io.StringIO()
    call_command("grants", app_role=role, stdout=out)
    assert f"Rättigheterna är satta för {role}" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
    try:
        # Writes, seals and creates partitions through the function.
        services.event_record(actor=None, action="read", resource_type="test.thing")
        services.seal_pending()
        # Writes the sealer's row and reads it with the event id sequence (/healthz).
        assert lag.sealer_lag() == lag.SealerLag(unsealed=0, seconds=0.0)
        created = partitions.ensure(starts=far, ends=far)
        assert len(created) == 2
        month = _month(datetime.datetime.now(UTC))
        for table in ("audit_auditevent", f"audit_auditevent_{_month(far)}", "audit_auditseal"):
            _refused(f"DELETE FROM {table}", match="permission denied")
            _refused(f"TRUNCATE {table}", match="permission denied")
        # This month's partitions existed before the grants: they too are append-only.
        _refused(f"DELETE FROM audit_auditevent_{month}", match="permission denied")
        _refused(f"UPDATE audit_auditseal_{_month(far)} SET prev_hash = ''", "permission denied")
        _refused("DROP TRIGGER audit_auditevent_append_only ON audit_auditevent", "must be owner")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.mark.django_db
def test_the_grants_command_refuses_an_unknown_or_malformed_role():
    with pytest.raises(CommandError, match="finns inte"):
        call_command("grants", app_role="samverkan_no_such_role", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Ogiltigt rollnamn"):
        call_command("grants", app_role='x"; DROP TABLE y; --', stdout=io.StringIO())


@pytest.mark.django_db
def test_the_partitions_command_lists_and_creates(world):
    out = io.StringIO()
    call_command("audit", "partitions", stdout=out)
    now = datetime.datetime.now(UTC)
    assert f"{now:%Y-%m}" in out.getvalue()
    assert "Månader i förväg:" in out.getvalue()


@pytest.mark.django_db
def test_a_sealer_without_rights_to_create_partitions_still_seals(caplog):
    """An upgrade whose grants.sql lacks the EXECUTE grant: the sealer logs the error
    and goes on linking rows (the migration created months ahead)."""
    # Every right the sealer needs but EXECUTE on the partitions' function.
    with sealer_role("samverkan_test_sealer_role", sealer_state="SELECT, INSERT, UPDATE"):
        partitions._last_ensured.clear()
        try:
            services.event_record(actor=None, action="read", resource_type="test.thing")
            assert services.seal_pending() >= 1
            assert "could not create the coming months' partitions" in caplog.text
        finally:
            partitions._last_ensured.clear()
