"""The SIP from call to follow-up: consent gate on start, acknowledgement and passing
the call on, preparation, the plan in versions with the stale-save conflict, the diff,
follow-up, closing, other plans and factor tags."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import PermissionDenied, StaleWrite, ValidationFailed
from samverkan.plans import selectors, services
from samverkan.plans.models import FollowUp, Plan, PlanOrganisation, PlanVersion

TODAY = timezone.localdate


def _org(world, name):
    return world.organisations[name]


# Start ---------------------------------------------------------------------------------
def test_start_refused_without_consent_says_what_is_missing(login, world):
    noah = world.children["noah"]
    before = Plan.objects.count()
    response = login("frida").post(
        reverse("plans:start", args=[noah.public_id]),
        {
            "called": [_org(world, "Socialtjänsten barn och familj").pk],
            "purpose": "Samordna stödet",
            "question": "Hur får Noah det bra?",
        },
    )
    assert response.status_code == 200
    assert "Samtycke saknas för att lämna uppgifter från Frejaskolan till Socialtjänsten" in (
        response.text
    )
    assert "syfte Samordnad individuell plan (SIP)" in response.text
    assert Plan.objects.count() == before


def test_start_names_each_missing_organisation(world):
    melwin = world.children["melwin"]
    with pytest.raises(services.ConsentMissing) as exc:
        services.plan_start(
            actor=world.actor("karin"),
            child=melwin,
            called_organisation_ids=[_org(world, "BUP").pk, _org(world, "Vårdcentralen").pk],
            purpose="Samordna",
            question="Vad behöver Melwin?",
        )
    checks = {c.organisation.name: c for c in exc.value.checks}
    assert checks["BUP"].ok and checks["BUP"].decision.ground.code == "consent"
    assert not checks["Vårdcentralen"].ok
    assert "Vårdcentralen" in checks["Vårdcentralen"].decision.reason
    assert exc.value.status_code == 403


def test_start_refused_in_api_with_the_reasons(api, world):
    response = api("frida").post(
        "/api/plans",
        {
            "child_id": str(world.children["noah"].public_id),
            "called": [str(_org(world, "Socialtjänsten barn och familj").public_id)],
            "purpose": "Samordna",
            "question": "Hur får Noah det bra?",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "consent_missing"
    assert body["missing"][0]["organisation"] == "Socialtjänsten barn och familj"
    assert "Samtycke saknas" in body["missing"][0]["reason"]


def test_api_start_cleans_its_input(api, world):
    payload = {
        "child_id": str(world.children["melwin"].public_id),
        "called": [str(_org(world, "BUP").public_id)],
        "purpose": "Samordna\u0000 vården",
        "question": "Fråga",
        "meeting_at": "2030-01-15T09:00:00",
        "invited": ["Försäkringskassan", "  ", "\u0000"],
    }
    client = api("karin")
    response = client.post("/api/plans", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["purpose"] == "Samordna vården" and body["invited"] == ["Försäkringskassan"]
    assert body["meeting_at"].startswith("2030-01-15")
    bad = client.post(
        "/api/plans", {**payload, "video_link": "ftp://video"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["field"] == "video_link"
    long = client.post(
        "/api/plans", {**payload, "meeting_place": "x" * 301}, content_type="application/json"
    )
    assert long.status_code == 422


def test_start_refused_after_revocation(world, revoke):
    revoke()
    with pytest.raises(services.ConsentMissing):
        services.plan_start(
            actor=world.actor("karin"),
            child=world.children["melwin"],
            called_organisation_ids=[_org(world, "BUP").pk],
            purpose="Samordna",
            question="Vad behöver Melwin?",
        )


def test_start_and_call_in_the_browser(login, world):
    melwin = world.children["melwin"]
    client = login("lena")
    page = client.get(reverse("plans:start", args=[melwin.public_id]))
    assert page.status_code == 200 and "Vem gör vad?" in page.text
    response = client.post(
        reverse("plans:start", args=[melwin.public_id]),
        {
            "called": [_org(world, "Frejaskolan").pk, _org(world, "Elevhälsan Frejaskolan").pk],
            "invited": "Försäkringskassan\nArbetsförmedlingen",
            "purpose": "Samordna vården och skolan",
            "question": "Hur orkar Melwin skoldagen?",
            "long_term_goal": "Klara skolan",
            "meeting_at": "2030-01-15T09:00",
            "meeting_place": "BUP",
            "video_link": "https://video.example/sip",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.filter(child=melwin).latest("created_at")
    assert plan.started_by_organisation.name == "BUP" and plan.status == "called"
    assert [i.name for i in plan.invited.all()] == ["Försäkringskassan", "Arbetsförmedlingen"]
    event = AuditEvent.objects.filter(resource_id=str(plan.public_id), action="create").get()
    assert any("Samtycke" in label for label in event.details["consents"])
    ics = client.get(reverse("plans:ics", args=[plan.public_id]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"SIP-m" in ics.content and b"Melwin" not in ics.content
    assert b"video.example" in ics.content


def test_acknowledge_and_pass_on_to_a_unit(world, plan):
    unit = world.units["Ungdoms- och vuxencentralen 13–18"]
    link = PlanOrganisation.objects.get(plan=plan, organisation__name="BUP")
    assert link.acknowledged_at is not None
    social = PlanOrganisation.objects.get(plan=plan, organisation=unit.organisation)
    assert social.unit == unit
    with pytest.raises(ValidationFailed):
        services.plan_acknowledge(
            actor=world.actor("frida"), plan=plan, unit_id=unit.pk
        )  # a unit of another organisation


# The plan, versions, conflict ---------------------------------------------------------
def _post_data(view, **changes):
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
        "effort-TOTAL_FORMS": len(c["efforts"]),
        "effort-INITIAL_FORMS": len(c["efforts"]),
        "effort-MIN_NUM_FORMS": 0,
        "effort-MAX_NUM_FORMS": 40,
    }
    for i, e in enumerate(c["efforts"]):
        data.update(
            {
                f"effort-{i}-key": e["key"],
                f"effort-{i}-title": e["title"],
                f"effort-{i}-organisation": e["organisation_id"],
                f"effort-{i}-responsible": e["responsible"],
                f"effort-{i}-starts_on": e["starts_on"],
                f"effort-{i}-ends_on": e["ends_on"],
                f"effort-{i}-status": e["status"],
            }
        )
    data.update(changes)
    return data


def test_stale_save_is_refused_and_nothing_is_lost(login, world, plan):
    view = selectors.plan_get(world.actor("karin"), plan.public_id)
    url = reverse("plans:edit", args=[plan.public_id])
    sofia, lena = login("sofia"), login("lena")
    assert sofia.get(url).status_code == 200
    first = sofia.post(url, _post_data(view, needs="Ett nytt behov från socialtjänsten"))
    assert first.status_code == 302
    versions = PlanVersion.objects.filter(plan=plan).count()
    mine = "Lenas formulering som inte får försvinna"
    second = lena.post(url, _post_data(view, child_words=mine))
    assert second.status_code == 409
    assert "Någon annan har sparat planen" in second.text
    assert mine in second.text  # the user's input is kept in the form
    assert PlanVersion.objects.filter(plan=plan).count() == versions
    assert mine not in str(selectors.plan_get(world.actor("karin"), plan.public_id).content)


def test_stale_save_in_the_api_is_409(api, world, plan):
    body = api("karin").get(f"/api/plans/{plan.public_id}").json()
    payload = {**body, "needs": ["Behov A"], "coordinator_username": "samir"}
    ok = api("lena").put(f"/api/plans/{plan.public_id}", payload, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == body["version"] + 1
    stale = api("sofia").put(
        f"/api/plans/{plan.public_id}", payload, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale"


def test_every_save_is_a_version_and_versions_compare(login, world, plan):
    karin = world.actor("karin")
    before = selectors.plan_get(karin, plan.public_id)
    old = before.plan.version
    services.plan_save(
        actor=world.actor("sofia"),
        plan=plan,
        expected_version=old,
        needs=[*before.content["needs"], "Fritidsaktivitet på helgerna"],
        long_term_goal=before.content["long_term_goal"],
        short_term_goals=before.content["short_term_goals"],
        efforts=[
            services.EffortInput(
                title=e["title"],
                organisation_id=e["organisation_id"],
                responsible=e["responsible"],
                status=e["status"],
                key=e["key"],
            )
            for e in before.content["efforts"]
        ],
        responsible_organisation_id=before.content["responsible_organisation_id"],
        coordinator_user_id=before.content["coordinator_user_id"],
        follow_up_on=TODAY() + datetime.timedelta(days=20),
        comment="Sofia lade till ett behov",
    )
    rows = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert rows[-1].number == old + 1 and "Sofia Karlsson" in rows[-1].author_name
    assert rows[-2].content == before.content  # the old version is untouched
    # effort keys survive a save, so follow-ups keep assessing the same efforts
    assert [e["key"] for e in rows[-1].content["efforts"]] == [
        e["key"] for e in before.content["efforts"]
    ]
    page = login("lena").get(
        reverse("plans:compare", args=[plan.public_id]), {"a": old, "b": old + 1}
    )
    assert page.status_code == 200
    assert '<ins class="kn-added">' in page.text and "Fritidsaktivitet" in page.text
    assert "Datum för uppföljning" in page.text


def test_plan_requires_a_follow_up_date_and_participating_organisations(world, plan):
    with pytest.raises(ValidationFailed) as exc:
        services.plan_save(
            actor=world.actor("karin"),
            plan=plan,
            expected_version=plan.version,
            needs=["x"],
            long_term_goal="y",
            short_term_goals=[],
            efforts=[
                services.EffortInput(
                    title="Hembesök",
                    organisation_id=_org(world, "Vårdcentralen").pk,
                    responsible="Läkare",
                )
            ],
            follow_up_on=TODAY(),
        )
    assert exc.value.field == "efforts"
    with pytest.raises(ValidationFailed):
        services.plan_save(
            actor=world.actor("karin"),
            plan=plan,
            expected_version=plan.version,
            needs=[],
            long_term_goal="",
            short_term_goals=[],
            efforts=[],
            follow_up_on=None,
        )


def test_stale_write_in_the_service(world, plan):
    with pytest.raises(StaleWrite):
        services.plan_save(
            actor=world.actor("karin"),
            plan=plan,
            expected_version=plan.version - 1,
            needs=[],
            long_term_goal="",
            short_term_goals=[],
            efforts=[],
            follow_up_on=TODAY(),
        )


# Follow-up and closing ----------------------------------------------------------------
def test_demo_has_one_follow_up_with_every_effort_assessed(plan):
    follow_up = FollowUp.objects.get(plan=plan)
    statuses = {a.effort_title: a.status for a in follow_up.assessments.all()}
    assert statuses["Föräldrastöd i grupp"] == "done"
    assert statuses["Neuropsykiatrisk utredning"] == "not_started"
    assert plan.follow_up_on == follow_up.next_follow_up_on
    assert plan.coordinator.username == "samir"


def test_follow_up_in_the_browser(login, world, plan):
    view = selectors.plan_get(world.actor("samir"), plan.public_id)
    data = {"held_on": TODAY().isoformat(), "note": "Bra läge", "next_follow_up_on": ""}
    for e in view.efforts:
        data[f"status_{e['key']}"] = "done"
        data[f"effect_{e['key']}"] = "Klart"
    client = login("samir")
    assert client.get(reverse("plans:follow_up", args=[plan.public_id])).status_code == 200
    response = client.post(reverse("plans:follow_up", args=[plan.public_id]), data)
    assert response.status_code == 302
    assert FollowUp.objects.filter(plan=plan).count() == 2
    content = selectors.plan_get(world.actor("karin"), plan.public_id).content
    assert {e["status"] for e in content["efforts"]} == {"done"}


def test_close_with_a_reason_then_no_more_changes(login, world, plan):
    client = login("samir")
    client.post(reverse("plans:close", args=[plan.public_id]), {"reason": "Målen är nådda."})
    plan.refresh_from_db()
    assert plan.status == "closed" and plan.closed_reason == "Målen är nådda."
    with pytest.raises(PermissionDenied):
        services.followup_record(
            actor=world.actor("samir"), plan=plan, held_on=TODAY(), assessments=[]
        )
    assert client.get(reverse("plans:detail", args=[plan.public_id])).status_code == 200


def test_preparation(login, plan):
    client = login("karin")
    assert client.get(reverse("plans:prepare", args=[plan.public_id])).status_code == 200
    response = client.post(
        reverse("plans:prepare", args=[plan.public_id]),
        {"important_to_child": "Att få spela match", "important_to_guardians": "Lugn"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.important_to_child == "Att få spela match" and plan.prepared_at
    agenda = client.get(reverse("plans:agenda", args=[plan.public_id]))
    assert "Att få spela match" in agenda.text
    assert agenda.text.index("egen fråga") < agenda.text.index("Runda")


def test_other_plan_registered_on_the_child_page(login, world):
    melwin = world.children["melwin"]
    client = login("lena")
    client.post(
        reverse("plans:other_plan_add", args=[melwin.public_id]),
        {"kind": "vardplan", "purpose": "Behandling av sömnsvårigheter"},
    )
    page = client.get(reverse("plans:child_plans", args=[melwin.public_id]))
    assert "Behandling av sömnsvårigheter" in page.text
    assert "Särskilt stöd i matematik" in page.text  # the school's, under the consent


def test_factor_tags_on_a_plan(world, plan):
    from samverkan.knowledge import selectors as knowledge
    from samverkan.knowledge.models import Factor

    codes = list(Factor.objects.filter(is_active=True).values_list("code", flat=True)[:2])
    view = selectors.plan_get(world.actor("karin"), plan.public_id)
    services.plan_save(
        actor=world.actor("karin"),
        plan=plan,
        expected_version=view.plan.version,
        factor_codes=codes,
        **services.inputs_from_content(view.content),
    )
    tags = knowledge.factor_tags_for(
        world.actor("sofia"), target_type="plans.plan", target_ids=[plan.public_id]
    )[plan.public_id]
    assert sorted(t.factor.code for t in tags) == sorted(codes)
    summary = knowledge.factor_summary_for_child(
        world.actor("sofia"), child_id=plan.child.public_id
    )
    assert not summary.empty
