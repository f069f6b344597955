"""A text longer than its bound is refused at its field, never cut (issue 13): a service
that stored the first 300 characters of a comment or the first 150 of a name lost the
rest without telling anyone. Each service below once sliced its input."""

from __future__ import annotations

import pytest

from samverkan.concerns import services as concerns
from samverkan.concerns.models import Report
from samverkan.concerns.tests.factories import report_world
from samverkan.core import bounds
from samverkan.core.errors import ValidationFailed
from samverkan.directory.administration import functions, staff
from samverkan.directory.models import Function, Membership
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.plans import services as plans
from samverkan.plans.models import PlanVersion
from samverkan.plans.tests.factories import sip_world

pytestmark = pytest.mark.django_db


def _refused(call, field: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.field == field
    return refused.value


def test_a_plan_comment_and_an_effort_over_their_bound_are_refused():
    world = sip_world()
    plan = world.plan
    before = PlanVersion.objects.filter(plan=plan).count()
    long = "å" * (bounds.TEXT_LABEL + 1)
    _refused(
        lambda: plans.plan_patch(
            actor=world.actor(),
            plan=plan,
            expected_version=plan.version,
            changes={"long_term_goal": "Gå ut nian med godkända betyg"},
            comment=long,
        ),
        "comment",
    )
    effort = plans.EffortInput(
        title=long, organisation_id=world.holder.organisation_id, responsible="Kurator"
    )
    _refused(
        lambda: plans.plan_patch(
            actor=world.actor(),
            plan=plan,
            expected_version=plan.version,
            changes={"efforts": [effort]},
        ),
        "efforts",
    )
    assert PlanVersion.objects.filter(plan=plan).count() == before  # nothing saved


def test_a_staff_name_and_a_function_name_over_their_bound_are_refused():
    admin = MembershipFactory(code="administrator")
    organisation = admin.organisation
    _refused(
        lambda: staff.staff_account_create(
            actor=actor_of(admin),
            organisation=organisation,
            function="kurator",
            first_name="A" * (bounds.TEXT_USERNAME + 1),
            last_name="Lund",
        ),
        "first_name",
    )
    assert not Membership.objects.filter(organisation=organisation, user__last_name="Lund")
    _refused(
        lambda: functions.function_save(
            actor=actor_of(admin), organisation=organisation, name="F" * 101
        ),
        "name",
    )
    assert not Function.objects.filter(organisation=organisation).exists()


def test_a_reporters_phone_over_its_bound_is_refused():
    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    _refused(
        lambda: concerns.report_submit(
            actor=world.actor(world.teacher),
            child=child,
            worry="Barnet säger att hen inte vågar gå hem.",
            reporter_phone="0" * (bounds.TEXT_SHORT + 1),
        ),
        "reporter_phone",
    )
    assert not Report.objects.filter(reporter_user=world.teacher.user).exists()
