"""Signing as the young person (decision 0200): from SAMVERKAN_PORTAL_OWN_ACCESS_AGE the
child logs in themself and signs or revokes their own consent where the rules engine
lets them — from SAMVERKAN_CONSENT_CHILD_OWN_AGE (15) a consent covers only with the
young person's own signature besides the guardians' — and cannot where it does not:
below the portal's age, below the age the child's own word is recorded from, a
signature that is not theirs, a consent about somebody else."""

from __future__ import annotations

import pytest
from django.apps import apps

from samverkan.consent import sharing
from samverkan.notify import selectors as inbox

from .conftest import born, portal_client, sign_form
from .factories import FamilyAccountFactory

SigningAct = apps.get_model("portal", "SigningAct")
ConsentGiver = apps.get_model("consent", "ConsentGiver")


def _bup_reads(family) -> bool:
    return sharing.decide_sharing(
        child=family.child,
        from_organisation_id=family.school.pk,
        to_organisation_id=family.bup.pk,
        category="skolsituation",
        purpose=None,
    ).allowed


def _url(family, tail=""):
    return f"/familj/samtycke/{family.consent.public_id}/{tail}"


def _aged(family, years: int):
    type(family.child).objects.filter(pk=family.child.pk).update(date_of_birth=born(years))
    family.child.refresh_from_db()
    return portal_client(
        FamilyAccountFactory(
            personal_number=family.child.personal_number, display_name=family.child.full_name
        )
    )


def _guardians_sign(family):
    for account in family.accounts:
        client = portal_client(account)
        response = client.post(_url(family, "skriv-under/"), sign_form(client, family.consent))
        assert response.status_code == 302


def test_at_sixteen_the_consent_covers_only_with_the_young_persons_own_signature(family):
    ines = _aged(family, 16)
    _guardians_sign(family)
    assert not _bup_reads(family)
    page = ines.get(_url(family)).content.decode()
    assert "Ines behöver själv skriva under" in page
    assert "Skriv under med e-legitimation" in page

    assert (
        ines.post(_url(family, "skriv-under/"), sign_form(ines, family.consent)).status_code == 302
    )
    assert _bup_reads(family)
    giver = ConsentGiver.objects.get(consent=family.consent, kind="child")
    assert giver.name == family.child.full_name and giver.guardian_id is None
    act = SigningAct.objects.filter(kind="sign").latest("occurred_at")
    assert act.signer_name == family.child.full_name
    assert act.child_public_id == family.child.public_id
    assert any(
        "fått en underskrift" in r.shown.title
        for r in inbox.inbox_page(family.staff(family.kurator)).items
    )


def test_the_young_person_revokes_their_own_signature_and_sharing_stops_at_once(family):
    ines = _aged(family, 16)
    _guardians_sign(family)
    ines.post(_url(family, "skriv-under/"), sign_form(ines, family.consent))
    assert _bup_reads(family)
    response = ines.post(_url(family, "aterkalla/"), {"revoke-confirm": "on"})
    assert response.status_code == 302
    assert not _bup_reads(family)
    revoked = ConsentGiver.objects.get(consent=family.consent, kind="child")
    assert revoked.revoked_at is not None
    # The guardians' own signatures are theirs: untouched.
    assert not ConsentGiver.objects.filter(
        consent=family.consent, kind="guardian", revoked_at__isnull=False
    ).exists()
    assert SigningAct.objects.filter(kind="revoke").get().signer_name == family.child.full_name
    assert any(
        "har återkallats" in r.shown.title
        for r in inbox.inbox_page(family.staff(family.kurator)).items
    )


def test_the_young_person_cannot_revoke_the_guardians_signatures(family):
    ines = _aged(family, 16)
    _guardians_sign(family)
    assert "Återkalla samtycket" not in ines.get(_url(family)).content.decode()
    response = ines.post(_url(family, "aterkalla/"), {"revoke-confirm": "on"})
    assert response.status_code == 422
    assert "ingen underskrift av dig" in response.content.decode()
    assert not ConsentGiver.objects.filter(
        consent=family.consent, revoked_at__isnull=False
    ).exists()
    assert not SigningAct.objects.filter(
        consent_public_id=family.consent.public_id, kind="revoke"
    ).exists()


def test_signing_twice_as_the_young_person_records_one_signature(family):
    ines = _aged(family, 16)
    form = sign_form(ines, family.consent)
    ines.post(_url(family, "skriv-under/"), form)
    again = ines.post(_url(family, "skriv-under/"), form)
    assert again.status_code == 422
    assert "redan skrivit under" in again.content.decode()
    assert ConsentGiver.objects.filter(consent=family.consent, kind="child").count() == 1


@pytest.mark.parametrize("age", [14, 12])
def test_below_the_portals_own_age_the_young_person_cannot_reach_the_consent(family, age):
    ines = _aged(family, age)
    assert ines.get(_url(family)).status_code == 404
    assert ines.post(_url(family, "skriv-under/"), {"sign-confirm": "on"}).status_code == 404
    assert not ConsentGiver.objects.filter(consent=family.consent, kind="child").exists()


def test_below_the_age_the_childs_word_is_recorded_from_the_child_cannot_sign(family, settings):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "PORTAL_OWN_ACCESS_AGE": 10}
    ines = _aged(family, 11)
    page = ines.get(_url(family))
    assert page.status_code == 200  # the portal lets an eleven-year-old in here
    assert "Skriv under med e-legitimation" not in page.content.decode()
    # The form a guardian is shown carries the same text's digest: the refusal is the
    # rule's, not the digest's.
    form = sign_form(portal_client(family.accounts[0]), family.consent)
    refused = ines.post(_url(family, "skriv-under/"), form)
    assert refused.status_code == 422
    assert "Du kan inte själv skriva under samtycket ännu." in refused.content.decode()
    assert not ConsentGiver.objects.filter(consent=family.consent, kind="child").exists()
    assert not SigningAct.objects.filter(consent_public_id=family.consent.public_id).exists()


def test_a_young_person_cannot_sign_a_consent_about_somebody_else(family):
    from samverkan.people.tests.factories import ChildFactory

    other = ChildFactory(date_of_birth=born(16))
    stranger = portal_client(
        FamilyAccountFactory(personal_number=other.personal_number, display_name=other.full_name)
    )
    assert stranger.get(_url(family)).status_code == 404
    assert stranger.post(_url(family, "skriv-under/"), {"sign-confirm": "on"}).status_code == 404
    assert not ConsentGiver.objects.filter(consent=family.consent).exists()
