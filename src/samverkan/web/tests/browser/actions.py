"""What a user does to search: the searches are sent with POST (decision 0091), so the
browser tests fill in the forms rather than open a URL with the query in it."""

from __future__ import annotations


def search_children(page, text: str) -> None:
    """Search on the children page, as a user does: type and press Sök."""
    page.goto("/barn/")
    search = page.get_by_role("search")
    search.get_by_label("Sök på personnummer eller namn").fill(text)
    search.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()


def lookup_for_registration(page, number: str) -> None:
    """Search-before-register: look the number up on the registration page."""
    page.goto("/barn/registrera/")
    page.get_by_label("Personnummer eller samordningsnummer").fill(number)
    page.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()


def loggkontroll_for_child(page, number: str) -> None:
    """Loggkontroll per child (the number is sent with POST), then a draft extract for
    a guardian, which opens the secrecy review page."""
    page.goto("/logg/barn/")
    page.get_by_label("Barnets personnummer").fill(number)
    page.get_by_role("button", name="Visa logg").click()
    page.wait_for_load_state()


def draft_guardian_extract(page, number: str) -> None:
    page.goto("/logg/utdrag/")
    page.get_by_label("Barnets personnummer").fill(number)
    page.get_by_role("button", name="Gör ett utkast").click()
    page.wait_for_load_state()
