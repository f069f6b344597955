"""Fixtures for the concerns tests: a fresh report about Noah (9, Frejaskolan) from his
mentor Mats, made inside the test's transaction."""

from __future__ import annotations

import pytest

from samverkan.concerns import services

SOCIAL = "Socialtjänsten barn och familj"


def make_report(world, username="mats", child="noah", **kwargs):
    data = {
        "worry": "Noah säger att han är rädd att gå hem.",
        "observations": "Blåmärke på armen.",
        "child_words": "”Pappa blir arg.”",
        "urgency": "soon",
        "guardians_informed": "no",
        "reporter_phone": "0123-456 11",
        "reporter_email": f"{username}@exempelkommun.example",
    }
    data.update(kwargs)
    return services.report_submit(actor=world.actor(username), child=world.children[child], **data)


@pytest.fixture
def report(world):
    return make_report(world)


@pytest.fixture
def assigned(world, report):
    services.handling_assign(
        actor=world.actor("maria"),
        report=report,
        handler_membership_id=world.memberships["olof"].pk,
    )
    return report
