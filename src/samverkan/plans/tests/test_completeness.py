"""A plan always shows what the law requires (efforts with responsible organisation and
person, overall responsibility, a named coordinator, a follow-up date, the needs and the
child's goal); PUT replaces the whole plan, PATCH only what it names; a plan read from
the API can be sent back unchanged; a save that changes nothing makes no version."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.directory.services import token_create
from samverkan.plans import selectors, services
from samverkan.plans.models import FollowUp, PlanVersion

from .factories import sip_world


def _api(membership) -> Client:
    _, token = token_create(actor=None, membership=membership)
    return Client(headers={"Authorization": f"Bearer {token}"})


def _login(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def _content(world) -> dict:
    world.plan.refresh_from_db()
    return services.latest_content(world.plan)


def test_put_with_only_a_date_is_refused_and_the_plan_keeps_its_content(db):
    world = sip_world()
    before = _content(world)
    response = _api(world.holder).put(
        f"/api/plans/{world.plan.public_id}",
        {"version": world.plan.version, "follow_up_on": "2030-01-15"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert PlanVersion.objects.filter(plan=world.plan).count() == 1
    assert _content(world) == before


def test_put_of_an_emptied_plan_says_everything_that_is_missing(db):
    world = sip_world()
    client = _api(world.holder)
    body = client.get(f"/api/plans/{world.plan.public_id}").json()
    emptied = {
        **body,
        "needs": [],
        "efforts": [],
        "responsible_organisation_id": None,
        "coordinator_username": None,
        "follow_up_on": None,
    }
    response = client.put(
        f"/api/plans/{world.plan.public_id}", emptied, content_type="application/json"
    )
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "incomplete" and error["field"] == "needs"
    for text in ("minst ett behov", "minst en insats", "huvudansvaret", "samordnare", "uppfölj"):
        assert text in error["detail"]
    assert PlanVersion.objects.filter(plan=world.plan).count() == 1


def test_service_refuses_an_incomplete_plan_field_by_field(db):
    world = sip_world(established=False)
    with pytest.raises(services.PlanIncomplete) as exc:
        services.plan_save(
            actor=world.actor(),
            plan=world.plan,
            expected_version=world.plan.version,
            needs=["Ett behov"],
            long_term_goal="Mål",
            short_term_goals=[],
            efforts=[],
            follow_up_on=timezone.localdate() + datetime.timedelta(days=10),
        )
    assert [name for name, _ in exc.value.missing] == [
        "efforts",
        "responsible_organisation",
        "coordinator",
    ]
    world.plan.refresh_from_db()
    assert world.plan.status == "called" and world.plan.version == 0


def test_a_plan_read_from_the_api_can_be_sent_back_unchanged(db):
    world = sip_world()
    client = _api(world.holder)
    body = client.get(f"/api/plans/{world.plan.public_id}").json()
    undated = next(e for e in body["efforts"] if e["title"] == "Stödsamtal varannan vecka")
    assert undated["starts_on"] is None and undated["ends_on"] is None  # not ""
    assert body["coordinator_username"] == world.called_staff.user.username
    response = client.put(
        f"/api/plans/{world.plan.public_id}", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == body["version"]  # nothing changed, no new version
    assert PlanVersion.objects.filter(plan=world.plan).count() == 1


def test_patch_changes_only_what_it_names(db):
    world = sip_world()
    before = _content(world)
    new_date = timezone.localdate() + datetime.timedelta(days=60)
    response = _api(world.holder).patch(
        f"/api/plans/{world.plan.public_id}",
        {"version": world.plan.version, "follow_up_on": new_date.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    after = _content(world)
    assert after["follow_up_on"] == new_date.isoformat()
    assert {k: v for k, v in after.items() if k != "follow_up_on"} == {
        k: v for k, v in before.items() if k != "follow_up_on"
    }
    assert response.json()["version"] == 2


def test_patch_cannot_empty_the_plan_either(db):
    world = sip_world()
    response = _api(world.holder).patch(
        f"/api/plans/{world.plan.public_id}",
        {"version": world.plan.version, "efforts": [], "coordinator_username": None},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "minst en insats" in response.json()["detail"]
    assert PlanVersion.objects.filter(plan=world.plan).count() == 1


def test_patch_on_an_old_version_is_409(db):
    world = sip_world()
    response = _api(world.holder).patch(
        f"/api/plans/{world.plan.public_id}",
        {"version": world.plan.version - 1, "needs": ["Något nytt"]},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "stale"


# No change, no new version ----------------------------------------------------------------
def _form_data(view) -> dict:
    c = view.content
    data = {
        "version": view.plan.version,
        "needs": "\n".join(c["needs"]),
        "long_term_goal": c["long_term_goal"],
        "short_term_goals": "\n".join(c["short_term_goals"]),
        "others_do": c["others_do"],
        "responsible_organisation": c["responsible_organisation_id"],
        "coordinator": c["coordinator_user_id"],
        "participants": c["participants"],
        "disagreements": c["disagreements"],
        "follow_up_on": c["follow_up_on"],
        "child_words": c["child_words"],
        "comment": "",
        "effort-TOTAL_FORMS": len(c["efforts"]) + 2,
        "effort-INITIAL_FORMS": len(c["efforts"]),
        "effort-MIN_NUM_FORMS": 0,
        "effort-MAX_NUM_FORMS": 40,
    }
    for i, e in enumerate(c["efforts"]):
        for name in ("key", "title", "responsible", "starts_on", "ends_on", "status"):
            data[f"effort-{i}-{name}"] = e[name]
        data[f"effort-{i}-organisation"] = e["organisation_id"]
    return data


def test_saving_the_plan_form_untouched_makes_no_new_version(db):
    world = sip_world()
    client = _login(world.holder)
    url = reverse("plans:edit", args=[world.plan.public_id])
    view = selectors.plan_get(world.actor(), world.plan.public_id)
    for _ in range(3):
        response = client.post(url, _form_data(view), follow=True)
        assert "Inget att spara – planen är oförändrad" in response.text
    assert PlanVersion.objects.filter(plan=world.plan).count() == 1
    changed = client.post(url, {**_form_data(view), "child_words": "Jag vill vara med."})
    assert changed.status_code == 302
    assert PlanVersion.objects.filter(plan=world.plan).count() == 2


def test_saving_the_follow_up_form_untouched_records_nothing(db):
    world = sip_world()
    client = _login(world.holder)
    url = reverse("plans:follow_up", args=[world.plan.public_id])
    view = selectors.plan_get(world.actor(), world.plan.public_id)
    untouched = {"held_on": timezone.localdate().isoformat(), "note": "", "next_follow_up_on": ""}
    for e in view.efforts:
        untouched[f"status_{e['key']}"] = e["status"]
        untouched[f"effect_{e['key']}"] = ""
    response = client.post(url, untouched, follow=True)
    assert "Inget att spara – planen är oförändrad" in response.text
    assert not FollowUp.objects.filter(plan=world.plan).exists()
    assert PlanVersion.objects.filter(plan=world.plan).count() == 1
    # A note alone is a follow-up worth keeping, but the plan itself has not changed.
    client.post(url, {**untouched, "note": "Allt går enligt plan."})
    follow_up = FollowUp.objects.get(plan=world.plan)
    assert follow_up.version_number == 1
    assert PlanVersion.objects.filter(plan=world.plan).count() == 1
