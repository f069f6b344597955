"""Reports of concern in the inbox (notify.inbox). What an item says is derived when it
is read, after ``decide_report`` for the reader (and, for a three-party meeting, the
consent that allows telling the reporter about it, asked again at read time).

Kinds, whom they reach, and what closes them:

- ``intake``: a new report, to the intake function; clock: the preliminary assessment
  (14 days); closed by the decision after it.
- ``protection``: the protection assessment, due the day the report came in, to the
  intake function; closed when recorded.
- ``written``: the written report after an oral one, due in two working days, to the
  intake function; closed when the written report arrives.
- ``contact``: a report from an organisation, to social services' contact function for
  that organisation (whoever holds it now).
- ``assigned``: the report, to the social worker assigned to it.
- ``feedback_due``: feedback to a professional reporter, due within the configured
  days, to the intake function and then the handler; closed by the first feedback.
- ``investigation``: the investigation's four months, to the handler; moved by an
  extension, closed when the matter closes.
- ``entry``: an addition, correction or question from the reporter, to the handler.
- ``feedback``: feedback received, to the reporter.
- ``meeting``: a three-party meeting booked, to the reporter (with a calendar
  invitation).
- ``evaluation``: the cooperation to evaluate after closure, to the reporter and the
  handler; closed per organisation when it has answered.

An overdue item escalates once to the manager function (notify.clocks)."""

from __future__ import annotations

import contextvars
import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import signals
from samverkan.notify import calendar, inbox, receivers
from samverkan.notify import services as notify

from . import conf, legal
from .models import Report

INTAKE = "concerns.intake"
PROTECTION = "concerns.protection"
WRITTEN = "concerns.written"
CONTACT = "concerns.contact"
ASSIGNED = "concerns.assigned"
FEEDBACK_DUE = "concerns.feedback_due"
INVESTIGATION = "concerns.investigation"
ENTRY = "concerns.entry"
FEEDBACK = "concerns.feedback"
MEETING = "concerns.meeting"
EVALUATION = "concerns.evaluation"

# Kinds whose clock runs at social services, and go to the handler once assigned.
_HANDLER_CLOCKS = (FEEDBACK_DUE, INVESTIGATION)


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def _subject(report: Report) -> str:
    return str(report.child.public_id) if report.child_id else ""


class _Batch:
    """Items one change delivers, e-mailed together (one message per person)."""

    def __init__(self):
        self.items: list = []
        self.token = None

    def __enter__(self):
        self.token = _batch.set(self)
        return self

    def __exit__(self, *exc):
        _batch.reset(self.token)
        if exc[0] is None:
            notify.mail_items([i for i in self.items if i is not None])


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("batch", default=None)


def _deliver(**fields):
    batch = _batch.get()
    if batch is None:
        return notify.inbox_deliver(**fields)
    item = notify.inbox_deliver(send_mail=False, **fields)
    batch.items.append(item)
    return item


def _to_intake(report: Report, kind: str, due: datetime.date | None, key: str = "") -> None:
    for code in receivers.intake_functions():
        _deliver(
            kind=kind,
            organisation_id=report.receiving_organisation_id,
            function_code=code,
            ref_id=str(report.public_id),
            subject_id=_subject(report),
            key=key,
            due_at=_end_of(due) if due else None,
        )


def _to_person(report: Report, kind: str, organisation_id: int, user_id: int, **extra):
    return _deliver(
        kind=kind,
        organisation_id=organisation_id,
        user_id=user_id,
        ref_id=str(report.public_id),
        subject_id=_subject(report),
        **extra,
    )


def _close(kind: str, report: Report, user_id: int | None, organisation_id=None) -> None:
    notify.inbox_close(
        kind=kind, ref_id=str(report.public_id), user_id=user_id, organisation_id=organisation_id
    )


def feedback_due_on(report: Report) -> datetime.date:
    return timezone.localdate(report.received_at) + datetime.timedelta(
        days=conf.get("CONCERN_FEEDBACK_DAYS")
    )


def arrived(report: Report, handling) -> None:
    """A report came in: its clocks start at the intake function."""
    with _Batch():
        _to_intake(report, INTAKE, handling.preliminary_due)
        _to_intake(report, PROTECTION, timezone.localdate(report.received_at))
        if handling.written_due and handling.written_received_at is None:
            _to_intake(report, WRITTEN, handling.written_due)
        if report.reporter_organisation_id:
            _to_intake(report, FEEDBACK_DUE, feedback_due_on(report))


def contact_deliver(report: Report, contact_function_id: int) -> None:
    notify.inbox_deliver(
        kind=CONTACT,
        organisation_id=report.receiving_organisation_id,
        contact_function_id=contact_function_id,
        ref_id=str(report.public_id),
        subject_id=_subject(report),
    )


def assigned_deliver(report: Report, membership, handling) -> None:
    """The handler is told, and the clocks that run at social services (feedback to the
    reporter, the investigation) move from the intake or an earlier handler to them."""
    with _Batch():
        org = report.receiving_organisation_id
        _to_person(report, ASSIGNED, org, membership.user_id, key=str(membership.pk))
        open_feedback = [
            i for i in notify.items_about(FEEDBACK_DUE, str(report.public_id)) if i.done_at is None
        ]
        if open_feedback:
            _close(FEEDBACK_DUE, report, None)
            _to_person(
                report,
                FEEDBACK_DUE,
                org,
                membership.user_id,
                key=f"h{membership.pk}-{handling.version}",
                due_at=open_feedback[0].due_at,
            )
        if handling.investigation_due:
            _close(INVESTIGATION, report, None)
            investigation_deliver(report, handling)


def protection_done(report: Report, user_id) -> None:
    _close(PROTECTION, report, user_id)


def written_done(report: Report) -> None:
    _close(WRITTEN, report, None)


def preliminary_moved(report: Report, due: datetime.date) -> None:
    notify.inbox_move_due(kind=INTAKE, ref_id=str(report.public_id), due_at=_end_of(due))


def preliminary_done(report: Report, user_id) -> None:
    _close(INTAKE, report, user_id)


def investigation_deliver(report: Report, handling) -> None:
    """The investigation's clock, to the handler (or the intake before one is named)."""
    key = f"{handling.investigation_due:%Y-%m-%d}"
    if handling.handler_id:
        _to_person(
            report,
            INVESTIGATION,
            report.receiving_organisation_id,
            handling.handler.user_id,
            key=key,
            due_at=_end_of(handling.investigation_due),
        )
    else:
        _to_intake(report, INVESTIGATION, handling.investigation_due, key=key)


def investigation_moved(report: Report, handling, user_id) -> None:
    _close(INVESTIGATION, report, user_id)
    investigation_deliver(report, handling)


def feedback_given(report: Report, entry, user_id) -> bool:
    """Feedback was given: its clock stops, and it reaches the reporter's inbox (which
    e-mails them). False for a reporter without an account here (a private person)."""
    _close(FEEDBACK_DUE, report, user_id)
    if not report.reporter_user_id or not report.reporter_organisation_id:
        return False
    _to_person(
        report,
        FEEDBACK,
        report.reporter_organisation_id,
        report.reporter_user_id,
        key=str(entry.public_id)[:36],
    )
    return True


def entry_deliver(report: Report, entry, handler) -> None:
    _to_person(
        report, ENTRY, report.receiving_organisation_id, handler.user_id, key=str(entry.public_id)
    )


def _meeting(meeting) -> calendar.Meeting:
    link = settings.SAMVERKAN_BASE_URL.rstrip("/") + reverse("concerns:mine")
    return calendar.Meeting(
        uid=f"trepartssamtal-{meeting.public_id}@samverkan",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary="Trepartssamtal",
        location=meeting.place,
        description=f"Trepartssamtal med socialtjänsten. Läs mer i Samverkan: {link}",
        sequence=meeting.version - 1,
    )


def meeting_deliver(report: Report, meeting) -> None:
    """To the reporter: the meeting in the inbox and a calendar invitation."""
    if not report.reporter_user_id or not report.reporter_organisation_id:
        return
    item = _to_person(
        report,
        MEETING,
        report.reporter_organisation_id,
        report.reporter_user_id,
        key=str(meeting.public_id),
    )
    if item is not None:
        notify.meeting_invite(
            items=[item], meeting=_meeting(meeting), path=reverse("concerns:mine")
        )


def closed(report: Report, handling, user_id) -> None:
    """The matter closed: its clocks stop, and both sides are asked to evaluate."""
    for kind in (INTAKE, PROTECTION, WRITTEN, FEEDBACK_DUE, INVESTIGATION):
        _close(kind, report, user_id)
    due = timezone.localdate() + datetime.timedelta(weeks=conf.get("CONCERN_EVALUATION_WEEKS"))
    if handling.handler_id:
        _to_person(
            report,
            EVALUATION,
            report.receiving_organisation_id,
            handling.handler.user_id,
            due_at=_end_of(due),
        )
    if report.reporter_user_id and report.reporter_organisation_id:
        _to_person(
            report,
            EVALUATION,
            report.reporter_organisation_id,
            report.reporter_user_id,
            due_at=_end_of(due),
        )
    matter_closed(report, handling)


def respondents(report: Report, handling) -> list[signals.Respondent]:
    """The two sides of a closed matter, as the built-in evaluation asks them: the
    handler at social services and the professional reporter."""
    found: list[signals.Respondent] = []
    if handling.handler_id:
        found.append(
            signals.Respondent(
                handling.handler.user_id,
                report.receiving_organisation_id,
                report.receiving_organisation.org_type,
            )
        )
    if report.reporter_user_id and report.reporter_organisation_id:
        found.append(
            signals.Respondent(
                report.reporter_user_id,
                report.reporter_organisation_id,
                report.reporter_organisation.org_type,
            )
        )
    return found


def matter_closed(report: Report, handling) -> None:
    """The surveys that follow closed matters up may ask both sides (no child data: the
    occasion is named by the report's reference)."""
    signals.occasion_ended.send(
        sender=Report,
        trigger="case",
        occasion=f"case:{report.public_id}",
        label=report.reference,
        forum_level="",
        respondents=respondents(report, handling),
    )


def evaluated(report: Report, organisation_id: int, user_id) -> None:
    _close(EVALUATION, report, user_id, organisation_id=organisation_id)


def _expected(report: Report, handling, fed_back: set[int]):
    if not handling.preliminary_decision:
        yield INTAKE, lambda: _to_intake(report, INTAKE, handling.preliminary_due)
    if handling.protection_assessed_at is None:
        yield (
            PROTECTION,
            lambda: _to_intake(report, PROTECTION, timezone.localdate(report.received_at)),
        )
    if handling.written_due and handling.written_received_at is None:
        yield WRITTEN, lambda: _to_intake(report, WRITTEN, handling.written_due)
    if handling.handler_id:
        yield (
            ASSIGNED,
            lambda: _to_person(
                report,
                ASSIGNED,
                report.receiving_organisation_id,
                handling.handler.user_id,
                key=str(handling.handler_id),
            ),
        )
    if report.reporter_organisation_id and report.pk not in fed_back:
        if handling.handler_id:
            yield (
                FEEDBACK_DUE,
                lambda: _to_person(
                    report,
                    FEEDBACK_DUE,
                    report.receiving_organisation_id,
                    handling.handler.user_id,
                    due_at=_end_of(feedback_due_on(report)),
                ),
            )
        else:
            yield FEEDBACK_DUE, lambda: _to_intake(report, FEEDBACK_DUE, feedback_due_on(report))
    if handling.investigation_due:
        yield INVESTIGATION, lambda: investigation_deliver(report, handling)


def clocks_ensure() -> int:
    """Give every open matter the items its state calls for that it has none of yet
    (matters from before the inbox). Returns how many kinds were delivered."""
    from .models import Entry, EntryKind, Handling

    open_matters = (
        Handling.objects.filter(closed_at__isnull=True)
        .select_related("report__child", "handler")
        .order_by("pk")
    )
    delivered, last = 0, 0
    while True:
        batch = list(open_matters.filter(pk__gt=last)[:500])
        if not batch:
            return delivered
        last = batch[-1].pk
        refs = [h.report.public_id for h in batch]
        present = notify.kinds_present(refs, _LABELS)
        fed_back = set(
            Entry.objects.filter(
                report_id__in=[h.report_id for h in batch], kind=EntryKind.FEEDBACK
            ).values_list("report_id", flat=True)
        )
        for handling in batch:
            for kind, deliver in _expected(handling.report, handling, fed_back):
                if (kind, str(handling.report.public_id)) not in present:
                    deliver()
                    delivered += 1


# --- what an item says, for its reader ---------------------------------------------------


def _child_name(report: Report) -> str:
    if report.child_id:
        return report.child.full_name
    name = f"{report.reported_first_name} {report.reported_last_name}".strip()
    return name or "ett barn"


_TITLES = {
    INTAKE: gettext_lazy("Ny anmälan %(ref)s om %(name)s"),
    PROTECTION: gettext_lazy("Skyddsbedömning samma dag: anmälan %(ref)s om %(name)s"),
    WRITTEN: gettext_lazy("Skriftlig anmälan väntas efter den muntliga %(ref)s om %(name)s"),
    CONTACT: gettext_lazy(
        "Ny anmälan %(ref)s om %(name)s från %(reporter)s, som du är kontakt för"
    ),
    ASSIGNED: gettext_lazy("Du handlägger anmälan %(ref)s om %(name)s"),
    FEEDBACK_DUE: gettext_lazy("Återkoppling till anmälaren: anmälan %(ref)s om %(name)s"),
    INVESTIGATION: gettext_lazy("Utredningen ska vara klar: anmälan %(ref)s om %(name)s"),
    ENTRY: gettext_lazy("Nytt från anmälaren på anmälan %(ref)s om %(name)s"),
    FEEDBACK: gettext_lazy("Återkoppling på din anmälan %(ref)s om %(name)s"),
    MEETING: gettext_lazy("Trepartssamtal bokat: anmälan %(ref)s om %(name)s"),
    EVALUATION: gettext_lazy("Utvärdera samarbetet: anmälan %(ref)s om %(name)s"),
}

_LABELS = {
    INTAKE: gettext_lazy("Ny orosanmälan i mottagningen"),
    PROTECTION: gettext_lazy("Skyddsbedömning att göra"),
    WRITTEN: gettext_lazy("Skriftlig anmälan efter en muntlig"),
    CONTACT: gettext_lazy("Ny orosanmälan från en verksamhet du är kontakt för"),
    ASSIGNED: gettext_lazy("Orosanmälan att handlägga"),
    FEEDBACK_DUE: gettext_lazy("Återkoppling till anmälaren"),
    INVESTIGATION: gettext_lazy("Utredningstid"),
    ENTRY: gettext_lazy("Nytt från anmälaren"),
    FEEDBACK: gettext_lazy("Återkoppling på en orosanmälan"),
    MEETING: gettext_lazy("Trepartssamtal bokat"),
    EVALUATION: gettext_lazy("Utvärdering av samarbetet"),
}


def meeting_shared(actor: Actor, report: Report) -> bool:
    """A three-party meeting is told to the reporter only while the family's consent
    for it holds (asked now: a revoked consent empties the item)."""
    if report.child_id is None or report.reporter_organisation_id is None:
        return False
    return passing.decide(
        child=report.child,
        from_organisation_id=report.receiving_organisation_id,
        to_organisation_id=report.reporter_organisation_id,
        category=legal.REPORT_CATEGORY,
        purpose="trepartssamtal",
        viewer_organisation_id=actor.organisation_id,
    ).allowed


def _resolve(actor: Actor, items) -> dict[int, inbox.Shown | None]:
    reports = {
        str(r.public_id): r
        for r in Report.objects.filter(public_id__in={i.ref_id for i in items}).select_related(
            "child", "reporter_organisation"
        )
    }
    result: dict[int, inbox.Shown | None] = {}
    for item in items:
        report = reports.get(item.ref_id)
        decision = policy.decide(actor, Action.READ, report) if report else None
        if not decision or (item.kind == MEETING and not meeting_shared(actor, report)):
            result[item.pk] = None
            continue
        result[item.pk] = inbox.Shown(
            title=_TITLES[item.kind]
            % {
                "ref": report.reference,
                "name": _child_name(report),
                "reporter": getattr(report.reporter_organisation, "name", ""),
            },
            url=reverse("concerns:detail", args=[report.public_id]),
            subject_id=_subject(report),
            ground=decision.ground,
        )
    return result


def register() -> None:
    for code, label in _LABELS.items():
        inbox.register(code, label=label, resolve=_resolve)
