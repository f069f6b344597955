"""E-mail from the inbox on a real SMTP server (aiosmtpd on loopback): a SIP call tells
the people it reaches, with the kind and a link only; a calendar invitation
(METHOD:REQUEST, one attendee each) for the meeting, cancelled when the plan closes;
each person's choice of immediate e-mail, a daily digest or none."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from samverkan.notify import services
from samverkan.notify.models import MailMode
from samverkan.plans import services as plans

pytestmark = pytest.mark.django_db


def _start(world, **kwargs):
    return plans.plan_start(
        actor=world.actor("karin"),
        child=world.children["melwin"],
        called_organisation_ids=[
            world.organisations["BUP"].pk,
            world.organisations["Socialtjänsten barn och familj"].pk,
        ],
        purpose="Samordna stödet",
        question="Vad behöver Melwin?",
        **kwargs,
    )


def _by_recipient(smtp, subject):
    return {to: m for _, (to,), m in smtp.messages if m["Subject"] == subject}


def _secrets(world):
    child = world.children["melwin"]
    return [child.first_name, child.last_name, child.personal_number, "Vad behöver"]


def test_a_call_mails_the_kind_and_a_link_and_an_invitation(
    world, smtp, django_capture_on_commit_callbacks
):
    meeting = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        plan = _start(world, meeting_at=meeting, meeting_place="Frejaskolan, rum 12")
    notices = _by_recipient(smtp, "Du har en ny händelse i Samverkan")
    sofia, lena = world.users["sofia"].email, world.users["lena"].email
    assert {sofia, lena} <= set(notices)
    for username in ("olof", "maria", "karin", "viktor"):
        assert world.users[username].email not in notices
    body = notices[sofia].get_content()
    assert "Kallelse till SIP att bekräfta" in body
    assert "https://samverkan.kommun.example/inkorg/" in body

    invitations = _by_recipient(smtp, "Kallelse till möte i Samverkan")
    assert {sofia, lena} <= set(invitations)
    part = next(p for p in invitations[lena].iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    cal = Calendar.from_ical(part.get_payload(decode=True))
    event = cal.walk("VEVENT")[0]
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["ATTENDEE"]) == f"mailto:{lena}"  # only the one it is sent to
    assert str(event["ORGANIZER"]) == "mailto:noreply@kommun.example"
    assert event.decoded("DTSTART") == meeting
    assert str(event["UID"]) == f"sip-{plan.public_id}@samverkan"
    for _, _, message in smtp.messages:
        text = message.as_string()
        for secret in _secrets(world):
            assert secret not in text

    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_close(actor=world.actor("karin"), plan=plan, reason="Familjen flyttade")
    cancels = _by_recipient(smtp, "Inställt möte i Samverkan")
    assert {sofia, lena} <= set(cancels)
    part = next(p for p in cancels[sofia].iter_attachments())
    cal = Calendar.from_ical(part.get_payload(decode=True))
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["UID"]) == f"sip-{plan.public_id}@samverkan"


def test_digest_and_none_are_respected(world, smtp, django_capture_on_commit_callbacks):
    services.mail_preference_set(actor=world.actor("lena"), mode=MailMode.DIGEST)
    services.mail_preference_set(actor=world.actor("sofia"), mode=MailMode.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        _start(world)
    notices = _by_recipient(smtp, "Du har en ny händelse i Samverkan")
    assert world.users["lena"].email not in notices
    assert world.users["sofia"].email not in notices

    smtp.messages.clear()
    # The next 08:00 after the items arrived (a digest covers the day before it).
    morning = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    if morning <= timezone.localtime():
        morning += datetime.timedelta(days=1)
    assert services.digest_send(now=morning) == {"digests": 1}
    (_sender, (to,), message) = smtp.messages[0]
    assert to == world.users["lena"].email
    assert "nya händelser i Samverkan" in message.get_content() or "ny händelse" in (
        message.get_content()
    )
    # Once a day.
    assert services.digest_send(now=morning + datetime.timedelta(hours=2)) == {"digests": 0}
    assert services.digest_send(now=morning.replace(hour=5)) == {"digests": 0}


def test_the_choice_is_made_on_the_inbox_page(world, login):
    client = login("lena")
    page = client.get("/inkorg/")
    assert "Hur vill du få e-post?" in page.text
    client.post("/inkorg/e-post/", {"mode": "digest"})
    assert services.mail_preference(world.users["lena"].pk) == "digest"
    response = client.post("/inkorg/e-post/", {"mode": "ofta"}, follow=True)
    assert "Välj hur du vill få e-post." in response.text
    assert services.mail_preference(world.users["lena"].pk) == "digest"
