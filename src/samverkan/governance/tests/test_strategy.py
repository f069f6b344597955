"""The strategy plan pages: who may read and edit, an activity owner's status change,
hand-entered values, and the indicator page with its chart, data table and text
alternative."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.directory.models import Function
from samverkan.governance import plan_services
from samverkan.governance.models import Goal, IndicatorValue, StrategyPlan

pytestmark = pytest.mark.django_db


def _plan():
    today = timezone.localdate()
    return plan_services.plan_create(
        actor=None,
        title="Strategiplan för samverkan",
        period_start=today.replace(day=1) - datetime.timedelta(days=365),
        period_end=today + datetime.timedelta(days=365),
    )


def test_every_member_of_staff_reads_the_plan_and_only_the_strategy_group_edits(
    setting, client_for
):
    plan = _plan()
    url = reverse("strategy:plan", args=[plan.public_id])
    reader = client_for(setting.other)
    page = reader.get(url)
    assert page.status_code == 200 and plan.title in page.text
    assert "Lägg till ett mål" not in page.text
    refused = reader.post(
        reverse("strategy:add", args=[plan.public_id, "mal"]), {"goal-title": "Nytt mål"}
    )
    assert refused.status_code == 404
    assert not Goal.objects.filter(plan=plan).exists()

    strategist = client_for(setting.strategist)
    assert "Lägg till ett mål" in strategist.get(url).text
    for _ in range(2):  # the same form sent twice: one goal
        added = strategist.post(
            reverse("strategy:add", args=[plan.public_id, "mal"]),
            {"goal-title": "Alla barn får rätt stöd i tid"},
        )
        assert added.status_code == 302
    assert Goal.objects.filter(plan=plan).count() == 1
    assert AuditEvent.objects.filter(
        resource_id=str(plan.public_id), details__has_key="added_goal"
    ).exists()


def test_an_activity_owner_changes_its_status_and_nobody_else(setting, as_actor, client_for):
    plan = _plan()
    area = plan_services.focus_area_add(actor=None, plan=plan, title="Tidig upptäckt")
    activity = plan_services.activity_add(
        actor=None,
        focus_area=area,
        title="Gemensam utbildning om orosanmälan",
        owner_organisation=setting.social,
        owner_function=Function.objects.get(code="enhetschef"),
    )
    with pytest.raises(PermissionDenied):
        plan_services.activity_set_status(
            actor=as_actor(setting.colleague), activity_id=activity.public_id, status="klar"
        )
    url = reverse("strategy:activity_status", args=[plan.public_id, activity.public_id])
    assert client_for(setting.reader).post(url, {"status": "klar"}).status_code == 404
    assert client_for(setting.owner).post(url, {"status": "pagar"}).status_code == 302
    activity.refresh_from_db()
    assert activity.status == "pagar"
    event = AuditEvent.objects.get(resource_id=str(activity.public_id))
    assert event.details["status"] == ["planerad", "pagar"]
    assert event.ground_code == "activity_owner"


def test_a_hand_entered_indicator_with_its_chart_table_and_text(setting, client_for):
    plan = _plan()
    indicator = plan_services.indicator_add(
        actor=None, plan=plan, name="Nöjda skolor", unit="share", target=80
    )
    client = client_for(setting.strategist)
    url = reverse("strategy:indicator", args=[plan.public_id, indicator.public_id])
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    assert client.post(url, {"month": f"{last_month:%Y-%m}", "value": "62,5"}).status_code == 302
    assert client.post(url, {"month": f"{this_month:%Y-%m}", "value": "71"}).status_code == 302
    bad = client.post(url, {"month": f"{this_month:%Y-%m}", "value": "140"})
    assert bad.status_code == 422 and "mellan 0 och 100 procent" in bad.text
    assert IndicatorValue.objects.get(indicator=indicator, month=this_month).value == 71

    page = client_for(setting.reader).get(url)
    assert page.status_code == 200
    assert "<caption>Värden per månad: Nöjda skolor</caption>" in page.text
    assert "62,5 %" in page.text and "71 %" in page.text
    assert 'alt="Nöjda skolor, ' in page.text and "Målet är 80 %" in page.text
    assert "Fyll i ett värde" not in page.text  # the reader cannot enter values

    chart = client_for(setting.reader).get(
        reverse("strategy:chart", args=[plan.public_id, indicator.public_id])
    )
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
    svg = chart.content.decode()
    assert svg.lstrip().startswith("<?xml") or "<svg" in svg[:300]
    assert "Nöjda skolor" in svg and "Målvärde" in svg
    policy = chart["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy


def test_a_computed_indicator_cannot_be_entered_by_hand(setting):
    plan = _plan()
    indicator = plan_services.indicator_add(
        actor=None, plan=plan, name="Möten", definition="meetings.held"
    )
    assert indicator.unit == "count"
    with pytest.raises(ValidationFailed, match="räknas fram"):
        plan_services.indicator_value_set(
            actor=None, indicator=indicator, month=timezone.localdate(), value=3
        )


def test_only_the_strategy_group_creates_a_plan(setting, client_for):
    today = timezone.localdate()
    form = {
        "title": "Plan 2027",
        "period_start": f"{today:%Y-%m-%d}",
        "period_end": f"{today + datetime.timedelta(days=700):%Y-%m-%d}",
    }
    assert client_for(setting.reader).post(reverse("strategy:list"), form).status_code == 404
    assert client_for(setting.strategist).post(reverse("strategy:list"), form).status_code == 302
    assert StrategyPlan.objects.filter(title="Plan 2027").count() == 1
    again = client_for(setting.strategist).post(reverse("strategy:list"), form)
    assert "finns redan en strategiplan" in again.text
