"""Skyddade personuppgifter: a child's address and school are shown only to a function
with people.protected in an organisation that has recorded why it needs them; the
audit row records what was hidden.

Elin (demo world) has protected identity. Social services investigates and has recorded
its need; Frejaskolan is her school and has recorded none.
"""

from __future__ import annotations

import datetime

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.demo.world import fictional_number
from samverkan.people.forms import ProtectedNeedForm
from samverkan.people.models import Involvement

ADDRESS = "Skyddad adress 1"


@pytest.fixture
def elin(world):
    return world.children["elin"]


def _read_row(username, child) -> AuditEvent:
    return AuditEvent.objects.filter(
        actor_username=username, action="read", subject_id=str(child.public_id)
    ).latest("id")


@pytest.mark.parametrize("username", ["sofia", "olof", "erik"])
def test_shown_to_social_services_with_recorded_need(world, login, elin, username):
    """The need is recorded on social services' matter, so every function there with
    people.protected sees address and school (Frejaskolan, class 9C)."""
    response = login(username).get(f"/barn/{elin.public_id}/")
    assert response.status_code == 200
    assert ADDRESS in response.text
    assert "Frejaskolan" in response.text
    assert "9C" in response.text
    row = _read_row(username, elin)
    assert row.outcome == "allowed"
    assert "hidden" not in row.details


def test_hidden_from_function_without_people_protected(world, login, elin, page_text):
    """Samir (samordnare) works in the same organisation but lacks people.protected."""
    response = login("samir").get(f"/barn/{elin.public_id}/")
    assert response.status_code == 200
    # Random CSRF tokens could contain "9C" or "12348": compare without them.
    text = page_text(response)
    assert "Elin Nyström" in text
    assert ADDRESS not in text
    assert "12348" not in text
    assert "Frejaskolan" not in text
    assert "9C" not in text
    assert "Dold – skyddade personuppgifter" in response.text
    row = _read_row("samir", elin)
    assert row.outcome == "allowed"
    assert row.details == {"hidden": ["address", "school"]}


def test_hidden_from_school_without_recorded_need(world, login, elin):
    """Frejaskolan knows her as its own pupil, but not her address."""
    response = login("frida").get(f"/barn/{elin.public_id}/")
    assert response.status_code == 200
    assert ADDRESS not in response.text
    assert "Ungdoms- och vuxencentralen" not in response.text
    assert "9C" in response.text  # the school's own enrolment
    assert _read_row("frida", elin).details == {"hidden": ["address", "school"]}


def test_api_hides_the_same(world, api, elin):
    hidden = api("samir").get(f"/api/children/{elin.public_id}").json()
    assert hidden["address"] is None
    assert hidden["enrolments"] == []
    assert hidden["hidden"] == ["address", "school"]
    assert ADDRESS not in str(hidden)

    shown = api("sofia").get(f"/api/children/{elin.public_id}").json()
    assert shown["address"]["street_address"] == ADDRESS
    assert [e["class_name"] for e in shown["enrolments"]] == ["9C"]
    assert shown["hidden"] == []


def test_recording_the_need_opens_address_and_school(world, login):
    """A new protected child: hidden from social services until the need is recorded,
    and the recording itself is audited."""
    client = login("olof")
    response = client.post(
        "/barn/registrera/",
        {
            "personal_number": fictional_number(datetime.date(2016, 2, 3), 44),
            "first_name": "Skyddad",
            "last_name": "Flicka",
            "context": "investigation",
            "unit": "",
            "protected_identity": "on",
            "street_address": "Hemlig väg 2",
            "postal_code": "12349",
            "city": "Exempelstad",
        },
    )
    assert response.status_code == 302
    overview = response["Location"]
    assert "Hemlig väg 2" not in client.get(overview).text

    involvement = Involvement.objects.get(child__first_name="Skyddad", ended_at__isnull=True)
    form = ProtectedNeedForm()
    response = client.post(
        f"{overview}arende/{involvement.public_id}/skyddade-uppgifter/",
        {form.add_prefix("need"): "Utredning: handläggaren behöver kunna nå familjen."},
    )
    assert response.status_code == 302
    assert "Hemlig väg 2" in client.get(overview).text
    row = AuditEvent.objects.filter(actor_username="olof", action="change").latest("id")
    assert row.details.get("need_recorded") is True
    assert row.resource_id == str(involvement.public_id)
