"""Changing and removing goals, focus areas and activities: only the strategy group,
each change kept in the plan's history and the audit log, stale pages refused, a focus
area with activities not removed (issue 16 item 2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import PermissionDenied, StaleWrite, ValidationFailed
from samverkan.directory.models import Function
from samverkan.directory.tests.factories import actor_of
from samverkan.governance import plan_edit, plan_services
from samverkan.governance.models import Activity, FocusArea, Goal, Indicator, PlanChange

from .test_strategy import _plan

pytestmark = pytest.mark.django_db


def _activity(setting, plan):
    area = plan_services.focus_area_add(actor=None, plan=plan, title="Tidig upptäckt")
    return area, plan_services.activity_add(
        actor=None,
        focus_area=area,
        title="Utbilda om orosanmälan",
        owner_organisation=setting.social,
        owner_function=Function.objects.get(code="enhetschef"),
    )


def test_the_strategy_group_changes_a_goal_and_the_history_keeps_before_and_after(
    setting, client_for
):
    plan = _plan()
    goal = plan_services.goal_add(actor=None, plan=plan, title="Rätt stöd i tid")
    url = reverse("strategy:item_edit", args=[plan.public_id, "mal", goal.public_id])
    assert client_for(setting.reader).get(url).status_code == 404
    strategist = client_for(setting.strategist)
    assert strategist.get(url).status_code == 200
    response = strategist.post(
        url, {"title": "Rätt stöd i rätt tid", "description": "Inom en vecka", "version": 1}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Rätt stöd i rätt tid" and goal.version == 2
    change = PlanChange.objects.get(plan=plan)
    assert change.before["title"] == "Rätt stöd i tid"
    assert change.after["title"] == "Rätt stöd i rätt tid"
    assert AuditEvent.objects.filter(
        resource_type="governance.goal", resource_id=str(goal.public_id), action="change"
    ).exists()
    page = strategist.get(reverse("strategy:plan", args=[plan.public_id])).text
    assert "Ändringshistorik" in page and "Rätt stöd i tid" in page
    # The same page sent again (an old version): refused, nothing overwritten.
    stale = strategist.post(url, {"title": "Något annat", "version": 1})
    assert stale.status_code == 422
    goal.refresh_from_db()
    assert goal.title == "Rätt stöd i rätt tid"


def test_an_activity_is_changed_and_removed_with_history(setting):
    plan = _plan()
    _area, activity = _activity(setting, plan)
    other_area = plan_services.focus_area_add(actor=None, plan=plan, title="Samordning")
    strategist = actor_of(setting.strategist)
    with pytest.raises(PermissionDenied):
        plan_edit.item_update(actor=actor_of(setting.reader), item=activity, title="X")
    plan_edit.item_update(
        actor=strategist,
        item=activity,
        title="Utbilda alla skolor om orosanmälan",
        focus_area=other_area,
        owner_organisation=setting.school,
        owner_function=Function.objects.get(code="kurator"),
        status="pagar",
        version=1,
    )
    activity.refresh_from_db()
    assert (activity.focus_area, activity.owner_organisation, activity.status) == (
        other_area,
        setting.school,
        "pagar",
    )
    change = PlanChange.objects.get(item_id=activity.public_id)
    assert change.before["focus_area"] == "Tidig upptäckt"
    assert change.after["focus_area"] == "Samordning"
    with pytest.raises(StaleWrite):
        plan_edit.item_remove(actor=strategist, item=activity, version=1)
    plan_edit.item_remove(actor=strategist, item=activity, version=2)
    assert not Activity.objects.filter(pk=activity.pk).exists()
    removed = PlanChange.objects.get(item_id=activity.public_id, action="remove")
    assert removed.before["title"] == "Utbilda alla skolor om orosanmälan"
    assert AuditEvent.objects.filter(resource_id=str(activity.public_id), action="delete").exists()


def test_a_focus_area_with_activities_stays_and_a_removed_goal_frees_its_indicators(setting):
    plan = _plan()
    area, _ = _activity(setting, plan)
    strategist = actor_of(setting.strategist)
    with pytest.raises(ValidationFailed, match="aktiviteter"):
        plan_edit.item_remove(actor=strategist, item=area)
    assert FocusArea.objects.filter(pk=area.pk).exists()
    goal = plan_services.goal_add(actor=None, plan=plan, title="Färre sena utredningar")
    indicator = plan_services.indicator_add(
        actor=None, plan=plan, name="SIP", definition="plans.started", goal=goal
    )
    plan_edit.item_remove(actor=strategist, item=goal)
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert Indicator.objects.get(pk=indicator.pk).goal is None


def test_an_item_of_another_plan_is_not_found(setting, client_for):
    plan = _plan()
    other = plan_services.plan_create(
        actor=None,
        title="En annan plan",
        period_start=plan.period_start,
        period_end=plan.period_end,
    )
    goal = plan_services.goal_add(actor=None, plan=other, title="Annat mål")
    url = reverse("strategy:item_edit", args=[plan.public_id, "mal", goal.public_id])
    assert client_for(setting.strategist).get(url).status_code == 404
