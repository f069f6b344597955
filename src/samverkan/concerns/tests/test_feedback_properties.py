"""Property tests for feedback to a reporter (Hypothesis):

1. Over every matter state and every mix of grounds: no statement offered contradicts
   the state, and the reporter's status never uses a ground the reporter lacks. The
   truth of each statement is written out here independently of the catalogue's
   ``when`` rules, so a wrong rule in data/feedback.yaml fails the test.
2. Over random histories driven through the services (assign, decide, close, send any
   statement, give a consent): every statement accepted was true when it was sent, and
   nothing outside the statutory minimum and the harmless list reaches the reporter
   without a consent — not in feedback, not in the status line.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.concerns import feedback, selectors, services
from samverkan.core.errors import DomainError

from .conftest import make_report
from .test_feedback import _consent

DECISIONS = ["", "open", "not_open", "ongoing"]
OUTCOMES = ["no_investigation", "no_intervention", "intervention", "referred"]


def _truth(h) -> dict[str, bool]:
    """What each code means, in terms of the handling itself."""
    open_ = h.closed_at is None
    investigated = h.preliminary_decision in {"open", "ongoing"}
    return {
        # statements
        "handler": bool(h.handler_id),
        "investigation_opened": h.preliminary_decision == "open" and open_,
        "investigation_not_opened": h.preliminary_decision == "not_open",
        "investigation_ongoing": h.preliminary_decision == "ongoing" and open_,
        "meeting_family": open_ and h.preliminary_decision != "not_open",
        "child_better": bool(h.preliminary_decision),
        "investigation_closed": not open_ and investigated,
        "closed_no_intervention": h.outcome == "no_intervention",
        "report_right": True,
        "new_worry_new_report": True,
        "closed_with_intervention": h.outcome == "intervention",
        "referred": h.outcome == "referred",
        # statuses only
        "closed": not open_,
        "awaiting_written": h.channel == "oral" and h.written_received_at is None,
        "assessing": bool(h.handler_id) and not h.preliminary_decision,
        "received": True,
    }


@st.composite
def handlings(draw):
    closed = draw(st.booleans())
    return SimpleNamespace(
        handler_id=draw(st.sampled_from([None, 7])),
        preliminary_decision=draw(st.sampled_from(DECISIONS)),
        closed_at="2026-01-01" if closed else None,
        outcome=draw(st.sampled_from(OUTCOMES)) if closed else "",
        written_received_at=draw(st.sampled_from([None, "2026-01-01"])),
        channel=draw(st.sampled_from(["written", "oral"])),
    )


HARMLESS = sorted(
    {
        s.code
        for s in [*feedback.catalogue().statements.values(), *feedback.catalogue().statuses]
        if s.ground == feedback.HARMLESS
    }
)


@settings(max_examples=500, deadline=None)
@given(handlings(), st.sets(st.sampled_from(HARMLESS)), st.booleans())
def test_offered_statements_and_status_agree_with_the_state(handling, harmless, consent):
    state = feedback.facts(handling=handling, channel=handling.channel)
    truth = _truth(handling)
    for entry in feedback.offered(state):
        assert truth[entry.code], (entry.code, state)
    for entry in feedback.catalogue().statements.values():
        assert entry.holds(state) == truth[entry.code], (entry.code, state)
    access = feedback.Access(frozenset(harmless), lambda _category: consent)
    status = feedback.reporter_status(state, access)
    assert truth[status.code], (status.code, state)
    if not consent:
        assert status.ground in {feedback.STATUTORY, feedback.REPORTER} or (
            status.ground == feedback.HARMLESS and status.code in harmless
        )
    # The most specific true status the reporter may have is the one shown.
    for earlier in feedback.catalogue().statuses:
        if earlier is status:
            break
        assert not (earlier.holds(state) and access.ground_for(earlier)), earlier.code


ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("decide"), st.sampled_from(DECISIONS[1:])),
        st.tuples(st.just("close"), st.sampled_from(OUTCOMES)),
        st.tuples(st.just("send"), st.sampled_from(sorted(feedback.catalogue().statements))),
        st.tuples(st.just("consent"), st.none()),
    ),
    max_size=8,
)
WITHOUT_CONSENT = {feedback.STATUTORY, feedback.HARMLESS, feedback.REPORTER}


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_random_histories_never_contradict_nor_leak(world, actions):
    with transaction.atomic():
        _history(world, actions)
        transaction.set_rollback(True)


def _history(world, actions):
    olof, mats = world.actor("olof"), world.actor("mats")
    report = make_report(world)
    services.handling_assign(
        actor=world.actor("maria"),
        report=report,
        handler_membership_id=world.memberships["olof"].pk,
    )
    consented = False
    for action, value in actions:
        before = selectors.report_get(olof, report.public_id).handling
        try:
            if action == "decide":
                services.preliminary_decide(actor=olof, report=report, decision=value)
            elif action == "close":
                services.handling_close(actor=olof, report=report, outcome=value)
            elif action == "consent":
                _consent(world)
                consented = True
            else:
                entry = services.feedback_send(actor=olof, report=report, statement=value)
                assert _truth(SimpleNamespace(**vars(before), channel=report.channel))[value]
                if not consented:
                    assert entry.ground_code != "consent"
                    assert feedback.statement(value).ground in WITHOUT_CONSENT
        except DomainError:
            continue
    view = selectors.report_get(mats, report.public_id)
    status = next(s for s in feedback.catalogue().statuses if s.text == view.status)
    assert _truth(SimpleNamespace(**vars(view.handling), channel=report.channel))[status.code]
    if not consented:
        assert status.ground in WITHOUT_CONSENT
        for entry in view.feedback:
            assert feedback.statement(entry.statement).ground in WITHOUT_CONSENT
