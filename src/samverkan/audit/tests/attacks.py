"""What an attacker with the database owner's rights does to the audit log, for the
tests (everything is rolled back with the test's transaction)."""

from __future__ import annotations

import importlib

from django.db import connection

from samverkan.audit import hashing
from samverkan.audit.models import AuditEvent, AuditSeal

triggers = importlib.import_module("samverkan.audit.migrations.0002_append_only_triggers")


def drop_append_only_triggers() -> None:
    """First step of every attack: remove the append-only triggers (on PostgreSQL with
    the function they call, which takes every partition's triggers with it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS audit_append_only() CASCADE")
        else:
            for statement in triggers.SQLITE_BACKWARD:
                cursor.execute(statement)


def delete_newest(count: int) -> None:
    """Delete the newest ``count`` rows together with their links."""
    newest = list(AuditSeal.objects.order_by("-seq").values_list("seq", "event_id")[:count])
    with connection.cursor() as cursor:
        for seq, event_id in newest:
            cursor.execute("DELETE FROM audit_auditseal WHERE seq = %s", [seq])
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event_id])


def rewrite_from(seq: int, **changes) -> None:
    """Alter the row of link ``seq`` and recompute its content hash and every later
    link, so that the chain is consistent with itself again."""
    links = list(AuditSeal.objects.filter(seq__gte=seq).order_by("seq"))
    event = AuditEvent.objects.get(pk=links[0].event_id)
    for name, value in changes.items():
        setattr(event, name, value)
    new_content = hashing.event_hash(event)
    AuditEvent.objects.filter(pk=event.pk).update(content_hash=new_content, **changes)
    prev = links[0].prev_hash
    contents = dict(
        AuditEvent.objects.filter(pk__in=[link.event_id for link in links]).values_list(
            "id", "content_hash"
        )
    )
    for link in links:
        new_hash = hashing.chain_hash(prev, link.seq, link.event_id, contents[link.event_id])
        AuditSeal.objects.filter(seq=link.seq).update(prev_hash=prev, chain_hash=new_hash)
        prev = new_hash
