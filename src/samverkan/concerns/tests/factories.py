"""A small world for report tests: a school (a teacher, a rektor) and social services
(its intake, with a Mottagningen unit and age-band units) in one municipality."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from samverkan.directory.models import Membership, Organisation, Unit
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)


@dataclass
class ReportWorld:
    school: Organisation
    social: Organisation
    teacher: Membership
    rektor: Membership
    intake: Membership

    def actor(self, membership: Membership):
        return actor_of(membership)

    def client(self, membership: Membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        return client


def report_world(*, social: Organisation | None = None) -> ReportWorld:
    """A new municipality; or, given ``social``, a school and an intake beside that
    social services organisation (e.g. the one a private person's report reached)."""
    principal = social.principal if social is not None else PrincipalFactory()
    school = OrganisationFactory(principal=principal, org_type="skola")
    social = social or OrganisationFactory(principal=principal, org_type="socialtjanst")
    for name, low, high in [
        ("Mottagningen", None, None),
        ("Familjecentralen 0–12", 0, 12),
        ("Ungdoms- och vuxencentralen 13–18", 13, 18),
    ]:
        Unit.objects.get_or_create(
            organisation=social, name=name, defaults={"min_age": low, "max_age": high}
        )
    return ReportWorld(
        school=school,
        social=social,
        teacher=MembershipFactory(code="larare", organisation=school),
        rektor=MembershipFactory(code="rektor", organisation=school),
        intake=MembershipFactory(code="mottagningssekreterare", organisation=social),
    )
