"""The family portal on a phone-sized screen with the keyboard only (issue 17, WCAG 2.1
AA): Anna, Melwin's mother, logs in and goes from the skip link through her children
to Melwin's SIP; every stop on the way shows its focus; she sends "what is important to
you" empty (the error is announced, focus lands on it and the text field is reachable
from it), then with text; she answers the call and downloads the plan's PDF — Tab,
Shift+Tab, Enter and Space, never the mouse on the product's pages (the test identity
provider's own form is filled as in the other portal tests). axe-core checks every
portal page on the way, the error page included. The coordinator's colleague at the
school sees Anna's words on the plan page.

The second test fills the portal's pages that need staff to act first, and checks them
with axe-core: the coordinator sets the next follow-up meeting (decision 0336) and the
auditor at social services records the secrecy review of Melwin's log extract; Anna
then reads the extract on "Vem har läst om oss?" and answers the follow-up meeting
(first without a choice: the error is shown at the field)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from samverkan.demo.world import born, fictional_number

from .. import oidc
from . import a11y
from .actions import loggkontroll_for_child
from .conftest import record_a11y, watch
from .server import DemoServer
from .test_accessibility import _OVERFLOW
from .test_keyboard import focused, tab_to

pytestmark = pytest.mark.browser

CLIENT_ID = "samverkan-familj"
CLIENT_SECRET = "portal-keyboard-test-secret"
ANNA = fictional_number(born(42, 40 + 482), 482)
PHONE = {"width": 375, "height": 740}
MELWIN = fictional_number(born(14, 100), 231)
PLACE = "Frejaskolan, rum 204"
WORDS = "Att Melwin får börja senare på måndagar och att vi vet vem vi ska ringa."


@pytest.fixture(scope="module")
def app(demo_template, chromium):
    server = DemoServer(demo_template, "family-keyboard")
    try:
        provider_cm = oidc.running_provider(
            redirect_uris=[f"{server.base_url}/familj/logga-in/svar/"],
            post_logout_redirect_uris=[f"{server.base_url}/familj/logga-in/"],
            accounts={"anna": oidc.account(ANNA, name="Anna Andersson")},
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


def _skip_link_first(page) -> None:
    page.keyboard.press("Tab")
    element = focused(page)
    assert element["name"] == "Hoppa till huvudinnehållet", element
    assert element["visible"] and element["inView"], element
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"


def test_keyboard_only_on_a_phone_from_login_to_the_plan(browser, app, page_as):
    found: dict = {}
    context = browser.new_context(
        base_url=app.base_url, locale="sv-SE", viewport=PHONE, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    a11y.install(context)
    page = context.new_page()
    errors = watch(page)

    # The login page: skip link first, then the e-legitimation link.
    page.goto("/familj/")
    expect(page).to_have_url(re.compile(r"/familj/logga-in/"))
    _checked(page, "logga in (mobil)", found)
    _skip_link_first(page)
    tab_to(page, "Logga in med BankID eller Freja eID", tag="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Testleverantör av e-legitimation")).to_be_visible()
    page.get_by_label("Konto").fill("anna")
    page.get_by_label("Tillitsnivå").select_option(label="LoA 3")
    page.get_by_role("button", name="Legitimera").click()
    expect(page.get_by_role("heading", name="Mina barn", level=1)).to_be_visible()
    _checked(page, "Mina barn (mobil)", found)

    # Mina barn -> Melwin -> his SIP.
    _skip_link_first(page)
    tab_to(page, "Melwin Andersson", tag="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Melwin Andersson", level=1)).to_be_visible()
    _checked(page, "barnet (mobil)", found)
    _skip_link_first(page)
    tab_to(page, re.compile(r"^SIP [0-9a-f]{8}$"), tag="a")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name=re.compile("Samordnad individuell plan"))
    ).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Frejaskolan, elevhälsans konferensrum")
    _checked(page, "planen (mobil)", found)

    # Sent empty: the error is announced, focus is on it, its link leads to the field.
    _skip_link_first(page)
    tab_to(page, "Vad är viktigt för dig?", tag="textarea")
    tab_to(page, "Skicka till samordnaren", tag="button")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Skriv något i rutan innan du skickar.")
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    _checked(page, "planen med fel (mobil)", found)
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "a", focused(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # from the field's anchor into the text field
    if focused(page)["tag"] != "textarea":
        tab_to(page, "Vad är viktigt för dig?", tag="textarea")
    page.keyboard.type(WORDS)
    tab_to(page, "Skicka till samordnaren", tag="button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Samordnaren får läsa det du skrev")
    _checked(page, "planen efter svaret (mobil)", found)

    # The PDF link is reachable and gives the plan.
    _skip_link_first(page)
    tab_to(page, "Ladda ner planen som PDF", tag="a")
    # The PDF is rendered on request (WeasyPrint): allow for a loaded machine.
    with page.expect_download(timeout=60_000) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("sip-")

    record_a11y("familj SIP (portal, mobil, tangentbord)", 6, len(found))
    context.close()
    assert not [e for e in errors if "/familj/" in e], errors
    assert not found, a11y.report(found)

    # The school's kurator, who holds the plan, reads Anna's words on it.
    karin = page_as("karin")
    karin.goto("/sip/")
    karin.get_by_role("row", name=re.compile("Melwin Andersson")).get_by_role(
        "link", name=re.compile(r"^SIP ")
    ).first.click()
    expect(karin.get_by_role("region", name="Från familjen i e-tjänsten")).to_contain_text(WORDS)


def _set_follow_up_meeting(samir, when) -> None:
    samir.goto("/sip/")
    samir.get_by_role("row", name=re.compile("Melwin Andersson")).get_by_role(
        "link", name=re.compile(r"^SIP ")
    ).first.click()
    samir.get_by_role("link", name="Bestäm tid och plats för uppföljningsmötet").click()
    samir.get_by_label("Dag och tid för uppföljningsmötet").fill(f"{when:%Y-%m-%dT%H:%M}")
    samir.get_by_label("Plats").fill(PLACE)
    samir.get_by_role("button", name="Spara tid och plats").click()
    expect(samir.get_by_role("status")).to_contain_text("Uppföljningsmötet är bestämt.")


def _review_extract(gustav) -> None:
    loggkontroll_for_child(gustav, MELWIN)
    gustav.get_by_role(
        "button", name="Gör utdrag till barnet eller vårdnadshavare (sekretessprövas)"
    ).click()
    gustav.get_by_label("Skäl för prövningen").fill(
        "Inget i raderna omfattas av sekretess mot vårdnadshavarna."
    )
    gustav.get_by_role("button", name="Spara sekretessprövningen").click()
    expect(gustav.get_by_role("main")).to_contain_text("Sekretessprövat")


def test_the_follow_up_meeting_and_the_reviewed_log_as_anna_sees_them(browser, app, page_as):
    import datetime

    found: dict = {}
    when = datetime.datetime.now().replace(second=0, microsecond=0) + datetime.timedelta(days=12)
    _set_follow_up_meeting(page_as("samir"), when.replace(hour=14, minute=0))
    _review_extract(page_as("gustav"))

    context = browser.new_context(
        base_url=app.base_url, locale="sv-SE", viewport=PHONE, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    a11y.install(context)
    page = context.new_page()
    errors = watch(page)
    page.goto("/familj/")
    page.get_by_role("link", name="Logga in med BankID eller Freja eID").click()
    page.get_by_label("Konto").fill("anna")
    page.get_by_label("Tillitsnivå").select_option(label="LoA 3")
    page.get_by_role("button", name="Legitimera").click()
    page.get_by_role("link", name="Melwin Andersson").click()

    # The reviewed extract: who read about Melwin, when and on what ground.
    page.get_by_role("link", name="Se vilka verksamheter som har läst uppgifter om barnet").click()
    table = page.get_by_role("table", name="Senaste först")
    expect(table).to_contain_text("Socialtjänsten barn och familj")
    _checked(page, "vem har läst om oss, granskat utdrag (mobil)", found)

    # The plan shows the follow-up meeting and asks whether Anna comes.
    page.get_by_role("link", name="Tillbaka till Melwin Andersson").click()
    page.get_by_role("link", name=re.compile(r"^SIP [0-9a-f]{8}$")).click()
    meeting = page.get_by_role("region", name="Nästa uppföljningsmöte")
    expect(meeting).to_contain_text(PLACE)
    expect(meeting).to_contain_text(f"{when:%Y-%m-%d} 14:00")
    _checked(page, "planen med uppföljningsmöte (mobil)", found)
    answer = page.get_by_role("form", name="Svara om du kommer")
    answer.get_by_role("button", name="Skicka svaret").click()
    expect(page.get_by_role("alert")).to_contain_text("Välj ett svar.")
    _checked(page, "planen, svar på uppföljningsmötet med fel (mobil)", found)
    answer = page.get_by_role("form", name="Svara om du kommer")
    answer.get_by_label("Jag kommer", exact=True).check()
    answer.get_by_role("button", name="Skicka svaret").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("region", name="Nästa uppföljningsmöte")).to_contain_text(
        "Du svarade: Jag kommer"
    )
    _checked(page, "planen efter svaret på uppföljningsmötet (mobil)", found)
    plan_path = page.url

    # WCAG 1.4.10: at 320 CSS pixels no portal page scrolls sideways (a table only
    # inside its own scroll box).
    page.set_viewport_size({"width": 320, "height": 640})
    wide: dict[str, list[str]] = {}
    page.get_by_role("link", name="Tillbaka till Melwin Andersson").click()
    child_path = page.url
    page.get_by_role("link", name=re.compile(r"^Samtycke ")).first.click()
    paths = [page.url, plan_path, child_path, "/familj/", "/familj/meddelanden/"]
    paths.append(child_path + "logg/")
    for path in paths:
        page.goto(path)
        a11y.settle(page)
        if too_wide := page.evaluate(_OVERFLOW):
            wide[path] = too_wide
    context.close()

    record_a11y("familj, uppföljningsmöte och loggutdrag (portal, mobil)", 4, len(found))
    record_a11y("familj at 320 px (reflow)", len(paths), len(wide))
    assert not [e for e in errors if "/familj/" in e], errors
    assert not found, a11y.report(found)
    assert not wide, "wider than 320 CSS pixels:\n" + "\n".join(
        f"{path}: {els}" for path, els in wide.items()
    )
