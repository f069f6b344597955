"""Consents in the family portal: each guardian signs from their own login, joint
custody needs both, revoking and narrowing take effect at once, the registering staff
member is told in the inbox, the signing act keeps the e-legitimation transaction and
level, and what was signed is never changed."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import DatabaseError, transaction

from samverkan.consent import sharing
from samverkan.notify import selectors as inbox

from .conftest import portal_client, sign_form

AuditEvent = apps.get_model("audit", "AuditEvent")
SigningAct = apps.get_model("portal", "SigningAct")
Consent = apps.get_model("consent", "Consent")


def _bup_reads(family, category: str = "skolsituation") -> bool:
    """Whether the school's information about the child passes to BUP now."""
    return sharing.decide_sharing(
        child=family.child,
        from_organisation_id=family.school.pk,
        to_organisation_id=family.bup.pk,
        category=category,
        purpose=None,
    ).allowed


def _sign(client, consent):
    return client.post(
        f"/familj/samtycke/{consent.public_id}/skriv-under/", sign_form(client, consent)
    )


def test_joint_custody_needs_both_guardians_each_from_their_own_login(family):
    maria, jonas = (portal_client(a) for a in family.accounts)
    assert not _bup_reads(family)

    page = maria.get(f"/familj/samtycke/{family.consent.public_id}/")
    assert page.status_code == 200
    assert "BUP Norr" in page.content.decode()
    assert "Skriv under" in page.content.decode()

    response = _sign(maria, family.consent)
    assert response.status_code == 302
    # One guardian of two: the consent does not cover yet, BUP still cannot read.
    assert not _bup_reads(family)
    page = maria.get(f"/familj/samtycke/{family.consent.public_id}/").content.decode()
    assert "Alla vårdnadshavare har inte skrivit under än" in page
    assert "Du har redan" not in page and 'action="/familj/samtycke/' in page

    assert _sign(jonas, family.consent).status_code == 302
    assert _bup_reads(family)  # at once, through the sharing grants

    acts = list(SigningAct.objects.filter(consent_public_id=family.consent.public_id))
    assert [a.signer_name for a in acts] == ["Maria Testsson", "Jonas Testsson"]
    assert all(a.assurance_level == 3 and a.transaction_id.startswith("tx-") for a in acts)
    assert "loa3" in acts[0].acr
    givers = family.consent.givers.all()
    assert {g.method for g in givers} == {"digital"}
    row = AuditEvent.objects.filter(
        resource_id=str(family.consent.public_id), action="change"
    ).latest("id")
    assert row.actor_name == "Jonas Testsson"
    assert row.actor_user_id is None and row.actor_username.startswith("familj-")
    assert row.assurance_level == "loa3"
    assert row.details["e_transaction"] == acts[1].transaction_id
    # The staff member who prepared it is told.
    items = inbox.inbox_page(family.staff(family.kurator)).items
    assert any("underskrift i e-tjänsten" in r.shown.title for r in items)


def test_signing_twice_is_refused_and_records_one_signature(family):
    maria = portal_client(family.accounts[0])
    _sign(maria, family.consent)
    again = _sign(maria, family.consent)
    assert again.status_code == 422
    assert family.consent.givers.count() == 1


def test_a_stale_login_must_identify_again_before_signing(family):
    maria = portal_client(family.accounts[0], login_age=3600 * 0.9)
    response = _sign(maria, family.consent)
    assert response.status_code == 302
    assert response["Location"].startswith("/familj/logga-in/e-legitimation/?igen=1")
    assert family.consent.givers.count() == 0


def test_a_guardian_the_registering_organisation_did_not_record_cannot_sign(family):
    from .factories import CustodyFactory, FamilyAccountFactory, GuardianFactory

    # A guardian BUP recorded (not the school, which prepared the consent).
    other = GuardianFactory(organisation=family.bup, first_name="Okänd")
    CustodyFactory(child=family.child, guardian=other)
    account = FamilyAccountFactory(personal_number=other.personal_number)
    page = portal_client(account).get(f"/familj/samtycke/{family.consent.public_id}/")
    assert page.status_code == 200
    assert "Skriv under med e-legitimation" not in page.content.decode()
    refused = _sign(portal_client(account), family.consent)
    assert refused.status_code == 422
    assert "har inte registrerat dig som vårdnadshavare" in refused.content.decode()


@pytest.fixture
def signed(family):
    for account in family.accounts:
        _sign(portal_client(account), family.consent)
    assert _bup_reads(family)
    return family


def test_revoking_takes_effect_at_once_and_the_staff_inbox_shows_it(signed):
    family = signed
    jonas = portal_client(family.accounts[1])
    response = jonas.post(
        f"/familj/samtycke/{family.consent.public_id}/aterkalla/",
        {"revoke-confirm": "on", "revoke-note": "Vi vill prata med BUP själva."},
    )
    assert response.status_code == 302
    assert not _bup_reads(family)
    titles = [r.shown.title for r in inbox.inbox_page(family.staff(family.kurator)).items]
    assert any("har återkallats" in t for t in titles)
    act = SigningAct.objects.filter(kind="revoke").get()
    assert act.signer_name == "Jonas Testsson"
    page = jonas.get(f"/familj/samtycke/{family.consent.public_id}/").content.decode()
    assert "Återkallat" in page


def test_revoking_without_confirming_changes_nothing(signed):
    response = portal_client(signed.accounts[0]).post(
        f"/familj/samtycke/{signed.consent.public_id}/aterkalla/", {"revoke-note": "x"}
    )
    assert response.status_code == 422
    assert "Kryssa i rutan" in response.content.decode()
    assert _bup_reads(signed)


def test_narrowing_removes_a_category_at_once_and_keeps_the_rest_signed(signed):
    family = signed
    maria = portal_client(family.accounts[0])
    response = maria.post(
        f"/familj/samtycke/{family.consent.public_id}/inskrank/",
        {"narrow-confirm": "on", "narrow-categories": ["halsa"]},
    )
    assert response.status_code == 302
    new = Consent.objects.get(renews=family.consent)
    assert response["Location"] == f"/familj/samtycke/{new.public_id}/"
    assert sorted(c.code for c in new.categories.all()) == ["skolsituation"]
    assert new.givers.filter(revoked_at__isnull=True).count() == 2
    assert family.consent.givers.filter(revoked_at__isnull=True).count() == 0
    # The narrower consent covers (both signatures carried over); health no longer.
    assert _bup_reads(family, "skolsituation") and not _bup_reads(family, "halsa")
    assert SigningAct.objects.get(kind="narrow").result_public_id == new.public_id


def test_the_registering_organisation_cannot_be_narrowed_away(signed):
    family = signed
    response = portal_client(family.accounts[0]).post(
        f"/familj/samtycke/{family.consent.public_id}/inskrank/",
        {"narrow-confirm": "on", "narrow-parties": [str(family.school.pk)]},
    )
    assert response.status_code == 422  # not a choice: the school wrote the consent
    assert not Consent.objects.filter(renews=family.consent).exists()


def test_a_signing_act_can_never_be_changed(signed):
    act = SigningAct.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        SigningAct.objects.filter(pk=act.pk).update(statement="ändrad")
    with pytest.raises(DatabaseError), transaction.atomic():
        SigningAct.objects.filter(pk=act.pk).delete()


def test_the_signature_is_bound_to_the_exact_text_shown_and_the_receipt_shows_its_digest(family):
    import hashlib
    import re

    maria = portal_client(family.accounts[0])
    form = sign_form(maria, family.consent)
    page = maria.get(f"/familj/samtycke/{family.consent.public_id}/").content.decode()
    assert "Det här skriver du under" in page and "Skolsituation och närvaro" in page

    # The consent changes after the page was shown: the old digest no longer signs.
    Consent.objects.filter(pk=family.consent.pk).update(exclusions="Inget om syskonen.")
    stale = maria.post(f"/familj/samtycke/{family.consent.public_id}/skriv-under/", form)
    assert stale.status_code == 422
    assert "Samtycket har ändrats sedan sidan visades" in stale.content.decode()
    assert family.consent.givers.count() == 0 and not SigningAct.objects.exists()

    fresh = sign_form(maria, family.consent)
    assert fresh["sign-text_sha256"] != form["sign-text_sha256"]
    assert _sign(maria, family.consent).status_code == 302
    act = SigningAct.objects.get()
    assert "Gäller inte: Inget om syskonen." in act.statement
    assert act.text_sha256 == hashlib.sha256(act.statement.encode()).hexdigest()
    receipt = maria.get(f"/familj/samtycke/{family.consent.public_id}/").content.decode()
    assert re.search(rf"<code class=\"digest\">{act.text_sha256}</code>", receipt)
