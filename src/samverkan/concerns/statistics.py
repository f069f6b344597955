"""Aggregate counts for follow-up (governance indicators): numbers per month, never a
report, a child or a person. Callers apply small-cell suppression before showing them.

Each function takes a half-open period ``[start, end)`` of dates and returns rows of
``(month, group, numerator, denominator)``; ``denominator`` is None for plain counts.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from samverkan.core import periods

from .models import Handling, Report

PRIVATE = "enskild"
# Within 14 days of arrival (old SoL 11 kap. 1 a §, new SoL 20 kap. 2 §): decided no
# later than 14 times 24 hours after the report arrived.
PRELIMINARY_DAYS = 14


def _between(field: str, start: datetime.date, end: datetime.date) -> Q:
    return Q(**periods.between(field, start, end))


def reports_per_month_by_reporter_type(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Reports of concern received per month, by the reporter's organisation type
    (``enskild`` for a private person). A written completion of an oral report is the
    same report and is not counted again."""
    rows = (
        Report.objects.filter(_between("received_at", start, end), completes__isnull=True)
        .annotate(month=TruncMonth("received_at"))
        .values("month", "reporter_organisation__org_type")
        .annotate(n=Count("pk"))
        .order_by("month", "reporter_organisation__org_type")
    )
    return [
        (_date(r["month"]), r["reporter_organisation__org_type"] or PRIVATE, r["n"], None)
        for r in rows
    ]


def preliminary_within_deadline(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Of the preliminary assessments (förhandsbedömningar) decided in each month, how
    many were decided within 14 days of the report's arrival."""
    limit = F("report__received_at") + datetime.timedelta(days=PRELIMINARY_DAYS)
    rows = (
        Handling.objects.filter(
            _between("preliminary_decided_at", start, end), preliminary_decided_at__isnull=False
        )
        .annotate(month=TruncMonth("preliminary_decided_at"))
        .values("month")
        .annotate(
            total=Count("pk"),
            in_time=Count("pk", filter=Q(preliminary_decided_at__lte=limit)),
        )
        .order_by("month")
    )
    return [(_date(r["month"]), "", r["in_time"], r["total"]) for r in rows]


def _date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
