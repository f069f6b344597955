"""Forums in the inbox (notify.inbox), and their meetings in calendars:

- ``meetings.escalation_step``: a step of an escalation reaching the forum (its
  convener function) or, without a forum, the owning organisation's manager function;
  clock: the step's deadline; closed when the step is decided.
- ``meetings.action``: an action item decided at a meeting, to the responsible
  organisation's function (or its manager function when a person is named in free
  text); clock: the due date; closed when done or struck.
- Forum meetings booked or generated from the cadence are e-mailed as calendar
  invitations (METHOD:REQUEST) to whoever holds the convener function and the forum's
  functions in its member organisations, and cancelled (METHOD:CANCEL) with the meeting.

What an item says is derived when it is read, after the access policy has decided for
the reader (escalations and meetings are anonymised or consent-bound by the services)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import signals
from samverkan.directory import selectors as directory
from samverkan.notify import calendar, inbox, mail, receivers
from samverkan.notify import services as notify

from .models import ActionItem, Escalation, EscalationStep, Meeting

STEP = "meetings.escalation_step"
ACTION = "meetings.action"


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def step_deliver(escalation: Escalation, step: EscalationStep) -> None:
    if step.forum_id:
        organisation_id = step.forum.convener_organisation_id
        code = step.forum.convener_function.code
    else:
        organisation_id = step.owner_organisation_id
        code = receivers.manager_function(organisation_id)
    notify.inbox_deliver(
        kind=STEP,
        organisation_id=organisation_id,
        function_code=code,
        ref_id=str(escalation.public_id),
        subject_id=str(escalation.child.public_id) if escalation.child_id else "",
        key=str(step.position),
        due_at=_end_of(step.deadline),
    )


def step_decided(escalation: Escalation, user_id) -> None:
    notify.inbox_close(kind=STEP, ref_id=str(escalation.public_id), user_id=user_id)


def action_deliver(action: ActionItem) -> None:
    code = (
        action.responsible_function.code
        if action.responsible_function_id
        else receivers.manager_function(action.responsible_organisation_id)
    )
    notify.inbox_deliver(
        kind=ACTION,
        organisation_id=action.responsible_organisation_id,
        function_code=code,
        ref_id=str(action.public_id),
        due_at=_end_of(action.due_date),
    )


def action_settled(action: ActionItem, user_id) -> None:
    notify.inbox_close(kind=ACTION, ref_id=str(action.public_id), user_id=user_id)


# --- calendar invitations to forum meetings -----------------------------------------------


def _participants(meeting: Meeting) -> list[tuple[int, str]]:
    forum = meeting.forum
    pairs = {(forum.convener_organisation_id, forum.convener_function.code)}
    codes = [f.code for f in forum.functions.all()]
    for org_id in forum.members.values_list("organisation_id", flat=True):
        pairs |= {(org_id, code) for code in codes}
    return sorted(pairs)


def _calendar_meeting(meeting: Meeting) -> calendar.Meeting:
    link = settings.SAMVERKAN_BASE_URL.rstrip("/") + reverse(
        "meetings:meeting", args=[meeting.public_id]
    )
    return calendar.Meeting(
        uid=f"forum-{meeting.public_id}@samverkan",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"{meeting.forum.name}",
        location=meeting.location,
        description=f"Möte i samverkansforumet {meeting.forum.name}. Dagordning: {link}",
        sequence=meeting.version - 1,
    )


def meeting_invite(meeting: Meeting, *, cancel: bool = False) -> None:
    """E-mail each participant their own invitation (or its cancellation) after commit."""
    recipients = notify.function_emails(_participants(meeting))
    event = _calendar_meeting(meeting)
    mail.invitation_send(
        recipients=recipients,
        ics_for=lambda address: calendar.invitation(event, attendee=address, cancel=cancel),
        path=reverse("meetings:meeting", args=[meeting.public_id]),
        cancel=cancel,
    )


# --- who took part, for the surveys after a meeting (core.signals.occasion_ended) ------


def respondents(meeting: Meeting) -> list[signals.Respondent]:
    """Whoever holds the forum's functions now in the organisations that attended (on
    the attendance list and not recorded absent; every member organisation when no
    attendance was recorded), and the convener: once per person and organisation."""
    forum = meeting.forum
    attended = set(
        meeting.attendances.exclude(present=False).values_list("organisation_id", flat=True)
    )
    if not meeting.attendances.exists():
        attended = set(forum.members.values_list("organisation_id", flat=True))
    codes = {f.code for f in forum.functions.all()} | {forum.convener_function.code}
    pairs = {(org_id, code) for org_id in attended for code in codes}
    pairs.add((forum.convener_organisation_id, forum.convener_function.code))
    found: dict[tuple[int, int], signals.Respondent] = {}
    for org_id, code in sorted(pairs):
        for membership in directory.function_holders(org_id, code):
            found.setdefault(
                (membership.user_id, org_id),
                signals.Respondent(membership.user_id, org_id, membership.organisation.org_type),
            )
    return list(found.values())


def held(meeting: Meeting) -> None:
    """The meeting was held: the surveys that follow meetings up may ask its people."""
    local = timezone.localtime(meeting.starts_at)
    signals.occasion_ended.send(
        sender=Meeting,
        trigger="meeting",
        occasion=f"meeting:{meeting.public_id}",
        label=f"{meeting.forum.name} {local:%Y-%m-%d}",
        forum_level=meeting.forum.level,
        respondents=respondents(meeting),
    )


# --- what an item says, for its reader ----------------------------------------------------


def _resolve_steps(actor: Actor, items) -> dict[int, inbox.Shown | None]:
    escalations = {
        str(e.public_id): e
        for e in Escalation.objects.filter(public_id__in={i.ref_id for i in items})
        .select_related("child")
        .prefetch_related("steps")
    }
    result: dict[int, inbox.Shown | None] = {}
    for item in items:
        escalation = escalations.get(item.ref_id)
        decision = policy.decide(actor, Action.READ, escalation) if escalation else None
        if not decision:
            result[item.pk] = None
            continue
        step = next((s for s in escalation.steps.all() if str(s.position) == item.key), None)
        result[item.pk] = inbox.Shown(
            title=gettext("Eskalering till %(step)s: %(title)s")
            % {
                "step": step.name if step else gettext("nästa steg"),
                "title": escalation.title,
            },
            url=reverse("meetings:escalation", args=[escalation.public_id]),
            subject_id=str(escalation.child.public_id) if escalation.child_id else "",
            ground=decision.ground,
        )
    return result


def _resolve_actions(actor: Actor, items) -> dict[int, inbox.Shown | None]:
    actions = {
        str(a.public_id): a
        for a in ActionItem.objects.filter(public_id__in={i.ref_id for i in items}).select_related(
            "meeting__forum"
        )
    }
    result: dict[int, inbox.Shown | None] = {}
    for item in items:
        action = actions.get(item.ref_id)
        decision = policy.decide(actor, Action.READ, action.meeting) if action else None
        if not decision:
            result[item.pk] = None
            continue
        result[item.pk] = inbox.Shown(
            title=gettext("Åtgärd från %(forum)s senast %(due)s: %(text)s")
            % {
                "forum": action.meeting.forum.name,
                "due": f"{action.due_date:%Y-%m-%d}",
                "text": Truncator(action.text).chars(120),
            },
            url=reverse("meetings:meeting", args=[action.meeting.public_id]),
            ground=decision.ground,
        )
    return result


def register() -> None:
    inbox.register(STEP, label=gettext_lazy("Eskalering till ditt forum"), resolve=_resolve_steps)
    inbox.register(ACTION, label=gettext_lazy("Åtgärd från ett möte"), resolve=_resolve_actions)
