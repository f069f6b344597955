"""Two-factor login (TOTP): who must use it, enrolment, the code step, the gate that
keeps a half-logged-in session away from everything, resets, and the audit rows."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import time

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.web import twofactor

AuditEvent = apps.get_model("audit", "AuditEvent")
PASSWORD = settings.SAMVERKAN["DEMO_PASSWORD"]


@pytest.fixture
def require_2fa(settings):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "REQUIRE_2FA": True}


def _code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)


def _log_in(client, username="frida", password=PASSWORD, next_url=None):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/logga-in/", data)


def _rows_after(mark: int, action: str):
    return list(AuditEvent.objects.filter(id__gt=mark, action=action).order_by("id"))


def _mark() -> int:
    return AuditEvent.objects.latest("id").id


# Who must use a second factor ---------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "required"),
    [
        ("frida", True),  # rektor: people.view
        ("lina", True),  # lärare: people.view
        ("gustav", True),  # granskare: audit.view only
        ("adam", True),  # administratör: directory.manage and audit.view
    ],
)
def test_required_for_functions_that_see_personal_data(world, require_2fa, username, required):
    assert twofactor.required_for(world.users[username]) is required


def test_not_required_without_a_role_that_sees_personal_data(world, require_2fa):
    from samverkan.directory import services as directory

    user = directory.staff_create(
        actor=None, username="utan-roll", first_name="Utan", last_name="Roll", password=PASSWORD
    )
    assert twofactor.required_for(user) is False


def test_not_required_when_the_setting_is_off(world):
    assert settings.SAMVERKAN["REQUIRE_2FA"] is False  # the test settings
    assert twofactor.required_for(world.users["frida"]) is False


@pytest.mark.parametrize(
    ("module", "expected"),
    [("prod", "True"), ("dev", "False"), ("test", "False")],
)
def test_required_by_default_in_production_and_off_in_development(module, expected):
    # In a fresh process: the settings modules share base's SAMVERKAN dict, so
    # importing another one here would change this run's settings.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SAMVERKAN_REQUIRE_2FA", "DJANGO_SETTINGS_MODULE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = f"samverkan.config.settings.{module}"
    env.setdefault("SAMVERKAN_SECRET_KEY", "x" * 50)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.SAMVERKAN['REQUIRE_2FA'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == expected


# Enrolment ------------------------------------------------------------------------------


def test_password_login_leads_to_enrolment_when_required(world, require_2fa, client):
    response = _log_in(client, next_url="/barn/")
    assert response.status_code == 302
    assert response["Location"] == "/tvastegsverifiering/aktivera/?next=%2Fbarn%2F"
    # Nothing else is reachable until the app is enrolled.
    barn = client.get("/barn/")
    assert barn.status_code == 302
    assert barn["Location"].startswith("/tvastegsverifiering/aktivera/")
    assert client.get("/")["Location"].startswith("/tvastegsverifiering/aktivera/")
    assert client.post("/roll/", {"membership": "1"}).status_code == 302

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.text
    assert "Aktivera tvåstegsverifiering" in text
    assert re.search(r'<svg role="img" aria-label="QR-kod för autentiseringsappen"', text)
    device = TOTPDevice.objects.get(user=world.users["frida"])
    assert device.confirmed is False
    assert twofactor.secret_text(device) in text  # the secret in text, for manual entry
    assert 'autocomplete="one-time-code"' in text
    assert 'name="next" value="/barn/"' in text
    # The same secret on a second visit, until it is confirmed.
    client.get(response["Location"])
    assert TOTPDevice.objects.filter(user=world.users["frida"]).count() == 1


def test_enrolment_with_a_wrong_code_is_refused_and_audited(world, require_2fa, client):
    _log_in(client)
    client.get("/tvastegsverifiering/aktivera/")
    mark = _mark()
    response = client.post("/tvastegsverifiering/aktivera/", {"code": "000000", "next": "/"})
    assert response.status_code == 200
    assert "Koden stämmer inte." in response.text
    assert 'role="alert"' in response.text  # the error summary
    (row,) = _rows_after(mark, "otp_failed")
    assert (row.actor_username, row.outcome, row.details["stage"]) == ("frida", "denied", "enrol")
    assert not TOTPDevice.objects.get(user=world.users["frida"]).confirmed
    assert client.get("/barn/").status_code == 302


def test_enrolment_with_the_right_code_turns_it_on(world, require_2fa, client):
    _log_in(client, next_url="/barn/")
    client.get("/tvastegsverifiering/aktivera/")
    device = TOTPDevice.objects.get(user=world.users["frida"])
    mark = _mark()
    response = client.post(
        "/tvastegsverifiering/aktivera/", {"code": _code(device), "next": "/barn/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/barn/"
    device.refresh_from_db()
    assert device.confirmed is True
    (row,) = _rows_after(mark, "otp_enrol")
    assert (row.actor_username, row.outcome, row.resource_type) == (
        "frida",
        "allowed",
        "auth.otp_device",
    )
    assert client.get("/barn/").status_code == 200
    # Enrolled: the enrolment page is closed.
    assert client.get("/tvastegsverifiering/aktivera/").status_code == 302
    assert TOTPDevice.objects.filter(user=world.users["frida"]).count() == 1


def test_enrolment_codes_are_accepted_with_spaces(world, require_2fa, client):
    _log_in(client)
    client.get("/tvastegsverifiering/aktivera/")
    code = _code(TOTPDevice.objects.get(user=world.users["frida"]))
    response = client.post("/tvastegsverifiering/aktivera/", {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302


# The code step ----------------------------------------------------------------------------


def test_enrolled_user_gives_the_code_after_the_password(world, require_2fa, client):
    device = _enrolled(world.users["frida"])
    response = _log_in(client, next_url="/barn/")
    assert response["Location"] == "/logga-in/kod/?next=%2Fbarn%2F"
    assert client.get("/barn/")["Location"].startswith("/logga-in/kod/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Kod från autentiseringsappen" in page.text
    assert "Huvudmeny" not in page.text  # no navigation before the second step

    session_before = client.cookies[settings.SESSION_COOKIE_NAME].value
    mark = _mark()
    done = client.post("/logga-in/kod/", {"code": _code(device), "next": "/barn/"})
    assert done.status_code == 302
    assert done["Location"] == "/barn/"
    (row,) = _rows_after(mark, "otp_verify")
    assert (row.actor_username, row.actor_organisation_name) == ("frida", "Frejaskolan")
    # A new session id once the second factor is passed.
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != session_before
    assert client.get("/barn/").status_code == 200


def test_enrolled_user_is_asked_for_the_code_even_when_not_required(world, client):
    device = _enrolled(world.users["frida"])
    response = _log_in(client)
    assert response["Location"].startswith("/logga-in/kod/")
    assert client.get("/barn/").status_code == 302
    client.post("/logga-in/kod/", {"code": _code(device)})
    assert client.get("/barn/").status_code == 200


def test_wrong_code_is_refused_audited_and_throttled(world, require_2fa, client):
    device = _enrolled(world.users["frida"])
    _log_in(client)
    mark = _mark()
    wrong = client.post("/logga-in/kod/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Koden stämmer inte." in wrong.text
    # Straight away again, even with the right code: django-otp's back-off (1, 2, 4 ...
    # seconds after successive failures) refuses it.
    throttled = client.post("/logga-in/kod/", {"code": _code(device)})
    assert "För många felaktiga koder. Vänta" in throttled.text
    rows = _rows_after(mark, "otp_failed")
    assert [(r.details["stage"], r.details["throttled"]) for r in rows] == [
        ("login", False),
        ("login", True),
    ]
    assert all(r.outcome == "denied" and r.actor_username == "frida" for r in rows)
    assert client.get("/barn/").status_code == 302
    # Once the wait is over, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.post("/logga-in/kod/", {"code": _code(device)}).status_code == 302
    assert client.get("/barn/").status_code == 200


def test_a_code_cannot_be_used_twice(world, require_2fa):
    device = _enrolled(world.users["frida"])
    code = _code(device)
    first, second = Client(), Client()
    _log_in(first)
    _log_in(second)
    assert first.post("/logga-in/kod/", {"code": code}).status_code == 302
    replay = second.post("/logga-in/kod/", {"code": code})
    assert replay.status_code == 200
    assert second.get("/barn/").status_code == 302


def test_enrolled_user_cannot_enrol_another_app_with_only_the_password(world, require_2fa, client):
    _enrolled(world.users["frida"])
    _log_in(client)
    response = client.get("/tvastegsverifiering/aktivera/")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"].startswith("/logga-in/kod/")
    assert TOTPDevice.objects.filter(user=world.users["frida"]).count() == 1


def test_next_must_stay_on_this_site(world, require_2fa, client):
    device = _enrolled(world.users["frida"])
    _log_in(client)
    response = client.post(
        "/logga-in/kod/", {"code": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


# The gate ---------------------------------------------------------------------------------


def test_open_pages_stay_open_before_the_second_factor(world, require_2fa, client):
    _log_in(client)
    assert client.get("/healthz").status_code == 200
    assert client.get("/tillganglighet/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    logout = client.post("/logga-ut/")
    assert logout["Location"] == "/logga-in/"
    assert client.get("/barn/")["Location"].startswith("/logga-in/")


def test_session_api_use_is_refused_before_the_second_factor(world, require_2fa, client):
    _log_in(client)
    response = client.get("/api/children")
    assert response.status_code == 401
    assert response.json()["code"] == "second_factor_required"


def test_bearer_token_api_is_not_affected(world, require_2fa, api):
    assert api("frida").get("/api/children").status_code == 200


def test_htmx_requests_are_sent_to_the_whole_page(world, require_2fa, client):
    _log_in(client)
    response = client.get("/barn/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/tvastegsverifiering/aktivera/")


def test_every_way_of_logging_in_records_the_state(world, require_2fa, login):
    # force_login skips the login page, but not Django's user_logged_in signal.
    client = login("frida")
    assert client.session[twofactor.SESSION_STATE] == twofactor.ENROL
    assert client.get("/barn/")["Location"].startswith("/tvastegsverifiering/aktivera/")


def test_session_without_a_recorded_state_is_checked(world, require_2fa, login):
    # A session from before two-factor login existed.
    client = login("frida")
    session = client.session
    del session[twofactor.SESSION_STATE]
    session.save()
    assert client.get("/barn/")["Location"].startswith("/tvastegsverifiering/aktivera/")
    assert client.session[twofactor.SESSION_STATE] == twofactor.ENROL


def test_not_required_and_not_enrolled_goes_straight_in(world, client):
    response = _log_in(client)
    assert response["Location"] == "/"
    assert client.get("/barn/").status_code == 200


# Reset ------------------------------------------------------------------------------------


def test_reset_command_removes_the_devices_and_is_audited(world, require_2fa, capsys):
    _enrolled(world.users["frida"])
    mark = _mark()
    call_command("otp", "reset", "frida")
    assert "frida" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=world.users["frida"]).exists()
    (row,) = _rows_after(mark, "otp_reset")
    assert row.details == {"username": "frida", "devices": 1}
    # At the next login she enrols a new app.
    client = Client()
    assert _log_in(client)["Location"].startswith("/tvastegsverifiering/aktivera/")


def test_reset_command_refuses_an_unknown_user(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Det finns ingen användare"):
        call_command("otp", "reset", "ingen-sadan")


def test_device_reset_ends_verified_sessions(world, require_2fa, client):
    device = _enrolled(world.users["frida"])
    _log_in(client)
    client.post("/logga-in/kod/", {"code": _code(device)})
    assert client.get("/barn/").status_code == 200
    twofactor.devices_reset(actor=None, user=world.users["frida"])
    # django-otp checks the device on every request: gone, so not verified any more.
    assert client.get("/barn/")["Location"].startswith("/logga-in/kod/")
    assert client.get("/logga-in/kod/")["Location"].startswith("/tvastegsverifiering/aktivera/")
