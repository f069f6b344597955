"""A three-party meeting booked reaches the reporter's inbox with a calendar invitation
(METHOD:REQUEST, no child named), and only while the family's consent for it holds: a
revoked consent empties the item. Nobody else at the school or elsewhere is told."""

from __future__ import annotations

import datetime

from django.utils import timezone
from icalendar import Calendar

from samverkan.concerns import services
from samverkan.consent import services as consent_services
from samverkan.notify import selectors as inbox

from .test_guardians import _meeting_consent

LABEL = "Trepartssamtal bokat"


def _has(world, username, reference) -> bool:
    return any(
        row.label == LABEL and reference in row.shown.title
        for row in inbox.inbox_page(world.actor(username))
    )


def test_a_booked_meeting_reaches_the_reporter_with_an_invitation_until_consent_is_revoked(
    world, assigned, mailoutbox, django_capture_on_commit_callbacks
):
    consent = _meeting_consent(world)
    start = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_book(
            actor=world.actor("olof"),
            report=assigned,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            place="Frejaskolan, rum 12",
        )
    assert _has(world, "mats", assigned.reference)
    for other in ("frida", "karin", "olof", "maria", "lena", "sofia"):
        assert not _has(world, other, assigned.reference), other
    invitations = [m for m in mailoutbox if m.subject == "Kallelse till möte i Samverkan"]
    assert [m.to for m in invitations] == [[world.users["mats"].email]]
    (_name, content, mimetype) = invitations[0].attachments[0]
    assert "method=REQUEST" in mimetype
    cal = Calendar.from_ical(content)
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == f"trepartssamtal-{meeting.public_id}@samverkan"
    assert event.decoded("DTSTART") == start
    for message in mailoutbox:
        text = message.message().as_string()
        assert "Noah" not in text and world.children["noah"].last_name not in text
    consent_services.consent_revoke(
        actor=world.actor("frida"), consent=consent, note="Familjen ångrade sig."
    )
    assert not _has(world, "mats", assigned.reference)
