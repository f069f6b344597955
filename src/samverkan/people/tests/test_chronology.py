"""The shared chronology of a child: each organisation sees only the events it has a
ground for now, with the ground beside each; filters by kind and organisation; PDF."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.concerns import services as concerns
from samverkan.concerns.tests.factories import report_world
from samverkan.consent import grants
from samverkan.consent import services as consent_services
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
)
from samverkan.people import services as people_services
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.plans import services as plan_services
from samverkan.web.tests.secrecy.world import secrecy_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    concerns.report_submit(
        actor=world.actor(world.teacher),
        child=child,
        worry="Barnet kommer hungrigt till skolan varje dag.",
        reporter_phone="070-000 00 00",
    )
    bup = OrganisationFactory(principal=PrincipalFactory(kind="region"), org_type="bup")
    InvolvementFactory(child=child, organisation=bup)
    doctor = MembershipFactory(code="kurator", organisation=bup)
    return world, child, bup, doctor


def _client(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def _url(child, query=""):
    return f"/barn/{child.public_id}/kronologi/{query}"


def test_each_organisation_sees_only_what_it_has_a_ground_for(setting):
    world, child, _bup, doctor = setting
    school_page = _client(world.teacher).get(_url(child)).content.decode()
    assert "Orosanmälan till socialtjänsten" in school_page
    assert world.school.name in school_page

    intake_page = _client(world.intake).get(_url(child)).content.decode()
    assert "Orosanmälan till socialtjänsten" in intake_page
    assert "Anmälningsskyldighet" in intake_page  # the ground beside the event

    # The child psychiatry has its own matter with the child but no ground for the
    # school's report: neither the report nor who made it.
    bup_page = _client(doctor).get(_url(child)).content.decode()
    assert "Orosanmälan till socialtjänsten" not in bup_page
    assert world.school.name not in bup_page
    assert "Inga händelser som din verksamhet har grund att se." in bup_page
    assert "Kan jag lämna ut det här?" in bup_page  # the lawful next step for its own


def test_the_chronology_filters_by_kind_and_organisation(setting):
    world, child, _bup, _doctor = setting
    client = _client(world.intake)
    assert "Orosanmälan till socialtjänsten" in client.get(_url(child, "?typ=report")).text
    assert "Orosanmälan till socialtjänsten" not in client.get(_url(child, "?typ=plan")).text
    other = client.get(_url(child, "?verksamhet=Någon+annan")).text
    assert "Orosanmälan till socialtjänsten" not in other


def test_the_chronology_prints_as_pdf_and_the_print_is_audited(setting):
    world, child, _bup, _doctor = setting
    response = _client(world.intake).get(_url(child, "?format=pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    row = AuditEvent.objects.filter(action="print", subject_id=str(child.public_id)).get()
    assert row.details["events"] == 1


def test_an_organisation_without_any_ground_for_the_child_gets_no_page(setting):
    _world, child, _bup, _doctor = setting
    stranger = MembershipFactory(code="kurator", organisation=OrganisationFactory())
    assert _client(stranger).get(_url(child)).status_code == 404


@pytest.mark.parametrize("state", ["covering", "revoked", "expired", "lapsed"])
def test_a_plan_shows_in_another_organisations_chronology_only_under_a_live_consent(state):
    world = secrecy_world()
    parties = [world.school, world.bup] + ([world.social] if state == "lapsed" else [])
    _, social_matter = people_services.child_register(
        actor=world.actor("socsek"),
        personal_number=world.child.personal_number,
        first_name=world.child.first_name,
        last_name=world.child.last_name,
        context="voluntary_support",
    )
    consent = world.consent(parties)
    plan_services.plan_start(
        actor=world.actor("rektor"),
        child=world.child,
        called_organisation_ids=[world.bup.pk],
        purpose="Qxzq-plan-purpose",
        question="Qxzq-plan-question",
        meeting_at=timezone.now() + datetime.timedelta(days=5),
        meeting_place="Skolan",
    )
    if state == "revoked":
        consent_services.consent_revoke(actor=world.actor("rektor"), consent=consent, note="")
    elif state == "expired":
        today = timezone.localdate()
        type(consent).objects.filter(pk=consent.pk).update(
            valid_from=today - datetime.timedelta(days=400),
            valid_until=today - datetime.timedelta(days=1),
        )
        grants.refresh([world.child.pk])
    elif state == "lapsed":
        people_services.involvement_change_context(
            actor=world.actor("socsek"),
            involvement_public_id=social_matter.public_id,
            context="investigation",
            reason="Utredning inleds.",
        )
    response = world.client("lakare").get(_url(world.child))
    body = response.content.decode()
    assert "Qxzq" not in body
    if state == "covering":
        assert response.status_code == 200
        assert "Samordnad individuell plan" in body
        assert f"Samtycke {consent.short_id}" in body  # the ground beside the event
        assert "Testskolan" in body
    else:
        assert "Samordnad individuell plan" not in body
        assert "Testskolan" not in body
