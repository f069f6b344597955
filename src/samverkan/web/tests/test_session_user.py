"""The session's user and its second factor's device, read in one query (decision 0366):
the same user and the same verification as Django's and django-otp's two queries gave,
read fresh on every request, so that whatever ends a session elsewhere (a logout in
another process, a deactivated account, a changed password, a removed or unconfirmed
device) ends it on the next request."""

from __future__ import annotations

import time

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

Session = apps.get_model("sessions", "Session")
PASSWORD = settings.SAMVERKAN["DEMO_PASSWORD"]


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.fixture
def verified(world, client):
    """frida, logged in with her password and her authenticator app's code."""
    device = TOTPDevice.objects.create(
        user=world.users["frida"], name="Autentiseringsapp", confirmed=True
    )
    client.post("/logga-in/", {"username": "frida", "password": PASSWORD})
    client.post("/logga-in/kod/", {"code": _code(device)})
    assert client.get("/barn/").status_code == 200
    return client, device


def _user_queries(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if 'FROM "auth_user"' in q["sql"] or 'FROM "otp_totp_totpdevice"' in q["sql"]
    ]


def test_the_user_and_the_device_are_one_query(world, verified):
    client, _device = verified
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/barn/{world.children['melwin'].public_id}/")
    assert response.status_code == 200
    (query,) = _user_queries(queries)
    assert 'FROM "otp_totp_totpdevice" INNER JOIN "auth_user"' in query
    # The child overview with a verified session: the session, the user with the
    # device, the child with its matters, the membership, the guardians, the
    # enrolments, the custody history and the audit row (9 before decision 0366).
    assert len(queries) == 8


def test_a_session_ended_in_another_process_ends_here(world, verified):
    client, _device = verified
    Session.objects.all().delete()  # another worker's logout
    assert client.get("/barn/")["Location"].startswith("/logga-in/")


def test_a_deactivated_account_is_logged_out(world, verified):
    client, _device = verified
    world.users["frida"].is_active = False
    world.users["frida"].save(update_fields=["is_active"])
    assert client.get("/barn/")["Location"].startswith("/logga-in/")


def test_a_changed_password_ends_the_other_sessions(world, verified):
    client, _device = verified
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    user = world.users["frida"]
    user.set_password("ett helt annat lösenord 42")
    user.save(update_fields=["password"])
    assert client.get("/barn/")["Location"].startswith("/logga-in/")
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.parametrize("change", ["unconfirmed", "removed", "another user's"])
def test_a_device_that_no_longer_verifies_sends_back_to_the_code(world, verified, change):
    client, device = verified
    if change == "unconfirmed":
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    elif change == "removed":
        device.delete()
    else:
        TOTPDevice.objects.filter(pk=device.pk).update(user=world.users["sofia"])
    assert client.get("/barn/")["Location"].startswith("/logga-in/kod/")
    session = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert "otp_device_id" not in session.get_decoded()
