"""The flow through the services: routing, receipt, the social services matter (and
what it does to voluntary consents), the contact function notice, assignment, the
handling deadlines, oral reports, duplicates, closure and evaluation; immutability."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.concerns import deadlines, selectors, services
from samverkan.concerns.models import Entry, EntryKind, Handling, Report
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.notify import clocks
from samverkan.notify import selectors as inbox
from samverkan.people.models import Involvement

from .conftest import SOCIAL, make_report


def test_report_is_routed_by_age_and_gives_social_services_a_report_matter(world, report):
    social = world.organisations[SOCIAL]
    assert report.receiving_organisation == social
    assert report.routed_unit.name == "Familjecentralen 0–12"  # Noah is 9
    involvement = Involvement.objects.get(
        child=world.children["noah"], organisation=social, ended_at__isnull=True
    )
    assert involvement.context == "report"
    entries = list(report.entries.all())
    assert entries[0].kind == EntryKind.RECEIPT and entries[0].to_reporter
    assert report.handling.preliminary_due == timezone.localdate(
        report.received_at
    ) + datetime.timedelta(days=14)


def test_elin_goes_to_the_youth_unit(world):
    report = make_report(world, username="frida", child="elin")
    assert report.routed_unit.name == "Ungdoms- och vuxencentralen 13–18"


def test_submission_is_audited_on_the_duty_to_report(world, report):
    row = AuditEvent.objects.filter(
        resource_type="concerns.report", resource_id=str(report.public_id), action="create"
    ).get()
    assert row.ground_code == "duty_to_report"
    assert "19 kap. 1 §" in row.ground_label  # from settings, not the code
    assert row.subject_id == str(world.children["noah"].public_id)


def _inbox(world, username) -> list:
    return list(inbox.inbox_page(world.actor(username)))


def test_contact_social_worker_of_the_school_is_notified(world, report):
    # Sofia holds Frejaskolan's kontaktsocialsekreterare function; Olof does not.
    contact = [
        r
        for r in _inbox(world, "sofia")
        if "verksamhet du är kontakt för" in r.label and report.reference in r.shown.title
    ]
    assert [r.shown.title for r in contact] == [
        f"Ny anmälan {report.reference} om {world.children['noah'].full_name} "
        "från Frejaskolan, som du är kontakt för"
    ]
    assert not [r for r in _inbox(world, "olof") if report.reference in r.shown.title]


def test_receipt_mail_on_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(world)
    # Through notify.mail: no personal data, not even the report's reference.
    receipt = next(m for m in mail.outbox if m.to == [report.reporter_email])
    assert receipt.subject == "Du har en ny händelse i Samverkan"
    assert report.reference not in receipt.body
    assert "/anmalan/mina/" in receipt.body


def test_professionals_cannot_be_anonymous_even_in_the_database(world, report):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            reference="OA-00-TEST",
            source="professional",
            channel="written",
            child=world.children["noah"],
            receiving_organisation=world.organisations[SOCIAL],
            worry="x",
            urgency="normal",
            guardians_informed="unknown",
            received_at=timezone.now(),
        )


def test_submitted_reports_and_entries_are_immutable(world, report):
    with pytest.raises(DatabaseError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(worry="ändrat i efterhand")
    entry = report.entries.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(text="ändrat")
    report.refresh_from_db()
    assert report.worry == "Noah säger att han är rädd att gå hem."


def test_additions_are_appended_never_edited(world, report):
    before = report.entries.count()
    services.reporter_entry_add(
        actor=world.actor("mats"),
        report=report,
        kind="correction",
        text="Blåmärket var på vänster arm.",
    )
    report.refresh_from_db()
    assert report.observations == "Blåmärke på armen."
    assert report.entries.count() == before + 1
    assert report.entries.last().kind == EntryKind.CORRECTION


def test_a_social_worker_cannot_file_a_professional_report(world):
    with pytest.raises(PermissionDenied):
        make_report(world, username="olof")


def test_reporter_must_give_contact_details_and_a_reason_for_secrecy(world):
    with pytest.raises(ValidationFailed):
        make_report(world, reporter_phone="", reporter_email="")
    with pytest.raises(ValidationFailed) as err:
        make_report(world, do_not_inform_guardians=True, do_not_inform_reason="")
    assert err.value.field == "do_not_inform_reason"


def test_a_child_the_reporter_cannot_see_is_not_found(world):
    with pytest.raises(NotFound):
        make_report(world, username="lena", child="noah")  # BUP has no matter with Noah


def test_assignment_tells_the_reporter_who_handles_it(world, assigned):
    view = selectors.report_get(world.actor("mats"), assigned.public_id)
    assert "Olof Sandberg" in view.handler_line
    assert "olof@exempelkommun.example" in view.handler_line
    assert view.status.startswith("Handläggare utsedd")
    assert any(
        r.shown.title.startswith(f"Du handlägger anmälan {assigned.reference}")
        for r in _inbox(world, "olof")
    )


def test_only_social_services_staff_can_be_assigned(world, report):
    with pytest.raises(ValidationFailed):
        services.handling_assign(
            actor=world.actor("maria"),
            report=report,
            handler_membership_id=world.memberships["mats"].pk,
        )


def test_reporter_cannot_handle(world, report):
    with pytest.raises(NotFound):
        services.protection_assessment_record(actor=world.actor("mats"), report=report, text="x")


def test_preliminary_decision_opens_an_investigation_with_four_months(world, assigned):
    olof = world.actor("olof")
    handling = services.preliminary_decide(actor=olof, report=assigned, decision="open")
    today = timezone.localdate()
    assert handling.investigation_started_on == today
    assert handling.investigation_due == deadlines.add_months(today, 4)
    involvement = Involvement.objects.get(
        child=assigned.child, organisation=assigned.receiving_organisation, ended_at__isnull=True
    )
    assert involvement.context == "investigation"
    with pytest.raises(ValidationFailed):
        services.preliminary_decide(actor=olof, report=assigned, decision="not_open")
    assert selectors.report_get(world.actor("mats"), assigned.public_id).status == "Utredning pågår"


def test_extensions_need_a_reason_and_a_later_date(world, assigned):
    olof = world.actor("olof")
    due = assigned.handling.preliminary_due
    with pytest.raises(ValidationFailed):
        services.preliminary_extend(
            actor=olof, report=assigned, new_due=due + datetime.timedelta(days=7), reason=" "
        )
    with pytest.raises(ValidationFailed):
        services.preliminary_extend(actor=olof, report=assigned, new_due=due, reason="Sjukdom")
    services.preliminary_extend(
        actor=olof,
        report=assigned,
        new_due=due + datetime.timedelta(days=7),
        reason="Familjen har varit utomlands; synnerliga skäl.",
    )
    entry = assigned.entries.get(kind=EntryKind.PRELIMINARY_EXTENDED)
    assert (entry.due_before, entry.due_after) == (due, due + datetime.timedelta(days=7))
    assert not entry.to_reporter
    services.preliminary_decide(actor=olof, report=assigned, decision="open")
    handling = Handling.objects.get(report=assigned)
    with pytest.raises(ValidationFailed):
        services.investigation_extend(
            actor=olof, report=assigned, new_due=handling.investigation_due, reason="x"
        )
    services.investigation_extend(
        actor=olof,
        report=assigned,
        new_due=handling.investigation_due + datetime.timedelta(days=30),
        reason="Väntar på utlåtande från BUP; särskilda skäl.",
    )
    assert assigned.entries.filter(kind=EntryKind.INVESTIGATION_EXTENDED).count() == 1


def test_overdue_and_same_day_protection_on_the_dashboard(world):
    past = timezone.now() - datetime.timedelta(days=16)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=past):
        old = make_report(world, username="frida", child="elin")
    views = {v.report.pk: v for v in selectors.intake_dashboard(world.actor("maria"))}
    view = views[old.pk]
    assert [d.kind for d in view.overdue] == ["protection", "preliminary"]
    assert view.protection_late
    services.protection_assessment_record(actor=world.actor("maria"), report=old, text="Bedömd.")
    view = selectors.report_get(world.actor("maria"), old.public_id)
    assert view.protection_late  # recorded, but not on the day the report arrived
    assert [d.kind for d in view.overdue] == ["preliminary"]


def test_demo_has_an_overdue_preliminary_assessment(world):
    views = selectors.intake_dashboard(world.actor("maria"))
    assert any(d.kind == "preliminary" for v in views for d in v.overdue)
    assert views[0].overdue  # overdue first


def test_several_reporters_about_one_child_raise_a_flag(world, report):
    view = selectors.report_get(world.actor("maria"), report.public_id)
    # The demo world already has Lina's and Mats's reports about Noah.
    assert view.duplicate_flag
    alone = make_report(world, username="frida", child="elin")
    views = {v.report.pk: v for v in selectors.intake_dashboard(world.actor("maria"))}
    assert views[report.pk].duplicate_flag
    # Frida reported Elin twenty days ago (demo) and now: one reporter, no flag.
    assert views[alone.pk].duplicate_count == 1
    assert not views[alone.pk].duplicate_flag


def test_same_reporter_twice_is_not_a_duplicate(world, settings):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "CONCERN_DUPLICATE_WINDOW_DAYS": 1}
    first = make_report(world, username="frida", child="melwin")
    make_report(world, username="frida", child="melwin")
    view = selectors.report_get(world.actor("maria"), first.public_id)
    assert view.duplicate_count == 1 and not view.duplicate_flag


def test_oral_report_expects_the_written_one_in_working_days(world):
    maria = world.actor("maria")
    oral = services.report_register_oral(
        actor=maria,
        personal_number=world.children["noah"].personal_number,
        first_name="Noah",
        last_name="Berg",
        reporter_organisation_id=world.organisations["Frejaskolan"].pk,
        reporter_name="Frida Ek",
        reporter_phone="0123",
        worry="Akut: Noah vill inte gå hem.",
    )
    assert oral.channel == "oral" and oral.received_by_id == maria.user_id
    expected = deadlines.add_working_days(timezone.localdate(), 2)
    assert oral.handling.written_due == expected
    mine = {v.report.pk: v for v in selectors.reports_mine(world.actor("frida"))}
    assert [d.kind for d in mine[oral.pk].deadlines] == ["written"]
    written = make_report(world, username="frida")
    assert written.completes == oral
    handling = Handling.objects.get(report=oral)
    assert handling.written_received_at == written.received_at
    assert oral.entries.filter(kind=EntryKind.WRITTEN_RECEIVED).exists()


def test_oral_written_overdue_on_the_dashboard(world, settings):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "CONCERN_WRITTEN_WORKING_DAYS": 0}
    oral = services.report_register_oral(
        actor=world.actor("maria"),
        personal_number=world.children["omar"].personal_number,
        first_name="Omar",
        last_name="Haddad",
        reporter_organisation_id=world.organisations["Frejaskolan"].pk,
        reporter_name="Frida Ek",
        reporter_phone="0123",
        worry="Akut.",
    )
    from unittest import mock

    later = timezone.now() + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        views = {v.report.pk: v for v in selectors.intake_dashboard(world.actor("maria"))}
    assert "written" in [d.kind for d in views[oral.pk].overdue]


def test_only_intake_registers_oral_reports(world):
    with pytest.raises(PermissionDenied):
        services.report_register_oral(
            actor=world.actor("mats"),
            personal_number=world.children["noah"].personal_number,
            first_name="Noah",
            last_name="Berg",
            reporter_organisation_id=world.organisations["Frejaskolan"].pk,
            reporter_name="Mats",
            worry="x",
        )


def test_closure_and_evaluation_once_per_side(world, assigned):
    olof = world.actor("olof")
    with pytest.raises(ValidationFailed):
        services.evaluation_submit(
            actor=world.actor("mats"), report=assigned, answers={}, comment=""
        )
    with pytest.raises(ValidationFailed):
        services.handling_close(actor=olof, report=assigned, outcome="no_intervention")
    services.preliminary_decide(actor=olof, report=assigned, decision="not_open")
    services.handling_close(actor=olof, report=assigned, outcome="no_investigation")
    # The reporter is told what the law lets them know (feedback catalogue); social
    # services sees its own matter as closed.
    seen = selectors.report_get(world.actor("mats"), assigned.public_id).status
    assert seen == "Någon utredning inleds inte"
    assert selectors.report_get(olof, assigned.public_id).status.startswith("Avslutad")
    answers = {key: "ja" for key, _ in services.EVALUATION_QUESTIONS}
    with pytest.raises(ValidationFailed):
        services.evaluation_submit(
            actor=world.actor("mats"), report=assigned, answers={**answers, "receipt": "kanske"}
        )
    services.evaluation_submit(actor=world.actor("mats"), report=assigned, answers=answers)
    with pytest.raises(ValidationFailed):
        services.evaluation_submit(actor=world.actor("frida"), report=assigned, answers=answers)
    services.evaluation_submit(
        actor=olof, report=assigned, answers={**answers, "feedback": "delvis"}
    )
    summary = selectors.evaluation_summary(olof)
    assert summary["count"] == 2
    feedback = dict(summary["questions"])["Fick anmälaren återkoppling under ärendets gång?"]
    assert feedback == {"skola": {"ja": 1}, "socialtjanst": {"delvis": 1}}
    mine = {v.report.pk: v for v in selectors.reports_mine(world.actor("mats"))}
    assert mine[assigned.pk].deadlines == []  # evaluated: no reminder
    # Both answers are folded, anonymously, into the built-in survey (governance).
    from samverkan.governance.models import SurveyAnswer

    folded = SurveyAnswer.objects.filter(
        response__survey__system_code="arende", question__code="feedback"
    ).order_by("response__organisation_type")
    assert list(folded.values_list("response__organisation_type", "value")) == [
        ("skola", 3),
        ("socialtjanst", 2),
    ]


def test_evaluation_reminder_after_closure(world, assigned):
    olof = world.actor("olof")
    services.preliminary_decide(actor=olof, report=assigned, decision="not_open")
    services.handling_close(actor=olof, report=assigned, outcome="no_investigation")
    mine = {v.report.pk: v for v in selectors.reports_mine(world.actor("mats"))}
    [reminder] = mine[assigned.pk].deadlines
    assert reminder.kind == "evaluation"
    assert reminder.due == timezone.localdate() + datetime.timedelta(weeks=3)


def test_receiving_a_report_lapses_voluntary_consents(world):
    """Melwin's parents consented, for voluntary support, to Frejaskolan, social
    services and BUP sharing for a SIP. A report makes social services' matter a
    report matter: the consent no longer covers (Åmål) and must be renewed."""
    from samverkan.consent import sharing

    melwin = world.children["melwin"]
    question = {
        "child": melwin,
        "from_organisation_id": world.organisations["Frejaskolan"].pk,
        "to_organisation_id": world.organisations["BUP"].pk,
        "category": "skolsituation",
        "purpose": "sip",
    }
    assert sharing.decide_sharing(**question).allowed
    make_report(world, username="frida", child="melwin")
    decision = sharing.decide_sharing(**question)
    assert not decision.allowed
    # BUP is told that the consent no longer covers, not that social services received
    # a report (issue 11); social services, whose matter it is, is told why.
    assert "karaktär" not in decision.reason and "gäller inte längre" in decision.reason
    social = world.organisations["Socialtjänsten barn och familj"].pk
    told_social = sharing.decide_sharing(**question, viewer_organisation_id=social)
    assert "ändrat karaktär" in told_social.reason


def test_overdue_deadlines_are_reminded_once_in_the_intake_inbox(world):
    from unittest import mock

    past = timezone.now() - datetime.timedelta(days=16)
    with mock.patch("django.utils.timezone.now", return_value=past):
        old = make_report(world, username="frida", child="melwin")
    clocks.clocks_run()
    # No handler yet: the intake (Maria) sees both deadlines overdue.
    rows = {r.label: r for r in _inbox(world, "maria") if old.reference in r.shown.title}
    assert rows["Ny orosanmälan i mottagningen"].overdue
    assert rows["Skyddsbedömning att göra"].overdue
    reminded = {r.item.pk: r.item.reminded_at for r in rows.values()}
    clocks.clocks_run()  # each reminder once
    again = {r.item.pk: r.item.reminded_at for r in _inbox(world, "maria") if r.item.pk in reminded}
    assert again == reminded
    # Once Sofia handles it, the feedback clock is hers and no longer the intake's.
    services.handling_assign(
        actor=world.actor("maria"), report=old, handler_membership_id=world.memberships["sofia"].pk
    )
    assert any(
        r.label == "Återkoppling till anmälaren" and old.reference in r.shown.title
        for r in _inbox(world, "sofia")
    )
    assert not any(
        r.label == "Återkoppling till anmälaren" and old.reference in r.shown.title
        for r in _inbox(world, "maria")
    )


def test_sweep_command(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("sweep", stdout=out)
    assert "Orosanmälningar:" in out.getvalue()
