"""The fast path of verify (PostgreSQL: rows hashed straight from COPY's bytes) must
agree with the reference, ``hashing.content_hash``, for every value a row can hold:
quotes, backslashes, control characters, tabs and newlines, non-ASCII, empty strings,
missing numbers and addresses, nested ``details``. Each row is written through
``event_record`` (the real write path), sealed, and verified; then altered and verified
again."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.audit import services, verify
from samverkan.audit.models import AuditEvent

from .attacks import drop_append_only_triggers

# PostgreSQL text cannot hold NUL; everything else can.
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
details = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)


class Actor:
    def __init__(self, user_id, username, organisation_id):
        self.user_id = user_id
        self.username = username
        self.display_name = username[::-1]
        self.organisation_id = organisation_id
        self.organisation_name = username.upper()
        self.unit_name = username + "\t"
        self.function_name = "Rektor"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    username=text,
    reason=text,
    resource_id=text,
    user_id=st.none() | st.integers(0, 2**62),
    organisation_id=st.none() | st.integers(0, 2**62),
    detail=st.dictionaries(text, details, max_size=3),
    micro=st.integers(0, 999_999),
)
@pytest.mark.django_db
def test_fast_and_reference_paths_agree(
    username, reason, resource_id, user_id, organisation_id, detail, micro
):
    mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    event = services.event_record(
        actor=Actor(user_id, username, organisation_id),
        action="read",
        resource_type="test.thing",
        resource_id=resource_id,
        subject_id="",
        reason=reason,
        details=detail,
        occurred_at=datetime.datetime(2026, 11, 30, 12, 0, 0, micro, tzinfo=datetime.UTC),
    )
    assert event.pk > mark
    services.seal_pending()
    result = verify.chain_verify()
    assert result.ok, [p.message for p in result.problems]
    assert result.rows == result.checked


@pytest.mark.django_db
def test_rows_that_take_the_slow_path_are_still_checked(world):
    """Quotes, backslashes and details send rows down the reference path; a change to
    such a row is found there too."""
    services.event_record(
        actor=None,
        action="read",
        resource_type="test.thing",
        reason='Sa "hej" \\ och gick.\n',
        details={"rows": 3, "väg": ["a", {"b": None}]},
    )
    services.seal_pending()
    assert verify.chain_verify().ok
    target = AuditEvent.objects.latest("id")
    drop_append_only_triggers()
    AuditEvent.objects.filter(pk=target.pk).update(details={"rows": 4})
    result = verify.chain_verify()
    assert [p.event_id for p in result.problems] == [target.pk]


@pytest.mark.django_db
def test_plain_rows_take_the_fast_path_on_postgresql_and_changes_are_still_found(world):
    from django.db import connection

    for number in range(50):
        services.event_record(
            actor=None, action="read", resource_type="test.thing", resource_id=number
        )
    services.seal_pending()
    result = verify.chain_verify()
    assert result.ok
    if connection.vendor == "postgresql":
        assert result.slow < result.rows - 50  # the plain rows at least
    else:  # SQLite: every row through the reference path
        assert result.rows == result.checked
    target = AuditEvent.objects.latest("id")
    drop_append_only_triggers()
    AuditEvent.objects.filter(pk=target.pk).update(resource_id="x")
    assert [p.event_id for p in verify.chain_verify().problems] == [target.pk]


@pytest.mark.django_db
def test_rows_with_an_assurance_level_verify_on_the_fast_path_and_changes_are_found(world):
    """Rows written after an e-legitimation login carry the assurance level, which is
    hashed only when set. Verify must accept them (on PostgreSQL without the slow path)
    and still find a change to the level."""
    from django.db import connection

    from samverkan.core import request_context

    token = request_context.activate(
        request_context.RequestContext(request_id="r1", assurance_level="loa3")
    )
    try:
        for number in range(50):
            services.event_record(
                actor=None, action="read", resource_type="test.thing", resource_id=number
            )
    finally:
        request_context.deactivate(token)
    services.seal_pending()
    assert AuditEvent.objects.filter(assurance_level="loa3").count() == 50
    result = verify.chain_verify()
    assert result.ok, [p.message for p in result.problems]
    if connection.vendor == "postgresql":
        assert result.slow < result.rows - 50
    target = AuditEvent.objects.latest("id")
    drop_append_only_triggers()
    AuditEvent.objects.filter(pk=target.pk).update(assurance_level="loa2")
    assert [p.event_id for p in verify.chain_verify().problems] == [target.pk]
