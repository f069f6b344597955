"""Which characters a matter may take depends on the organisation type
(people/data/matter_contexts.yaml): only social services receives reports and
investigates. A school that could set its own matter to "Utredning" would lapse every
voluntary consent for the child (issue 11, defect 5)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.consent import services as consent_services
from samverkan.consent import sharing
from samverkan.core.errors import ValidationFailed
from samverkan.demo.world import fictional_number
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)
from samverkan.people import selectors as people_selectors
from samverkan.people import services as people_services
from samverkan.people.models import Involvement
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db


class _World:
    """A ten-year-old pupil: the school (a rektor) and social services (voluntary
    support) have matters; the school registered a voluntary consent between them,
    signed by both parents."""

    def __init__(self):
        principal = PrincipalFactory()
        self.school = OrganisationFactory(principal=principal, org_type="skola")
        self.social = OrganisationFactory(principal=principal, org_type="socialtjanst")
        self.rektor = MembershipFactory(code="rektor", organisation=self.school)
        self.social_worker = MembershipFactory(code="socialsekreterare", organisation=self.social)
        today = timezone.localdate()
        self.child = ChildFactory(date_of_birth=today.replace(year=today.year - 10))
        self.school_matter = InvolvementFactory(child=self.child, organisation=self.school)
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
        self.consent = consent_services.consent_give(
            actor=rektor,
            child=self.child,
            party_ids=[self.social.pk],
            category_codes=["skolsituation", "insatser"],
            purpose_codes=["samverkanstraff"],
            form="written",
            context="voluntary",
            givers=[
                consent_services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
                for c in people_selectors.system_custodies(self.child, self.school.pk)
            ],
        )

    def covered(self) -> bool:
        return sharing.decide_sharing(
            child=self.child,
            from_organisation_id=self.school.pk,
            to_organisation_id=self.social.pk,
            category="skolsituation",
            purpose="samverkanstraff",
        ).allowed

    def client(self, membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        return client


@pytest.mark.parametrize("context", ["investigation", "report", "intervention"])
def test_a_school_cannot_give_its_matter_a_social_services_character(context):
    world = _World()
    assert world.covered()
    with pytest.raises(ValidationFailed) as caught:
        people_services.involvement_change_context(
            actor=actor_of(world.rektor),
            involvement_public_id=world.school_matter.public_id,
            context=context,
        )
    assert caught.value.field == "context"
    assert "Skola" in caught.value.message
    assert Involvement.objects.get(pk=world.school_matter.pk).context == "education"
    # The parents' voluntary consent still covers the school and social services.
    assert world.covered()


def test_the_school_page_offers_only_the_school_characters_and_refuses_a_forged_post():
    world = _World()
    client = world.client(world.rektor)
    overview = client.get(reverse("people:child_detail", args=[world.child.public_id])).text
    assert 'value="investigation"' not in overview
    assert 'value="report"' not in overview
    # Social services is offered its own characters (in the form the overview loads
    # when "Ändra ärendets karaktär" is opened).
    social = world.client(world.social_worker)
    overview = social.get(reverse("people:child_detail", args=[world.child.public_id])).text
    form_url = reverse(
        "people:form_involvement",
        args=[world.child.public_id, world.social_matter.public_id, "karaktar"],
    )
    assert f'hx-get="{form_url}"' in overview
    page = social.get(form_url, HTTP_HX_REQUEST="true").text
    assert 'value="investigation"' in page
    assert 'value="health_care"' not in page
    before = AuditEvent.objects.latest("id").id
    response = client.post(
        reverse(
            "people:involvement_context",
            args=[world.child.public_id, world.school_matter.public_id],
        ),
        {"ctx-context": "investigation", "ctx-reason": "Prövar."},
    )
    assert response.status_code == 422  # the overview again, the form as sent
    # Nothing changed, so nothing but the overview's read is recorded.
    assert set(AuditEvent.objects.filter(id__gt=before).values_list("action", flat=True)) <= {
        "read"
    }
    assert Involvement.objects.get(pk=world.school_matter.pk).context == "education"
    assert world.covered()
    assert "kan inte ha ärenden av karaktären ”Utredning”" in response.text


def test_registering_a_child_in_a_character_the_organisation_cannot_have_is_refused():
    world = _World()
    with pytest.raises(ValidationFailed) as caught:
        people_services.child_register(
            actor=actor_of(world.rektor),
            personal_number=fictional_number(timezone.localdate().replace(year=2016), 993),
            first_name="Nova",
            last_name="Testsson",
            context="report",
        )
    assert caught.value.field == "context"
    assert not Involvement.objects.filter(child__first_name="Nova").exists()


def test_social_services_still_changes_the_character_and_the_consent_lapses():
    world = _World()
    people_services.involvement_change_context(
        actor=actor_of(world.social_worker),
        involvement_public_id=world.social_matter.public_id,
        context="investigation",
    )
    assert Involvement.objects.get(pk=world.social_matter.pk).context == "investigation"
    assert not world.covered()


def test_every_organisation_type_has_its_characters_and_every_character_an_owner():
    from samverkan.directory.models import OrganisationType
    from samverkan.people import contexts
    from samverkan.people.models import InvolvementContext

    table = contexts.table()
    assert set(table) == set(OrganisationType.values)
    used = {code for codes in table.values() for code in codes}
    assert used == set(InvolvementContext.values)
    # Only social services receives reports and investigates.
    for org_type, codes in table.items():
        if org_type != "socialtjanst":
            assert not {"report", "investigation"} & set(codes), org_type
