"""A report's arrival and its first receipt and first feedback, pre-aggregated on its
handling by the database (migration 0008, decision 0261) for the follow-up figures: true
whoever writes the rows, in whatever order, and never erased by saving a stale copy of
the handling."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.concerns import services
from samverkan.concerns.models import Entry, Handling

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _report():
    from samverkan.concerns.tests.factories import report_world

    report_world()
    return services.report_submit_public(
        child_details="Ett barn i åk 3 på en skola i kommunen",
        worry="Barnet är ofta hungrigt och har inga vinterkläder.",
    )


def _feedback(report, when):
    return Entry.objects.create(report=report, kind="feedback", ground_code="law", created_at=when)


def test_the_receipt_the_service_writes_is_on_the_handling():
    report = _report()
    receipt = Entry.objects.get(report=report, kind="receipt")
    handling = Handling.objects.get(report=report)
    assert handling.first_receipt_at == receipt.created_at
    assert handling.first_feedback_at is None
    assert handling.report_received_at == report.received_at
    assert handling.is_completion is False


def test_the_earliest_feedback_counts_and_a_stale_save_keeps_it():
    report = _report()
    stale = Handling.objects.get(report=report)  # read before any feedback
    now = timezone.now()
    _feedback(report, now + 5 * DAY)
    _feedback(report, now + 2 * DAY)  # earlier, written later: it is the first
    _feedback(report, now + 9 * DAY)
    stale.outcome = "no_investigation"
    stale.closed_at = now
    stale.save()  # a full save of the copy read before: the figures stay
    handling = Handling.objects.get(report=report)
    assert handling.outcome == "no_investigation"
    assert handling.first_feedback_at == now + 2 * DAY
    assert handling.first_receipt_at is not None
