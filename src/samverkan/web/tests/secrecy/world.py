"""A small world built from factories for the secrecy tests: a school (a rektor who
registers children, a mentor), social services (a socialsekreterare) and BUP (a läkare)
under one municipality; a child the school registered with a guardian recorded by the
school; and helpers that put a consent, a SIP, a report into a chosen state."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.test import Client
from django.utils import timezone

from samverkan.consent import services as consent_services
from samverkan.demo.world import fictional_number
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)
from samverkan.people import selectors as people_selectors
from samverkan.people import services as people_services

ALL_CATEGORIES = [
    "skolsituation",
    "halsa",
    "social_situation",
    "insatser",
]


@dataclass
class SecrecyWorld:
    school: object  # directory.Organisation
    social: object
    bup: object
    staff: dict = field(default_factory=dict)  # role -> directory.Membership
    child: object = None
    guardian_name: str = ""

    def actor(self, who: str):
        return actor_of(self.staff[who])

    def client(self, who: str) -> Client:
        """A logged-in browser session; for ``/api/`` paths it also sends a bearer
        token of the same membership (the API takes no session)."""
        from samverkan.directory.services import token_create

        _, token = token_create(actor=None, membership=self.staff[who])
        client = Client(headers={"Authorization": f"Bearer {token}"})
        client.force_login(self.staff[who].user)
        return client

    def consent(self, parties: list, *, by: str = "rektor", **kwargs):
        actor = self.actor(by)
        kwargs.setdefault("category_codes", ALL_CATEGORIES)
        kwargs.setdefault("purpose_codes", ["sip", "allman_samverkan"])
        kwargs.setdefault("context", "voluntary")
        givers = [
            consent_services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
            for c in people_selectors.system_custodies(self.child, actor.organisation_id)
        ]
        return consent_services.consent_give(
            actor=actor,
            child=self.child,
            party_ids=[o.pk for o in parties],
            form="written",
            givers=givers,
            **kwargs,
        )


_serial = 0


def secrecy_world(*, guardian=("Gunilla", "Markörsdotter"), **child_fields) -> SecrecyWorld:
    """``child_fields``: more of ``people.services.child_register``'s arguments (e.g.
    ``protected_identity`` and the address)."""
    principal = PrincipalFactory()
    school = OrganisationFactory(principal=principal, org_type="skola", name="Testskolan")
    social = OrganisationFactory(
        principal=principal, org_type="socialtjanst", name="Testsocialtjänsten"
    )
    bup = OrganisationFactory(principal=principal, org_type="bup", name="Test-BUP")
    world = SecrecyWorld(school=school, social=social, bup=bup)
    world.staff["rektor"] = MembershipFactory(code="rektor", organisation=school)
    world.staff["mentor"] = MembershipFactory(code="mentor", organisation=school)
    world.staff["socsek"] = MembershipFactory(code="socialsekreterare", organisation=social)
    world.staff["lakare"] = MembershipFactory(code="lakare", organisation=bup)
    global _serial
    _serial += 1
    child, _ = people_services.child_register(
        actor=world.actor("rektor"),
        # ten years old: the guardians consent, the child's own consent is not needed
        personal_number=fictional_number(
            timezone.localdate() - datetime.timedelta(days=3650 + _serial), 993
        ),
        first_name="Vilgot",
        last_name="Hemligsson",
        context="education",
        **child_fields,
    )
    world.child = child
    people_services.guardian_add(
        actor=world.actor("rektor"),
        child=child,
        data=people_services.GuardianInput(
            first_name=guardian[0], last_name=guardian[1], custody_type="ensam"
        ),
    )
    world.guardian_name = " ".join(guardian)
    return world


def in_days(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
