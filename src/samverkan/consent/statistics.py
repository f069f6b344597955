"""Aggregate counts of consent events for follow-up (governance indicators): numbers
per month, never a consent, a child or a guardian. Rows are ``(month, group,
numerator, denominator)``: group ``given`` (signed), ``revoked`` or ``lapsed`` (expired,
or no longer covering a matter that changed character)."""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Count, Value, When
from django.db.models.functions import TruncMonth

from samverkan.core import periods

from .models import ConsentEvent, EventKind

GROUPS = {
    EventKind.SIGNED: "given",
    EventKind.REVOKED: "revoked",
    EventKind.EXPIRED: "lapsed",
    EventKind.CONTEXT_LAPSED: "lapsed",
}


def events_per_month(start: datetime.date, end: datetime.date) -> list[tuple]:
    group = Case(
        *[When(kind=kind, then=Value(name)) for kind, name in GROUPS.items()],
        output_field=CharField(),
    )
    rows = (
        ConsentEvent.objects.filter(
            kind__in=list(GROUPS), **periods.between("occurred_at", start, end)
        )
        .annotate(month=TruncMonth("occurred_at"), group=group)
        .values("month", "group")
        .annotate(n=Count("pk"))
        .order_by("month", "group")
    )
    return [
        (
            r["month"].date() if isinstance(r["month"], datetime.datetime) else r["month"],
            r["group"],
            r["n"],
            None,
        )
        for r in rows
    ]
