"""iCalendar feeds (RFC 5545) of meetings: times, places and the forum's name only —
never agenda items, so a feed leaking out of a calendar app reveals no child. The
description is in the active language (the subscriber's browser or calendar app's)."""

from __future__ import annotations

import datetime

import icalendar
from django.utils import timezone
from django.utils.translation import gettext

from .models import MeetingStatus


def feed(meetings, *, name: str, url_for) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Samverkan//Samverkansforum//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    now = timezone.now()
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"{meeting.public_id}@samverkan")
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
        event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
        event.add("summary", meeting.forum.name)
        if meeting.location:
            event.add("location", meeting.location)
        event.add("url", url_for(meeting))
        event.add("description", gettext("Dagordning och protokoll finns i Samverkan."))
        event.add(
            "status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"
        )
        event.add("sequence", meeting.version)
        cal.add_component(event)
    return cal.to_ical()
