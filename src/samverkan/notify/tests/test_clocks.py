"""Clocks and escalation (notify/clocks.py), with time advanced: a SIP call not
acknowledged within the configured days is reminded once, then escalates once to the
called organisation's manager function; e-mail goes to a real SMTP server and names no
child."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.notify import clocks, selectors
from samverkan.notify.models import InboxItem
from samverkan.plans import services as plans

pytestmark = pytest.mark.django_db


def _rows(world, username):
    return list(selectors.inbox_page(world.actor(username)))


@pytest.fixture
def call(world, django_capture_on_commit_callbacks, settings):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "SIP_ACK_DAYS": 3, "ESCALATE_AFTER_DAYS": 2}
    with django_capture_on_commit_callbacks(execute=True):
        return plans.plan_start(
            actor=world.actor("karin"),
            child=world.children["melwin"],
            called_organisation_ids=[
                world.organisations["BUP"].pk,
                world.organisations["Socialtjänsten barn och familj"].pk,
            ],
            purpose="Samordna stödet",
            question="Vad behöver Melwin?",
        )


def _later(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_reminder_then_escalation_once(world, call, smtp, django_capture_on_commit_callbacks):
    child = world.children["melwin"]
    mine = InboxItem.objects.filter(ref_id=str(call.public_id), kind="plans.call")
    plans.plan_acknowledge(actor=world.actor("lena"), plan=call)

    clocks.clocks_run(now=_later(2))  # within the three days: nothing
    assert not mine.filter(reminded_at__isnull=False).exists()

    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        clocks.clocks_run(now=_later(3.5))
    sofia_item = mine.get(address__startswith="c:")
    assert sofia_item.reminded_at is not None
    assert not mine.filter(organisation=world.organisations["BUP"], reminded_at__isnull=False)
    overdue = [r for r in _rows(world, "sofia") if r.item.pk == sofia_item.pk]
    assert overdue and overdue[0].overdue
    reminded_to = {to for _, (to,), _ in smtp.messages}
    assert world.users["sofia"].email in reminded_to
    assert world.users["lena"].email not in reminded_to  # BUP acknowledged
    for _, _, message in smtp.messages:
        text = message["Subject"] + message.get_content()
        assert child.first_name not in text and child.last_name not in text
        assert child.personal_number not in text

    # Not yet two days past due: no escalation.
    clocks.clocks_run(now=_later(4.5))
    assert not mine.filter(escalation_of__isnull=False).exists()

    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        clocks.clocks_run(now=_later(5.5))
    escalation = mine.get(escalation_of=sofia_item)
    assert escalation.function_code == "enhetschef"
    titles = [r.shown.title for r in _rows(world, "erik") if r.item.pk == escalation.pk]
    assert titles == [f"Kallelse till SIP för {child.full_name} från Elevhälsan Frejaskolan"]
    assert world.users["erik"].email in {to for _, (to,), _ in smtp.messages}
    for username in ("olof", "maria", "lena", "frida"):
        assert not [r for r in _rows(world, username) if r.item.pk == escalation.pk]
    # Once: running again (or a second worker) adds nothing.
    clocks.clocks_run(now=_later(9))
    clocks.clocks_run(now=_later(9))
    assert mine.filter(escalation_of__isnull=False).count() == 1
    # Acknowledging closes the call and its escalation.
    plans.plan_acknowledge(actor=world.actor("sofia"), plan=call)
    assert not mine.filter(done_at__isnull=True).exists()


def test_an_item_without_a_clock_never_escalates(world):
    from samverkan.notify import services

    item = services.inbox_deliver(
        kind="plans.follow_up",
        organisation_id=world.organisations["BUP"].pk,
        user_id=world.users["lena"].pk,
        ref_id="x",
    )
    clocks.clocks_run(now=_later(365))
    item.refresh_from_db()
    assert item.reminded_at is None and item.escalated_at is None
