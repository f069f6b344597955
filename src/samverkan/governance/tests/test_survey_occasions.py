"""Surveys of the strategy group's making bound to an occasion (issue 16 item 4): after a
forum meeting of chosen levels is held, after a matter is closed, for chosen
organisation types. The right people get the invitation in their inbox, others do not,
each person once per occasion; they answer anonymously from it, once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.concerns import services as concern_services
from samverkan.concerns.models import Report
from samverkan.concerns.tests.factories import report_world
from samverkan.concerns.tests.test_unregistered_child import REPORT, _number
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.directory.models import Function
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory, actor_of
from samverkan.governance import survey_occasions, surveys
from samverkan.governance.models import (
    SurveyInvitation,
    SurveyParticipation,
    SurveyResponse,
    SurveyStatus,
)
from samverkan.meetings import inbox as meetings_inbox
from samverkan.meetings import services as meeting_services
from samverkan.meetings.models import Attendance, ForumOrganisation
from samverkan.meetings.tests.factories import ForumFactory, MeetingFactory
from samverkan.notify.models import InboxItem

pytestmark = pytest.mark.django_db
INBOX_KIND = surveys.INVITATION_KIND


def _bound(setting, title, audience, *, levels=(), org_types=(), open_it=True):
    strategist = actor_of(setting.strategist)
    survey = surveys.survey_create(
        actor=strategist,
        title=title,
        audience=audience,
        forum_levels=list(levels),
        org_types=list(org_types),
    )
    surveys.question_add(actor=strategist, survey=survey, kind="skala5", text="Hur väl?")
    surveys.question_add(actor=strategist, survey=survey, kind="fritext", text="Vad saknas?")
    if open_it:
        return surveys.survey_set_status(actor=strategist, survey=survey, status="oppen")
    return survey


def _invited(survey) -> set[int]:
    return set(SurveyInvitation.objects.filter(survey=survey).values_list("user_id", flat=True))


class MeetingWorld:
    """A forum at base level convened by social services' samordnare, whose members are
    a school, a preschool and a student health service; its functions are the kurator.
    The school and the health service attend the meeting, the preschool is absent."""

    def __init__(self, level="basniva"):
        self.forum = ForumFactory(level=level)
        self.forum.functions.set([Function.objects.get(code="kurator")])
        social = self.forum.convener_organisation
        principal = social.principal
        self.school = OrganisationFactory(org_type="skola", principal=principal)
        self.preschool = OrganisationFactory(org_type="forskola", principal=principal)
        self.health = OrganisationFactory(org_type="elevhalsa", principal=principal)
        for org in (social, self.school, self.preschool, self.health):
            ForumOrganisation.objects.create(forum=self.forum, organisation=org)
        self.convener = MembershipFactory(code="samordnare", organisation=social)
        self.kurator = MembershipFactory(code="kurator", organisation=self.school)
        self.rektor = MembershipFactory(code="rektor", organisation=self.school)  # no member
        self.absent = MembershipFactory(code="kurator", organisation=self.preschool)
        # One person who is kurator both at the school and at the health service.
        self.both = MembershipFactory(code="kurator", organisation=self.health)
        MembershipFactory(code="kurator", organisation=self.school, user=self.both.user)
        self.meeting = MeetingFactory(forum=self.forum, starts_in=datetime.timedelta(hours=-2))
        for org, present in ((self.school, True), (self.health, True), (self.preschool, False)):
            Attendance.objects.create(meeting=self.meeting, organisation=org, present=present)

    def hold(self):
        meeting_services.meeting_close(actor=actor_of(self.convener), meeting=self.meeting)


def test_a_survey_after_meetings_reaches_those_who_took_part_and_nobody_else(setting, client_for):
    w = MeetingWorld()
    after_base = _bound(setting, "Efter basnivåns möten", "efter_mote", levels=["basniva"])
    after_political = _bound(setting, "Efter politiska möten", "efter_mote", levels=["politisk"])
    schools_only = _bound(
        setting, "Skolorna efter mötet", "efter_mote", levels=["basniva"], org_types=["skola"]
    )
    draft = _bound(setting, "Utkastet", "efter_mote", levels=["basniva"], open_it=False)
    w.hold()

    assert _invited(after_base) == {w.convener.user_id, w.kurator.user_id, w.both.user_id}
    assert _invited(after_political) == set()
    # The person who is kurator at both is asked as the school's kurator here.
    assert _invited(schools_only) == {w.kurator.user_id, w.both.user_id}
    assert _invited(draft) == set()
    both = SurveyInvitation.objects.get(survey=schools_only, user=w.both.user)
    assert both.organisation_type == "skola"

    # It is in their inbox, in the organisation they took part for; not in others'.
    page = client_for(w.kurator).get(reverse("notify:inbox")).text
    assert "Efter basnivåns möten" in page and "Skolorna efter mötet" in page
    assert w.forum.name in page
    for outsider in (w.rektor, w.absent, setting.reader):
        assert "Efter basnivåns möten" not in client_for(outsider).get(reverse("notify:inbox")).text
    row = AuditEvent.objects.filter(
        resource_type="governance.survey", resource_id=str(after_base.public_id)
    ).latest("occurred_at")
    assert row.details["invited"] == 3
    assert row.details["occasion"] == f"meeting:{w.meeting.public_id}"


def test_an_occasion_reported_twice_invites_nobody_twice(setting):
    w = MeetingWorld()
    survey = _bound(setting, "Efter mötet", "efter_mote", levels=["basniva"])
    w.hold()
    meetings_inbox.held(w.meeting)  # reported again (closed twice, a retried task)
    w.hold()
    assert SurveyInvitation.objects.filter(survey=survey, user=w.both.user).count() == 1
    assert SurveyInvitation.objects.filter(survey=survey).count() == 3
    refs = [str(i.public_id) for i in SurveyInvitation.objects.filter(survey=survey)]
    assert InboxItem.objects.filter(kind=INBOX_KIND, ref_id__in=refs).count() == 3
    # A second meeting is another occasion: asked again.
    second = MeetingFactory(forum=w.forum, starts_in=datetime.timedelta(hours=-1))
    meeting_services.meeting_close(actor=actor_of(w.convener), meeting=second)
    assert SurveyInvitation.objects.filter(survey=survey, user=w.kurator.user).count() == 2


def test_the_invited_answer_once_anonymously_and_the_item_leaves_the_inbox(setting, client_for):
    w = MeetingWorld()
    survey = _bound(setting, "Efter mötet", "efter_mote", levels=["basniva"])
    w.hold()
    invitation = SurveyInvitation.objects.get(survey=survey, user=w.kurator.user)
    client = client_for(w.kurator)
    url = reverse("strategy:survey_invitation", args=[invitation.public_id])
    assert client.get(url).status_code == 200
    # Someone else's invitation is not theirs to open.
    assert client_for(w.convener).get(url).status_code == 404
    # The survey's own answer page sends them to the inbox instead.
    reason = surveys.may_answer(actor_of(w.kurator), survey)
    assert "inkorg" in reason

    response = client.post(url, {"q1": "4", "q2": ""})
    assert response.status_code == 302
    stored = SurveyResponse.objects.get(survey=survey)
    assert stored.organisation_type == "skola"
    assert SurveyParticipation.objects.filter(
        survey=survey, user=w.kurator.user, occasion=invitation.occasion
    ).exists()
    item = InboxItem.objects.get(kind=INBOX_KIND, ref_id=str(invitation.public_id))
    assert item.done_at is not None
    assert "Efter mötet" not in client.get(reverse("notify:inbox")).text
    again = client.post(url, {"q1": "2", "q2": ""})
    assert again.status_code == 422
    assert "redan svarat" in again.text
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_a_closed_survey_leaves_the_inbox_until_it_opens_again(setting, client_for):
    w = MeetingWorld()
    survey = _bound(setting, "Efter mötet", "efter_mote", levels=["basniva"])
    w.hold()
    client = client_for(w.kurator)
    strategist = actor_of(setting.strategist)
    surveys.survey_set_status(actor=strategist, survey=survey, status=SurveyStatus.CLOSED)
    assert "Efter mötet" not in client.get(reverse("notify:inbox")).text
    surveys.survey_set_status(actor=strategist, survey=survey, status=SurveyStatus.OPEN)
    assert "Efter mötet" in client.get(reverse("notify:inbox")).text
    assert survey_occasions.pending(actor_of(w.kurator))[0].survey == survey


def _closed_report():
    """A teacher's report, handled by a social worker and closed."""
    world = report_world()
    handler = MembershipFactory(code="socialsekreterare", organisation=world.social)
    number = _number()
    response = world.client(world.teacher).post(
        reverse("concerns:new"),
        {
            **REPORT,
            "personal_number": f"{number[:8]}-{number[8:]}",
            "child_first_name": "Nora",
            "child_last_name": "Exempelsdotter",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get(reporter_user=world.teacher.user)
    intake = actor_of(world.intake)
    concern_services.handling_assign(actor=intake, report=report, handler_membership_id=handler.pk)
    concern_services.preliminary_decide(actor=actor_of(handler), report=report, decision="not_open")
    return world, handler, report


def test_a_survey_after_closed_matters_asks_both_sides(setting, client_for):
    both_sides = _bound(setting, "Efter avslutade ärenden", "efter_arende")
    schools = _bound(setting, "Skolan efter ärendet", "efter_arende", org_types=["skola"])
    after_meetings = _bound(setting, "Efter möten", "efter_mote", levels=["basniva"])
    world, handler, report = _closed_report()
    assert _invited(both_sides) == set()  # not closed yet
    concern_services.handling_close(
        actor=actor_of(handler), report=report, outcome="no_investigation"
    )
    assert _invited(both_sides) == {world.teacher.user_id, handler.user_id}
    assert _invited(schools) == {world.teacher.user_id}
    assert _invited(after_meetings) == set()
    assert report.reference in client_for(world.teacher).get(reverse("notify:inbox")).text
    for outsider in (world.rektor, world.intake):
        page = client_for(outsider).get(reverse("notify:inbox")).text
        assert "Efter avslutade ärenden" not in page
    # The invitation names the matter by its reference, never the child.
    invitation = SurveyInvitation.objects.get(survey=both_sides, user=handler.user)
    assert invitation.label == report.reference
    title = f"Svara på enkäten Efter avslutade ärenden efter {report.reference}"
    assert title in client_for(handler).get(reverse("notify:inbox")).text


def test_binding_a_survey_is_checked_and_for_the_strategy_group_only(setting, client_for):
    strategist = actor_of(setting.strategist)
    with pytest.raises(PermissionDenied):
        surveys.survey_create(actor=actor_of(setting.reader), title="X", audience="efter_arende")
    with pytest.raises(ValidationFailed) as no_level:
        surveys.survey_create(actor=strategist, title="X", audience="efter_mote")
    assert no_level.value.field == "forum_levels"
    with pytest.raises(ValidationFailed) as bad_level:
        surveys.survey_create(
            actor=strategist, title="X", audience="efter_mote", forum_levels=["kvartersniva"]
        )
    assert bad_level.value.field == "forum_levels"
    with pytest.raises(ValidationFailed) as bad_type:
        surveys.survey_create(
            actor=strategist, title="X", audience="efter_arende", org_types=["rymdstation"]
        )
    assert bad_type.value.field == "org_types"
    # Through the page: a clear Swedish error, and what was typed is kept.
    page = client_for(setting.strategist).post(
        reverse("strategy:surveys"),
        {"title": "Efter mötena i år", "audience": "efter_mote", "min_group": "5"},
    )
    assert page.status_code == 422
    assert "Välj efter möten i vilka sorters forum enkäten ska skickas." in page.text
    assert "Efter mötena i år" in page.text
    made = client_for(setting.strategist).post(
        reverse("strategy:surveys"),
        {
            "title": "Efter mötena i år",
            "audience": "efter_mote",
            "forum_levels": ["basniva", "enhetschef"],
            "min_group": "5",
        },
    )
    assert made.status_code == 302
    detail = client_for(setting.strategist).get(made["Location"]).text
    assert "basnivå" in detail and "alla sorters verksamheter" in detail


def test_an_opened_survey_reaches_its_audiences_inbox_until_each_has_answered(setting, client_for):
    strategist = actor_of(setting.strategist)
    survey = surveys.survey_create(
        actor=strategist, title="Temperaturmätning", audience="verksamheter", org_types=["skola"]
    )
    surveys.question_add(actor=strategist, survey=survey, kind="janej", text="Litar du mer?")
    inbox = reverse("notify:inbox")
    colleague = MembershipFactory(code="rektor", organisation=setting.school)
    assert "Temperaturmätning" not in client_for(setting.reader).get(inbox).text  # a draft
    survey = surveys.survey_set_status(actor=strategist, survey=survey, status="oppen")
    assert "Temperaturmätning" in client_for(setting.reader).get(inbox).text
    assert "Temperaturmätning" not in client_for(setting.other).get(inbox).text  # preschool
    surveys.answer_submit(actor=actor_of(setting.reader), survey=survey, answers={1: "1"})
    assert "Temperaturmätning" not in client_for(setting.reader).get(inbox).text
    assert "Temperaturmätning" in client_for(colleague).get(inbox).text


def test_a_forum_survey_reaches_the_forums_functions_only(setting, client_for):
    w = MeetingWorld()
    strategist = actor_of(setting.strategist)
    survey = surveys.survey_create(
        actor=strategist, title="Forumets klimat", audience="forum", forum=w.forum
    )
    surveys.question_add(actor=strategist, survey=survey, kind="janej", text="Bra forum?")
    surveys.survey_set_status(actor=strategist, survey=survey, status="oppen")
    inbox = reverse("notify:inbox")
    for member in (w.convener, w.kurator, w.absent):
        assert "Forumets klimat" in client_for(member).get(inbox).text
    assert "Forumets klimat" not in client_for(w.rektor).get(inbox).text
