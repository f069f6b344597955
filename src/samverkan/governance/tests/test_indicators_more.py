"""The indicators added for issue 16 item 2, against counts made by hand on a factory
world in 2012 (see test_indicators.py), and how the median is shown."""

from __future__ import annotations

import datetime

import pytest

from samverkan.concerns.models import Entry, Handling
from samverkan.directory.tests.factories import UserFactory
from samverkan.governance import indicators, surveys
from samverkan.governance.models import SurveyResponse
from samverkan.meetings.tests.factories import ForumFactory, MeetingFactory
from samverkan.plans.models import FollowUp, Plan, PlanVersion
from samverkan.plans.tests.factories import PlanFactory

from .test_indicators import APR, FEB, JAN, MAR, MAY, World, _rows, at

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def _handling(report, **values):
    return Handling.objects.create(
        report=report, preliminary_due=report.received_at.date(), **values
    )


def _entry(report, kind, when, **values):
    return Entry.objects.create(report=report, kind=kind, created_at=when, **values)


def test_receipt_and_named_handler_within_a_day():
    w = World()
    received = at(JAN, 10)
    for _ in range(5):  # both within the day
        report = w.report(received, w.school)
        _entry(report, "receipt", received + HOUR)
        _handling(report, assigned_at=received + 20 * HOUR)
    late_handler = w.report(received, w.school)
    _entry(late_handler, "receipt", received + HOUR)
    _handling(late_handler, assigned_at=received + 25 * HOUR)
    late_receipt = w.report(received, w.school)
    _entry(late_receipt, "receipt", received + 30 * HOUR)
    _handling(late_receipt, assigned_at=received + HOUR)
    _handling(w.report(received, w.school))  # neither receipt nor handler
    assert _rows("concerns.receipt_and_handler_within_a_day") == [(JAN, "", 5, 8)]


def test_median_days_to_first_feedback_and_its_suppression():
    w = World()
    received = at(FEB, 1)
    for days in (1, 2, 3, 10, 20):
        report = w.report(received, w.school)
        _entry(report, "feedback", received + datetime.timedelta(days=days), ground_code="law")
        # A later feedback does not count: the first one does.
        _entry(report, "feedback", received + datetime.timedelta(days=40), ground_code="law")
        _handling(report)  # after its entries: the handling reads them when it is made
    _handling(w.report(received, w.school))  # no feedback yet: not counted
    rows = _rows("concerns.median_days_to_first_feedback")
    assert rows == [(FEB, "", 3, 5)]
    definition = indicators.get("concerns.median_days_to_first_feedback")
    assert indicators.figure(definition, 3, 5).text == "3 d"
    assert indicators.figure(definition, 3, 4).text == "<5"


def test_investigations_within_four_months():
    w = World()
    started = datetime.date(2012, 1, 2)
    for days in (30, 60, 122, 121, 10):  # in time, the 122nd day included
        report = w.report(at(JAN, 1), w.school)
        _handling(
            report,
            investigation_started_on=started,
            investigation_due=started + datetime.timedelta(days=122),
            closed_at=at(MAY, 3) if days == 122 else at(JAN, 2) + datetime.timedelta(days=days),
            outcome="insats",
        )
    late = w.report(at(JAN, 1), w.school)
    _handling(
        late,
        investigation_started_on=started,
        investigation_due=started + datetime.timedelta(days=122),
        closed_at=at(MAY, 20),
        outcome="insats",
    )
    rows = {m: (n, d) for m, _, n, d in _rows("concerns.investigations_within_four_months")}
    total_in_time = sum(v[0] for v in rows.values())
    total = sum(v[1] for v in rows.values())
    assert (total_in_time, total) == (5, 6)
    # May: the 121st and the 122nd day in time, the 139th late.
    assert rows[MAY] == (2, 3)


def test_sips_with_the_childs_own_words():
    plans = [PlanFactory() for _ in range(7)]
    plans[0].important_to_child = "Att få vara med och bestämma"
    plans[0].save()
    PlanVersion.objects.create(
        plan=plans[1],
        number=1,
        content={"child_words": "Jag vill ha lugn"},
        created_at=at(MAR),
        author_name="x",
        author_organisation_name="y",
    )
    PlanVersion.objects.create(
        plan=plans[2],
        number=1,
        content={"child_words": ""},
        created_at=at(MAR),
        author_name="x",
        author_organisation_name="y",
    )
    Plan.objects.filter(pk__in=[p.pk for p in plans]).update(created_at=at(MAR))
    assert _rows("plans.child_words_recorded") == [(MAR, "", 2, 7)]


def test_sips_followed_up_by_the_follow_up_date():
    def follow_up(plan, held, next_on):
        return FollowUp.objects.create(
            plan=plan,
            held_on=held,
            next_follow_up_on=next_on,
            recorded_at=at(JAN),
            recorded_by_name="x",
            version_number=1,
        )

    due = datetime.date(2012, 4, 15)
    for _ in range(3):  # followed up on time (one exactly on the date)
        plan = PlanFactory()
        follow_up(plan, datetime.date(2012, 1, 15), due)
        follow_up(plan, datetime.date(2012, 4, 15), None)
    late = PlanFactory()
    follow_up(late, datetime.date(2012, 1, 15), due)
    follow_up(late, datetime.date(2012, 4, 20), None)
    never = PlanFactory()
    follow_up(never, datetime.date(2012, 1, 15), due)
    assert _rows("plans.followed_up_on_time") == [(APR, "", 3, 5)]


def test_meeting_attendance_by_organisation_type():
    from samverkan.meetings.models import Attendance

    w = World()
    forum = ForumFactory()
    for day in range(1, 6):
        meeting = MeetingFactory(forum=forum, status="held", starts_at=at(MAR, day))
        Attendance.objects.create(meeting=meeting, organisation=w.school, present=True)
        Attendance.objects.create(meeting=meeting, organisation=w.social, present=day != 1)
    cancelled = MeetingFactory(forum=forum, status="cancelled", starts_at=at(MAR, 20))
    Attendance.objects.create(meeting=cancelled, organisation=w.school, present=None)
    assert sorted(_rows("meetings.attendance")) == [
        (MAR, "skola", 5, 5),
        (MAR, "socialtjanst", 4, 5),
    ]


def test_escalation_decisions_by_level():
    from samverkan.meetings.models import Escalation, EscalationStep

    w = World()
    local = ForumFactory(level="basniva")
    steering = ForumFactory(level="ledningsniva")
    escalation = Escalation.objects.create(
        title="Vem ansvarar?",
        description="Oklart ansvar.",
        raised_by_organisation=w.school,
        raised_by_name="Rektor",
        counterpart_organisation=w.social,
    )
    for position, (forum, decided) in enumerate(
        [(local, at(APR, 2)), (steering, at(APR, 20)), (None, at(MAY, 2)), (local, None)], 1
    ):
        EscalationStep.objects.create(
            escalation=escalation,
            position=position,
            name=f"Steg {position}",
            forum=forum,
            owner_organisation=w.social,
            deadline=datetime.date(2012, 6, 1),
            decided_at=decided,
            started_at=at(APR, 1),
        )
    assert sorted(_rows("meetings.escalation_decisions")) == [
        (APR, "basniva", 1, None),
        (APR, "ledningsniva", 1, None),
        (MAY, "utan_forum", 1, None),
    ]


def test_training_events_by_kind():
    from samverkan.knowledge.models import Event

    w = World()
    for kind, day, cancelled in [
        ("utbildning", 2, False),
        ("utbildning", 9, False),
        ("metoddag", 16, False),
        ("motesplats", 23, True),
    ]:
        Event.objects.create(
            title="Tillsammans",
            kind=kind,
            starts_at=at(FEB, day),
            ends_at=at(FEB, day) + 2 * HOUR,
            organiser=w.social,
            cancelled_at=at(FEB, 1) if cancelled else None,
        )
    assert sorted(_rows("knowledge.events")) == [
        (FEB, "metoddag", 1, None),
        (FEB, "utbildning", 2, None),
    ]


def test_evaluation_results_by_organisation_type(setting):
    survey = surveys.survey_create(
        actor=None, title="Klimat 2012", audience="verksamheter", org_types=["skola"]
    )
    yes_no = surveys.question_add(actor=None, survey=survey, kind="janej", text="Bra?")
    scale = surveys.question_add(actor=None, survey=survey, kind="skala5", text="Hur bra?")
    march = datetime.date(2012, 3, 1)
    # (yes/no, scale): mostly positive when at least half the answers are positive.
    answers = [(1, 5), (1, 1), (0, 4), (0, 2), (1, 4), (0, 1)]
    for index, (yes, grade) in enumerate(answers):
        user = UserFactory()
        surveys._store(
            survey,
            user_id=user.pk,
            occasion="",
            organisation_type="skola",
            values=[(yes_no, yes), (scale, grade)],
            texts=[],
            today=march + datetime.timedelta(days=index),
        )
    assert SurveyResponse.objects.filter(survey=survey).count() == 6
    assert _rows("governance.evaluation_results") == [(march, "skola", 4, 6)]
