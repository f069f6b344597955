"""The intake dashboard is ordered and counted by the database (decision 0092): the
order and the overdue/due-soon counts must be exactly those of the deadline rules in
Python (``_deadlines``, ``_evaluation_due``, ``deadlines.status``), on every page, and
whatever day it is."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.concerns import deadlines, selectors, services
from samverkan.core import paging

from .conftest import make_report

ORDER = {deadlines.OVERDUE: 0, deadlines.DUE_SOON: 1, deadlines.ON_TIME: 2}


def _python_key(view):
    return (
        min((ORDER[d.status] for d in view.deadlines), default=3),
        min((d.due for d in view.deadlines), default=datetime.date.max),
    )


def _all_pages(actor):
    views, number = [], 1
    while True:
        page = selectors.intake_dashboard(actor, page=number)
        views += page.items
        if not page.has_next:
            return views, page.extra
        number += 1


@pytest.mark.parametrize("days_later", [0, 2, 13, 15, 40, 130])
def test_database_order_and_counts_are_the_deadline_rules(world, monkeypatch, days_later):
    maria = world.actor("maria")
    # More reports than one page, in every state the dashboard shows.
    reports = [make_report(world, urgency="normal") for _ in range(paging.PAGE_SIZE + 5)]
    services.handling_assign(
        actor=maria, report=reports[0], handler_membership_id=world.memberships["olof"].pk
    )
    services.protection_assessment_record(actor=maria, report=reports[1], text="Ingen akut fara.")
    services.preliminary_decide(
        actor=maria, report=reports[2], decision="open", text="Utredning inleds."
    )
    services.preliminary_decide(
        actor=maria, report=reports[3], decision="not_open", text="Utredning inleds inte."
    )
    services.handling_close(
        actor=maria, report=reports[3], outcome="no_investigation", text="Avslutas."
    )
    real_now = timezone.now
    later = real_now() + datetime.timedelta(days=days_later)
    monkeypatch.setattr(timezone, "now", lambda: later)

    views, counts = _all_pages(maria)
    assert len(views) >= len(reports)
    keys = [_python_key(v) for v in views]
    assert keys == sorted(keys), "pages follow the deadline rules' order"
    assert counts["overdue"] == sum(1 for v in views if v.overdue)
    assert counts["due_soon"] == sum(1 for v in views if v.due_soon and not v.overdue)
    assert len({v.report.pk for v in views}) == len(views), "no report on two pages"


def test_a_page_past_the_last_still_counts_what_is_overdue(world, monkeypatch):
    """The counts come beside each row of the page; a page with no rows (an old link
    after reports were closed) must still show them, not zero."""
    maria = world.actor("maria")
    for _ in range(3):
        make_report(world, urgency="normal")
    later = timezone.now() + datetime.timedelta(days=40)
    monkeypatch.setattr(timezone, "now", lambda: later)
    first = selectors.intake_dashboard(maria, page=1)
    assert first.extra["overdue"] > 0
    beyond = selectors.intake_dashboard(maria, page=50)
    assert beyond.items == []
    assert beyond.extra == first.extra


def test_the_live_stamp_follows_the_intakes_reports_only(world):
    """The live dashboard reloads when its stamp changes: a change to an open report's
    handling changes it; a change to a report closed before the intake's window (not on
    the dashboard) does not, so the stamp reads the intake's reports only (decision
    0357), not every report the organisation ever received."""
    from samverkan.concerns.models import Handling

    maria = world.actor("maria")
    open_report = make_report(world)
    old_report = make_report(world, child="melwin")
    long_ago = timezone.now() - datetime.timedelta(weeks=52)
    Handling.objects.filter(report=old_report).update(
        closed_at=long_ago, outcome="referred", updated_at=long_ago
    )
    before = selectors.intake_stamp(maria)

    Handling.objects.filter(report=old_report).update(updated_at=timezone.now())
    assert selectors.intake_stamp(maria) == before, "a report off the dashboard changed"

    Handling.objects.filter(report=open_report).update(
        updated_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    assert selectors.intake_stamp(maria) != before
