"""Lockout after repeated failed logins (django-axes): per username and address, with a
plain Swedish message, every failure still audited, and an administrator's unlock."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

AuditEvent = apps.get_model("audit", "AuditEvent")
AccessAttempt = apps.get_model("axes", "AccessAttempt")
PASSWORD = settings.SAMVERKAN["DEMO_PASSWORD"]
LIMIT = settings.AXES_FAILURE_LIMIT


def _log_in(client, username="frida", password=PASSWORD, address="127.0.0.1"):
    return client.post(
        "/logga-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _fail(client, times, username="frida", address="127.0.0.1"):
    return [_log_in(client, username, "fel-lösenord", address) for _ in range(times)]


def test_defaults_five_failures_fifteen_minutes_per_username_and_address():
    assert LIMIT == 5
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_locked_after_the_limit_even_with_the_right_password(world, client):
    mark = AuditEvent.objects.latest("id").id
    responses = _fail(client, LIMIT)
    assert [r.status_code for r in responses] == [200] * (LIMIT - 1) + [429]
    locked = _log_in(client)  # the right password
    assert locked.status_code == 429
    assert "Inloggningen är spärrad" in locked.text
    assert "spärrad i 15 minuter" in locked.text
    assert 'role="alert"' in locked.text
    assert 'value="frida"' in locked.text  # the form is shown again, filled in
    assert client.get("/barn/")["Location"].startswith("/logga-in/")  # not logged in
    # Every try, the locked ones included, is in the audit log as before.
    rows = AuditEvent.objects.filter(id__gt=mark).order_by("id")
    assert [(r.action, r.outcome) for r in rows] == [("login_failed", "denied")] * (LIMIT + 1)
    assert {r.details["username"] for r in rows} == {"frida"}


def test_lockout_is_per_username_and_address(world):
    client = Client()
    _fail(client, LIMIT)
    assert _log_in(client).status_code == 429
    # The same user from another address, and another user from the same address.
    assert _log_in(Client(), address="10.1.2.3").status_code == 302
    assert _log_in(Client(), username="karin").status_code == 302


def test_lockout_ends_after_the_cool_off(world, client):
    _fail(client, LIMIT)
    assert _log_in(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _log_in(client).status_code == 302


def test_administrator_unlocks_with_the_axes_command(world, client):
    _fail(client, LIMIT)
    assert _log_in(client).status_code == 429
    call_command("axes_reset_username", "frida")
    assert _log_in(client).status_code == 302


def test_a_successful_login_clears_earlier_failures(world, client):
    _fail(client, LIMIT - 1)
    assert _log_in(client).status_code == 302
    client.post("/logga-ut/")
    responses = _fail(client, LIMIT - 1)
    assert {r.status_code for r in responses} == {200}
    assert _log_in(client).status_code == 302


def test_limit_is_configurable(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert [r.status_code for r in _fail(client, 2)] == [200, 429]
