"""Registering a child: search before create, the registration form, the overview of
the new child, adding a guardian, and a second search that finds the child."""

import datetime

import pytest
from playwright.sync_api import expect

from samverkan.demo.world import fictional_number

pytestmark = pytest.mark.browser

NUMBER = fictional_number(datetime.date(2016, 4, 12), 874)
DISPLAY = f"{NUMBER[:8]}-{NUMBER[8:]}"


def test_register_a_new_child_and_add_a_guardian(page, login, shot):
    login(page, "frida")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Barn").click()
    page.get_by_role("link", name="Registrera ett barn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Registrera ett barn i din verksamhet"
    )
    # An invalid number is refused with a reason before anything else.
    page.get_by_label("Personnummer eller samordningsnummer").fill("20160412-0000")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("alert")).to_contain_text("Formuläret innehåller fel")
    shot(page, "flow-register-01-invalid-number")

    page.get_by_label("Personnummer eller samordningsnummer").fill(DISPLAY)
    page.get_by_role("button", name="Sök").click()
    form = page.locator("form[method=post]").filter(has=page.get_by_label("Förnamn"))
    expect(form.get_by_label("Personnummer eller samordningsnummer")).to_have_value(DISPLAY)
    form.get_by_label("Förnamn").fill("Saga")
    form.get_by_label("Efternamn").fill("Lindgren")
    form.get_by_label("Varför har verksamheten kontakt med barnet?").select_option(
        label="Utbildning/omsorg (inskrivning)"
    )
    form.get_by_label("Anteckning").fill("Ny elev i årskurs 4.")
    form.get_by_label("Gatuadress").fill("Lönnvägen 4")
    form.get_by_label("Postnummer").fill("12349")
    form.get_by_label("Ort").fill("Exempelstad")
    shot(page, "flow-register-02-form")
    form.get_by_role("button", name="Registrera", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Saga Lindgren")
    expect(page.get_by_role("status")).to_contain_text("Barnet är registrerat i din verksamhet.")
    expect(page.get_by_text(DISPLAY)).to_be_visible()
    expect(page.get_by_text("Lönnvägen 4, 12349 Exempelstad")).to_be_visible()
    expect(page.get_by_text("Inga vårdnadshavare registrerade.")).to_be_visible()
    shot(page, "flow-register-03-registered")

    page.get_by_text("Lägg till vårdnadshavare").click()
    guardian = page.locator("form").filter(has=page.get_by_label("Vårdnad", exact=True))
    guardian.get_by_label("Förnamn").fill("Karl")
    guardian.get_by_label("Efternamn").fill("Lindgren")
    guardian.get_by_label("Personnummer").fill(fictional_number(datetime.date(1984, 2, 3), 415))
    guardian.get_by_label("Vårdnad", exact=True).select_option(index=0)
    guardian.get_by_label("Telefon").fill("070-111 22 33")
    guardian.get_by_label("E-post").fill("karl.lindgren@example.se")
    shot(page, "flow-register-04-guardian-form")
    guardian.get_by_role("button", name="Lägg till").click()

    expect(page.get_by_role("status")).to_contain_text("Vårdnadshavaren är tillagd.")
    guardians = page.get_by_role("table", name="Vårdnadshavare")
    expect(guardians).to_contain_text("Karl Lindgren")
    expect(guardians).to_contain_text("karl.lindgren@example.se")
    shot(page, "flow-register-05-guardian-added")

    # Search before create now finds the child in the organisation's own register.
    page.goto("/barn/registrera/")
    page.get_by_label("Personnummer eller samordningsnummer").fill(NUMBER)
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("status")).to_contain_text("Barnet finns redan i din verksamhet:")
    expect(page.get_by_role("link", name="Saga Lindgren")).to_be_visible()
    shot(page, "flow-register-06-already-registered")


def test_another_organisation_registering_the_same_child_learns_nothing(page, login):
    # BUP registers the child from the test above (module order): the search tells
    # BUP nothing about Frejaskolan, and BUP's overview shows no guardian Frejaskolan
    # recorded.
    login(page, "lena")
    page.goto("/barn/registrera/")
    page.get_by_label("Personnummer eller samordningsnummer").fill(NUMBER)
    page.get_by_role("button", name="Sök").click()
    form = page.locator("form[method=post]").filter(has=page.get_by_label("Förnamn"))
    expect(form).to_be_visible()
    expect(page.get_by_text("Barnet finns redan")).to_have_count(0)
    expect(page.get_by_text("Frejaskolan", exact=False)).to_have_count(0)
