"""Risk and protective factors on reports of concern: the reporter tags the report with
the shared catalogue's words, and the child overview shows them only to those who may
see the report."""

from __future__ import annotations

from samverkan.knowledge import selectors as knowledge

from .conftest import make_report

RISK = "barn-utagerande"
PROTECTIVE = "barn-sjalvkansla"


def _names(summary):
    return {f.code for group in summary.groups for f in group.risks + group.protective}


def test_reporter_tags_the_report_and_intake_sees_the_factors(world):
    report = make_report(world, factor_codes=[RISK, PROTECTIVE])
    tags = knowledge.factor_tags_for(
        world.actor("mats"), target_type="concerns.report", target_ids=[report.public_id]
    )
    assert {t.factor.code for t in tags[report.public_id]} == {RISK, PROTECTIVE}
    noah = world.children["noah"]
    for username in ("mats", "maria"):  # the reporter and social services' intake
        summary = knowledge.factor_summary_for_child(world.actor(username), child_id=noah.public_id)
        assert {RISK, PROTECTIVE} <= _names(summary)


def test_factors_do_not_reach_those_who_may_not_see_the_report(world):
    make_report(world, factor_codes=[RISK])
    noah = world.children["noah"]
    # The class teacher at the same school may not see a colleague's report, and BUP
    # has no ground at all: neither learns the factors.
    for username in ("lina", "lena"):
        summary = knowledge.factor_summary_for_child(world.actor(username), child_id=noah.public_id)
        assert RISK not in _names(summary)


def test_report_form_offers_the_catalogue_and_saves_the_choice(world, login):
    client = login("mats")
    page = client.get("/anmalan/ny/")
    assert page.status_code == 200
    assert "Risk- och skyddsfaktorer du har sett" in page.text
    assert 'value="barn-utagerande"' in page.text
    response = client.post(
        "/anmalan/ny/",
        {
            "personal_number": world.children["noah"].personal_number,
            "worry": "Noah har varit frånvarande i två veckor.",
            "urgency": "soon",
            "guardians_informed": "no",
            "reporter_phone": "0123-456 11",
            "factors": [RISK],
        },
    )
    assert response.status_code == 302, response.text[:2000]
    summary = knowledge.factor_summary_for_child(
        world.actor("maria"), child_id=world.children["noah"].public_id
    )
    assert RISK in _names(summary)
