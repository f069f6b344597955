"""Aggregate counts for follow-up (governance indicators): numbers per month, never a
report, a child or a person. Callers apply small-cell suppression before showing them.

Each function takes a half-open period ``[start, end)`` of dates and returns rows of
``(month, group, numerator, denominator)``; ``denominator`` is None for plain counts.
"""

from __future__ import annotations

import datetime
import statistics

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from samverkan.core import periods
from samverkan.directory import selectors as directory

from .models import Handling, Report

PRIVATE = "enskild"
# Within 14 days of arrival (old SoL 11 kap. 1 a §, new SoL 20 kap. 2 §): decided no
# later than 14 times 24 hours after the report arrived.
PRELIMINARY_DAYS = 14
# An investigation is to be finished within four months (SoL); counted as 122 days from
# the day it started (the longest four months there are), extensions not counted.
INVESTIGATION_DAYS = 122
ONE_DAY = datetime.timedelta(days=1)


def _between(field: str, start: datetime.date, end: datetime.date) -> Q:
    return Q(**periods.between(field, start, end))


def reports_per_month_by_reporter_type(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Reports of concern received per month, by the reporter's organisation type
    (``enskild`` for a private person). A written completion of an oral report is the
    same report and is not counted again. Grouped by the reporting organisation in the
    database (no join), then by its type here."""
    rows = (
        Report.objects.filter(_between("received_at", start, end), completes__isnull=True)
        .annotate(month=TruncMonth("received_at"))
        .values("month", "reporter_organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = list(rows)
    ids = {r["reporter_organisation_id"] for r in rows} - {None}
    types = {pk: org.org_type for pk, org in directory.organisations_by_ids(ids).items()}
    counts: dict[tuple, int] = {}
    for r in rows:
        key = (_date(r["month"]), types.get(r["reporter_organisation_id"]) or PRIVATE)
        counts[key] = counts.get(key, 0) + r["n"]
    return [(month, group, n, None) for (month, group), n in sorted(counts.items())]


def preliminary_within_deadline(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Of the preliminary assessments (förhandsbedömningar) decided in each month, how
    many were decided within 14 days of the report's arrival."""
    limit = F("report_received_at") + datetime.timedelta(days=PRELIMINARY_DAYS)
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


def _received(start: datetime.date, end: datetime.date):
    """The handling of the reports received in the period (completions not counted
    again): one table, its pre-aggregated columns (decision 0261)."""
    return Handling.objects.filter(
        _between("report_received_at", start, end), is_completion=False
    ).annotate(month=TruncMonth("report_received_at"))


def receipt_and_handler_within_a_day(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Of the reports received in each month (completions not counted again), how many
    had both a receipt to the reporter and a named handler within 24 hours."""
    within = F("report_received_at") + ONE_DAY
    rows = (
        _received(start, end)
        .values("month")
        .annotate(
            total=Count("pk"),
            in_time=Count("pk", filter=Q(first_receipt_at__lte=within, assigned_at__lte=within)),
        )
        .order_by("month")
    )
    return [(_date(r["month"]), "", r["in_time"], r["total"]) for r in rows]


def median_days_to_first_feedback(start: datetime.date, end: datetime.date) -> list[tuple]:
    """For the reports received in each month that have had feedback, the median number
    of days from arrival to the first feedback to the reporter. Rows carry the median
    (whole days, rounded) as numerator and the number of reports behind it as
    denominator."""
    if connection.vendor == "postgresql":
        return [(month, "", round(median), n) for month, median, n in _pg_median(start, end)]
    reports = (
        _received(start, end)
        .filter(first_feedback_at__isnull=False)
        .values_list("month", "report_received_at", "first_feedback_at")
    )
    by_month: dict[datetime.date, list[float]] = {}
    for month, received, feedback in reports:
        days = (feedback - received).total_seconds() / 86400
        by_month.setdefault(_date(month), []).append(days)
    return [
        (month, "", round(statistics.median(values)), len(values))
        for month, values in sorted(by_month.items())
    ]


def investigations_within_four_months(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Of the investigations finished (the case closed) in each month, how many were
    finished within four months of starting (122 days)."""
    rows = (
        Handling.objects.filter(
            _between("closed_at", start, end), investigation_started_on__isnull=False
        )
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(
            total=Count("pk"),
            in_time=Count(
                "pk",
                filter=Q(
                    closed_at__lt=F("investigation_started_on")
                    + datetime.timedelta(days=INVESTIGATION_DAYS + 1)
                ),
            ),
        )
        .order_by("month")
    )
    return [(_date(r["month"]), "", r["in_time"], r["total"]) for r in rows]


# The median is PostgreSQL's percentile_cont, which the ORM has no aggregate for, over
# the handling's pre-aggregated columns. The month is the local month, as TruncMonth
# makes it.
MEDIAN_SQL = """
    SELECT date_trunc('month', report_received_at AT TIME ZONE %(tz)s)::date AS month,
           percentile_cont(0.5) WITHIN GROUP (
               ORDER BY extract(epoch FROM first_feedback_at - report_received_at) / 86400.0),
           count(*)
    FROM concerns_handling
    WHERE report_received_at >= %(low)s AND report_received_at < %(high)s
      AND NOT is_completion AND first_feedback_at IS NOT NULL
    GROUP BY 1 ORDER BY 1
"""


def _pg_median(start: datetime.date, end: datetime.date) -> list[tuple]:
    low, high = periods.local_bounds(start, end)
    params = {"tz": timezone.get_current_timezone_name(), "low": low, "high": high}
    with connection.cursor() as cursor:
        cursor.execute(MEDIAN_SQL, params)
        return cursor.fetchall()


def _date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
