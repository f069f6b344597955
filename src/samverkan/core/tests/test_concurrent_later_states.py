"""Twenty identical creations at once in a report's later states (issue 13, "Done
when"): the handler's feedback to the reporter, each side's evaluation after closure,
the oral report intake registers, and the API's feedback and additions. Each page is
opened as its user would open it and its form filled from what the page shows
(``_race_form``, ``_race_like_one``); the API calls carry one ``Idempotency-Key``. One
record, no 5xx; a race that makes nothing fails (a count of one, or every table's
count compared with one deliberate post).

``test_every_create_route.py`` holds the checklist of every creation and its race.
"""

from __future__ import annotations

import pytest

from samverkan.concerns.models import Entry

from .test_concurrent_creation import _api, _twenty_times
from .test_concurrent_forms import _race_form, _session
from .test_concurrent_more_forms import _race_like_one, _submitted_report

pytestmark = pytest.mark.usefixtures("concurrent_db")


def _handled_report():
    """A submitted report with a handler named in social services."""
    from samverkan.concerns import services
    from samverkan.directory.tests.factories import MembershipFactory, actor_of

    world, report = _submitted_report()
    handler = MembershipFactory(code="socialsekreterare", organisation=world.social)
    services.handling_assign(
        actor=actor_of(world.intake), report=report, handler_membership_id=handler.pk
    )
    return world, report, handler


def test_twenty_identical_feedback_statements_make_one(race):
    _, report, handler = _handled_report()
    client = _session(handler)
    page = f"/anmalan/{report.public_id}/"
    statuses = _race_form(race, client, page, f"{page}aterkoppling/", having="statement")
    assert set(statuses) == {302}, statuses
    assert Entry.objects.filter(report=report, kind="feedback").count() == 1


def test_twenty_identical_evaluations_after_closure_make_one(race):
    from samverkan.concerns import services
    from samverkan.concerns.models import Evaluation
    from samverkan.directory.tests.factories import actor_of

    world, report, handler = _handled_report()
    services.preliminary_decide(actor=actor_of(handler), report=report, decision="open")
    services.handling_close(actor=actor_of(handler), report=report, outcome="no_intervention")
    client = _session(world.teacher)
    page = f"/anmalan/{report.public_id}/"
    statuses = _race_form(race, client, page, f"{page}utvardering/", comment="Bra samarbete.")
    assert set(statuses) == {302}, statuses
    assert Evaluation.objects.filter(report=report).count() == 1


def test_twenty_identical_oral_reports_file_one(race):
    from samverkan.concerns.models import Report
    from samverkan.concerns.tests.factories import report_world
    from samverkan.people.tests.factories import ChildFactory

    world = report_world()
    child = ChildFactory()
    client = _session(world.intake)
    page = "/anmalan/muntlig/"
    values = {
        "personal_number": child.personal_number,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "reporter_org": str(world.school.pk),
        "reporter_name": "Lena Lärare",
        "worry": "Läraren ringde: barnet har blåmärken.",
    }
    statuses = _race_form(race, client, page, page, **values)
    assert set(statuses) == {302}, statuses
    assert Report.objects.filter(child=child).count() == 1


def test_twenty_identical_feedback_from_the_api_makes_one(race):
    _, report, handler = _handled_report()
    path = f"/api/concerns/{report.public_id}/feedback"
    statuses = _twenty_times(race, _api(handler), path, {"statement": "handler"}, api=True)
    assert set(statuses) == {201}, statuses
    assert Entry.objects.filter(report=report, kind="feedback").count() == 1


def test_twenty_identical_additions_from_the_api_make_one(race):
    world, report = _submitted_report()
    path = f"/api/concerns/{report.public_id}/additions"
    data = {"kind": "addition", "text": "Hen kom inte till skolan i dag."}
    statuses = _twenty_times(race, _api(world.teacher), path, data, api=True)
    assert set(statuses) == {201}, statuses
    assert Entry.objects.filter(report=report, kind="addition").count() == 1


# A forum meeting's later creations: an action item while the minutes are open, a
# correction to approved minutes, each participant's evaluation of a held meeting.


def _forum_meeting(**meeting):
    import datetime

    from samverkan.meetings.tests.factories import ForumFactory, MeetingFactory, convener_of

    forum = ForumFactory()
    convener = convener_of(forum)
    return convener, MeetingFactory(forum=forum, starts_in=-datetime.timedelta(hours=3), **meeting)


def test_twenty_identical_action_items_make_one(race):
    convener, meeting = _forum_meeting()
    client = _session(convener)
    page = f"/forum/mote/{meeting.public_id}/"
    values = {
        "text": "Ta fram en rutin för frånvaro.",
        "responsible_organisation": str(convener.organisation_id),
        "responsible_person": "Kim Berg",
    }
    made = _race_like_one(race, client, page, f"{page}atgard/", **values)
    assert made.get("meetings.ActionItem") == 1, made


def test_twenty_identical_corrections_to_approved_minutes_make_one(race):
    from django.utils import timezone

    convener, meeting = _forum_meeting(status="held", minutes_approved_at=timezone.now())
    client = _session(convener)
    page = f"/forum/mote/{meeting.public_id}/"
    made = _race_like_one(race, client, page, f"{page}rattelse/", text="Punkt 2: fel datum.")
    assert made.get("meetings.MinutesCorrection") == 1, made


def test_twenty_identical_evaluations_of_a_meeting_make_one(race):
    from samverkan.meetings.models import Evaluation

    convener, meeting = _forum_meeting(status="held")
    client = _session(convener)
    page = f"/forum/mote/{meeting.public_id}/"
    statuses = _race_form(race, client, page, f"{page}utvardering/", comment="Bra möte.")
    assert set(statuses) == {302}, statuses
    assert Evaluation.objects.filter(meeting=meeting).count() == 1


# A SIP's later creations: a follow-up, the follow-up meeting, and the family's texts
# in the portal (their own words, what is important before the follow-up meeting).


def _established_sip():
    """An established SIP (``sip_world``) about a child of 16 (the factories' children
    are born in 2010), who gives consent beside the guardians and may use the portal."""
    import datetime

    from django.utils import timezone

    from samverkan.plans.tests.factories import sip_world

    return sip_world(), datetime, timezone


def _consented(world):
    """The guardians' consent that lets the holder's organisation tell the called one
    about the SIP (the coordinator there may then open the plan)."""
    from samverkan.directory.tests.factories import actor_of
    from samverkan.people.tests.factories import InvolvementFactory

    from .test_concurrent_more_forms import _family_consent, _guardians

    holder, child = world.holder.organisation, world.plan.child
    InvolvementFactory(child=child, organisation=holder)
    _guardians(actor_of(world.holder), child)
    _family_consent(
        actor_of(world.holder),
        child,
        [holder.pk, world.called.pk],
        category_codes=["insatser"],
        purpose_codes=["sip"],
        context="voluntary",
        child_views="Vill att skolan och socialtjänsten pratar med varandra.",
    )
    return world


def _family_client(plan):
    from samverkan.portal.tests.conftest import portal_client
    from samverkan.portal.tests.factories import FamilyAccountFactory

    young = FamilyAccountFactory(personal_number=plan.child.personal_number, display_name="Ung")
    client = portal_client(young)
    client.raise_request_exception = False
    return client


def test_twenty_identical_follow_ups_of_a_sip_make_one(race):
    from samverkan.plans.models import FollowUp

    world, _, timezone = _established_sip()
    client = _session(world.holder)
    page = f"/sip/{world.plan.public_id}/uppfoljning/"
    values = {"held_on": timezone.localdate().isoformat(), "note": "Bra läge, fortsätt."}
    statuses = _race_form(race, client, page, page, **values)
    assert set(statuses) == {302}, statuses
    assert FollowUp.objects.filter(plan=world.plan).count() == 1


def test_twenty_identical_follow_up_meetings_of_a_sip_make_one(race):
    from samverkan.plans.models import FollowUpMeeting

    world, datetime, timezone = _established_sip()
    _consented(world)
    client = _session(world.called_staff)  # the coordinator
    page = f"/sip/{world.plan.public_id}/uppfoljningsmote/"
    when = timezone.localtime() + datetime.timedelta(days=14)
    values = {"meeting_at": when.strftime("%Y-%m-%dT10:00"), "place": "Skolans konferensrum"}
    statuses = _race_form(race, client, page, page, **values)
    assert set(statuses) == {302}, statuses
    assert FollowUpMeeting.objects.filter(plan=world.plan).count() == 1


def _with_follow_up_meeting():
    from samverkan.directory.tests.factories import actor_of
    from samverkan.plans import meetings

    world, datetime, timezone = _established_sip()
    _consented(world)
    meetings.follow_up_meeting_set(
        actor=actor_of(world.called_staff),
        plan=world.plan,
        meeting_at=timezone.now() + datetime.timedelta(days=14),
        place="Skolans konferensrum",
    )
    return world


@pytest.mark.parametrize(
    "what,model",
    [
        ("egna-ord", "plans.FamilyStatement"),
        ("uppfoljning/viktigt", "plans.FamilyStatement"),
    ],
)
def test_twenty_identical_texts_from_the_family_portal_make_one(race, what, model):
    world = _with_follow_up_meeting()
    client = _family_client(world.plan)
    page = f"/familj/plan/{world.plan.public_id}/"
    made = _race_like_one(race, client, page, f"{page}{what}/")
    assert made.get(model) == 1, made


def test_twenty_identical_answers_to_a_follow_up_meeting_from_the_portal_make_one(race):
    """The same answer sent again changes nothing (the latest answer counts), so the
    count is compared, not one more post."""
    from samverkan.plans.models import MeetingAnswer

    world = _with_follow_up_meeting()
    client = _family_client(world.plan)
    page = f"/familj/plan/{world.plan.public_id}/"
    statuses = _race_form(race, client, page, f"{page}uppfoljning/svar/")
    assert set(statuses) == {302}, statuses
    assert MeetingAnswer.objects.filter(plan=world.plan).count() == 1


# The API's creations about a child: a consent, and a SIP started on it.


def _child_with_guardians():
    from samverkan.directory.tests.factories import OrganisationFactory, actor_of
    from samverkan.people import selectors as people

    from .test_concurrent_forms import _school_child
    from .test_concurrent_more_forms import _guardians

    school, kurator, child = _school_child()
    bup = OrganisationFactory(org_type="bup", principal=school.principal)
    _guardians(actor_of(kurator), child)
    guardians = [str(c.guardian.public_id) for c in people.system_custodies(child, school.pk)]
    return school, bup, kurator, child, guardians


def test_twenty_identical_consents_from_the_api_make_one(race):
    from samverkan.consent.models import Consent

    _, bup, kurator, child, guardians = _child_with_guardians()
    data = {
        "parties": [str(bup.public_id)],
        "categories": ["insatser"],
        "purposes": ["sip"],
        "form": "written",
        "context": "voluntary",
        "child_views": "Vill att skolan och BUP pratar med varandra.",
        "givers": [{"kind": "guardian", "guardian_id": g} for g in guardians] + [{"kind": "child"}],
    }
    path = f"/api/children/{child.public_id}/consents"
    statuses = _twenty_times(race, _api(kurator), path, data, api=True)
    assert set(statuses) == {201}, statuses
    assert Consent.objects.filter(child=child).count() == 1


def test_twenty_identical_plans_from_the_api_make_one(race):
    from samverkan.consent import services as consent_services
    from samverkan.directory.tests.factories import actor_of
    from samverkan.plans.models import Plan

    school, bup, kurator, child, guardians = _child_with_guardians()
    consent_services.consent_give(
        actor=actor_of(kurator),
        child=child,
        party_ids=[school.pk, bup.pk],
        category_codes=["insatser"],
        purpose_codes=["sip"],
        form="written",
        context="voluntary",
        child_views="Vill att skolan och BUP pratar med varandra.",
        givers=[consent_services.GiverInput(kind="guardian", guardian_id=g) for g in guardians]
        + [consent_services.GiverInput(kind="child")],
    )
    data = {
        "child_id": str(child.public_id),
        "called": [str(bup.public_id)],
        "purpose": "Samordna stödet",
        "question": "Vad behövs?",
    }
    statuses = _twenty_times(race, _api(kurator), "/api/plans", data, api=True)
    assert set(statuses) == {201}, statuses
    assert Plan.objects.filter(child=child).count() == 1


# A strategy plan's indicators and reports (its goals, focus areas and activities are
# raced in test_concurrent_forms.py).


@pytest.mark.parametrize("what", ["indikator", "rapport"])
def test_twenty_identical_indicators_and_reports_of_a_strategy_plan_make_one(race, what):
    from samverkan.governance import plan_services
    from samverkan.governance.tests.factories import Setting

    from .test_concurrent_forms import _strategy_plan

    setting = Setting()
    plan = _strategy_plan(f"Plan för samverkan ({what}, senare)")
    plan_services.goal_add(actor=None, plan=plan, title="Fler barn klarar skolan")
    client = _session(setting.strategist)
    page = f"/strategi/{plan.public_id}/"
    year = plan.period_start.year
    period = {"rep-period_start": f"{year}-01-01", "rep-period_end": f"{year}-07-01"}
    values = period if what == "rapport" else {}
    made = _race_like_one(race, client, page, f"{page}ny/{what}/", **values)
    assert any(label.startswith("governance.") for label in made), made


# Competence plans: a plan for a period, and an effort in it.


def test_twenty_identical_competence_plans_make_one(race):
    from samverkan.directory.tests.factories import MembershipFactory

    client = _session(MembershipFactory(code="systemadministrator"))
    page = "/kunskap/kompetensplaner/"
    made = _race_like_one(race, client, page, page, period="Läsåret 2026/27")
    assert made.get("knowledge.CompetencePlan") == 1, made


def test_twenty_identical_efforts_in_a_competence_plan_make_one(race):
    from samverkan.directory.tests.factories import MembershipFactory, actor_of
    from samverkan.knowledge import services

    admin = MembershipFactory(code="systemadministrator")
    plan = services.competence_plan_create(actor=actor_of(admin), period="Läsåret 2027/28")
    client = _session(admin)
    page = f"/kunskap/kompetensplaner/{plan.public_id}/"
    made = _race_like_one(race, client, page, page, topic="Samtal med barn om oro")
    assert made.get("knowledge.CompetencePlanItem") == 1, made
