"""WCAG 2.1 A/AA with axe-core on every page each main role can reach.

For each role the test logs in and walks the links it is shown, starting from the
start page (a bounded crawl): every page is opened once per Django view, its htmx
panels are loaded and its <details> opened, and axe-core checks it. A few states no
link leads to (search results, a form with errors, a filled-in registration form) are
opened on purpose. A link that leads to an error page fails the test too.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from samverkan.demo.world import born, fictional_number

from . import a11y
from .actions import (
    draft_guardian_extract,
    loggkontroll_for_child,
    lookup_for_registration,
    search_children,
)
from .conftest import PASSWORD, new_context, record_a11y

# a11y: CI runs these on SQLite only; what they check is the same on PostgreSQL (0353).
pytestmark = [pytest.mark.browser, pytest.mark.a11y]

MAX_PAGES = 80
# Reference pages that read no personal data look the same whichever role opens them:
# each of their views is checked by the first role that reaches it.
SHARED = ("knowledge:", "directory:", "web:accessibility")
_shared_seen: set[str] = set()
SKIP_PREFIXES = ("/logga-ut/", "/i18n/", "/api/", "/static/", "/admin/", "/healthz")
SKIP_SUFFIXES = (".pdf", ".csv", ".ics", ".json", ".txt", ".zip", ".xlsx", ".svg")
MELWIN = fictional_number(born(14, 100), 231)
NEW_CHILD = fictional_number(datetime.date(2015, 9, 9), 382)

# The main roles: school, social services, health care, administrator, auditor.
ROLES = {
    "frida": ["/kunskap/sok/?q=samtycke"],  # rektor, Frejaskolan
    "sofia": ["/kunskap/sok/?q=orosanmälan"],  # socialsekreterare
    "lena": [],  # läkare, BUP
    "greta": [  # strategigrupp: agreements, strategy plan, indicators; proposes legal changes
        "/rattsliga-grunder/historik/",
        "/rattsliga-grunder/andringar/",
        "/rattsliga-grunder/andringar/ny/?grund=care_under_18",
    ],
    "adam": [],  # administratör, Frejaskolan
    "gustav": [  # granskare, Socialtjänsten
        "/logg/barn/",  # the child's log is sent with POST (decision 0172)
        "/logg/utdrag/",
        "/logg/anvandare/?username=sofia",
        "/logg/anvandare/?action=read&outcome=denied",
    ],
}
# Searches are sent with POST (decision 0091): done through the form, then checked.
SEARCHES = {
    "frida": ["Melwin", "19000101-0000"],  # an invalid number: the field shows its error
    "sofia": ["Melwin"],
    "lena": ["Melwin"],
}
LOOKUPS = {"frida": [NEW_CHILD]}
# Loggkontroll per child and the secrecy review of an extract (POST, as above).
LOG_LOOKUPS = {"gustav": [MELWIN]}


@pytest.fixture
def axe_page(browser, app):
    context = new_context(browser, app, bypass_csp=True)
    a11y.install(context)
    yield context.new_page()
    context.close()


def _login(page, username):
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def _route(url: str, origin: str) -> str | None:
    """The Django view behind a link we should follow, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
        return None
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return None


def _check(page, url: str, found: dict, broken: list) -> bool:
    response = page.goto(url)
    if response is None or response.status >= 400:
        broken.append(f"{url}: HTTP {response.status if response else '?'}")
        return False
    if "text/html" not in response.headers.get("content-type", ""):
        return False
    a11y.settle(page)
    a11y.open_all_details(page)
    violations = a11y.violations(page)
    if violations:
        found[urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")] = (
            violations
        )
    return True


def _crawl(page, origin: str, start: list[str], extra: list[str]) -> tuple[list, dict, list]:
    checked: list[str] = []
    found: dict[str, list] = {}
    broken: list[str] = []
    for path in extra:
        if _check(page, origin + path, found, broken):
            checked.append(path)
    seen: set[str] = set()
    queue = [origin + path for path in start]
    while queue and len(checked) < MAX_PAGES:
        url = queue.pop(0).split("#")[0]
        view = _route(url, origin)
        if view is None or view in seen or view in _shared_seen:
            continue
        seen.add(view)
        if view.startswith(SHARED):
            _shared_seen.add(view)
        if not _check(page, url, found, broken):
            continue
        checked.append(urlsplit(url).path)
        links = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
        queue.extend(
            link for link in links if _route(link.split("#")[0], origin) not in seen | _shared_seen
        )
    return checked, found, broken


@pytest.mark.parametrize("username", list(ROLES))
def test_every_page_a_role_reaches_has_no_wcag_violations(axe_page, app, username):
    _login(axe_page, username)
    checked, found, broken = _crawl(axe_page, app.base_url, ["/"], ROLES[username])
    for text in SEARCHES.get(username, []):
        search_children(axe_page, text)
        a11y.settle(axe_page)
        if v := a11y.violations(axe_page):
            found[f"/barn/ (sökning: {text})"] = v
        checked.append(f"/barn/ (sökning: {text})")
    for number in LOOKUPS.get(username, []):
        lookup_for_registration(axe_page, number)
        a11y.settle(axe_page)
        if v := a11y.violations(axe_page):
            found["/barn/registrera/ (sökning)"] = v
        checked.append("/barn/registrera/ (sökning)")
    for number in LOG_LOOKUPS.get(username, []):
        for label, action in (
            ("/logg/barn/ (sökning)", loggkontroll_for_child),
            ("/logg/utdrag/<id>/ (sekretessprövning)", draft_guardian_extract),
        ):
            action(axe_page, number)
            a11y.settle(axe_page)
            if v := a11y.violations(axe_page):
                found[label] = v
            checked.append(label)
    record_a11y(username, len(checked), sum(len(v) for v in found.values()))
    assert len(checked) >= 5, checked
    assert not broken, "links lead to error pages:\n" + "\n".join(broken)
    assert not found, f"axe-core found violations as {username}:\n" + a11y.report(found)


def test_pages_without_login_have_no_wcag_violations(axe_page, app):
    found: dict = {}
    broken: list = []
    for path in ["/logga-in/", "/tillganglighet/", "/familj/logga-in/"]:
        _check(axe_page, app.base_url + path, found, broken)
    # The login form with an error.
    axe_page.goto("/logga-in/")
    axe_page.get_by_label("Användarnamn").fill("frida")
    axe_page.get_by_label("Lösenord").fill("fel")
    axe_page.get_by_role("button", name="Logga in").click()
    expect(axe_page.get_by_role("alert")).to_be_visible()
    if v := a11y.violations(axe_page):
        found["/logga-in/ (fel lösenord)"] = v
    record_a11y("(not logged in)", 4, sum(len(v) for v in found.values()))
    assert not broken, broken
    assert not found, a11y.report(found)


def test_forms_with_errors_have_no_wcag_violations(axe_page, app):
    """Submitted empty, the consent form and the registration form show their error
    summary and field errors; those states are checked too."""
    _login(axe_page, "frida")
    found: dict = {}
    search_children(axe_page, "Noah")
    axe_page.get_by_role("link", name="Noah Berg").click()
    axe_page.get_by_role("region", name="Samtycken och aktörer").get_by_role(
        "link", name="Registrera samtycke"
    ).click()
    axe_page.get_by_role("button", name="Registrera samtycket").click()
    expect(axe_page.get_by_role("alert")).to_contain_text("Formuläret innehåller fel")
    if v := a11y.violations(axe_page):
        found["samtycke, tomt formulär"] = v

    lookup_for_registration(axe_page, NEW_CHILD)
    axe_page.get_by_role("button", name="Registrera", exact=True).click()
    expect(axe_page.get_by_role("alert")).to_contain_text("Formuläret innehåller fel")
    if v := a11y.violations(axe_page):
        found["registrera barn, tomt formulär"] = v
    record_a11y("frida (form errors)", 2, sum(len(v) for v in found.values()))
    assert not found, a11y.report(found)


def test_the_checker_finds_violations_when_there_are_some(axe_page, app):
    """Guards against a checker that silently finds nothing: a page with a missing
    language, an image without text, an unlabelled field and grey-on-white text."""
    broken = (
        "<!DOCTYPE html><html><head><title>x</title></head><body><main>"
        '<img src="/static/none.png"><input type="text">'
        '<p style="color:#bbb;background:#fff">Svag kontrast</p></main></body></html>'
    )
    axe_page.route(
        "**/axe-selftest/",
        lambda route: route.fulfill(status=200, content_type="text/html", body=broken),
    )
    axe_page.goto("/axe-selftest/")
    found = {v["id"] for v in a11y.violations(axe_page)}
    assert {"html-has-lang", "image-alt", "label", "color-contrast"} <= found, found


# Content wider than the viewport at 320 CSS pixels (1280 pixels zoomed to 400 %), other
# than inside a container that scrolls on its own (a data table may).
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];
  const scrolls = el => { for (let e = el.parentElement; e; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX; if (o === "auto" || o === "scroll") return true; }
    return false; };
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
    .slice(0, 5)
    .map(el => el.outerHTML.slice(0, 120));
}"""


def test_pages_reflow_at_400_percent_zoom(browser, app):
    """WCAG 1.4.10: at 320 CSS pixels nothing but a data table scrolls sideways."""
    context = new_context(browser, app)
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    wide: dict[str, list[str]] = {}

    def check(path):
        page.goto(path)
        a11y.settle(page)
        if found := page.evaluate(_OVERFLOW):
            wide[path] = found

    check("/logga-in/")
    _login(page, "frida")
    search_children(page, "Noah")
    if found := page.evaluate(_OVERFLOW):
        wide["/barn/ (sökning)"] = found
    page.get_by_role("link", name="Noah Berg").click()
    noah = urlsplit(page.url).path
    for path in [
        "/",
        "/barn/",
        noah,
        noah.replace("/barn/", "/samtycken/barn/") + "nytt/",  # the consent form
        "/barn/registrera/",
        "/katalog/",
        "/kunskap/",
        "/kunskap/aktorer/",
        "/kunskap/begrepp/",
        "/kunskap/checklista/",
        "/kunskap/sok/?q=samtycke",
        "/anmalan/",
        "/sip/",
        "/forum/",
        "/tillganglighet/",
    ]:
        check(path)
    context.close()
    record_a11y("frida at 320 px (reflow)", 17, len(wide))
    assert not wide, "wider than 320 CSS pixels:\n" + "\n".join(
        f"{path}: {els}" for path, els in wide.items()
    )
