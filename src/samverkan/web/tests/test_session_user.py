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

from samverkan.directory import selectors as directory

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
    assert 'FROM "auth_user" LEFT OUTER JOIN "otp_totp_totpdevice"' in query
    assert '"directory_membership"' in query
    assert not [q for q in queries if 'FROM "directory_membership"' in q["sql"]]
    # The child overview with a verified session: the session, the user with the
    # device and the memberships, the child with its matters, the guardians with the
    # history of their record, the enrolments and the audit row (9 before decision 0366).
    assert len(queries) == 6


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


def test_the_actor_is_the_one_the_memberships_query_gives(world):
    """For every demo user, in every membership they may choose and none, also after one
    membership has ended and one organisation has been deactivated: the actor from the
    one query is the actor from the user and the memberships read apart."""
    Membership = apps.get_model("directory", "Membership")
    ended = Membership.objects.order_by("pk").first()
    ended.valid_until = ended.valid_from
    ended.save(update_fields=["valid_until"])
    Membership.objects.filter(pk=ended.pk).update(valid_from="2000-01-01", valid_until="2000-12-31")
    closed = Membership.objects.exclude(pk=ended.pk).order_by("-pk").first().organisation
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    checked = 0
    for user in world.users.values():
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        loaded = directory.session_user(user.pk, device.pk)
        assert loaded.session_device == device
        chosen = [None, *Membership.objects.filter(user=user).values_list("pk", flat=True)]
        for membership_id in chosen:
            assert directory.actor_for_user(loaded, membership_id) == directory.actor_for_user(
                user, membership_id
            )
            checked += 1
        assert directory.session_user(user.pk, device.pk + 10_000).session_device is None
    assert checked > len(world.users)


OIDC_BACKEND = "samverkan.web.oidc.backend.StaffOIDCBackend"


@pytest.mark.parametrize("with_device", [True, False])
def test_an_account_deactivated_after_an_e_legitimation_login_is_logged_out(
    world, client, with_device
):
    """A session from the e-legitimation login (OpenID Connect) ends like a password
    session when the account is deactivated (its last membership ended): both the
    one-query path (a second factor's device in the session) and Django's own path."""
    frida = world.users["frida"]
    client.force_login(frida, backend=OIDC_BACKEND)
    if with_device:
        device = TOTPDevice.objects.create(user=frida, name="App", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    assert client.get("/barn/").status_code == 200
    frida.is_active = False
    frida.save(update_fields=["is_active"])
    assert client.get("/barn/")["Location"].startswith("/logga-in/")
