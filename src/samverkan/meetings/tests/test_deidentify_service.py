"""The de-identification check where it is used (R14): agenda items, escalations and
the API. Defect 7 (names, guardians' names and obfuscated e-mail passed the check and
were read by another organisation) and defect 8 (the check must not tell whether a
name is registered anywhere)."""

from __future__ import annotations

import pytest

from samverkan.meetings import deidentify, services
from samverkan.meetings.models import AgendaItem
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.portal.tests.factories import CustodyFactory, GuardianFactory

pytestmark = pytest.mark.django_db

DEFECT_7 = [
    "Pojken heter Melwin Andersson",
    "Leo Lindqvist, mamma Anna Lindqvist",
    "Mamman nås på anna.lindqvist (at) example.se",
]


def _add(world, meeting, username="samir", **kw):
    data = {"kind": "anonymised", "title": "Ärendekonsultation", "text": ""}
    data.update(kw)
    return services.item_add(actor=world.actor(username), meeting=meeting, **data)


@pytest.mark.parametrize("text", DEFECT_7)
def test_defect_7_is_refused_by_the_service(world, next_meeting, text):
    """As samir (Socialtjänsten, no matter about these names) the texts used to be
    saved and then read by lena (BUP)."""
    with pytest.raises(services.IdentifyingText):
        _add(world, next_meeting, text=text)
    assert not AgendaItem.objects.filter(meeting=next_meeting, text=text).exists()


@pytest.mark.parametrize("text", DEFECT_7)
def test_defect_7_never_reaches_another_organisation(world, login, next_meeting, text):
    response = login("samir").post(
        f"/forum/mote/{next_meeting.public_id}/punkt/",
        {"kind": "anonymised", "title": "Ärendekonsultation", "text": text},
    )
    assert response.status_code == 200  # the form again, with what to rewrite
    assert "Skriv om de här ställena" in response.text
    page = login("lena").get(f"/forum/mote/{next_meeting.public_id}/")
    assert page.status_code == 200
    assert text not in page.text


def test_every_field_is_reported_at_once_on_the_page(world, login, next_meeting):
    response = login("samir").post(
        f"/forum/mote/{next_meeting.public_id}/punkt/",
        {"kind": "anonymised", "title": "Om Melwin", "text": "Ring pappan på 070-765 43 21."},
    )
    assert response.status_code == 200
    text = response.text
    assert "Rubrik: <mark>Melwin</mark>" in text
    assert "Beskrivning: <mark>070-765 43 21</mark>" in text
    # Each field carries its own error, tied to it for screen readers.
    assert 'id="id_title-error"' in text and 'id="id_text-error"' in text


def test_every_field_is_reported_at_once_in_the_api(world, api, next_meeting):
    response = api("samir").post(
        f"/api/meetings/{next_meeting.public_id}/items",
        {"kind": "anonymised", "title": "Om Melwin", "text": "Ring 070-765 43 21."},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "identifying"
    assert [(f["field"], f["kind"], f["severity"]) for f in body["findings"]] == [
        ("title", deidentify.FIRST_NAME, "error"),
        ("text", deidentify.PHONE, "error"),
    ]


def _rare_child(organisation, first="Qwyzor", last="Blixtrud"):
    return InvolvementFactory(
        child=ChildFactory(first_name=first, last_name=last), organisation=organisation
    ).child


def test_names_the_author_may_see_are_flagged(world, next_meeting):
    """A name in no common list is caught when the author's organisation works with
    the child; and the guardians' names the organisation recorded too."""
    _rare_child(world.organisations["Socialtjänsten barn och familj"])
    with pytest.raises(services.IdentifyingText) as flagged:
        _add(world, next_meeting, text="Qwyzor har inte kommit till skolan.")
    assert [(f.kind, f.text) for f in flagged.value.findings] == [(deidentify.FIRST_NAME, "Qwyzor")]
    # Lower case too, when it is not an ordinary word.
    with pytest.raises(services.IdentifyingText):
        _add(world, next_meeting, text="pappa blixtrud ringde")


def test_guardians_names_the_author_recorded_are_flagged(world, next_meeting):
    """Defect 7: a guardian's name (here in no common list) is caught when the
    author's organisation recorded the guardian for a child it works with."""
    social = world.organisations["Socialtjänsten barn och familj"]
    child = _rare_child(social)
    guardian = GuardianFactory(organisation=social, first_name="Zorbalda", last_name="Kvirrsk")
    CustodyFactory(child=child, guardian=guardian)
    with pytest.raises(services.IdentifyingText) as flagged:
        _add(world, next_meeting, text="Zorbalda ringde om mötet.")
    assert [(f.kind, f.text) for f in flagged.value.findings] == [
        (deidentify.FIRST_NAME, "Zorbalda")
    ]


def test_names_the_author_cannot_see_are_not_an_oracle(world, next_meeting):
    """Defect 8. A child known only to Frejaskolan: for samir the rare name is not
    flagged (so trying names reveals nothing), and a flagged name's message is the
    same as for any common name: what it looks like, never where it is known."""
    _rare_child(world.organisations["Frejaskolan"])
    item = _add(world, next_meeting, text="Qwyzor är ett påhittat ord i en övning.")
    assert item.pk
    with pytest.raises(services.IdentifyingText) as flagged:
        _add(world, next_meeting, username="frida", text="Qwyzor har hög frånvaro.")
    assert flagged.value.message == (
        "Texten innehåller något som kan identifiera ett barn: ”Qwyzor” ser ut som ett "
        "förnamn. Skriv om utan det."
    )
    finding = flagged.value.findings[0]
    assert finding.message == "”Qwyzor” ser ut som ett förnamn. Skriv om utan det."


def test_small_group_warning_can_be_confirmed(world, login, next_meeting):
    text = "En elev i årskurs 8, 14 år, gjorde ett självmordsförsök i helgen."
    with pytest.raises(services.IdentifyingText) as warned:
        _add(world, next_meeting, text=text)
    assert warned.value.code == "small_group" and warned.value.warnings_only
    assert "liten grupp" in warned.value.message
    client = login("samir")
    url = f"/forum/mote/{next_meeting.public_id}/punkt/"
    page = client.post(url, {"kind": "anonymised", "title": "Konsultation", "text": text})
    assert page.status_code == 200
    assert 'name="reviewed"' in page.text
    saved = client.post(
        url, {"kind": "anonymised", "title": "Konsultation", "text": text, "reviewed": "on"}
    )
    assert saved.status_code == 302
    assert AgendaItem.objects.filter(meeting=next_meeting, text=text).exists()


def test_confirming_never_lets_a_name_through(world, next_meeting):
    with pytest.raises(services.IdentifyingText):
        _add(world, next_meeting, text="Melwin i årskurs 8, 14 år, rymde.", reviewed=True)


def test_escalation_reports_both_fields(world):
    with pytest.raises(services.IdentifyingText) as flagged:
        services.escalation_open(
            actor=world.actor("karin"),
            title="Ansvar för Leo Lindqvist",
            description="Mamman nås på anna [at] example punkt se.",
            counterpart_organisation_id=world.organisations["BUP"].pk,
        )
    assert {f.field for f in flagged.value.findings} == {"title", "description"}
