"""Planted markers in the record kinds the first crawls did not cover (issue 11): a SIP
follow-up (its note and an effort's assessed effect), an escalation about the child by
name, feedback written to the reporter under a consent and the inbox item it makes, a
person's own checklist, the guardian's name and the report's texts. Each world is built
from factories. Every page and API GET operation is then requested

- as BUP, which was never a party to the consent (no ground for anything about the
  child), and
- in the family portal as the guardian of another child,

and no marker may appear in a body or a header. One world serves both crawls, so the
test stays within a crawl's time per viewer.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.concerns import services as concern_services
from samverkan.knowledge import services as knowledge_services
from samverkan.meetings import services as meeting_services
from samverkan.people.tests.factories import ChildFactory
from samverkan.plans import selectors as plan_selectors
from samverkan.plans import services as plan_services
from samverkan.portal.tests.conftest import born, portal_client
from samverkan.portal.tests.factories import (
    CustodyFactory,
    FamilyAccountFactory,
    GuardianFactory,
)

from .crawl import _leaks, crawl, marker, urls_for
from .world import secrecy_world

pytestmark = pytest.mark.django_db


def _world():
    world = secrecy_world(guardian=(marker("Guardianfirst"), marker("Guardianlast")))
    school, child = world.actor("rektor"), world.child
    report = concern_services.report_submit(
        actor=school,
        child=child,
        worry=marker("Worry"),
        observations=marker("Observations"),
        reporter_phone="08-123 456 78",
    )
    concern_services.handling_assign(
        actor=world.actor("socsek"), report=report, handler_membership_id=world.staff["socsek"].pk
    )
    # The school and social services may share about the child in social services'
    # matter (a consent given with the report): feedback, a SIP, an escalation.
    world.consent(
        [world.school, world.social],
        purpose_codes=["sip", "allman_samverkan", "samverkanstraff", "aterkoppling"],
        context="report_investigation",
        exclusions=marker("Exclusions"),
    )
    concern_services.feedback_send(
        actor=world.actor("socsek"), report=report, text=marker("Feedbacktext")
    )
    plan = plan_services.plan_start(
        actor=school,
        child=child,
        called_organisation_ids=[world.social.pk],
        purpose=marker("Planpurpose"),
        question=marker("Planquestion"),
        meeting_at=timezone.now() + datetime.timedelta(days=5),
        meeting_place=marker("Meetingplace"),
    )
    plan = plan_services.plan_save(
        actor=school,
        plan=plan,
        expected_version=plan.version,
        needs=[marker("Need")],
        long_term_goal=marker("Longgoal"),
        short_term_goals=[marker("Shortgoal")],
        efforts=[
            plan_services.EffortInput(
                title=marker("Efforttitle"),
                organisation_id=world.school.pk,
                responsible=marker("Effortresponsible"),
            )
        ],
        responsible_organisation_id=world.school.pk,
        coordinator_user_id=world.staff["rektor"].user_id,
        follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
        child_words=marker("Planchildwords"),
    )
    effort = plan_selectors.plan_get(school, plan.public_id).efforts[0]
    plan_services.followup_record(
        actor=school,
        plan=plan_selectors.plan_for_change(school, plan.public_id),
        held_on=timezone.localdate(),
        assessments=[
            plan_services.AssessmentInput(
                effort_key=effort["key"], status="ongoing", effect=marker("Effect")
            )
        ],
        note=marker("Followupnote"),
    )
    escalation = meeting_services.escalation_open(
        actor=school,
        title=marker("Escalationtitle"),
        description=marker("Escalationtext"),
        counterpart_organisation_id=world.social.pk,
        child=child,
    )
    knowledge_services.checklist_item_add(actor=school, text=marker("Checklistitem"))
    ids = {
        "child": child.public_id,
        "plan": plan.public_id,
        "report": report.public_id,
        "concern": report.public_id,
        "escalation": escalation.public_id,
    }
    return world, ids


PLANTED = {
    "Worry",
    "Feedbacktext",
    "Followupnote",
    "Effect",
    "Escalationtitle",
    "Escalationtext",
    "Checklistitem",
}


def _another_childs_guardian(world):
    """A guardian of another pupil of the same school, logged in to the portal."""
    child = ChildFactory(date_of_birth=born(9), first_name="Signe")
    guardian = GuardianFactory(organisation=world.school, first_name="Karin")
    CustodyFactory(child=child, guardian=guardian)
    account = FamilyAccountFactory(
        personal_number=guardian.personal_number, display_name=guardian.full_name
    )
    return portal_client(account)


def test_no_marker_of_the_other_kinds_reaches_a_viewer_without_a_ground():
    world, ids = _world()
    # The markers are really there, for those who hold them.
    school = world.client("rektor")
    seen = set()
    for url in (
        reverse("plans:detail", args=[ids["plan"]]),
        reverse("concerns:detail", args=[ids["report"]]),
        reverse("meetings:escalation", args=[ids["escalation"]]),
        reverse("knowledge:checklist"),
        reverse("notify:inbox"),
    ):
        seen.update(m.removeprefix("Qxzq") for m in _leaks(school.get(url)))
    assert seen >= PLANTED - {"Effect"}, PLANTED - seen
    # The guardian crawls the portal (staff pages and the API only send a family member
    # to log in as staff).
    for viewer, client, api, under in (
        ("BUP", world.client("lakare"), True, ""),
        ("another child's guardian", _another_childs_guardian(world), False, "familj/"),
    ):
        urls = urls_for(client, ids, api=api, under=under)
        assert len(urls) > (60 if api else 5), viewer
        leaks, errors = crawl(client, ids, api=api, under=under)
        assert not leaks, f"markers reached {viewer}: {leaks}"
        assert not errors, f"{viewer}: server errors: {errors}"
