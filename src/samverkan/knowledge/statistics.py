"""Aggregate counts of shared training for follow-up (governance indicators): numbers
per month, never a person. Rows are ``(month, group, numerator, denominator)``."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth

from samverkan.core import periods

from .models import Event, EventKind, EventRegistration

EVENT_KINDS = dict(EventKind.choices)


def participants_per_month(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Places taken (not cancelled) at shared trainings and meeting places that were not
    cancelled, per month of the event, by the participant's organisation type."""
    rows = (
        EventRegistration.objects.filter(
            cancelled_at__isnull=True,
            event__cancelled_at__isnull=True,
            **periods.between("event__starts_at", start, end),
        )
        .annotate(month=TruncMonth("event__starts_at"))
        .values("month", "organisation__org_type")
        .annotate(n=Count("pk"))
        .order_by("month", "organisation__org_type")
    )
    return [
        (
            r["month"].date() if isinstance(r["month"], datetime.datetime) else r["month"],
            r["organisation__org_type"],
            r["n"],
            None,
        )
        for r in rows
    ]


def events_per_month(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Shared trainings, method days, seminars and meeting places held (not cancelled)
    per month, by kind."""
    rows = (
        Event.objects.filter(cancelled_at__isnull=True, **periods.between("starts_at", start, end))
        .annotate(month=TruncMonth("starts_at"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .order_by("month", "kind")
    )
    return [
        (
            r["month"].date() if isinstance(r["month"], datetime.datetime) else r["month"],
            r["kind"],
            r["n"],
            None,
        )
        for r in rows
    ]
