"""A queryset compiled once and run with new values (decision 0370) gives what the
queryset built anew gives: the same rows, their related objects, each run's own values."""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import FilteredRelation, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.core.prepared import PreparedQuery

Session = apps.get_model("sessions", "Session")
Membership = apps.get_model("directory", "Membership")
Child = apps.get_model("people", "Child")

pytestmark = pytest.mark.django_db

BY_PUBLIC_ID = PreparedQuery(
    Child,
    lambda public_id: Child.objects.filter(public_id=public_id),
    lambda: (Child._meta.get_field("public_id"),),
)


def _session(key: str, seconds: int) -> Session:
    return Session.objects.create(
        session_key=key,
        session_data="{}",
        expire_date=timezone.now() + timezone.timedelta(seconds=seconds),
    )


def test_each_run_binds_its_own_values():
    query = PreparedQuery(
        Session,
        lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
        lambda: (Session._meta.get_field("session_key"), Session._meta.get_field("expire_date")),
    )
    _session("a" * 32, 60)
    _session("b" * 32, -60)
    now = timezone.now()
    assert [s.session_key for s in query.run("a" * 32, now)] == ["a" * 32]
    assert query.run("b" * 32, now) == []  # expired: the second value is bound too
    assert [s.session_key for s in query.run("b" * 32, now - timezone.timedelta(hours=1))] == [
        "b" * 32
    ]
    assert query.run("c" * 32, now) == []


def test_related_objects_and_filtered_relations_are_loaded_as_the_queryset_loads_them(
    world, django_user_model
):
    def build(user_id, today):
        return (
            django_user_model.objects.filter(pk=user_id)
            .annotate(
                active=FilteredRelation(
                    "memberships", condition=Q(memberships__valid_from__lte=today)
                )
            )
            .select_related("active__organisation", "active__function")
            .order_by("active__pk")
        )

    query = PreparedQuery(
        django_user_model,
        build,
        lambda: (django_user_model._meta.pk, Membership._meta.get_field("valid_from")),
    )
    for membership in Membership.objects.select_related("user")[:3]:
        today = timezone.localdate()
        expected = list(build(membership.user_id, today))
        with CaptureQueriesContext(connection) as queries:
            rows = query.run(membership.user_id, today)
            loaded = [
                (r.pk, getattr(r, "active", None) and r.active.organisation.name) for r in rows
            ]
        assert len(queries) == 1  # the related objects came with the rows
        assert loaded == [
            (r.pk, getattr(r, "active", None) and r.active.organisation.name) for r in expected
        ]


def test_a_malformed_value_raises_what_the_lookup_raises(world):
    child = next(iter(world.children.values()))
    assert BY_PUBLIC_ID.run(child.public_id) == [child]
    assert BY_PUBLIC_ID.run(str(child.public_id)) == [child]
    with pytest.raises((ValidationError, ValueError)):
        BY_PUBLIC_ID.run("not-a-uuid")
    assert BY_PUBLIC_ID.run(uuid.uuid4()) == []
