"""Who sees a SIP: the authorisation matrix over pages and API, with the audit row and
its ground for each access."""

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.consent.models import Disclosure

SECRET = "Neuropsykiatrisk utredning"  # an effort in the demo plan


def _detail(plan):
    return reverse("plans:detail", args=[plan.public_id])


@pytest.mark.parametrize(
    ("username", "status", "ground"),
    [
        ("karin", 200, "plan_holder"),  # Elevhälsan started the plan: its own record
        ("sofia", 200, "consent"),  # Socialtjänsten: called, consent covers
        ("samir", 200, "consent"),  # the coordinator (Socialtjänsten)
        ("lena", 200, "consent"),  # BUP
        ("frida", 200, "consent"),  # Frejaskolan
        ("birgitta", 404, ""),  # BVC: not taking part
        ("viktor", 404, ""),  # Vårdcentralen: not taking part
        ("admin", 404, ""),  # administrator of a participant: no people.view
        ("gustav", 404, ""),  # auditor: loggkontroll only
    ],
)
def test_page_matrix(login, plan, last_event, username, status, ground):
    response = login(username).get(_detail(plan))
    assert response.status_code == status
    assert (SECRET in response.text) == (status == 200)
    event = last_event(resource_type="plans.plan", resource_id=str(plan.public_id))
    assert event.actor_username == username
    assert event.ground_code == ground
    assert event.outcome == ("allowed" if status == 200 else "denied")


def test_consent_read_names_the_consent_and_is_a_disclosure(login, plan, melwin_consent):
    before = Disclosure.objects.filter(consent=melwin_consent).count()
    assert login("sofia").get(_detail(plan)).status_code == 200
    event = AuditEvent.objects.filter(
        resource_type="plans.plan", actor_username="sofia", action="read"
    ).latest("id")
    assert event.ground_reference == str(melwin_consent.public_id)
    assert melwin_consent.short_id in event.ground_label
    assert Disclosure.objects.filter(consent=melwin_consent).count() == before + 1


@pytest.mark.parametrize("change", ["revoke", "expire"])
def test_after_revocation_or_expiry_only_existence(request, login, api, plan, last_event, change):
    request.getfixturevalue(change)()
    response = login("sofia").get(_detail(plan))
    assert response.status_code == 403
    assert "En SIP startades" in response.text
    assert SECRET not in response.text
    assert "Melwin vill" not in response.text
    event = last_event(resource_type="plans.plan", actor_username="sofia")
    assert event.outcome == "denied" and event.ground_code == ""
    # The API: a reasoned 403, and the child's list says the plan exists, no content.
    body = api("sofia").get(f"/api/plans/{plan.public_id}").json()
    assert body["code"] == "no_ground" and "Samtycke" in body["detail"]
    assert SECRET not in str(body)
    # The holder keeps its own documentation.
    assert login("karin").get(_detail(plan)).status_code == 200
    assert SECRET not in login("lena").get(_detail(plan)).text
    # PDF, agenda, FHIR and comparison are refused too.
    client = login("sofia")
    for name in ("plans:pdf", "plans:agenda", "plans:edit"):
        assert client.get(reverse(name, args=[plan.public_id])).status_code == 403
    assert api("sofia").get(f"/api/plans/{plan.public_id}/fhir").status_code == 403


def test_child_list_after_revocation(api, login, world, plan, revoke):
    # BUP has its own matter with Melwin, so it still sees the child after revocation.
    child_id = world.children["melwin"].public_id
    rows = api("lena").get(f"/api/children/{child_id}/plans").json()
    assert rows[0]["content_visible"] is True
    revoke()
    page = login("lena").get(reverse("plans:child_plans", args=[child_id]))
    assert "innehållet visas inte" in page.text and SECRET not in page.text
    # Social services has no matter of its own: its list of plans still names the plan.
    index = login("sofia").get(reverse("plans:index"))
    assert plan.short_id in index.text and "Melwin" not in index.text
    rows = api("lena").get(f"/api/children/{child_id}/plans").json()
    assert rows == [
        {
            "id": str(plan.public_id),
            "status": "active",
            "started_by": "Elevhälsan Frejaskolan",
            "created_at": rows[0]["created_at"],
            "content_visible": False,
            "reason": rows[0]["reason"],
        }
    ]
    # BUP is told that the consent no longer covers, not who revoked it (issue 11).
    assert "gäller inte längre" in rows[0]["reason"]
    assert "återkall" not in rows[0]["reason"].lower() and "Andersson" not in rows[0]["reason"]


@pytest.mark.parametrize(
    ("username", "status"),
    [("karin", 200), ("sofia", 200), ("birgitta", 404), ("admin", 404), ("gustav", 404)],
)
def test_api_matrix(api, plan, username, status):
    response = api(username).get(f"/api/plans/{plan.public_id}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["coordinator"].startswith("Samir Haddad")
        assert any(e["title"] == SECRET for e in body["efforts"])
    else:
        assert SECRET not in response.text


def test_api_needs_a_token(api, plan):
    assert api(None).get(f"/api/plans/{plan.public_id}").status_code == 401


def test_non_participant_cannot_change(login, plan):
    from samverkan.plans.models import PlanVersion

    before = PlanVersion.objects.filter(plan=plan).count()
    response = login("birgitta").post(
        reverse("plans:edit", args=[plan.public_id]), {"version": plan.version}
    )
    assert response.status_code == 404
    assert PlanVersion.objects.filter(plan=plan).count() == before


def test_other_plans_follow_consent(world, plan, revoke):
    from samverkan.plans import selectors

    melwin = world.children["melwin"]
    seen = selectors.other_plans_for_child(world.actor("sofia"), melwin)
    assert [v.other.kind for v in seen] == ["atgardsprogram"]
    assert seen[0].ground_label.startswith("Samtycke")
    assert selectors.other_plans_for_child(world.actor("birgitta"), melwin) == []
    assert selectors.other_plans_for_child(world.actor("frida"), melwin)[0].own
    revoke()
    assert selectors.other_plans_for_child(world.actor("sofia"), melwin) == []
