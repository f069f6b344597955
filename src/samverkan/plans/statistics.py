"""Aggregate counts of SIPs for follow-up (governance indicators): numbers per month,
never a plan or a child. Rows are ``(month, group, numerator, denominator)``."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from samverkan.core import periods

from .models import FollowUp, Plan, PlanVersion


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


def child_words_recorded(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Of the SIPs started in each month, how many record the child's own words: what is
    important to the child (preparation) or the child's words in a version of the plan."""
    words = PlanVersion.objects.filter(plan=OuterRef("pk"), content__has_key="child_words").exclude(
        content__child_words=""
    )
    rows = (
        _started(start, end)
        .annotate(has_words=Exists(words))
        .values("month")
        .annotate(
            total=Count("pk"),
            recorded=Count("pk", filter=~Q(important_to_child="") | Q(has_words=True)),
        )
    )
    return [(_date(r["month"]), "", r["recorded"], r["total"]) for r in rows]


def followed_up_on_time(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Of the follow-up dates that fell in each month and have passed (the next date set
    at a follow-up meeting), how many had the next follow-up held on or before it."""
    today = timezone.localdate()
    held = FollowUp.objects.filter(
        plan=OuterRef("plan"),
        held_on__gt=OuterRef("held_on"),
        held_on__lte=OuterRef("next_follow_up_on"),
    )
    rows = (
        FollowUp.objects.filter(next_follow_up_on__gte=start, next_follow_up_on__lt=min(end, today))
        .annotate(month=TruncMonth("next_follow_up_on"), in_time=Exists(held))
        .values("month")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(in_time=True)))
        .order_by("month")
    )
    return [(_date(r["month"]), "", r["on_time"], r["total"]) for r in rows]
