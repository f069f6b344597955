"""A reporter can report a child who is not in their organisation's register: the
personnummer and name travel with the report to social services (the duty to report),
and the intake identifies the child. Anonymous reports are identified the same way,
and then count in the several-reports alert and show on the child's overview."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.concerns import selectors, services
from samverkan.concerns.models import Entry, Report
from samverkan.core.errors import ValidationFailed
from samverkan.demo.world import fictional_number
from samverkan.legal import catalogue
from samverkan.people.models import Child, Involvement
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

from .factories import report_world

pytestmark = pytest.mark.django_db

REPORT = {
    "worry": "Barnet säger att hen inte vågar gå hem.",
    "urgency": "soon",
    "guardians_informed": "no",
    "reporter_phone": "0123-456 78",
}


def _number(years=9, serial=951) -> str:
    born = timezone.localdate() - datetime.timedelta(days=years * 365 + 40)
    return fictional_number(born, serial)


def test_a_teacher_reports_a_child_their_school_has_not_registered():
    world = report_world()
    client = world.client(world.teacher)
    page = client.get(reverse("concerns:new"))
    assert page.status_code == 200
    assert reverse("people:child_register") not in page.text  # never a page they cannot open
    number = _number()
    response = client.post(
        reverse("concerns:new"),
        {
            **REPORT,
            "personal_number": f"{number[:8]}-{number[8:]}",
            "child_first_name": "Nora",
            "child_last_name": "Exempelsdotter",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get(reporter_user=world.teacher.user)
    assert report.child is None
    assert report.reported_personal_number == number
    assert report.reported_child == f"Nora Exempelsdotter, {number[:8]}-{number[8:]}"
    assert report.routed_unit.name == "Familjecentralen 0–12"  # age from the number
    # Nothing was registered on the teacher's side, and the school learns nothing more.
    assert not Child.objects.filter(personal_number=number).exists()
    # Intake sees it, with what the teacher gave.
    intake = world.client(world.intake)
    dashboard = intake.get(reverse("concerns:intake"))
    assert "Nora Exempelsdotter" in dashboard.text and report.reference in dashboard.text
    detail = intake.get(reverse("concerns:detail", args=[report.public_id]))
    assert "Identifiera barnet" in detail.text and number[:8] in detail.text
    event = AuditEvent.objects.get(resource_id=str(report.public_id), action="create")
    assert event.ground_code == "duty_to_report"


def test_without_a_name_the_form_asks_for_it_and_keeps_what_was_typed():
    world = report_world()
    response = world.client(world.teacher).post(
        reverse("concerns:new"), {**REPORT, "personal_number": _number()}
    )
    assert response.status_code == 200
    assert "Skriv barnets förnamn och efternamn" in response.text
    assert REPORT["worry"] in response.text
    assert not Report.objects.filter(reporter_user=world.teacher.user).exists()


def test_abc_as_personnummer_is_a_format_error():
    world = report_world()
    response = world.client(world.teacher).post(
        reverse("concerns:new"), {**REPORT, "personal_number": "abc"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["personal_number"] == [
        "Numret ska ha 10 eller 12 siffror, till exempel 20120315-1234."
    ]
    assert "register" not in " ".join(form.errors["personal_number"])


def test_a_child_in_the_reporters_register_is_linked_at_once():
    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    report = services.report_submit(
        actor=world.actor(world.teacher), personal_number=child.personal_number, **REPORT
    )
    assert report.child == child and report.reported_personal_number == ""


def test_intake_identifies_the_reported_child_and_gets_its_own_matter():
    world = report_world()
    number = _number()
    report = services.report_submit(
        actor=world.actor(world.teacher),
        personal_number=number,
        child_first_name="Nora",
        child_last_name="Exempelsdotter",
        **REPORT,
    )
    response = world.client(world.intake).post(
        reverse("concerns:identify", args=[report.public_id]),
        {
            "identify-personal_number": number,
            "identify-first_name": "Nora",
            "identify-last_name": "Exempelsdotter",
            "identify-note": "Stämmer med folkbokföringen.",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    child = Child.objects.get(personal_number=number)
    assert report.child == child
    matter = Involvement.objects.get(child=child, organisation=world.social, ended_at=None)
    assert matter.context == "report"
    entry = Entry.objects.get(report=report, kind="identified")
    assert "Nora Exempelsdotter" in entry.text and not entry.to_reporter
    event = AuditEvent.objects.filter(resource_id=str(report.public_id), action="change").latest(
        "id"
    )
    assert event.details == {"identified": True, "ground_version": catalogue.load().version}
    assert event.subject_id == str(child.public_id) and event.ground_code == "duty_to_report"
    # The reporter's duty-to-report path now runs through the child as for any report.
    assert selectors.report_get(world.actor(world.intake), report.public_id).decision.allowed
    with pytest.raises(ValidationFailed, match="redan kopplad"):
        services.report_identify_child(
            actor=world.actor(world.intake), report=report, personal_number=number
        )


def test_an_identified_anonymous_report_feeds_the_alert_and_the_child_panel():
    anonymous = services.report_submit_public(
        child_details="En flicka i 4B på skolan vid torget, heter kanske Barn-något.",
        worry="Hon har blåmärken och säger att hon inte får äta.",
    )
    world = report_world(social=anonymous.receiving_organisation)
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    from_school = services.report_submit(actor=world.actor(world.teacher), child=child, **REPORT)
    intake = world.actor(world.intake)
    assert selectors.report_get(intake, from_school.public_id).duplicate_count == 1
    assert [v.report for v in selectors.reports_for_child(intake, child)] == [from_school]
    services.report_identify_child(
        actor=intake, report=anonymous, personal_number=child.personal_number
    )
    assert selectors.report_get(intake, from_school.public_id).duplicate_flag
    assert {v.report for v in selectors.reports_for_child(intake, child)} == {
        from_school,
        anonymous,
    }
    panel = world.client(world.intake).get(reverse("concerns:child_panel", args=[child.public_id]))
    assert anonymous.reference in panel.text
    event = AuditEvent.objects.filter(resource_id=str(anonymous.public_id), action="change").latest(
        "id"
    )
    assert event.ground_code == "private_report" and event.subject_id == str(child.public_id)


def test_identify_refuses_a_malformed_number_and_only_intake_may_identify():
    anonymous = services.report_submit_public(child_details="Pojke, 8 år", worry="Oro")
    world = report_world(social=anonymous.receiving_organisation)
    with pytest.raises(ValidationFailed) as exc:
        services.report_identify_child(
            actor=world.actor(world.intake), report=anonymous, personal_number="abc"
        )
    assert exc.value.field == "personal_number"
    response = world.client(world.rektor).post(
        reverse("concerns:identify", args=[anonymous.public_id]),
        {"identify-personal_number": _number()},
    )
    assert response.status_code == 404
    anonymous.refresh_from_db()
    assert anonymous.child is None


def _refused(sql, params):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_allows_only_linking_the_child_once():
    anonymous = services.report_submit_public(child_details="Pojke, 8 år", worry="Oro")
    child, other = ChildFactory(), ChildFactory()
    columns = [f.column for f in Report._meta.concrete_fields if f.column != "child_id"]
    for column in columns:  # every other column stays as submitted
        sql = f"UPDATE concerns_report SET {column} = {column} WHERE id = %s"  # noqa: S608
        _refused(sql, [anonymous.pk])
    _refused(
        "UPDATE concerns_report SET child_id = %s, worry = 'ändrat' WHERE id = %s",
        [child.pk, anonymous.pk],
    )
    Report.objects.filter(pk=anonymous.pk).update(child=child)  # the one allowed change
    _refused("UPDATE concerns_report SET child_id = %s WHERE id = %s", [other.pk, anonymous.pk])
    _refused("UPDATE concerns_report SET child_id = NULL WHERE id = %s", [anonymous.pk])
    anonymous.refresh_from_db()
    assert anonymous.child == child and anonymous.worry == "Oro"
