"""Endpoints and logs for the people who run the service: /healthz with the sealer's
lag, /metrics behind a token, JSON log lines with the request id and organisation and
without personal data, and the session's maximum lifetime."""

from __future__ import annotations

import json
import logging
import time

from django.apps import apps

from samverkan.audit import services as audit_services
from samverkan.core import logs

AuditEvent = apps.get_model("audit", "AuditEvent")


def test_healthz_reports_the_sealer(db, client, settings):
    audit_services.seal_pending()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]  # never a cached "ok"
    body = response.json()
    assert body["status"] == "ok"
    assert body["audit_sealer"] == {"state": "ok", "unsealed": 0, "lag_seconds": 0.0}


def test_healthz_says_when_the_sealer_is_behind(world, client, settings):
    audit_services.seal_pending()
    audit_services.event_record(actor=None, action="read", resource_type="test.thing")
    settings.SAMVERKAN = {**settings.SAMVERKAN, "SEALER_LAG_ALERT_SECONDS": -1}
    body = client.get("/healthz").json()
    assert body["status"] == "ok"  # the web is healthy; the sealer is not keeping up
    assert body["audit_sealer"]["state"] == "behind"
    assert body["audit_sealer"]["unsealed"] == 1
    audit_services.seal_pending()
    assert client.get("/healthz").json()["audit_sealer"]["unsealed"] == 0


def test_healthz_is_get_only(db, client):
    assert client.post("/healthz").status_code == 405


def test_metrics_need_a_configured_token(db, client, settings):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "METRICS_TOKEN": ""}
    assert client.get("/metrics").status_code == 404
    settings.SAMVERKAN = {**settings.SAMVERKAN, "METRICS_TOKEN": "s3cret-token"}
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    client.get("/healthz")
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'samverkan_http_request_duration_seconds_count{method="GET",route="healthz"' in text
    assert "samverkan_audit_sealer_lag_seconds" in text


def test_request_log_line_has_route_request_id_and_organisation_not_the_path(world, login, caplog):
    noah = world.children["noah"]
    client = login("frida")
    with caplog.at_level(logging.INFO, logger="samverkan.request"):
        client.get(f"/barn/?q={noah.personal_number}", headers={"X-Request-ID": "req-abcdef12"})
    (record,) = [r for r in caplog.records if r.name == "samverkan.request"]
    entry = json.loads(logs.render_json(None, "info", dict(record.msg)))
    assert entry["route"] == "people:child_list"
    assert entry["request_id"] == "req-abcdef12"
    assert entry["organisation_id"] == world.organisations["Frejaskolan"].pk
    assert entry["status"] == 200
    assert noah.personal_number not in json.dumps(entry)
    assert "/barn/" not in json.dumps(entry)


def test_anything_shaped_like_a_personnummer_is_masked():
    line = logs.render_json(
        None, "info", {"event": "Not Found: /x/20120315-1234/ and 201203151234", "n": 5}
    )
    assert "20120315" not in line
    assert line.count("[personnummer]") == 2


def test_a_session_ends_at_its_maximum_lifetime(world, client, settings):
    settings.SESSION_MAX_SECONDS = 60
    response = client.post(
        "/logga-in/", {"username": "frida", "password": settings.SAMVERKAN["DEMO_PASSWORD"]}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    session = client.session
    session["samverkan_auth"] = {**session["samverkan_auth"], "login_at": time.time() - 61}
    session.save()
    response = client.get("/barn/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")
    assert "_auth_user_id" not in client.session


def test_password_sessions_carry_their_method_on_audit_rows(world, client, settings):
    client.post(
        "/logga-in/", {"username": "frida", "password": settings.SAMVERKAN["DEMO_PASSWORD"]}
    )
    noah = world.children["noah"]
    client.get(f"/barn/{noah.public_id}/")
    row = AuditEvent.objects.filter(subject_id=str(noah.public_id)).latest("id")
    assert row.assurance_level == "password"
    assert AuditEvent.objects.filter(action="login").latest("id").assurance_level == "password"
