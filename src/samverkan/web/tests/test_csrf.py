"""CSRF protection on every form: Django's middleware is on, nothing is exempt, every
POST form carries the token, and a POST without it is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

import samverkan

PACKAGE = Path(samverkan.__file__).resolve().parent
PASSWORD = settings.SAMVERKAN["DEMO_PASSWORD"]


def test_csrf_middleware_is_on():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


# Every view exempt from CSRF, with the reason it needs no token. Each must prove its
# caller otherwise (tested where it lives).
CSRF_EXEMPT = {
    # OpenID Connect Back-Channel Logout: the provider's server posts a logout token
    # it signed; no browser and no session cookie take part. The signature, issuer,
    # audience and event are checked (web/tests/test_oidc_backchannel.py).
    "web/oidc/backchannel.py",
}


def test_nothing_is_csrf_exempt():
    sources = [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    assert sources
    exempt = [
        str(path.relative_to(PACKAGE))
        for path in sources
        if "csrf_exempt" in path.read_text(encoding="utf-8")
    ]
    assert sorted(exempt) == sorted(CSRF_EXEMPT)


_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
_POST = re.compile(r"""method\s*=\s*["']?post""", re.I)


def test_every_post_form_in_the_templates_has_the_token():
    forms = [
        (path, match.group(0))
        for path in sorted(PACKAGE.glob("*/templates/**/*.html"))
        for match in _FORM.finditer(path.read_text(encoding="utf-8"))
        if _POST.search(match.group(0).split(">", 1)[0])
    ]
    assert len(forms) > 10
    missing = [
        str(path.relative_to(PACKAGE)) for path, form in forms if "{% csrf_token %}" not in form
    ]
    assert not missing, f"POST forms without {{% csrf_token %}}: {missing}"


def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_login_without_the_token_is_refused(world):
    client = _csrf_client()
    response = client.post("/logga-in/", {"username": "frida", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/barn/")["Location"].startswith("/logga-in/")


def test_login_with_the_token_works(world):
    client = _csrf_client()
    client.get("/logga-in/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/logga-in/",
        {"username": "frida", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/logga-ut/", {}),
        ("/roll/", {"membership": "1"}),
        ("/barn/registrera/", {"personal_number": "201203151234"}),
        ("/i18n/setlang/", {"language": "en"}),
    ],
)
def test_logged_in_posts_without_the_token_are_refused(world, path, data):
    client = _csrf_client()
    client.force_login(world.users["frida"])
    response = client.post(path, data)
    assert response.status_code == 403
    # Still logged in: the logout did not happen.
    assert client.get("/barn/").status_code == 200


def test_htmx_requests_send_the_token(world, login):
    text = login("frida").get("/").text
    assert re.search(r"""hx-headers='\{"X-CSRFToken": "[^"]+"\}'""", text)
