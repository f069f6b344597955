"""Date periods as datetime bounds, for queries that count by local date.

``received_at__date__gte=start`` makes the database convert every row's timestamp to a
local date before comparing, so no index on the column can be used. The same period
as aware datetimes at local midnight (``field__gte=low, field__lt=high``) means the same
rows and lets an index on the timestamp narrow them.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def local_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """Local midnight at ``start`` and at ``end``: the half-open period [start, end)."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz),
        timezone.make_aware(datetime.datetime.combine(end, datetime.time.min), tz),
    )


def between(field: str, start: datetime.date, end: datetime.date) -> dict:
    """Filter arguments for ``field`` in [start, end) by local date."""
    low, high = local_bounds(start, end)
    return {f"{field}__gte": low, f"{field}__lt": high}
