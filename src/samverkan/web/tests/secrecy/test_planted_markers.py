"""Planted markers (issue 11): a unique marker in every text field of a child's records
(the child's and guardian's names, the consent's exclusions, the child's views and
notes, the SIP's purpose, question, place, needs, goals and efforts, the report of
concern's worry, observations and the child's words, an identified meeting item's title
and text) and in the texts the product makes
from them (a revocation note, the reason for a change of context, refusal reasons,
notices). Then every page and every API operation (GET) is requested as staff of BUP,
which has no ground, for each consent state, and no marker may appear in a body or a
header (HTML, JSON, .ics, PDF).

States: ``none`` (BUP was never a party), ``revoked``, ``expired``, ``lapsed`` (a
voluntary consent after social services' matter became an investigation).
"""

from __future__ import annotations

import pytest

from .crawl import _fill, _leaks, _routes, crawl, marker, urls_for
from .planted import planted_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["none", "revoked", "expired", "lapsed"])
def test_no_marker_reaches_an_organisation_without_a_ground(state):
    world, ids = planted_world(state)
    viewer = world.client("lakare")
    assert len(urls_for(viewer, ids)) > 60  # the crawl reaches the pages and the API
    leaks, errors = crawl(viewer, ids)
    assert not leaks, f"{state}: markers reached BUP: {leaks}"
    assert not errors, f"{state}: server errors: {errors}"


def test_the_markers_are_really_planted():
    """The same crawl as the school that wrote them finds them (so a silent crawl would
    not pass the test above)."""
    world, ids = planted_world("revoked")
    client = world.client("rektor")
    seen = set()
    for route in _routes():
        for url in _fill(route, ids):
            seen.update(_leaks(client.get(url)))
    planted = ("Guardianfirst", "Exclusions", "Planpurpose", "Efforttitle", "Worry", "Itemtitle")
    for field in planted:
        assert marker(field) in seen, field
