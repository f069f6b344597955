"""Twenty identical creations at once from the forms not covered by
``test_concurrent_creation.py`` (issue 13, "Done when"): each test opens the page as its
user would, fills the form as a person would (``formfuzz.plausible_data``, with what a
plausible value needs), and sends it twenty times at once with one one-time key, as a
double click does. One record, and every answer the redirect a success gives.

Two creations a person makes once by nature are also sent with twenty different keys
(two tabs, a retry after a reload): an answer to a survey (the participation's unique
constraint) and a place at an event (the locked event row and a unique constraint).
The family's answer to a SIP meeting may change, so a new key makes a new answer (the
latest counts); with one key it is one.

Like the other module, it runs on both databases (``concurrent_db``: a connection per
thread on committed data; on SQLite one writer commits at a time, the requests still
overlap).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.web.tests.formfuzz import parse, plausible_data

N = 20
KEY = "samma-nyckel-20-ganger"

pytestmark = pytest.mark.usefixtures("concurrent_db")


def _session(membership) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(membership.user)
    return client


def _form(client, page, action, having):
    shown = client.get(page) if isinstance(page, str) else page(client)
    assert shown.status_code == 200, (page, shown.status_code)
    forms = [
        f
        for f in parse(shown.content.decode()).forms
        if (f.action or page).split("?")[0] == action.split("?")[0]
        and (having is None or any(x.name == having for x in f.fields))
    ]
    assert forms, f"{page}: no form posts to {action}"
    return forms[0]


def _race_form(race, client, page, action: str, having=None, **values) -> list:
    """Opens ``page`` (a path, or a function that shows the page), fills its form that
    posts to ``action`` (and has the field ``having``) and posts it twenty times at once
    with one key; returns the statuses (or the exceptions). When not every answer is a
    redirect, the errors one more post of the same data meets are added."""
    form = _form(client, page, action, having)
    data = {**plausible_data(form), **values, "submission_key": KEY}
    target = form.action or action
    results = race(N, lambda i: client.post(target, data))
    statuses = [r if isinstance(r, Exception) else r.status_code for r in results]
    # A redirect to the login page is no success (a session the request did not find).
    statuses += [r["Location"] for r in results if "/logga-in/" in getattr(r, "url", "")]
    if set(statuses) != {302}:
        again = client.post(target, {**data, "submission_key": "en-annan-nyckel"})
        text = again.content.decode()
        statuses.append(str(re.findall(r'class="field-error"[^>]*>([^<]*)<', text)))
        statuses.append(str(re.findall(r"<li>([^<]*)</li>", text)[:5]))
    return statuses


def _school_child(code="kurator"):
    from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory

    school = OrganisationFactory(org_type="skola")
    member = MembershipFactory(code=code, organisation=school)
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=school)
    return school, member, child


def test_twenty_identical_guardians_make_one(race):
    from samverkan.people.models import Custody

    _, member, child = _school_child()
    client = _session(member)
    page = f"/barn/{child.public_id}/formular/vardnadshavare/"  # the child page loads it
    action = f"/barn/{child.public_id}/vardnadshavare/"
    statuses = _race_form(race, client, page, action)
    assert set(statuses) == {302}, statuses
    assert Custody.objects.filter(child=child).count() == 1


def test_twenty_identical_registrations_of_a_child_make_one_child_and_one_matter(race):
    from samverkan.demo.world import fictional_number
    from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
    from samverkan.people.models import Child, Involvement
    from samverkan.people.tests.factories import FACTORY_SERIAL

    social = OrganisationFactory(org_type="socialtjanst")
    member = MembershipFactory(code="socialsekreterare", organisation=social)
    today = timezone.localdate()
    number = fictional_number(today.replace(year=today.year - 9, day=3), FACTORY_SERIAL + 7)
    client = _session(member)

    def looked_up(client):
        return client.post("/barn/registrera/", {"step": "lookup", "personal_number": number})

    values = {"personal_number": number, "first_name": "Alva", "last_name": "Berg"}
    statuses = _race_form(
        race, client, looked_up, "/barn/registrera/", having="first_name", **values
    )
    assert set(statuses) == {302}, statuses
    children = Child.objects.filter(personal_number=number)
    assert children.count() == 1
    assert Involvement.objects.filter(child__in=children, organisation=social).count() == 1


def test_twenty_identical_bookings_of_a_meeting_make_one(race):
    import datetime

    from samverkan.meetings.models import Meeting
    from samverkan.meetings.tests.factories import ForumFactory, convener_of

    forum = ForumFactory()
    client = _session(convener_of(forum))
    soon = timezone.localtime() + datetime.timedelta(days=9)
    values = {"starts_at": soon.replace(hour=13, minute=0).strftime("%Y-%m-%dT%H:%M")}
    page = f"/forum/{forum.public_id}/"
    statuses = _race_form(race, client, page, f"/forum/{forum.public_id}/boka/", **values)
    assert set(statuses) == {302}, statuses
    assert Meeting.objects.filter(forum=forum).count() == 1


def test_twenty_identical_knowledge_events_make_one(race):
    from samverkan.directory.tests.factories import MembershipFactory
    from samverkan.knowledge.models import Event

    admin = MembershipFactory(code="systemadministrator")
    client = _session(admin)
    page = "/kunskap/motesplatser/ny/"
    statuses = _race_form(race, client, page, page, title="Nätverksträff om frånvaro")
    assert set(statuses) == {302}, statuses
    assert Event.objects.filter(title="Nätverksträff om frånvaro").count() == 1


def test_twenty_identical_proposals_to_change_a_legal_ground_make_one(race):
    from samverkan.directory.tests.factories import MembershipFactory
    from samverkan.legal.models import CatalogueChange
    from samverkan.legal.tests.test_edit_pages import _form as shown_values

    jurist = MembershipFactory(code="kommunjurist")
    client = _session(jurist)
    page = "/rattsliga-grunder/andringar/ny/?grund=care_under_18"
    data = {
        **shown_values(client),  # the ground as in force, the page's own text areas
        "name": "Vård och socialtjänst, barn",
        "reason": "Ny lydelse.",
        "submission_key": KEY,
    }
    results = race(N, lambda i: client.post(page, data))
    statuses = [r if isinstance(r, Exception) else r.status_code for r in results]
    assert set(statuses) == {302}, statuses
    assert CatalogueChange.objects.filter(proposed_by=jurist.user).count() == 1


def test_twenty_identical_agreements_make_one(race):
    from samverkan.governance.models import Agreement
    from samverkan.governance.tests.factories import Setting

    setting = Setting()
    client = _session(setting.strategist)
    values = {"title": "Rutin för frånvaro", "parties": [str(setting.social.pk)]}
    statuses = _race_form(race, client, "/avtal/nytt/", "/avtal/nytt/", **values)
    assert set(statuses) == {302}, statuses
    assert Agreement.objects.filter(title="Rutin för frånvaro").count() == 1


def _strategy_plan(title: str):
    import datetime

    from samverkan.governance import plan_services

    year = timezone.localdate().year
    return plan_services.plan_create(
        actor=None,
        title=title,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year + 1, 1, 1),
    )


@pytest.mark.parametrize(
    "what,prefix", [("mal", "goal"), ("fokusomrade", "area"), ("aktivitet", "act")]
)
def test_twenty_identical_parts_of_a_strategy_plan_make_one(race, what, prefix):
    from samverkan.governance import plan_services
    from samverkan.governance.models import Activity, FocusArea, Goal
    from samverkan.governance.tests.factories import Setting

    setting = Setting()
    plan = _strategy_plan(f"Plan för samverkan ({what})")
    if what == "aktivitet":
        plan_services.focus_area_add(actor=None, plan=plan, title="Tidig upptäckt")
    client = _session(setting.strategist)
    action = f"/strategi/{plan.public_id}/ny/{what}/"
    statuses = _race_form(
        race, client, f"/strategi/{plan.public_id}/", action, **{f"{prefix}-title": f"Samma {what}"}
    )
    assert set(statuses) == {302}, statuses
    model = {"mal": Goal, "fokusomrade": FocusArea, "aktivitet": Activity}[what]
    assert model.objects.filter(title=f"Samma {what}").count() == 1


def test_twenty_identical_surveys_make_one(race):
    from samverkan.governance.survey_models import Survey
    from samverkan.governance.tests.factories import Setting

    setting = Setting()
    client = _session(setting.strategist)
    page = "/strategi/enkater/"
    values = {"title": "Hur fungerar samverkan?", "audience": "verksamheter", "org_types": "skola"}
    statuses = _race_form(race, client, page, page, **values)
    assert set(statuses) == {302}, statuses
    assert Survey.objects.filter(title="Hur fungerar samverkan?").count() == 1


def test_twenty_registrations_for_one_event_from_one_person_make_one(race):
    """Also with twenty different keys (two tabs, a retry after a reload): a person has
    one place at an event by nature (the locked event row and a unique constraint)."""
    import datetime

    from samverkan.directory.tests.factories import MembershipFactory
    from samverkan.knowledge.models import Event, EventRegistration

    member = MembershipFactory(code="kurator")
    start = timezone.now() + datetime.timedelta(days=10)
    event = Event.objects.create(
        title="Nätverksträff",
        kind=Event._meta.get_field("kind").choices[0][0],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        organiser=member.organisation,
    )
    client = _session(member)
    path = f"/kunskap/motesplatser/{event.public_id}/anmal/"
    results = race(N, lambda i: client.post(path, {"submission_key": f"flik-nummer-{i:04d}"}))
    statuses = [r if isinstance(r, Exception) else r.status_code for r in results]
    assert set(statuses) == {302}, statuses
    assert EventRegistration.objects.filter(event=event, user=member.user).count() == 1


def test_twenty_answers_to_a_survey_from_one_person_store_one(race):
    """Also with twenty different keys: a person answers a survey once by nature (the
    participation's unique constraint); the repeats are told they have answered."""
    from samverkan.directory.tests.factories import actor_of
    from samverkan.governance import surveys
    from samverkan.governance.survey_models import SurveyParticipation, SurveyResponse
    from samverkan.governance.tests.factories import Setting

    setting = Setting()
    strategist = actor_of(setting.strategist)
    survey = surveys.survey_create(
        actor=strategist, title="Samverkan", audience="verksamheter", org_types=["skola"]
    )
    surveys.question_add(actor=strategist, survey=survey, kind="skala5", text="Hur väl?")
    surveys.survey_set_status(actor=strategist, survey=survey, status="oppen")
    client = _session(setting.reader)
    page = f"/strategi/enkater/{survey.public_id}/svara/"
    form = _form(client, page, page, None)
    data = plausible_data(form)
    results = race(N, lambda i: client.post(page, {**data, "submission_key": f"flik-{i:04d}"}))
    statuses = [r if isinstance(r, Exception) else r.status_code for r in results]
    assert all(isinstance(s, int) and s < 500 for s in statuses), statuses
    assert 302 in statuses, statuses
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert SurveyParticipation.objects.filter(survey=survey).count() == 1


def test_twenty_identical_strategy_plans_make_one(race):
    from samverkan.governance.models import StrategyPlan
    from samverkan.governance.tests.factories import Setting

    client = _session(Setting().strategist)
    values = {"title": "Plan för 2027", "period_start": "2027-01-01", "period_end": "2028-01-01"}
    statuses = _race_form(race, client, "/strategi/", "/strategi/", **values)
    assert set(statuses) == {302}, statuses
    assert StrategyPlan.objects.filter(title="Plan för 2027").count() == 1


def test_twenty_identical_answers_to_a_sip_meeting_from_the_portal_make_one(race):
    import datetime

    from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
    from samverkan.plans.models import MeetingAnswer
    from samverkan.plans.tests.factories import PlanFactory, PlanOrganisationFactory
    from samverkan.portal.tests.conftest import portal_client
    from samverkan.portal.tests.factories import FamilyAccountFactory

    school, kurator, child = _school_child()
    bup = OrganisationFactory(org_type="bup", principal=school.principal)
    plan = PlanFactory(
        child=child,
        started_by_organisation=school,
        started_by=kurator.user,
        meeting_at=timezone.now() + datetime.timedelta(days=7),
    )
    PlanOrganisationFactory(plan=plan, organisation=school, is_starter=True)
    PlanOrganisationFactory(plan=plan, organisation=bup)
    MembershipFactory(code="kurator", organisation=bup)
    young = FamilyAccountFactory(personal_number=child.personal_number, display_name="Ung")
    client = portal_client(young)
    client.raise_request_exception = False
    page = f"/familj/plan/{plan.public_id}/"
    values = {"answer-reply": "accept", "answer-message": "Jag kommer med mamma."}
    statuses = _race_form(race, client, page, f"{page}svar/", **values)
    assert set(statuses) == {302}, statuses
    assert MeetingAnswer.objects.filter(plan=plan).count() == 1
