"""Requests that race (issue 13 items 2 and 3): twenty identical creations at once, on
PostgreSQL with a connection per thread (the ``concurrent_db`` fixture), end in one
record and no server error. Skipped on SQLite, which lets one writer in at a time."""

from __future__ import annotations

import pytest
from django.test import Client

from samverkan.concerns.tests.factories import report_world
from samverkan.directory.services import token_create
from samverkan.people.models import Involvement
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

N = 20

pytestmark = pytest.mark.usefixtures("concurrent_db")


def _api(membership) -> Client:
    _, token = token_create(actor=None, membership=membership)
    return Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False)


def _statuses(results) -> list:
    return [r if isinstance(r, Exception) else r.status_code for r in results]


def test_twenty_reports_about_one_child_at_once_open_one_matter_and_no_500(race):
    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    clients = [_api(world.teacher) for _ in range(N)]

    results = race(
        N,
        lambda i: clients[i].post(
            "/api/concerns",
            {
                "child_id": str(child.public_id),
                "worry": f"Oro nummer {i}.",
                "reporter_phone": "0123-456 78",
            },
            content_type="application/json",
        ),
    )

    statuses = _statuses(results)
    assert all(s == 201 for s in statuses), statuses
    assert (
        Involvement.objects.filter(
            child=child, organisation=world.social, ended_at__isnull=True
        ).count()
        == 1
    )
