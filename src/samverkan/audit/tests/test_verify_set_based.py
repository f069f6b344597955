# ruff: noqa: S608 - the SQL names this module's own tables
"""PostgreSQL checks the rows itself (audit/verify/canonical_sql.py, rows_sql.py): its
hash of a row must be the reference hash (``hashing.content_hash``) wherever it gives
one, for every value a row can hold; a row changed in any month's partition must be
found, on one connection and on several in parallel; and a link broken inside a month,
a run of links moved between months, or a link missing at a month's edge must be found
by the set-based link check."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.audit import hashing, partitions, services, verify
from samverkan.audit.models import AuditEvent, AuditSeal
from samverkan.audit.verify import canonical_sql

from .attacks import drop_append_only_triggers

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based check runs on PostgreSQL"
)

UTC = datetime.UTC

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
)
scalar = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | text
details = st.recursive(
    scalar | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)


def _simple(value) -> bool:
    """The shapes the database rebuilds itself (anything else goes to Python)."""

    def is_scalar(item):
        return item is None or isinstance(item, bool | int | str)

    return all(
        is_scalar(item) or (isinstance(item, list) and all(map(is_scalar, item)))
        for item in value.values()
    )


def reference_text(event: AuditEvent) -> str:
    """The bytes ``hashing.content_hash`` hashes, as text."""
    payload = {name: hashing._normalise(getattr(event, name)) for name in hashing.HASHED_FIELDS}
    for name in hashing.OPTIONAL_HASHED_FIELDS:
        if getattr(event, name):
            payload[name] = getattr(event, name)
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _fast_text(event_id: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {canonical_sql.canonical_sql(fast=True)} FROM audit_auditevent e "
            "WHERE e.id = %s",
            [event_id],
        )
        return cursor.fetchone()[0]


def _database_hash(event_id: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {canonical_sql.row_hash_sql()} FROM audit_auditevent e WHERE e.id = %s",
            [event_id],
        )
        return cursor.fetchone()[0]


class Actor:
    def __init__(self, user_id, username, organisation_id, function_name):
        self.user_id = user_id
        self.username = username
        self.display_name = username[::-1]
        self.organisation_id = organisation_id
        self.organisation_name = username.upper()
        self.unit_name = username + "\t"
        self.function_name = function_name


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    username=text,
    function_name=text,
    reason=text,
    resource_id=text,
    user_id=st.none() | st.integers(-(2**63), 2**63 - 1),
    organisation_id=st.none() | st.integers(0, 2**62),
    detail=st.dictionaries(text, details, max_size=4),
    micro=st.integers(0, 999_999),
    ip=st.none() | st.ip_addresses().map(str),
    # The optional hashed field, absent (NULL), empty or set: the SQL form joins its
    # pieces with || (decision 0320), where one NULL piece would void the whole text.
    assurance=st.none() | st.just("") | st.sampled_from(["loa3", "password+totp"]) | text,
)
@pytest.mark.django_db
def test_the_databases_hash_is_the_reference_hash_wherever_it_gives_one(
    username,
    function_name,
    reason,
    resource_id,
    user_id,
    organisation_id,
    detail,
    micro,
    ip,
    assurance,
):
    event = services.event_record(
        actor=Actor(user_id, username, organisation_id, function_name),
        action="read",
        resource_type="test.thing",
        resource_id=resource_id,
        reason=reason,
        details=detail,
        occurred_at=datetime.datetime(2026, 11, 30, 12, 0, 0, micro, tzinfo=UTC),
    )
    changed = {}
    if ip is not None:
        changed["ip_address"] = ip
    if assurance is not None:  # event_record stores NULL outside a logged-in request
        changed["assurance_level"] = assurance
    if changed:
        drop_append_only_triggers()
        AuditEvent.objects.filter(pk=event.pk).update(**changed)
    stored = AuditEvent.objects.get(pk=event.pk)
    reference = hashing.event_hash(stored)
    found = _database_hash(event.pk)
    if _simple(stored.details):
        assert found == reference
    else:
        assert found is None or found == reference
    if ip is not None:  # the hash on the row was made before the address was set
        assert found is None or found != stored.content_hash
    # The fast form (decision 0360) is trusted only where it matches: its text must be
    # no JSON at all (a raw control character), or the stored values themselves.
    fast = _fast_text(event.pk)
    try:
        values = json.loads(fast) if fast is not None else None
    except ValueError:
        values = None
    if values is not None:
        canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert canonical == reference_text(stored)


def _rows_in_months(months: list[datetime.datetime], per_month: int = 3) -> list[AuditEvent]:
    partitions.ensure(starts=min(months), ends=max(months))
    events = []
    for when in months:
        for number in range(per_month):
            events.append(
                services.event_record(
                    actor=None,
                    action="read",
                    resource_type="test.thing",
                    resource_id=f"{when:%Y-%m}-{number}",
                    details={"rows": number, "view": "list", "ids": [1, 2]},
                    occurred_at=when + datetime.timedelta(minutes=number),
                )
            )
    services.seal_pending()
    return events


def _months(count: int) -> list[datetime.datetime]:
    now = datetime.datetime.now(UTC).replace(day=15, hour=12, minute=0, second=0, microsecond=0)
    return [now - datetime.timedelta(days=31 * back) for back in range(count)]


@pytest.mark.django_db
def test_a_changed_row_is_found_in_every_months_partition():
    services.seal_pending()
    before = verify.chain_verify().slow  # the world's rows with nested details
    months = _months(4)
    events = _rows_in_months(months)
    result = verify.chain_verify()
    assert result.ok, [p.message for p in result.problems]
    assert result.slow == before  # every new row was found equal by the database itself
    assert result.segments >= 4
    drop_append_only_triggers()
    changed = [events[index * 3 + 1] for index in range(len(months))]
    for event in changed:
        AuditEvent.objects.filter(pk=event.pk).update(reason="Ändrad i efterhand")
    result = verify.chain_verify()
    assert sorted(p.event_id for p in result.problems) == sorted(e.pk for e in changed)
    assert {p.message for p in result.problems} == {f"Loggrad {e.pk} har ändrats." for e in changed}
    assert result.slow == before + len(changed)


def _as_owner_without_triggers(sql: str, params: list) -> None:
    """Change committed rows the way an owner can (triggers off for this session only;
    nothing else loses them)."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("SET session_replication_role = origin")


@pytest.mark.usefixtures("concurrent_db")
def test_parallel_workers_share_one_snapshot_and_find_a_change_in_every_month():
    """Outside a transaction each month is checked on its own connection, in one
    exported snapshot: the same verdict as on one connection."""
    months = _months(3)
    events = _rows_in_months(months)
    before = verify.chain_verify(workers=3)
    changed = [events[index * 3 + 2] for index in range(len(months))]
    ids = [e.pk for e in changed]
    _as_owner_without_triggers(
        "UPDATE audit_auditevent SET details = '{\"rows\": 99}' WHERE id = ANY(%s)", [ids]
    )
    try:
        result = verify.chain_verify(workers=3)
    finally:  # the clone is shared with later tests: put the rows back
        for event in changed:
            _as_owner_without_triggers(
                "UPDATE audit_auditevent SET details = %s::jsonb WHERE id = %s",
                ['{"rows": 2, "view": "list", "ids": [1, 2]}', event.pk],
            )
    assert sorted(p.event_id for p in result.problems if p.event_id in ids) == sorted(ids)
    assert len(result.problems) == len(before.problems) + len(ids)
    assert result.rows == result.checked == AuditSeal.objects.count()
    assert result.segments >= 3
    assert verify.chain_verify(workers=3).problem_count == before.problem_count
