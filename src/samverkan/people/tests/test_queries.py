"""Query counts on the children pages and the API list, pinned so that no N+1 creeps
in. The bounds were measured (see the numbers in the comments) and given a little
headroom; the list must not grow with the number of children."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.people.models import Involvement

from .factories import InvolvementFactory

# Measured on SQLite and PostgreSQL (frida, Frejaskolan, 34 children): list page 17
# (session, user, membership, the policy's scopes, the audit rows in one INSERT, session
# save), overview 12, API list 13. Headroom of three.
LIST_MAX = 20
OVERVIEW_MAX = 15
API_LIST_MAX = 16


def _add_children(world, count: int, organisation="Frejaskolan"):
    InvolvementFactory.create_batch(count, organisation=world.organisations[organisation])


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/barn/", "/barn/?q=Testsson"])
def test_child_list_queries_do_not_grow_with_children(world, login, path):
    client = login("frida")
    client.get("/")  # warm up the session
    _add_children(world, 5)
    few = _count(client, path)
    _add_children(world, 25)
    many = _count(client, path)
    assert many == few, f"{few} queries for 5 children, {many} for 30"


def test_api_child_list_queries_do_not_grow_with_children(world, api):
    client = api("frida")
    client.get("/api/children")  # the token's first use is recorded once; not measured
    _add_children(world, 5)
    few = _count(client, "/api/children")
    _add_children(world, 25)
    many = _count(client, "/api/children")
    assert many == few, f"{few} queries for 5 children, {many} for 30"


def _demo_children(world, organisation="Frejaskolan") -> int:
    return (
        Involvement.objects.filter(organisation=world.organisations[organisation], ended_at=None)
        .values("child")
        .distinct()
        .count()
    )


def test_child_list_query_count_is_pinned(world, login, django_assert_max_num_queries):
    client = login("frida")
    demo = _demo_children(world)
    _add_children(world, 30)
    with django_assert_max_num_queries(LIST_MAX):
        response = client.get("/barn/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == demo + 30


def test_child_overview_query_count_is_pinned(world, login, django_assert_max_num_queries):
    client = login("frida")
    melwin = world.children["melwin"]
    with django_assert_max_num_queries(OVERVIEW_MAX):
        response = client.get(f"/barn/{melwin.public_id}/")
    assert response.status_code == 200


def test_api_child_list_query_count_is_pinned(world, api, django_assert_max_num_queries):
    client = api("frida")
    demo = _demo_children(world)
    _add_children(world, 30)
    with django_assert_max_num_queries(API_LIST_MAX):
        response = client.get("/api/children")
    assert len(response.json()) == demo + 30
