"""Planted markers in the consent states where a viewer has some ground, but not for
everything (issue 11): a consent over some categories only, protected identity, and a
report of concern the guardians must not be told about. The world is
``planted.planted_world``; the crawl is every page and API GET operation (``crawl``).

The unit name of social services' staff (``Socialunit``) is directory data, shown on
the catalogue, and the crawl does not count it; it is a marker for the log extract to a
guardian, where it tells that social services worked with the child.
"""

from __future__ import annotations

import re

import pytest

from samverkan.people import services as people_services

from .crawl import crawl, marker
from .planted import PLAN_MARKERS, PROTECTED_MARKERS, REPORT_MARKERS, planted_world

pytestmark = pytest.mark.django_db

# What a party to a consent reads on the consent's own pages: its scope, the child's
# views, the note, and who gave it.
CONSENT_MARKERS = {"Exclusions", "Childviews", "Consentnote", "Guardianfirst", "Guardianlast"}


def _seen(leaks: dict) -> set[str]:
    return {m.removeprefix("Qxzq") for found in leaks.values() for m in found}


def test_a_partial_consent_lets_only_its_categories_pass():
    """BUP is a party to a consent over efforts and the social situation: it reads the
    SIP and the consent, never the school's meeting item (school situation), the
    revocation note of the earlier consent, social services' note or the report."""
    world, ids = planted_world("partial")
    leaks, errors = crawl(world.client("lakare"), ids)
    seen = _seen(leaks)
    assert not errors
    assert seen >= PLAN_MARKERS, "the partial consent covers the SIP: BUP reads it"
    unexpected = seen - PLAN_MARKERS - CONSENT_MARKERS
    assert not unexpected, {
        url: found
        for url, found in leaks.items()
        if any(m.removeprefix("Qxzq") in unexpected for m in found)
    }
    assert "Itemtitle" not in seen and "Itemtext" not in seen


@pytest.mark.parametrize("who", ["lakare", "mentor", "rektor", "socsek"])
def test_a_protected_address_reaches_nobody_without_a_recorded_need(who):
    """The child and the guardian have protected identity. BUP (a party to a valid
    consent), the school (its own pupil, no function for protected details) and social
    services (its own matter, but no need recorded) never see an address; the class is
    the school's own knowledge and reaches nobody else."""
    world, ids = planted_world("protected")
    leaks, errors = crawl(world.client(who), ids)
    seen = _seen(leaks)
    assert not errors
    forbidden = PROTECTED_MARKERS - (
        {"Classname", "Schoolyear"} if who in {"mentor", "rektor"} else set()
    )
    assert not seen & forbidden, {
        url: found
        for url, found in leaks.items()
        if any(m.removeprefix("Qxzq") in forbidden for m in found)
    }


def test_the_protected_address_is_really_planted():
    """Social services records why it needs the protected details: then, and only for
    it, the child's address is shown (so the test above can fail)."""
    world, ids = planted_world("protected")
    people_services.involvement_record_protected_need(
        actor=world.actor("socsek"),
        involvement_public_id=ids["involvement"],
        need="Placering utreds; adressen behövs för hembesök.",
    )
    page = world.client("socsek").get(f"/barn/{ids['child']}/")
    assert marker("Childstreet") in page.content.decode()
    mentor_page = world.client("mentor").get(f"/barn/{ids['child']}/")
    assert marker("Childstreet") not in mentor_page.content.decode()


def test_a_report_kept_from_the_guardians_reaches_no_other_party():
    """The school reports with "Vårdnadshavarna får inte veta"; BUP, which has worked
    with the family under a consent, learns nothing of the report (not its texts, not
    the reason for secrecy)."""
    world, ids = planted_world("do_not_inform")
    leaks, errors = crawl(world.client("lakare"), ids)
    assert not errors
    seen = _seen(leaks)
    assert not seen, leaks
    assert not seen & REPORT_MARKERS


def _extract_as_reviewed_by_default(client, personal_number: str) -> str:
    """Draft a log extract, record the secrecy review with the rows the page proposes
    to withhold (the flagged ones), and return the printed extract."""
    drafted = client.post("/logg/utdrag/", {"personnummer": personal_number})
    assert drafted.status_code == 302, drafted.content.decode()[-2000:]
    review_url = drafted["Location"]
    page = client.get(review_url).content.decode()
    assert marker("Socialunit") in page  # the reviewer sees every row
    proposed = re.findall(r'name="withhold" value="(\d+)"[^>]*checked', page)
    assert proposed, "the rows after the report are flagged and proposed for withholding"
    saved = client.post(
        review_url,
        {"withhold": proposed, "reason": "Sekretess mot vårdnadshavaren, OSL 26 kap. 1 §."},
    )
    assert saved.status_code == 302
    printed = client.get(review_url + "utskrift/")
    assert printed.status_code == 200
    return printed.content.decode()


def test_a_guardian_extract_does_not_reveal_the_secret_report():
    """A guardian asks social services which of its units read the child's data. Social
    services learned of the child by the report; every row of its units would tell the
    guardian that. Reviewed as proposed, the extract shows none of them."""
    world, _ids = planted_world("do_not_inform")
    client = world.client("granskare_soc")
    printed = _extract_as_reviewed_by_default(client, world.child.personal_number)
    assert marker("Socialunit") not in printed
    review = client.get("/logg/utdrag/").content.decode()
    assert "Qxzq" not in review  # nor on the list of extracts
