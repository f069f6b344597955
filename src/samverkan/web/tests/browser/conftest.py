"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against the
real application (``samverkan demo``) on localhost. See docs/testing.md.

- ``app`` (per module): a demo server on a fresh copy of the demo world.
- ``browser`` (per session): headless Chromium from ``CHROMIUM`` (default
  /usr/bin/chromium). Never downloaded: ``playwright install`` is not used. Without
  it the tests fail when ``CI`` is set and are skipped otherwise.
- ``page`` (per test): a new browser context (no cookies) with the page's Content
  Security Policy enforced; any console error (e.g. a CSP violation) fails the test.
- ``login(page, "frida")``, ``shot(page, "flow-...")``.

These tests use no database fixture: everything they check, they check through the
browser. pytest-django runs them after the tests that use the test database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .a11y import settle
from .server import DemoServer, DemoTemplate

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]
PASSWORD = "samverkan-demo"
REPO = Path(__file__).resolve().parents[5]
# Screenshots go to a scratch folder unless SAMVERKAN_SCREENSHOTS names a folder (or is
# "1" for docs/screenshots), so that a test run leaves the checkout unchanged.
SCREENSHOTS_ENV = "SAMVERKAN_SCREENSHOTS"


# (who, pages checked, violations) from the accessibility tests, printed at the end.
A11Y_SUMMARY: list[tuple[str, int, int]] = []


def record_a11y(who: str, pages: int, violations: int) -> None:
    A11Y_SUMMARY.append((who, pages, violations))


# Seconds spent per browser test module (setup, call and teardown), printed at the end.
TIMINGS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    module = report.nodeid.split("::")[0].rpartition("/")[2]
    TIMINGS[module] = TIMINGS.get(module, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.section("browser tests: time per module")
        for module, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{seconds:7.1f}s  {module}")
        terminalreporter.write_line(f"{sum(TIMINGS.values()):7.1f}s  in all")
    if not A11Y_SUMMARY:
        return
    terminalreporter.section("axe-core (WCAG 2.1 A/AA)")
    for who, pages, violations in A11Y_SUMMARY:
        terminalreporter.write_line(f"{who}: {pages} pages checked, {violations} violations")
    total = sum(pages for _, pages, _ in A11Y_SUMMARY)
    found = sum(violations for _, _, violations in A11Y_SUMMARY)
    terminalreporter.write_line(f"total: {total} pages, {found} violations")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


@pytest.fixture(scope="session")
def chromium() -> str:
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = (
        f"Chromium not found at {CHROMIUM}: the browser tests need Debian's Chromium "
        "(apt-get install -y chromium) or CHROMIUM=/path/to/chromium. "
        "Never 'playwright install'."
    )
    if _in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message + " Skipped because CI is not set.")


@pytest.fixture(scope="module")
def browser(chromium):
    """One Chromium per test module. Not per session: Playwright's synchronous API runs
    an event loop in this thread while it is open, and Django refuses database calls
    from a thread with a running loop, so the tests that follow a browser module in the
    same worker process (pytest-xdist) would fail with SynchronousOnlyOperation."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, chromium) -> Iterator[DemoTemplate]:
    template = DemoTemplate(tmp_path_factory.mktemp("browser"), tmp_path_factory)
    try:
        template.prepare()
        yield template
    finally:
        template.cleanup()


@pytest.fixture(scope="module")
def app(demo_template, request) -> Iterator[DemoServer]:
    """A demo server on a fresh copy of the demo world, shared by one test module."""
    server = DemoServer(demo_template, request.module.__name__.rpartition(".")[2])
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    value = os.environ.get(SCREENSHOTS_ENV, "").strip()
    if not value or value == "0":
        return tmp_path_factory.mktemp("screenshots")
    path = REPO / "docs" / "screenshots" if value == "1" else Path(value)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def shot(screenshot_dir) -> Callable:
    """``shot(page, "flow-consent-02-give")`` saves a full-page PNG."""

    def _shot(page, name: str) -> Path:
        assert re.fullmatch(r"[a-z0-9-]+", name), name
        path = screenshot_dir / f"{name}.png"
        settle(page)  # the htmx panels are in place
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def new_context(browser, app, **kwargs):
    context = browser.new_context(
        base_url=app.base_url, locale="sv-SE", viewport={"width": 1280, "height": 900}, **kwargs
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def context(browser, app):
    context = new_context(browser, app)
    yield context
    context.close()


def _reportable(response) -> bool:
    """A failed load of a script, style sheet, image or htmx fragment. Pages a test
    opens on purpose (a 404 for what the user may not see) are checked by the test;
    Chromium asks for /favicon.ico by itself and the product has none."""
    return (
        response.status >= 400
        and response.request.resource_type != "document"
        and not response.url.endswith("/favicon.ico")
    )


def watch(page) -> list[str]:
    """Collect what the browser reports as broken on ``page``: script errors, console
    errors (a Content Security Policy violation is one) and failed sub-resource loads."""
    errors: list[str] = []

    def on_console(message):
        # Failed loads are reported by on_response, with their address.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console error: {message.text}")

    def on_response(response):
        if _reportable(response):
            errors.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("response", on_response)
    return errors


def _assert_clean(errors: list[str]) -> None:
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = watch(page)
    yield page
    _assert_clean(errors)


@pytest.fixture
def page_as(browser, app) -> Iterator[Callable]:
    """``page_as("lena")``: a page in a browser context of its own, logged in as that
    demo user. Several users can act side by side in one test."""
    opened = []

    def _open(username: str):
        context = new_context(browser, app)
        page = context.new_page()
        opened.append((context, watch(page)))
        login(page, username)
        return page

    yield _open
    for context, _ in opened:
        context.close()
    for _, errors in opened:
        _assert_clean(errors)


def login(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form (2FA is off in the development settings)."""
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile(r"/$"))


@pytest.fixture(name="login")
def login_fixture() -> Callable:
    return login
