"""The knowledge pages: the actor catalogue, the shared glossary and its search, and
the personal checklist ticked off."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_catalogue_glossary_search_and_checklist(page_as, shot):
    page = page_as("karin")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Kunskap").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto("/kunskap/aktorer/")
    catalogue = page.get_by_role("table", name="Aktörer i samverkan kring barn och unga")
    expect(catalogue.get_by_role("row")).not_to_have_count(1)
    shot(page, "flow-knowledge-01-catalogue")
    catalogue.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "flow-knowledge-02-actor")

    page.goto("/kunskap/begrepp/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemensamma begrepp")
    page.get_by_role("search").get_by_label("Sök i kunskapsstödet").fill("anmälningar")
    page.get_by_role("search").get_by_role("button", name="Sök").click()
    hits = page.get_by_role("status")
    expect(hits).to_have_text(re.compile(r"^\d+ träff(ar)?$"))
    assert not hits.inner_text().startswith("0 ")
    expect(page.get_by_role("article").first).to_be_visible()
    shot(page, "flow-knowledge-03-search")

    page.goto("/kunskap/checklista/")
    suggestions = page.get_by_role("group", name="Förslag som är relevanta för mig")
    first, second = (
        suggestions.get_by_role("checkbox").nth(0),
        suggestions.get_by_role("checkbox").nth(1),
    )
    first.check()
    second.check()
    page.get_by_role("button", name="Spara mina val").click()
    mine = page.get_by_role("region", name="Min lista")
    expect(mine.get_by_role("status")).to_have_text("0 av 2 klara.")
    mine.get_by_role("button", name=re.compile("^Markera som klar")).first.click()
    expect(page.get_by_role("region", name="Min lista").get_by_role("status")).to_have_text(
        "1 av 2 klara."
    )
    own = "Boka in ett möte med kontaktsocialsekreteraren"
    page.get_by_label("Lägg till en egen punkt").fill(own)
    page.get_by_role("button", name="Lägg till").click()
    mine = page.get_by_role("region", name="Min lista")
    expect(mine).to_contain_text(own)
    expect(mine.get_by_role("status")).to_have_text("1 av 3 klara.")
    shot(page, "flow-knowledge-04-checklist")
