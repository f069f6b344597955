"""Query counts on the children pages and the API list, pinned so that no N+1 creeps
in. The bounds were measured (see the numbers in the comments) and given a little
headroom; the list must not grow with the number of children."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.people.models import Involvement

from .factories import InvolvementFactory

# Measured (frida, Frejaskolan, 34 children, 25 a page): list page 8 (session, user,
# membership, the page of children with its access condition, one audit row for the
# page, session save), search by name or personnummer the same, overview 12, API list
# 3. Headroom of three.
LIST_MAX = 11
SEARCH_MAX = 11
OVERVIEW_MAX = 15
API_LIST_MAX = 6


def _add_children(world, count: int, organisation="Frejaskolan"):
    InvolvementFactory.create_batch(count, organisation=world.organisations[organisation])


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _search_count(client, query) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/barn/", {"q": query})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_child_list_queries_do_not_grow_with_children(world, login):
    client = login("frida")
    client.get("/")  # warm up the session
    _add_children(world, 5)
    few = (_count(client, "/barn/"), _search_count(client, "Testsson"))
    _add_children(world, 45)
    many = (_count(client, "/barn/"), _count(client, "/barn/?page=2"), _search_count(client, "Te"))
    listed, searched = few
    assert many[:2] == (listed, listed), f"{few} queries for 5 children, {many} for 50"
    # A name search reads the prefix matches first; on PostgreSQL, when they do not fill
    # the page, one more query reads the similar names (decision 0354). So a search
    # makes the list's queries, or one more, and never more as the children grow.
    assert listed <= searched <= listed + 1, few
    assert listed <= many[2] <= searched, f"{few} queries for 5 children, {many} for 50"


def test_api_child_list_queries_do_not_grow_with_children(world, api):
    client = api("frida")
    client.get("/api/children")  # the token's first use is recorded once; not measured
    _add_children(world, 5)
    few = _count(client, "/api/children")
    _add_children(world, 45)
    many = _count(client, "/api/children")
    assert many == few, f"{few} queries for 5 children, {many} for 50"


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
    assert len(response.context["rows"]) == 25  # one page of the demo children + 30
    assert response.context["page"].has_next
    second = client.get("/barn/?page=2")
    assert len(second.context["rows"]) == demo + 30 - 25


def test_child_search_query_count_is_pinned(world, login, django_assert_max_num_queries):
    client = login("frida")
    _add_children(world, 30)
    melwin = world.children["melwin"]
    for query in ("Testsson", melwin.personal_number_display):
        with django_assert_max_num_queries(SEARCH_MAX):
            response = client.post("/barn/", {"q": query})
        assert response.status_code == 200
        assert response.context["rows"]


def test_child_overview_query_count_is_pinned(world, login, django_assert_max_num_queries):
    client = login("frida")
    melwin = world.children["melwin"]
    with django_assert_max_num_queries(OVERVIEW_MAX):
        response = client.get(f"/barn/{melwin.public_id}/")
    assert response.status_code == 200


def test_api_child_list_query_count_is_pinned(world, api, django_assert_max_num_queries):
    client = api("frida")
    _add_children(world, 30)
    with django_assert_max_num_queries(API_LIST_MAX):
        response = client.get("/api/children")
    assert len(response.json()) == 25
