"""The pages the benchmark measures make the same number of queries in a bigger world
(issue 12, decision 0315): each page is counted on the demo world, then again after
the world has grown by more children with matters in every organisation, more
consents naming the users' organisations and more reports of concern to the intake,
all built with the factories and the services. A count that grows with the data is an
N+1 the benchmark's 50 000 children would multiply."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.concerns import services as concerns
from samverkan.consent import services as consent
from samverkan.consent.tests.conftest import SOCIAL, guardian_givers
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

from .test_page_queries import MEASURED, _fill


def _count(client, method, path, data) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(path, data) if method == "POST" else client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(world, children: int) -> None:
    """More of everything the pages list or decide from."""
    school = world.organisations["Frejaskolan"]
    social = world.organisations[SOCIAL]
    bup = world.organisations["BUP"]
    mats, karin = world.actor("mats"), world.actor("karin")
    melwin = world.children["melwin"]
    for n in range(children):
        child = ChildFactory(first_name=f"Anders{n}" if n % 2 else f"Barn{n}")
        InvolvementFactory(child=child, organisation=school)
        InvolvementFactory(child=child, organisation=social, context="voluntary_support")
        InvolvementFactory(child=child, organisation=bup, context="health_care")
        concerns.report_submit(
            actor=mats,
            child=child,
            worry="Barnet säger att det är rädd att gå hem.",
            observations="Blåmärke på armen.",
            child_words="”Pappa blir arg.”",
            urgency="soon",
            guardians_informed="no",
            reporter_phone="0123-456 11",
            reporter_email="mats@exempelkommun.example",
        )
    for _ in range(3):  # more consents about Melwin naming social services and BUP
        consent.consent_give(
            actor=karin,
            child=melwin,
            party_ids=[social.pk, bup.pk],
            category_codes=["halsa"],
            purpose_codes=["sip"],
            form="written",
            context="voluntary",
            child_views="Melwin vill.",
            givers=guardian_givers(melwin, karin.organisation_id),
        )


@pytest.mark.parametrize("page", list(MEASURED))
def test_page_queries_do_not_grow_with_the_world(world, login, page):
    user, method, path, data, _measured = MEASURED[page]
    client = login(user)
    client.get("/")
    path = _fill(path, world)
    data = {k: _fill(v, world) for k, v in (data or {}).items()}
    _count(client, method, path, data)  # per-process caches (legal grounds' catalogue)
    small = _count(client, method, path, data)
    _grow(world, 6)
    _count(client, method, path, data)
    big = _count(client, method, path, data)
    assert big == small, f"{page}: {small} queries on the demo world, {big} after it grew"
