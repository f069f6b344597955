"""Abuse limits (issue 13 item 16, decision 0170): the API per user and per address, the
public report form per address, failed password logins per address across usernames
(password spraying), each answered with 429, a Swedish message and Retry-After; the
API's document and docs only for logged-in users."""

from __future__ import annotations

import time
import types

import django_ratelimit.core
import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client

from samverkan.core import limits
from samverkan.directory.services import token_create
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory

AuditEvent = apps.get_model("audit", "AuditEvent")
PASSWORD = "ett-langt-testlosenord"


@pytest.fixture(autouse=True)
def _fresh_counters(monkeypatch):
    # django-ratelimit counts in fixed windows by the wall clock: a slow machine could
    # let a test's requests straddle the end of a window and start counting afresh.
    # Its clock stands still here, so every request of a test falls in one window.
    now = float(int(time.time()))
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: now))
    cache.clear()
    yield
    cache.clear()


def _limits(settings, **rates):
    settings.SAMVERKAN = {
        **settings.SAMVERKAN,
        "RATE_LIMITS": {**settings.SAMVERKAN["RATE_LIMITS"], **rates},
    }


def _token(membership) -> str:
    return token_create(actor=None, membership=membership)[1]


def _api(client, token, *, ip="10.0.0.1"):
    return client.get("/api/forums", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=ip)


# The API ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_calls_are_limited_per_user(settings):
    _limits(settings, api_user="5/m", api_ip="1000/m")
    token = _token(MembershipFactory(code="kurator"))
    client = Client()
    statuses = [_api(client, token).status_code for _ in range(5)]
    assert statuses == [200] * 5
    refused = _api(client, token)
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert "För många anrop" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another user from the same address is not affected.
    other = _token(MembershipFactory(code="kurator"))
    assert _api(client, other).status_code == 200


@pytest.mark.django_db
def test_api_calls_are_limited_per_address_whoever_calls(settings):
    _limits(settings, api_user="1000/m", api_ip="6/m")
    tokens = [_token(MembershipFactory(code="kurator")) for _ in range(3)]
    client = Client()
    statuses = [_api(client, tokens[i % 3]).status_code for i in range(6)]
    assert statuses == [200] * 6
    assert _api(client, tokens[0]).status_code == 429
    # Another address still gets through.
    assert _api(client, tokens[0], ip="10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_the_default_api_limit_stops_a_burst_of_300_calls(settings):
    _limits(settings, **limits.DEFAULT_RATES)
    token = _token(MembershipFactory(code="kurator"))
    client = Client()
    statuses = [_api(client, token).status_code for _ in range(300)]
    assert statuses.count(429) >= 100
    assert set(statuses) == {200, 429}


@pytest.mark.django_db
def test_api_document_and_docs_need_a_login():
    anonymous = Client()
    for path in ("/api/openapi.json", "/api/docs"):
        response = anonymous.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/logga-in/"), path
    client = Client()
    client.force_login(MembershipFactory(code="kurator").user)
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 200


# The public report form -------------------------------------------------------------

PUBLIC_FORM = {
    "child_details": "Pojke, ca 10 år, bor på Testgatan 1.",
    "observations": "",
    "child_words": "",
    "urgency": "normal",
    "guardians_informed": "unknown",
    "reporter_name": "",
    "reporter_phone": "",
    "reporter_email": "",
}


@pytest.mark.django_db
def test_public_reports_are_limited_per_address(world):
    client = Client()
    statuses = []
    for n in range(6):
        form = {**PUBLIC_FORM, "worry": f"Oro nummer {n}: pojken är ofta ensam ute sent."}
        statuses.append(client.post("/anmalan/privatperson/", form, REMOTE_ADDR="10.1.1.1"))
    assert [r.status_code for r in statuses] == [302] * 5 + [429]
    refused = statuses[-1]
    assert int(refused["Retry-After"]) >= 1
    assert "För många anmälningar" in refused.content.decode()
    # Another address may still report.
    form = {**PUBLIC_FORM, "worry": "En annan person oroar sig för pojken."}
    assert client.post("/anmalan/privatperson/", form, REMOTE_ADDR="10.1.1.2").status_code == 302


# Password spraying ----------------------------------------------------------------


def _login(client, username, password, ip="10.2.2.2"):
    return client.post("/logga-in/", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_password_spraying_from_one_address_is_stopped():
    organisation = OrganisationFactory(password_login=True)
    users = [MembershipFactory(organisation=organisation).user for _ in range(15)]
    client = Client()
    statuses = []
    # 4 wrong passwords per user: never the 5 that lock one username.
    for attempt in range(4):
        for user in users:
            statuses.append(_login(client, user.username, f"fel-losenord-{attempt}").status_code)
    assert 429 in statuses
    first_refusal = statuses.index(429)
    assert first_refusal <= 30
    assert set(statuses[first_refusal:]) == {429}
    # The right password from that address is refused too: no session.
    response = _login(client, users[0].username, PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "För många misslyckade inloggningar från din adress" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The refusal is in the audit log.
    row = AuditEvent.objects.filter(action="login_failed").latest("id")
    assert row.details.get("refused") == "address"
    # Another address logs in.
    other = Client()
    assert _login(other, users[0].username, PASSWORD, ip="10.2.2.3").status_code == 302


@pytest.mark.django_db
def test_a_few_mistyped_passwords_from_a_shared_address_are_not_stopped():
    organisation = OrganisationFactory(password_login=True)
    users = [MembershipFactory(organisation=organisation).user for _ in range(10)]
    client = Client()
    for user in users:
        assert _login(client, user.username, "skrev-fel").status_code == 200
    for user in users:
        assert _login(Client(), user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_per_user_lockout_still_holds():
    organisation = OrganisationFactory(password_login=True)
    user = MembershipFactory(organisation=organisation).user
    client = Client()
    for _ in range(5):
        _login(client, user.username, "fel")
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def _redis_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.django_db
def test_limits_count_in_redis_as_in_production(settings):
    # The production cache (SAMVERKAN_CACHE_URL): counted with Redis's atomic INCR, in a
    # database of its own so that nothing else is touched.
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
            "KEY_PREFIX": "samverkan-test",
        }
    }
    caches["default"].clear()
    try:
        _limits(settings, api_user="3/m", api_ip="1000/m")
        token = _token(MembershipFactory(code="kurator"))
        client = Client()
        assert [_api(client, token).status_code for _ in range(4)] == [200, 200, 200, 429]
    finally:
        caches["default"].clear()


@pytest.mark.django_db
def test_behind_the_proxy_each_client_is_counted_by_its_own_address(settings):
    # The reverse proxy (a trusted address) connects for everyone; X-Forwarded-For names
    # the client. A client cannot escape its count by writing an address in front.
    settings.SAMVERKAN_SERVE = {**settings.SAMVERKAN_SERVE, "FORWARDED_ALLOW_IPS": "10.9.9.9"}
    _limits(settings, api_user="1000/m", api_ip="2/m")
    token = _token(MembershipFactory(code="kurator"))
    client = Client()

    def call(forwarded):
        return client.get(
            "/api/forums",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    assert [call("192.0.2.1"), call("198.51.100.7, 192.0.2.1")] == [200, 200]
    assert call("203.0.113.5, 192.0.2.1") == 429  # the same client, a forged prefix
    assert call("192.0.2.2") == 200  # another client behind the same proxy
    # Not from the proxy: the header is not believed.
    direct = client.get(
        "/api/forums",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        REMOTE_ADDR="192.0.2.50",
        HTTP_X_FORWARDED_FOR="192.0.2.1",  # used up above, but not believed here
    )
    assert direct.status_code == 200


def test_no_page_sends_a_personnummer_in_a_url():
    # Forms sent with GET put their fields in the URL, where proxies, browsers and access
    # logs keep them: none may carry a personnummer, and no link may build one.
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r"[?&](personnummer|personal_number)=", text):
            offenders.append(f"{template.relative_to(root)}: link")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S | re.I):
            is_get = not re.search(r'method="post"', form, flags=re.I)
            if is_get and re.search(r"personnummer|personal_number", form):
                offenders.append(f"{template.relative_to(root)}: form")
    assert not offenders, offenders
