"""Defect 1 of issue 11: a party with no ground learns nothing personal from a refusal.

The school gives BUP a consent (a sole-custody guardian signs), starts a SIP calling
BUP, then the guardian revokes. BUP is still a participant, so its pages say the plan is
withheld; they must not say who revoked."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.consent import services as consent_services
from samverkan.plans import services as plan_services

from .world import secrecy_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def revoked_sip():
    world = secrecy_world()
    consent = world.consent([world.school, world.bup])
    plan = plan_services.plan_start(
        actor=world.actor("rektor"),
        child=world.child,
        called_organisation_ids=[world.bup.pk],
        purpose="Samordna stödet",
        question="Vad behöver Vilgot?",
        meeting_at=timezone.now() + datetime.timedelta(days=7),
        meeting_place="Skolans konferensrum",
    )
    consent_services.consent_revoke(actor=world.actor("rektor"), consent=consent)
    return world, plan, consent


def _bodies(world, plan):
    client = world.client("lakare")
    urls = [
        reverse("plans:index"),
        reverse("plans:detail", args=[plan.public_id]),
        reverse("plans:agenda", args=[plan.public_id]),
        reverse("plans:ics", args=[plan.public_id]),
        reverse("plans:pdf", args=[plan.public_id]),
        f"/api/plans/{plan.public_id}",
    ]
    for url in urls:
        response = client.get(url)
        yield url, response


def test_bup_after_revocation_never_learns_who_revoked(revoked_sip):
    world, plan, _ = revoked_sip
    first_name, last_name = world.guardian_name.split()
    for url, response in _bodies(world, plan):
        text = response.content.decode(errors="replace") + str(dict(response.headers))
        assert first_name not in text, url
        assert last_name not in text, url
        assert "återkallades" not in text, url


def test_withheld_page_says_what_is_missing_and_the_next_step(revoked_sip):
    world, plan, _ = revoked_sip
    response = world.client("lakare").get(reverse("plans:detail", args=[plan.public_id]))
    assert response.status_code == 403
    assert "samtycke" in response.text.lower()
    assert "Be vårdnadshavarna om ett nytt samtycke" in response.text


def test_the_school_that_holds_the_consent_still_sees_its_own_record(revoked_sip):
    world, _, consent = revoked_sip
    response = world.client("rektor").get(reverse("consent:detail", args=[consent.public_id]))
    assert response.status_code == 200
    assert world.guardian_name in response.text
