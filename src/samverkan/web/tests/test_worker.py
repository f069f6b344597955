"""The task runner (decision 0190): `samverkan worker` writes the schedules into the
database, and django-q2's scheduler runs each one when it is due."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import Schedule, Success
from django_q.scheduler import scheduler

from samverkan.plans.tests.factories import sip_world
from samverkan.web import tasks

pytestmark = pytest.mark.django_db
# Through the app registry: web imports no app's models (import-linter).
Reminder = apps.get_model("plans", "Reminder")


def test_the_worker_writes_its_schedules_once(capsys):
    call_command("worker", "--schedules-only")
    call_command("worker", "--schedules-only")
    names = sorted(Schedule.objects.values_list("name", flat=True))
    assert names == sorted(s.name for s in tasks.SCHEDULES)
    assert "Schemalagda jobb" in capsys.readouterr().out
    # A schedule of ours no longer listed is removed; others' schedules are left alone.
    Schedule.objects.create(name="gammalt", func="samverkan.web.tasks.gone", minutes=5)
    Schedule.objects.create(name="annat", func="someone.else", minutes=5)
    tasks.schedules_ensure()
    assert not Schedule.objects.filter(name="gammalt").exists()
    assert Schedule.objects.filter(name="annat").exists()


def test_a_due_schedule_runs_its_task(monkeypatch):
    """With time advanced past the schedule, the scheduler runs the follow-up reminders
    (synchronously here, as a worker would in its own process)."""
    monkeypatch.setattr(Conf, "SYNC", True)
    sip = sip_world()
    sip.plan.follow_up_on = timezone.localdate() + datetime.timedelta(days=1)
    sip.plan.save(update_fields=["follow_up_on"])
    tasks.schedules_ensure()
    # A new schedule runs when the worker starts; here none is due until time passes.
    Schedule.objects.update(next_run=timezone.now() + datetime.timedelta(minutes=5))
    broker = get_broker()
    scheduler(broker)
    assert not Reminder.objects.exists()
    Schedule.objects.filter(func="samverkan.web.tasks.plans_follow_ups").update(
        next_run=timezone.now() - datetime.timedelta(seconds=1)
    )
    scheduler(broker)
    assert Reminder.objects.filter(plan=sip.plan).count() == 1
    run = Success.objects.get(func="samverkan.web.tasks.plans_follow_ups")
    assert run.result == {"reminders": Reminder.objects.count(), "first_meeting_clocks": 0}
    # The next run is a schedule period later, and running again records nothing new.
    schedule = Schedule.objects.get(func="samverkan.web.tasks.plans_follow_ups")
    assert schedule.next_run > timezone.now()
    assert tasks.plans_follow_ups() == {"reminders": 0, "first_meeting_clocks": 0}
