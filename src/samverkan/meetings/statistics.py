"""Aggregate counts of collaboration meetings for follow-up (governance indicators):
numbers per month, never a meeting's content. Rows are ``(month, group, numerator,
denominator)``; the group is the forum's level."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from samverkan.core import periods

from .models import (
    Attendance,
    Escalation,
    EscalationStatus,
    EscalationStep,
    Level,
    Meeting,
    MeetingStatus,
)

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


def attendance_by_organisation_type(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Of the organisations invited to the meetings held in each month, how many were
    recorded as present, by organisation type."""
    rows = (
        Attendance.objects.filter(
            meeting__status=MeetingStatus.HELD, **periods.between("meeting__starts_at", start, end)
        )
        .annotate(month=TruncMonth("meeting__starts_at"))
        .values("month", "organisation__org_type")
        .annotate(total=Count("pk"), present=Count("pk", filter=Q(present=True)))
        .order_by("month", "organisation__org_type")
    )
    return [
        (_date(r["month"]), r["organisation__org_type"], r["present"], r["total"]) for r in rows
    ]


NO_FORUM = "utan_forum"


def escalation_decisions_by_level(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Decisions taken at a step of the escalation ladder per month, by the level of the
    forum that took it (the level at which the disagreement was settled or moved on)."""
    rows = (
        EscalationStep.objects.filter(
            decided_at__isnull=False, **periods.between("decided_at", start, end)
        )
        .annotate(month=TruncMonth("decided_at"))
        .values("month", "forum__level")
        .annotate(n=Count("pk"))
        .order_by("month", "forum__level")
    )
    return [(_date(r["month"]), r["forum__level"] or NO_FORUM, r["n"], None) for r in rows]


def _date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
