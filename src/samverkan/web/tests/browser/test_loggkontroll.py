"""Loggkontroll: social services' auditor follows up who in the organisation read
Melwin's data, and on what ground."""

import re

import pytest
from playwright.sync_api import expect

from samverkan.demo.world import born, fictional_number

from .actions import search_children

pytestmark = pytest.mark.browser

MELWIN = fictional_number(born(14, 100), 231)


def test_auditor_sees_a_read_with_its_ground_per_child_and_per_user(page_as, shot):
    # Sofia, socialsekreterare, reads Melwin's overview: social services has no matter
    # of its own; the parents' consent is the ground.
    sofia = page_as("sofia")
    search_children(sofia, MELWIN)
    sofia.get_by_role("link", name="Melwin Andersson").click()
    expect(sofia.get_by_text("Du ser barnet med stöd av")).to_contain_text("amtycke")

    gustav = page_as("gustav")
    gustav.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Loggkontroll"
    ).click()
    expect(gustav.get_by_role("heading", level=1)).to_have_text("Loggkontroll")
    shot(gustav, "flow-audit-01-index")

    gustav.get_by_label("Barnets personnummer").fill(MELWIN)
    gustav.get_by_role("button", name="Visa logg").first.click()
    expect(gustav.get_by_role("heading", level=1)).to_have_text("Logg per barn")
    log = gustav.get_by_role("table", name="Åtkomst från din organisation")
    sofia_rows = log.get_by_role("row").filter(has_text="Sofia Karlsson")
    expect(sofia_rows.first).to_be_visible()
    expect(sofia_rows.filter(has_text=re.compile("Samtycke")).first).to_be_visible()
    shot(gustav, "flow-audit-02-child-log")

    with gustav.expect_download() as download:
        gustav.get_by_role("button", name="Exportera som CSV").click()
    csv = download.value.path().read_text(encoding="utf-8-sig")
    assert "Sofia" in csv
    assert MELWIN not in gustav.url  # the number travels in the form, not the address

    # The extract for a guardian is a draft until the secrecy review is recorded.
    gustav.get_by_role(
        "button", name="Gör utdrag till barnet eller vårdnadshavare (sekretessprövas)"
    ).click()
    expect(gustav.get_by_role("heading", level=1)).to_have_text("Sekretessprövning av loggutdrag")
    expect(gustav.get_by_role("main")).to_contain_text("Melwin Andersson")
    gustav.get_by_label("Skäl för prövningen").fill(
        "Inget i raderna omfattas av sekretess mot vårdnadshavarna."
    )
    gustav.get_by_role("button", name="Spara sekretessprövningen").click()
    expect(gustav.get_by_role("main")).to_contain_text("Sekretessprövat")
    gustav.get_by_role("link", name="Skriv ut utdraget").click()
    expect(gustav.get_by_role("heading", level=1)).to_have_text(
        "Utdrag: vem har tagit del av uppgifterna?"
    )
    expect(gustav.get_by_role("main")).to_contain_text("Melwin Andersson")
    shot(gustav, "flow-audit-03-extract")

    gustav.goto("/logg/")
    gustav.get_by_label("Användarnamn").fill("sofia")
    gustav.get_by_role("button", name="Visa logg").nth(1).click()
    expect(gustav.get_by_role("heading", level=1)).to_have_text("Logg per användare")
    expect(gustav.get_by_role("table", name="Vad sofia har tagit del av")).to_contain_text(
        "Melwin Andersson"
    )
    shot(gustav, "flow-audit-04-user-log")


def test_loggkontroll_is_not_offered_to_other_functions(page_as):
    sofia = page_as("sofia")
    expect(
        sofia.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Loggkontroll")
    ).to_have_count(0)
    assert sofia.goto("/logg/").status == 404
