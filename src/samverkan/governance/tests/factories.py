"""Factories for agreements: an agreement owned by a function of one organisation, with
parties, and the people who read, own and steer it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from samverkan.directory.models import Function
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
from samverkan.governance import services
from samverkan.governance.models import AgreementKind, AgreementStatus

BODY = """# Syfte
Skolan och socialtjänsten ska veta vem som gör vad.

# Arbetsgång
- Skolan anmäler oro.
- Socialtjänsten bekräftar mottagandet.
"""


class Setting:
    """Two organisations that are parties (a school and social services), one that is
    not (a preschool), the document owner (enhetschef at social services), a kurator at
    the school (a reader) and a member of the strategy group."""

    def __init__(self):
        self.social = OrganisationFactory(org_type="socialtjanst")
        self.school = OrganisationFactory(org_type="skola", principal=self.social.principal)
        self.outsider = OrganisationFactory(org_type="forskola", principal=self.social.principal)
        self.owner = MembershipFactory(code="enhetschef", organisation=self.social)
        self.reader = MembershipFactory(code="kurator", organisation=self.school)
        self.other = MembershipFactory(code="forskolechef", organisation=self.outsider)
        # Same organisation as the owner, another function: a reader, not an owner.
        self.colleague = MembershipFactory(code="socialsekreterare", organisation=self.social)
        self.strategist = MembershipFactory(code="strategigrupp", organisation=self.social)


def agreement(setting: Setting, **overrides):
    today = timezone.localdate()
    values = {
        "title": "Rutin för samverkan skola och socialtjänst",
        "kind": AgreementKind.ROUTINE,
        "status": AgreementStatus.IN_FORCE,
        "summary": "Hur skolan och socialtjänsten samverkar.",
        "body": BODY,
        "owner_organisation": setting.social,
        "owner_function": Function.objects.get(code="enhetschef"),
        "decided_on": today - datetime.timedelta(days=200),
        "review_on": today + datetime.timedelta(days=300),
        "parties": [setting.social, setting.school],
    }
    values.update(overrides)
    return services.agreement_create(actor=None, data=services.AgreementData(**values))
