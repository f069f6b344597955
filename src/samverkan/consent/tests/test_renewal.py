"""Renewing a consent: the link is shown only to those who may renew; the new form
starts from the renewed consent's scope (never its signatures) and from the matter's
context as it is now."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.consent import services
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)
from samverkan.people import selectors as people_selectors
from samverkan.people import services as people_services
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db


class _World:
    """A ten-year-old pupil: the school (a rektor, a teacher) and social services (a
    socialsekreterare, voluntary support) have matters; BUP (a läkare) has none. The
    school registered a consent between the three, signed by both parents."""

    def __init__(self):
        principal = PrincipalFactory()
        self.school = OrganisationFactory(principal=principal, org_type="skola")
        self.social = OrganisationFactory(principal=principal, org_type="socialtjanst")
        self.bup = OrganisationFactory(principal=principal, org_type="bup")
        self.rektor = MembershipFactory(code="rektor", organisation=self.school)
        self.teacher = MembershipFactory(code="larare", organisation=self.school)
        self.social_worker = MembershipFactory(code="socialsekreterare", organisation=self.social)
        self.doctor = MembershipFactory(code="lakare", organisation=self.bup)
        today = timezone.localdate()
        self.child = ChildFactory(date_of_birth=today.replace(year=today.year - 10))
        InvolvementFactory(child=self.child, organisation=self.school)
        self.social_matter = InvolvementFactory(
            child=self.child, organisation=self.social, context="voluntary_support"
        )
        rektor = actor_of(self.rektor)
        for first in ("Sara", "Per"):
            people_services.guardian_add(
                actor=rektor,
                child=self.child,
                data=people_services.GuardianInput(
                    first_name=first, last_name="Testsson", custody_type="gemensam"
                ),
            )
        self.consent = services.consent_give(
            actor=rektor,
            child=self.child,
            party_ids=[self.social.pk, self.bup.pk],
            category_codes=["skolsituation", "insatser"],
            purpose_codes=["samverkanstraff"],
            form="written",
            context="voluntary",
            exclusions="Inget om mammans hälsa.",
            givers=[
                services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
                for c in people_selectors.system_custodies(self.child, self.school.pk)
            ],
        )

    def client(self, membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        return client

    def renew_url(self) -> str:
        url = reverse("consent:give", args=[self.child.public_id])
        return f"{url}?fornya={self.consent.public_id}"


def test_renew_link_only_for_those_who_may_renew():
    world = _World()
    detail = reverse("consent:detail", args=[world.consent.public_id])
    # BUP may read the consent (a party, under the consent itself) but has no matter
    # with the child, so it cannot register one: no link that leads to a 404.
    doctor = world.client(world.doctor)
    page = doctor.get(detail)
    assert page.status_code == 200
    assert "Förnya samtycket" not in page.text
    assert doctor.get(world.renew_url()).status_code == 404
    # A teacher reads it on the school's matter but may not register consents.
    assert "Förnya samtycket" not in world.client(world.teacher).get(detail).text
    # The rektor may.
    rektor = world.client(world.rektor)
    assert "Förnya samtycket" in rektor.get(detail).text
    assert rektor.get(world.renew_url()).status_code == 200


def test_renewing_a_lapsed_consent_preselects_the_context_the_matter_has_now():
    """Only social services, whose matter changed character, is offered the new
    context; the school's renewal form must not tell it that a report came in
    (issue 11, defect 2)."""
    world = _World()
    people_services.involvement_change_context(
        actor=actor_of(world.social_worker),
        involvement_public_id=world.social_matter.public_id,
        context="report",
        reason="Anmälan har kommit in.",
    )
    response = world.client(world.social_worker).get(world.renew_url())
    form = response.context["form"]
    assert form["context"].value() == "report_investigation"
    assert '<option value="report_investigation" selected>' in response.text
    school = world.client(world.rektor).get(world.renew_url())
    assert school.context["form"]["context"].value() == "voluntary"
    assert '<option value="report_investigation" selected>' not in school.text


def test_a_new_consent_in_an_investigation_starts_in_that_context():
    world = _World()
    world.social_matter.context = "investigation"
    world.social_matter.save()
    response = world.client(world.social_worker).get(
        reverse("consent:give", args=[world.child.public_id])
    )
    assert response.context["form"]["context"].value() == "report_investigation"
    school = world.client(world.rektor).get(reverse("consent:give", args=[world.child.public_id]))
    assert school.context["form"]["context"].value() == "voluntary"


def test_renewing_a_revoked_consent_starts_from_its_scope_never_its_signatures():
    world = _World()
    services.consent_revoke(actor=actor_of(world.rektor), consent=world.consent, note="Ångrat.")
    # The child's consent panel offers to renew the revoked consent itself (not an
    # empty "register a consent" form).
    panel = world.client(world.rektor).get(
        reverse("consent:child_consents", args=[world.child.public_id]), {"fragment": 1}
    )
    assert world.renew_url() in panel.text.replace("&amp;", "&")
    assert f"Förnya samtycke {world.consent.short_id}" in panel.text
    response = world.client(world.rektor).get(world.renew_url())
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form["parties"].value()) >= {world.social.pk, world.bup.pk}
    assert set(form["categories"].value()) == {"skolsituation", "insatser"}
    assert form["purposes"].value() == ["samverkanstraff"]
    assert form["exclusions"].value() == "Inget om mammans hälsa."
    assert not form["givers"].value()  # nobody has consented to the new one yet
    assert 'name="givers" value="guardian:' in response.text
    assert "checked" not in response.text.split('name="givers"', 1)[1].split(">", 1)[0]
    # Registering it makes a new consent that points at the revoked one.
    post = world.client(world.rektor).post(
        world.renew_url(),
        {
            "renews": str(world.consent.public_id),
            "parties": [world.social.pk, world.bup.pk],
            "categories": ["skolsituation", "insatser"],
            "purposes": ["samverkanstraff"],
            "form": "written",
            "context": "voluntary",
            "valid_until": (timezone.localdate() + datetime.timedelta(days=100)).isoformat(),
        },
    )
    assert post.status_code == 302
    assert world.consent.renewals.count() == 1


def test_a_consent_cannot_renew_another_childs_consent():
    """The renewed consent must be the same child's: otherwise another child's consent
    would be marked as replaced by this one."""
    world = _World()
    today = timezone.localdate()
    other = ChildFactory(date_of_birth=today.replace(year=today.year - 9))
    InvolvementFactory(child=other, organisation=world.school)
    with pytest.raises(services.ValidationFailed) as refused:
        services.consent_give(
            actor=actor_of(world.rektor),
            child=other,
            party_ids=[world.social.pk],
            category_codes=["skolsituation"],
            purpose_codes=["samverkanstraff"],
            form="written",
            context="voluntary",
            renews=world.consent,
        )
    assert refused.value.field == "renews"
    assert not world.consent.events.filter(kind="renewed").exists()
