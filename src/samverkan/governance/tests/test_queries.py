"""No N+1: the agreements list, an agreement page and the strategy plan page make the
same number of queries however many agreements, parties, comments or activities there
are (docs/testing.md: query counts pinned)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.directory.models import Function
from samverkan.governance import plan_services, services

from .factories import agreement
from .test_strategy import _plan

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_agreements_list_does_not_grow_with_the_agreements(setting, client_for):
    client = client_for(setting.reader)
    agreement(setting, title="Ett")
    first = _count(client, reverse("governance:index"))
    for n in range(5):
        agreement(setting, title=f"Fler {n}")
    assert _count(client, reverse("governance:index")) == first


def test_an_agreement_page_does_not_grow_with_comments(setting, client_for, as_actor):
    a = agreement(setting)
    client = client_for(setting.owner)
    url = reverse("governance:detail", args=[a.public_id])
    first = _count(client, url)
    for n in range(4):
        services.comment_add(
            actor=as_actor(setting.reader),
            agreement_id=a.public_id,
            kind="kommentar",
            text=f"Synpunkt {n}",
        )
    assert _count(client, url) == first


def test_the_plan_page_grows_only_with_its_indicators(setting, client_for):
    plan = _plan()
    area = plan_services.focus_area_add(actor=None, plan=plan, title="Område")
    client = client_for(setting.strategist)
    url = reverse("strategy:plan", args=[plan.public_id])
    first = _count(client, url)
    chef = Function.objects.get(code="enhetschef")
    for n in range(5):
        plan_services.goal_add(actor=None, plan=plan, title=f"Mål {n}")
        plan_services.activity_add(
            actor=None,
            focus_area=area,
            title=f"Aktivitet {n}",
            owner_organisation=setting.social,
            owner_function=chef,
        )
    assert _count(client, url) == first
    plan_services.indicator_add(actor=None, plan=plan, name="Möten", definition="meetings.held")
    assert _count(client, url) == first + 1  # one aggregate query per indicator
