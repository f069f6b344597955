"""The shared chronology of a child: each organisation sees only the events it has a
ground for now, with the ground beside each; filters by kind and organisation; PDF."""

from __future__ import annotations

import pytest
from django.test import Client

from samverkan.audit.models import AuditEvent
from samverkan.concerns import services as concerns
from samverkan.concerns.tests.factories import report_world
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
)
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

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
