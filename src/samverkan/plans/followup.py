"""After the plan is agreed: recording a follow-up (with its assessments), closing the
plan, and the periodic sweep that reminds the coordinator before each follow-up date."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core.errors import ValidationFailed
from samverkan.notify import family as notify_family

from . import inbox as plan_inbox
from .models import (
    EffortAssessment,
    EffortStatus,
    FollowUp,
    Plan,
    PlanStatus,
    Reminder,
)
from .selectors import REMINDER_DAYS
from .writes import (
    _audit,
    _clean,
    _for_change,
    _locked,
    _new_version,
    _same_content,
    latest_content,
)

UNCHANGED = gettext_lazy("Inget att spara – planen är oförändrad.")


@dataclass(frozen=True)
class AssessmentInput:
    effort_key: str
    status: str
    effect: str = ""


@transaction.atomic
def followup_record(
    *,
    actor: Actor,
    plan: Plan,
    held_on: datetime.date,
    assessments: list[AssessmentInput],
    note: str = "",
    next_follow_up_on: datetime.date | None = None,
) -> FollowUp:
    """A follow-up meeting: each effort assessed (done, ongoing, not started, and its
    effect). When the efforts' statuses or the next follow-up date change they go into
    a new version; a follow-up that records nothing at all (no change, no note, no
    effect) is refused with ``UNCHANGED``."""
    decision = _for_change(actor, plan)
    plan = _locked(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationFailed(gettext("Planen är inte upprättad än – upprätta den först."))
    if held_on > timezone.localdate():
        raise ValidationFailed(
            gettext("Uppföljningen kan inte ligga i framtiden."), field="held_on"
        )
    if next_follow_up_on is not None and next_follow_up_on <= held_on:
        raise ValidationFailed(
            gettext("Nästa uppföljning ska ligga efter den här."), field="next_follow_up_on"
        )
    latest = latest_content(plan)
    data = json.loads(json.dumps(latest))
    efforts = {e["key"]: e for e in data.get("efforts", [])}
    given = {a.effort_key: a for a in assessments}
    if set(given) != set(efforts):
        raise ValidationFailed(gettext("Bedöm varje insats i planen."), field="assessments")
    for a in assessments:
        if a.status not in EffortStatus.values:
            raise ValidationFailed(gettext("Välj status för varje insats."), field="assessments")
        efforts[a.effort_key]["status"] = a.status
    if next_follow_up_on is not None:
        data["follow_up_on"] = next_follow_up_on.isoformat()
    content_changed = not _same_content(data, latest)
    if not (content_changed or _clean(note) or any(_clean(a.effect) for a in assessments)):
        raise ValidationFailed(UNCHANGED, code="unchanged")
    if content_changed:
        _new_version(
            plan,
            actor,
            data,
            gettext("Uppföljning %(held_on)s") % {"held_on": format(held_on, "%Y-%m-%d")},
        )
    if next_follow_up_on is not None:
        plan.follow_up_on = next_follow_up_on
    plan.save()
    follow_up = FollowUp.objects.create(
        plan=plan,
        held_on=held_on,
        note=_clean(note),
        next_follow_up_on=next_follow_up_on,
        recorded_at=timezone.now(),
        recorded_by_name=actor.label,
        version_number=plan.version,
    )
    EffortAssessment.objects.bulk_create(
        [
            EffortAssessment(
                follow_up=follow_up,
                effort_key=a.effort_key,
                effort_title=efforts[a.effort_key]["title"][:300],
                status=a.status,
                effect=_clean(a.effect),
            )
            for a in assessments
        ]
    )
    _audit(actor, Action.CHANGE, plan, decision.ground, follow_up=str(held_on))
    return follow_up


@transaction.atomic
def plan_close(*, actor: Actor, plan: Plan, reason: str) -> Plan:
    decision = _for_change(actor, plan)
    if not _clean(reason):
        raise ValidationFailed(gettext("Skriv varför planen avslutas."), field="reason")
    plan = _locked(plan)
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.closed_reason = _clean(reason)
    plan.save()
    plan_inbox.plan_closed(plan, actor.user_id)
    _audit(actor, Action.CHANGE, plan, decision.ground, closed=True)
    return plan


def plans_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Record a reminder to the coordinator before each follow-up date (once per plan
    and date). The coordinator sees it on the start page."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"reminders": 0}
    due = (
        Plan.objects.filter(
            status=PlanStatus.ACTIVE,
            coordinator__isnull=False,
            follow_up_on__lte=today + datetime.timedelta(days=REMINDER_DAYS),
        )
        .exclude(reminders__follow_up_on=F("follow_up_on"))
        .select_related("child")
    )
    for plan in due:
        try:
            with transaction.atomic():
                Reminder.objects.create(plan=plan, follow_up_on=plan.follow_up_on, created_at=now)
                plan_inbox.follow_up_deliver(plan)
                notify_family.item_ready(
                    kind=notify_family.FOLLOW_UP_DUE, child=plan.child, item=plan
                )
        except IntegrityError:
            continue  # another sweep recorded it first
        counts["reminders"] += 1
    counts["first_meeting_clocks"] = plan_inbox.first_meeting_clocks_ensure()
    return counts
