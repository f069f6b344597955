"""A page that reads writes its audit rows in one insert (decision 0315): every row is
still written, in the order recorded, each with its own hash, and also when the page
fails after the reads; the chain seals and verifies over them."""

from __future__ import annotations

import contextlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.audit import hashing, services
from samverkan.audit.models import Action, AuditEvent


def _row(n: int) -> dict:
    return {
        "actor": None,
        "action": Action.READ,
        "resource_type": "people.child",
        "resource_id": f"barn-{n}",
        "reason": f"Läsning {n}",
    }


@pytest.mark.django_db
def test_rows_in_a_batch_are_one_insert_in_the_order_recorded():
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as ctx, services.batched():
        services.event_record(**_row(1))
        services.events_record([_row(2), _row(3)])
        with services.batched():  # nested: written with the outer block
            services.event_record(**_row(4))
        assert AuditEvent.objects.count() == before  # nothing written yet
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    rows = list(AuditEvent.objects.order_by("-pk")[:4])[::-1]
    assert [r.resource_id for r in rows] == ["barn-1", "barn-2", "barn-3", "barn-4"]
    for row in rows:
        fields = {f.name: getattr(row, f.name) for f in AuditEvent._meta.fields}
        assert row.content_hash == hashing.content_hash(
            {k: v for k, v in fields.items() if k not in ("id", "content_hash")}
        )
    assert services.seal_pending() >= 4
    assert services.chain_verify().ok


@pytest.mark.django_db
def test_rows_are_written_when_the_page_fails_after_reading():
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), services.batched():
        services.event_record(**_row(1))
        raise RuntimeError("the template failed")
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.django_db
def test_outside_a_batch_each_row_is_written_at_once():
    before = AuditEvent.objects.count()
    services.event_record(**_row(1))
    assert AuditEvent.objects.count() == before + 1


def _panel_rows(client, melwin) -> tuple[list[tuple], int]:
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/samtycken/barn/{melwin.public_id}/?fragment=1")
    assert response.status_code == 200
    rows = AuditEvent.objects.filter(pk__gt=last).order_by("pk")
    inserts = sum(
        1 for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditevent"')
    )
    fields = ("resource_type", "resource_id", "subject_id", "outcome", "ground_code", "reason")
    return [tuple(getattr(r, f) for f in fields) for r in rows], inserts


def test_the_consent_panel_writes_every_row_it_wrote_before(world, login, monkeypatch):
    """The panel's reads of the child, the consents and the actor map each still leave
    their own rows, the same as when each was inserted on its own (decision 0315)."""
    melwin = world.children["melwin"]
    client = login("sofia")
    client.get("/")
    client.get(f"/samtycken/barn/{melwin.public_id}/?fragment=1")  # warm caches
    batched, batched_inserts = _panel_rows(client, melwin)
    monkeypatch.setattr(services, "batched", contextlib.nullcontext)
    one_by_one, inserts = _panel_rows(client, melwin)
    assert batched == one_by_one
    assert {row[0] for row in batched} >= {"people.child", "consent.consent"}
    assert batched_inserts == 1
    assert inserts >= 3
