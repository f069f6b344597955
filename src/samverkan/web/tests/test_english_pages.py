"""The SIP and forum pages in English (issue 13 item 17): the interface is English, the
``<html lang>`` follows the active language, and what stays Swedish — text people typed,
Swedish-only data — is marked ``lang="sv"`` so that screen readers pronounce it right
(WCAG 2.1 3.1.2, language of parts).

A page is parsed as HTML. Every text node and every visible attribute (aria-label, title,
placeholder) outside a ``lang="sv"`` element is compared with the Swedish source strings
of the English catalogue: a text that *is* one of them (e.g. "Spara", "Behov",
"Långsiktigt mål") was not translated. The worlds are built from the factories."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from samverkan.directory.tests.factories import actor_of
from samverkan.meetings import services as meetings
from samverkan.meetings.tests.factories import ForumFactory, MeetingFactory, convener_of
from samverkan.people.tests.factories import InvolvementFactory
from samverkan.plans.tests.factories import sip_world
from samverkan.web.i18n import catalogue

pytestmark = pytest.mark.django_db

VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Page(HTMLParser):
    """Texts of a page with the language each is in (the nearest ``lang``)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str]] = []  # (language, text)

    def _lang(self) -> str:
        for _, lang in reversed(self.stack):
            if lang:
                return lang
        return ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        lang = attrs.get("lang")
        if tag not in VOID:
            self.stack.append((tag, lang))
        here = lang or self._lang()
        for name in VISIBLE_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append((here, attrs[name]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        text = " ".join(data.split())
        if text:
            self.texts.append((self._lang(), text))


def parse(response) -> _Page:
    assert response.status_code == 200, (response.request["PATH_INFO"], response.status_code)
    page = _Page()
    page.feed(response.content.decode())
    return page


# Labels these pages show from the code (form fields, choices): caught even if a string
# were never marked for translation, and so missing from the catalogue.
KNOWN_LABELS = {
    "Datum för uppföljning",
    "Barnets långsiktiga mål",
    "Kortsiktiga mål",
    "Deltagare på mötet",
    "Verksamhet med huvudansvar",
    "Planerat",
    "Genomfört",
    "Basnivå",
    "Varje månad",
    "Allmän fråga",
    "Upprättad – följs upp",
    "Längd (minuter)",
    "Platsen",
}


@pytest.fixture(scope="module")
def swedish_ui_strings() -> set[str]:
    """The Swedish source strings whose English differs, without their placeholders'
    surroundings: only whole strings without variables are compared."""
    po = catalogue.PACKAGE_DIR / catalogue.CATALOGUE
    found, same = set(KNOWN_LABELS), set()
    for entry in catalogue.parse(po.read_text("utf-8")):
        if "%(" in entry.msgid or entry.msgid_plural or len(entry.msgid) < 3:
            continue
        swedish = " ".join(entry.msgid.split()).rstrip(":")
        english = " ".join(entry.msgstr.get(0, "").split()).rstrip(":")
        # Untranslated and fuzzy entries count as Swedish too: they show as Swedish.
        reviewed = english and not entry.fuzzy
        (same if reviewed and english == swedish else found).add(swedish)
    return found - same  # "SIP:" is "SIP (coordinated individual plan):", "SIP" is "SIP"


def untranslated(page: _Page, swedish: set[str]) -> list[str]:
    return sorted(
        {
            text
            for lang, text in page.texts
            if not lang.startswith("sv") and text.rstrip(":").strip() in swedish
        }
    )


def in_swedish(page: _Page, text: str) -> bool:
    """``text`` appears on the page, and every time inside a ``lang="sv"`` element."""
    hits = [lang for lang, t in page.texts if text in t]
    assert hits, f"{text!r} is not on the page"
    return all(lang.startswith("sv") for lang in hits)


def english_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_html_element_follows_the_active_language():
    world = sip_world()
    client = Client()
    client.force_login(world.holder.user)
    assert parse(client.get("/sip/")).html_lang == "sv"
    client.cookies["django_language"] = "en"
    assert parse(client.get("/sip/")).html_lang == "en"


def test_sip_pages_in_english_have_no_swedish_interface_text(swedish_ui_strings):
    world = sip_world()
    plan, child = world.plan, world.plan.child
    InvolvementFactory(
        child=child, organisation=world.holder.organisation, context="student_health"
    )
    client = english_client(world.holder.user)
    pages = {
        url: parse(client.get(url))
        for url in (
            "/sip/",
            f"/sip/barn/{child.public_id}/",
            f"/sip/barn/{child.public_id}/ny/",
            f"/sip/{plan.public_id}/",
            f"/sip/{plan.public_id}/plan/",
            f"/sip/{plan.public_id}/forberedelse/",
            f"/sip/{plan.public_id}/uppfoljning/",
            f"/sip/{plan.public_id}/dagordning/",
            f"/sip/{plan.public_id}/jamfor/?a=1&b={plan.version}",
        )
    }
    left = {url: untranslated(page, swedish_ui_strings) for url, page in pages.items()}
    assert not any(left.values()), {url: texts for url, texts in left.items() if texts}
    assert all(page.html_lang == "en" for page in pages.values())
    # What people wrote stays as written, marked as Swedish.
    detail = pages[f"/sip/{plan.public_id}/"]
    for typed in ("Komma tillbaka till skolan", "Gå ut nian", "Stödsamtal varannan vecka"):
        assert in_swedish(detail, typed), typed
    assert in_swedish(detail, plan.purpose)
    assert "Needs" in [t for _, t in detail.texts]
    edit = [t for _, t in pages[f"/sip/{plan.public_id}/plan/"].texts]
    assert "Date of follow-up" in edit and "The child's long-term goal" in edit


def test_forum_pages_in_english_have_no_swedish_interface_text(swedish_ui_strings):
    forum = ForumFactory(purpose="Samverkan kring barn i skolåldern i norra området.")
    convener = convener_of(forum)
    meeting = MeetingFactory(forum=forum, starts_in=datetime.timedelta(days=2))
    meetings.item_add(
        actor=actor_of(convener),
        meeting=meeting,
        kind="general",
        title="Rutin vid långvarig frånvaro",
        text="Utkast.",
    )
    past = MeetingFactory(forum=forum, starts_in=-datetime.timedelta(days=7), status="held")
    client = english_client(convener.user)
    pages = {
        url: parse(client.get(url))
        for url in (
            "/forum/",
            f"/forum/{forum.public_id}/",
            f"/forum/mote/{meeting.public_id}/",
            f"/forum/mote/{past.public_id}/",
            "/forum/eskalering/",
            "/forum/kalender/",
        )
    }
    left = {url: untranslated(page, swedish_ui_strings) for url, page in pages.items()}
    assert not any(left.values()), {url: texts for url, texts in left.items() if texts}
    assert all(page.html_lang == "en" for page in pages.values())
    assert in_swedish(pages[f"/forum/{forum.public_id}/"], "norra området")
    assert "Basic level" in [t for _, t in pages[f"/forum/{forum.public_id}/"].texts]
    assert in_swedish(pages[f"/forum/mote/{meeting.public_id}/"], "Rutin vid långvarig frånvaro")


def test_the_check_finds_an_untranslated_label(swedish_ui_strings):
    """The check itself: a page with a Swedish label outside lang="sv" is caught, the same
    text inside a lang="sv" element is not."""
    page = _Page()
    page.feed(
        '<html lang="en"><body><h2>Behov</h2><p lang="sv">Behov</p>'
        '<button aria-label="Spara">x</button></body></html>'
    )
    assert untranslated(page, swedish_ui_strings) == ["Behov", "Spara"]


def test_consent_child_and_knowledge_pages_in_english(world, swedish_ui_strings):
    """The consent pages (panel, give, renew, detail with its explanation), the child's
    overview and the knowledge pages in English: no Swedish interface text, and what
    stays Swedish (typed text, the knowledge base's content) marked ``lang="sv"``. The
    demo world's Melwin (a consent that covers) and Alva (a revoked one) are used, as
    the consent tests do."""
    melwin, alva = world.children["melwin"], world.children["alva"]
    karin = english_client(world.users["karin"])
    panel = parse(karin.get(f"/samtycken/barn/{melwin.public_id}/"))
    page = karin.get(f"/samtycken/barn/{melwin.public_id}/").content.decode()
    consent_id = re.search(r'href="/samtycken/([0-9a-f-]{36})/"', page).group(1)
    fatima = english_client(world.users["fatima"])
    alva_page = fatima.get(f"/samtycken/barn/{alva.public_id}/").content.decode()
    revoked_id = re.search(r'href="/samtycken/([0-9a-f-]{36})/"', alva_page).group(1)
    pages = {
        "panel": panel,
        "give": parse(karin.get(f"/samtycken/barn/{melwin.public_id}/nytt/")),
        "detail": parse(karin.get(f"/samtycken/{consent_id}/")),
        "revoked": parse(fatima.get(f"/samtycken/{revoked_id}/")),
        "renew": parse(fatima.get(f"/samtycken/barn/{alva.public_id}/nytt/?fornya={revoked_id}")),
        "child": parse(karin.get(f"/barn/{melwin.public_id}/")),
        "knowledge": parse(karin.get("/kunskap/")),
        "introduction": parse(karin.get("/kunskap/introduktion/")),
        "concepts": parse(karin.get("/kunskap/begrepp/")),
        "actors": parse(karin.get("/kunskap/aktorer/")),
        "methods": parse(karin.get("/kunskap/metoder/")),
    }
    left = {name: untranslated(page, swedish_ui_strings) for name, page in pages.items()}
    assert not any(left.values()), "\n".join(f"{n}: {t}" for n, t in left.items() if t)
    assert all(page.html_lang == "en" for page in pages.values())
    # The consent's own account, in English; what the family said, marked Swedish.
    detail = [t for _, t in pages["detail"].texts]
    assert any("valid until" in t or "valid to" in t for t in detail), [
        t for t in detail if "alid" in t or "Samtycke" in t or "gäller" in t
    ]
    assert in_swedish(pages["detail"], "slipper berätta allt flera gånger")
    revoked = " ".join(t for _, t in pages["revoked"].texts)
    assert "was revoked" in revoked or "no longer valid" in revoked, revoked
