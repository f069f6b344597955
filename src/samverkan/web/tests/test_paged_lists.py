"""Lists are paged, never cut (issue 13 item 14; decision 0092): "Mina anmälningar",
the SIP list and what was shared under a consent show 25 at a time with the shared
pager, and every item can be reached."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from samverkan.concerns import services as concern_services
from samverkan.concerns.tests.factories import report_world
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.plans.tests.factories import PlanFactory, PlanOrganisationFactory, sip_world

REPORT = {"worry": "Barnet verkar oroligt och hungrigt.", "reporter_phone": "070-1234567"}


def _references(text: str) -> set[str]:
    return set(re.findall(r"OA-\d\d-[0-9A-F]{6}", text))


@pytest.mark.django_db
def test_my_reports_are_paged_and_none_is_lost():
    world = report_world()
    actor = world.actor(world.teacher)
    for _ in range(27):
        child = ChildFactory()
        InvolvementFactory(child=child, organisation=world.school)
        concern_services.report_submit(actor=actor, child=child, **REPORT)
    client = world.client(world.teacher)
    first = client.get("/anmalan/mina/")
    assert first.status_code == 200
    assert "Visar 1–25 (sida 1)" in first.text
    assert 'rel="next"' in first.text
    second = client.get("/anmalan/mina/", {"page": 2})
    assert "Visar 26–27 (sida 2)" in second.text
    seen = _references(first.text) | _references(second.text)
    assert len(seen) == 27


@pytest.mark.django_db
def test_the_sip_list_is_paged():
    world = sip_world(established=False)
    for _ in range(26):
        plan = PlanFactory(
            started_by_organisation=world.holder.organisation, started_by=world.holder.user
        )
        PlanOrganisationFactory(plan=plan, organisation=world.holder.organisation, is_starter=True)
    client = Client()
    client.force_login(world.holder.user)
    first = client.get("/sip/")
    assert first.status_code == 200
    assert "Visar 1–25 (sida 1)" in first.text
    second = client.get("/sip/", {"page": 2})
    assert "Visar 26–27 (sida 2)" in second.text


@pytest.mark.django_db
def test_past_knowledge_events_are_paged():
    from django.apps import apps
    from django.utils import timezone

    from samverkan.directory.tests.factories import MembershipFactory

    Event = apps.get_model("knowledge", "Event")  # web imports no app's models

    membership = MembershipFactory(code="kurator")
    long_ago = timezone.now() - datetime.timedelta(days=400)
    for n in range(27):
        start = long_ago + datetime.timedelta(days=n)
        Event.objects.create(
            title=f"Tidigare mötesplats {n:02d}",
            kind="motesplats",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            organiser=membership.organisation,
        )
    client = Client()
    client.force_login(membership.user)
    first = client.get("/kunskap/motesplatser/")
    assert "Visar 1–25 (sida 1)" in first.text
    second = client.get("/kunskap/motesplatser/", {"page": 2})
    assert "Tidigare mötesplats 00" in second.text  # the oldest, on the second page
