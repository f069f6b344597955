"""/healthz reads the sealer's lag with one single-row query (decision 0371): the same
one query with an empty backlog, a large one and rows in many month partitions; a
stopped sealer shows as "behind" while the probe still answers 200; the sealer's pass
(also one that finds nothing) is its heartbeat. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from samverkan.audit import lag, partitions
from samverkan.audit import services as audit
from samverkan.audit.tests.roles import sealer_role

pytestmark = pytest.mark.django_db

SealerState = apps.get_model("audit", "SealerState")


def _probe(client) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    return response.json(), len(queries)


def _record(count: int, when: datetime.datetime | None = None) -> None:
    for number in range(count):
        audit.event_record(
            actor=None,
            action="read",
            resource_type="test.thing",
            resource_id=str(number),
            occurred_at=when,
        )


def _months(count: int) -> list[datetime.datetime]:
    now = datetime.datetime.now(datetime.UTC).replace(day=15, hour=12, minute=0, second=0)
    return [now - datetime.timedelta(days=31 * back) for back in range(count)]


def test_the_probe_is_one_query_however_many_rows_wait(client):
    audit.seal_pending()
    body, queries = _probe(client)
    assert queries == 1
    assert body["audit_sealer"] == {"state": "ok", "unsealed": 0, "lag_seconds": 0.0}
    _record(120)
    body, queries = _probe(client)
    assert queries == 1
    assert body["status"] == "ok"
    assert body["audit_sealer"]["unsealed"] == 120


def test_the_probe_is_one_query_with_rows_in_many_month_partitions(client):
    months = _months(18)
    partitions.ensure(starts=min(months), ends=max(months))  # no-op on SQLite
    for when in months:
        _record(2, when)
    audit.seal_pending()
    if connection.vendor == "postgresql":
        assert len(partitions.partitions()) >= 18
    for when in months:
        _record(1, when)
    body, queries = _probe(client)
    assert queries == 1
    assert body["audit_sealer"]["unsealed"] == 18
    audit.seal_pending()
    body, queries = _probe(client)
    assert queries == 1
    assert body["audit_sealer"] == {"state": "ok", "unsealed": 0, "lag_seconds": 0.0}


def test_a_stopped_sealer_is_behind_after_the_alert_time_and_the_probe_still_answers(
    client, settings
):
    alert = settings.SAMVERKAN["SEALER_LAG_ALERT_SECONDS"]
    start = datetime.datetime.now(datetime.UTC)
    with time_machine.travel(start, tick=False):
        audit.seal_pending()  # the sealer's last pass
    with time_machine.travel(start + datetime.timedelta(seconds=1), tick=False):
        _record(3)
        body, _ = _probe(client)
        assert body["audit_sealer"] == {"state": "ok", "unsealed": 3, "lag_seconds": 1.0}
    with time_machine.travel(start + datetime.timedelta(seconds=alert + 30), tick=False):
        body, queries = _probe(client)
        assert queries == 1
        assert body["status"] == "ok"  # the web is healthy; the sealer is not
        assert body["audit_sealer"]["state"] == "behind"
        assert body["audit_sealer"]["unsealed"] == 3
        assert body["audit_sealer"]["lag_seconds"] == alert + 30
        audit.seal_pending()
        body, _ = _probe(client)
        assert body["audit_sealer"] == {"state": "ok", "unsealed": 0, "lag_seconds": 0.0}


def test_an_idle_pass_is_the_sealers_heartbeat(client):
    start = datetime.datetime.now(datetime.UTC)
    with time_machine.travel(start, tick=False):
        audit.seal_pending()
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        assert audit.seal_pending() == 0
        state = SealerState.objects.get()
        assert state.finished_at == start + datetime.timedelta(hours=1)
        _record(1)
    with time_machine.travel(start + datetime.timedelta(hours=1, seconds=5), tick=False):
        body, _ = _probe(client)
    # Measured from the last pass (an hour after the one that linked anything).
    assert body["audit_sealer"] == {"state": "ok", "unsealed": 1, "lag_seconds": 5.0}


def test_a_pass_in_several_batches_leaves_nothing_waiting(client):
    audit.seal_pending()
    _record(7)
    assert audit.seal_pending(batch_size=2) == 7
    state = SealerState.objects.get()
    head = apps.get_model("audit", "AuditSeal").objects.order_by("-seq").first()
    assert (state.head_seq, state.head_event_id) == (head.seq, head.event_id)
    body, _ = _probe(client)
    assert body["audit_sealer"] == {"state": "ok", "unsealed": 0, "lag_seconds": 0.0}


def test_a_rolled_back_row_waits_for_nothing_after_the_next_pass(client):
    audit.seal_pending()
    with pytest.raises(RuntimeError), transaction.atomic():
        _record(1)
        raise RuntimeError("the request failed; its audit row goes with it")
    # On PostgreSQL the id it used may be counted until the sealer's next pass.
    audit.seal_pending()
    body, _ = _probe(client)
    assert body["audit_sealer"] == {"state": "ok", "unsealed": 0, "lag_seconds": 0.0}


def test_without_the_sealers_row_the_lag_is_computed_from_the_tables(client):
    audit.seal_pending()
    lag.forget_pass()
    _record(2)
    body, queries = _probe(client)
    assert body["audit_sealer"]["unsealed"] == 2
    assert queries > 1  # computed, once, until the sealer's next pass writes the row
    audit.seal_pending()
    body, queries = _probe(client)
    assert queries == 1
    assert body["audit_sealer"]["unsealed"] == 0


def test_metrics_report_the_same_lag(client, settings):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "METRICS_TOKEN": "s3cret-token"}
    audit.seal_pending()
    _record(4)
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert "samverkan_audit_unsealed_events 4.0" in response.content.decode()


def test_a_sealer_that_cannot_write_its_row_still_seals(caplog):
    """PostgreSQL: a role without rights on the sealer's row (grants.sql not run after
    the upgrade) still links rows; the row is only not moved (an error in the log)."""
    if connection.vendor != "postgresql":
        pytest.skip("roles and rights: PostgreSQL")
    lag._last_error.clear()
    # Only SELECT on the sealer's row: it cannot be written.
    with sealer_role("samverkan_test_heartbeat_role", sealer_state="SELECT"):
        _record(2)
        assert audit.seal_pending() >= 2
        assert "the sealer's row could not be written" in caplog.text
        assert lag.sealer_lag().unsealed >= 2  # the row was not moved: the lag shows it
