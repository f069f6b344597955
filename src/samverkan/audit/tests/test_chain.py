"""The audit log's hash chain: sealing, verifying, and detecting an attacker who has
DDL rights (drops the append-only triggers) and then alters or removes rows."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import F

from samverkan.audit import hashing, services
from samverkan.audit.models import AuditEvent, AuditSeal

from .attacks import drop_append_only_triggers


@pytest.fixture
def sealed(world):
    """The demo world's audit rows, sealed into the chain."""
    services.seal_pending()
    return list(AuditSeal.objects.order_by("seq"))


@pytest.fixture
def middle(sealed):
    """A link in the middle of the chain (rows after it must still verify)."""
    assert len(sealed) > 20
    return sealed[len(sealed) // 2]


def test_seal_then_verify_is_ok(world):
    events = AuditEvent.objects.count()
    assert events > 0
    assert services.seal_pending() == events
    assert services.seal_pending() == 0  # nothing left to seal
    result = services.chain_verify()
    assert result.ok, result.problems
    assert result.checked == events
    assert result.unsealed == 0
    assert result.head_seq == events
    assert result.head_hash == AuditSeal.objects.get(seq=events).chain_hash


def test_seal_links_rows_in_order_without_gaps(world):
    services.seal_pending(batch_size=7)  # several batches
    links = list(AuditSeal.objects.order_by("seq").values_list("seq", "event_id", "prev_hash"))
    assert [seq for seq, _, _ in links] == list(range(1, len(links) + 1))
    event_ids = [event_id for _, event_id, _ in links]
    assert event_ids == sorted(event_ids)
    assert links[0][2] == hashing.GENESIS_HASH
    assert services.chain_verify(chunk_size=5).ok


def test_new_rows_are_unsealed_until_the_sealer_runs(world, sealed):
    services.event_record(actor=None, action="read", resource_type="test.thing")
    result = services.chain_verify()
    assert result.ok
    assert result.unsealed == 1
    assert services.seal_pending() == 1
    assert services.chain_verify().unsealed == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor_username", "someone_else"),
        ("action", "export"),
        ("outcome", "denied"),
        ("subject_id", "00000000-0000-0000-0000-000000000000"),
        ("ground_code", "consent"),
        ("reason", "Inget att se här."),
        ("details", {"hidden": []}),
        ("occurred_at", F("occurred_at") - datetime.timedelta(days=1)),
    ],
)
def test_changed_row_is_detected_and_named(world, middle, field, value):
    if not hasattr(value, "resolve_expression"):  # a real change, not the same value
        assert getattr(AuditEvent.objects.get(pk=middle.event_id), field) != value
    drop_append_only_triggers()
    AuditEvent.objects.filter(pk=middle.event_id).update(**{field: value})
    result = services.chain_verify()
    assert not result.ok
    assert [(p.seq, p.event_id) for p in result.problems] == [(middle.seq, middle.event_id)]
    assert result.problems[0].message == f"Loggrad {middle.event_id} har ändrats."


def test_changed_row_with_recomputed_content_hash_is_still_detected(world, middle):
    """An attacker who also recomputes the row's own hash is caught by the chain."""
    drop_append_only_triggers()
    event = AuditEvent.objects.get(pk=middle.event_id)
    event.actor_username = "someone_else"
    AuditEvent.objects.filter(pk=event.pk).update(
        actor_username=event.actor_username, content_hash=hashing.event_hash(event)
    )
    result = services.chain_verify()
    assert [p.event_id for p in result.problems] == [middle.event_id]


def test_changed_link_is_detected(world, middle):
    drop_append_only_triggers()
    AuditSeal.objects.filter(seq=middle.seq).update(chain_hash="f" * 64)
    result = services.chain_verify()
    # The altered link, and the break after it; later rows are not accused.
    assert [(p.seq, p.message) for p in result.problems] == [
        (middle.seq, f"Loggrad {middle.event_id} har ändrats."),
        (middle.seq + 1, f"Länk {middle.seq + 1} pekar inte på föregående länk: kedjan är bruten."),
    ]


def test_deleted_row_is_detected_as_missing(world, middle):
    drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditseal WHERE seq = %s", [middle.seq])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [middle.event_id])
    assert not AuditEvent.objects.filter(pk=middle.event_id).exists()
    result = services.chain_verify()
    # Reported once, as missing; the intact row after the gap is not accused.
    assert [(p.seq, p.message) for p in result.problems] == [
        (middle.seq, f"Länk {middle.seq}–{middle.seq} saknas: loggrader har raderats.")
    ]


# The management command ----------------------------------------------------------------


def test_verify_command_succeeds_when_intact(world, sealed):
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Loggen är hel." in out.getvalue()
    assert f"Kontrollerade {len(sealed)} loggrader." in out.getvalue()


def test_verify_never_seals(world):
    """Verify is read-only: rows waiting for the sealer are counted, not linked in (a
    verify that sealed first would link in rows an attacker had just inserted, and
    would write a new head to the witnesses while checking against them)."""
    pending = AuditEvent.objects.filter(seal__isnull=True).count()
    assert pending > 0
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"Ej inlänkade: {pending}." in out.getvalue()
    assert AuditSeal.objects.count() == 0
    assert services.chain_verify().unsealed == pending


def test_verify_command_fails_on_a_changed_row(world, middle):
    drop_append_only_triggers()
    AuditEvent.objects.filter(pk=middle.event_id).update(actor_username="someone_else")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Loggen är manipulerad: 1 fel"):
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    assert f"Loggrad {middle.event_id} har ändrats." in err.getvalue()


def test_verify_command_fails_on_a_deleted_row(world, middle):
    drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditseal WHERE seq = %s", [middle.seq])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [middle.event_id])
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--no-seal", stdout=io.StringIO(), stderr=io.StringIO())


def test_seal_command(world):
    pending = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("audit", "seal", stdout=out)
    assert out.getvalue().strip() == f"Länkade in {pending} loggrader."
    assert AuditSeal.objects.count() == pending


# The database itself refuses to change the log -----------------------------------------


def _refused(operation):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        operation()


def test_triggers_refuse_update_and_delete_of_events(world, sealed):
    event = AuditEvent.objects.order_by("id").first()
    before = AuditEvent.objects.filter(pk=event.pk).values().get()
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(actor_username="x"))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias))
    unsealed = services.event_record(actor=None, action="read", resource_type="test.thing")
    _refused(lambda: AuditEvent.objects.filter(pk=unsealed.pk).delete())
    assert AuditEvent.objects.filter(pk=event.pk).values().get() == before
    assert services.chain_verify().ok


def test_triggers_refuse_update_and_delete_of_links(world, sealed):
    link = sealed[0]
    _refused(lambda: AuditSeal.objects.filter(pk=link.pk).update(chain_hash="0" * 64))
    _refused(lambda: AuditSeal.objects.filter(pk=link.pk).delete())
    assert AuditSeal.objects.get(pk=link.pk).chain_hash == link.chain_hash


def test_triggers_refuse_raw_sql(world, sealed):
    def raw(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    _refused(lambda: raw("UPDATE audit_auditevent SET reason = 'x'"))
    _refused(lambda: raw("DELETE FROM audit_auditevent"))
    _refused(lambda: raw("DELETE FROM audit_auditseal"))
    if connection.vendor == "postgresql":
        raw("SET CONSTRAINTS ALL IMMEDIATE")  # else: "pending trigger events" from sealing
        _refused(lambda: raw("TRUNCATE audit_auditseal, audit_auditevent"))
    assert AuditSeal.objects.count() == len(sealed)
    assert services.chain_verify().ok
