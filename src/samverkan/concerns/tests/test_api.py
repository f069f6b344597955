"""/api/concerns: the same rules as the pages, with 4xx and a Swedish reason."""

from __future__ import annotations

from samverkan.audit.models import AuditEvent

from .conftest import make_report


def _post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_professional_files_a_report(world, api):
    client = api("mats")
    response = _post(
        client,
        "/api/concerns",
        {
            "child_id": str(world.children["noah"].public_id),
            "worry": "Noah säger att han inte får äta hemma.",
            "reporter_phone": "0123",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["role"] == "reporter" and body["status"] == "Mottagen"
    assert body["entries"][0]["kind"] == "receipt"
    listed = client.get("/api/concerns").json()
    assert body["id"] in [r["id"] for r in listed]


def test_filing_refused_with_reasons(world, api):
    noah = str(world.children["noah"].public_id)
    social = _post(api("olof"), "/api/concerns", {"child_id": noah, "worry": "x"})
    assert social.status_code == 403
    assert "skola, förskola, elevhälsa" in social.json()["detail"]
    unknown = _post(api("lena"), "/api/concerns", {"child_id": noah, "worry": "x"})
    assert unknown.status_code == 404
    invalid = _post(api("mats"), "/api/concerns", {"child_id": noah, "worry": " "})
    assert invalid.status_code == 422
    assert invalid.json()["field"] == "worry"
    assert _post(api(None), "/api/concerns", {"child_id": noah, "worry": "x"}).status_code == 401


def test_each_side_gets_its_view(world, api, assigned):
    path = f"/api/concerns/{assigned.public_id}"
    reporter = api("mats").get(path).json()
    assert reporter["role"] == "reporter"
    intake = api("maria").get(path).json()
    assert intake["role"] == "intake"
    assert intake["legal_ground"].startswith("Anmälningsskyldighet")
    assert {d["kind"] for d in intake["deadlines"]} >= {"preliminary"}
    assert reporter["deadlines"] == []
    other = api("lena").get(path)
    assert other.status_code == 404
    assert other.json()["detail"]
    assert AuditEvent.objects.filter(
        actor_username="lena", resource_id=str(assigned.public_id), outcome="denied"
    ).exists()


def test_intake_list(world, api, report):
    rows = api("maria").get("/api/concerns").json()
    assert str(report.public_id) in [r["id"] for r in rows]
    assert all(r["role"] == "intake" for r in rows)
    assert api("samir").get("/api/concerns").json() == []


def test_feedback_via_api(world, api, assigned):
    path = f"/api/concerns/{assigned.public_id}/feedback"
    ok = _post(api("olof"), path, {"statement": "report_right"})
    assert ok.status_code == 201
    assert ok.json()["legal_ground"].startswith("Återkoppling till anmälare")
    refused = _post(api("olof"), path, {"text": "Familjen har fått stöd."})
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Samtycke saknas")
    assert refused.json()["code"] == "no_ground"
    not_handler = _post(api("maria"), path, {"statement": "handler"})
    assert not_handler.status_code == 403
    reporter = _post(api("mats"), path, {"statement": "handler"})
    assert reporter.status_code == 404
    seen = api("mats").get(path).json()
    assert [f["statement"] for f in seen] == ["report_right"]


def test_additions_via_api(world, api, report):
    path = f"/api/concerns/{report.public_id}/additions"
    ok = _post(api("mats"), path, {"kind": "addition", "text": "Noah kom inte i dag."})
    assert ok.status_code == 201
    assert _post(api("mats"), path, {"kind": "feedback", "text": "x"}).status_code == 422
    assert _post(api("lina"), path, {"kind": "addition", "text": "x"}).status_code == 404


def test_reporting_side_does_not_see_other_reports_about_the_child(world, api, report):
    other = make_report(world, username="frida", child="elin")
    assert api("mats").get(f"/api/concerns/{other.public_id}").status_code == 404
