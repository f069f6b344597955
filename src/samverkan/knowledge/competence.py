"""Competence plans: creating one and adding its items and their status."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.core.unique import create_or_refuse

from .models import (
    CompetenceItemStatus,
    CompetencePlan,
    CompetencePlanItem,
    Event,
)
from .writes import _audit, _require_manager


def _own_plan(actor: Actor | None, plan_id, *, lock=False) -> CompetencePlan:
    qs = CompetencePlan.objects.select_for_update() if lock else CompetencePlan.objects
    try:
        plan = qs.get(public_id=plan_id)
    except (CompetencePlan.DoesNotExist, ValueError) as exc:
        raise NotFound(gettext("Planen finns inte.")) from exc
    _require_manager(actor)
    if actor is not None and plan.organisation_id != actor.organisation_id:
        raise PermissionDenied(gettext("Du kan bara ändra din egen organisations kompetensplan."))
    return plan


@transaction.atomic
def competence_plan_create(
    *, actor: Actor | None, period: str, goal: str = "", organisation_id: int | None = None
) -> CompetencePlan:
    _require_manager(actor)
    organisation_id = actor.organisation_id if actor is not None else organisation_id
    period = (period or "").strip()
    if not period:
        raise ValidationFailed(gettext("Ange vilken period planen gäller."), field="period")
    if CompetencePlan.objects.filter(organisation_id=organisation_id, period=period).exists():
        raise ValidationFailed(gettext("Det finns redan en plan för perioden."), field="period")
    with create_or_refuse(gettext("Det finns redan en plan för perioden."), field="period"):
        plan = CompetencePlan.objects.create(
            organisation_id=organisation_id, period=period, goal=(goal or "").strip()
        )
    _audit(actor, Action.CREATE, "knowledge.competenceplan", plan.public_id, period=period)
    return plan


@transaction.atomic
def competence_item_add(
    *,
    actor: Actor | None,
    plan_id,
    topic: str,
    target_group: str = "",
    due: datetime.date | None = None,
    event_id=None,
) -> CompetencePlanItem:
    plan = _own_plan(actor, plan_id, lock=True)
    topic = (topic or "").strip()
    if not topic:
        raise ValidationFailed(gettext("Ange vad kompetensinsatsen gäller."), field="topic")
    event = None
    if event_id:
        event = Event.objects.filter(public_id=event_id).first()
        if event is None:
            raise ValidationFailed(gettext("Tillfället finns inte."), field="event")
    item = CompetencePlanItem.objects.create(
        plan=plan, topic=topic, target_group=(target_group or "").strip(), due=due, event=event
    )
    _audit(actor, Action.CHANGE, "knowledge.competenceplan", plan.public_id, added=topic)
    return item


@transaction.atomic
def competence_item_status_set(*, actor: Actor | None, item_id, status: str) -> CompetencePlanItem:
    try:
        item = CompetencePlanItem.objects.select_related("plan").get(public_id=item_id)
    except (CompetencePlanItem.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    _own_plan(actor, item.plan.public_id)
    if status not in CompetenceItemStatus.values:
        raise ValidationFailed(gettext("Välj en status."), field="status")
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    _audit(
        actor,
        Action.CHANGE,
        "knowledge.competenceplan",
        item.plan.public_id,
        item=str(item.public_id),
        status=status,
    )
    return item
