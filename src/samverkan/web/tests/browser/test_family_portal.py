"""The family portal in a real browser (issue 17, "done when"): the school prepares a
consent for Noah to share with BUP, unsigned; both of Noah's guardians log in to the
portal through the test OpenID provider (the portal's own client) and each signs from
their own login; BUP can then find Noah, with the consent as its ground; one guardian
revokes from a phone-sized viewport; BUP loses Noah at once and the school's inbox
shows the revocation. axe-core checks every portal page on the way.

BUP is the observer because it has no matter of its own about Noah."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from samverkan.demo.world import born, fictional_number

from .. import oidc
from . import a11y
from .conftest import new_context, record_a11y, watch
from .server import DemoServer

pytestmark = pytest.mark.browser

CLIENT_ID = "samverkan-familj"
CLIENT_SECRET = "portal-browser-test-secret"
MIKAEL = fictional_number(born(38, 40 + 771), 771)
LINNEA = fictional_number(born(36, 40 + 802), 802)
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def app(demo_template, chromium):
    """The demo server with the portal's login configured against a test provider."""
    server = DemoServer(demo_template, "family-portal")
    try:
        provider_cm = oidc.running_provider(
            redirect_uris=[f"{server.base_url}/familj/logga-in/svar/"],
            post_logout_redirect_uris=[f"{server.base_url}/familj/logga-in/"],
            accounts={
                "mikael": oidc.account(MIKAEL, name="Mikael Berg"),
                "linnea": oidc.account(LINNEA, name="Linnea Berg"),
            },
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
        )
        provider = provider_cm.__enter__()
    except oidc.ProviderUnavailable as exc:
        if oidc.in_ci():
            raise
        pytest.skip(str(exc))
    server.env.update(
        {
            "SAMVERKAN_PORTAL_OIDC_ISSUER": provider.issuer,
            "SAMVERKAN_PORTAL_OIDC_CLIENT_ID": CLIENT_ID,
            "SAMVERKAN_PORTAL_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        }
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
        provider_cm.__exit__(None, None, None)


def _checked(page, where: str, found: dict) -> None:
    a11y.settle(page)
    if result := a11y.violations(page):
        found[where] = result


def _family_page(browser, app, *, viewport=None):
    context = new_context(browser, app, bypass_csp=True)
    if viewport:
        context.close()
        context = browser.new_context(
            base_url=app.base_url, locale="sv-SE", viewport=viewport, bypass_csp=True
        )
        context.set_default_timeout(15_000)
    a11y.install(context)
    page = context.new_page()
    return context, page, watch(page)


def _portal_login(page, account: str) -> None:
    page.goto("/familj/")
    expect(page).to_have_url(re.compile(r"/familj/logga-in/"))
    page.get_by_role("link", name="Logga in med BankID eller Freja eID").click()
    expect(page.get_by_role("heading", name="Testleverantör av e-legitimation")).to_be_visible()
    page.get_by_label("Konto").fill(account)
    page.get_by_label("Tillitsnivå").select_option(label="LoA 3")
    page.get_by_role("button", name="Legitimera").click()
    expect(page.get_by_role("heading", name="Mina barn", level=1)).to_be_visible()


def _bup_search(page, number: str):
    page.goto("/barn/")
    page.get_by_label("Sök på personnummer eller namn").fill(number)
    page.get_by_role("button", name="Sök").click()


def _open_consent(page):
    page.get_by_role("link", name="Noah Berg").click()
    page.get_by_role("region", name="Samtycken").get_by_role(
        "link", name=re.compile(r"^Samtycke ")
    ).first.click()


def test_both_guardians_sign_then_one_revokes_from_the_phone(browser, app, page_as):
    found: dict = {}
    frida = page_as("frida")
    lena = page_as("lena")
    frida.goto("/barn/")
    frida.get_by_label("Sök på personnummer eller namn").fill("Noah")
    frida.get_by_role("button", name="Sök").click()
    row = frida.get_by_role("row", name=re.compile("Noah Berg"))
    noah_number = row.get_by_role("cell").nth(1).inner_text().strip()

    # The school prepares the consent: no one has signed yet.
    frida.get_by_role("link", name="Noah Berg").click()
    frida.get_by_role("region", name="Samtycken och aktörer").get_by_role(
        "link", name="Registrera samtycke"
    ).click()
    frida.get_by_role("group", name=re.compile("Mellan vilka verksamheter")).get_by_label(
        "BUP"
    ).check()
    frida.get_by_role("group", name="Vilka slags uppgifter?").get_by_label(
        "Skolsituation och närvaro"
    ).check()
    frida.get_by_role("group", name="För vilka syften?").get_by_label("Allmän samverkan").check()
    frida.get_by_label("I vilket sammanhang ges samtycket?").select_option(
        label="Frivilliga råd- och stödinsatser"
    )
    frida.get_by_label("Hur ges samtycket?").select_option(label="Digitalt")
    frida.get_by_role("button", name="Registrera samtycket").click()
    expect(frida.get_by_role("status")).to_contain_text("är registrerat")

    _bup_search(lena, noah_number)
    expect(lena.get_by_role("status")).to_contain_text("Inget barn i din verksamhet matchar")

    # Each guardian signs from their own login.
    pages = []
    for account in ("mikael", "linnea"):
        context, page, errors = _family_page(browser, app)
        pages.append((context, errors))
        _portal_login(page, account)
        _checked(page, f"Mina barn ({account})", found)
        _open_consent(page)
        _checked(page, f"samtycke ({account})", found)
        page.get_by_label("Jag har läst vad samtycket gäller och samtycker till det.").check()
        page.get_by_role("button", name="Skriv under med e-legitimation").click()
        expect(page.get_by_role("status")).to_contain_text("Din underskrift är registrerad")
        _checked(page, f"samtycke efter underskrift ({account})", found)
        context.close()

    # BUP now finds Noah, with the consent as the ground.
    _bup_search(lena, noah_number)
    lena.get_by_role("link", name="Noah Berg").click()
    expect(lena.get_by_text("Du ser barnet med stöd av")).to_contain_text("amtycke")

    # Linnea revokes from her phone.
    context, phone, errors = _family_page(browser, app, viewport=PHONE)
    pages.append((context, errors))
    _portal_login(phone, "linnea")
    _open_consent(phone)
    phone.get_by_label("Jag vill återkalla samtycket.").check()
    phone.get_by_role("button", name="Återkalla samtycket").click()
    expect(phone.get_by_role("status")).to_contain_text("Samtycket är återkallat")
    _checked(phone, "samtycke återkallat (mobil)", found)
    # Where the family asks to be told of news by e-mail or SMS (decision 0339).
    phone.goto("/familj/meddelanden/")
    expect(phone.get_by_role("heading", name="Meddelanden", level=1)).to_be_visible()
    _checked(phone, "meddelanden (mobil)", found)
    context.close()

    # BUP loses Noah at once; the school's inbox shows the revocation.
    _bup_search(lena, noah_number)
    expect(lena.get_by_role("status")).to_contain_text("Inget barn i din verksamhet matchar")
    frida.goto("/inkorg/")
    expect(frida.get_by_role("main")).to_contain_text("Samtycket för Noah Berg har återkallats")

    record_a11y("familj (portal)", 7, len(found))
    for _, errors in pages:
        assert not [e for e in errors if "/familj/" in e], errors
    assert not found, a11y.report(found)
