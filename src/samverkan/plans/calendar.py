"""The calendar invitation to a SIP meeting (RFC 5545, via `icalendar`). It names the
meeting, the time and the place or video link, and links to the call in Samverkan —
never the child or the question: it may end up in ordinary calendars. The download is
in the active language (the reader's); an e-mailed invitation in the recipient's where
known, else Swedish (``notify.calendar.calendar_language``)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar, Event, vCalAddress, vText

from samverkan import __version__

MEETING_LENGTH = datetime.timedelta(hours=1, minutes=30)


def _calendar(
    plan,
    organisation_names: list[str],
    *,
    base_url: str,
    method: str = "PUBLISH",
    attendee: str = "",
    organizer: str = "",
    follow_up_meeting=None,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//Samverkan//samverkan {__version__}//SV")
    cal.add("version", "2.0")
    cal.add("method", method)
    if plan.meeting_at is not None:
        _first_meeting(cal, plan, organisation_names, base_url, method, attendee, organizer)
    if follow_up_meeting is not None:
        cal.add_component(
            _follow_up_event(plan, follow_up_meeting, organisation_names, base_url=base_url)
        )
    return cal.to_ical()


def _link(plan, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("plans:detail", args=[plan.public_id])


def _follow_up_event(plan, meeting, organisation_names: list[str], *, base_url: str) -> Event:
    """The next follow-up meeting (decision 0336): a moved meeting is a new row and so a
    new event; the place only, never the child."""
    event = Event()
    event.add("uid", f"sip-{plan.public_id}-uppfoljning-{meeting.pk}@samverkan")
    event.add("dtstamp", timezone.now())
    event.add("sequence", 0)
    event.add("dtstart", meeting.meeting_at)
    event.add("dtend", meeting.meeting_at + MEETING_LENGTH)
    event.add("summary", gettext("SIP-uppföljningsmöte (SIP %(id)s)") % {"id": plan.short_id})
    event.add("location", meeting.place)
    event.add(
        "description",
        gettext(
            "Uppföljningsmöte om en samordnad individuell plan. Verksamheter i planen: "
            "%(organisations)s. Läs planen i Samverkan: %(link)s"
        )
        % {"organisations": ", ".join(organisation_names), "link": _link(plan, base_url)},
    )
    return event


def _first_meeting(cal, plan, organisation_names, base_url, method, attendee, organizer):
    event = Event()
    event.add("uid", f"sip-{plan.public_id}@samverkan")
    event.add("dtstamp", timezone.now())
    # Each change of the meeting is a new sequence; a cancellation comes after them.
    event.add("sequence", 1 if method == "CANCEL" else 0)
    event.add("dtstart", plan.meeting_at)
    event.add("dtend", plan.meeting_at + MEETING_LENGTH)
    event.add("summary", gettext("SIP-möte (SIP %(id)s)") % {"id": plan.short_id})
    event.add("location", plan.video_link or plan.meeting_place or gettext("Meddelas senare"))
    link = _link(plan, base_url)
    event.add(
        "description",
        gettext(
            "Kallelse till möte om en samordnad individuell plan. Kallade verksamheter: "
            "%(organisations)s. Läs kallelsen i Samverkan: %(link)s"
        )
        % {"organisations": ", ".join(organisation_names), "link": link},
    )
    if plan.video_link:
        event.add("url", plan.video_link)
    if method in {"REQUEST", "CANCEL"}:
        # RFC 5546: an invitation names its organizer and the attendee it is sent to
        # (each recipient gets their own, so nobody sees who else was invited).
        event.add("organizer", vCalAddress(f"mailto:{organizer}"))
        person = vCalAddress(f"mailto:{attendee}")
        person.params["ROLE"] = vText("REQ-PARTICIPANT")
        person.params["PARTSTAT"] = vText("NEEDS-ACTION")
        person.params["RSVP"] = vText("FALSE")
        event.add("attendee", person, encode=0)
        if method == "CANCEL":
            event.add("status", "CANCELLED")
    cal.add_component(event)


def invitation(view, *, base_url: str) -> bytes:
    """The invitation to download (METHOD:PUBLISH), from the plan's page: the first
    meeting when it has a time, and the next follow-up meeting when one is set."""
    return _calendar(
        view.plan,
        [o.organisation.name for o in view.organisations],
        base_url=base_url,
        follow_up_meeting=view.follow_up_meeting,
    )


def invitation_request(
    plan,
    organisation_names: list[str],
    *,
    base_url: str,
    attendee: str,
    organizer: str,
    cancel=False,
    language: str | None = None,
) -> bytes:
    """The invitation e-mailed to one attendee (METHOD:REQUEST), or its cancellation
    (METHOD:CANCEL): in the attendee's language where known, else Swedish."""
    from samverkan.notify.calendar import calendar_language

    with translation.override(calendar_language(language)):
        return _calendar(
            plan,
            organisation_names,
            base_url=base_url,
            method="CANCEL" if cancel else "REQUEST",
            attendee=attendee,
            organizer=organizer,
        )
