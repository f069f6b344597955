"""No HTML or script injection through text fields: what staff type into names, notes,
consent texts and shared knowledge is shown escaped on every page that shows it."""

from __future__ import annotations

import datetime
import html

import pytest
from django.apps import apps
from django.urls import reverse

from samverkan.demo.world import fictional_number

# Each payload would run a script, or add markup, if it were shown unescaped.
SCRIPT = '<script>alert("x")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'
LINK = "<a href='javascript:alert(1)'>klicka</a>"

NUMBER = fictional_number(datetime.date(2015, 6, 1), 417)


def assert_escaped(response, *payloads: str) -> None:
    assert response.status_code == 200
    for payload in payloads:
        assert payload not in response.text, f"unescaped on {response.request['PATH_INFO']}"
        assert html.escape(payload) in response.text, (
            f"not shown (escaped) on {response.request['PATH_INFO']}: {payload}"
        )


def _register(client) -> str:
    response = client.post(
        "/barn/registrera/",
        {
            "personal_number": NUMBER,
            "first_name": SCRIPT,
            "last_name": IMAGE,
            "context": "education",
            "unit": "",
            "note": LINK + "\n" + SCRIPT,
            "street_address": "",
            "postal_code": "",
            "city": "",
        },
    )
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


@pytest.fixture
def child_url(world, login):
    return _register(login("frida"))


def test_child_names_and_involvement_note(world, login, child_url):
    client = login("frida")
    assert_escaped(client.get(child_url), SCRIPT, IMAGE, LINK)
    assert_escaped(client.get("/barn/"), SCRIPT, IMAGE)
    assert_escaped(client.get("/barn/", {"q": NUMBER}), SCRIPT, IMAGE)


def test_search_text_is_reflected_escaped(world, login):
    client = login("frida")
    response = client.get("/barn/", {"q": IMAGE})
    assert response.status_code == 200
    assert IMAGE not in response.text
    response = client.get(reverse("knowledge:search"), {"q": IMAGE})
    assert response.status_code == 200
    assert IMAGE not in response.text


def test_guardian_names(world, login, child_url):
    client = login("frida")
    response = client.post(
        f"{child_url}vardnadshavare/",
        {
            "guardian-first_name": SCRIPT,
            "guardian-last_name": IMAGE,
            "guardian-personal_number": "",
            "guardian-custody_type": "gemensam",
            "guardian-phone": LINK,
            "guardian-email": "",
        },
    )
    assert response.status_code == 302
    assert_escaped(client.get(child_url), SCRIPT, IMAGE)
    child_id = child_url.rstrip("/").rsplit("/", 1)[1]
    # The consent form offers the guardians as givers.
    assert_escaped(client.get(f"/samtycken/barn/{child_id}/nytt/"), SCRIPT, IMAGE)


def test_consent_exclusions_views_and_note(world, login, child_url):
    client = login("frida")
    child_id = child_url.rstrip("/").rsplit("/", 1)[1]
    response = client.post(
        f"/samtycken/barn/{child_id}/nytt/",
        {
            "parties": [world.organisations["Elevhälsan Frejaskolan"].pk],
            "categories": ["skolsituation"],
            "purposes": ["allman_samverkan"],
            "exclusions": SCRIPT,
            "child_views": IMAGE,
            "note": LINK,
            "form": "written",
            "context": "voluntary",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    detail = client.get(response["Location"])
    assert_escaped(detail, SCRIPT, IMAGE)
    assert LINK not in detail.text
    listing = client.get(f"/samtycken/barn/{child_id}/")
    assert listing.status_code == 200
    for payload in (SCRIPT, IMAGE, LINK):
        assert payload not in listing.text


def test_checklist_item_text(world, login):
    client = login("frida")
    client.post(reverse("knowledge:checklist_item_add"), {"text": SCRIPT})
    assert_escaped(client.get(reverse("knowledge:checklist")), SCRIPT)
    assert_escaped(client.get(reverse("knowledge:checklist_print")), SCRIPT)


def test_knowledge_entry_text_and_history(world, login):
    Concept = apps.get_model("knowledge", "Concept")
    client = login("admin")
    concept = Concept.objects.get(code="sip")
    url = reverse("knowledge:concept_edit", args=["sip"])
    page = client.get(url)
    data = {name: getattr(concept, name) for name in page.context["form"].kind.field_names}
    data.update(
        is_active="on",
        definition=f"{concept.definition} {SCRIPT}",
        explanation=IMAGE,
        version=concept.version,
        comment=LINK,
    )
    assert client.post(url, data).status_code == 302
    assert_escaped(client.get(reverse("knowledge:concept_detail", args=["sip"])), SCRIPT, IMAGE)
    history = client.get(reverse("knowledge:concept_history", args=["sip"]))
    assert history.status_code == 200
    for payload in (SCRIPT, IMAGE, LINK):
        assert payload not in history.text
    assert "&lt;script&gt;" in history.text
