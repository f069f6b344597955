"""iCalendar feeds per user and per forum, behind a revocable secret in the URL."""

import icalendar
import pytest

from samverkan.meetings import services
from samverkan.meetings.models import CalendarToken

pytestmark = pytest.mark.django_db


def _secret(world, username):
    _, secret = services.calendar_token_create(actor=world.actor(username))
    return secret


def test_user_feed_is_valid_icalendar(world, client, teen_forum):
    secret = _secret(world, "sofia")
    response = client.get(f"/forum/kalender/{secret}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    names = {str(e["SUMMARY"]) for e in events}
    # Sofia (socialsekreterare) is a member function of both samverkansträffar and the
    # school consultation group and the internal forum; not of the strategy group.
    assert "Samverkansträff 13–18" in names
    assert "Strategigruppen barn och unga" not in names
    assert all(e["DTEND"].dt > e["DTSTART"].dt for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    # No agenda content, never a child's name.
    assert b"Melwin" not in response.content


def test_forum_feed_and_revocation(world, client, teen_forum):
    secret = _secret(world, "lena")
    url = f"/forum/kalender/{secret}/{teen_forum.public_id}.ics"
    cal = icalendar.Calendar.from_ical(client.get(url).content)
    assert str(cal["X-WR-CALNAME"]) == "Samverkansträff 13–18"
    assert {str(e["SUMMARY"]) for e in cal.walk("VEVENT")} == {"Samverkansträff 13–18"}
    services.calendar_token_revoke(actor=world.actor("lena"))
    assert client.get(url).status_code == 404
    assert client.get(f"/forum/kalender/{secret}.ics").status_code == 404
    assert CalendarToken.objects.get(user=world.users["lena"]).revoked_at is not None


def test_forum_feed_of_a_forum_one_is_not_in(world, client):
    from samverkan.meetings.models import Forum

    secret = _secret(world, "birgitta")  # BVC: not in 13-18
    forum = Forum.objects.get(name="Samverkansträff 13–18")
    assert client.get(f"/forum/kalender/{secret}/{forum.public_id}.ics").status_code == 404
    assert client.get("/forum/kalender/not-a-secret.ics").status_code == 404


def test_a_new_token_replaces_the_old(world, client, login):
    old = _secret(world, "frida")
    response = login("frida").post("/forum/kalender/")
    assert response.status_code == 200
    assert "/forum/kalender/" in response.text
    assert client.get(f"/forum/kalender/{old}.ics").status_code == 404
