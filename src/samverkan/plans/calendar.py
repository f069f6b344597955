"""The calendar invitation to a SIP meeting (RFC 5545, via `icalendar`). It names the
meeting, the time and the place or video link, and links to the call in Samverkan —
never the child or the question: it may end up in ordinary calendars."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from samverkan import __version__

MEETING_LENGTH = datetime.timedelta(hours=1, minutes=30)


def invitation(view, *, base_url: str) -> bytes:
    plan = view.plan
    cal = Calendar()
    cal.add("prodid", f"-//Samverkan//samverkan {__version__}//SV")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"sip-{plan.public_id}@samverkan")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", plan.meeting_at)
    event.add("dtend", plan.meeting_at + MEETING_LENGTH)
    event.add("summary", f"SIP-möte (SIP {plan.short_id})")
    event.add("location", plan.video_link or plan.meeting_place or "Meddelas senare")
    link = base_url.rstrip("/") + reverse("plans:detail", args=[plan.public_id])
    event.add(
        "description",
        "Kallelse till möte om en samordnad individuell plan. Kallade verksamheter: "
        + ", ".join(o.organisation.name for o in view.organisations)
        + f". Läs kallelsen i Samverkan: {link}",
    )
    if plan.video_link:
        event.add("url", plan.video_link)
    cal.add_component(event)
    return cal.to_ical()
