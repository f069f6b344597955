"""The coordinator is chosen among staff of the participating organisations whose
function works with plans: never an auditor or an administrator (who could not open
the plan they coordinate), never somebody outside the plan."""

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.core.errors import ValidationFailed
from samverkan.directory.services import token_create
from samverkan.directory.tests.factories import MembershipFactory
from samverkan.plans import selectors, services

from .factories import sip_world


def _api(membership) -> Client:
    _, token = token_create(actor=None, membership=membership)
    return Client(headers={"Authorization": f"Bearer {token}"})


def _patch_coordinator(world, user_id):
    return services.plan_patch(
        actor=world.actor(),
        plan=world.plan,
        expected_version=world.plan.version,
        changes={"coordinator_user_id": user_id},
    )


@pytest.mark.parametrize("code", ["granskare", "administrator"])
def test_auditor_or_administrator_cannot_be_coordinator(db, code):
    world = sip_world()
    other = MembershipFactory(code=code, organisation=world.holder.organisation)
    with pytest.raises(ValidationFailed) as exc:
        _patch_coordinator(world, other.user_id)
    assert exc.value.field == "coordinator"
    assert "funktion som arbetar med planer" in exc.value.message
    choices = dict(selectors.coordinator_choices(world.plan))
    assert other.user_id not in choices
    assert world.called_staff.user_id in choices and world.holder.user_id in choices
    # …and in the API, by username.
    response = _api(world.holder).patch(
        f"/api/plans/{world.plan.public_id}",
        {"version": world.plan.version, "coordinator_username": other.user.username},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["field"] == "coordinator"
    world.plan.refresh_from_db()
    assert world.plan.coordinator_id == world.called_staff.user_id


def test_auditor_is_not_offered_and_not_accepted_in_the_plan_form(db):
    world = sip_world()
    auditor = MembershipFactory(code="granskare", organisation=world.holder.organisation)
    client = Client()
    client.force_login(world.holder.user)
    url = reverse("plans:edit", args=[world.plan.public_id])
    page = client.get(url)
    assert auditor.user.get_full_name() not in page.text
    view = selectors.plan_get(world.actor(), world.plan.public_id)
    c = view.content
    data = {
        "version": view.plan.version,
        "needs": "\n".join(c["needs"]),
        "long_term_goal": c["long_term_goal"],
        "responsible_organisation": c["responsible_organisation_id"],
        "coordinator": auditor.user_id,
        "follow_up_on": c["follow_up_on"],
        "effort-TOTAL_FORMS": 0,
        "effort-INITIAL_FORMS": 0,
        "effort-MIN_NUM_FORMS": 0,
        "effort-MAX_NUM_FORMS": 40,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Välj ett av alternativen." in response.text
    world.plan.refresh_from_db()
    assert world.plan.coordinator_id == world.called_staff.user_id


def test_staff_outside_the_plan_cannot_be_coordinator(db):
    world = sip_world()
    outsider = MembershipFactory(code="kurator")  # another organisation altogether
    with pytest.raises(ValidationFailed):
        _patch_coordinator(world, outsider.user_id)


def test_a_person_with_an_auditor_role_and_a_plan_role_coordinates_in_the_plan_role(db):
    world = sip_world()
    kurator = MembershipFactory(code="kurator", organisation=world.holder.organisation)
    MembershipFactory(code="granskare", organisation=world.called, user=kurator.user)
    plan = _patch_coordinator(world, kurator.user_id)
    assert plan.coordinator_organisation_id == world.holder.organisation_id
    assert "Kurator" in services.latest_content(plan)["coordinator_name"]
