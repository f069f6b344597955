"""Foreign eIDs through eIDAS in the family portal (decision 0310), against the real
test OpenID provider issuing eIDAS identities (prid, eIDAS identifier, country and,
for some, the Swedish number the eIDAS node bound to them): a login by the mapped
number with the eIDAS level recorded; without one, the page that tells the person what
to do and shows their code; staff linking that code to their guardian record after
checking identity in person, the person then signing as that guardian, and the link
ended by staff taking effect at once."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from samverkan.directory.tests.factories import MembershipFactory
from samverkan.people.tests.factories import ChildFactory
from samverkan.web.oidc import discovery
from samverkan.web.tests import oidc

from .conftest import born, sign_form
from .factories import CustodyFactory, GuardianFactory, adult_number

AuditEvent = apps.get_model("audit", "AuditEvent")
FamilyAccount = apps.get_model("portal", "FamilyAccount")
GuardianEidasLink = apps.get_model("people", "GuardianEidasLink")

RP = "http://testserver"
CALLBACK = f"{RP}/familj/logga-in/svar/"
PORTAL_CLIENT = "samverkan-familj"
PORTAL_SECRET = "portal-test-secret-never-used-anywhere-else"
KLAUS = "DE:klaus0273"


def young_number(years: int) -> str:
    from samverkan.demo.world import fictional_number

    return fictional_number(born(years), 981)


@pytest.fixture(scope="module")
def provider(django_db_blocker):
    accounts = {
        "anna": oidc.eidas_account(
            "DE:anna0142", country="DE", name="Anna Schmidt", mapped_personnummer=adult_number(4101)
        ),
        "klaus": oidc.eidas_account(KLAUS, country="DE", name="Klaus Müller"),
        "young": oidc.eidas_account(
            "NO:ung0001", country="NO", name="Ola Nordmann", mapped_personnummer=young_number(13)
        ),
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


def _login(client, login: str, acr: str = oidc.EIDAS_SUB):
    response = client.get("/familj/logga-in/e-legitimation/")
    assert response.status_code == 302, response.content[:300]
    callback = oidc.ProviderBrowser().authorise(
        response["Location"], login=login, acr=acr, until=CALLBACK
    )
    return client.get(callback[len(RP) :])


def _foreign_guardian(family):
    """Jonas as the school recorded him: a guardian with no Swedish number."""
    jonas = family.guardians[1]
    type(jonas).objects.filter(pk=jonas.pk).update(personal_number="")
    jonas.refresh_from_db()
    return jonas


def _staff(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def _link_url(family, guardian):
    return reverse("people:eidas_link", args=[family.child.public_id, guardian.public_id])


def _link_data(guardian, **changes) -> dict:
    prefix = f"g{guardian.public_id.hex[:12]}-eidas"
    data = {"identifier": KLAUS, "checked_how": "pass", "confirm": "on", **changes}
    return {f"{prefix}-{k}": v for k, v in data.items() if v is not None}


def test_a_mapped_number_logs_in_as_that_guardian_with_the_eidas_level(client, configured, family):
    maria = family.guardians[0]
    type(maria).objects.filter(pk=maria.pk).update(personal_number=adult_number(4101))
    mark = AuditEvent.objects.latest("id").id

    response = _login(client, "anna", acr=oidc.EIDAS_HIGH)

    assert response.status_code == 302 and response["Location"] == "/familj/"
    entry = client.session["samverkan_portal"]
    assert entry["level"] == 4 and entry["eidas"] is True and entry["country"] == "DE"
    account = FamilyAccount.objects.get(personal_number=adult_number(4101))
    assert account.eidas_identifier == "DE:anna0142" and account.eidas_country == "DE"
    login = AuditEvent.objects.filter(id__gt=mark, action="login").get()
    assert login.assurance_level == "loa4"
    assert login.details["eidas"] is True and login.details["by"] == "mapped_number"
    assert "DE:anna0142" not in str(login.details)
    assert family.child.full_name in client.get("/familj/").content.decode()


def test_an_eidas_login_without_a_number_is_told_what_to_do_and_gets_no_account(
    client, configured, family
):
    _foreign_guardian(family)
    accounts = FamilyAccount.objects.count()
    mark = AuditEvent.objects.latest("id").id

    response = _login(client, "klaus")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Du loggade in med en utländsk e-legitimation" in page
    assert "Ta med ditt pass eller ditt nationella id-kort" in page
    assert f'<code id="eidas-code">{KLAUS}</code>' in page
    assert FamilyAccount.objects.count() == accounts
    assert "samverkan_portal" not in client.session
    row = AuditEvent.objects.filter(id__gt=mark, action="login_failed").get()
    assert row.reason == "eidas_not_linked"


def test_staff_link_the_code_the_guardian_signs_and_an_ended_link_ends_at_once(
    client, configured, family
):
    jonas = _foreign_guardian(family)
    staff = _staff(family.kurator)
    form_page = staff.get(
        reverse("people:form_guardian", args=[family.child.public_id, jonas.public_id])
    )
    assert "Utländsk e-legitimation" in form_page.content.decode()

    # Bad input: a Swedish error at the field, what was typed kept, nothing linked.
    refused = staff.post(
        _link_url(family, jonas), _link_data(jonas, identifier="klaus", checked_how="")
    )
    text = refused.content.decode()
    assert refused.status_code == 422
    assert "Koden ser inte ut som en kod från e-tjänsten" in text or "Välj" in text
    assert 'value="klaus"' in text
    assert not GuardianEidasLink.objects.exists()

    mark = AuditEvent.objects.latest("id").id
    done = staff.post(_link_url(family, jonas), _link_data(jonas, identifier=" de:klaus0273 "))
    assert done.status_code == 302
    link = GuardianEidasLink.objects.get()
    assert (link.guardian_id, link.identifier, link.country) == (jonas.pk, KLAUS, "DE")
    assert link.issuer == configured.issuer and link.checked_how == "pass"
    assert link.linked_by_id == family.kurator.user_id
    audit = AuditEvent.objects.filter(
        id__gt=mark, resource_type="people.guardianeidaslink", action="create"
    ).get()
    assert audit.subject_id == str(family.child.public_id)
    # The same code again is refused at the field.
    again = staff.post(_link_url(family, jonas), _link_data(jonas))
    assert again.status_code == 422
    assert "redan kopplad" in again.content.decode()

    response = _login(client, "klaus")
    assert response.status_code == 302
    assert client.session["samverkan_portal"]["eidas"] is True
    assert family.child.full_name in client.get("/familj/").content.decode()
    signed = client.post(
        f"/familj/samtycke/{family.consent.public_id}/skriv-under/",
        sign_form(client, family.consent),
    )
    assert signed.status_code == 302
    giver = family.consent.givers.get()
    assert giver.guardian_id == jonas.pk
    act = apps.get_model("portal", "SigningAct").objects.get()
    assert act.acr == oidc.EIDAS_SUB and act.assurance_level == 3

    ended = staff.post(
        reverse(
            "people:eidas_revoke", args=[family.child.public_id, jonas.public_id, link.public_id]
        ),
        {f"l{link.public_id.hex[:12]}-eidasav-reason": "Fel person."},
    )
    assert ended.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoke_reason == "Fel person."
    # The session in progress loses the child at its next page; a new login is refused.
    assert client.get(f"/familj/barn/{family.child.public_id}/").status_code == 404
    assert _login(Client(), "klaus").status_code == 403


def test_only_the_organisation_that_recorded_the_guardian_links(configured, family):
    jonas = _foreign_guardian(family)
    response = _staff(family.doctor).post(_link_url(family, jonas), _link_data(jonas))
    assert response.status_code == 404
    assert not GuardianEidasLink.objects.exists()


def test_a_linked_eid_reaches_only_that_guardians_children(client, configured, family):
    jonas = _foreign_guardian(family)
    assert _staff(family.kurator).post(_link_url(family, jonas), _link_data(jonas)).status_code == (
        302
    )
    # Another child at the same school, whose guardians are others.
    other = ChildFactory(date_of_birth=born(9))
    CustodyFactory(child=other, guardian=GuardianFactory(organisation=family.school))
    # A child of a guardian with protected identity, in custody of a guardian record
    # that is not linked.
    hidden = ChildFactory(date_of_birth=born(8), protected_identity=True)
    CustodyFactory(
        child=hidden, guardian=GuardianFactory(organisation=family.school, protected_identity=True)
    )
    assert _login(client, "klaus").status_code == 302
    home = client.get("/familj/").content.decode()
    assert family.child.full_name in home
    assert other.full_name not in home and hidden.full_name not in home
    assert client.get(f"/familj/barn/{other.public_id}/").status_code == 404
    assert client.get(f"/familj/barn/{hidden.public_id}/").status_code == 404


def test_a_young_person_under_the_age_is_refused_by_a_mapped_number(client, configured, family):
    ChildFactory(date_of_birth=born(13), personal_number=young_number(13))
    response = _login(client, "young")
    assert response.status_code == 403
    assert "Vi hittar inget barn" in response.content.decode()


def test_a_staff_member_of_another_organisation_sees_no_link_form(configured, family):
    jonas = _foreign_guardian(family)
    other = MembershipFactory(code="kurator", organisation=family.bup)
    page = _staff(other).get(
        reverse("people:form_guardian", args=[family.child.public_id, jonas.public_id])
    )
    assert page.status_code in (403, 404)
