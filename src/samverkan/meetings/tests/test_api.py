"""The fixed interface points: GET /api/forums, GET /api/meetings/{id},
POST /api/meetings/{id}/items."""

import pytest

from samverkan.consent import services as consent_services
from samverkan.meetings.models import AgendaItem

pytestmark = pytest.mark.django_db


def test_list_forums(world, api, django_assert_max_num_queries):
    client = api("lena")
    with django_assert_max_num_queries(12):
        response = client.get("/api/forums")
    assert response.status_code == 200
    forums = {f["name"]: f for f in response.json()}
    assert len(forums) == 5
    teen = forums["Samverkansträff 13–18"]
    assert teen["level"] == "basniva"
    assert teen["cadence"] == "weekly"
    assert teen["convener_function"] == "samordnare"
    assert (teen["min_age"], teen["max_age"]) == (13, 18)
    assert {o["name"] for o in teen["organisations"]} == {
        "Frejaskolan",
        "Elevhälsan Frejaskolan",
        "Socialtjänsten barn och familj",
        "BUP",
    }
    assert "lakare" in teen["functions"]
    assert api(None).get("/api/forums").status_code == 401


def test_get_meeting(world, api, held_meeting):
    body = api("sofia").get(f"/api/meetings/{held_meeting.public_id}").json()
    assert body["status"] == "held"
    assert body["minutes_approved_at"]
    assert body["corrections"] == ["Rättelse: BUP deltog med läkare, inte psykolog."]
    identified = next(i for i in body["items"] if i["kind"] == "identified")
    assert identified["visible"] and identified["child_name"] == "Melwin Andersson"
    assert [a["carried_over"] for a in body["actions"]] == [False, False]
    assert body["legal_ground"] == "Deltagare i Samverkansträff 13–18"


def test_get_meeting_after_revocation_shows_existence_only(
    world, api, held_meeting, melwin_consent
):
    consent_services.consent_revoke(actor=world.actor("karin"), consent=melwin_consent)
    body = api("sofia").get(f"/api/meetings/{held_meeting.public_id}").json()
    identified = next(i for i in body["items"] if i["kind"] == "identified")
    assert identified["visible"] is False
    assert identified["title"] == identified["text"] == identified["child_name"] == ""
    assert identified["child_id"] is None
    assert identified["reason"].startswith("Ärendet kan inte visas")
    assert "Melwin" not in str(body)


def test_post_identified_item_with_consent(world, api, next_meeting):
    response = api("karin").post(
        f"/api/meetings/{next_meeting.public_id}/items",
        {
            "kind": "identified",
            "title": "Melwin: uppföljning",
            "text": "Hur har anpassningarna fungerat?",
            "child_id": str(world.children["melwin"].public_id),
            "category": "halsa",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["child_name"] == "Melwin Andersson"


def test_post_identified_item_without_consent_is_refused_with_the_reason(world, api, next_meeting):
    response = api("frida").post(
        f"/api/meetings/{next_meeting.public_id}/items",
        {
            "kind": "identified",
            "title": "Noah",
            "child_id": str(world.children["noah"].public_id),
            "category": "skolsituation",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "consent_missing"
    assert any(r.startswith("BUP: Samtycke saknas") for r in body["reasons"])
    assert "avidentifierad ärendekonsultation" in body["detail"]
    assert not AgendaItem.objects.filter(meeting=next_meeting).exists()


def test_post_identified_item_when_an_attendee_is_not_covered(world, api, next_meeting):
    from samverkan.meetings import services

    services.attendance_set(
        actor=world.actor("samir"),
        meeting=next_meeting,
        organisation_id=world.organisations["Barnhälsovården (BVC)"].pk,
        present=True,
    )
    response = api("karin").post(
        f"/api/meetings/{next_meeting.public_id}/items",
        {
            "kind": "identified",
            "title": "Melwin",
            "child_id": str(world.children["melwin"].public_id),
            "category": "skolsituation",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["reasons"][0].startswith("Barnhälsovården (BVC): ")


def test_post_anonymised_item_with_identifying_text(world, api, next_meeting):
    response = api("karin").post(
        f"/api/meetings/{next_meeting.public_id}/items",
        {
            "kind": "anonymised",
            "title": "Konsultation",
            "text": "Eleven (20120315-1234) nås på melwin@example.se.",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "identifying"
    assert [(f["kind"], f["text"]) for f in body["findings"]] == [
        ("nummer", "20120315-1234"),
        ("e-postadress", "melwin@example.se"),
    ]
    ok = api("karin").post(
        f"/api/meetings/{next_meeting.public_id}/items",
        {"kind": "anonymised", "title": "Konsultation", "text": "En elev har hög frånvaro."},
        content_type="application/json",
    )
    assert ok.status_code == 201


def test_post_item_to_a_meeting_one_is_not_in(world, api, next_meeting):
    response = api("birgitta").post(
        f"/api/meetings/{next_meeting.public_id}/items",
        {"kind": "general", "title": "Fråga"},
        content_type="application/json",
    )
    assert response.status_code == 404
