"""The OpenAPI document and the request id that ties a request to its audit rows
(/healthz and /metrics: web/tests/test_operations.py)."""

from __future__ import annotations

from django.apps import apps


def test_openapi_document_is_served(world, login):
    response = login("frida").get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Samverkan API"
    assert "/api/children" in document["paths"]
    assert "/api/children/{child_id}" in document["paths"]
    schemes = document["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]


def test_request_id_is_echoed_and_recorded(world, login):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    noah = world.children["noah"]
    client = login("frida")
    response = client.get(f"/barn/{noah.public_id}/", headers={"X-Request-ID": "lb-1234abcd"})
    assert response["X-Request-ID"] == "lb-1234abcd"
    row = AuditEvent.objects.filter(subject_id=str(noah.public_id)).latest("id")
    assert row.request_id == "lb-1234abcd"


def test_malformed_request_id_is_replaced(db, client):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 36  # a fresh uuid
