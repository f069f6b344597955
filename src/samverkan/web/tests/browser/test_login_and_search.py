"""Logging in, a wrong password, searching a child by name and by personnummer, and
the child overview with its consent panel loaded by htmx."""

import re

import pytest
from playwright.sync_api import expect

from .actions import search_children

pytestmark = pytest.mark.browser


def test_wrong_password_shows_the_swedish_error_and_the_right_one_logs_in(page, shot):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/logga-in/\?next=/$"))
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
    shot(page, "flow-login-01-page")

    page.get_by_label("Användarnamn").fill("frida")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Inloggningen misslyckades")
    expect(alert).to_contain_text("Fel användarnamn eller lösenord. Kontrollera och försök igen.")
    expect(page.get_by_label("Användarnamn")).to_have_value("frida")
    shot(page, "flow-login-02-wrong-password")

    page.get_by_label("Lösenord").fill("samverkan-demo")
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Frida Ek")
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_contain_text("Barn")
    shot(page, "flow-login-03-home")

    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/logga-in/$"))
    page.goto("/barn/")
    expect(page).to_have_url(re.compile(r"/logga-in/\?next=/barn/$"))


def test_search_by_name_and_personnummer_then_open_the_overview(page, login, shot):
    login(page, "frida")
    search = page.get_by_role("search")
    search.get_by_label("Personnummer eller namn").fill("Melwin")
    search.get_by_role("button", name="Sök").click()
    # Sent with POST: what was searched for stays out of the URL and the access log.
    expect(page).to_have_url(re.compile(r"/barn/$"))
    results = page.get_by_role("table", name="Sökresultat")
    expect(results.get_by_role("row")).to_have_count(2)  # header and Melwin
    row = results.get_by_role("row", name=re.compile("Melwin Andersson"))
    number = row.get_by_role("cell").nth(1).inner_text().strip()
    assert re.fullmatch(r"\d{8}-\d{4}", number), number
    shot(page, "flow-search-01-by-name")

    page.get_by_label("Sök på personnummer eller namn").fill(number)
    page.get_by_role("button", name="Sök").click()
    expect(results.get_by_role("link", name="Melwin Andersson")).to_be_visible()
    shot(page, "flow-search-02-by-personnummer")

    # Ten digits, without the century, find the same child.
    page.get_by_label("Sök på personnummer eller namn").fill(number[2:])
    page.get_by_role("button", name="Sök").click()
    expect(results.get_by_role("link", name="Melwin Andersson")).to_be_visible()

    results.get_by_role("link", name="Melwin Andersson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Melwin Andersson")
    expect(page).to_have_title(re.compile(r"^Melwin Andersson – Samverkan"))
    expect(page.get_by_text("Du ser barnet med stöd av")).to_contain_text("Frejaskolan")
    guardians = page.get_by_role("table", name="Vårdnadshavare")
    expect(guardians).to_contain_text("Anna Andersson")
    expect(guardians).to_contain_text("Johan Andersson")
    # The consent panel is loaded by htmx after the page.
    panel = page.get_by_role("region", name="Samtycken och aktörer")
    expect(panel.get_by_role("link", name=re.compile(r"^Samtycke "))).to_have_count(1)
    expect(panel.get_by_text("gäller", exact=True)).to_be_visible()
    expect(panel.get_by_role("heading", name="Aktörskarta")).to_be_visible()
    shot(page, "flow-child-01-overview")


def test_a_child_the_organisation_has_no_matter_with_is_not_found(page, login):
    # Liam is known only by BVC: the school's search says nothing about him.
    login(page, "frida")
    search_children(page, "Liam")
    expect(page.get_by_role("status")).to_have_text(
        re.compile("Inget barn i din verksamhet matchar sökningen.")
    )
    expect(page.get_by_role("link", name=re.compile("Liam"))).to_have_count(0)
