"""Reports of concern in the inbox, in a world built from factories: who receives a new
report, an assignment and feedback, and who must not."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.concerns import services as concerns
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.notify import selectors
from samverkan.notify.models import InboxItem

pytestmark = pytest.mark.django_db


def _titles(membership) -> list[str]:
    return [row.shown.title for row in selectors.inbox_page(actor_of(membership))]


def test_a_new_report_reaches_the_intake_function_with_the_14_day_clock(sent):
    title = f"Ny anmälan {sent.report.reference} om Nora Exempelsdotter"
    assert title in _titles(sent.intake)
    for other in (sent.teacher, sent.rektor, sent.handler, sent.colleague):
        assert title not in _titles(other)
    item = InboxItem.objects.get(kind="concerns.intake", ref_id=str(sent.report.public_id))
    due = sent.report.handling.preliminary_due
    assert timezone.localdate(item.due_at) == due
    assert due - timezone.localdate(sent.report.received_at) >= datetime.timedelta(days=14)
    # Whoever holds the intake function next finds it there too.
    successor = MembershipFactory(code="mottagningssekreterare", organisation=sent.social)
    assert title in _titles(successor)


def test_assignment_and_feedback_reach_the_handler_and_the_reporter_only(sent):
    intake = actor_of(sent.intake)
    concerns.handling_assign(
        actor=intake, report=sent.report, handler_membership_id=sent.handler.pk
    )
    assigned = f"Du handlägger anmälan {sent.report.reference} om Nora Exempelsdotter"
    assert assigned in _titles(sent.handler)
    for other in (sent.colleague, sent.intake, sent.teacher, sent.rektor):
        assert assigned not in _titles(other)
    concerns.report_identify_child(
        actor=intake,
        report=sent.report,
        personal_number=sent.report.reported_personal_number,
        first_name="Nora",
        last_name="Exempelsdotter",
    )
    sent.report.refresh_from_db()
    concerns.feedback_send(actor=actor_of(sent.handler), report=sent.report, statement="handler")
    feedback = f"Återkoppling på din anmälan {sent.report.reference} om Nora Exempelsdotter"
    assert feedback in _titles(sent.teacher)
    for other in (sent.rektor, sent.handler, sent.colleague, sent.intake):
        assert feedback not in _titles(other)


def test_the_preliminary_decision_closes_the_intake_item(sent):
    concerns.handling_assign(
        actor=actor_of(sent.intake), report=sent.report, handler_membership_id=sent.handler.pk
    )
    concerns.preliminary_decide(
        actor=actor_of(sent.handler), report=sent.report, decision="not_open"
    )
    item = InboxItem.objects.get(kind="concerns.intake", ref_id=str(sent.report.public_id))
    assert item.done_at is not None
    assert not any("Ny anmälan" in t for t in _titles(sent.intake))


def test_one_e_mail_each_for_the_assignment_and_the_feedback(
    sent, mailoutbox, django_capture_on_commit_callbacks
):
    intake = actor_of(sent.intake)
    with django_capture_on_commit_callbacks(execute=True):
        concerns.handling_assign(
            actor=intake, report=sent.report, handler_membership_id=sent.handler.pk
        )
    assert [m.to for m in mailoutbox].count([sent.handler.user.email]) == 1
    concerns.report_identify_child(
        actor=intake,
        report=sent.report,
        personal_number=sent.report.reported_personal_number,
        first_name="Nora",
        last_name="Exempelsdotter",
    )
    sent.report.refresh_from_db()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concerns.feedback_send(
            actor=actor_of(sent.handler), report=sent.report, statement="handler"
        )
    assert [m.to for m in mailoutbox] == [[sent.teacher.user.email]]
    assert "Nora" not in mailoutbox[0].body
