"""The inbox's clocks, run by the worker (web/tasks.py, every few minutes).

An item with a due time (a SIP call to acknowledge, the preliminary assessment of a
report, a plan's follow-up, a consent's expiry) that is still open when the time has
passed is **reminded** once: marked overdue in the inbox and e-mailed again. When it is
still open ``ESCALATE_AFTER_DAYS`` later, it **escalates** once to the manager of the
unit it was sent to (a function in a unit, or the unit of the person or contact function
holder it reached), or to the organisation's manager function when the unit has no
manager or the item was for the organisation as a whole (notify/data/receivers.json): a
new item of the same kind about the same record, which the owning app re-checks for the
manager when read.
Both steps are claimed with a conditional update, so two workers, a retry or a re-run
never remind or escalate twice. Work is done in batches, so ten thousand due items cost
a bounded number of queries and bounded memory."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samverkan.directory import selectors as directory

from . import inbox, receivers
from .models import InboxItem
from .services import MailBatch

BATCH = 500


def _batches(queryset):
    """Primary keys of ``queryset`` in batches, re-reading after each batch (the rows
    claimed in one batch drop out of the condition)."""
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        yield ids


def _remind(now: datetime.datetime, mails: MailBatch) -> int:
    count = 0
    due = InboxItem.objects.filter(
        done_at__isnull=True,
        due_at__lt=now,
        reminded_at__isnull=True,
        escalation_of__isnull=True,
    )
    for ids in _batches(due):
        with transaction.atomic():
            claimed = InboxItem.objects.filter(pk__in=ids, reminded_at__isnull=True)
            items = list(claimed.select_for_update())
            InboxItem.objects.filter(pk__in=[i.pk for i in items]).update(reminded_at=now)
            mails.add(items)
        count += len(items)
    return count


def _units(items: list[InboxItem]) -> dict[int, int | None]:
    """The unit each item was sent to: its own, or that of the person or the contact
    function's holder it reached (two queries for a batch)."""
    people = directory.member_units(
        {(i.user_id, i.organisation_id) for i in items if i.user_id and not i.unit_id}
    )
    contacts = directory.contact_function_units(
        {i.contact_function_id for i in items if i.contact_function_id and not i.unit_id}
    )
    found: dict[int, int | None] = {}
    for item in items:
        if item.unit_id:
            found[item.pk] = item.unit_id
        elif item.user_id:
            found[item.pk] = people.get((item.user_id, item.organisation_id))
        elif item.contact_function_id:
            found[item.pk] = contacts.get(item.contact_function_id)
        else:
            found[item.pk] = None
    return found


class _Managers:
    """Whom an item escalates to: (function code, unit or None), looked up once per
    unit and organisation in a run."""

    def __init__(self):
        self.found: dict[tuple[int, int | None], tuple[str, int | None]] = {}

    def of(self, organisation_id: int, unit_id: int | None) -> tuple[str, int | None]:
        key = (organisation_id, unit_id)
        if key not in self.found:
            code = receivers.unit_manager_function(organisation_id, unit_id) if unit_id else None
            self.found[key] = (
                (code, unit_id) if code else (receivers.manager_function(organisation_id), None)
            )
        return self.found[key]


def _escalate(now: datetime.datetime, mails: MailBatch) -> int:
    limit = now - datetime.timedelta(days=settings.SAMVERKAN["ESCALATE_AFTER_DAYS"])
    count = 0
    due = InboxItem.objects.filter(
        done_at__isnull=True,
        due_at__lt=limit,
        escalated_at__isnull=True,
        escalation_of__isnull=True,
    )
    managers = _Managers()
    for ids in _batches(due):
        with transaction.atomic():
            items = list(
                InboxItem.objects.filter(pk__in=ids, escalated_at__isnull=True).select_for_update()
            )
            InboxItem.objects.filter(pk__in=[i.pk for i in items]).update(escalated_at=now)
            units = _units(items)
            # One escalation per record and organisation, even when the item went to
            # several functions there.
            seen = set(
                InboxItem.objects.filter(
                    escalation_of__isnull=False,
                    ref_id__in={i.ref_id for i in items},
                ).values_list("kind", "ref_id", "organisation_id")
            )
            new = []
            for item in items:
                key = (item.kind, item.ref_id, item.organisation_id)
                if key in seen:
                    continue
                seen.add(key)
                code, unit_id = managers.of(item.organisation_id, units[item.pk])
                new.append(
                    InboxItem(
                        kind=item.kind,
                        address=inbox.function(item.organisation_id, code, unit_id),
                        organisation_id=item.organisation_id,
                        unit_id=unit_id,
                        function_code=code,
                        ref_id=item.ref_id,
                        subject_id=item.subject_id,
                        key=item.key,
                        escalation_of=item,
                    )
                )
            mails.add(InboxItem.objects.bulk_create(new, ignore_conflicts=True))
        count += len(new)
    return count


def clocks_run(*, now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    mails = MailBatch()
    counts = {"reminders": _remind(now, mails), "escalations": _escalate(now, mails)}
    # One message per person for the whole run, after the last batch has committed.
    mails.send()
    return counts
