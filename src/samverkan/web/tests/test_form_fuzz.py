"""Form fuzzing (issue 13, "Done when"): every form that writes, as a user who is shown
it, gets bad input - empty, 1 MB, NUL, odd Unicode, invalid dates, huge numbers,
another organisation's ids - and must answer without a server error; a refused form is
shown again with what is wrong at the field and what was typed (never a redirect that
empties it).

The forms are found as a user finds them: each role's pages are read (three clicks from
the start pages, following redirects), and every ``<form method="post">`` on them is
fuzzed once per kind of bad input. Besides the demo world's records, a few states are
made so that every form is on some page: a consent that one guardian has still to sign,
a held meeting whose minutes wait to be approved. The URLconf is the checklist: every
route whose view takes a POST must have been reached by some role, or be listed in
``NOT_REACHED`` with the reason (``test_every_post_route_was_fuzzed``).

The same crawl checks "(frivilligt)" (issue 13 item 12): a field marked optional is
not required by the browser, a required one is not marked optional, every other field
is one or the other, and a form sent with only its required fields filled is not
refused for an empty optional field."""

from __future__ import annotations

import datetime
import html
import re
import time

import pytest
from django.db import transaction
from django.test import Client, override_settings

from samverkan.consent import services as consent
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
from samverkan.meetings import selectors as meetings_selectors
from samverkan.meetings import services as meetings
from samverkan.meetings.tests.factories import MeetingFactory
from samverkan.people import selectors as people_selectors

from .formfuzz import (
    ODD,
    OPTIONAL,
    bad_inputs,
    crawl,
    marking_problems,
    plausible_data,
    posting_routes,
)
from .formfuzz import bad_data as _data
from .formfuzz_states import STATES

pytestmark = pytest.mark.django_db

ROLES = [
    "frida",  # rektor: reports, children, SIP
    "maria",  # mottagning: intake
    "sofia",  # socialsekreterare
    "lena",  # BUP
    "samir",  # samordnare: forums, meetings, minutes
    "adam",  # Frejaskolan's local administrator, knowledge editor
    "karin",  # kurator: consents for Melwin
    "fatima",  # förskolechef: Alva's revoked consent, renewal
    "gustav",  # granskare: loggkontroll
    "greta",  # strategigrupp: agreements, strategy plan
    "sysadmin",  # system administrator (a factory membership)
    "visitor",  # not logged in: the public report form, the login page
]
STARTS = [
    "/",
    "/anmalan/",
    "/anmalan/mottagning/",
    "/anmalan/ny/",
    "/anmalan/muntlig/",
    "/administration/",
    "/administration/gallring/",
    "/sip/",
    "/forum/",
    "/kunskap/",
    "/barn/",
    "/avtal/",
    "/strategi/",
    "/logg/",
    "/katalog/",
    "/kunskap/faktorer/",
    "/kunskap/metoder/",
    "/kunskap/forslag/",
    "/kunskap/motesplatser/",
]
# Pages whose every link is read: the forum's meetings (planned, held, approved) and
# the knowledge meeting places, the strategy plan's indicators.
EXPAND = ("forum/<uuid:forum_id>/", "kunskap/motesplatser/", "strategi/<uuid:plan_id>/")
VISITOR_STARTS = ["/anmalan/privatperson/", "/logga-in/"]
# Searches write nothing: any text is a search, answered with what matched.
SEARCHES = {"", "barn/", "logg/barn/", "logg/anvandare/"}
# Routes that take a POST but that no role's pages lead to, and why.
NOT_REACHED: dict[str, str] = {
    "i18n/setlang/": "Django's language choice: it sets a cookie and redirects",
    "logga-ut/": "logging out ends the crawl's session",
    "logga-in/kod/": "the second step of a login with two-factor, off in the test settings",
    "tvastegsverifiering/aktivera/": "two-factor setup, off in the test settings",
    "logg/export.csv": "a CSV download, not a page: tested in audit/tests",
    "familj/logga-ut/": "family portal: logging out ends the session",
    "logga-in/e-legitimation/utloggning/": "e-legitimation logout: ends the session",
}
REACHED: dict = {}
MARKING: dict[str, list[str]] = {}


def _states(world) -> list[str]:
    """Records the demo world lacks, so that every form appears: a consent for Melwin
    that one guardian has still to sign (sign, revoke), a held meeting with minutes not
    yet approved (approve). Made in the test's transaction, gone afterwards."""
    melwin = world.children["melwin"]
    orgs = world.organisations
    custodies = people_selectors.system_custodies(melwin, orgs["Elevhälsan Frejaskolan"].pk)
    first = custodies[0]
    half = consent.consent_give(
        actor=world.actor("karin"),
        child=melwin,
        party_ids=[orgs["Frejaskolan"].pk, orgs["BUP"].pk],
        category_codes=["skolsituation"],
        purpose_codes=["sip"],
        form="written",
        context="voluntary",
        child_views="Melwin vill att skolan och BUP pratar med varandra.",
        givers=[
            consent.GiverInput(
                kind="guardian", guardian_id=str(first.guardian.public_id), method="written"
            )
        ],
    )
    samir = world.actor("samir")
    forum = next(
        f
        for f in meetings_selectors.forum_list(samir)
        if f.convener_organisation_id == samir.organisation_id
        and f.convener_function.code == "samordnare"
    )
    held = MeetingFactory(forum=forum, starts_in=-datetime.timedelta(days=2), status="planned")
    meetings.minutes_save(actor=samir, meeting=held, minutes="Utkast.", version=held.version)
    held.refresh_from_db()
    meetings.meeting_close(actor=samir, meeting=held)
    return [
        f"/samtycken/{half.public_id}/",
        f"/barn/{melwin.public_id}/",
        f"/samtycken/barn/{melwin.public_id}/",
        f"/samtycken/barn/{world.children['alva'].public_id}/",
        f"/barn/{world.children['alva'].public_id}/",
        f"/forum/mote/{held.public_id}/",
        f"/forum/{forum.public_id}/",
    ]


def _client(world, username: str) -> Client:
    client = Client(raise_request_exception=False)
    if username == "sysadmin":
        membership = MembershipFactory(
            organisation=OrganisationFactory(name="IT-enheten", org_type="annan"),
            code="systemadministrator",
        )
        client.force_login(membership.user)
    elif username != "visitor":
        client.force_login(world.users[username])
    return client


def _follow(client: Client, response):
    """The page a browser ends on after a redirect (inside the same rolled-back post)."""
    if response.status_code in {301, 302, 303} and response.get("Location", "").startswith("/"):
        return client.get(response["Location"])
    return None


def _says_what_is_wrong(text: str) -> bool:
    return any(mark in text for mark in ("field-error", "error-summary", "message-error"))


def _names_a_field(text: str, form) -> bool:
    """Left empty, a form with required fields is refused at a field of its own: the
    error stands at the field (``<id>-error``) or the summary links to it by its label.
    The field may be one needed only in some cases ("skriv i minst en av uppgifterna"),
    or the group of boxes a service found wrong once the boxes the page ticked were sent.
    No form is let off: a refusal above the form alone fails here."""
    required = [f for f in form.visible if f.required and f.id]
    # A group of boxes or radios (id_x_0, id_x_1, ...) is named once, as id_x.
    ids = {i for f in form.visible if f.id for i in (f.id, re.sub(r"_\d+$", "", f.id))}
    return not required or any(f'id="{i}-error"' in text or f'href="#{i}"' in text for i in ids)


def _fuzz(client, route, action, form) -> list[str]:
    problems = []
    for bad in bad_inputs():
        with transaction.atomic():  # each kind of bad input meets the page as shown
            response = client.post(action, _data(form, bad))
            landed = _follow(client, response)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            problems.append(f"{route} {bad}: {response.status_code}")
            continue
        if not form.visible or route in SEARCHES:
            continue
        if landed is not None:
            # A refusal by redirect empties the form: what was typed is gone, and the
            # message stands away from the field it is about.
            page = landed.content.decode()
            if form.typed and "message-error" in page:
                problems.append(f"{route} {bad}: refused by a redirect, what was typed is gone")
            continue
        if "<form" not in response.content.decode():
            continue
        text = response.content.decode()
        if not _says_what_is_wrong(text):
            problems.append(f"{route} {bad}: shown again without saying what is wrong")
        elif bad == "empty" and not _names_a_field(text, form):
            problems.append(f"{route} {bad}: the message does not name the field")
        if bad == "odd" and form.typed and ODD not in html.unescape(text):
            problems.append(f"{route} {bad}: what was typed is gone")
    return problems


_FIELD_ERROR = re.compile(r'<p class="field-error" id="([^"]+)-error">')


def _optional_refused(client, route, action, form) -> list[str]:
    """Post with the required fields filled and the optional ones empty: no optional
    field may carry an error, and no message may name one."""
    optional = [f for f in form.visible if OPTIONAL in f.label]
    if not optional or route in SEARCHES:
        return []
    with transaction.atomic():
        response = client.post(action, plausible_data(form))
        landed = _follow(client, response)
        transaction.set_rollback(True)
    text = (landed or response).content.decode()
    errors = set(_FIELD_ERROR.findall(text))
    messages = " ".join(re.findall(r'class="message message-error">(.*?)</p>', text, re.S))
    found = []
    for f in optional:
        name = f.label.replace(OPTIONAL, "").strip().lower()
        if f.id in errors or (name and name in messages.lower()):
            found.append(f"{route}: {f.label} is refused when empty")
    return found


@pytest.mark.parametrize("username", ROLES)
def test_bad_input_to_every_form_a_role_is_shown(world, username):
    client = _client(world, username)
    started = time.process_time()
    starts = VISITOR_STARTS if username == "visitor" else STARTS + _states(world)
    forms = crawl(client, starts, expand=EXPAND)
    problems = []
    for route, (action, form) in sorted(forms.items()):
        problems += _fuzz(client, route, action, form)
        problems += _optional_refused(client, route, action, form)
        MARKING.setdefault(route, marking_problems(form))
    REACHED.update(forms)
    print(f"{username}: {len(forms)} forms, {len(forms) * len(bad_inputs())} posts:", sorted(forms))
    assert not problems, "\n".join(problems)
    assert time.process_time() - started < 60


@pytest.mark.parametrize("state", sorted(STATES))
def test_bad_input_to_the_forms_of_made_records(world, state):
    """The forms no demo page shows: the records they need are made first
    (formfuzz_states.py), then those forms are fuzzed like the others."""
    made = STATES[state](world, lambda username: _client(world, username))
    problems = []
    with override_settings(**made.settings):
        for client, starts, routes in [(made.client, made.starts, made.routes), *made.also]:
            forms = crawl(client, starts, depth=made.depth, expand=made.expand)
            missing = routes - set(forms)
            assert not missing, f"not shown: {sorted(missing)} (shown: {sorted(forms)})"
            for route in sorted(routes):
                action, form = forms[route]
                problems += _fuzz(client, route, action, form)
                problems += _optional_refused(client, route, action, form)
                MARKING.setdefault(route, marking_problems(form))
                REACHED[route] = forms[route]
    assert not problems, "\n".join(problems)


def test_every_post_route_was_fuzzed():
    if len(REACHED) < 20:
        pytest.skip("runs after the role tests (same module)")
    missing = sorted(r for r in posting_routes() if r not in REACHED and r not in NOT_REACHED)
    assert not missing, f"no role was shown a form for: {missing}"


def test_required_and_optional_fields_are_marked_the_same_way_everywhere():
    """On every form the fuzz reached: "(frivilligt)" in the label exactly when the
    field has no ``required`` attribute (unless the label says when it is needed)."""
    if len(REACHED) < 20:
        pytest.skip("runs after the role tests (same module)")
    wrong = {route: found for route, found in MARKING.items() if found}
    assert not wrong, "\n".join(f"{r}: {p}" for r, found in sorted(wrong.items()) for p in found)


def test_the_marking_check_finds_a_wrong_mark():
    from .formfuzz import parse

    page = parse(
        '<form method="post"><label for="a">Namn (frivilligt)</label>'
        '<input id="a" name="a" required><label for="b">Telefon</label>'
        '<input id="b" name="b"><label for="c">Datum</label><input id="c" name="c" required>'
        '<fieldset><legend>Vem?</legend><input type="radio" name="d" value="1" required>'
        "</fieldset></form>"
    )
    assert marking_problems(page.forms[0]) == [
        "Namn (frivilligt): labelled (frivilligt) but required",
        "Telefon: neither required nor labelled (frivilligt)",
    ]
