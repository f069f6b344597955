"""Logging in and out: audited, sessions end after inactivity, logout leaves nothing."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

# web imports no app's models (import contracts): the audit table via the registry.
AuditEvent = apps.get_model("audit", "AuditEvent")

PASSWORD = settings.SAMVERKAN["DEMO_PASSWORD"]


def _log_in(client, username="frida", password=PASSWORD):
    return client.post("/logga-in/", {"username": username, "password": password})


def _session(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_login_is_audited(world, client):
    response = _log_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    row = AuditEvent.objects.filter(action="login").latest("id")
    assert (row.actor_username, row.outcome, row.resource_type) == (
        "frida",
        "allowed",
        "auth.session",
    )
    assert row.actor_organisation_name == "Frejaskolan"
    assert row.ip_address == "127.0.0.1"
    assert client.get("/barn/").status_code == 200


@pytest.mark.parametrize(
    ("username", "password"),
    [("frida", "fel-lösenord"), ("ingen-sådan", PASSWORD), ("", "")],
)
def test_failed_login_is_audited(world, client, username, password):
    mark = AuditEvent.objects.latest("id").id
    response = _log_in(client, username, password)
    assert response.status_code == 200
    if username:
        assert "Fel användarnamn eller lösenord." in response.text
    (row,) = AuditEvent.objects.filter(id__gt=mark)
    assert (row.action, row.outcome) == ("login_failed", "denied")
    assert row.actor_username == ""  # nobody is logged in
    assert row.details == {"username": username}
    assert client.get("/barn/")["Location"].startswith("/logga-in/")


def test_logout_is_audited_and_flushes_the_session(world, client):
    _log_in(client)
    session_key = _session(client).session_key
    response = client.post("/logga-ut/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/"
    row = AuditEvent.objects.filter(action="logout").latest("id")
    assert (row.actor_username, row.actor_organisation_name) == ("frida", "Frejaskolan")
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/barn/")["Location"].startswith("/logga-in/")


def test_logout_needs_post(world, login):
    client = login("frida")
    assert client.get("/logga-ut/").status_code == 405
    assert client.get("/barn/").status_code == 200  # still logged in


def test_sessions_end_after_inactivity_settings():
    assert settings.SESSION_ENGINE == "samverkan.web.sessions"
    assert settings.SAMVERKAN["SESSION_REFRESH_SECONDS"] == 60
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_every_request_pushes_the_expiry_forward(world, client):
    _log_in(client)
    session = _session(client)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert client.get("/barn/").status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < remaining <= datetime.timedelta(minutes=30)


def test_a_request_soon_after_the_last_write_leaves_the_session_alone(world, client):
    """Decision 0094: the idle expiry is written when it lags more than a minute, so a
    page right after another costs no session write."""
    _log_in(client)
    session = _session(client)
    stored = timezone.now() + datetime.timedelta(minutes=29, seconds=30)
    Session.objects.filter(pk=session.pk).update(expire_date=stored)
    assert client.get("/barn/").status_code == 200
    assert _session(client).expire_date == stored
    assert _session(client).session_data == session.session_data


def test_the_idle_expiry_is_written_once_it_lags_a_minute(world, client):
    _log_in(client)
    session = _session(client)
    stored = timezone.now() + datetime.timedelta(minutes=28, seconds=55)
    Session.objects.filter(pk=session.pk).update(expire_date=stored)
    assert client.get("/barn/").status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29, seconds=50) < remaining <= datetime.timedelta(minutes=30)


def test_idle_session_has_expired(world, client):
    _log_in(client)
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/barn/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def test_user_with_several_roles_chooses_one(world):
    from samverkan.directory import services as directory

    extra = directory.membership_create(
        actor=None,
        user=world.users["sara"],
        organisation=world.organisations["Frejaskolan"],
        function="larare",
    )
    client = Client()
    _log_in(client, "sara")
    assert client.get("/")["Location"] == "/roll/"
    assert client.get("/barn/").status_code == 403  # no role chosen: no access
    page = client.get("/roll/")
    assert "Frejaskolan" in page.text
    assert "Elevhälsan Frejaskolan" in page.text
    assert client.post("/roll/", {"membership": "999999"}).status_code == 200  # not hers
    response = client.post("/roll/", {"membership": extra.pk})
    assert response["Location"] == "/"
    home = client.get("/")
    assert "Lärare, Frejaskolan" in home.text


def test_public_pages(world, client):
    assert client.get("/tillganglighet/").status_code == 200
    login_page = client.get("/logga-in/")
    assert login_page.status_code == 200
    assert "frida" in login_page.text  # demo users are listed in the test settings
