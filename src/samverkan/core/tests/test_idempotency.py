"""Creating twice by accident creates once (issue 13 item 2): every form that writes
carries a one-time key, the API takes an Idempotency-Key header, and a repeat gets the
first one's answer. The races themselves (20 at once) are in
web/tests/test_concurrent_creation.py, on PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from samverkan.concerns.models import Report
from samverkan.concerns.tests.factories import report_world
from samverkan.directory.services import token_create
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="submission_key" value="([^"]+)"')
REPORT = {"worry": "Barnet säger att hen inte vågar gå hem.", "reporter_phone": "0123-456 78"}
FORM = {**REPORT, "urgency": "soon", "guardians_informed": "no"}


def _child_at(world):
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    return child


def test_a_double_click_on_skicka_anmalan_files_one_report_and_shows_it():
    world = report_world()
    child = _child_at(world)
    client = world.client(world.teacher)
    page = client.get(reverse("concerns:new") + f"?barn={child.public_id}")
    key = KEY.search(page.text).group(1)
    data = {**FORM, "personal_number": child.personal_number, "submission_key": key}

    first = client.post(reverse("concerns:new"), data)
    second = client.post(reverse("concerns:new"), data, follow=True)

    assert first.status_code == 302
    assert Report.objects.filter(reporter_user=world.teacher.user).count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "Det här hade redan skickats, så inget nytt skapades" in second.text


def test_a_form_shown_again_with_errors_can_be_sent_with_the_same_key():
    world = report_world()
    child = _child_at(world)
    client = world.client(world.teacher)
    data = {**FORM, "personal_number": child.personal_number, "submission_key": "k" * 32}

    refused = client.post(reverse("concerns:new"), {**data, "worry": ""})
    assert refused.status_code == 200
    accepted = client.post(reverse("concerns:new"), data)

    assert accepted.status_code == 302
    assert Report.objects.filter(reporter_user=world.teacher.user).count() == 1


def _api(membership):
    from django.test import Client

    _, token = token_create(actor=None, membership=membership)
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_the_api_replays_the_first_answer_for_a_repeated_idempotency_key():
    world = report_world()
    child = _child_at(world)
    client = _api(world.teacher)
    body = {**REPORT, "child_id": str(child.public_id)}
    headers = {"Idempotency-Key": "retry-after-timeout-1"}

    first = client.post("/api/concerns", body, content_type="application/json", headers=headers)
    second = client.post("/api/concerns", body, content_type="application/json", headers=headers)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Report.objects.filter(reporter_user=world.teacher.user).count() == 1
    # Another caller's key is its own: the same key creates that caller's report.
    third = _api(world.rektor).post(
        "/api/concerns", body, content_type="application/json", headers=headers
    )
    assert third.status_code == 201 and third.json()["id"] != first.json()["id"]
    # Without a key every call creates, as before.
    assert client.post("/api/concerns", body, content_type="application/json").status_code == 201
    assert Report.objects.filter(child=child).count() == 3


def test_a_malformed_idempotency_key_is_refused_with_a_reason():
    world = report_world()
    response = _api(world.teacher).post(
        "/api/concerns",
        {**REPORT},
        content_type="application/json",
        headers={"Idempotency-Key": "ä" * 100},
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]


def test_a_key_used_for_another_address_is_refused():
    world = report_world()
    child = _child_at(world)
    client = world.client(world.teacher)
    data = {**FORM, "personal_number": child.personal_number, "submission_key": "s" * 32}
    assert client.post(reverse("concerns:new"), data).status_code == 302
    again = client.post(reverse("knowledge:checklist_item_add"), {**data, "text": "Ring"})
    assert again.status_code == 302
    assert again["Location"] == reverse("knowledge:checklist_item_add")


TEMPLATES = Path(__file__).resolve().parents[2]


def test_every_form_that_writes_carries_the_one_time_key():
    missing = []
    for path in TEMPLATES.glob("*/templates/**/*.html"):
        if "/web/templates/" in str(path):  # login, second factor, role, search
            continue
        text = path.read_text()
        if text.count("{% csrf_token %}") != text.count("{% submission_key %}"):
            missing.append(str(path.relative_to(TEMPLATES)))
    assert not missing, missing


def test_a_form_refused_by_a_redirect_gives_its_key_back():
    """Signing a consent with nobody chosen is refused by a redirect to the consent's
    page with a message. The key must not be used up by that refusal: the user corrects
    the form and sends it again with the same key, and the signature is registered
    (not answered "Det här hade redan skickats")."""
    from django.test import Client

    from samverkan.consent import services as consent_services
    from samverkan.directory.tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        actor_of,
    )
    from samverkan.portal.tests.factories import CustodyFactory, GuardianFactory

    kurator = MembershipFactory(code="kurator", organisation__org_type="skola")
    school = kurator.organisation
    bup = OrganisationFactory(principal=school.principal, org_type="bup")
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=school)
    guardian = GuardianFactory(organisation=school)
    CustodyFactory(child=child, guardian=guardian)
    consent = consent_services.consent_give(
        actor=actor_of(kurator),
        child=child,
        party_ids=[school.pk, bup.pk],
        category_codes=["skolsituation"],
        purpose_codes=["sip"],
        form="written",
        context="voluntary",
        child_views="Vill att skolan och BUP pratar med varandra.",
    )
    client = Client()
    client.force_login(kurator.user)
    page = client.get(f"/samtycken/{consent.public_id}/")
    key = KEY.search(page.text).group(1)
    path = f"/samtycken/{consent.public_id}/underskrift/"

    refused = client.post(path, {"method": "written", "submission_key": key}, follow=True)
    assert "Välj vem som har samtyckt och hur." in refused.text
    assert not consent.givers.exists()

    data = {"givers": [f"guardian:{guardian.public_id}"], "method": "written"}
    sent = client.post(path, {**data, "submission_key": key}, follow=True)

    assert "Det här hade redan skickats" not in sent.text
    assert "Underskrifterna är registrerade." in sent.text
    assert consent.givers.count() == 1
