"""The public form for private persons: no login, may be anonymous, CSRF-protected,
limited per address, and a clear receipt with a reference."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from samverkan.audit.models import AuditEvent
from samverkan.concerns import selectors
from samverkan.concerns.models import Report

FORM = {
    "child_details": "Flicka, ca 8 år, går i Frejaskolan, bor på Ekgränd 3.",
    "worry": "Hon står ofta ensam utanför porten sent på kvällen.",
    "observations": "",
    "child_words": "",
    "urgency": "normal",
    "guardians_informed": "unknown",
    "reporter_name": "",
    "reporter_phone": "",
    "reporter_email": "",
}


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_form_is_open_without_login(db, world):
    response = Client().get("/anmalan/privatperson/")
    assert response.status_code == 200
    assert "Du får vara anonym" in response.content.decode()


def test_anonymous_report_and_receipt(world, login):
    client = Client()
    response = client.post("/anmalan/privatperson/", FORM)
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    report = Report.objects.order_by("-id").first()
    text = receipt.content.decode()
    assert report.reference in text and "Tack" in text
    assert report.source == "private" and report.is_anonymous and report.child is None
    assert report.routed_unit.name == "Mottagningen"
    row = AuditEvent.objects.get(resource_id=str(report.public_id), action="create")
    assert row.actor_user_id is None and row.ground_code == "private_report"
    views = {v.report.pk: v for v in selectors.intake_dashboard(world.actor("maria"))}
    assert report.pk in views
    page = login("maria").get(f"/anmalan/{report.public_id}/").content.decode()
    assert "Anonym privatperson" in page
    assert login("mats").get(f"/anmalan/{report.public_id}/").status_code == 404


def test_csrf_is_enforced(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/anmalan/privatperson/", FORM).status_code == 403


def test_required_fields_and_errors_are_accessible(world):
    response = Client().post("/anmalan/privatperson/", {**FORM, "worry": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="error-summary" role="alert"' in text
    assert 'href="#id_worry"' in text


def test_honeypot_drops_bots(world):
    before = Report.objects.count()
    assert Client().post("/anmalan/privatperson/", {**FORM, "website": "x"}).status_code == 404
    assert Report.objects.count() == before


def test_rate_limited_per_address(world, settings):
    limits = {**settings.SAMVERKAN["RATE_LIMITS"], "public_report_ip": "2/h"}
    settings.SAMVERKAN = {**settings.SAMVERKAN, "RATE_LIMITS": limits}
    client = Client()
    for n in range(2):
        form = {**FORM, "worry": f"{FORM['worry']} ({n + 1})"}
        assert client.post("/anmalan/privatperson/", form).status_code == 302
    assert client.post("/anmalan/privatperson/", FORM).status_code == 429


def test_receipt_without_a_report_goes_back_to_the_form(world):
    response = Client().get("/anmalan/privatperson/kvitto/")
    assert response.status_code == 302


def test_professional_form_in_the_browser(world, login):
    client = login("mats")
    noah = world.children["noah"]
    page = client.get(f"/anmalan/ny/?barn={noah.public_id}")
    assert noah.personal_number_display in page.content.decode()
    response = client.post(
        "/anmalan/ny/",
        {
            "personal_number": noah.personal_number_display,
            "worry": "Noah har varit ledsen hela veckan.",
            "urgency": "normal",
            "guardians_informed": "unknown",
            "reporter_phone": "0123",
        },
    )
    assert response.status_code == 302
    report = Report.objects.order_by("-id").first()
    assert report.reporter_user == world.users["mats"]
    mine = client.get("/anmalan/mina/").content.decode()
    assert report.reference in mine and "Mottagen" in mine


def test_professional_form_refuses_an_unknown_child(world, login):
    response = login("lena").post(
        "/anmalan/ny/",
        {
            "personal_number": world.children["noah"].personal_number_display,
            "worry": "x",
            "urgency": "normal",
            "guardians_informed": "unknown",
            "reporter_phone": "0123",
        },
    )
    assert response.status_code == 200
    assert "finns inte i din verksamhets register" in response.content.decode()


def test_oral_report_in_the_browser(world, login):
    client = login("maria")
    assert client.get("/anmalan/muntlig/").status_code == 200
    response = client.post(
        "/anmalan/muntlig/",
        {
            "personal_number": world.children["melwin"].personal_number,
            "first_name": "Melwin",
            "last_name": "Andersson",
            "reporter_org": world.organisations["BUP"].pk,
            "reporter_name": "Lena Forsberg",
            "worry": "Melwin har berättat om hot hemma.",
            "urgency": "acute",
            "guardians_informed": "unknown",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Skriftlig anmälan väntas senast" in text
    assert login("mats").get("/anmalan/muntlig/").status_code == 404
