"""Authorisation matrix for one report (Mats, mentor at Frejaskolan, about Noah):
the reporter and the reporting organisation's registering functions see the report,
its status and what was sent back — never social services' own notes; social services'
intake and the handler see everything on the duty to report; everybody else gets 404,
and every look, allowed or denied, is in the audit log with its ground."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.concerns import services

PROTECTION_NOTE = "Hemlig anteckning om skyddsbedömningen"

# username -> (status code, side)
MATRIX = {
    "mats": (200, "reporter"),  # the reporter (mentor)
    "frida": (200, "reporter"),  # rektor at the reporting school (function, not person)
    "lina": (404, None),  # teacher at the same school, not the reporter
    "adam": (404, None),  # administrator at the school, no people.view
    "karin": (404, None),  # Elevhälsan: another organisation at the same school
    "maria": (200, "intake"),  # mottagningssekreterare
    "olof": (200, "intake"),  # the handler
    "sofia": (200, "intake"),  # another socialsekreterare at the receiving organisation
    "samir": (404, None),  # samordnare at social services: no people.register
    "gustav": (404, None),  # auditor
    "lena": (404, None),  # BUP
    "viktor": (404, None),  # Vårdcentralen
}


@pytest.fixture
def handled(world, assigned):
    services.protection_assessment_record(
        actor=world.actor("olof"), report=assigned, text=PROTECTION_NOTE
    )
    services.feedback_send(actor=world.actor("olof"), report=assigned, statement="meeting_family")
    return assigned


@pytest.mark.parametrize("username", sorted(MATRIX))
def test_report_page(world, login, handled, username):
    expected, side = MATRIX[username]
    client = login(username)
    before = AuditEvent.objects.count()
    response = client.get(f"/anmalan/{handled.public_id}/")
    assert response.status_code == expected
    rows = list(
        AuditEvent.objects.filter(
            pk__gt=0, resource_type="concerns.report", resource_id=str(handled.public_id)
        )
        .order_by("-id")
        .filter(actor_username=username)[:1]
    )
    assert AuditEvent.objects.count() > before
    [row] = rows
    text = response.content.decode()
    if expected == 404:
        assert row.outcome == "denied"
        assert "Noah" not in text and "rädd att gå hem" not in text
        return
    assert row.outcome == "allowed"
    assert row.subject_id == str(world.children["noah"].public_id)
    assert "Socialtjänsten träffar familjen." in text  # the feedback
    assert "Olof Sandberg" in text  # who handles it
    if side == "reporter":
        assert row.ground_code == "reporter"
        assert PROTECTION_NOTE not in text
        assert "Återkoppling till anmälaren" not in text
    else:
        assert row.ground_code == "duty_to_report"
        assert "Anmälningsskyldighet" in row.ground_label
        assert PROTECTION_NOTE in text


def test_anonymous_is_sent_to_login(client, report):
    response = client.get(f"/anmalan/{report.public_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize("username", ["mats", "frida", "lina", "lena", "maria"])
def test_handling_actions_only_for_social_services(world, login, report, username):
    client = login(username)
    response = client.post(
        f"/anmalan/{report.public_id}/handlaggare/",
        {"handler": world.memberships["olof"].pk},
    )
    report.handling.refresh_from_db()
    if username == "maria":
        assert response.status_code == 302
        assert report.handling.handler == world.memberships["olof"]
    else:
        assert response.status_code == 404
        assert report.handling.handler is None


@pytest.mark.parametrize(
    ("username", "count"),
    [("mats", 1), ("frida", 1), ("lina", 0), ("lena", 0)],
)
def test_mine_lists_only_own_side(world, login, report, username, count):
    response = login(username).get("/anmalan/mina/")
    assert response.status_code == 200
    ids = [v.report.pk for v in response.context["views"]]
    assert (report.pk in ids) == bool(count)


@pytest.mark.parametrize(
    ("username", "status"),
    [("maria", 200), ("olof", 200), ("mats", 404), ("samir", 404), ("lena", 404)],
)
def test_intake_dashboard_only_for_social_services(login, report, username, status):
    assert login(username).get("/anmalan/mottagning/").status_code == status


def test_child_panel_shows_each_side_its_view(world, login, assigned):
    noah = world.children["noah"]
    mats = login("mats").get(f"/anmalan/barn/{noah.public_id}/").content.decode()
    assert assigned.reference in mats
    olof = login("olof").get(f"/anmalan/barn/{noah.public_id}/").content.decode()
    assert assigned.reference in olof
    karin = login("karin").get(f"/anmalan/barn/{noah.public_id}/")
    assert karin.status_code == 404  # Elevhälsan has no matter with Noah


def test_the_inbox_shows_the_report_to_the_contact_social_worker(login, report):
    text = login("sofia").get("/inkorg/").content.decode()
    assert report.reference in text
    assert "Frejaskolan" in text
