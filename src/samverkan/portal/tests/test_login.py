"""The family portal's login against the real test OpenID provider (oidc-provider on
Node, web/tests/oidc.py), as a client of its own: the code flow with PKCE, identity by
personnummer, the portal's own session (no Django user; a staff session ends), a young
person from the configured age, and refusals that create nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from samverkan.web.oidc import discovery
from samverkan.web.tests import oidc

from .conftest import born

AuditEvent = apps.get_model("audit", "AuditEvent")
FamilyAccount = apps.get_model("portal", "FamilyAccount")

RP = "http://testserver"
CALLBACK = f"{RP}/familj/logga-in/svar/"
PORTAL_CLIENT = "samverkan-familj"
PORTAL_SECRET = "portal-test-secret-never-used-anywhere-else"


def young_number() -> str:
    from samverkan.demo.world import fictional_number

    return fictional_number(born(15), 991)


@pytest.fixture(scope="module")
def provider(django_db_blocker):
    from .factories import adult_number

    accounts = {
        "maria": oidc.account(adult_number(4001), name="Maria Testsson"),
        "stranger": oidc.account(adult_number(4002), name="Främling Person"),
        "young": oidc.account(young_number(), name="Ines Testsson"),
    }
    try:
        with oidc.running_provider(
            redirect_uris=[CALLBACK],
            post_logout_redirect_uris=[f"{RP}/familj/logga-in/"],
            accounts=accounts,
            client_id=PORTAL_CLIENT,
            client_secret=PORTAL_SECRET,
        ) as running:
            yield running
    except oidc.ProviderUnavailable as exc:
        if oidc.in_ci():
            raise
        pytest.skip(str(exc))


@pytest.fixture
def configured(settings, provider):
    settings.SAMVERKAN_PORTAL_OIDC = {
        **settings.SAMVERKAN_PORTAL_OIDC,
        "ISSUER": provider.issuer,
        "CLIENT_ID": PORTAL_CLIENT,
        "CLIENT_SECRET": PORTAL_SECRET,
        "LEEWAY_SECONDS": 0,
    }
    discovery.clear()
    yield provider
    discovery.clear()


def _login(client, login: str):
    response = client.get("/familj/logga-in/e-legitimation/")
    assert response.status_code == 302, response.content[:300]
    authorize = response["Location"]
    callback = oidc.ProviderBrowser().authorise(authorize, login=login, until=CALLBACK)
    return authorize, client.get(callback[len(RP) :])


def test_a_guardian_logs_in_with_the_portals_own_client_and_sees_the_child(
    client, configured, family
):
    guardian = family.guardians[0]
    # The provider vouches for Maria's personnummer as the school recorded it.
    from .factories import adult_number

    assert guardian.personal_number != adult_number(4001)
    guardian_number = guardian.personal_number
    type(guardian).objects.filter(pk=guardian.pk).update(personal_number=adult_number(4001))
    FamilyAccount.objects.filter(personal_number=guardian_number).delete()
    users = get_user_model().objects.count()
    mark = AuditEvent.objects.latest("id").id

    authorize, response = _login(client, "maria")
    params = oidc.query(authorize)
    assert params["client_id"] == PORTAL_CLIENT
    assert params["redirect_uri"] == CALLBACK
    assert params["code_challenge_method"] == "S256"
    assert response.status_code == 302 and response["Location"] == "/familj/"
    assert "_auth_user_id" not in client.session  # never a staff account
    assert get_user_model().objects.count() == users
    account = FamilyAccount.objects.get(personal_number=adult_number(4001))
    assert client.session["samverkan_portal"]["account_id"] == account.pk
    assert client.session["samverkan_portal"]["level"] == 3

    page = client.get("/familj/")
    assert family.child.full_name in page.content.decode()
    login = AuditEvent.objects.filter(id__gt=mark, action="login").get()
    assert login.details["client"] == "portal" and login.assurance_level == "loa3"
    assert adult_number(4001) not in str(login.details)
    read = AuditEvent.objects.filter(id__gt=mark, subject_id=str(family.child.public_id)).latest(
        "id"
    )
    assert read.actor_username == login.actor_username and read.actor_user_id is None
    # The staff pages do not open for a family session.
    assert client.get("/barn/").status_code == 302


def test_a_person_with_no_child_is_refused_and_gets_no_account(client, configured, family):
    mark = AuditEvent.objects.latest("id").id
    accounts = FamilyAccount.objects.count()
    _, response = _login(client, "stranger")
    assert response.status_code == 403
    assert "Vi hittar inget barn" in response.content.decode()
    assert FamilyAccount.objects.count() == accounts
    row = AuditEvent.objects.filter(id__gt=mark, action="login_failed").get()
    assert row.reason == "no_children" and row.details["client"] == "portal"


def test_a_young_person_logs_in_from_the_configured_age(client, configured, family, settings):
    child = family.child
    type(child).objects.filter(pk=child.pk).update(
        date_of_birth=born(15), personal_number=young_number()
    )

    settings.SAMVERKAN = {**settings.SAMVERKAN, "PORTAL_OWN_ACCESS_AGE": 16}
    _, refused = _login(client, "young")
    assert refused.status_code == 403

    settings.SAMVERKAN = {**settings.SAMVERKAN, "PORTAL_OWN_ACCESS_AGE": 15}
    _, response = _login(client, "young")
    assert response.status_code == 302
    assert "Mina egna uppgifter" in client.get("/familj/").content.decode()
