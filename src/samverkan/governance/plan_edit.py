"""Changing and removing the plan's goals, focus areas and activities. Only the
strategy group; each change is kept in the plan's history (``PlanChange``: the fields
before and after) and written to the audit log. A change made from a page that was
read before someone else's change is refused (the ``version`` seen is compared), so
nothing is overwritten unseen. A focus area is removed only once it has no activities;
removing a goal leaves its indicators without a goal."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, StaleWrite, ValidationFailed

from . import policies
from .models import Activity, ActivityStatus, FocusArea, Goal, PlanChange, StrategyPlan
from .plan_services import PERIOD

KINDS = {"mal": Goal, "fokusomrade": FocusArea, "aktivitet": Activity}
_NAMES = {Goal: "goal", FocusArea: "focus_area", Activity: "activity"}


def _require_strategy_group(actor: Actor | None) -> None:
    if actor is not None and not policies.is_strategy_group(actor):
        raise PermissionDenied(gettext("Bara strategigruppen kan ändra strategiplanen."))


def item_get(plan: StrategyPlan, kind: str, public_id):
    model = KINDS.get(kind)
    if model is None:
        raise NotFound(gettext("Finns inte."))
    plan_filter = {"focus_area__plan": plan} if model is Activity else {"plan": plan}
    try:
        return model.objects.get(public_id=public_id, **plan_filter)
    except (model.DoesNotExist, ValueError) as exc:
        raise NotFound(gettext("Finns inte.")) from exc


def _fields(item) -> dict:
    data = {"title": item.title, "description": item.description}
    if isinstance(item, Activity):
        data.update(
            {
                "focus_area": item.focus_area.title,
                "owner_organisation": item.owner_organisation.name,
                "owner_function": item.owner_function.name,
                "due": item.due.isoformat() if item.due else "",
                "status": item.status,
            }
        )
    return data


def _plan_of(item) -> StrategyPlan:
    return item.focus_area.plan if isinstance(item, Activity) else item.plan


def _record(actor, item, action, before, after) -> None:
    plan = _plan_of(item)
    PlanChange.objects.create(
        plan=plan,
        item_kind=_NAMES[type(item)],
        item_id=item.public_id,
        item_title=before.get("title", "")[: bounds.TEXT_LINE],
        action=action,
        before=before,
        after=after,
        changed_at=timezone.now(),
        author_name=actor.label if actor else "Samverkan",
    )
    audit.event_record(
        actor=actor,
        action=Action.CHANGE if action == "change" else Action.DELETE,
        resource_type=f"governance.{_NAMES[type(item)]}",
        resource_id=str(item.public_id),
        ground=policies.STRATEGY_GROUP if actor is not None else None,
        details={
            "plan": str(plan.public_id),
            "changed": sorted(k for k in after if after.get(k) != before.get(k)),
        },
    )


def _lock(item, version: int | None):
    locked = type(item).objects.select_for_update().get(pk=item.pk)
    if version is not None and locked.version != version:
        raise StaleWrite(
            gettext(
                "Någon annan har ändrat det här under tiden. Läs in sidan igen och försök på nytt."
            )
        )
    return locked


@transaction.atomic
def item_update(
    *,
    actor: Actor | None,
    item,
    title: str,
    description: str = "",
    version: int | None = None,
    focus_area: FocusArea | None = None,
    owner_organisation=None,
    owner_function=None,
    due: datetime.date | None = None,
    status: str | None = None,
):
    """Change a goal, focus area or activity (the activity's fields only for one)."""
    _require_strategy_group(actor)
    item = _lock(item, version)
    before = _fields(item)
    title = bounds.check_text((title or "").strip(), max_length=bounds.TEXT_LINE, field="title")
    if not title:
        raise ValidationFailed(gettext("Fyll i en rubrik."), field="title")
    item.title = title
    item.description = bounds.check_text(
        (description or "").strip(), max_length=bounds.TEXT_PARAGRAPH, field="description"
    )
    if isinstance(item, Activity):
        if focus_area is not None:
            if focus_area.plan_id != item.focus_area.plan_id:
                raise ValidationFailed(gettext("Fokusområdet hör till en annan plan."))
            item.focus_area = focus_area
        if owner_organisation is None or owner_function is None:
            raise ValidationFailed(
                gettext("Ange vem som äger aktiviteten."), field="owner_organisation"
            )
        item.owner_organisation = owner_organisation
        item.owner_function = owner_function
        item.due = bounds.check_date(due, window=PERIOD, field="due")
        if status is not None:
            if status not in ActivityStatus.values:
                raise ValidationFailed(gettext("Välj en status."), field="status")
            item.status = status
    after = _fields(item)
    if after == before:
        return item
    item.version += 1
    item.save()
    _record(actor, item, "change", before, after)
    return item


@transaction.atomic
def item_remove(*, actor: Actor | None, item, version: int | None = None) -> None:
    _require_strategy_group(actor)
    item = _lock(item, version)
    if isinstance(item, FocusArea) and item.activities.exists():
        raise ValidationFailed(gettext("Flytta eller ta bort fokusområdets aktiviteter först."))
    before = _fields(item)
    _record(actor, item, "remove", before, {})
    item.delete()


def history(plan: StrategyPlan, *, limit: int = 50) -> list[PlanChange]:
    return list(plan.changes.all()[:limit])
