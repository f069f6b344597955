"""Minutes (locked when approved, corrections appended), action items carried over,
reminders, evaluation and the forum's follow-up."""

import datetime

import pytest
from django.utils import timezone

from samverkan.core.errors import PermissionDenied, StaleWrite, ValidationFailed
from samverkan.meetings import selectors, services
from samverkan.meetings.models import ActionItem, Meeting, MinutesCorrection

pytestmark = pytest.mark.django_db


def test_convener_prepares_holds_and_closes_a_meeting(world, next_meeting):
    samir = world.actor("samir")
    services.item_add(
        actor=world.actor("frida"), meeting=next_meeting, kind="general", title="Läsårets plan"
    )
    meeting = services.minutes_save(
        actor=samir, meeting=next_meeting, minutes="Planen godkändes.", version=1
    )
    with pytest.raises(StaleWrite):
        services.minutes_save(actor=samir, meeting=meeting, minutes="Annat", version=1)
    with pytest.raises(ValidationFailed, match="genomfört"):
        services.minutes_approve(actor=samir, meeting=meeting)
    with pytest.raises(ValidationFailed, match="inte börjat"):
        services.meeting_close(actor=samir, meeting=meeting)
    # The meeting day has come: a meeting is marked as held only once it has begun.
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(minutes=30)
    )
    meeting.refresh_from_db()
    services.meeting_close(actor=samir, meeting=meeting)
    meeting = services.minutes_approve(actor=samir, meeting=meeting)
    assert meeting.is_locked
    # Locked: no more edits, items or actions; corrections are appended instead.
    with pytest.raises(ValidationFailed, match="låst"):
        services.minutes_save(actor=samir, meeting=meeting, minutes="Ändrat", version=3)
    with pytest.raises(ValidationFailed, match="låst"):
        services.item_add(actor=samir, meeting=meeting, kind="general", title="Sent")
    with pytest.raises(ValidationFailed, match="låst"):
        services.action_add(
            actor=samir,
            meeting=meeting,
            text="x",
            responsible_organisation_id=samir.organisation_id,
            responsible_function_code="samordnare",
            due_date=timezone.localdate(),
        )
    services.correction_add(actor=samir, meeting=meeting, text="Rättelse: planen bordlades.")
    meeting.refresh_from_db()
    assert meeting.minutes == "Planen godkändes."
    assert [c.text for c in meeting.corrections.all()] == ["Rättelse: planen bordlades."]


def test_only_the_convener_changes_the_meeting(world, next_meeting):
    with pytest.raises(PermissionDenied, match="sammankallande"):
        services.minutes_save(
            actor=world.actor("sofia"), meeting=next_meeting, minutes="x", version=1
        )
    with pytest.raises(PermissionDenied):
        services.meeting_close(actor=world.actor("frida"), meeting=next_meeting)


def test_correction_only_after_approval_and_never_identifying(world, held_meeting, next_meeting):
    samir = world.actor("samir")
    with pytest.raises(ValidationFailed, match="inte justerat"):
        services.correction_add(actor=samir, meeting=next_meeting, text="x")
    with pytest.raises(services.IdentifyingText):
        services.correction_add(actor=samir, meeting=held_meeting, text="Ring 070-123 45 67")
    assert MinutesCorrection.objects.filter(meeting=held_meeting).count() == 1


def test_open_actions_carry_over_to_the_next_meeting(world, held_meeting, next_meeting, login):
    view = selectors.meeting_get(world.actor("samir"), next_meeting.public_id)
    carried = [a.text for a in view.carried_over]
    assert carried == ["Sammanställa skolans rutin för kontakt vid hög frånvaro."]
    # ... and to the one after that, until it is done.
    later = Meeting.objects.filter(forum=next_meeting.forum, starts_at__gt=next_meeting.starts_at)
    later = later.order_by("starts_at").first()
    assert [
        a.text for a in selectors.meeting_get(world.actor("samir"), later.public_id).carried_over
    ] == carried
    action = ActionItem.objects.get(text=carried[0])
    services.action_set_status(actor=world.actor("frida"), action=action, status="done")
    assert selectors.meeting_get(world.actor("samir"), later.public_id).carried_over == []
    assert action.done_on == timezone.localdate()
    page = login("frida").get(f"/forum/mote/{next_meeting.public_id}/")
    assert "Öppna åtgärder från tidigare möten" not in page.text


def test_reminders_and_my_actions(world, held_meeting):
    overdue = ActionItem.objects.get(status="open", meeting=held_meeting)
    assert services.actions_remind() >= 1
    overdue.refresh_from_db()
    assert overdue.reminded_at is not None
    assert services.actions_remind() == 0  # once each
    frida = selectors.my_actions(world.actor("frida"))
    assert overdue in frida
    assert selectors.my_actions(world.actor("mats")) == []  # mentor: not the rektor's task


def test_action_needs_a_responsible(world, next_meeting):
    with pytest.raises(ValidationFailed, match="ansvarig"):
        services.action_add(
            actor=world.actor("frida"),
            meeting=next_meeting,
            text="Något",
            responsible_organisation_id=world.organisations["Frejaskolan"].pk,
            due_date=timezone.localdate(),
        )


def test_evaluation_and_followup(world, held_meeting, teen_forum):
    with pytest.raises(ValidationFailed, match="redan"):
        services.evaluation_submit(
            actor=world.actor("karin"),
            meeting=held_meeting,
            answers={"purpose": 4, "right_people": 4, "useful": 4, "climate": 4},
        )
    with pytest.raises(ValidationFailed, match="alla frågor"):
        services.evaluation_submit(
            actor=world.actor("frida"), meeting=held_meeting, answers={"purpose": 4}
        )
    followup = selectors.forum_followup(teen_forum)
    assert followup.held == 1
    past = teen_forum.meetings.filter(starts_at__lte=timezone.now(), from_cadence=True)
    assert followup.planned == past.count() >= 2  # from the cadence, two weeks back
    assert followup.evaluations == 3
    assert followup.actions_due == 2
    assert followup.actions_on_time == 1
    assert followup.actions_open_overdue == 1
    answers = {q: p for q, p, _ in followup.answers}
    assert answers["Var rätt funktioner med?"] == 67
    # By kind of organisation: elevhälsan 4/4 yes, socialtjänsten 4/4, BUP 3/4.
    assert followup.by_org_type == [
        ("Barn- och ungdomspsykiatri (BUP)", 75, 4),
        ("Elevhälsa", 100, 4),
        ("Socialtjänst", 100, 4),
    ]


def test_meetings_from_the_cadence(world, teen_forum):
    before = teen_forum.meetings.count()
    assert services.meetings_generate(forum=teen_forum) == 0  # already generated
    created = services.meetings_generate(forum=teen_forum, days=400)
    assert created > 30
    assert teen_forum.meetings.count() == before + created
    days = {
        m.starts_at.astimezone(timezone.get_current_timezone()).weekday()
        for m in teen_forum.meetings.all()
    }
    assert days == {teen_forum.weekday}
    termly = selectors.forum_list(world.actor("frida"))
    group = next(f for f in termly if f.cadence == "termly" and "Konsultation" in f.name)
    starts = [m.starts_at.month for m in group.meetings.all()]
    assert set(starts) <= {2, 9}
    counts = services.meetings_sweep()
    assert counts["generated"] == 0


def test_book_an_extra_meeting(world, teen_forum, login):
    when = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=2, hours=1)
    with pytest.raises(PermissionDenied):
        services.meeting_book(actor=world.actor("sofia"), forum=teen_forum, starts_at=when)
    meeting = services.meeting_book(actor=world.actor("samir"), forum=teen_forum, starts_at=when)
    assert not meeting.from_cadence
    assert meeting.attendances.count() == 4


def test_sweep_command_generates_and_reminds(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("sweep", stdout=out)
    assert "Samverkansforum: 0 nya möten" in out.getvalue()
