"""Lockout after repeated failed logins (django-axes): per username and address, with a
plain Swedish message, every failure still audited, and an administrator's unlock."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory

AuditEvent = apps.get_model("audit", "AuditEvent")
AccessAttempt = apps.get_model("axes", "AccessAttempt")
PASSWORD = settings.SAMVERKAN["DEMO_PASSWORD"]
LIMIT = settings.AXES_FAILURE_LIMIT
FACTORY_PASSWORD = "ett-langt-testlosenord"  # the factories' password


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


@pytest.mark.django_db
def test_behind_the_proxy_the_lockout_counts_the_clients_own_address(settings):
    """The reverse proxy connects for everyone: the lockout counts the client's address
    from X-Forwarded-For, as the abuse limits do (decision 0170), so one person's typos
    do not lock a colleague behind the same proxy, and a forged prefix changes nothing."""
    settings.SAMVERKAN_SERVE = {**settings.SAMVERKAN_SERVE, "FORWARDED_ALLOW_IPS": "10.9.9.9"}
    user = MembershipFactory(organisation=OrganisationFactory(password_login=True)).user

    def log_in(forwarded, password=FACTORY_PASSWORD):
        return Client().post(
            "/logga-in/",
            {"username": user.username, "password": password},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(LIMIT):
        log_in("192.0.2.1", "fel-lösenord")
    assert log_in("192.0.2.1").status_code == 429
    assert log_in("203.0.113.5, 192.0.2.1").status_code == 429  # a forged prefix
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.1"}
    # A colleague behind the same proxy, with the same account name, is not locked.
    assert log_in("192.0.2.2").status_code == 302
