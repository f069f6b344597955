"""Authorisation matrix for the consent pages and the consent API.

Melwin (demo world) has a consent, registered by karin at Elevhälsan, covering
Frejaskolan, Elevhälsan, Socialtjänsten and BUP. Frejaskolan, Elevhälsan and BUP have
their own matters with him; social services has none and sees him only on the consent;
Vårdcentralen has neither. For each kind of user: what they get, that nothing of the
child leaks where they may not see it, that denied writes change nothing, and that
every allowed cross-organisation read is audited with the consent as its ground.

Then the same child and pages after revocation, after expiry and after the matter
changed character (the consent's three ways of ending).
"""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.utils import timezone

from samverkan.consent import services
from samverkan.consent.models import Consent, ConsentEvent, ConsentGiver, Disclosure
from samverkan.consent.sharing import decide_sharing
from samverkan.legal import catalogue
from samverkan.people import services as people_services
from samverkan.people.models import Involvement

from .conftest import SOCIAL, assert_nothing_of, assert_sent_to_login, guardian_givers

ROLES = {
    "anonymous": None,
    "own organisation, registered it (Elevhälsan, kurator)": "karin",
    "party with own matter (Frejaskolan, rektor)": "frida",
    "party with own matter, function without register (Frejaskolan, mentor)": "mats",
    "party with own matter (BUP, läkare)": "lena",
    "party on the consent only (Socialtjänsten, socialsekreterare)": "sofia",
    "other organisation without consent (Vårdcentralen, läkare)": "viktor",
    "party, function without people.view (Socialtjänsten, granskare)": "gustav",
    "party, function without people.view (Frejaskolan, administratör)": "adam",
}
READERS = {"karin", "frida", "mats", "lena", "sofia"}
DENIED = {"viktor", "gustav", "adam"}
GIVERS = {"karin", "frida", "lena"}  # people.register and an open matter with Melwin
# Organisations with a matter about Melwin now (the actor map's "now" rows) and before.
NOW = {"Frejaskolan", "Elevhälsan Frejaskolan", "BUP"}
BEFORE = {"Förskolan Solrosen", "Barnhälsovården (BVC)"}  # ended, and not parties

roles = pytest.mark.parametrize("username", list(ROLES.values()), ids=list(ROLES))


def _client(login, client, username):
    return login(username) if username else client


def _pages(child, consent) -> dict[str, str]:
    return {
        "child consents": f"/samtycken/barn/{child.public_id}/",
        "overview panel": f"/samtycken/barn/{child.public_id}/?fragment=1",
        "consent": f"/samtycken/{consent.public_id}/",
        "form pdf": f"/samtycken/{consent.public_id}/formular.pdf",
    }


def _api_reads(child) -> dict[str, str]:
    return {
        "consents": f"/api/children/{child.public_id}/consents",
        "actor map": f"/api/children/{child.public_id}/involvements",
    }


def _org(world, username):
    return world.memberships[username].organisation


def _state(consent) -> tuple:
    """Everything a write could change, to compare before and after a denied one."""
    return (
        Consent.objects.count(),
        sorted(ConsentGiver.objects.filter(consent=consent).values_list("pk", "revoked_at")),
        ConsentEvent.objects.filter(consent=consent).count(),
    )


def assert_reads_audited_on_consent(audit_since, username, child, consent):
    """Every allowed read by ``username`` about ``child`` rests on ``consent`` — and
    there is at least one."""
    rows = audit_since(actor_username=username, subject_id=str(child.public_id))
    assert rows.filter(outcome="allowed").exists()
    grounds = set(rows.filter(outcome="allowed").values_list("ground_code", "ground_reference"))
    assert grounds == {("consent", str(consent.public_id))}


# Melwin, with his consent ------------------------------------------------------------


@roles
@pytest.mark.parametrize("page", ["child consents", "overview panel", "consent", "form pdf"])
def test_consent_pages(
    world, login, client, melwin, melwin_consent, audit_since, disclosures_since, username, page
):
    path = _pages(melwin, melwin_consent)[page]
    response = _client(login, client, username).get(path)
    if username is None:
        assert_sent_to_login(response)
        assert not audit_since().exists()
        return
    if username in DENIED:
        assert response.status_code == 404
        assert_nothing_of(melwin, response)
        rows = audit_since(actor_username=username)
        assert rows.exists() and not rows.filter(outcome="allowed").exists()
        assert not disclosures_since().exists()
        return
    assert response.status_code == 200
    if page == "form pdf":
        assert response["Content-Type"] == "application/pdf"
        row = audit_since(action="print").get()
        assert (row.actor_username, row.resource_id) == (username, str(melwin_consent.public_id))
    else:
        if page != "overview panel":  # the panel sits under the child's name
            assert "Melwin Andersson" in response.text
        assert melwin_consent.short_id in response.text
    if username == "sofia":
        if page != "form pdf":
            # Basic identity only: the address and the school are the school's own
            # knowledge.
            assert "Björkvägen" not in response.text
            assert "klass 7B" not in response.text
        assert_reads_audited_on_consent(audit_since, "sofia", melwin, melwin_consent)
    else:
        refs = set(
            audit_since(actor_username=username, resource_type="consent.consent")
            .filter(outcome="allowed")
            .values_list("ground_reference", flat=True)
        )
        assert refs == {str(melwin_consent.public_id)}


@roles
def test_give_page(world, login, client, melwin, username):
    response = _client(login, client, username).get(f"/samtycken/barn/{melwin.public_id}/nytt/")
    if username is None:
        assert_sent_to_login(response)
    elif username in GIVERS:
        assert response.status_code == 200
        assert 'name="categories"' in response.text
        # The giver choices: Melwin himself (14), and the parents as the organisation
        # has recorded them (BUP has not).
        assert "Melwin Andersson (barnet/den unge)" in response.text
        assert ("Anna Andersson (vårdnadshavare)" in response.text) == (username != "lena")
    else:
        # mats may read but not register; sofia has no matter of her own to register in.
        assert response.status_code == 404
        assert_nothing_of(melwin, response)


@roles
@pytest.mark.parametrize("endpoint", ["consents", "actor map"])
def test_api_reads(
    world, api, melwin, melwin_consent, audit_since, disclosures_since, username, endpoint
):
    response = api(username).get(_api_reads(melwin)[endpoint])
    if username is None:
        assert response.status_code == 401
        assert_nothing_of(melwin, response)
        return
    if username in DENIED:
        assert response.status_code == 404
        assert_nothing_of(melwin, response)
        assert not audit_since(actor_username=username, outcome="allowed").exists()
        return
    assert response.status_code == 200
    data = response.json()
    if endpoint == "consents":
        assert [c["id"] for c in data] == [str(melwin_consent.public_id)]
        (item,) = data
        assert item["covers_now"] is True
        assert item["status"] == "gäller"
        assert {p["name"] for p in item["parties"]} == NOW | {SOCIAL}
        assert item["exclusions"] == "Inga uppgifter om syskonens skolgång."
    else:
        own = _org(world, username).name
        shown = {(e["organisation"], e["period"]) for e in data}
        others = (NOW - {own}) | ({SOCIAL} - {own})
        # Own organisation on its own ground; other parties' matters on the consent;
        # earlier matters of organisations outside the consent not at all.
        for entry in data:
            if entry["own_organisation"]:
                assert entry["legal_ground"] == f"Egen verksamhets ärende ({own})"
            else:
                assert entry["legal_ground"] == f"Samtycke {melwin_consent.short_id}"
        assert {name for name, _ in shown} == others | ({own} if own in NOW else set())
        assert not {name for name, _ in shown} & BEFORE
        # Social services has no matter with Melwin: it is a possible actor ("later").
        if own != SOCIAL:
            assert (SOCIAL, "later") in shown
        # One disclosure per other organisation's matter shown, on the consent.
        disclosures = disclosures_since()
        assert {d.to_organisation for d in disclosures} <= {_org(world, username)}
        assert sorted(d.from_organisation.name for d in disclosures) == sorted(NOW - {own})
        assert {d.consent_id for d in disclosures} == {melwin_consent.pk}
        assert {d.category.code for d in disclosures} == {"insatser"}
        # The map is one page through the disclosure pipeline: one row naming every
        # matter shown with its ground, and one refused read per matter withheld (the
        # earlier matters of organisations outside the consent).
        involvement_rows = audit_since(actor_username=username, resource_type="people.involvement")
        (page,) = involvement_rows.filter(outcome="allowed")
        passed = [item for item in page.details["items"] if item[2] != "own_matter"]
        assert len(passed) == len(NOW - {own})
        assert {(item[2], item[3]) for item in passed} == {
            ("consent", str(melwin_consent.public_id))
        }
        assert involvement_rows.filter(outcome="denied").count() == len(BEFORE)
    if username == "sofia":
        assert "Björkvägen" not in response.text
        assert_reads_audited_on_consent(audit_since, "sofia", melwin, melwin_consent)


def test_sofia_sees_basic_identity_on_the_child_overview(
    login, melwin, melwin_consent, audit_since
):
    response = login("sofia").get(f"/barn/{melwin.public_id}/")
    assert response.status_code == 200
    assert "Melwin Andersson" in response.text
    assert melwin.personal_number_display in response.text
    assert "Björkvägen" not in response.text
    assert "klass 7B" not in response.text
    row = audit_since(resource_type="people.child").get()
    assert (row.ground_code, row.ground_reference) == ("consent", str(melwin_consent.public_id))
    assert row.details == {
        "hidden": ["address", "school"],
        "ground_version": catalogue.load().version,
    }


# Writes that must be refused ----------------------------------------------------------

WRITERS_DENIED = {
    "anonymous": None,
    "other organisation without consent (Vårdcentralen)": "viktor",
    "party, no people.view (granskare)": "gustav",
    "party, no people.view (administratör)": "adam",
    "party, function without people.register (mentor)": "mats",
}


@pytest.mark.parametrize("username", list(WRITERS_DENIED.values()), ids=list(WRITERS_DENIED))
@pytest.mark.parametrize("write", ["revoke", "sign"])
def test_denied_page_writes_change_nothing(
    world, login, client, melwin, melwin_consent, username, write
):
    before = _state(melwin_consent)
    giver_ids = [g.pk for g in melwin_consent.givers.all()]
    if write == "revoke":
        path = f"/samtycken/{melwin_consent.public_id}/aterkalla/"
        data = {"revoke-givers": giver_ids, "revoke-note": "Försök"}
    else:
        path = f"/samtycken/{melwin_consent.public_id}/underskrift/"
        data = {"givers": ["child"], "method": "written"}
    user_client = _client(login, client, username)
    response = user_client.post(path, data)
    if username is None:
        assert_sent_to_login(response)
    elif username == "mats":
        # He may read the consent, so he is told why, on the consent's page.
        assert response.status_code == 302
        page = user_client.get(response["Location"])
        assert "Mentor får inte registrera eller ändra samtycken" in page.text
    else:
        assert response.status_code == 404
        assert_nothing_of(melwin, response)
    assert _state(melwin_consent) == before


@pytest.mark.parametrize("username", list(WRITERS_DENIED.values()), ids=list(WRITERS_DENIED))
def test_denied_api_writes_change_nothing(world, api, melwin, melwin_consent, username):
    before = _state(melwin_consent)
    revoke = api(username).post(
        f"/api/consents/{melwin_consent.public_id}/revoke", {}, content_type="application/json"
    )
    give = api(username).post(
        f"/api/children/{melwin.public_id}/consents",
        {
            "parties": [str(world.organisations["BUP"].public_id)],
            "categories": ["halsa"],
            "purposes": ["sip"],
            "form": "written",
            "context": "voluntary",
            "child_views": "Vill.",
        },
        content_type="application/json",
    )
    expected = {None: 401, "mats": 403}.get(username, 404)
    assert revoke.status_code == expected
    assert give.status_code == (401 if username is None else 404)
    for response in (revoke, give):
        assert_nothing_of(melwin, response)
        assert "detail" in response.json()
    assert _state(melwin_consent) == before


def test_denied_and_absent_consent_look_the_same(login, melwin_consent):
    """Viktor cannot tell "a consent exists but not for you" from "no such consent"."""
    client = login("viktor")
    # The same request id for both (shown on the error page); the site's 404 page has
    # forms, whose CSRF tokens are masked anew every time.
    same_id = {"X-Request-ID": "compare-0002"}
    denied = client.get(f"/samtycken/{melwin_consent.public_id}/", headers=same_id)
    absent = client.get(f"/samtycken/{uuid.uuid4()}/", headers=same_id)
    assert denied.status_code == absent.status_code == 404
    token = re.compile(r"[A-Za-z0-9]{64}")
    assert token.sub("", denied.text) == token.sub("", absent.text)


def test_actor_map_records_each_organisation_shown_once(
    world, login, melwin, melwin_consent, disclosures_since
):
    """Two consents covering the same organisations (e.g. an old one and its renewal)
    must not double the record of what was shown."""
    services.consent_give(
        actor=world.actor("karin"),
        child=melwin,
        party_ids=[world.organisations["BUP"].pk, world.organisations["Frejaskolan"].pk],
        category_codes=["insatser"],
        purpose_codes=["sip"],
        form="written",
        context="voluntary",
        child_views="Melwin vill.",
        givers=guardian_givers(melwin, world.organisations["Elevhälsan Frejaskolan"].pk),
    )
    mark = disclosures_since().count()
    assert login("karin").get(f"/samtycken/barn/{melwin.public_id}/").status_code == 200
    shown = disclosures_since()[mark:]
    assert sorted(d.from_organisation.name for d in shown) == ["BUP", "Frejaskolan"]
    assert {d.to_organisation.name for d in shown} == {"Elevhälsan Frejaskolan"}


# After revocation ---------------------------------------------------------------------


def _sofia_gone(world, login, api, melwin, consent):
    client, token_client = login("sofia"), api("sofia")
    for path in [f"/barn/{melwin.public_id}/", *_pages(melwin, consent).values()]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert_nothing_of(melwin, response)
    for path in _api_reads(melwin).values():
        response = token_client.get(path)
        assert response.status_code == 404, path
        assert_nothing_of(melwin, response)


@pytest.mark.parametrize("via", ["service", "api"])
def test_after_revocation_nothing_more_passes(
    world, login, api, melwin, melwin_consent, audit_since, disclosures_since, via
):
    # Before: sofia looks at the actor map (three disclosures, on the consent).
    assert login("sofia").get(f"/samtycken/barn/{melwin.public_id}/").status_code == 200
    sofias = list(disclosures_since())
    assert len(sofias) == 3
    assert {(d.to_organisation.name, d.consent) for d in sofias} == {(SOCIAL, melwin_consent)}
    shared_before = set(Disclosure.objects.filter(consent=melwin_consent))

    # One guardian (of two) revokes, at karin's: that is enough.
    johan = melwin_consent.givers.get(name="Johan Andersson")
    if via == "service":
        services.consent_revoke(
            actor=world.actor("karin"), consent=melwin_consent, giver_ids=[johan.pk]
        )
    else:
        response = api("karin").post(
            f"/api/consents/{melwin_consent.public_id}/revoke",
            {"giver_ids": [johan.pk], "note": "Pappan ringde."},
            content_type="application/json",
        )
        assert response.status_code == 200
        data = response.json()
        assert (data["status"], data["covers_now"]) == ("återkallat", False)
        assert "återkallades" in data["reason"]
        assert "Johan Andersson" in data["reason"]

    # Sofia: nothing about Melwin any more, and nothing more shared with her.
    mark = audit_since().order_by("-id").values_list("id", flat=True).first()
    _sofia_gone(world, login, api, melwin, melwin_consent)
    assert list(disclosures_since()) == sofias
    after = audit_since(actor_username="sofia").filter(id__gt=mark)
    assert after.exists() and not after.filter(outcome="allowed").exists()

    # Nor can she write to it (the other guardian's consent stays as it was).
    state = _state(melwin_consent)
    assert (
        login("sofia")
        .post(f"/samtycken/{melwin_consent.public_id}/aterkalla/", {"revoke-givers": [1]})
        .status_code
        == 404
    )
    assert (
        api("sofia")
        .post(
            f"/api/consents/{melwin_consent.public_id}/revoke", {}, content_type="application/json"
        )
        .status_code
        == 404
    )
    assert _state(melwin_consent) == state

    # What was shared before stays documented on the consent, for the holder.
    response = login("karin").get(f"/samtycken/{melwin_consent.public_id}/")
    assert response.status_code == 200
    assert "återkallat" in response.text
    assert set(response.context["disclosures"]) == shared_before
    assert "Sofia Karlsson" in response.text
    assert "Aktörskarta: verksamhetens kontakt med barnet" in response.text

    # Every question after the revocation is answered no, and says why.
    decision = decide_sharing(
        child=melwin,
        from_organisation_id=world.organisations["BUP"].pk,
        to_organisation_id=world.organisations["Elevhälsan Frejaskolan"].pk,
        category="halsa",
        purpose="sip",
    )
    assert not decision.allowed
    assert f"Samtycke {melwin_consent.short_id} återkallades" in decision.reason
    assert "Johan Andersson" in decision.reason

    # BUP keeps its own matter, and now sees only that in the actor map.
    entries = api("lena").get(f"/api/children/{melwin.public_id}/involvements").json()
    assert [(e["organisation"], e["own_organisation"]) for e in entries] == [("BUP", True)]


# After expiry -------------------------------------------------------------------------


def test_after_expiry_nothing_more_passes(world, login, api, ebba, give, clock, audit_since):
    """BUP has no matter with Ebba; a consent with Frejaskolan lets it see her until the
    consent runs out, and not a day longer."""
    today = timezone.localdate()
    consent = give(["BUP"], valid_until=today + datetime.timedelta(days=5))
    pages = {**_pages(ebba, consent), "overview": f"/barn/{ebba.public_id}/"}

    lena = login("lena")
    for path in pages.values():
        response = lena.get(path)
        assert response.status_code == 200, path
        if path.endswith(".pdf"):
            continue
        assert consent.short_id in response.text or "Ebba Exempelsson" in response.text
        assert "Lönnvägen" not in response.text  # basic identity only
        assert "klass 4B" not in response.text
    assert_reads_audited_on_consent(audit_since, "lena", ebba, consent)

    # The last day it is valid.
    clock.travel(days=5)
    assert login("lena").get(pages["consent"]).status_code == 200

    # The day after.
    moved = clock.travel(days=6)
    mark = audit_since().order_by("-id").values_list("id", flat=True).first()
    lena, lena_api = login("lena"), api("lena")
    for path in pages.values():
        response = lena.get(path)
        assert response.status_code == 404, path
        assert_nothing_of(ebba, response)
    for path in _api_reads(ebba).values():
        response = lena_api.get(path)
        assert response.status_code == 404, path
        assert_nothing_of(ebba, response)
    assert not audit_since(actor_username="lena", outcome="allowed").filter(id__gt=mark).exists()

    decision = decide_sharing(
        child=ebba,
        from_organisation_id=world.organisations["Frejaskolan"].pk,
        to_organisation_id=world.organisations["BUP"].pk,
        category="skolsituation",
        purpose="samverkanstraff",
        at=moved,
    )
    assert not decision.allowed
    assert f"gick ut {consent.valid_until:%Y-%m-%d}" in decision.reason

    # The school that registered it still has it, marked as expired.
    response = login("frida").get(pages["consent"])
    assert response.status_code == 200
    assert "utgånget" in response.text


# After the matter changed character ----------------------------------------------------


def _social_involvement(world, ebba) -> Involvement:
    return Involvement.objects.get(
        child=ebba, organisation=world.organisations[SOCIAL], ended_at__isnull=True
    )


def test_after_change_of_context_the_voluntary_consent_stops_covering(
    world, login, api, ebba, give, audit_since
):
    """Ebba's family gets voluntary support from Familjecentralen (olof). A consent
    given in that context lets the school and BUP talk with social services. When
    social services opens an investigation, the consent no longer covers (Åmål)."""
    consent = give([SOCIAL, "BUP"], context="voluntary")
    orgs = world.organisations

    def ask(source, target):
        return decide_sharing(
            child=ebba,
            from_organisation_id=orgs[source].pk,
            to_organisation_id=orgs[target].pk,
            category="insatser",
            purpose="samverkanstraff",
        )

    assert ask(SOCIAL, "Frejaskolan").allowed
    assert login("lena").get(f"/samtycken/barn/{ebba.public_id}/").status_code == 200
    school_map = api("frida").get(f"/api/children/{ebba.public_id}/involvements").json()
    assert (SOCIAL, "Frivilligt råd och stöd") in {
        (e["organisation"], e["what"]) for e in school_map
    }

    people_services.involvement_change_context(
        actor=world.actor("olof"),
        involvement_public_id=_social_involvement(world, ebba).public_id,
        context="investigation",
        reason="Anmälan inkom; utredning inleds.",
    )

    # Nothing passes between any of the consent's parties on it any more. Only social
    # services, whose matter changed character, is told why (issue 11, defect 2); the
    # others learn that the consent no longer covers and what to do.
    for source, target in [(SOCIAL, "Frejaskolan"), ("Frejaskolan", "BUP"), ("BUP", SOCIAL)]:
        decision = ask(source, target)
        assert not decision.allowed
        if target == SOCIAL:
            assert "gavs i samband med frivilliga insatser" in decision.reason
            assert "måste förnyas" in decision.reason
        else:
            assert "frivilliga insatser" not in decision.reason
            assert "karaktär" not in decision.reason
            assert "gäller inte längre" in decision.reason

    # BUP, which saw Ebba only on the consent, sees nothing of him.
    mark = audit_since().order_by("-id").values_list("id", flat=True).first()
    lena = login("lena")
    for path in [f"/barn/{ebba.public_id}/", *_pages(ebba, consent).values()]:
        response = lena.get(path)
        assert response.status_code == 404, path
        assert_nothing_of(ebba, response)
    assert not audit_since(actor_username="lena", outcome="allowed").filter(id__gt=mark).exists()

    # The school keeps its own matter; social services' matter (and that it is now an
    # investigation) disappears from its actor map.
    school_map = api("frida").get(f"/api/children/{ebba.public_id}/involvements").json()
    assert [e["organisation"] for e in school_map] == ["Frejaskolan"]
    page = login("frida").get(f"/samtycken/barn/{ebba.public_id}/")
    assert [e.organisation.name for e in page.context["actor_map"]] == ["Frejaskolan"]
    assert "Utredning" not in page.text
    assert "karaktär" not in page.text  # social services' matter is its own
    assert "gäller inte längre" in page.text  # the holders are told it must be renewed

    # The sweep records the lapse once, and the holders' staff see it in their notices.
    assert services.consents_sweep()["context_lapsed"] == 1
    assert services.consents_sweep()["context_lapsed"] == 0
    assert ConsentEvent.objects.filter(consent=consent, kind="context_lapsed").count() == 1

    from samverkan.notify import selectors as inbox

    def notices(username):
        return {
            row.item.ref_id: row.shown.title
            for row in inbox.inbox_page(world.actor(username))
            if row.item.kind == "consent.lapsed"
        }

    key = str(consent.public_id)
    # Social services, whose matter it is, is told why; the school that holds the
    # consent only that it must be renewed (issue 11, defect 2).
    for username in ("olof", "sofia"):
        assert "ändrat karaktär" in notices(username)[key], username
    assert "karaktär" not in notices("frida")[key]
    assert "täcker inte längre och måste förnyas" in notices("frida")[key]
    # BUP may no longer read Ebba at all: no notice naming her.
    assert key not in notices("lena")
    assert key not in notices("viktor")
    assert key not in notices("karin")  # not a party
    assert notices("gustav") == {}  # no people.view

    # A consent given for the investigation covers again; the notice is done with.
    renewal = give([SOCIAL, "BUP"], context="report_investigation", renews=consent)
    decision = ask(SOCIAL, "Frejaskolan")
    assert decision.allowed
    assert decision.ground.reference == str(renewal.public_id)
    assert key not in notices("frida")
