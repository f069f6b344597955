"""The intake's order stored on the handlings (decision 0361) is the deadline rules'
order: over randomised matters (every state the services make, at random times, oral
reports with and without their written one, extensions, closures, evaluations) and
random days after, every page and both counts equal those of the computation against
today that it replaced (``intake_page._ranked_page``, decision 0357, kept as the oracle),
and the order of the Python rules. The migration's fill writes the same values as the
services."""

from __future__ import annotations

import datetime
import importlib
import random
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import DEFAULT_DB_ALIAS, connection
from django.utils import timezone

from samverkan.audit import partitions
from samverkan.concerns import intake_order, intake_page, services
from samverkan.concerns.models import Handling
from samverkan.core import paging

from .conftest import make_report
from .test_intake_order import _all_pages, _python_key

ANSWERS = {key: "ja" for key, _ in services.EVALUATION_QUESTIONS}
OUTCOMES = {
    "": "referred",
    "open": "intervention",
    "ongoing": "no_intervention",
    "not_open": "no_investigation",
}


def _at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _oral(world, maria):
    return services.report_register_oral(
        actor=maria,
        personal_number=world.children["omar"].personal_number,
        first_name="Omar",
        last_name="Haddad",
        reporter_organisation_id=world.organisations["Frejaskolan"].pk,
        reporter_name="Frida Ek",
        reporter_phone="0123",
        worry="Akut: Omar vill inte gå hem.",
    )


def _random_matters(world, monkeypatch, rng, start, end, count):
    """``count`` reports received between ``start`` and ``end``, each taken through a
    random part of its handling at random later moments (never after ``end``)."""
    maria, mats = world.actor("maria"), world.actor("mats")
    # The audit log's month partitions (PostgreSQL) for the past and the days looked at.
    partitions.ensure(
        starts=start - datetime.timedelta(days=31), ends=end + datetime.timedelta(days=240)
    )
    for _ in range(count):
        moment = start + (end - start) * rng.random()

        def later(moment=moment):
            return min(end, moment + datetime.timedelta(days=rng.uniform(0, 30)))

        _at(monkeypatch, moment)
        if rng.random() < 0.15:
            report = _oral(world, maria)
            if rng.random() < 0.5:
                _at(monkeypatch, later())
                make_report(world, "mats", child="omar", urgency="normal")  # the written one
        else:
            report = make_report(world, child=rng.choice(["noah", "melwin"]), urgency="normal")
        handling = Handling.objects.get(report=report)
        if rng.random() < 0.5:
            _at(monkeypatch, later())
            services.handling_assign(
                actor=maria, report=report, handler_membership_id=world.memberships["olof"].pk
            )
        if rng.random() < 0.6:
            _at(monkeypatch, later())
            services.protection_assessment_record(actor=maria, report=report, text="Ingen fara.")
        if rng.random() < 0.2:
            _at(monkeypatch, later())
            new_due = handling.preliminary_due + datetime.timedelta(days=rng.randint(1, 60))
            services.preliminary_extend(actor=maria, report=report, new_due=new_due, reason="Skäl.")
        decision = ""
        if rng.random() < 0.6:
            decision = rng.choice(["open", "not_open", "ongoing"])
            _at(monkeypatch, later())
            services.preliminary_decide(actor=maria, report=report, decision=decision)
            handling.refresh_from_db()
            if decision == "open" and rng.random() < 0.3:
                _at(monkeypatch, later())
                new_due = handling.investigation_due + datetime.timedelta(days=rng.randint(1, 90))
                services.investigation_extend(
                    actor=maria, report=report, new_due=new_due, reason="Särskilda skäl."
                )
        if rng.random() < 0.35:
            _at(monkeypatch, later())
            services.handling_close(actor=maria, report=report, outcome=OUTCOMES[decision])
            if rng.random() < 0.4:
                who = rng.choice([maria, mats])
                services.evaluation_submit(actor=who, report=report, answers=ANSWERS)


def _pages(actor, today, paged):
    """Every page's ids and the counts, from ``paged`` (the stored order or the oracle)."""
    alias = DEFAULT_DB_ALIAS
    ids, number = [], 1
    while True:
        page, overdue, due_soon = paged(alias, actor, today, number, paging.PAGE_SIZE)
        ids += page[: paging.PAGE_SIZE]
        if len(page) <= paging.PAGE_SIZE:
            return ids, (overdue, due_soon)
        number += 1


@pytest.mark.parametrize("seed", range(4))
def test_the_stored_order_is_the_deadline_rules_order(world, monkeypatch, seed):
    rng = random.Random(seed)
    real_now = timezone.now()
    start = real_now - datetime.timedelta(days=150)
    _random_matters(world, monkeypatch, rng, start, real_now, 34)
    maria = world.actor("maria")
    days = sorted({0, 1, 3, 4, *(rng.randint(0, 200) for _ in range(4))})
    for days_later in days:
        later = real_now + datetime.timedelta(days=days_later, hours=rng.uniform(0, 23))
        _at(monkeypatch, later)
        today = timezone.localdate()
        stored = _pages(maria, today, intake_page._stored_page)
        assert stored == _pages(maria, today, intake_page._ranked_page), days_later
        # And the Python rules' own order and counts, on the pages as shown.
        views, counts = _all_pages(maria)
        assert [v.report.pk for v in views] == stored[0]
        keys = [_python_key(v) for v in views]
        assert keys == sorted(keys)
        assert counts["overdue"] == sum(1 for v in views if v.overdue)
        assert counts["due_soon"] == sum(1 for v in views if v.due_soon and not v.overdue)


def test_the_migration_fills_what_the_services_keep(world, monkeypatch):
    """The data migration (0010) computes each handling's stored order from its values
    alone: the same as the services kept, in every state."""
    migration = importlib.import_module("samverkan.concerns.migrations.0010_handling_intake_order")
    real_now = timezone.now()
    _random_matters(
        world, monkeypatch, random.Random(7), real_now - datetime.timedelta(days=90), real_now, 24
    )
    kept = dict(Handling.objects.values_list("pk", "intake_due"))
    organisations = set(Handling.objects.values_list("intake_organisation_id", flat=True))
    assert len(set(kept.values())) > 5, "the matters are in several states"
    assert None not in organisations
    Handling.objects.update(intake_due=None, intake_organisation=None)
    migration.fill(django_apps, SimpleNamespace(connection=connection))
    assert dict(Handling.objects.values_list("pk", "intake_due")) == kept
    assert set(Handling.objects.values_list("intake_organisation_id", flat=True)) == organisations


def test_other_due_soon_windows_keep_the_rules_order(world, monkeypatch, settings):
    """With a "due soon" window other than the evaluation's, the stored day does not
    order the reports (decision 0361); the intake ranks them against today instead."""
    settings.SAMVERKAN = {**settings.SAMVERKAN, "CONCERN_DUE_SOON_DAYS": 6}
    assert not intake_order.stored_order_holds()
    real_now = timezone.now()
    _random_matters(
        world, monkeypatch, random.Random(3), real_now - datetime.timedelta(days=60), real_now, 30
    )
    maria = world.actor("maria")
    for days_later in (0, 2, 9, 30):
        _at(monkeypatch, real_now + datetime.timedelta(days=days_later))
        views, counts = _all_pages(maria)
        keys = [_python_key(v) for v in views]
        assert keys == sorted(keys)
        assert counts["overdue"] == sum(1 for v in views if v.overdue)
        assert counts["due_soon"] == sum(1 for v in views if v.due_soon and not v.overdue)
