"""Query counts on the intake dashboard and Mina anmälningar, pinned so that no N+1
creeps in: the pages do not grow with the number of reports."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.concerns import services

from .conftest import make_report

# Measured on SQLite and PostgreSQL with 10+ reports: dashboard 10 (session, user,
# membership, the page's ids with the overdue and due-soon counts beside them in one
# statement, reports with handling and handler, duplicates, evaluations, the audit row,
# evaluation summary, session save), Mina anmälningar 10, API list 5 (bearer token).
# Headroom of three.
DASHBOARD_MAX = 13
MINE_MAX = 13
API_LIST_MAX = 8


def _add(world, count):
    for i in range(count):
        report = make_report(world, username="mats" if i % 2 else "frida")
        services.handling_assign(
            actor=world.actor("maria"),
            report=report,
            handler_membership_id=world.memberships["olof"].pk,
        )
        services.feedback_send(actor=world.actor("olof"), report=report, statement="handler")


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("username", "path"),
    [("maria", "/anmalan/mottagning/"), ("mats", "/anmalan/mina/"), ("frida", "/anmalan/mina/")],
)
def test_pages_do_not_grow_with_reports(world, login, username, path):
    client = login(username)
    client.get("/")
    _add(world, 2)
    few = _count(client, path)
    _add(world, 8)
    many = _count(client, path)
    assert many == few, f"{few} queries for few reports, {many} for many"


def test_api_list_does_not_grow_with_reports(world, api):
    client = api("maria")
    client.get("/api/concerns")
    _add(world, 2)
    few = _count(client, "/api/concerns")
    _add(world, 8)
    assert _count(client, "/api/concerns") == few


def test_dashboard_query_count_is_pinned(world, login, django_assert_max_num_queries):
    client = login("maria")
    _add(world, 10)
    with django_assert_max_num_queries(DASHBOARD_MAX):
        response = client.get("/anmalan/mottagning/")
    assert len(response.context["views"]) >= 10


def test_mine_query_count_is_pinned(world, login, django_assert_max_num_queries):
    client = login("mats")
    _add(world, 10)
    with django_assert_max_num_queries(MINE_MAX):
        response = client.get("/anmalan/mina/")
    assert len(response.context["views"]) >= 5


def test_api_list_query_count_is_pinned(world, api, django_assert_max_num_queries):
    client = api("maria")
    client.get("/api/concerns")
    _add(world, 10)
    with django_assert_max_num_queries(API_LIST_MAX):
        assert client.get("/api/concerns").status_code == 200
