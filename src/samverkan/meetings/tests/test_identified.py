"""Identified items: allowed only when a consent covers every attending organisation
for the purpose samverkansträff, decided again at every read."""

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.consent import services as consent_services
from samverkan.consent.models import Disclosure
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.meetings import selectors, services
from samverkan.meetings.models import AgendaItem

pytestmark = pytest.mark.django_db


def _add_melwin(world, meeting, **kw):
    return services.item_add(
        actor=world.actor("karin"),
        meeting=meeting,
        kind="identified",
        title="Melwin: anpassad skoldag",
        text="Elevhälsan vill stämma av med BUP och socialtjänsten.",
        child=world.children["melwin"],
        category="skolsituation",
        **kw,
    )


def _view(world, username, meeting):
    return selectors.meeting_get(world.actor(username), meeting.public_id)


def test_allowed_with_melwins_consent_when_every_attendee_is_covered(
    world, next_meeting, melwin_consent
):
    item = _add_melwin(world, next_meeting)
    assert item.consent_reference == str(melwin_consent.public_id)
    created = AuditEvent.objects.filter(resource_id=str(item.public_id), action="create").get()
    assert created.ground_code == "consent"
    assert created.ground_reference == str(melwin_consent.public_id)
    assert created.subject_id == str(world.children["melwin"].public_id)
    for username in ("sofia", "lena", "frida"):
        view = _view(world, username, next_meeting)
        shown = [v for v in view.items if v.item.pk == item.pk]
        assert shown[0].visible, username
    # Each read from another organisation is a disclosure under the consent, logged
    # with the consent as its ground.
    read = AuditEvent.objects.filter(
        resource_id=str(item.public_id), action="read", actor_username="sofia"
    ).get()
    assert read.ground_code == "consent"
    assert read.ground_reference == str(melwin_consent.public_id)
    assert Disclosure.objects.filter(consent=melwin_consent, what__contains="Melwin").exists()


def test_refused_for_noah_without_consent_and_offered_as_anonymised(world, teen_forum):
    # Noah is known by Frejaskolan; no consent lets anything about him pass.
    consultation = teen_forum.meetings.filter(status="planned").order_by("starts_at").first()
    with pytest.raises(services.ConsentMissing) as refused:
        services.item_add(
            actor=world.actor("frida"),
            meeting=consultation,
            kind="identified",
            title="Noah",
            child=world.children["noah"],
            category="skolsituation",
        )
    assert "Samtycke saknas" in refused.value.message
    assert "avidentifierad ärendekonsultation" in refused.value.message
    assert len(refused.value.reasons) == 3  # Elevhälsan, Socialtjänsten, BUP
    assert not AgendaItem.objects.filter(meeting=consultation, kind="identified").exists()


def test_refused_when_an_attending_organisation_is_not_covered(world, next_meeting):
    vc = world.organisations["Vårdcentralen"]
    services.attendance_set(
        actor=world.actor("samir"), meeting=next_meeting, organisation_id=vc.pk, present=None
    )
    with pytest.raises(services.ConsentMissing) as refused:
        _add_melwin(world, next_meeting)
    assert refused.value.reasons == [
        "Vårdcentralen: Samtycke saknas för att lämna uppgifter från Elevhälsan Frejaskolan "
        "till Vårdcentralen (kategori Skolsituation och närvaro, syfte Samverkansträff). "
        "Be vårdnadshavarna om samtycke om uppgifterna behövs."
    ]
    # Recorded as absent, it no longer counts as attending.
    services.attendance_set(
        actor=world.actor("samir"), meeting=next_meeting, organisation_id=vc.pk, present=False
    )
    assert _add_melwin(world, next_meeting).pk


def test_participant_added_after_the_item_does_not_see_it(world, next_meeting):
    item = _add_melwin(world, next_meeting)
    vc = world.organisations["Vårdcentralen"]
    services.attendance_set(
        actor=world.actor("samir"), meeting=next_meeting, organisation_id=vc.pk, present=True
    )
    view = _view(world, "viktor", next_meeting)  # läkare, Vårdcentralen
    shown = next(v for v in view.items if v.item.pk == item.pk)
    assert not shown.visible
    assert "Samtycke saknas" in shown.reason
    denied = AuditEvent.objects.get(
        resource_id=str(item.public_id), actor_username="viktor", outcome="denied"
    )
    assert denied.subject_id == str(world.children["melwin"].public_id)


def test_revocation_before_the_meeting_hides_the_item_at_read_time(
    world, next_meeting, melwin_consent, login
):
    item = _add_melwin(world, next_meeting)
    consent_services.consent_revoke(
        actor=world.actor("karin"), consent=melwin_consent, note="Föräldrarna återkallade."
    )
    sofia = _view(world, "sofia", next_meeting)
    shown = next(v for v in sofia.items if v.item.pk == item.pk)
    assert not shown.visible
    # Social services is a party, not the consent's holder: told that the consent no
    # longer covers, not who revoked it (issue 11).
    assert "gäller inte längre" in shown.reason
    assert "återkall" not in shown.reason.lower() and "Andersson" not in shown.reason
    # The author's own organisation still sees its own item (no disclosure).
    karin = _view(world, "karin", next_meeting)
    assert next(v for v in karin.items if v.item.pk == item.pk).visible
    page = login("sofia").get(f"/forum/mote/{next_meeting.public_id}/")
    assert "Ärendet kan inte visas" in page.text
    assert "Melwin" not in page.text
    # The API says the same: the item exists, its content does not pass.
    # And no new identified item can be raised.
    with pytest.raises(services.ConsentMissing):
        _add_melwin(world, next_meeting)


def test_author_must_know_the_child(world, next_meeting):
    # Sofia may read Melwin's basic data under the consent, but social services has no
    # matter of its own about him: it cannot raise him by name.
    with pytest.raises(ValidationFailed, match="inget eget ärende"):
        services.item_add(
            actor=world.actor("sofia"),
            meeting=next_meeting,
            kind="identified",
            title="Melwin",
            child=world.children["melwin"],
            category="skolsituation",
        )


def test_author_must_see_the_child(world, next_meeting):
    with pytest.raises(NotFound):
        services.item_add(
            actor=world.actor("lena"),
            meeting=next_meeting,
            kind="identified",
            title="Noah",
            child=world.children["noah"],
            category="skolsituation",
        )


def test_anonymised_item_with_identifying_text_is_not_saved(world, next_meeting):
    before = AgendaItem.objects.count()
    with pytest.raises(services.IdentifyingText) as flagged:
        services.item_add(
            actor=world.actor("karin"),
            meeting=next_meeting,
            kind="anonymised",
            title="Konsultation",
            text="Melwin Andersson bor på Björkvägen 12 och mamma nås på 070-123 45 67.",
        )
    assert [f.text for f in flagged.value.findings] == [
        "Melwin Andersson",
        "Björkvägen 12",
        "070-123 45 67",
    ]
    assert AgendaItem.objects.count() == before


def test_item_form_offers_anonymised_after_refusal(world, login, next_meeting):
    client = login("frida")
    response = client.post(
        f"/forum/mote/{next_meeting.public_id}/punkt/",
        {
            "kind": "identified",
            "title": "Noah",
            "text": "Kommer utan mat.",
            "child": str(world.children["noah"].public_id),
            "category": "skolsituation",
        },
    )
    assert response.status_code == 200
    assert "Ärendet kan inte tas upp med namn" in response.text
    assert 'value="anonymised" checked' in response.text or "anonymised" in response.text
    response = client.post(
        f"/forum/mote/{next_meeting.public_id}/punkt/",
        {"kind": "anonymised", "title": "Konsultation", "text": "Noah Berg kommer utan mat."},
    )
    assert "Skriv om de här ställena" in response.text
    assert "<mark>Noah Berg</mark>" in response.text
    response = client.post(
        f"/forum/mote/{next_meeting.public_id}/punkt/",
        {"kind": "anonymised", "title": "Konsultation", "text": "En elev kommer utan mat."},
    )
    assert response.status_code == 302


def test_no_decision_on_an_item_the_convener_may_no_longer_see(world, next_meeting, melwin_consent):
    from samverkan.core.errors import PermissionDenied

    item = _add_melwin(world, next_meeting)
    services.item_decide(actor=world.actor("samir"), item=item, decision="BUP kallar.")
    consent_services.consent_revoke(actor=world.actor("karin"), consent=melwin_consent)
    with pytest.raises(PermissionDenied, match="gäller inte längre"):
        services.item_decide(actor=world.actor("samir"), item=item, decision="Ändrat.")
    item.refresh_from_db()
    assert item.decision == "BUP kallar."
