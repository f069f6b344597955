"""After the meeting: the minutes (saving, closing the meeting, approving, corrections),
the action items and their reminders, the periodic sweep, and the evaluation of a
meeting."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import signals
from samverkan.core.errors import StaleWrite, ValidationFailed
from samverkan.directory import selectors as directory

from . import conf
from . import inbox as meetings_inbox
from .forums import meetings_generate
from .models import (
    ActionItem,
    ActionStatus,
    Evaluation,
    Meeting,
    MeetingStatus,
    MinutesCorrection,
)
from .writes import _audit, _require, _require_unlocked, check_anonymised

EVALUATION_QUESTIONS = [
    ("purpose", gettext_lazy("Var mötets syfte tydligt?")),
    ("right_people", gettext_lazy("Var rätt funktioner med?")),
    ("useful", gettext_lazy("Fick du med dig något du kan använda i ditt arbete?")),
    ("climate", gettext_lazy("Kunde alla komma till tals?")),
]
EVALUATION_SCALE = [
    (1, gettext_lazy("Nej, inte alls")),
    (2, gettext_lazy("Nej, inte helt")),
    (3, "Ja, delvis"),
    (4, "Ja, helt"),
]


@transaction.atomic
def minutes_save(*, actor: Actor, meeting: Meeting, minutes: str, version: int) -> Meeting:
    """Write the minutes (convener). They are about the meeting, not about a named
    child: the same check as for anonymised text applies."""
    decision = _require(actor, Action.CHANGE, meeting)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_unlocked(locked)
    if locked.version != version:
        raise StaleWrite(
            gettext(
                "Någon annan har sparat protokollet medan du skrev. Din text är inte sparad men "
                "finns kvar i rutan; den senast sparade texten står bredvid. För samman dem och "
                "spara igen."
            ),
            field="minutes",
            code="stale",
        )
    check_anonymised(actor, ("minutes", minutes))
    locked.minutes = minutes.strip()
    locked.version += 1
    locked.save(update_fields=["minutes", "version", "updated_at"])
    _audit(actor, Action.CHANGE, "meetings.meeting", locked, decision.ground, minutes=True)
    return locked


@transaction.atomic
def meeting_close(*, actor: Actor, meeting: Meeting, cancelled: bool = False) -> Meeting:
    """Mark the meeting as held (or cancelled). Its open action items carry over to the
    forum's next meeting."""
    decision = _require(actor, Action.CHANGE, meeting)
    _require_unlocked(meeting)
    if not cancelled and meeting.starts_at > timezone.now():
        raise ValidationFailed(
            gettext(
                "Mötet har inte börjat än (%(localtime)s), så det kan inte markeras som "
                "genomfört. Ställ in det om det inte blir av."
            )
            % {"localtime": format(timezone.localtime(meeting.starts_at), "%Y-%m-%d %H:%M")},
            field="status",
            code="not_started",
        )
    meeting.status = MeetingStatus.CANCELLED if cancelled else MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    if cancelled:
        meetings_inbox.meeting_invite(meeting, cancel=True)
    else:
        meetings_inbox.held(meeting)
    _audit(
        actor, Action.CHANGE, "meetings.meeting", meeting, decision.ground, status=meeting.status
    )
    return meeting


@transaction.atomic
def minutes_approve(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Approve (justera) the minutes: from now on they are locked."""
    decision = _require(actor, Action.CHANGE, meeting)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_unlocked(locked)
    if locked.status != MeetingStatus.HELD:
        raise ValidationFailed(gettext("Markera mötet som genomfört innan protokollet justeras."))
    locked.minutes_approved_at = timezone.now()
    locked.minutes_approved_by = actor.label
    locked.save(update_fields=["minutes_approved_at", "minutes_approved_by", "updated_at"])
    _audit(actor, Action.CHANGE, "meetings.meeting", locked, decision.ground, approved=True)
    return locked


@transaction.atomic
def correction_add(*, actor: Actor, meeting: Meeting, text: str) -> MinutesCorrection:
    """Append a correction to approved minutes; the minutes themselves never change."""
    decision = _require(actor, Action.CHANGE, meeting)
    if not meeting.is_locked:
        raise ValidationFailed(
            gettext("Protokollet är inte justerat: ändra det direkt."), field="text"
        )
    if not text.strip():
        raise ValidationFailed(gettext("Skriv rättelsen."), field="text")
    check_anonymised(actor, ("text", text))
    row = MinutesCorrection.objects.create(
        meeting=meeting, text=text.strip(), author_name=actor.label
    )
    _audit(actor, Action.CHANGE, "meetings.meeting", meeting, decision.ground, correction=row.pk)
    return row


# Action items ------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *,
    actor: Actor,
    meeting: Meeting,
    text: str,
    responsible_organisation_id: int,
    due_date: datetime.date,
    responsible_function_code: str = "",
    responsible_person: str = "",
) -> ActionItem:
    decision = _require(actor, Action.CREATE, meeting)
    _require_unlocked(meeting)
    if not text.strip():
        raise ValidationFailed(gettext("Beskriv åtgärden."), field="text")
    check_anonymised(actor, ("text", text))
    if not directory.organisation_exists(responsible_organisation_id):
        raise ValidationFailed(
            gettext("Verksamheten finns inte."), field="responsible_organisation"
        )
    function = None
    if responsible_function_code:
        function = directory.function_choices().filter(code=responsible_function_code).first()
        if function is None:
            raise ValidationFailed(gettext("Funktionen finns inte."), field="responsible_function")
    if function is None and not responsible_person.strip():
        raise ValidationFailed(
            gettext("Ange ansvarig funktion eller person."), field="responsible_function"
        )
    row = ActionItem.objects.create(
        forum=meeting.forum,
        meeting=meeting,
        text=text.strip(),
        responsible_organisation_id=responsible_organisation_id,
        responsible_function=function,
        responsible_person=responsible_person.strip(),
        due_date=due_date,
    )
    meetings_inbox.action_deliver(row)
    _audit(actor, Action.CREATE, "meetings.actionitem", row, decision.ground)
    return row


@transaction.atomic
def action_set_status(*, actor: Actor, action: ActionItem, status: str) -> ActionItem:
    """Mark an action item done, struck or open again (any participant)."""
    decision = _require(actor, Action.CREATE, action.meeting)
    if status not in ActionStatus.values:
        raise ValidationFailed(gettext("Okänd status."), field="status")
    action.status = status
    action.done_on = timezone.localdate() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_on", "updated_at"])
    if status != ActionStatus.OPEN:
        meetings_inbox.action_settled(action, actor.user_id)
    _audit(actor, Action.CHANGE, "meetings.actionitem", action, decision.ground, status=status)
    return action


def actions_remind(*, now: datetime.datetime | None = None) -> int:
    """Stamp the open action items due within the reminder window (once each); they are
    listed as reminders on the responsible organisation's forum page."""
    now = now or timezone.now()
    horizon = timezone.localdate(now) + datetime.timedelta(days=conf.get("MEETINGS_REMINDER_DAYS"))
    return ActionItem.objects.filter(
        status=ActionStatus.OPEN, due_date__lte=horizon, reminded_at__isnull=True
    ).update(reminded_at=now)


def meetings_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic work: meetings from the cadence, reminders of action items."""
    now = now or timezone.now()
    return {
        "generated": meetings_generate(today=timezone.localdate(now)),
        "reminded": actions_remind(now=now),
    }


@transaction.atomic
def evaluation_submit(
    *, actor: Actor, meeting: Meeting, answers: dict[str, int], comment: str = ""
) -> Evaluation:
    decision = _require(actor, Action.READ, meeting)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationFailed(gettext("Utvärdera mötet när det är genomfört."))
    codes = {code for code, _ in EVALUATION_QUESTIONS}
    scale = {value for value, _ in EVALUATION_SCALE}
    if set(answers) != codes or not set(answers.values()) <= scale:
        raise ValidationFailed(gettext("Svara på alla frågor."), field="answers")
    check_anonymised(actor, ("comment", comment))
    try:
        with transaction.atomic():
            row = Evaluation.objects.create(
                meeting=meeting,
                user_id=actor.user_id,
                organisation_id=actor.organisation_id,
                answers=answers,
                comment=comment.strip(),
            )
    except IntegrityError as exc:
        raise ValidationFailed(gettext("Du har redan utvärderat mötet.")) from exc
    signals.evaluation_submitted.send(
        sender=Evaluation,
        survey="mote",
        user_id=actor.user_id,
        occasion=f"meeting:{meeting.public_id}",
        organisation_type=actor.organisation_type,
        answers=answers,
        comment=row.comment,
    )
    _audit(actor, Action.CREATE, "meetings.meeting", meeting, decision.ground, evaluation=row.pk)
    return row
