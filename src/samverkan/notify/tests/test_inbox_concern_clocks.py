"""The legal clocks of a report of concern as inbox items, in a world built from
factories: the protection assessment the same day, the written report after an oral
one, feedback to the reporter within the configured days, the investigation's months,
the contact function, the reporter's additions and the evaluation after closure. For
each: who receives it, who must not, what closes it, and that the worker reminds and
then escalates it once to social services' manager function (never the school's)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from samverkan.concerns import services as concerns
from samverkan.directory import services as directory
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.notify import clocks, selectors
from samverkan.notify.models import InboxItem

pytestmark = pytest.mark.django_db


def _rows(membership, reference) -> dict[str, object]:
    return {
        row.label: row
        for row in selectors.inbox_page(actor_of(membership))
        if reference in row.shown.title
    }


def _assign(world):
    concerns.handling_assign(
        actor=actor_of(world.intake), report=world.report, handler_membership_id=world.handler.pk
    )
    world.report.handling.refresh_from_db()


def test_protection_assessment_is_due_the_same_day_at_the_intake_and_escalates_once(sent):
    ref = sent.report.reference
    manager = MembershipFactory(code="enhetschef", organisation=sent.social)
    row = _rows(sent.intake, ref)["Skyddsbedömning att göra"]
    assert timezone.localdate(row.item.due_at) == timezone.localdate(sent.report.received_at)
    for other in (sent.teacher, sent.rektor, sent.handler, manager):
        assert "Skyddsbedömning att göra" not in _rows(other, ref)
    # The worker, a day later: reminded (overdue), not yet escalated.
    later = timezone.now() + datetime.timedelta(days=1)
    clocks.clocks_run(now=later)
    assert _rows(sent.intake, ref)["Skyddsbedömning att göra"].overdue
    assert "Skyddsbedömning att göra" not in _rows(manager, ref)
    # After the escalation time: once to social services' manager, not the school's.
    days = settings.SAMVERKAN["ESCALATE_AFTER_DAYS"]
    clocks.clocks_run(now=later + datetime.timedelta(days=days + 1))
    clocks.clocks_run(now=later + datetime.timedelta(days=days + 2))
    escalated = _rows(manager, ref)["Skyddsbedömning att göra"]
    assert escalated.item.escalation_of_id == row.item.pk
    assert InboxItem.objects.filter(escalation_of=row.item).count() == 1
    assert "Skyddsbedömning att göra" not in _rows(sent.rektor, ref)
    # Recording the assessment closes it for both.
    concerns.protection_assessment_record(
        actor=actor_of(sent.intake), report=sent.report, text="Inget akut skyddsbehov."
    )
    assert "Skyddsbedömning att göra" not in _rows(sent.intake, ref)
    assert "Skyddsbedömning att göra" not in _rows(manager, ref)


def test_feedback_time_moves_from_the_intake_to_the_handler_and_stops_at_feedback(sent):
    ref = sent.report.reference
    row = _rows(sent.intake, ref)["Återkoppling till anmälaren"]
    days = (timezone.localdate(row.item.due_at) - timezone.localdate(sent.report.received_at)).days
    assert days == 14  # CONCERN_FEEDBACK_DAYS
    assert "Återkoppling till anmälaren" not in _rows(sent.teacher, ref)
    _assign(sent)
    assert "Återkoppling till anmälaren" in _rows(sent.handler, ref)
    for other in (sent.intake, sent.colleague, sent.teacher, sent.rektor):
        assert "Återkoppling till anmälaren" not in _rows(other, ref)
    concerns.report_identify_child(
        actor=actor_of(sent.intake),
        report=sent.report,
        personal_number=sent.report.reported_personal_number,
        first_name="Nora",
        last_name="Exempelsdotter",
    )
    sent.report.refresh_from_db()
    concerns.feedback_send(actor=actor_of(sent.handler), report=sent.report, statement="handler")
    assert "Återkoppling till anmälaren" not in _rows(sent.handler, ref)
    assert "Återkoppling på en orosanmälan" in _rows(sent.teacher, ref)


def test_investigation_clock_reaches_the_handler_moves_with_an_extension_and_closes(sent):
    ref = sent.report.reference
    _assign(sent)
    handler = actor_of(sent.handler)
    concerns.preliminary_decide(actor=handler, report=sent.report, decision="open")
    handling = sent.report.handling
    handling.refresh_from_db()
    row = _rows(sent.handler, ref)["Utredningstid"]
    assert timezone.localdate(row.item.due_at) == handling.investigation_due
    for other in (sent.intake, sent.colleague, sent.teacher, sent.rektor):
        assert "Utredningstid" not in _rows(other, ref)
    new_due = handling.investigation_due + datetime.timedelta(days=30)
    concerns.investigation_extend(
        actor=handler, report=sent.report, new_due=new_due, reason="Väntar på BUP:s utlåtande."
    )
    assert timezone.localdate(_rows(sent.handler, ref)["Utredningstid"].item.due_at) == new_due
    concerns.handling_close(actor=handler, report=sent.report, outcome="no_intervention")
    assert "Utredningstid" not in _rows(sent.handler, ref)


def test_the_reporters_question_reaches_the_handler_only(sent):
    ref = sent.report.reference
    _assign(sent)
    concerns.reporter_entry_add(
        actor=actor_of(sent.teacher), report=sent.report, kind="question", text="Hur går det?"
    )
    assert "Nytt från anmälaren" in _rows(sent.handler, ref)
    for other in (sent.intake, sent.colleague, sent.teacher, sent.rektor):
        assert "Nytt från anmälaren" not in _rows(other, ref)


def test_the_evaluation_after_closure_reaches_both_sides_and_closes_per_side(sent):
    ref = sent.report.reference
    _assign(sent)
    handler = actor_of(sent.handler)
    concerns.preliminary_decide(actor=handler, report=sent.report, decision="not_open")
    concerns.handling_close(actor=handler, report=sent.report, outcome="no_investigation")
    assert "Utvärdering av samarbetet" in _rows(sent.handler, ref)
    assert "Utvärdering av samarbetet" in _rows(sent.teacher, ref)
    for other in (sent.intake, sent.colleague, sent.rektor):
        assert "Utvärdering av samarbetet" not in _rows(other, ref)
    answers = {key: "ja" for key, _ in concerns.EVALUATION_QUESTIONS}
    concerns.evaluation_submit(actor=actor_of(sent.teacher), report=sent.report, answers=answers)
    assert "Utvärdering av samarbetet" not in _rows(sent.teacher, ref)
    assert "Utvärdering av samarbetet" in _rows(sent.handler, ref)  # the other side still owes


def test_a_report_reaches_the_contact_function_and_whoever_holds_it_next(sent):
    from django.urls import reverse

    from samverkan.concerns.models import Report
    from samverkan.concerns.tests.test_unregistered_child import REPORT, _number

    cf = directory.contact_function_create(
        actor=None,
        served_organisation=sent.school,
        provider_organisation=sent.social,
        title="Kontaktsocialsekreterare",
    )
    directory.contact_function_assign(actor=None, contact_function=cf, membership=sent.handler)
    number = _number(serial=952)
    response = sent.client(sent.rektor).post(
        reverse("concerns:new"),
        {
            **REPORT,
            "personal_number": f"{number[:8]}-{number[8:]}",
            "child_first_name": "Ines",
            "child_last_name": "Exempelsdotter",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get(reporter_user=sent.rektor.user)
    label = "Ny orosanmälan från en verksamhet du är kontakt för"
    assert label in _rows(sent.handler, report.reference)
    for other in (sent.colleague, sent.intake, sent.teacher, sent.rektor):
        assert label not in _rows(other, report.reference)
    directory.contact_function_assign(actor=None, contact_function=cf, membership=sent.colleague)
    assert label in _rows(sent.colleague, report.reference)
    assert label not in _rows(sent.handler, report.reference)


def test_the_written_report_after_an_oral_one_is_awaited_at_the_intake(sent):
    from samverkan.concerns.tests.test_unregistered_child import _number

    oral = concerns.report_register_oral(
        actor=actor_of(sent.intake),
        personal_number=_number(serial=953),
        first_name="Alva",
        last_name="Exempelsdotter",
        reporter_organisation_id=sent.school.pk,
        reporter_name="Rektor på skolan",
        worry="Barnet kom till skolan med blåmärken.",
    )
    row = _rows(sent.intake, oral.reference)["Skriftlig anmälan efter en muntlig"]
    assert timezone.localdate(row.item.due_at) == oral.handling.written_due
    for other in (sent.teacher, sent.rektor, sent.handler, sent.colleague):
        assert "Skriftlig anmälan efter en muntlig" not in _rows(other, oral.reference)
