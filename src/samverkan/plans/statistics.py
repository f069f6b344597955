"""Aggregate counts of SIPs for follow-up (governance indicators): numbers per month,
never a plan or a child. Rows are ``(month, group, numerator, denominator)``."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from samverkan.core import periods

from .models import Plan


def _date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _started(start: datetime.date, end: datetime.date):
    return (
        Plan.objects.filter(**periods.between("created_at", start, end))
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .order_by("month")
    )


def started_per_month(start: datetime.date, end: datetime.date) -> list[tuple]:
    """SIPs started (called) per month."""
    return [
        (_date(r["month"]), "", r["n"], None) for r in _started(start, end).annotate(n=Count("pk"))
    ]


def with_coordinator(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Of the SIPs started in each month, how many have a named coordinator."""
    rows = _started(start, end).annotate(
        total=Count("pk"), named=Count("pk", filter=Q(coordinator__isnull=False))
    )
    return [(_date(r["month"]), "", r["named"], r["total"]) for r in rows]
