"""Computed indicators against counts made by hand on a small factory world, and
small-cell suppression. The world's events lie in 2012, a year the demo world (loaded
in every test database) has nothing in, so the counts are exactly the ones made here."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.concerns.models import Handling, Report
from samverkan.consent.models import Consent, ConsentEvent
from samverkan.directory.tests.factories import OrganisationFactory, UserFactory
from samverkan.governance import indicators, plan_selectors, plan_services
from samverkan.meetings.tests.factories import ForumFactory, MeetingFactory
from samverkan.people.tests.factories import ChildFactory
from samverkan.plans.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR, MAY, JUN, JUL = (datetime.date(2012, m, 1) for m in range(1, 8))
START, END = datetime.date(2012, 1, 1), datetime.date(2013, 1, 1)


def at(month: datetime.date, day: int = 15, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(month.year, month.month, day, hour))


class World:
    def __init__(self):
        self.social = OrganisationFactory(org_type="socialtjanst")
        self.school = OrganisationFactory(org_type="skola", principal=self.social.principal)
        self.health = OrganisationFactory(org_type="elevhalsa", principal=self.social.principal)
        self.n = 0

    def report(self, when, reporter=None, completes=None) -> Report:
        self.n += 1
        return Report.objects.create(
            reference=f"T12-{self.n}",
            source="professional" if reporter else "private",
            channel="written",
            reporter_organisation=reporter,
            receiving_organisation=self.social,
            worry="Oro",
            child_details="Påhittat barn i en testvärld",
            reporter_name="Test Anmälare" if reporter else "",
            urgency="normal",
            guardians_informed="unknown",
            completes=completes,
            received_at=when,
        )

    def decided(self, received, decided):
        report = self.report(received, self.school)
        return Handling.objects.create(
            report=report,
            preliminary_due=received.date() + datetime.timedelta(days=14),
            preliminary_decision="open",
            preliminary_decided_at=decided,
        )


def _rows(code):
    return indicators.get(code).compute(START, END)


def test_reports_per_month_by_reporter_type():
    w = World()
    first = w.report(at(JAN, 3), w.school)
    for day in range(4, 9):
        w.report(at(JAN, day), w.school)  # 6 from the school in January
    w.report(at(JAN, 10))
    w.report(at(JAN, 11))  # 2 from private persons
    w.report(at(JAN, 12), w.school, completes=first)  # a completion: not a new report
    w.report(at(FEB, 2), w.health)
    assert sorted(_rows("concerns.reports_by_reporter_type")) == [
        (JAN, "enskild", 2, None),
        (JAN, "skola", 6, None),
        (FEB, "elevhalsa", 1, None),
    ]


def test_share_of_preliminary_assessments_within_14_days():
    w = World()
    # March: 5 in time (one exactly on the 14th day), 2 late.
    for day in range(1, 5):
        w.decided(at(MAR, day), at(MAR, day + 10))
    w.decided(at(MAR, 1), at(MAR, 15))  # exactly 14 days
    w.decided(at(FEB, 20), at(MAR, 10))  # 19 days
    w.decided(at(MAR, 1), at(MAR, 15, 13))  # 14 days and an hour
    # April: 5 in time, 5 late.
    for day in range(1, 6):
        w.decided(at(APR, day), at(APR, day + 1))
        w.decided(at(MAR, day), at(APR, day + 20))
    rows = _rows("concerns.preliminary_within_14_days")
    assert rows == [(MAR, "", 5, 7), (APR, "", 5, 10)]


def test_sips_started_and_share_with_a_coordinator():
    coordinator = UserFactory()
    plans = [PlanFactory() for _ in range(6)]
    for plan in plans[:5]:
        plan.coordinator = coordinator
        plan.save()
    PlanFactory._meta.model.objects.filter(pk__in=[p.pk for p in plans]).update(created_at=at(MAY))
    assert _rows("plans.started") == [(MAY, "", 6, None)]
    assert _rows("plans.with_coordinator") == [(MAY, "", 5, 6)]


def test_consents_given_revoked_and_lapsed():
    org, user = OrganisationFactory(), UserFactory()

    def consent():
        return Consent.objects.create(
            child=ChildFactory(),
            registered_by_organisation=org,
            registered_by=user,
            form="written",
            context="support",
            valid_from=JUN,
            valid_until=datetime.date(2013, 6, 1),
        )

    for day in range(1, 6):
        ConsentEvent.objects.create(consent=consent(), kind="signed", occurred_at=at(JUN, day))
    ConsentEvent.objects.create(consent=consent(), kind="revoked", occurred_at=at(JUN, 10))
    ConsentEvent.objects.create(consent=consent(), kind="expired", occurred_at=at(JUN, 11))
    ConsentEvent.objects.create(consent=consent(), kind="context_lapsed", occurred_at=at(JUN, 12))
    ConsentEvent.objects.create(consent=consent(), kind="renewed", occurred_at=at(JUN, 13))
    assert sorted(_rows("consent.events")) == [
        (JUN, "given", 5, None),
        (JUN, "lapsed", 2, None),
        (JUN, "revoked", 1, None),
    ]


def test_collaboration_meetings_held_by_level():
    base = ForumFactory(level="basniva")
    admin = ForumFactory(level="forvaltning")
    for day in (2, 9, 16):
        MeetingFactory(forum=base, status="held", starts_at=at(JUL, day))
    MeetingFactory(forum=base, status="cancelled", starts_at=at(JUL, 23))
    MeetingFactory(forum=base, status="planned", starts_at=at(JUL, 30))
    for day in (3, 10, 17, 24, 31):
        MeetingFactory(forum=admin, status="held", starts_at=at(JUL, day))
    assert sorted(_rows("meetings.held")) == [
        (JUL, "basniva", 3, None),
        (JUL, "forvaltning", 5, None),
    ]


# Suppression ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("count", "text"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (123, "123")]
)
def test_counts_under_five_are_shown_as_under_five(count, text):
    figure = indicators.suppress(count)
    assert figure.text == text
    assert (figure.value is None) == (0 < count < 5)


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [
        (5, 10, "50 %"),
        (0, 10, "0 %"),
        (10, 10, "100 %"),
        (3, 4, "<5"),  # the base is under five
        (2, 10, "<5"),  # the part is 1-4
        (8, 10, "<5"),  # the rest is 1-4
        (5, 7, "<5"),
        (0, 0, "–"),
    ],
)
def test_shares_with_a_small_part_or_rest_are_suppressed(numerator, denominator, text):
    assert indicators.share(numerator, denominator).text == text


def _plan():
    return plan_services.plan_create(
        actor=None, title="Strategiplan 2012", period_start=START, period_end=END
    )


def test_a_series_suppresses_each_cell_and_the_total():
    w = World()
    for day in range(1, 7):
        w.report(at(JAN, day), w.school)  # 6 from the school
    for day in range(1, 3):
        w.report(at(JAN, day), w.health)  # 2 from elevhälsan
    indicator = plan_services.indicator_add(
        actor=None,
        plan=_plan(),
        name="Anmälningar",
        definition="concerns.reports_by_reporter_type",
    )
    series = plan_selectors.series(indicator, today=datetime.date(2012, 3, 20))
    assert [r.month for r in series.rows] == [JAN, FEB, MAR]
    assert [label for _, label in series.groups] == ["Elevhälsa", "Skola"]
    january = series.rows[0]
    assert [c.text for c in january.cells] == ["<5", "6"]
    # Only one group is "<5": the total would give it away (8 - 6), so it is hidden.
    assert january.total.text == "dold"
    assert [c.text for c in series.rows[1].cells] == ["0", "0"]
    assert "<5" not in series.summary() or "färre än fem" in series.summary()


def test_a_share_series_and_its_text_alternative():
    w = World()
    for day in range(1, 6):
        w.decided(at(APR, day), at(APR, day + 1))
        w.decided(at(MAR, day), at(APR, day + 20))
    indicator = plan_services.indicator_add(
        actor=None,
        plan=_plan(),
        name="Förhandsbedömningar i tid",
        definition="concerns.preliminary_within_14_days",
        target=90,
    )
    series = plan_selectors.series(indicator, today=datetime.date(2012, 4, 30))
    april = series.rows[-1]
    assert april.month == APR and april.total.text == "50 %"
    assert series.rows[0].total.text == "–"  # no decisions in January
    assert "senaste månaden 50 %" in series.summary()
    assert "Målet är 90 %" in series.summary()


def test_months_and_periods_follow_the_local_calendar():
    """Late evening on the last day of a month belongs to that month (Swedish time),
    and an event just before the period starts is not counted."""
    w = World()
    w.report(at(JAN, 31, 23), w.school)  # 23:00 local, 22:00 UTC
    w.report(at(FEB, 1, 0), w.school)  # 00:00 local, still January in UTC
    w.report(timezone.make_aware(datetime.datetime(2011, 12, 31, 23, 30)), w.school)
    assert sorted(_rows("concerns.reports_by_reporter_type")) == [
        (JAN, "skola", 1, None),
        (FEB, "skola", 1, None),
    ]


def test_training_participants_by_organisation_type():
    from samverkan.knowledge.models import Event, EventRegistration

    w = World()

    def event(when, cancelled=False):
        return Event.objects.create(
            title="Utbildning",
            kind="utbildning",
            starts_at=when,
            ends_at=when + datetime.timedelta(hours=2),
            organiser=w.social,
            cancelled_at=when if cancelled else None,
        )

    def register(ev, org, cancelled=False):
        EventRegistration.objects.create(
            event=ev,
            user=UserFactory(),
            organisation=org,
            cancelled_at=ev.starts_at if cancelled else None,
        )

    march = event(at(MAR))
    for _ in range(6):
        register(march, w.school)
    register(march, w.school, cancelled=True)  # cancelled place: not counted
    register(march, w.health)
    called_off = event(at(MAR, 20), cancelled=True)  # a cancelled event: not counted
    register(called_off, w.school)
    assert sorted(_rows("knowledge.training_participants")) == [
        (MAR, "elevhalsa", 1, None),
        (MAR, "skola", 6, None),
    ]


def test_escalations_opened_by_current_status():
    from samverkan.meetings.models import Escalation

    w = World()
    made = []
    for status in ["open", "open", "resolved"]:
        made.append(
            Escalation.objects.create(
                title="Vem ansvarar?",
                description="Oklart ansvar mellan skola och socialtjänst.",
                raised_by_organisation=w.school,
                raised_by_name="Rektor",
                counterpart_organisation=w.social,
                status=status,
            )
        )
    Escalation.objects.filter(pk__in=[e.pk for e in made]).update(created_at=at(APR))
    assert sorted(_rows("meetings.escalations")) == [
        (APR, "open", 2, None),
        (APR, "resolved", 1, None),
    ]
