"""The clock from a SIP call to its first meeting (plans.first_meeting), and escalation
to the manager of the unit an overdue item was sent to, falling back to the
organisation's manager when the unit has none. A world from factories: a school with
two units (one with a manager of its own), its rektor outside any unit, and social
services and BUP called."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.directory.tests.factories import MembershipFactory, UnitFactory
from samverkan.notify import clocks, selectors
from samverkan.notify.models import InboxItem
from samverkan.plans import services as plans
from samverkan.web.tests.secrecy.world import secrecy_world

pytestmark = pytest.mark.django_db

FIRST = "plans.first_meeting"


@pytest.fixture
def school(settings):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "SIP_FIRST_MEETING_DAYS": 10}
    settings.SAMVERKAN = {**settings.SAMVERKAN, "ESCALATE_AFTER_DAYS": 2}
    world = secrecy_world()
    with_manager = UnitFactory(organisation=world.school, name="Elevhälsan")
    without = UnitFactory(organisation=world.school, name="Årskurs 7–9")
    other = UnitFactory(organisation=world.school, name="Fritids")
    staff = world.staff
    staff["kurator"] = MembershipFactory(code="kurator", organisation=world.school)
    staff["kurator"].unit = with_manager
    staff["kurator"].save(update_fields=["unit"])
    staff["unit_manager"] = MembershipFactory(code="enhetschef", organisation=world.school)
    staff["unit_manager"].unit = with_manager
    staff["unit_manager"].save(update_fields=["unit"])
    staff["other_manager"] = MembershipFactory(code="enhetschef", organisation=world.school)
    staff["other_manager"].unit = other
    staff["other_manager"].save(update_fields=["unit"])
    staff["skolskoterska"] = MembershipFactory(code="skolskoterska", organisation=world.school)
    staff["skolskoterska"].unit = without
    staff["skolskoterska"].save(update_fields=["unit"])
    world.consent([world.school, world.social, world.bup], purpose_codes=["sip"])
    return world


def _call(world, who: str):
    return plans.plan_start(
        actor=world.actor(who),
        child=world.child,
        called_organisation_ids=[world.social.pk, world.bup.pk],
        purpose="Samordna stödet",
        question="Vad behöver Vilgot?",
    )


def _titles(world, who: str) -> list[str]:
    return [row.shown.title for row in selectors.inbox_page(world.actor(who))]


def _about_first_meeting(world, who: str) -> list[str]:
    return [t for t in _titles(world, who) if t.startswith("Håll det första SIP-mötet")]


def _later(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


EVERYONE = ["kurator", "unit_manager", "other_manager", "skolskoterska", "rektor", "mentor"]
EVERYONE += ["socsek", "lakare"]


def _who_sees(world) -> set[str]:
    return {who for who in EVERYONE if _about_first_meeting(world, who)}


def test_the_caller_has_the_clock_until_the_first_meeting(school):
    plan = _call(school, "kurator")
    due = timezone.localdate() + datetime.timedelta(days=10)
    assert _about_first_meeting(school, "kurator") == [
        f"Håll det första SIP-mötet för Vilgot Hemligsson senast {due:%Y-%m-%d}"
    ]
    # Nobody else: not colleagues, not managers before it is late, not the called.
    assert _who_sees(school) == {"kurator"}
    item = InboxItem.objects.get(kind=FIRST, ref_id=str(plan.public_id))
    assert item.due_at.date() == (plan.created_at + datetime.timedelta(days=10)).date()

    clocks.clocks_run(now=_later(9))  # not late yet
    item.refresh_from_db()
    assert item.reminded_at is None

    clocks.clocks_run(now=_later(10.5))  # late: reminded, not escalated
    item.refresh_from_db()
    assert item.reminded_at is not None
    assert [r.overdue for r in selectors.inbox_page(school.actor("kurator"))] == [True]
    assert _who_sees(school) == {"kurator"}


def test_overdue_it_escalates_to_the_manager_of_the_callers_unit(school):
    plan = _call(school, "kurator")
    clocks.clocks_run(now=_later(10.5))
    clocks.clocks_run(now=_later(12.5))
    escalation = InboxItem.objects.get(
        kind=FIRST, ref_id=str(plan.public_id), escalation_of__isnull=False
    )
    assert escalation.unit_id == school.staff["kurator"].unit_id
    # The unit's own manager, not the manager of another unit, not the rektor.
    assert _who_sees(school) == {"kurator", "unit_manager"}
    rows = [
        r for r in selectors.inbox_page(school.actor("unit_manager")) if r.item.escalation_of_id
    ]
    assert len(rows) == 1
    clocks.clocks_run(now=_later(20))  # once
    ours = InboxItem.objects.filter(kind=FIRST, ref_id=str(plan.public_id))
    assert ours.filter(escalation_of__isnull=False).count() == 1

    # The first meeting is held: the plan's first version. The clock stops for all.
    plans.plan_save(
        actor=school.actor("kurator"),
        plan=plan,
        expected_version=plan.version,
        needs=["Stöd i skolan"],
        long_term_goal="Vilgot går i skolan varje dag",
        short_term_goals=["Närvaro"],
        efforts=[
            plans.EffortInput(
                title="Samtal varje vecka", organisation_id=school.school.pk, responsible="Kurator"
            )
        ],
        others_do="",
        responsible_organisation_id=school.school.pk,
        coordinator_user_id=school.staff["kurator"].user_id,
        participants="Vilgot, vårdnadshavaren, skolan, socialtjänsten, BUP",
        disagreements="",
        follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
        child_words="Jag vill orka hela dagen.",
    )
    assert _who_sees(school) == set()
    assert not ours.filter(done_at__isnull=True).exists()


def test_a_unit_without_a_manager_escalates_to_the_organisations_manager(school):
    plan = _call(school, "skolskoterska")
    assert _who_sees(school) == {"skolskoterska"}
    clocks.clocks_run(now=_later(10.5))
    clocks.clocks_run(now=_later(12.5))
    escalation = InboxItem.objects.get(
        kind=FIRST, ref_id=str(plan.public_id), escalation_of__isnull=False
    )
    assert escalation.unit_id is None and escalation.function_code == "rektor"
    # The rektor leads the school outside any unit; the unit managers are not asked.
    assert _who_sees(school) == {"skolskoterska", "rektor"}


def test_closing_the_plan_clears_the_clock_and_its_escalation(school):
    plan = _call(school, "kurator")
    clocks.clocks_run(now=_later(10.5))
    clocks.clocks_run(now=_later(12.5))
    assert _who_sees(school) == {"kurator", "unit_manager"}
    plans.plan_close(actor=school.actor("kurator"), plan=plan, reason="Familjen flyttade.")
    assert _who_sees(school) == set()
    clocks.clocks_run(now=_later(30))
    assert InboxItem.objects.filter(kind=FIRST, ref_id=str(plan.public_id)).count() == 2


def test_the_sweep_gives_a_called_plan_without_the_clock_one(school):
    plan = _call(school, "kurator")
    InboxItem.objects.filter(kind=FIRST).delete()  # as for a plan called before the clock
    assert plans.plans_sweep()["first_meeting_clocks"] == 1
    assert plans.plans_sweep()["first_meeting_clocks"] == 0
    assert InboxItem.objects.filter(kind=FIRST, ref_id=str(plan.public_id)).count() == 1
    assert _who_sees(school) == {"kurator"}
