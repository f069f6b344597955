"""Login with e-legitimation against a real OpenID Provider (oidc-provider on Node, on
loopback; web/tests/oidc.py): discovery, the code flow with PKCE, the ID token's
signature, nonce, audience and expiry, an unknown person, the level of assurance on the
session and the audit rows, and single logout. Nothing is mocked: Samverkan fetches the
discovery document, exchanges the code and fetches the keys over HTTP."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    StaffIdentityFactory,
    UserFactory,
    staff_personnummer,
)
from samverkan.people.tests.factories import InvolvementFactory
from samverkan.web.oidc import discovery

from . import oidc

AuditEvent = apps.get_model("audit", "AuditEvent")

RP = "http://testserver"
CALLBACK = f"{RP}/logga-in/e-legitimation/svar/"
AFTER_LOGOUT = f"{RP}/logga-in/"

# The people the provider knows. Samverkan knows only those a test registers.
ANNA = staff_personnummer(101)
BO_HSA = "SE2321000016-B0B1"
OKAND = staff_personnummer(102)
DORA = staff_personnummer(103)
EVA_MAIL = "eva.ek@testkommun.example"
ACCOUNTS = {
    "anna": oidc.account(ANNA, name="Anna Andersson"),
    "bo": oidc.account(hsa_id=BO_HSA, name="Bo Berg"),
    "okand": oidc.account(OKAND, name="Okänd Person"),
    # Only a (verified) e-mail address, as some providers release.
    "eva": oidc.account(email=EVA_MAIL, name="Eva Ek"),
    # Dora's personnummer with Bo's HSA-id: two accounts at once.
    "dubbel": oidc.account(DORA, hsa_id=BO_HSA, name="Dora Dubbel"),
}


def _start(mode: str):
    try:
        return oidc.running_provider(
            redirect_uris=[CALLBACK],
            post_logout_redirect_uris=[AFTER_LOGOUT],
            accounts=ACCOUNTS,
            mode=mode,
        )
    except oidc.ProviderUnavailable:
        raise


@pytest.fixture(scope="module")
def provider():
    try:
        with _start("normal") as running:
            yield running
    except oidc.ProviderUnavailable as exc:
        if oidc.in_ci():
            raise
        pytest.skip(str(exc))


def _configure(settings, provider) -> None:
    settings.SAMVERKAN_OIDC = {
        **settings.SAMVERKAN_OIDC,
        "ISSUER": provider.issuer,
        "CLIENT_ID": oidc.CLIENT_ID,
        "CLIENT_SECRET": oidc.CLIENT_SECRET,
        "LEEWAY_SECONDS": 0,
    }
    discovery.clear()


@pytest.fixture
def configured(settings, provider):
    _configure(settings, provider)
    yield provider
    discovery.clear()


@pytest.fixture
def anna(world):
    """Anna: kurator at Frejaskolan, registered with her personnummer; Frejaskolan has
    a matter with one child."""
    identity = StaffIdentityFactory(
        personnummer=ANNA, user=UserFactory(username="anna", first_name="Anna")
    )
    membership = MembershipFactory(
        user=identity.user, organisation=world.organisations["Frejaskolan"]
    )
    involvement = InvolvementFactory(organisation=membership.organisation)
    return identity.user, involvement.child


def _login(client, browser, *, login: str, acr: str = oidc.LOA3):
    response = client.get("/logga-in/e-legitimation/")
    assert response.status_code == 302, response.content[:300]
    authorize = response["Location"]
    callback = browser.authorise(authorize, login=login, acr=acr, until=CALLBACK)
    return authorize, client.get(callback[len(RP) :])


def _refusal(client, browser, *, login="anna", reason: str):
    mark = AuditEvent.objects.latest("id").id
    _, response = _login(client, browser, login=login)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    row = AuditEvent.objects.filter(id__gt=mark, action="login_failed").get()
    assert (row.outcome, row.reason, row.details["method"]) == ("denied", reason, "oidc")
    return response.content.decode()


def test_code_flow_with_pkce_logs_in_the_registered_staff_member(client, configured, anna):
    user, child = anna
    mark = AuditEvent.objects.latest("id").id
    authorize, response = _login(client, oidc.ProviderBrowser(), login="anna")

    # Discovery gave the authorisation endpoint; the request carries state, nonce and
    # an S256 PKCE challenge.
    assert authorize.startswith(f"{configured.issuer}/auth?")
    params = oidc.query(authorize)
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert params["nonce"] and params["state"]
    assert params["client_id"] == oidc.CLIENT_ID
    assert params["redirect_uri"] == CALLBACK

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session["samverkan_auth"]["level"] == 3
    assert client.session["samverkan_auth"]["acr"] == oidc.LOA3

    login_row = AuditEvent.objects.filter(id__gt=mark, action="login").get()
    assert login_row.actor_username == "anna"
    assert login_row.assurance_level == "loa3"
    assert login_row.details["method"] == "oidc"
    assert login_row.details["matched_on"] == "personnummer"
    assert ANNA not in str(login_row.details)  # the personnummer is not logged

    # No TOTP on top of e-legitimation; the child page opens, and its audit row
    # carries the level of assurance.
    page = client.get(f"/barn/{child.public_id}/")
    assert page.status_code == 200
    assert child.first_name in page.content.decode()
    read = AuditEvent.objects.filter(id__gt=mark, subject_id=str(child.public_id)).latest("id")
    assert (read.actor_username, read.outcome, read.assurance_level) == ("anna", "allowed", "loa3")


def test_hsa_id_identifies_a_staff_member_too(client, configured, world):
    identity = StaffIdentityFactory(personnummer=None, hsa_id=BO_HSA)
    MembershipFactory(user=identity.user, organisation=world.organisations["Frejaskolan"])
    _, response = _login(client, oidc.ProviderBrowser(), login="bo")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == identity.user.pk


def test_unknown_person_is_refused_and_never_created(client, configured, anna):
    users = get_user_model().objects.count()
    page = _refusal(client, oidc.ProviderBrowser(), login="okand", reason="unknown")
    assert "Du är inte upplagd i Samverkan" in page
    assert "lokala administratör" in page
    assert get_user_model().objects.count() == users
    row = AuditEvent.objects.filter(action="login_failed").latest("id")
    assert row.details["subject"] == "okand"  # the provider's subject, not the number
    assert OKAND not in str(row.details)


def test_deactivated_account_is_refused(client, configured, anna):
    user, _ = anna
    user.is_active = False
    user.save()
    page = _refusal(client, oidc.ProviderBrowser(), reason="inactive")
    assert "Ditt konto i Samverkan är avslutat" in page


def test_tampered_pkce_verifier_fails_at_the_token_endpoint(client, configured, anna):
    """The code is bound to the PKCE challenge: with another verifier the provider
    refuses to exchange it, and so nobody is logged in."""
    response = client.get("/logga-in/e-legitimation/")
    session = client.session
    states = session["oidc_states"]
    (state,) = states
    states[state]["code_verifier"] = "x" * 64
    session["oidc_states"] = states
    session.save()
    callback = oidc.ProviderBrowser().authorise(response["Location"], login="anna", until=CALLBACK)
    result = client.get(callback[len(RP) :])
    assert result.status_code == 403
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed").latest("id").reason == "provider_error"


def test_a_callback_cannot_be_replayed(client, configured, anna):
    browser = oidc.ProviderBrowser()
    response = client.get("/logga-in/e-legitimation/")
    callback = browser.authorise(response["Location"], login="anna", until=CALLBACK)
    assert client.get(callback[len(RP) :]).status_code == 302
    other = type(client)()  # another browser presenting the same code and state
    replay = other.get(callback[len(RP) :])
    assert replay.status_code == 403
    assert "startades i ett annat fönster" in replay.content.decode()


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("wrong_audience", "wrong_audience"),
        ("expired", "expired"),
        ("wrong_nonce", "wrong_nonce"),
        ("bad_signature", "bad_signature"),
    ],
)
def test_a_token_that_cannot_be_trusted_is_refused(client, settings, anna, mode, reason):
    """The provider misbehaves on purpose (provider.mjs, ``mode``): each real token it
    issues is wrong in one respect, and Samverkan refuses it."""
    try:
        with _start(mode) as bad:
            _configure(settings, bad)
            page = _refusal(client, oidc.ProviderBrowser(), reason=reason)
    except oidc.ProviderUnavailable as exc:
        if oidc.in_ci():
            raise
        pytest.skip(str(exc))
    finally:
        discovery.clear()
    assert "gick inte att lita på" in page


def test_provider_down_gives_a_page_not_an_error(client, settings, anna):
    settings.SAMVERKAN_OIDC = {
        **settings.SAMVERKAN_OIDC,
        "ISSUER": f"http://127.0.0.1:{oidc.free_port()}",
        "CLIENT_ID": oidc.CLIENT_ID,
        "TIMEOUT_SECONDS": 2,
    }
    discovery.clear()
    response = client.get("/logga-in/e-legitimation/")
    assert response.status_code == 403
    assert "svarar inte just nu" in response.content.decode()


def test_low_assurance_logs_in_but_reads_no_personal_data(client, configured, anna):
    _, child = anna
    _, response = _login(client, oidc.ProviderBrowser(), login="anna", acr=oidc.LOA2)
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "lägre tillitsnivå" in home
    page = client.get(f"/barn/{child.public_id}/")
    assert page.status_code == 404
    row = AuditEvent.objects.filter(subject_id=str(child.public_id)).latest("id")
    assert (row.outcome, row.assurance_level) == ("denied", "loa2")
    assert "tillitsnivå" in row.reason


def test_required_level_is_configurable(client, configured, settings, anna):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "REQUIRED_ASSURANCE_LEVEL": 2}
    _, child = anna
    _login(client, oidc.ProviderBrowser(), login="anna", acr=oidc.LOA2)
    assert client.get(f"/barn/{child.public_id}/").status_code == 200


def test_single_logout_ends_the_provider_session_too(client, configured, anna):
    browser = oidc.ProviderBrowser()
    _login(client, browser, login="anna")
    session_key = client.session.session_key

    response = client.post("/logga-ut/")
    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(f"{configured.issuer}/session/end?")
    params = oidc.query(end_session)
    assert params["post_logout_redirect_uri"] == AFTER_LOGOUT
    assert params["id_token_hint"].count(".") == 2
    assert not Session.objects.filter(session_key=session_key).exists()
    assert AuditEvent.objects.filter(action="logout").latest("id").actor_username == "anna"

    back = browser.end_session(end_session, until=AFTER_LOGOUT)
    assert back.startswith(AFTER_LOGOUT)
    # The provider forgot the person: the next login asks again (no single sign-on).
    start = client.get("/logga-in/e-legitimation/")
    again = browser.follow(start["Location"], until=CALLBACK)
    assert again.startswith("page:") and "Legitimera" in again


def test_password_login_only_where_the_organisation_chose_it(client, world, settings):
    membership = MembershipFactory(
        organisation=world.organisations["Frejaskolan"], user=UserFactory(username="test-pia")
    )
    org = membership.organisation
    org.password_login = False
    org.save()
    response = client.post(
        "/logga-in/", {"username": "test-pia", "password": "ett-langt-testlosenord"}
    )
    assert response.status_code == 200
    assert "loggar in med e-legitimation" in response.content.decode()
    assert "_auth_user_id" not in client.session
    org.password_login = True
    org.save()
    response = client.post(
        "/logga-in/", {"username": "test-pia", "password": "ett-langt-testlosenord"}
    )
    assert response.status_code == 302
    assert client.session["samverkan_auth"]["method"] == "password"


def test_login_page_offers_e_legitimation_when_configured(client, configured, world):
    page = client.get("/logga-in/").content.decode()
    assert "Logga in med e-legitimation" in page
    assert 'href="/logga-in/e-legitimation/"' in page


@pytest.mark.django_db
def test_password_login_is_the_organisations_choice_and_then_needs_the_second_factor(settings):
    """Where an organisation chose password login, a password is accepted only with
    two-factor login (TOTP) before any personal data; the audit rows say so. Built from
    the factories; production's default (two-factor login required) is switched on."""
    settings.SAMVERKAN = {**settings.SAMVERKAN, "REQUIRE_2FA": True}
    organisation = OrganisationFactory(password_login=False)
    member = MembershipFactory(organisation=organisation, code="kurator")
    child = InvolvementFactory(organisation=organisation).child
    credentials = {"username": member.user.username, "password": "ett-langt-testlosenord"}

    client = Client()
    refused = client.post("/logga-in/", credentials)
    assert "loggar in med e-legitimation" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    organisation.password_login = True
    organisation.save()
    response = client.post("/logga-in/", {**credentials, "next": f"/barn/{child.public_id}/"})
    assert response["Location"].startswith("/tvastegsverifiering/aktivera/")
    # The password alone opens nothing.
    assert client.get(f"/barn/{child.public_id}/")["Location"].startswith(
        "/tvastegsverifiering/aktivera/"
    )
    client.get("/tvastegsverifiering/aktivera/")
    device = TOTPDevice.objects.get(user=member.user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client.post("/tvastegsverifiering/aktivera/", {"code": f"{totp.token():06d}"})
    page = client.get(f"/barn/{child.public_id}/")
    assert page.status_code == 200
    row = AuditEvent.objects.filter(subject_id=str(child.public_id)).latest("id")
    assert (row.outcome, row.assurance_level) == ("allowed", "password+totp")


def test_e_mail_identifies_only_when_switched_on(db, client, configured, settings):
    """A verified e-mail address from the provider is matched only with
    ``SAMVERKAN_OIDC_MATCH_EMAIL`` (for providers that verify it)."""
    user = MembershipFactory(
        organisation=OrganisationFactory(), user=UserFactory(username="eva", email=EVA_MAIL)
    ).user
    _refusal(client, oidc.ProviderBrowser(), login="eva", reason="unknown")
    settings.SAMVERKAN_OIDC = {**settings.SAMVERKAN_OIDC, "MATCH_EMAIL": True}
    mark = AuditEvent.objects.latest("id").id
    _, response = _login(client, oidc.ProviderBrowser(), login="eva")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    row = AuditEvent.objects.filter(id__gt=mark, action="login").get()
    assert row.details["matched_on"] == "email"


def test_claims_that_point_at_two_accounts_are_refused(db, client, configured):
    organisation = OrganisationFactory()
    for number, hsa_id in ((DORA, None), (None, BO_HSA)):
        identity = StaffIdentityFactory(personnummer=number, hsa_id=hsa_id)
        MembershipFactory(user=identity.user, organisation=organisation)
    page = _refusal(client, oidc.ProviderBrowser(), login="dubbel", reason="ambiguous")
    assert "mer än ett personalkonto" in page
