"""iCalendar invitations for three-party meetings (RFC 5545, via `icalendar`). The
invitation names the meeting and the place, never the child or the worry: it may end
up in ordinary calendars. Downloaded by the person who reads it, so it is written in
the active language (theirs)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event

from samverkan import __version__


def meeting_ics(meeting, report, *, municipality: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//Samverkan {municipality}//samverkan {__version__}//SV")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{meeting.public_id}@samverkan")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add(
        "summary", gettext("Trepartssamtal (%(reference)s)") % {"reference": report.reference}
    )
    event.add("location", meeting.place)
    event.add(
        "description",
        gettext("Trepartssamtal: familjen, anmälaren och socialtjänsten. Bokat av %(name)s.")
        % {"name": meeting.booked_by_name},
    )
    cal.add_component(event)
    return cal.to_ical()
