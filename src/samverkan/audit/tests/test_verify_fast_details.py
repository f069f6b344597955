# ruff: noqa: S608 - the SQL names this module's own tables
"""The first, faster form of a row's hash on PostgreSQL (decision 0360): ``details``
taken from jsonb's own text with its spaces removed, trusted only when it parses back to
the stored value. Where that text is not Python's (keys in another order, a string with
``", "`` or ``": "`` in it) the row must still verify, through the exact form, and a
change to it must still be found, never accepted because the compacted texts agree.
Strings that need escaping in every field must verify and be found when changed."""

from __future__ import annotations

import json

import pytest
from django.db import connection, models

from samverkan.audit import hashing, services, verify
from samverkan.audit.models import AuditEvent
from samverkan.audit.verify import canonical_sql

from .attacks import drop_append_only_triggers, rewrite_from
from .test_verify_set_based import reference_text

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based check runs on PostgreSQL"
)

# Keys jsonb keeps in another order than Python's (shorter first): placed_by,
# reference, record_type against placed_by, record_type, reference.
OUT_OF_ORDER = {"record_type": "hold", "reference": "Dnr 1", "placed_by": "anna"}
# Strings whose jsonb text has the very separators the fast form takes the space out of.
SEPARATORS = {"a": "x, ", "b": 'y": z', "c": ["p, q", 1, True, None]}

# Every hashed text column (the choices aside), read from the hash's own list and the
# model, so that a column added to the hash is tested here too; ``reason`` and
# ``details`` are set through the write path.
TEXTS = [
    field
    for field in AuditEvent._meta.get_fields()
    if field.name in hashing.HASHED_FIELDS + hashing.OPTIONAL_HASHED_FIELDS
    and isinstance(field, models.CharField)
    and not field.choices
]


def _texts(event_id: int) -> tuple[str | None, str | None]:
    """(fast, exact) canonical text of the row, as the database builds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {canonical_sql.canonical_sql(fast=True)}, {canonical_sql.canonical_sql()} "
            "FROM audit_auditevent e WHERE e.id = %s",
            [event_id],
        )
        return cursor.fetchone()


def _record(details: dict, reason: str = "") -> AuditEvent:
    event = services.event_record(
        actor=None, action="read", resource_type="test.thing", reason=reason, details=details
    )
    services.seal_pending()
    return AuditEvent.objects.get(pk=event.pk)


def _set_details(event: AuditEvent, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET details = %s::jsonb WHERE id = %s", [value, event.pk]
        )


@pytest.mark.django_db
def test_the_fast_text_is_the_stored_value_or_nothing():
    """Wherever the fast form gives a text it holds the stored values (read as Python
    reads them); where jsonb's order is Python's it is the reference text itself."""
    in_order = _record({"rows": 3, "view": "list", "ids": [1, 2], "zero": False})
    fast, exact = _texts(in_order.pk)
    assert fast == exact == reference_text(in_order)
    for details in (OUT_OF_ORDER, SEPARATORS, {"n": {"z": 1, "a": [2, 3]}}):
        event = _record(details)
        fast, exact = _texts(event.pk)
        assert exact is None or exact == reference_text(event)
        if fast is not None:
            canonical = json.dumps(
                json.loads(fast), sort_keys=True, ensure_ascii=False, separators=(",", ":")
            )
            assert canonical == reference_text(event)
    assert _texts(_record(SEPARATORS).pk)[0] is None  # a space inside a string: not trusted


@pytest.mark.django_db
def test_rows_the_fast_form_does_not_match_verify_without_python_and_changes_are_found(world):
    services.seal_pending()
    before = verify.chain_verify().slow  # the world's rows with nested details
    out_of_order = _record(OUT_OF_ORDER)
    separators = _record(SEPARATORS)
    result = verify.chain_verify()
    assert result.ok, [p.message for p in result.problems]
    assert result.slow == before  # both built again by the database, exactly
    drop_append_only_triggers()
    # Each change leaves jsonb text whose compacted form is the original's.
    _set_details(separators, json.dumps({**SEPARATORS, "a": "x,", "b": 'y":z'}))
    _set_details(out_of_order, json.dumps({**OUT_OF_ORDER, "reference": "Dnr 2"}))
    result = verify.chain_verify()
    assert sorted(p.event_id for p in result.problems) == sorted([separators.pk, out_of_order.pk])


@pytest.mark.django_db
def test_strings_that_need_escaping_in_every_field_verify_and_changes_are_found(world):
    """Quotes, backslashes, control characters and non-ASCII in every text field and in
    details: the rows take the escaped form (or Python), verify, and a change to any of
    them is found."""
    odd = 'Å "citat" \\ snedstreck\t\n\x01 ö'
    events = []
    for index, name in enumerate(("actor_name", "reason", "resource_id", "subject_id")):
        event = _record({odd: [odd, index], "väg": odd}, reason=odd)
        drop_append_only_triggers()
        values = {field.name: f"{odd} {field.name}"[: field.max_length] for field in TEXTS}
        values["action"], values["outcome"] = "read", "allowed"
        AuditEvent.objects.filter(pk=event.pk).update(**values)
        stored = AuditEvent.objects.get(pk=event.pk)
        # Re-hash the row as if it had been written so, and re-link the chain from it.
        seq = stored.seal.seq
        rewrite_from(seq, **{name: getattr(stored, name)})
        events.append((name, AuditEvent.objects.get(pk=event.pk)))
    result = verify.chain_verify()
    assert result.ok, [p.message for p in result.problems]
    for _, event in events:
        assert _texts(event.pk)[1] in (None, reference_text(event))
    changed = [event.pk for _, event in events]
    for name, event in events:
        AuditEvent.objects.filter(pk=event.pk).update(**{name: getattr(event, name) + "!"})
    result = verify.chain_verify()
    assert sorted(p.event_id for p in result.problems) == sorted(changed)
