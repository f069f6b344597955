"""What a reporting organisation is told of social services' matter besides the typed
feedback (issue 11): every line passes on a ground that holds when it is read. The
handler's name is the catalogue's statement "handler" (the municipality's list of
harmless facts); a three-party meeting passes on the family's consent for it. A line
built from the matter's state never crosses on its own."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.concerns import selectors
from samverkan.concerns import services as concern_services
from samverkan.consent import services as consent_services

from .crawl import marker
from .world import secrecy_world

pytestmark = pytest.mark.django_db


def _reported_and_assigned():
    world = secrecy_world()
    handler = world.staff["socsek"].user
    handler.first_name, handler.last_name = marker("Handlerfirst"), marker("Handlerlast")
    handler.save(update_fields=["first_name", "last_name"])
    report = concern_services.report_submit(
        actor=world.actor("rektor"),
        child=world.child,
        worry="Eleven har varit borta mycket.",
        reporter_phone="08-123 456 78",
    )
    concern_services.handling_assign(
        actor=world.actor("socsek"), report=report, handler_membership_id=world.staff["socsek"].pk
    )
    return world, report


def _reporter_reads(world, report) -> str:
    client = world.client("rektor")
    pages = [
        client.get(reverse("concerns:detail", args=[report.public_id])),
        client.get(reverse("concerns:mine")),
        client.get(f"/api/concerns/{report.public_id}"),
        client.get("/api/concerns"),
    ]
    assert [p.status_code for p in pages] == [200] * 4
    return "".join(p.content.decode() for p in pages)


def test_the_handler_is_named_only_while_the_municipality_lists_it(settings):
    world, report = _reported_and_assigned()
    assert marker("Handlerlast") in _reporter_reads(world, report)
    settings.SAMVERKAN = {
        **settings.SAMVERKAN,
        "CONCERN_FEEDBACK_HARMLESS": ["report_right", "new_worry_new_report"],
    }
    read = _reporter_reads(world, report)
    assert marker("Handlerfirst") not in read and marker("Handlerlast") not in read
    # Social services still sees its own handler.
    own = selectors.report_get(world.actor("socsek"), report.public_id)
    assert own.handler_name.endswith(marker("Handlerlast"))


def test_a_three_party_meeting_reaches_the_reporter_only_on_the_familys_consent():
    world, report = _reported_and_assigned()
    consent = world.consent(
        [world.school, world.social],
        category_codes=["social_situation"],
        purpose_codes=["trepartssamtal"],
        context="report_investigation",
    )
    starts = timezone.now() + datetime.timedelta(days=4)
    concern_services.meeting_book(
        actor=world.actor("socsek"),
        report=report,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        place=marker("Meetingroom"),
    )
    assert marker("Meetingroom") in _reporter_reads(world, report)
    consent_services.consent_revoke(actor=world.actor("rektor"), consent=consent, note="")
    assert marker("Meetingroom") not in _reporter_reads(world, report)
    # Social services keeps its own record of the meeting.
    own = selectors.report_get(world.actor("socsek"), report.public_id)
    assert [m.place for m in own.meetings] == [marker("Meetingroom")]
