"""The portal's authorisation matrix: a family member reads only their own children
(current custody) or themself from the configured age, only through family rules —
staff rules never decide for them and staff pages never open for them — and every read
is audited with the family member as actor. A staff session does not open the portal."""

from __future__ import annotations

import time
import types

import django_ratelimit.core
import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from samverkan.access import policy
from samverkan.audit.models import Action
from samverkan.demo.world import fictional_number
from samverkan.people.tests.factories import ChildFactory
from samverkan.portal import session as portal_session

from .conftest import born, portal_client
from .factories import CustodyFactory, FamilyAccountFactory

AuditEvent = apps.get_model("audit", "AuditEvent")
Custody = apps.get_model("people", "Custody")


def _actor(account):
    return portal_session.actor_for({"level": 3, "name": account.display_name}, account)


def test_a_guardian_sees_their_child_and_the_involved_organisations(family):
    mark = AuditEvent.objects.latest("id").id
    client = portal_client(family.accounts[0])
    home = client.get("/familj/").content.decode()
    assert "Ines Testsson" in home
    page = client.get(f"/familj/barn/{family.child.public_id}/").content.decode()
    assert "Lärkskolan" in page and "BUP Norr" in page
    assert "Hälso- och sjukvård" in page
    rows = AuditEvent.objects.filter(id__gt=mark, subject_id=str(family.child.public_id))
    assert rows.filter(resource_type="people.child", outcome="allowed").count() >= 2
    assert {r.actor_username for r in rows} == {_actor(family.accounts[0]).username}
    assert {r.ground_code for r in rows if r.resource_type == "people.child"} == {"guardian"}


def test_another_familys_child_and_consent_are_not_found(family):
    stranger = FamilyAccountFactory()
    client = portal_client(stranger)
    assert client.get(f"/familj/barn/{family.child.public_id}/").status_code == 404
    assert client.get(f"/familj/samtycke/{family.consent.public_id}/").status_code == 404
    assert (
        client.post(
            f"/familj/samtycke/{family.consent.public_id}/skriv-under/", {"sign-confirm": "on"}
        ).status_code
        == 404
    )
    assert family.consent.givers.count() == 0
    denied = AuditEvent.objects.filter(outcome="denied", actor_username=_actor(stranger).username)
    assert denied.exists()


def test_an_ended_custody_gives_no_access(family):
    Custody.objects.filter(guardian=family.guardians[0]).update(
        ended_at=timezone.now(), end_reason="Vårdnaden flyttad"
    )
    client = portal_client(family.accounts[0])
    assert "Ines" not in client.get("/familj/").content.decode()
    assert client.get(f"/familj/barn/{family.child.public_id}/").status_code == 404


@pytest.mark.parametrize("age,own_age,sees", [(14, 15, False), (15, 15, True), (15, 16, False)])
def test_a_young_persons_own_access_from_the_configured_age(db, settings, age, own_age, sees):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "PORTAL_OWN_ACCESS_AGE": own_age}
    birth = born(age)
    child = ChildFactory(date_of_birth=birth, personal_number=fictional_number(birth, 992))
    client = portal_client(FamilyAccountFactory(personal_number=child.personal_number))
    page = client.get(f"/familj/barn/{child.public_id}/")
    assert (page.status_code == 200) is sees
    assert ("Mina egna uppgifter" in client.get("/familj/").content.decode()) is sees


def test_staff_rules_never_decide_for_a_family_member(family, world):
    actor = _actor(family.accounts[0])
    # A plan, a report, a forum: only staff rules exist for them, so a family member
    # is refused whatever those rules would say.
    for model in ("plans.plan", "concerns.report", "meetings.forum", "governance.agreement"):
        record = apps.get_model(model).objects.first()
        if record is None:
            continue
        decision = policy.decide(actor, Action.READ, record)
        assert not decision.allowed, model
    assert not policy.could_allow(actor, Action.READ, "concerns.report")
    # The family rule for the child is the only way in.
    assert policy.decide(actor, Action.READ, family.child).ground.code == "guardian"
    other = ChildFactory()
    CustodyFactory(child=other, guardian__organisation=family.bup)
    assert not policy.decide(actor, Action.READ, other).allowed


def test_staff_pages_do_not_open_for_a_family_session_and_the_portal_not_for_staff(family):
    client = portal_client(family.accounts[0])
    for url in ("/barn/", "/inkorg/", f"/barn/{family.child.public_id}/", "/logg/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert family.child.first_name not in response.content.decode()
    staff = Client()
    staff.force_login(family.kurator.user)
    response = staff.get("/familj/")
    assert response.status_code == 302 and response["Location"].startswith("/familj/logga-in/")


def test_the_portal_session_ends_after_idle_time(family, settings):
    settings.SAMVERKAN_PORTAL = {**settings.SAMVERKAN_PORTAL, "SESSION_IDLE_SECONDS": 0}
    client = portal_client(family.accounts[0])
    response = client.get("/familj/")
    assert response.status_code == 302
    assert "samverkan_portal" not in client.session


def test_the_portal_has_its_own_rate_limit(family, settings, monkeypatch):
    # django-ratelimit's fixed windows follow the wall clock: it stands still here, so
    # the four requests cannot straddle the end of a window (as in test_abuse_limits).
    now = float(int(time.time()))
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: now))
    settings.SAMVERKAN = {
        **settings.SAMVERKAN,
        "RATE_LIMITS": {**settings.SAMVERKAN["RATE_LIMITS"], "portal_session": "3/m"},
    }
    client = portal_client(family.accounts[0])
    codes = [client.get("/familj/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
