"""A calendar invitation e-mailed to one attendee (RFC 5545/5546, via `icalendar`):
METHOD:REQUEST for a new or moved meeting (a higher SEQUENCE replaces the earlier one
in the attendee's calendar), METHOD:CANCEL to take it away. The owning app gives the
meeting's uid, time, a summary and a description **without personal data** (a calendar
is an ordinary, unprotected place) and a link into the product. The texts are
translatable; an e-mailed invitation is written in the recipient's language where it
is known (``language``), else in Swedish (``calendar_language``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar, Event, vCalAddress, vText

from samverkan import __version__


@dataclass(frozen=True)
class Meeting:
    uid: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    location: str
    description: str
    sequence: int = 0


SWEDISH = "sv"


def calendar_language(language: str | None = None) -> str:
    """The language of a calendar text: the recipient's where known, else Swedish (the
    product's language; nobody's language preference is stored for e-mail)."""
    return language or SWEDISH


def organizer() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def invitation(
    meeting: Meeting, *, attendee: str, cancel: bool = False, language: str | None = None
) -> bytes:
    with translation.override(calendar_language(language)):
        return _invitation(meeting, attendee=attendee, cancel=cancel)


def _invitation(meeting: Meeting, *, attendee: str, cancel: bool) -> bytes:
    method = "CANCEL" if cancel else "REQUEST"
    cal = Calendar()
    cal.add("prodid", f"-//Samverkan//samverkan {__version__}//SV")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", timezone.now())
    event.add("sequence", meeting.sequence + (1 if cancel else 0))
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.summary)
    event.add("location", meeting.location or gettext("Meddelas senare"))
    event.add("description", meeting.description)
    event.add("organizer", vCalAddress(f"mailto:{organizer()}"))
    person = vCalAddress(f"mailto:{attendee}")
    person.params["ROLE"] = vText("REQ-PARTICIPANT")
    person.params["PARTSTAT"] = vText("NEEDS-ACTION")
    person.params["RSVP"] = vText("FALSE")
    event.add("attendee", person, encode=0)
    if cancel:
        event.add("status", "CANCELLED")
    cal.add_component(event)
    return cal.to_ical()
