"""Aggregate counts of collaboration meetings for follow-up (governance indicators):
numbers per month, never a meeting's content. Rows are ``(month, group, numerator,
denominator)``; the group is the forum's level."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth

from samverkan.core import periods

from .models import Escalation, EscalationStatus, Level, Meeting, MeetingStatus

LEVELS = dict(Level.choices)
ESCALATION_STATUSES = dict(EscalationStatus.choices)


def held_per_month(start: datetime.date, end: datetime.date) -> list[tuple]:
    rows = (
        Meeting.objects.filter(
            status=MeetingStatus.HELD, **periods.between("starts_at", start, end)
        )
        .annotate(month=TruncMonth("starts_at"))
        .values("month", "forum__level")
        .annotate(n=Count("pk"))
        .order_by("month", "forum__level")
    )
    return [
        (
            r["month"].date() if isinstance(r["month"], datetime.datetime) else r["month"],
            r["forum__level"],
            r["n"],
            None,
        )
        for r in rows
    ]


def escalations_opened_per_month(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Escalations (gråzonsärenden) opened per month, by whether they are still open or
    resolved now."""
    rows = (
        Escalation.objects.filter(**periods.between("created_at", start, end))
        .annotate(month=TruncMonth("created_at"))
        .values("month", "status")
        .annotate(n=Count("pk"))
        .order_by("month", "status")
    )
    return [
        (
            r["month"].date() if isinstance(r["month"], datetime.datetime) else r["month"],
            r["status"],
            r["n"],
            None,
        )
        for r in rows
    ]
