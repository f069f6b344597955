"""Reports of concern in the inbox (notify.inbox): a new report at intake (to the intake
function, with the clock of the preliminary assessment, 14 days), a report assigned to
a social worker, and feedback to the reporter. What an item says is derived when it is
read, after ``decide_report`` for the reader."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.notify import inbox, receivers
from samverkan.notify import services as notify

from .models import Report

INTAKE = "concerns.intake"
ASSIGNED = "concerns.assigned"
FEEDBACK = "concerns.feedback"


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def intake_deliver(report: Report, preliminary_due: datetime.date) -> None:
    for code in receivers.intake_functions():
        notify.inbox_deliver(
            kind=INTAKE,
            organisation_id=report.receiving_organisation_id,
            function_code=code,
            ref_id=str(report.public_id),
            subject_id=str(report.child.public_id) if report.child_id else "",
            due_at=_end_of(preliminary_due),
        )


def intake_close(report: Report, user_id: int | None) -> None:
    notify.inbox_close(kind=INTAKE, ref_id=str(report.public_id), user_id=user_id)


def assigned_deliver(report: Report, membership) -> None:
    notify.inbox_deliver(
        kind=ASSIGNED,
        organisation_id=report.receiving_organisation_id,
        user_id=membership.user_id,
        ref_id=str(report.public_id),
        subject_id=str(report.child.public_id) if report.child_id else "",
        key=str(membership.pk),
    )


def feedback_deliver(report: Report, entry) -> bool:
    """Put the feedback in the reporter's inbox (which e-mails them). False for a
    reporter without an account here (a private person)."""
    if not report.reporter_user_id or not report.reporter_organisation_id:
        return False
    notify.inbox_deliver(
        kind=FEEDBACK,
        organisation_id=report.reporter_organisation_id,
        user_id=report.reporter_user_id,
        ref_id=str(report.public_id),
        subject_id=str(report.child.public_id) if report.child_id else "",
        key=str(entry.public_id)[:36],
    )
    return True


def _child_name(report: Report) -> str:
    if report.child_id:
        return report.child.full_name
    name = f"{report.reported_first_name} {report.reported_last_name}".strip()
    return name or "ett barn"


_TITLES = {
    INTAKE: "Ny anmälan {ref} om {name}",
    ASSIGNED: "Du handlägger anmälan {ref} om {name}",
    FEEDBACK: "Återkoppling på din anmälan {ref} om {name}",
}


def _resolve(actor: Actor, items) -> dict[int, inbox.Shown | None]:
    reports = {
        str(r.public_id): r
        for r in Report.objects.filter(public_id__in={i.ref_id for i in items}).select_related(
            "child"
        )
    }
    result: dict[int, inbox.Shown | None] = {}
    for item in items:
        report = reports.get(item.ref_id)
        decision = policy.decide(actor, Action.READ, report) if report else None
        if not decision:
            result[item.pk] = None
            continue
        result[item.pk] = inbox.Shown(
            title=_TITLES[item.kind].format(ref=report.reference, name=_child_name(report)),
            url=reverse("concerns:detail", args=[report.public_id]),
            subject_id=str(report.child.public_id) if report.child_id else "",
            ground=decision.ground,
        )
    return result


def register() -> None:
    inbox.register(INTAKE, label="Ny orosanmälan i mottagningen", resolve=_resolve)
    inbox.register(ASSIGNED, label="Orosanmälan att handlägga", resolve=_resolve)
    inbox.register(FEEDBACK, label="Återkoppling på en orosanmälan", resolve=_resolve)
