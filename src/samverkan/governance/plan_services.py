"""Writes to the strategy plan: the plan, its goals, focus areas, activities,
indicators and hand-entered values. The strategy group (``governance.manage``) writes
everything; the owner of an activity (its owner function in its organisation) may
change the activity's status. One transaction and one audit row each."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed

from . import indicators, policies
from .models import (
    Activity,
    ActivityStatus,
    FocusArea,
    Goal,
    Indicator,
    IndicatorValue,
    StrategyPlan,
)

PERIOD = bounds.DateWindow(past_days=30 * 366, future_days=15 * 366)
VALUE_MAX = Decimal("9999999")


def _require_strategy_group(actor: Actor | None) -> None:
    if actor is not None and not policies.is_strategy_group(actor):
        raise PermissionDenied("Bara strategigruppen kan ändra strategiplanen.")


def _audit(actor, action, resource_type, obj, **details):
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=f"governance.{resource_type}",
        resource_id=str(obj.public_id),
        ground=policies.STRATEGY_GROUP if actor is not None else None,
        details=details,
    )


def _text(value, *, field, max_length=bounds.TEXT_LINE, required=True, label="text") -> str:
    value = bounds.check_text((value or "").strip(), max_length=max_length, field=field)
    if required and not value:
        raise ValidationFailed(f"Fyll i {label}.", field=field)
    return value


def check_period(start, end) -> tuple[datetime.date, datetime.date]:
    start = bounds.check_date(start, window=PERIOD, field="period_start")
    end = bounds.check_date(end, window=PERIOD, field="period_end")
    if start is None or end is None:
        raise ValidationFailed("Ange när perioden börjar och slutar.", field="period_start")
    if end <= start:
        raise ValidationFailed("Perioden måste sluta efter att den börjar.", field="period_end")
    return start, end


def _decimal(value, field) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation as exc:
        raise ValidationFailed("Skriv ett tal, till exempel 12 eller 80,5.", field=field) from exc
    if not number.is_finite() or abs(number) > VALUE_MAX:
        raise ValidationFailed("Talet är för stort.", field=field)
    return number.quantize(Decimal("0.1"))


@transaction.atomic
def plan_create(
    *,
    actor: Actor | None,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    summary: str = "",
    decision_forum=None,
) -> StrategyPlan:
    _require_strategy_group(actor)
    title = _text(title, field="title", max_length=bounds.TEXT_NAME, label="en rubrik")
    start, end = check_period(period_start, period_end)
    if StrategyPlan.objects.filter(title__iexact=title).exists():
        raise ValidationFailed("Det finns redan en strategiplan med den rubriken.", field="title")
    try:
        with transaction.atomic():
            plan = StrategyPlan.objects.create(
                title=title,
                summary=bounds.check_text(
                    summary.strip(), max_length=bounds.TEXT_DOCUMENT, field="summary"
                ),
                period_start=start,
                period_end=end,
                decision_forum=decision_forum,
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            "Det finns redan en strategiplan med den rubriken.", field="title"
        ) from exc
    _audit(actor, Action.CREATE, "strategyplan", plan)
    return plan


def _next_position(qs) -> int:
    last = qs.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def goal_add(*, actor: Actor | None, plan: StrategyPlan, title: str, description: str = "") -> Goal:
    _require_strategy_group(actor)
    title = _text(title, field="title", label="målet")
    existing = Goal.objects.filter(plan=plan, title=title).first()
    if existing:  # the same form sent twice
        return existing
    goal = Goal.objects.create(
        plan=plan,
        title=title,
        description=_text(
            description, field="description", max_length=bounds.TEXT_PARAGRAPH, required=False
        ),
        position=_next_position(plan.goals),
    )
    _audit(actor, Action.CHANGE, "strategyplan", plan, added_goal=str(goal.public_id))
    return goal


@transaction.atomic
def focus_area_add(
    *, actor: Actor | None, plan: StrategyPlan, title: str, description: str = ""
) -> FocusArea:
    _require_strategy_group(actor)
    title = _text(title, field="title", label="fokusområdet")
    existing = FocusArea.objects.filter(plan=plan, title=title).first()
    if existing:
        return existing
    area = FocusArea.objects.create(
        plan=plan,
        title=title,
        description=_text(
            description, field="description", max_length=bounds.TEXT_PARAGRAPH, required=False
        ),
        position=_next_position(plan.focus_areas),
    )
    _audit(actor, Action.CHANGE, "strategyplan", plan, added_focus_area=str(area.public_id))
    return area


@transaction.atomic
def activity_add(
    *,
    actor: Actor | None,
    focus_area: FocusArea,
    title: str,
    owner_organisation,
    owner_function,
    due: datetime.date | None = None,
    status: str = ActivityStatus.PLANNED,
    description: str = "",
) -> Activity:
    _require_strategy_group(actor)
    title = _text(title, field="title", label="aktiviteten")
    if status not in ActivityStatus.values:
        raise ValidationFailed("Välj en status.", field="status")
    if owner_organisation is None or owner_function is None:
        raise ValidationFailed("Ange vem som äger aktiviteten.", field="owner_organisation")
    existing = Activity.objects.filter(focus_area=focus_area, title=title).first()
    if existing:
        return existing
    activity = Activity.objects.create(
        focus_area=focus_area,
        title=title,
        description=_text(
            description, field="description", max_length=bounds.TEXT_PARAGRAPH, required=False
        ),
        owner_organisation=owner_organisation,
        owner_function=owner_function,
        due=bounds.check_date(due, window=PERIOD, field="due"),
        status=status,
    )
    _audit(
        actor,
        Action.CHANGE,
        "strategyplan",
        focus_area.plan,
        added_activity=str(activity.public_id),
    )
    return activity


def may_change_activity(actor: Actor | None, activity: Activity) -> bool:
    return policies.is_strategy_group(actor) or (
        actor is not None
        and actor.has_membership
        and actor.organisation_id == activity.owner_organisation_id
        and actor.function_code == activity.owner_function.code
    )


@transaction.atomic
def activity_set_status(*, actor: Actor, activity_id, status: str) -> Activity:
    try:
        activity = (
            Activity.objects.select_for_update(of=("self",))
            .select_related("owner_function", "focus_area__plan")
            .get(public_id=activity_id)
        )
    except (Activity.DoesNotExist, ValueError) as exc:
        raise NotFound("Aktiviteten finns inte.") from exc
    if not may_change_activity(actor, activity):
        raise PermissionDenied("Bara aktivitetens ägare och strategigruppen kan ändra status.")
    if status not in ActivityStatus.values:
        raise ValidationFailed("Välj en status.", field="status")
    if status == activity.status:
        return activity
    before = activity.status
    activity.status = status
    activity.version += 1
    activity.save()
    audit.event_record(
        actor=actor,
        action=Action.CHANGE,
        resource_type="governance.activity",
        resource_id=str(activity.public_id),
        ground=policies.STRATEGY_GROUP
        if policies.is_strategy_group(actor)
        else Ground(
            code="activity_owner",
            label=f"Ansvarig för aktiviteten {activity.title}"[:300],
            reference=str(activity.public_id),
        ),
        details={"status": [before, status]},
    )
    return activity


@transaction.atomic
def indicator_add(
    *,
    actor: Actor | None,
    plan: StrategyPlan,
    name: str,
    definition: str = "",
    unit: str = "",
    goal: Goal | None = None,
    description: str = "",
    baseline=None,
    baseline_label: str = "",
    target=None,
    target_label: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> Indicator:
    """An indicator computed by a registered definition, or (``definition`` empty) one
    whose values are entered by hand in ``unit`` ("count" or "share")."""
    _require_strategy_group(actor)
    name = _text(name, field="name", max_length=bounds.TEXT_NAME, label="indikatorns namn")
    found = indicators.get(definition) if definition else None
    if definition and found is None:
        raise ValidationFailed("Okänd indikatordefinition.", field="definition")
    unit = found.unit if found else unit
    if not found and unit not in (indicators.COUNT, indicators.SHARE):
        raise ValidationFailed("Välj om indikatorn är ett antal eller en andel.", field="unit")
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationFailed("Målet hör till en annan plan.", field="goal")
    start, end = check_period(period_start or plan.period_start, period_end or plan.period_end)
    existing = Indicator.objects.filter(plan=plan, name=name).first()
    if existing:
        return existing
    indicator = Indicator.objects.create(
        plan=plan,
        goal=goal,
        name=name,
        definition=definition,
        description=_text(
            description or (found.description if found else ""),
            field="description",
            max_length=bounds.TEXT_PARAGRAPH,
            required=False,
        ),
        unit=unit,
        baseline=_decimal(baseline, "baseline"),
        baseline_label=_text(baseline_label, field="baseline_label", required=False),
        target=_decimal(target, "target"),
        target_label=_text(target_label, field="target_label", required=False),
        period_start=start,
        period_end=end,
        position=_next_position(plan.indicators),
    )
    _audit(actor, Action.CHANGE, "strategyplan", plan, added_indicator=str(indicator.public_id))
    return indicator


@transaction.atomic
def indicator_value_set(
    *, actor: Actor | None, indicator: Indicator, month: datetime.date, value, note: str = ""
) -> IndicatorValue:
    """Enter (or correct) the value of a hand-entered indicator for one month."""
    _require_strategy_group(actor)
    if indicator.definition:
        raise ValidationFailed(
            "Indikatorn räknas fram ur Samverkan och kan inte fyllas i för hand."
        )
    month = bounds.check_date(month, window=PERIOD, field="month")
    if month is None:
        raise ValidationFailed("Ange vilken månad värdet gäller.", field="month")
    month = month.replace(day=1)
    if not indicator.period_start.replace(day=1) <= month < indicator.period_end:
        raise ValidationFailed("Månaden ligger utanför indikatorns period.", field="month")
    number = _decimal(value, "value")
    if number is None:
        raise ValidationFailed("Skriv ett värde.", field="value")
    if indicator.unit == indicators.SHARE and not 0 <= number <= 100:
        raise ValidationFailed("En andel ligger mellan 0 och 100 procent.", field="value")
    row, _ = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        month=month,
        defaults={
            "value": number,
            "note": _text(note, field="note", required=False),
            "entered_at": timezone.now(),
            "entered_by_name": actor.label if actor else "Samverkan (inläsning)",
        },
    )
    _audit(actor, Action.CHANGE, "indicator", indicator, month=month.isoformat(), value=str(number))
    return row
