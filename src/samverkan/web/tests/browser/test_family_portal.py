"""The family portal in a real browser (issue 17, "done when"): the school prepares a
consent for Noah to share with BUP, unsigned; both of Noah's guardians log in to the
portal through the test OpenID provider (the portal's own client) and each signs from
their own login with the keyboard only; BUP can then find Noah, with the consent as its
ground; one guardian revokes from a phone-sized viewport, again with the keyboard only
(sent first without the tick: the error is announced and takes the focus); BUP loses
Noah at once and the school's inbox shows the revocation. axe-core checks every portal
page on the way, and, in the second test, the pages the main flow does not reach: what
a person with a foreign eID that no one has linked yet is told (decision 0310), and
"Vem har läst om oss?" before and after a request for an extract.

The test identity provider's own form is filled as a user with a mouse would; on the
product's pages the signing and the revocation use Tab, Space and Enter only.

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
from .test_keyboard import focused, tab_to

pytestmark = pytest.mark.browser

CLIENT_ID = "samverkan-familj"
CLIENT_SECRET = "portal-browser-test-secret"
MIKAEL = fictional_number(born(38, 40 + 771), 771)
LINNEA = fictional_number(born(36, 40 + 802), 802)
PHONE = {"width": 375, "height": 740}
KLAUS = "DE:klaus0273"  # a foreign eID (eIDAS) that no staff member has linked


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
                "klaus": oidc.eidas_account(KLAUS, country="DE", name="Klaus Müller"),
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


def _portal_login(page, account: str, *, level: str = "LoA 3", home: bool = True) -> None:
    page.goto("/familj/")
    expect(page).to_have_url(re.compile(r"/familj/logga-in/"))
    page.get_by_role("link", name="Logga in med BankID eller Freja eID").click()
    expect(page.get_by_role("heading", name="Testleverantör av e-legitimation")).to_be_visible()
    page.get_by_label("Konto").fill(account)
    page.get_by_label("Tillitsnivå").select_option(label=level)
    page.get_by_role("button", name="Legitimera").click()
    if home:
        expect(page.get_by_role("heading", name="Mina barn", level=1)).to_be_visible()


def _skip_link_first(page) -> None:
    page.keyboard.press("Tab")
    element = focused(page)
    assert element["name"] == "Hoppa till huvudinnehållet", element
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"


def _open_consent_by_keyboard(page) -> None:
    """Mina barn -> Noah -> his newest consent, with Tab and Enter."""
    _skip_link_first(page)
    tab_to(page, "Noah Berg", tag="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Noah Berg", level=1)).to_be_visible()
    _skip_link_first(page)
    tab_to(page, re.compile(r"^Samtycke "), tag="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^Samtycke "), level=1)).to_be_visible()


def _bup_search(page, number: str):
    page.goto("/barn/")
    page.get_by_label("Sök på personnummer eller namn").fill(number)
    page.get_by_role("button", name="Sök").click()


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
        _open_consent_by_keyboard(page)
        _checked(page, f"samtycke ({account})", found)
        _skip_link_first(page)
        tab_to(page, "Jag har läst vad samtycket gäller och samtycker till det", tag="input")
        page.keyboard.press("Space")
        tab_to(page, "^Skriv under med e-legitimation$", tag="button")
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("Din underskrift är registrerad")
        _checked(page, f"samtycke efter underskrift ({account})", found)
        context.close()

    # BUP now finds Noah, with the consent as the ground.
    _bup_search(lena, noah_number)
    lena.get_by_role("link", name="Noah Berg").click()
    expect(lena.get_by_text("Du ser barnet med stöd av")).to_contain_text("amtycke")

    # Linnea revokes from her phone, with the keyboard only. Sent without the tick
    # first: the error is announced, takes the focus, and nothing is revoked.
    context, phone, errors = _family_page(browser, app, viewport=PHONE)
    pages.append((context, errors))
    _portal_login(phone, "linnea")
    _open_consent_by_keyboard(phone)
    _skip_link_first(phone)
    tab_to(phone, "^Återkalla samtycket$", tag="button")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("alert")).to_contain_text("Kryssa i rutan för att återkalla.")
    phone.wait_for_function("document.activeElement.classList.contains('error-summary')")
    _checked(phone, "samtycke, återkallat utan kryss (mobil)", found)
    tab_to(phone, "Jag vill återkalla samtycket", tag="input")
    phone.keyboard.press("Space")
    tab_to(phone, "^Återkalla samtycket$", tag="button")
    phone.keyboard.press("Enter")
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

    record_a11y("familj (portal)", 8, len(found))
    for _, errors in pages:
        assert not [e for e in errors if "/familj/" in e], errors
    assert not found, a11y.report(found)


def test_pages_off_the_main_flow(browser, app):
    """A foreign eID no one has linked yet is told what to do, with its code (decision
    0310); a guardian reads "Vem har läst om oss?" and asks for an extract."""
    found: dict = {}
    context, page, errors = _family_page(browser, app, viewport=PHONE)
    _portal_login(page, "klaus", level="eidas-sub", home=False)
    expect(page.get_by_role("heading", name="Så kommer du vidare")).to_be_visible()
    expect(page.locator("#eidas-code")).to_have_text(KLAUS)
    _checked(page, "utländsk e-legitimation som inte är kopplad (mobil)", found)
    context.close()

    context, page, more = _family_page(browser, app)
    errors += more
    _portal_login(page, "mikael")
    page.get_by_role("link", name="Noah Berg").click()
    page.get_by_role("link", name="Se vilka verksamheter som har läst uppgifter om barnet").click()
    expect(page.get_by_role("heading", name="Vem har läst om oss?", level=1)).to_be_visible()
    _checked(page, "vem har läst om oss", found)
    page.get_by_role("button", name="Begär loggutdrag").click()
    expect(page.get_by_role("status")).to_contain_text("Din begäran är skickad")
    _checked(page, "vem har läst om oss, efter begäran", found)
    context.close()

    record_a11y("familj, sidor utanför huvudflödet (portal)", 3, len(found))
    assert not [e for e in errors if "/familj/" in e], errors
    assert not found, a11y.report(found)
