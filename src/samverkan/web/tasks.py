"""The periodic work, as tasks of the task runner (django-q2, decision 0190).

`samverkan worker` writes the schedules below into the database when it starts
(``schedules_ensure``) and runs them; `samverkan sweep` runs the same functions once, by
hand. Each task is safe to run twice and concurrently (every reminder is recorded once
by a unique key), so a retry after a failure or an overlap of two workers changes
nothing. Tasks take no arguments and return counts only: the queue's tables never hold
personal data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from samverkan.concerns import services as concerns
from samverkan.consent import services as consent
from samverkan.meetings import services as meetings
from samverkan.notify import clocks, sms
from samverkan.notify import services as notify
from samverkan.plans import services as plans


def consents() -> dict[str, int]:
    return consent.consents_sweep()


def plans_follow_ups() -> dict[str, int]:
    return plans.plans_sweep()


def concerns_deadlines() -> dict[str, int]:
    return concerns.concerns_sweep()


def meetings_cadence() -> dict[str, int]:
    return meetings.meetings_sweep()


def inbox_clocks() -> dict[str, int]:
    return clocks.clocks_run()


def sms_outbox() -> dict[str, int]:
    return sms.outbox_send()


def mail_digest() -> dict[str, int]:
    return notify.digest_send()


@dataclass(frozen=True)
class Schedule:
    name: str
    func: str
    minutes: int


_HERE = __name__
# name (shown in the admin and the logs), task, every N minutes.
SCHEDULES = [
    Schedule("Samtycken: påminnelser och utgångna", f"{_HERE}.consents", 15),
    Schedule("SIP: uppföljningar", f"{_HERE}.plans_follow_ups", 15),
    Schedule("Orosanmälningar: frister", f"{_HERE}.concerns_deadlines", 15),
    Schedule("Samverkansforum: möten och åtgärder", f"{_HERE}.meetings_cadence", 60),
    Schedule("Inkorg: klockor och eskalering", f"{_HERE}.inbox_clocks", 5),
    Schedule("E-post: daglig sammanfattning", f"{_HERE}.mail_digest", 30),
    Schedule("SMS: brådskande händelser", f"{_HERE}.sms_outbox", 1),
]


@transaction.atomic
def schedules_ensure() -> int:
    """Create or correct the schedules (by name); remove this module's schedules that
    are no longer listed. Returns how many schedules exist afterwards."""
    from django_q.models import Schedule as QSchedule

    names = {s.name for s in SCHEDULES}
    QSchedule.objects.filter(func__startswith=f"{_HERE}.").exclude(name__in=names).delete()
    for s in SCHEDULES:
        QSchedule.objects.update_or_create(
            name=s.name,
            defaults={
                "func": s.func,
                "schedule_type": QSchedule.MINUTES,
                "minutes": s.minutes,
                "repeats": -1,
            },
        )
    return len(SCHEDULES)
