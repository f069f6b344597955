"""Keyboard only: Tab, Shift+Tab, Enter and Space, never the mouse. The skip link
works, every element that takes focus shows it, and the main flow goes from the login
form through a search and the child overview to a submitted consent."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MAX_TABS = 120

# What the focused element is called and whether its focus can be seen: an outline or
# a box shadow that is not "none".
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: (label || el.getAttribute("aria-label") || el.innerText || el.value || "").trim(),
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    visible: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
             || style.boxShadow !== "none",
    inView: (() => { const r = el.getBoundingClientRect();
                     return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
                            && r.top < innerHeight && r.left < innerWidth; })(),
  };
}"""


def focused(page) -> dict | None:
    return page.evaluate(_FOCUSED)


def tab_to(page, name, *, tag: str | None = None) -> dict:
    """Press Tab until the focused element's name matches; every stop on the way must
    show its focus and be scrolled into view."""
    pattern = re.compile(name) if isinstance(name, str) else name
    hidden = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = focused(page)
        if element is None:
            continue
        if not (element["visible"] and element["inView"]):
            hidden.append(element)
        if pattern.search(element["name"]) and (tag is None or element["tag"] == tag):
            assert not hidden, f"focus not visible on: {hidden}"
            return element
    raise AssertionError(f"no element named {name!r} within {MAX_TABS} presses of Tab")


def test_skip_link_is_first_and_moves_focus_to_the_main_content(page, login, shot):
    login(page, "frida")
    page.goto("/barn/")
    page.keyboard.press("Tab")
    element = focused(page)
    assert element["name"] == "Hoppa till huvudinnehållet", element
    assert element["visible"] and element["inView"], element
    shot(page, "flow-keyboard-01-skip-link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert focused(page)["id"] == "main"
    # The next Tab lands inside the main content: the search field, not the menu.
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Sök på personnummer eller namn"


def test_login_search_child_and_give_consent_with_the_keyboard(page, shot):
    page.goto("/logga-in/")
    # The user name field has focus when the page opens.
    assert focused(page)["id"] == "id_username"
    page.keyboard.type("frida")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type("samverkan-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Frida Ek")

    tab_to(page, "^Personnummer eller namn$", tag="input")
    page.keyboard.type("Noah")
    page.keyboard.press("Enter")
    # Sent with POST: the name stays out of the URL.
    expect(page).to_have_url(re.compile(r"/barn/$"))
    tab_to(page, "^Noah Berg$", tag="a")
    shot(page, "flow-keyboard-02-result-focused")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Noah Berg")

    # The consent panel arrives with htmx; then its link is reachable by Tab.
    panel = page.get_by_role("region", name="Samtycken och aktörer")
    expect(panel.get_by_role("link", name="Registrera samtycke")).to_be_visible()
    tab_to(page, "^Registrera samtycke$", tag="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera samtycke – Noah Berg")

    for label in ["^BUP$", "^Hälsa$", "^Allmän samverkan$"]:
        tab_to(page, label, tag="input")
        page.keyboard.press("Space")
    tab_to(page, "^Mikael Berg", tag="input")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page)["name"].startswith("Linnea Berg")
    page.keyboard.press("Space")
    expect(page.get_by_label("BUP")).to_be_checked()
    expect(page.get_by_label("Linnea Berg (vårdnadshavare)")).to_be_checked()
    tab_to(page, "^Registrera samtycket$", tag="button")
    shot(page, "flow-keyboard-03-consent-submit-focused")
    page.keyboard.press("Enter")

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(re.compile(r"Samtycke \S+ – Noah Berg"))
    expect(heading).to_contain_text("gäller")

    # Folded sections open with the keyboard too: the revoke form in its <details>.
    tab_to(page, "^Återkalla samtycket$", tag="summary")
    page.keyboard.press("Enter")
    expect(page.get_by_role("group", name="Vem återkallar?")).to_be_visible()
    shot(page, "flow-keyboard-04-revoke-opened")
