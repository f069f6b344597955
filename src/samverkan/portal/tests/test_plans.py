"""The family's side of a SIP in the portal (decision 0270): the plan handed to the
family, the answer to the call, what is important to them, the young person's own
words, the PDF — through the family rule and the disclosure pipeline, audited, told to
the coordinator; never for a child with protected identity, never a plan that names an
organisation the guardians must not be told of."""

from __future__ import annotations

import datetime
import io

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from samverkan.notify import selectors as inbox
from samverkan.plans import services as plan_services
from samverkan.plans.tests.factories import PlanFactory, PlanOrganisationFactory

from .conftest import born, portal_client
from .factories import FamilyAccountFactory

AuditEvent = apps.get_model("audit", "AuditEvent")
FamilyStatement = apps.get_model("plans", "FamilyStatement")
MeetingAnswer = apps.get_model("plans", "MeetingAnswer")
Report = apps.get_model("concerns", "Report")

EFFORT = "Läxhjälp tre dagar i veckan"


@pytest.fixture
def sip(family):
    """The school called BUP to a SIP meeting for Ines in a week; established later by
    the tests that need content."""
    plan = PlanFactory(
        child=family.child,
        started_by_organisation=family.school,
        started_by=family.kurator.user,
        meeting_at=timezone.now() + datetime.timedelta(days=7),
        meeting_place="Lärkskolan, rum 12",
    )
    PlanOrganisationFactory(plan=plan, organisation=family.school, is_starter=True)
    PlanOrganisationFactory(plan=plan, organisation=family.bup)
    return plan


def _establish(family, plan, *, needs=("Orka hela skoldagen",)):
    plan_services.plan_save(
        actor=family.staff(family.kurator),
        plan=plan,
        expected_version=plan.version,
        needs=list(needs),
        long_term_goal="Gå ut nian",
        short_term_goals=["Tre hela dagar i veckan"],
        efforts=[
            plan_services.EffortInput(
                title=EFFORT, organisation_id=family.school.pk, responsible="Mentor"
            )
        ],
        responsible_organisation_id=family.school.pk,
        coordinator_user_id=family.kurator.user_id,
        follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    plan.refresh_from_db()
    return plan


def _who(account) -> str:
    """The family member as the audit log names them."""
    return f"familj-{str(account.public_id)[:8]}"


def _url(plan, tail=""):
    return f"/familj/plan/{plan.public_id}/{tail}"


def _staff_titles(family):
    return [r.shown.title for r in inbox.inbox_page(family.staff(family.kurator)).items]


def test_a_guardian_reads_the_current_version_of_the_plan_and_each_read_is_audited(family, sip):
    _establish(family, sip)
    maria = portal_client(family.accounts[0])
    child_page = maria.get(f"/familj/barn/{family.child.public_id}/").content.decode()
    assert f"SIP {sip.short_id}" in child_page
    page = maria.get(_url(sip))
    assert page.status_code == 200
    body = page.content.decode()
    assert EFFORT in body and "Gå ut nian" in body and "Lärkskolan, rum 12" in body
    reads = AuditEvent.objects.filter(
        resource_type="plans.plan",
        resource_id=str(sip.public_id),
        actor_username=_who(family.accounts[0]),
        outcome="allowed",
    )
    assert reads.filter(action="read").count() >= 2  # the child's page and the plan's


def test_answering_the_call_reaches_the_coordinator_and_twice_is_once(family, sip):
    maria = portal_client(family.accounts[0])
    form = {"answer-reply": "accept", "answer-message": "Vi kommer båda två."}
    assert maria.post(_url(sip, "svar/"), form).status_code == 302
    assert maria.post(_url(sip, "svar/"), form).status_code == 302
    answer = MeetingAnswer.objects.get()
    assert (answer.reply, answer.author_kind, answer.meeting_at) == (
        "accept",
        "guardian",
        sip.meeting_at,
    )
    assert any("svarat på kallelsen" in t for t in _staff_titles(family))
    staff = Client()
    staff.force_login(family.kurator.user)
    detail = staff.get(f"/sip/{sip.public_id}/").content.decode()
    assert "Vi kommer båda två." in detail and "Jag kommer" in detail
    assert "Du svarade: Jag kommer" in maria.get(_url(sip)).content.decode()


def test_proposing_another_time_needs_a_time_to_come_and_loses_nothing(family, sip):
    maria = portal_client(family.accounts[0])
    missing = maria.post(
        _url(sip, "svar/"), {"answer-reply": "propose", "answer-message": "Efter tre går bra."}
    )
    assert missing.status_code == 422
    body = missing.content.decode()
    assert "Skriv vilken dag du föreslår." in body and 'role="alert"' in body
    assert "Efter tre går bra." in body  # what was typed is kept
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    past = maria.post(
        _url(sip, "svar/"),
        {
            "answer-reply": "propose",
            "answer-proposed_on": yesterday,
            "answer-proposed_time": "15:00",
        },
    )
    assert past.status_code == 422
    assert "Föreslå en tid som inte har varit." in past.content.decode()
    assert not MeetingAnswer.objects.exists()
    later = timezone.localdate() + datetime.timedelta(days=9)
    ok = maria.post(
        _url(sip, "svar/"),
        {"answer-reply": "propose", "answer-proposed_on": later, "answer-proposed_time": "15:00"},
    )
    assert ok.status_code == 302
    assert timezone.localtime(MeetingAnswer.objects.get().proposed_at).hour == 15


def test_what_is_important_is_stored_bounded_and_shown_to_the_participants(family, sip):
    jonas = portal_client(family.accounts[1])
    too_long = jonas.post(_url(sip, "viktigt/"), {"important-text": "x" * 2001})
    assert too_long.status_code == 422
    assert "högst 2000 tecken" in too_long.content.decode()
    text = "Att Ines får vila efter lunch."
    assert jonas.post(_url(sip, "viktigt/"), {"important-text": text}).status_code == 302
    statement = FamilyStatement.objects.get()
    assert (statement.topic, statement.author_kind, statement.text) == (
        "important",
        "guardian",
        text,
    )
    assert AuditEvent.objects.filter(
        action="create",
        resource_id=str(sip.public_id),
        actor_username=_who(family.accounts[1]),
    ).exists()
    staff = Client()
    staff.force_login(family.kurator.user)
    assert text in staff.get(f"/sip/{sip.public_id}/").content.decode()
    assert any("har skrivit till SIP" in t for t in _staff_titles(family))


def test_only_the_young_person_writes_their_own_words_and_guardians_do_not_read_them(
    family, sip, settings
):
    guardian_page = portal_client(family.accounts[0]).get(_url(sip)).content.decode()
    assert "Dina egna ord och mål" not in guardian_page
    refused = portal_client(family.accounts[0]).post(
        _url(sip, "egna-ord/"), {"own-text": "Jag vill byta klass."}
    )
    assert refused.status_code == 422
    assert "Bara barnet själv" in refused.content.decode()
    assert not FamilyStatement.objects.exists()

    type(family.child).objects.filter(pk=family.child.pk).update(date_of_birth=born(16))
    ines = portal_client(
        FamilyAccountFactory(personal_number=family.child.personal_number, display_name="Ines")
    )
    words = "Jag vill ha lugn i klassrummet och spela fotboll igen."
    assert ines.post(_url(sip, "egna-ord/"), {"own-text": words}).status_code == 302
    assert FamilyStatement.objects.get().author_kind == "child"
    staff = Client()
    staff.force_login(family.kurator.user)
    assert words in staff.get(f"/sip/{sip.public_id}/").content.decode()
    assert words not in portal_client(family.accounts[0]).get(_url(sip)).content.decode()


def test_the_family_downloads_the_plan_as_a_pdf_and_the_print_is_audited(family, sip):
    _establish(family, sip)
    response = portal_client(family.accounts[0]).get(_url(sip, "plan.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert EFFORT in text and family.child.full_name in text
    assert AuditEvent.objects.filter(
        action="print", resource_id=str(sip.public_id), actor_username=_who(family.accounts[0])
    ).exists()


def test_a_closed_plan_is_read_but_takes_no_more_words(family, sip):
    _establish(family, sip)
    plan_services.plan_close(actor=family.staff(family.kurator), plan=sip, reason="Målen nådda")
    maria = portal_client(family.accounts[0])
    assert maria.get(_url(sip)).status_code == 200
    refused = maria.post(_url(sip, "viktigt/"), {"important-text": "Tack för allt."})
    assert refused.status_code == 422
    assert "Planen är avslutad" in refused.content.decode()
    assert not FamilyStatement.objects.exists()


def _do_not_inform(family, organisation):
    Report.objects.create(
        reference="OA-TEST-9",
        source="professional",
        channel="written",
        child=family.child,
        reporter_organisation=family.school,
        reporter_name="Rektor Test",
        receiving_organisation=organisation,
        worry="Oro",
        urgency="normal",
        guardians_informed="no",
        do_not_inform_guardians=True,
        do_not_inform_reason="Risk för barnet.",
        received_at=timezone.now(),
    )


def test_a_plan_with_a_do_not_inform_organisation_as_participant_is_not_there(family, sip):
    _do_not_inform(family, family.bup)
    maria = portal_client(family.accounts[0])
    assert (
        f"SIP {sip.short_id}"
        not in maria.get(f"/familj/barn/{family.child.public_id}/").content.decode()
    )
    for tail in ("", "plan.pdf"):
        assert maria.get(_url(sip, tail)).status_code == 404
    assert maria.post(_url(sip, "svar/"), {"answer-reply": "accept"}).status_code == 404
    assert not MeetingAnswer.objects.exists()


def test_a_plan_naming_a_do_not_inform_organisation_in_its_text_is_not_there(family, sip):
    secret = family.social
    _establish(family, sip, needs=[f"Stöd från {secret.name} hemma"])
    maria = portal_client(family.accounts[0])
    assert maria.get(_url(sip)).status_code == 200  # before the report
    _do_not_inform(family, secret)
    assert maria.get(_url(sip)).status_code == 404
    assert secret.name not in maria.get(f"/familj/barn/{family.child.public_id}/").content.decode()


def test_no_plan_of_a_child_with_protected_identity(family, sip):
    type(family.child).objects.filter(pk=family.child.pk).update(protected_identity=True)
    maria = portal_client(family.accounts[0])
    page = maria.get(f"/familj/barn/{family.child.public_id}/").content.decode()
    assert "Lärkskolan, rum 12" not in page and f"SIP {sip.short_id}" not in page
    assert maria.get(_url(sip)).status_code == 404


def test_a_stranger_finds_no_plan(family, sip):
    stranger = portal_client(FamilyAccountFactory())
    assert stranger.get(_url(sip)).status_code in (302, 404)
    assert stranger.post(_url(sip, "viktigt/"), {"important-text": "x"}).status_code in (302, 404)
    assert not FamilyStatement.objects.exists()
