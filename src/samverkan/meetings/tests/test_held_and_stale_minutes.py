"""A meeting that has not begun cannot be marked as held; a stale save of the minutes
shows the user's own text again beside the newer saved text, so nothing is lost."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.core.errors import ValidationFailed
from samverkan.directory.tests.factories import actor_of
from samverkan.meetings import services

from .factories import MeetingFactory, convener_of

pytestmark = pytest.mark.django_db


def _client(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def test_a_future_meeting_cannot_be_marked_as_held():
    meeting = MeetingFactory(starts_in=datetime.timedelta(days=3))
    convener = convener_of(meeting.forum)
    with pytest.raises(ValidationFailed, match="inte börjat"):
        services.meeting_close(actor=actor_of(convener), meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == "planned"
    client = _client(convener)
    page = client.get(reverse("meetings:meeting", args=[meeting.public_id]))
    assert "Markera mötet som genomfört" not in page.text
    assert "när det har börjat" in page.text
    response = client.post(reverse("meetings:close", args=[meeting.public_id]), follow=True)
    assert "inte börjat" in response.text
    meeting.refresh_from_db()
    assert meeting.status == "planned"
    # Cancelling a meeting that will not happen is fine before it starts.
    services.meeting_close(actor=actor_of(convener), meeting=meeting, cancelled=True)
    assert meeting.status == "cancelled"


def test_a_meeting_that_has_begun_can_be_marked_as_held():
    meeting = MeetingFactory(starts_in=-datetime.timedelta(minutes=10))
    convener = convener_of(meeting.forum)
    page = _client(convener).get(reverse("meetings:meeting", args=[meeting.public_id]))
    assert "Markera mötet som genomfört" in page.text
    services.meeting_close(actor=actor_of(convener), meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_a_stale_minutes_save_shows_both_texts_and_loses_nothing():
    meeting = MeetingFactory(starts_in=-datetime.timedelta(minutes=30))
    convener = convener_of(meeting.forum)
    opened = meeting.version
    services.minutes_save(
        actor=actor_of(convener),
        meeting=meeting,
        minutes="Kollegans text: punkt 1 diskuterades.",
        version=opened,
    )
    mine = "Min text som tog en halvtimme att skriva."
    url = reverse("meetings:minutes", args=[meeting.public_id])
    response = _client(convener).post(url, {"minutes": mine, "version": opened})
    assert response.status_code == 409
    assert "Någon annan har sparat protokollet" in response.text
    assert mine in response.text  # the user's text, in the form
    assert "Kollegans text: punkt 1 diskuterades." in response.text  # the newer one beside
    meeting.refresh_from_db()
    assert meeting.minutes == "Kollegans text: punkt 1 diskuterades."
    # The form now builds on the newer version: saving the merged text succeeds.
    version = response.context["minutes_form"]["version"].value()
    assert int(version) == meeting.version
    merged = _client(convener).post(
        url, {"minutes": f"{mine}\n{meeting.minutes}", "version": version}
    )
    assert merged.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes.startswith(mine)


def test_minutes_refused_for_another_reason_keep_the_text():
    meeting = MeetingFactory(starts_in=-datetime.timedelta(minutes=30))
    convener = convener_of(meeting.forum)
    text = "Kontakta mig på namn.efternamn@example.se om ärendet."
    response = _client(convener).post(
        reverse("meetings:minutes", args=[meeting.public_id]),
        {"minutes": text, "version": meeting.version},
    )
    assert response.status_code == 422
    assert text in response.text
    meeting.refresh_from_db()
    assert meeting.minutes == ""
