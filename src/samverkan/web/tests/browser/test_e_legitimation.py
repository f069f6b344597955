"""Logging in with e-legitimation in a real browser: Chromium on the production stack
(`samverkan serve` over HTTPS, production settings, a scratch database set up with
`samverkan setup`) and the test OpenID provider on loopback. The system administrator
logs in, creates an organisation on the administration pages (checked with axe-core),
and logs out of both Samverkan and the provider; an unknown person is refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .. import journey, oidc
from ..stack import production_stack
from . import a11y
from .conftest import record_a11y, watch

pytestmark = [pytest.mark.browser, pytest.mark.stack]


@pytest.fixture(scope="module")
def stack(stack_static, chromium):
    try:
        with production_stack(
            setup_args=journey.SETUP_ARGS,
            accounts=journey.provider_accounts(),
            static_root=stack_static,
        ) as running:
            yield running
    except oidc.ProviderUnavailable as exc:
        if oidc.in_ci():
            raise
        pytest.skip(str(exc))


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(
        base_url=stack.base_url,
        ignore_https_errors=True,  # the stack's certificate is made for the test
        locale="sv-SE",
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,  # axe-core is added to each page (the app's CSP is tested elsewhere)
    )
    context.set_default_timeout(20_000)
    a11y.install(context)
    page = context.new_page()
    errors = watch(page)
    yield page
    context.close()
    assert not errors, errors


def _log_in_with_e_legitimation(page, account: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/logga-in/"))
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    # At the provider: identify, as with a card or an app.
    expect(page.get_by_role("heading", name="Testleverantör av e-legitimation")).to_be_visible()
    page.get_by_label("Konto").fill(account)
    page.get_by_label("Tillitsnivå").select_option(label="LoA 3")
    page.get_by_role("button", name="Legitimera").click()


def _no_violations(page, where: str, found: dict) -> None:
    a11y.settle(page)
    result = a11y.violations(page)
    if result:
        found[where] = result


def test_system_administrator_logs_in_administers_and_logs_out(page, stack):
    _log_in_with_e_legitimation(page, "sam")
    expect(page.locator(".who-name")).to_have_text("Sam Systemsson")
    expect(page.locator(".who-role")).to_contain_text("Systemadministratör")

    found: dict = {}
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    _no_violations(page, "administration", found)

    page.get_by_role("link", name="Ny organisation").click()
    _no_violations(page, "ny organisation", found)
    page.get_by_label("Namn").fill("Förskolan Blåklockan")
    page.get_by_label("Typ av verksamhet").select_option(label="Förskola")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="Förskolan Blåklockan", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Förskolan Blåklockan är sparad")
    _no_violations(page, "organisationssida", found)

    page.get_by_role("link", name="Ny person").click()
    _no_violations(page, "ny person", found)
    page.get_by_role("button", name="Spara").click()  # empty: the errors are explained
    expect(page.get_by_role("alert")).to_contain_text("Formuläret innehåller fel")
    _no_violations(page, "ny person med fel", found)

    page.goto("/administration/import/")
    _no_violations(page, "import", found)
    record_a11y("systemadministratör (e-legitimation)", 6, len(found))
    assert not found, a11y.report(found)

    # Logging out ends the provider's session too (single logout).
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/session/end"))
    page.get_by_role("button").first.click()  # the provider asks: sign out?
    expect(page).to_have_url(re.compile(re.escape(stack.base_url) + r"/logga-in/"))
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    expect(page.get_by_role("heading", name="Testleverantör av e-legitimation")).to_be_visible()


def test_unknown_person_is_refused_in_swedish(page, stack):
    _log_in_with_e_legitimation(page, "okand")
    expect(page.get_by_role("alert")).to_contain_text("Du är inte upplagd i Samverkan")
    expect(page.get_by_role("link", name="Logga in med e-legitimation")).to_be_visible()
