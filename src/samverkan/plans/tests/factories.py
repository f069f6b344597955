"""Factories for SIPs: a holding organisation, called organisations and a plan that is
established (a complete version saved through the service, as on the plan page)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from samverkan.directory.models import Membership, Organisation
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    UserFactory,
    actor_of,
)
from samverkan.people.tests.factories import ChildFactory
from samverkan.plans import services
from samverkan.plans.models import Plan, PlanOrganisation


class PlanFactory(DjangoModelFactory):
    """A called plan (no content yet). Add participants with ``PlanOrganisationFactory``."""

    class Meta:
        model = Plan

    child = factory.SubFactory(ChildFactory)
    started_by_organisation = factory.SubFactory(OrganisationFactory, org_type="elevhalsa")
    started_by = factory.SubFactory(UserFactory)
    purpose = "Samordna stödet i skolan och hemma"
    question = "Vad behöver barnet för att orka skoldagen?"
    version = 0


class PlanOrganisationFactory(DjangoModelFactory):
    class Meta:
        model = PlanOrganisation

    plan = factory.SubFactory(PlanFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    acknowledged_at = factory.LazyFunction(timezone.now)


@dataclass
class SipWorld:
    plan: Plan
    holder: Membership  # kurator in the holding organisation
    called: Organisation
    called_staff: Membership  # socialsekreterare in the called organisation

    def actor(self, membership: Membership | None = None):
        return actor_of(membership or self.holder)


def sip_world(*, established: bool = True) -> SipWorld:
    """Elevhälsan (a kurator) holds a SIP and has called social services (a
    socialsekreterare). Established: saved once with one effort each, Elevhälsan with
    overall responsibility, the socialsekreterare as coordinator, a follow-up in 30 days."""
    principal = PrincipalFactory()
    holder = MembershipFactory(
        code="kurator", organisation__principal=principal, organisation__org_type="elevhalsa"
    )
    called_staff = MembershipFactory(
        code="socialsekreterare",
        organisation__principal=principal,
        organisation__org_type="socialtjanst",
    )
    plan = PlanFactory(started_by_organisation=holder.organisation, started_by=holder.user)
    PlanOrganisationFactory(plan=plan, organisation=holder.organisation, is_starter=True)
    PlanOrganisationFactory(plan=plan, organisation=called_staff.organisation)
    world = SipWorld(
        plan=plan, holder=holder, called=called_staff.organisation, called_staff=called_staff
    )
    if established:
        services.plan_save(
            actor=world.actor(),
            plan=plan,
            expected_version=plan.version,
            needs=["Komma tillbaka till skolan", "Sova bättre"],
            long_term_goal="Gå ut nian",
            short_term_goals=["Tre förmiddagar i veckan"],
            efforts=[
                services.EffortInput(
                    title="Stödsamtal varannan vecka",
                    organisation_id=holder.organisation_id,
                    responsible="Kurator",
                ),
                services.EffortInput(
                    title="Föräldrastöd",
                    organisation_id=called_staff.organisation_id,
                    responsible="Socialsekreterare",
                    starts_on=timezone.localdate(),
                ),
            ],
            responsible_organisation_id=holder.organisation_id,
            coordinator_user_id=called_staff.user_id,
            follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        plan.refresh_from_db()
    return world
