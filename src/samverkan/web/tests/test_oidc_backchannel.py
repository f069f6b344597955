"""Back-channel logout (decision 0123): a person logs out at the identity provider, the
provider sends Samverkan a signed logout token, and the Samverkan session that login
opened ends. The tokens are the test provider's own (oidc-provider on loopback): it
posts them to a small listener on loopback registered as the client's
``backchannel_logout_uri``, and the test hands each to Samverkan as the provider's
request would. Forged tokens are refused and end nothing. (The production stack test,
web/tests/journey.py step 10, has the provider call `samverkan serve` directly.)"""

from __future__ import annotations

import http.server
import threading
import time
from urllib.parse import parse_qs

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client

from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    StaffIdentityFactory,
    UserFactory,
    staff_personnummer,
)
from samverkan.web.oidc import discovery

from . import oidc

AuditEvent = apps.get_model("audit", "AuditEvent")
ProviderSession = apps.get_model("directory", "ProviderSession")

RP = "http://testserver"
CALLBACK = f"{RP}/logga-in/e-legitimation/svar/"
BACKCHANNEL = "/logga-in/e-legitimation/utloggning/"
EVENT = "http://schemas.openid.net/event/backchannel-logout"
CARIN = staff_personnummer(131)


class _Listener(http.server.BaseHTTPRequestHandler):
    tokens: list[str]

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.server.tokens.append(parse_qs(body)["logout_token"][0])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def listener():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Listener)
    server.tokens = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def provider(listener):
    try:
        with oidc.running_provider(
            redirect_uris=[CALLBACK],
            post_logout_redirect_uris=[f"{RP}/logga-in/"],
            accounts={"carin": oidc.account(CARIN, name="Carin Carlsson")},
            backchannel_logout_uri=f"http://127.0.0.1:{listener.server_address[1]}/bc",
        ) as running:
            yield running
    except oidc.ProviderUnavailable as exc:
        if oidc.in_ci():
            raise
        pytest.skip(str(exc))


@pytest.fixture
def configured(settings, provider):
    settings.SAMVERKAN_OIDC = {
        **settings.SAMVERKAN_OIDC,
        "ISSUER": provider.issuer,
        "CLIENT_ID": oidc.CLIENT_ID,
        "CLIENT_SECRET": oidc.CLIENT_SECRET,
    }
    discovery.clear()
    yield provider
    discovery.clear()


@pytest.fixture
def carin(db):
    """Carin works in two organisations, so she chooses a role after logging in (the
    session gets a new key then)."""
    identity = StaffIdentityFactory(
        personnummer=CARIN, user=UserFactory(username="carin", first_name="Carin")
    )
    for _ in range(2):
        MembershipFactory(user=identity.user, organisation=OrganisationFactory())
    return identity.user


def _log_in(client, browser) -> None:
    start = client.get("/logga-in/e-legitimation/")
    callback = browser.authorise(start["Location"], login="carin", until=CALLBACK)
    assert client.get(callback[len(RP) :]).status_code == 302


def _choose_role(client, user) -> None:
    membership = user.memberships.order_by("pk").first()
    assert client.post("/roll/", {"membership": membership.pk}).status_code == 302


def _logged_in(client) -> bool:
    return client.get("/", follow=False).status_code == 200


def _log_out_at_provider(configured, browser, listener) -> str:
    before = len(listener.tokens)
    end_session = discovery.configuration()["end_session_endpoint"]
    browser.end_session(end_session, until=configured.issuer + "/never")
    deadline = time.monotonic() + 10
    while len(listener.tokens) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(listener.tokens) == before + 1, configured.log()
    return listener.tokens[-1]


def test_logging_out_at_the_provider_ends_the_session_here(configured, listener, carin):
    client, browser = Client(), oidc.ProviderBrowser()
    _log_in(client, browser)
    _choose_role(client, carin)
    assert _logged_in(client)
    key = client.session.session_key
    assert ProviderSession.objects.get().session_key == key  # moved with the new key

    token = _log_out_at_provider(configured, browser, listener)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["events"] == {EVENT: {}}
    assert claims["sid"] == client.session["samverkan_auth"]["sid"]

    mark = AuditEvent.objects.latest("id").id
    answer = Client().post(BACKCHANNEL, {"logout_token": token})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"sessions_ended": 1}
    assert "no-store" in answer["Cache-Control"]
    assert not Session.objects.filter(session_key=key).exists()
    assert not ProviderSession.objects.exists()
    assert client.get("/")["Location"].startswith("/logga-in/")
    row = AuditEvent.objects.filter(id__gt=mark, action="logout").get()
    assert (row.actor_username, row.assurance_level) == ("carin", "loa3")
    assert row.details == {"method": "oidc", "initiated_by": "provider"}

    # The same token again is refused (used once).
    again = Client().post(BACKCHANNEL, {"logout_token": token})
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_request"


def _forged(claims: dict, *, key=None, alg="RS256", headers=None) -> str:
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm=alg, headers=headers)


def test_a_logout_token_that_cannot_be_trusted_ends_nothing(configured, carin):
    client = Client()
    _log_in(client, oidc.ProviderBrowser())
    _choose_role(client, carin)
    record = client.session["samverkan_auth"]
    now = int(time.time())
    genuine = {
        "iss": configured.issuer,
        "aud": oidc.CLIENT_ID,
        "iat": now,
        "exp": now + 120,
        "jti": "x1",
        "sub": record["sub"],
        "sid": record["sid"],
        "events": {EVENT: {}},
    }
    kid = jwt.get_unverified_header(client.session["oidc_id_token"])["kid"]
    attempts = {
        # Someone else's key under the provider's key id.
        "signed by another key": _forged(genuine, headers={"kid": kid}),
        # The client secret is known to the client: never accepted as a signature.
        "HS256 with the client secret": _forged(genuine, key=oidc.CLIENT_SECRET, alg="HS256"),
        "no signature": jwt.encode(genuine, None, algorithm="none"),
        # The ID token of this very login: signed by the provider, but not a logout.
        "an ID token": client.session["oidc_id_token"],
        "no token": "",
    }
    for what, token in attempts.items():
        answer = Client().post(BACKCHANNEL, {"logout_token": token})
        assert answer.status_code == 400, what
        assert _logged_in(client), what
    assert ProviderSession.objects.count() == 1
    assert not AuditEvent.objects.filter(action="logout").exists()
    assert Client().get(BACKCHANNEL).status_code == 405


def test_logging_out_here_forgets_the_providers_session(configured, carin):
    client = Client()
    _log_in(client, oidc.ProviderBrowser())
    assert ProviderSession.objects.count() == 1
    client.post("/logga-ut/")
    assert not ProviderSession.objects.exists()
