"""Notes for the secrecy review of a log extract (audit/extracts.py): rows that would
reveal a report of concern the guardians must not be told about.

Only reports the extracting organisation itself made or received are considered, so
a note never tells the reviewer about another organisation's report. From the day such
a report arrived, a row may reveal it when it is about the report itself (any
``concerns.*`` record) or when it was written by the receiving organisation (that
social services works with the child at all is then secret from the guardians: OSL
12 kap. 3 §, 26 kap. 1 §)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone

from .models import Report


def _day_start(moment: datetime.datetime) -> datetime.datetime:
    day = timezone.localtime(moment).date()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def extract_flags(subject_id: str, organisation_id: int, rows: Sequence) -> dict[int, str]:
    reports = list(
        Report.objects.filter(child__public_id=subject_id, do_not_inform_guardians=True)
        .filter(
            Q(receiving_organisation_id=organisation_id)
            | Q(reporter_organisation_id=organisation_id)
        )
        .order_by("received_at")
    )
    notes: dict[int, str] = {}
    for row in rows:
        for report in reports:
            if row.occurred_at < _day_start(report.received_at):
                continue
            about_report = row.resource_type.startswith("concerns.")
            by_receiver = row.actor_organisation_id == report.receiving_organisation_id
            if about_report or by_receiver:
                notes[row.pk] = (
                    f"Kan röja orosanmälan {report.reference} "
                    f"({timezone.localtime(report.received_at):%Y-%m-%d}), där "
                    "vårdnadshavarna inte får veta att anmälan har gjorts. Undantas om "
                    "uppgiften omfattas av sekretess mot vårdnadshavaren "
                    "(OSL 12 kap. 3 §, 26 kap. 1 §)."
                )
                break
    return notes
