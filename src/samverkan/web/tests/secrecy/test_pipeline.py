"""The disclosure pipeline (access.pipeline.disclose): narrow, decide, audit in one
insert, typed results with an explanation for the viewer's domain."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.access import pipeline
from samverkan.access.policy import Action
from samverkan.consent import services as consent_services
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.plans import services as plan_services

from .world import secrecy_world

pytestmark = pytest.mark.django_db

# Through the app registry: web (and its tests) import no app's models (import-linter).
AuditEvent = apps.get_model("audit", "AuditEvent")
Plan = apps.get_model("plans", "Plan")


@pytest.fixture
def sip():
    world = secrecy_world()
    consent = world.consent([world.school, world.bup])
    plan = plan_services.plan_start(
        actor=world.actor("rektor"),
        child=world.child,
        called_organisation_ids=[world.bup.pk],
        purpose="Samordna stödet",
        question="Vad behöver Vilgot?",
    )
    return world, plan, consent


def _disclose(actor, child):
    return pipeline.disclose(
        actor,
        Action.READ,
        Plan.objects.filter(child=child),
        subject=lambda p: str(child.public_id),
        reason="Test",
    )


def test_shown_with_the_ground_and_one_audit_row_each(sip):
    world, _plan, consent = sip
    mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    results = _disclose(world.actor("lakare"), world.child)
    assert [r.shown for r in results] == [True]
    assert results[0].ground.reference == str(consent.public_id)
    rows = AuditEvent.objects.filter(id__gt=mark, resource_type="plans.plan")
    assert [(r.outcome, r.ground_code, r.subject_id) for r in rows] == [
        ("allowed", "consent", str(world.child.public_id))
    ]


def test_withheld_explains_for_the_viewer_and_is_audited_as_denied(sip):
    world, _plan, consent = sip
    consent_services.consent_revoke(actor=world.actor("rektor"), consent=consent)
    mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    (result,) = _disclose(world.actor("lakare"), world.child)
    assert not result.shown and isinstance(result, pipeline.Withheld)
    assert "gäller inte längre" in result.explanation
    assert world.guardian_name.split()[0] not in result.explanation
    row = AuditEvent.objects.get(id__gt=mark, resource_type="plans.plan")
    assert row.outcome == "denied" and row.reason == result.explanation


def test_what_no_rule_could_allow_is_not_even_a_candidate(sip):
    world, _plan, _ = sip
    stranger = actor_of(MembershipFactory(code="lakare"))
    assert _disclose(stranger, world.child) == []
    assert pipeline.may_list(stranger, "plans.plan")  # a function that reads plans
    auditor = actor_of(MembershipFactory(code="granskare", organisation=world.bup))
    assert _disclose(auditor, world.child) == []
    assert not pipeline.may_list(auditor, "plans.plan")


def test_audit_rows_of_a_list_are_one_insert(sip):
    world, _plan, _ = sip
    for _ in range(3):
        plan_services.plan_start(
            actor=world.actor("rektor"),
            child=world.child,
            called_organisation_ids=[world.bup.pk],
            purpose="Samordna stödet",
            question="Vad behöver Vilgot?",
        )
    with CaptureQueriesContext(connection) as ctx:
        results = _disclose(world.actor("lakare"), world.child)
    assert len(results) == 4
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith("INSERT INTO")]
    assert len(inserts) == 1
