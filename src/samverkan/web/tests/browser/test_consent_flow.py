"""Consent from start to end: the school registers the parents' consent for Noah to
share with BUP, it shows on the overview, the printable form responds, BUP can now see
Noah with the consent as its ground; then the consent is revoked and BUP no longer sees
him.

BUP is the observer because it has no matter of its own about Noah. (Social services
does: Familjecentralen supports his family, so sofia sees Noah on that ground whatever
the consent says.)"""

import re

import pytest
from playwright.sync_api import expect

from .actions import search_children

pytestmark = pytest.mark.browser


def _noah_number(page) -> str:
    search_children(page, "Noah")
    row = page.get_by_role("row", name=re.compile("Noah Berg"))
    return row.get_by_role("cell").nth(1).inner_text().strip()


def _search(page, number: str):
    page.goto("/barn/")
    page.get_by_label("Sök på personnummer eller namn").fill(number)
    page.get_by_role("button", name="Sök").click()


def test_give_print_and_revoke_a_consent(page_as, shot):
    frida = page_as("frida")
    number = _noah_number(frida)
    lena = page_as("lena")

    # Before: BUP finds nothing, and is not told that anyone else knows Noah.
    _search(lena, number)
    expect(lena.get_by_role("status")).to_contain_text("Inget barn i din verksamhet matchar")
    shot(lena, "flow-consent-01-bup-sees-nothing")

    frida.get_by_role("link", name="Noah Berg").click()
    panel = frida.get_by_role("region", name="Samtycken och aktörer")
    expect(panel).to_contain_text("Det finns inget samtycke som gäller din verksamhet.")
    panel.get_by_role("link", name="Registrera samtycke").click()
    expect(frida.get_by_role("heading", level=1)).to_have_text("Registrera samtycke – Noah Berg")

    frida.get_by_role("group", name=re.compile("Mellan vilka verksamheter")).get_by_label(
        "BUP"
    ).check()
    categories = frida.get_by_role("group", name="Vilka slags uppgifter?")
    categories.get_by_label("Skolsituation och närvaro").check()
    categories.get_by_label("Hälsa").check()
    frida.get_by_role("group", name="För vilka syften?").get_by_label("Allmän samverkan").check()
    frida.get_by_label("Vad samtycket inte omfattar").fill("Inget om syskonen.")
    frida.get_by_label("I vilket sammanhang ges samtycket?").select_option(
        label="Frivilliga råd- och stödinsatser"
    )
    frida.get_by_label("Hur ges samtycket?").select_option(
        label="Skriftligt, undertecknat formulär"
    )
    givers = frida.get_by_role("group", name="Vem har redan samtyckt?")
    givers.get_by_label("Mikael Berg (vårdnadshavare)").check()
    givers.get_by_label("Linnea Berg (vårdnadshavare)").check()
    shot(frida, "flow-consent-02-give")
    frida.get_by_role("button", name="Registrera samtycket").click()

    heading = frida.get_by_role("heading", level=1)
    expect(heading).to_contain_text(re.compile(r"Samtycke \S+ – Noah Berg"))
    expect(heading).to_contain_text("gäller")
    expect(frida.get_by_role("status")).to_contain_text("är registrerat")
    scope = frida.get_by_role("region", name="Vad samtycket omfattar")
    expect(scope).to_contain_text("BUP")
    expect(scope).to_contain_text("Inget om syskonen.")
    shot(frida, "flow-consent-03-given")

    # The printable form: a PDF, logged as a print.
    pdf_link = frida.get_by_role("link", name=re.compile("Samtyckesformulär \\(PDF\\)"))
    response = frida.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # The overview's panel lists the consent as valid.
    frida.get_by_role("link", name="← Noah Berg").click()
    panel = frida.get_by_role("region", name="Samtycken och aktörer")
    expect(panel.get_by_role("link", name=re.compile(r"^Samtycke "))).to_have_count(1)
    expect(panel.get_by_text("gäller", exact=True)).to_be_visible()
    expect(panel).to_contain_text("BUP")
    shot(frida, "flow-consent-04-overview-panel")

    # BUP now sees Noah, with the consent as the ground.
    _search(lena, number)
    lena.get_by_role("link", name="Noah Berg").click()
    expect(lena.get_by_role("heading", level=1)).to_have_text("Noah Berg")
    expect(lena.get_by_text("Du ser barnet med stöd av")).to_contain_text("amtycke")
    child_url = lena.url
    shot(lena, "flow-consent-05-bup-sees-noah")

    # Revoke: one parent is enough.
    frida.get_by_role("region", name="Samtycken och aktörer").get_by_role(
        "link", name=re.compile(r"^Samtycke ")
    ).click()
    frida.get_by_text("Återkalla samtycket", exact=True).click()
    revoke = frida.get_by_role("group", name="Vem återkallar?")
    revoke.get_by_label("Linnea Berg").check()
    frida.get_by_label("Anteckning").fill("Linnea ringde och återkallade samtycket.")
    shot(frida, "flow-consent-06-revoke")
    frida.get_by_role("button", name="Återkalla", exact=True).click()
    expect(frida.get_by_role("status")).to_contain_text(
        "Samtycket är återkallat. Inget mer delas med stöd av det."
    )
    expect(frida.get_by_role("heading", level=1)).not_to_contain_text("gäller")
    expect(frida.get_by_role("region", name="Historik")).to_contain_text(
        "Linnea ringde och återkallade samtycket."
    )
    shot(frida, "flow-consent-07-revoked")

    # Sharing has stopped: BUP's search finds nothing and the overview is gone.
    _search(lena, number)
    expect(lena.get_by_role("status")).to_contain_text("Inget barn i din verksamhet matchar")
    response = lena.goto(child_url)
    assert response.status == 404
    shot(lena, "flow-consent-08-bup-sees-nothing-again")
