"""Search-before-create must not reveal whether another organisation knows a child.

Liam (demo world) is known only to BVC. For Vårdcentralen and Frejaskolan, looking
him up or registering him must look exactly like a child nobody knows.
"""

from __future__ import annotations

import datetime
import re

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.demo.world import fictional_number
from samverkan.people.models import Child, Involvement

UNKNOWN = fictional_number(datetime.date(2024, 5, 17), 123)


@pytest.fixture
def liam(world):
    return world.children["liam"]


def _display(number: str) -> str:
    return f"{number[:8]}-{number[8:]}"


def _anonymised(page_text, response, number: str) -> str:
    return page_text(response).replace(_display(number), "<NR>").replace(number, "<NR>")


@pytest.mark.parametrize("username", ["frida", "viktor"])
def test_lookup_known_elsewhere_looks_like_unknown(world, login, page_text, liam, username):
    client = login(username)
    known_elsewhere = client.post(
        "/barn/registrera/", {"step": "lookup", "personal_number": liam.personal_number}
    )
    unknown = client.post("/barn/registrera/", {"step": "lookup", "personal_number": UNKNOWN})
    assert known_elsewhere.status_code == unknown.status_code == 200
    # Both offer the registration form, pre-filled with the number typed.
    assert 'name="first_name"' in unknown.text
    assert _anonymised(page_text, known_elsewhere, liam.personal_number) == _anonymised(
        page_text, unknown, UNKNOWN
    )
    assert "Liam" not in known_elsewhere.text
    assert "Johansson" not in known_elsewhere.text


def test_lookup_known_in_own_organisation_links_to_the_child(world, login):
    melwin = world.children["melwin"]
    response = login("frida").post(
        "/barn/registrera/", {"step": "lookup", "personal_number": melwin.personal_number_display}
    )
    assert response.status_code == 200
    assert "Barnet finns redan i din verksamhet" in response.text
    assert f"/barn/{melwin.public_id}/" in response.text
    assert 'name="first_name"' not in response.text  # no second registration offered


@pytest.mark.parametrize("username", ["frida", "viktor"])
def test_list_search_known_elsewhere_looks_like_unknown(world, login, page_text, liam, username):
    client = login(username)
    known_elsewhere = client.post("/barn/", {"q": liam.personal_number})
    unknown = client.post("/barn/", {"q": UNKNOWN})
    assert known_elsewhere.status_code == unknown.status_code == 200
    assert "Inget barn i din verksamhet matchar sökningen." in unknown.text
    assert _anonymised(page_text, known_elsewhere, liam.personal_number) == _anonymised(
        page_text, unknown, UNKNOWN
    )


def test_api_search_known_elsewhere_looks_like_unknown(world, api, liam):
    client = api("viktor")
    known_elsewhere = client.post(
        "/api/children/search",
        {"personnummer": liam.personal_number},
        content_type="application/json",
    )
    unknown = client.post(
        "/api/children/search", {"personnummer": UNKNOWN}, content_type="application/json"
    )
    assert known_elsewhere.status_code == unknown.status_code == 200
    assert known_elsewhere.json() == unknown.json() == []


def _register(client, number: str, context: str = "health_care"):
    return client.post(
        "/barn/registrera/",
        {
            "personal_number": number,
            "first_name": "Liam",
            "last_name": "Johansson",
            "context": context,
            "unit": "",
            "note": "",
            "street_address": "",
            "postal_code": "",
            "city": "",
        },
    )


def _messages(client, response) -> list[str]:
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    return [str(m) for m in followed.context["messages"]]


def test_register_known_elsewhere_answers_like_a_new_child(world, login, liam):
    client = login("viktor")
    children_before = Child.objects.count()

    existing = _register(client, liam.personal_number)
    existing_messages = _messages(client, existing)
    new = _register(client, UNKNOWN)
    new_messages = _messages(client, new)

    assert existing.status_code == new.status_code == 302
    overview = re.compile(r"^/barn/[0-9a-f-]{36}/$")
    assert overview.match(existing["Location"])
    assert overview.match(new["Location"])
    assert existing_messages == new_messages == ["Barnet är registrerat i din verksamhet."]

    # One new child (the unknown one); Liam gained Vårdcentralen's involvement only.
    assert Child.objects.count() == children_before + 1
    assert existing["Location"] == f"/barn/{liam.public_id}/"
    vardcentralen = world.organisations["Vårdcentralen"]
    assert Involvement.objects.filter(child=liam, organisation=vardcentralen).count() == 1
    # Both registrations are audited in the same way, with the ground.
    rows = AuditEvent.objects.filter(actor_username="viktor", action="create").order_by("id")
    assert [(r.resource_type, r.ground_code) for r in rows] == [
        ("people.involvement", "own_matter"),
        ("people.involvement", "own_matter"),
    ]


def test_registered_child_overview_shows_nothing_of_the_other_organisation(world, login, liam):
    client = login("viktor")
    response = client.get(_register(client, liam.personal_number)["Location"])
    assert response.status_code == 200
    assert "Barnhälsovården" not in response.text
    assert "BVC" not in response.text
    assert "Birgitta" not in response.text  # who registered him at BVC


def test_register_twice_in_own_organisation_is_refused(world, login):
    melwin = world.children["melwin"]
    before = Involvement.objects.filter(child=melwin).count()
    response = _register(login("frida"), melwin.personal_number, context="education")
    assert response.status_code == 200
    assert "Barnet är redan registrerat i din verksamhet." in response.text
    assert Involvement.objects.filter(child=melwin).count() == before


def test_registered_child_shows_no_guardians_entered_by_another_organisation(world, login, liam):
    client = login("viktor")
    response = client.get(_register(client, liam.personal_number)["Location"])
    assert "Sanna" not in response.text
    assert "076-333 44 55" not in response.text
