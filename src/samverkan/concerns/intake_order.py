"""The intake's order, kept on each handling (decision 0361).

The intake shows the most urgent reports first: overdue, then due soon, then on time,
each by the earliest due day, then those without a deadline (``reading._deadlines``
and ``_evaluation_due``). Every deadline's due day is fixed by the matter (arrival,
decisions, extensions, closure); only its label depends on today. Each report has one
"due soon" window: the open matter's deadlines ``CONCERN_DUE_SOON_DAYS`` (the
protection assessment is due on the day of arrival, never later than today, so its
same-day window changes nothing), the closed matter's evaluation 3 days. When the two
are equal (the default), the status is a step function of the earliest due day, and
ordering by the *stored* earliest due day is the rules' order for every today.

``intake_due`` is that day (None: no deadline the intake shows), written by the
services in the same transaction as every change to its inputs (``keep``), and by the
migration and the bulk builders (``due``) for rows made without them.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import conf

# deadlines.status's default window, which the evaluation's deadline uses (selectors).
EVALUATION_SOON_DAYS = 3


def stored_order_holds() -> bool:
    """Whether the stored earliest due day orders the intake exactly: every deadline
    has the same "due soon" window (see the module's text)."""
    return conf.get("CONCERN_DUE_SOON_DAYS") == EVALUATION_SOON_DAYS


def open_deadlines(
    *,
    channel: str,
    received_at: datetime.datetime,
    written_due: datetime.date | None,
    written_received_at: datetime.datetime | None,
    protection_assessed_at: datetime.datetime | None,
    preliminary_decision: str,
    preliminary_due: datetime.date,
    investigation_due: datetime.date | None,
) -> list[tuple[str, datetime.date | None, int]]:
    """The deadlines of an open matter that the intake shows, as (kind, due day, days
    before it that count as "due soon"): the one definition that the report's page, the
    intake's rows (``reading._deadlines``) and the stored order (``due``) read. The
    intake's ranked query (``intake_page._urgency``) states the same rules in SQL."""
    soon = conf.get("CONCERN_DUE_SOON_DAYS")
    found = []
    if channel == "oral" and written_received_at is None:
        found.append(("written", written_due, soon))
    if protection_assessed_at is None:
        found.append(("protection", timezone.localdate(received_at), 0))
    if not preliminary_decision:
        found.append(("preliminary", preliminary_due, soon))
    elif investigation_due is not None:
        found.append(("investigation", investigation_due, soon))
    return found


def evaluation_due(closed_at: datetime.datetime) -> datetime.date:
    """When the receiving organisation's evaluation of a closed matter is due."""
    weeks = conf.get("CONCERN_EVALUATION_WEEKS")
    return timezone.localdate(closed_at) + datetime.timedelta(weeks=weeks)


def due(
    *,
    closed_at: datetime.datetime | None,
    evaluated: bool,
    **matter,
) -> datetime.date | None:
    """The earliest due day of the deadlines the intake shows for one report, from the
    values themselves (the migration and the bulk builders have no model instances;
    ``matter``: the arguments of ``open_deadlines``)."""
    if closed_at is not None:
        return None if evaluated else evaluation_due(closed_at)
    return min((day for _, day, _ in open_deadlines(**matter) if day is not None), default=None)


def matter_of(report, handling) -> dict:
    """The arguments of ``open_deadlines`` for a report and its handling."""
    return {
        "channel": report.channel,
        "received_at": report.received_at,
        "written_due": handling.written_due,
        "written_received_at": handling.written_received_at,
        "protection_assessed_at": handling.protection_assessed_at,
        "preliminary_decision": handling.preliminary_decision,
        "preliminary_due": handling.preliminary_due,
        "investigation_due": handling.investigation_due,
    }


def keep(handling, report, *, evaluated: bool = False) -> list[str]:
    """Set the handling's stored order from its state (``evaluated``: the receiving
    organisation has evaluated the closed matter); the fields to save with it."""
    handling.intake_organisation_id = report.receiving_organisation_id
    handling.intake_due = due(
        closed_at=handling.closed_at, evaluated=evaluated, **matter_of(report, handling)
    )
    return ["intake_organisation", "intake_due"]
