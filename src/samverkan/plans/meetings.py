"""The next follow-up meeting of a SIP (decision 0336): its time and place, set by the
coordinator. The plan's version holds only the follow-up *date*; the meeting the
participants and the family are called to is a ``FollowUpMeeting`` row. Rows are never
changed: moving the meeting adds a new row, the newest counts, the earlier ones are its
history (shown to staff), and the family's answers belong to one row, so a moved meeting
asks them again."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import PermissionDenied, ValidationFailed

from .models import FollowUpMeeting, Plan, PlanStatus


def current(plan: Plan) -> FollowUpMeeting | None:
    """The follow-up meeting the plan calls to now: the newest set, if it is still to
    come (a meeting that has been is not answered any more)."""
    meeting = FollowUpMeeting.objects.filter(plan=plan).order_by("-created_at", "-pk").first()
    if meeting is None or meeting.meeting_at <= timezone.now():
        return None
    return meeting


def history(plan: Plan) -> list[FollowUpMeeting]:
    """Every time and place set, newest first (for the plan's participants)."""
    return list(FollowUpMeeting.objects.filter(plan=plan).order_by("-created_at", "-pk"))


@transaction.atomic
def follow_up_meeting_set(
    *, actor: Actor, plan: Plan, meeting_at: datetime.datetime, place: str
) -> FollowUpMeeting:
    """The coordinator sets (or moves) the next follow-up meeting. The same time and
    place again makes nothing new."""
    decision = policy.decide(actor, Action.CHANGE, plan)
    if not decision:
        raise PermissionDenied(decision.reason)
    plan = Plan.objects.select_for_update().select_related("child").get(pk=plan.pk)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationFailed(
            gettext(
                "Planen är inte upprättad eller är avslutad. Då går det inte att "
                "bestämma ett uppföljningsmöte."
            )
        )
    if actor.user_id != plan.coordinator_id:
        raise PermissionDenied(gettext("Bara planens samordnare bestämmer uppföljningsmötet."))
    if timezone.is_naive(meeting_at):
        meeting_at = timezone.make_aware(meeting_at)
    if meeting_at <= timezone.now():
        raise ValidationFailed(gettext("Välj en tid som inte har varit."), field="meeting_at")
    bounds.check_date(meeting_at, window=bounds.PLANNED, field="meeting_at")
    value = bounds.check_text((place or "").strip(), max_length=bounds.TEXT_LABEL, field="place")
    if not value:
        raise ValidationFailed(gettext("Skriv var mötet hålls."), field="place")
    latest = FollowUpMeeting.objects.filter(plan=plan).order_by("-created_at", "-pk").first()
    if latest is not None and (latest.meeting_at, latest.place) == (meeting_at, value):
        return latest
    meeting = FollowUpMeeting.objects.create(
        plan=plan,
        meeting_at=meeting_at,
        place=value,
        created_by_id=actor.user_id,
        created_by_name=actor.label[: bounds.TEXT_NAME],
        created_at=timezone.now(),
    )
    audit.event_record(
        actor=actor,
        action=Action.CHANGE,
        resource_type="plans.plan",
        resource_id=str(plan.public_id),
        subject_id=str(plan.child.public_id),
        ground=decision.ground,
        details={"follow_up_meeting": meeting_at.isoformat()},
    )
    return meeting
