"""Defect 2 of issue 11: a consent given for voluntary support stops covering when
social services' matter becomes an investigation, but what each party is told is
derived for its own domain. The school must not learn from the consent page, the
child's overview, the start page's notices or the API that social services has a
report or an investigation; social services, whose matter it is, is told why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.consent import services as consent_services
from samverkan.consent.sharing import decide_sharing
from samverkan.people import services as people_services

from .world import secrecy_world

pytestmark = pytest.mark.django_db

# What the lapse text said. (The school's own matter form explains in general words that
# consents given for voluntary support stop covering when a matter changes character:
# help text about its own matter, not news about another's.)
REVEALING = ("ändrat karaktär", "gavs i samband med frivilliga insatser", "samtycket måste förnyas")


@pytest.fixture
def lapsed():
    world = secrecy_world()
    _, social_matter = people_services.child_register(
        actor=world.actor("socsek"),
        personal_number=world.child.personal_number,
        first_name="Vilgot",
        last_name="Hemligsson",
        context="voluntary_support",
    )
    consent = world.consent([world.school, world.social])
    assert decide_sharing(
        child=world.child,
        from_organisation_id=world.social.pk,
        to_organisation_id=world.school.pk,
        category="insatser",
        purpose="allman_samverkan",
    ).allowed
    people_services.involvement_change_context(
        actor=world.actor("socsek"),
        involvement_public_id=social_matter.public_id,
        context="investigation",
        reason="Utredning inleds.",
    )
    consent_services.consents_sweep()
    return world, consent


def _school_pages(world, consent):
    child = world.child.public_id
    return [
        reverse("consent:detail", args=[consent.public_id]),
        reverse("consent:child_consents", args=[child]) + "?fragment=1",
        reverse("consent:child_consents", args=[child]),
        reverse("people:child_detail", args=[child]),
        "/",
        "/inkorg/",
        f"/api/children/{child}/consents",
        f"/api/children/{child}/involvements",
    ]


@pytest.mark.parametrize("who", ["rektor", "mentor"])
def test_the_school_is_not_told_that_social_services_investigates(lapsed, who):
    world, consent = lapsed
    client = world.client(who)
    for url in _school_pages(world, consent):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for phrase in REVEALING:
            assert phrase not in text, (url, phrase)


def test_the_school_is_told_the_consent_no_longer_covers_and_what_to_do(lapsed):
    world, consent = lapsed
    page = world.client("rektor").get(reverse("consent:detail", args=[consent.public_id]))
    assert "gäller inte längre" in page.text
    assert "Be vårdnadshavarna om ett nytt samtycke" in page.text
    inbox = world.client("rektor").get("/inkorg/")
    # The notice is in the school's inbox, worded for the school.
    assert f"Samtycket för {world.child.full_name} täcker inte längre" in inbox.text


def test_the_lapse_takes_effect_for_everybody(lapsed):
    world, _ = lapsed
    for source, target in [(world.social, world.school), (world.school, world.social)]:
        assert not decide_sharing(
            child=world.child,
            from_organisation_id=source.pk,
            to_organisation_id=target.pk,
            category="insatser",
            purpose="allman_samverkan",
        ).allowed


def test_social_services_whose_matter_changed_is_told_why(lapsed):
    world, consent = lapsed
    page = world.client("socsek").get(reverse("consent:detail", args=[consent.public_id]))
    assert page.status_code == 200
    assert "ändrat karaktär" in page.text
    inbox = world.client("socsek").get("/inkorg/")
    assert "ändrat karaktär" in inbox.text  # its own matter: told why
