"""Meetings and the steps inside reports and plans in the shared chronology (issue 18
item 3, decision 0164's "not yet sources"): social services' steps in its handling of a
report, three-party meetings on a report, the SIP meeting and follow-ups inside a plan,
and named items about the child on collaboration meetings. Each is read through its own
disclosure path and audited; each shows its ground; an organisation with its own
matter but no ground for them sees none of them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.concerns import services as concerns
from samverkan.concerns.models import Meeting as ReportMeeting
from samverkan.concerns.tests.factories import report_world
from samverkan.directory.models import Function
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
)
from samverkan.meetings.models import AgendaItem, ForumOrganisation
from samverkan.meetings.tests.factories import ForumFactory, MeetingFactory
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.plans.models import FollowUp
from samverkan.plans.tests.factories import sip_world

pytestmark = pytest.mark.django_db

STEPS = ("Handläggare utsedd", "Skyddsbedömning gjord", "Förhandsbedömning: Utredning inleds")
REPORT_MEETING = "Trepartssamtal om anmälan"
PLAN_MEETINGS = ("SIP-möte", "Uppföljningsmöte")
FORUM_ITEM = "Barnet togs upp med namn på"


@pytest.fixture
def setting():
    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    report = concerns.report_submit(
        actor=world.actor(world.teacher),
        child=child,
        worry="Barnet kommer hungrigt till skolan varje dag.",
        reporter_phone="070-000 00 00",
    )
    intake = world.actor(world.intake)
    concerns.handling_assign(actor=intake, report=report, handler_membership_id=world.intake.pk)
    concerns.protection_assessment_record(
        actor=intake, report=report, text="Inget akut skyddsbehov."
    )
    concerns.preliminary_decide(actor=intake, report=report, decision="open", text="Utreds.")
    ReportMeeting.objects.create(
        report=report,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=1),
        place="Skolan",
        booked_by=world.intake.user,
        booked_by_name="Mottagningen",
    )
    # A SIP held by the student health service, with a meeting and a follow-up.
    sip = sip_world()
    sip.plan.child = child
    sip.plan.meeting_at = timezone.now() - datetime.timedelta(days=20)
    sip.plan.save(update_fields=["child", "meeting_at"])
    InvolvementFactory(child=child, organisation=sip.holder.organisation)
    FollowUp.objects.create(
        plan=sip.plan,
        held_on=timezone.localdate() - datetime.timedelta(days=2),
        recorded_at=timezone.now(),
        recorded_by_name="Kurator",
        version_number=1,
    )
    # The child psychiatry: its own matter with the child, member of the forum, no ground.
    bup = OrganisationFactory(principal=PrincipalFactory(kind="region"), org_type="bup")
    InvolvementFactory(child=child, organisation=bup)
    doctor = MembershipFactory(code="kurator", organisation=bup)
    # A collaboration forum where the school raised the child by name.
    forum = ForumFactory(convener_organisation=world.social)
    forum.functions.add(*Function.objects.filter(code__in=["larare", "kurator"]))
    for organisation in (world.social, world.school, bup):
        ForumOrganisation.objects.create(forum=forum, organisation=organisation)
    meeting = MeetingFactory(forum=forum, starts_in=-datetime.timedelta(days=1))
    AgendaItem.objects.create(
        meeting=meeting,
        kind="identified",
        title="Hunger i skolan",
        text="Hemligt innehåll",
        author_organisation=world.school,
        author_name="Lärare",
        child=child,
        category="skolsituation",
    )
    return world, child, sip, doctor, forum


def _page(membership, child, query="") -> str:
    client = Client()
    client.force_login(membership.user)
    response = client.get(f"/barn/{child.public_id}/kronologi/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_social_services_sees_its_steps_and_the_meeting_with_the_ground(setting):
    world, child, _sip, _doctor, _forum = setting
    page = _page(world.intake, child)
    for text in (*STEPS, REPORT_MEETING):
        assert text in page
    assert "Anmälningsskyldighet" in page
    handling_reads = AuditEvent.objects.filter(
        resource_type="concerns.handling", action="read", actor_organisation_id=world.social.pk
    )
    assert handling_reads.count() == 1
    assert handling_reads.get().ground_code == "duty_to_report"
    assert AuditEvent.objects.filter(
        resource_type="concerns.meeting", actor_organisation_id=world.social.pk
    ).exists()
    # The filter shows one kind only.
    steps_only = _page(world.intake, child, "?typ=report_step")
    assert "Skyddsbedömning gjord" in steps_only
    assert "Orosanmälan till socialtjänsten" not in steps_only


def test_the_reporter_sees_the_meeting_and_its_item_but_not_the_handling_steps(setting):
    world, child, _sip, _doctor, forum = setting
    page = _page(world.teacher, child)
    assert REPORT_MEETING in page
    assert f"{FORUM_ITEM} {forum.name}" in page
    for text in STEPS:
        assert text not in page
    assert "Hemligt innehåll" not in page  # titles only, never the item's text


def test_the_plan_holder_sees_the_sip_meeting_and_follow_up(setting):
    _world, child, sip, _doctor, _forum = setting
    page = _page(sip.holder, child)
    for text in PLAN_MEETINGS:
        assert text in page
    follow_up_reads = AuditEvent.objects.filter(
        resource_type="plans.followup", actor_organisation_id=sip.holder.organisation_id
    )
    assert follow_up_reads.count() == 1


def test_an_organisation_without_a_ground_sees_none_of_them(setting):
    world, child, sip, doctor, forum = setting
    page = _page(doctor, child)
    for text in (*STEPS, REPORT_MEETING, *PLAN_MEETINGS, FORUM_ITEM, forum.name):
        assert text not in page
    assert world.school.name not in page
    for resource_type in ("concerns.handling", "concerns.meeting", "plans.followup"):
        assert not AuditEvent.objects.filter(
            resource_type=resource_type, actor_organisation_id=doctor.organisation_id
        ).exists()
    # The forum item was decided and refused (audited as denied), not silently skipped.
    assert AuditEvent.objects.filter(
        resource_type="meetings.agendaitem",
        actor_organisation_id=doctor.organisation_id,
        outcome="denied",
    ).exists()
    # The SIP's called organisation, with its own matter but no consent, learns of no
    # meeting either.
    InvolvementFactory(child=child, organisation=sip.called)
    called = _page(sip.called_staff, child)
    for text in PLAN_MEETINGS:
        assert text not in called
