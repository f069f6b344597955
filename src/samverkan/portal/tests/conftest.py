"""A family for the portal tests, built from factories: a child of 10 in a school
(which registered both guardians, joint custody) who also has a matter at BUP; a
consent the school's kurator prepared between the school and BUP, not yet signed; and
clients logged in to the portal as each guardian (the session record the login writes;
the login itself is tested against the real test provider in test_login.py)."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.consent import services as consent_services
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.portal import session as portal_session

from .factories import CustodyFactory, FamilyAccountFactory, GuardianFactory


@dataclass
class Family:
    child: object
    school: object
    bup: object
    social: object
    kurator: object  # Membership at the school
    doctor: object  # Membership at BUP
    guardians: list  # Guardian rows as the school recorded them
    accounts: list  # FamilyAccount per guardian
    consent: object

    def staff(self, membership):
        return actor_of(membership)


def born(years: int, days: int = 30) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def portal_client(account, *, level: int = 3, login_age: float = 0) -> Client:
    client = Client()
    session = client.session
    now = time.time()
    session[portal_session.SESSION_KEY] = {
        "account_id": account.pk,
        "name": account.display_name,
        "acr": f"http://id.elegnamnden.se/loa/1.0/loa{level}",
        "level": level,
        "sid": "test-sid",
        "sub": f"sub-{account.pk}",
        "transaction_id": f"tx-{account.pk}-{int(now)}",
        "login_at": now - login_age,
        "seen_at": now,
    }
    session.save()
    return client


@pytest.fixture
def family(db) -> Family:
    return make_family()


def make_family() -> Family:
    """The family of the module docstring (also for tests on committed data, such as
    the concurrency tests, which cannot use the ``db`` fixture)."""
    principal = PrincipalFactory()
    school = OrganisationFactory(principal=principal, org_type="skola", name="Lärkskolan")
    bup = OrganisationFactory(principal=principal, org_type="bup", name="BUP Norr")
    social = OrganisationFactory(
        principal=principal, org_type="socialtjanst", name="Socialtjänsten Norr"
    )
    kurator = MembershipFactory(code="kurator", organisation=school)
    doctor = MembershipFactory(code="lakare", organisation=bup)
    child = ChildFactory(date_of_birth=born(10), first_name="Ines")
    InvolvementFactory(child=child, organisation=school)
    InvolvementFactory(child=child, organisation=bup, context="health_care")
    guardians = [
        GuardianFactory(organisation=school, first_name=name) for name in ("Maria", "Jonas")
    ]
    for guardian in guardians:
        CustodyFactory(child=child, guardian=guardian)
    accounts = [
        FamilyAccountFactory(personal_number=g.personal_number, display_name=g.full_name)
        for g in guardians
    ]
    consent = consent_services.consent_give(
        actor=actor_of(kurator),
        child=child,
        party_ids=[bup.pk],
        category_codes=["skolsituation", "halsa"],
        purpose_codes=["samverkanstraff"],
        form="digital",
        context="voluntary",
    )
    return Family(child, school, bup, social, kurator, doctor, guardians, accounts, consent)


def sign_form(client, consent) -> dict:
    """The signing form as the consent page gives it: the tick and the digest of the
    consent text shown (portal.receipt); no digest where the page offers no signing."""
    import re

    page = client.get(f"/familj/samtycke/{consent.public_id}/").content.decode()
    found = re.search(r'name="sign-text_sha256" value="([0-9a-f]{64})"', page)
    return {"sign-confirm": "on", "sign-text_sha256": found.group(1) if found else ""}
