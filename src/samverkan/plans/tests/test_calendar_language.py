"""Calendar texts are translated (decision 0291): a downloaded .ics is in the reader's
language; an e-mailed invitation is in the recipient's language where it is known,
else in Swedish — whoever's action sent it."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from samverkan.notify import calendar as notify_calendar
from samverkan.plans import calendar

from .factories import sip_world

pytestmark = pytest.mark.django_db


def _event(body: bytes):
    return icalendar.Calendar.from_ical(body).walk("VEVENT")[0]


def _download(world, language: str):
    world.plan.meeting_at = timezone.now() + datetime.timedelta(days=7)
    world.plan.meeting_place = ""
    world.plan.save()
    client = Client()
    client.force_login(world.holder.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("plans:ics", args=[world.plan.public_id]))
    assert response.status_code == 200
    return _event(response.content)


def test_a_downloaded_sip_invitation_is_in_the_readers_language():
    world = sip_world()
    english = _download(world, "en")
    assert str(english["SUMMARY"]) == f"SIP meeting (SIP {world.plan.short_id})"
    assert str(english["LOCATION"]) == "To be announced"
    assert str(english["DESCRIPTION"]).startswith("Invitation to a meeting about a coordinated")
    assert world.called.name in str(english["DESCRIPTION"])
    swedish = _download(world, "sv")
    assert str(swedish["SUMMARY"]) == f"SIP-möte (SIP {world.plan.short_id})"
    assert str(swedish["LOCATION"]) == "Meddelas senare"
    assert str(swedish["DESCRIPTION"]).startswith("Kallelse till möte om en samordnad")


def test_an_emailed_invitation_is_swedish_unless_the_recipients_language_is_known():
    world = sip_world()
    world.plan.meeting_at = timezone.now() + datetime.timedelta(days=7)
    kwargs = {"base_url": "https://samverkan.example/", "attendee": "a@example.se"}
    with translation.override("en"):  # an English-speaking coordinator sends it
        unknown = _event(
            calendar.invitation_request(world.plan, ["BUP"], organizer="o@x.se", **kwargs)
        )
        known = _event(
            calendar.invitation_request(
                world.plan, ["BUP"], organizer="o@x.se", language="en", **kwargs
            )
        )
        forum = _event(
            notify_calendar.invitation(
                notify_calendar.Meeting(
                    uid="u@samverkan",
                    starts_at=world.plan.meeting_at,
                    ends_at=world.plan.meeting_at + datetime.timedelta(hours=1),
                    summary="Forum",
                    location="",
                    description="-",
                ),
                attendee="a@example.se",
            )
        )
    assert str(unknown["DESCRIPTION"]).startswith("Kallelse till möte om en samordnad")
    assert str(known["DESCRIPTION"]).startswith("Invitation to a meeting about a coordinated")
    assert str(forum["LOCATION"]) == "Meddelas senare"
