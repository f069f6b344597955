"""The read-replica router (core/replicas.py, docs/scaling.md): with a replica
configured, the reads a selector asks for go to the replica and every write, and every
read inside a transaction on the primary, goes to the primary. In the tests the
"replica" alias is a second connection to the test database (a mirror); the demo world
is committed, so the replica sees it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from samverkan.audit import selectors
from samverkan.core import replicas

# A replica is a PostgreSQL streaming replica; SQLite's in-memory test database cannot
# be read from a second connection while the test's transaction holds it.
with_replica = [
    pytest.mark.django_db(databases=["default", "replica"]),
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql", reason="replicas: PostgreSQL"
    ),
]

AuditEvent = apps.get_model("audit", "AuditEvent")


@pytest.fixture(autouse=True)
def _close_replica():
    yield
    connections["replica"].close()  # so that the test database can be dropped


@pytest.fixture
def replica_on(settings):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "READ_REPLICA": True}


def _logged_subject(actor) -> str:
    return (
        AuditEvent.objects.filter(actor_organisation_id=actor.organisation_id)
        .exclude(subject_id="")
        .values_list("subject_id", flat=True)
        .first()
    )


@with_replica[0]
@with_replica[1]
def test_loggkontroll_reads_on_the_replica_and_logs_the_read_on_the_primary(world, replica_on):
    auditor = world.actor("gustav")
    subject = _logged_subject(auditor)
    assert subject
    before = AuditEvent.objects.count()
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        rows = selectors.events_for_subject(auditor, subject)
    assert rows and all(row.subject_id == subject for row in rows)
    assert any("audit_auditevent" in q["sql"] and "SELECT" in q["sql"] for q in on_replica)
    assert not any("INSERT" in q["sql"] for q in on_replica)
    assert any("INSERT" in q["sql"] for q in on_primary)  # the read's own audit row
    assert AuditEvent.objects.count() == before + 1


def test_reads_go_to_the_replica_only_where_asked_and_never_inside_a_transaction(world, replica_on):
    assert AuditEvent.objects.all().db == "default"
    with replicas.reading():
        assert AuditEvent.objects.all().db == "replica"
        with transaction.atomic():
            # A service reading before it writes must see the primary.
            assert AuditEvent.objects.all().db == "default"


@with_replica[0]
@with_replica[1]
def test_without_a_replica_everything_stays_on_the_primary(world):
    auditor = world.actor("gustav")
    subject = _logged_subject(auditor)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        with replicas.reading():
            assert AuditEvent.objects.all().db == "default"
        selectors.events_for_subject(auditor, subject)
    assert len(on_replica) == 0


def test_without_a_replica_reads_stay_on_the_primary(world):
    with replicas.reading():
        assert AuditEvent.objects.all().db == "default"


def test_the_replica_is_never_migrated():
    router = replicas.ReplicaRouter()
    assert router.allow_migrate("replica", "audit") is False
    assert router.allow_migrate("default", "audit") is True
    assert router.db_for_write(AuditEvent) == "default"
