"""Telling the family that something waits in the portal (decision 0339): the opt-in
page, a prepared consent e-mailed through a real SMTP server on loopback (aiosmtpd)
with the fixed text and no personal data, an SMS through the file adapter, a follow-up
due; never for a do-not-inform case, never to a guardian of a child with protected
identity; the throttle; removal stopping what is queued; bad input refused with 422."""

from __future__ import annotations

import datetime
import json

import pytest
from django.apps import apps
from django.utils import timezone

from samverkan.consent import services as consent_services
from samverkan.directory.tests.factories import actor_of
from samverkan.notify import sms
from samverkan.notify.tests.conftest import smtp  # noqa: F401  (the loopback SMTP server)
from samverkan.plans import services as plan_services
from samverkan.plans.tests.factories import PlanFactory, PlanOrganisationFactory

from .conftest import portal_client

AuditEvent = apps.get_model("audit", "AuditEvent")
Outbox = apps.get_model("notify", "SmsMessage")
FamilyContact = apps.get_model("portal", "FamilyContact")
Report = apps.get_model("concerns", "Report")

URL = "/familj/meddelanden/"
TEXT = (
    "Det finns något nytt för dig i Samverkans e-tjänst för familjer. "
    "Logga in med e-legitimation: https://samverkan.kommun.example/familj/"
)


@pytest.fixture
def sms_file(settings, tmp_path):
    path = tmp_path / "sms.jsonl"
    settings.SAMVERKAN_SMS = {**settings.SAMVERKAN_SMS, "GATEWAY": "file", "FILE": str(path)}
    return path


def _opt_in(account, email="", number=""):
    response = portal_client(account).post(
        URL, {"contact-email": email, "contact-sms_number": number}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _prepare(family, parties=None):
    """The school's kurator prepares a consent for the family's signature."""
    return consent_services.consent_give(
        actor=actor_of(family.kurator),
        child=family.child,
        party_ids=parties or [family.bup.pk],
        category_codes=["skolsituation"],
        purpose_codes=["samverkanstraff"],
        form="digital",
        context="voluntary",
    )


def test_a_guardian_opts_in_changes_and_removes_and_each_change_is_audited(family, sms_file):
    account = family.accounts[0]
    client = portal_client(account)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Du får inga meddelanden nu." in page.text
    assert "Det står inget om barnet" in page.text
    _opt_in(account, "maria@exempel.se", "070-123 45 67")
    contact = FamilyContact.objects.get(account=account)
    assert (contact.email, contact.sms_number) == ("maria@exempel.se", "+46701234567")
    assert 'value="maria@exempel.se"' in client.get(URL).text
    _opt_in(account, "", "070-123 45 67")
    contact.refresh_from_db()
    assert contact.email == ""
    _opt_in(account)
    assert not FamilyContact.objects.filter(account=account).exists()
    rows = AuditEvent.objects.filter(resource_type="portal.familycontact").order_by("pk")
    assert [r.details for r in rows] == [
        {"email": True, "sms": True},
        {"email": False, "sms": True},
        {"email": False, "sms": False},
    ]
    assert "maria@" not in json.dumps([r.details for r in rows])
    assert "+4670" not in json.dumps([r.details for r in rows])


def test_bad_input_is_refused_with_422_shown_again_and_nothing_saved(family, sms_file):
    client = portal_client(family.accounts[0])
    response = client.post(URL, {"contact-email": "inte en adress", "contact-sms_number": ""})
    assert response.status_code == 422
    assert "Skriv en e-postadress, till exempel namn@exempel.se." in response.text
    assert 'value="inte en adress"' in response.text
    response = client.post(
        URL, {"contact-email": "maria@exempel.se", "contact-sms_number": "08-123 456 78"}
    )
    assert response.status_code == 422  # a landline is not a mobile number
    assert "Skriv ett mobilnummer, till exempel 070-123 45 67." in response.text
    assert 'value="maria@exempel.se"' in response.text  # what was typed stays
    huge = client.post(URL, {"contact-email": "a" * 100_000 + "@exempel.se"})
    assert huge.status_code == 422 and len(huge.content) < 100_000
    assert not FamilyContact.objects.exists()


def test_a_prepared_consent_sends_one_email_with_the_fixed_text_and_no_personal_data(
    family,
    smtp,  # noqa: F811
):
    _opt_in(family.accounts[0], "maria@exempel.se")  # the other guardian did not opt in
    _prepare(family)
    assert sms.outbox_send() == {"sms_sent": 0, "sms_failed": 0, "mail_sent": 1}
    assert len(smtp.messages) == 1
    _sender, to, message = smtp.messages[0]
    assert to == ["maria@exempel.se"]
    subject = str(message["Subject"])
    body = message.get_content()
    assert subject == "Nytt i Samverkans e-tjänst för familjer"
    assert TEXT in body
    child = family.child
    for secret in (
        child.first_name,
        child.last_name,
        child.personal_number,
        family.school.name,
        family.bup.name,
        "samtycke",
        "Samtycke",
        "BUP",
        "skola",
    ):
        assert secret not in subject and secret not in body, secret
    row = AuditEvent.objects.get(resource_type="notify.email")
    assert row.details["result"] == "sent"
    assert row.details["family_account_id"] == family.accounts[0].pk
    assert "maria@" not in json.dumps(row.details)
    assert sms.outbox_send() == {"sms_sent": 0, "sms_failed": 0}  # sent once


def test_an_sms_goes_through_the_gateway_adapter_with_the_same_text(
    family,
    sms_file,
    smtp,  # noqa: F811
):
    _opt_in(family.accounts[1], "jonas@exempel.se", "0701 23 45 99")
    _prepare(family)
    counts = sms.outbox_send()
    assert counts["sms_sent"] == 1 and counts["mail_sent"] == 1
    line = json.loads(sms_file.read_text(encoding="utf-8"))
    assert line == {"at": line["at"], "to": "+46701234599", "text": TEXT}
    assert [to for _s, to, _m in smtp.messages] == [["jonas@exempel.se"]]


def test_nothing_for_a_consent_naming_a_do_not_inform_organisation(
    family,
    smtp,  # noqa: F811
):
    _opt_in(family.accounts[0], "maria@exempel.se")
    Report.objects.create(
        reference="OA-TEST-7",
        source="professional",
        channel="written",
        child=family.child,
        reporter_organisation=family.school,
        reporter_name="Rektor Test",
        receiving_organisation=family.social,
        worry="Oro",
        urgency="normal",
        guardians_informed="no",
        do_not_inform_guardians=True,
        do_not_inform_reason="Risk för barnet.",
        received_at=timezone.now(),
    )
    _prepare(family, parties=[family.social.pk])
    assert not Outbox.objects.exists()
    # A consent that names no such organisation is told as usual.
    _prepare(family, parties=[family.bup.pk])
    assert Outbox.objects.count() == 1


def test_never_to_a_guardian_of_a_child_with_protected_identity(
    family,
    smtp,  # noqa: F811
):
    _opt_in(family.accounts[0], "maria@exempel.se")
    type(family.child).objects.filter(pk=family.child.pk).update(protected_identity=True)
    family.child.refresh_from_db()
    _prepare(family)
    assert not Outbox.objects.exists()
    assert sms.outbox_send() == {"sms_sent": 0, "sms_failed": 0}
    assert smtp.messages == []


def test_at_most_one_notice_per_person_per_quarter_of_an_hour(
    family,
    smtp,  # noqa: F811
):
    _opt_in(family.accounts[0], "maria@exempel.se")
    _prepare(family)
    _prepare(family)
    assert Outbox.objects.count() == 1
    Outbox.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    _prepare(family)
    assert Outbox.objects.count() == 2
    assert sms.outbox_send()["mail_sent"] == 2


def test_removing_the_address_stops_what_is_queued_and_what_comes(
    family,
    smtp,  # noqa: F811
):
    _opt_in(family.accounts[0], "maria@exempel.se")
    _prepare(family)
    _opt_in(family.accounts[0])
    assert sms.outbox_send() == {"sms_sent": 0, "sms_failed": 0, "mail_failed": 1}
    assert smtp.messages == []
    assert Outbox.objects.get().last_error == "no_address"
    Outbox.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    _prepare(family)
    assert Outbox.objects.count() == 1


def test_a_follow_up_due_tells_the_family_of_the_plan(
    family,
    smtp,  # noqa: F811
):
    _opt_in(family.accounts[0], "maria@exempel.se")
    plan = PlanFactory(
        child=family.child,
        started_by_organisation=family.school,
        started_by=family.kurator.user,
        status="active",
        coordinator=family.kurator.user,
        coordinator_organisation=family.school,
        follow_up_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    PlanOrganisationFactory(plan=plan, organisation=family.school, is_starter=True)
    PlanOrganisationFactory(plan=plan, organisation=family.bup)
    assert plan_services.plans_sweep()["reminders"] >= 1
    assert list(Outbox.objects.values_list("family_account_id", "kind")) == [
        (family.accounts[0].pk, "family.follow_up_due")
    ]


# The call to a SIP meeting (plans.services.plan_start) ---------------------------------


def _consent_for_sip(family, parties):
    """Both guardians signed on paper at the school: "insatser" may pass for a SIP."""
    givers = [
        consent_services.GiverInput(kind="guardian", guardian_id=str(g.public_id))
        for g in family.guardians
    ]
    return consent_services.consent_give(
        actor=actor_of(family.kurator),
        child=family.child,
        party_ids=[p.pk for p in parties],
        category_codes=["insatser"],
        purpose_codes=["sip"],
        form="written",
        context="voluntary",
        givers=givers,
    )


def _call(family, called):
    return plan_services.plan_start(
        actor=actor_of(family.kurator),
        child=family.child,
        called_organisation_ids=[o.pk for o in called],
        purpose="Samordna stödet till Ines.",
        question="Hur orkar Ines hela skoldagen?",
        meeting_at=timezone.now() + datetime.timedelta(days=7),
        meeting_place="Lärkskolan, rum 12",
    )


def _do_not_inform(family, receiving):
    Report.objects.create(
        reference="OA-TEST-8",
        source="professional",
        channel="written",
        child=family.child,
        reporter_organisation=family.school,
        reporter_name="Rektor Test",
        receiving_organisation=receiving,
        worry="Oro",
        urgency="normal",
        guardians_informed="no",
        do_not_inform_guardians=True,
        do_not_inform_reason="Risk för barnet.",
        received_at=timezone.now(),
    )


def test_a_sip_call_tells_each_guardian_who_asked_by_their_channel(
    family,
    sms_file,
    smtp,  # noqa: F811
):
    _opt_in(family.accounts[0], "maria@exempel.se")
    _opt_in(family.accounts[1], "", "0701 23 45 98")
    _consent_for_sip(family, [family.bup])
    assert not Outbox.objects.exists()  # a consent signed on paper waits for no one

    _call(family, [family.bup])

    queued = sorted(Outbox.objects.values_list("family_account_id", "kind", "channel"))
    assert queued == sorted(
        [
            (family.accounts[0].pk, "family.plan_call", "email"),
            (family.accounts[1].pk, "family.plan_call", "sms"),
        ]
    )
    assert sms.outbox_send() == {"sms_sent": 1, "sms_failed": 0, "mail_sent": 1}
    _sender, to, message = smtp.messages[0]
    assert to == ["maria@exempel.se"]
    body = message.get_content()
    assert TEXT in body
    for secret in (family.child.first_name, family.bup.name, "SIP", "Lärkskolan", "rum 12"):
        assert secret not in body and secret not in str(message["Subject"]), secret
    line = json.loads(sms_file.read_text(encoding="utf-8"))
    assert (line["to"], line["text"]) == ("+46701234598", TEXT)


def test_no_sip_call_notice_for_a_plan_naming_a_do_not_inform_organisation(
    family,
    smtp,  # noqa: F811
):
    _opt_in(family.accounts[0], "maria@exempel.se")
    _consent_for_sip(family, [family.bup, family.social])
    _do_not_inform(family, family.social)

    _call(family, [family.social])
    assert not Outbox.objects.exists()

    # A call that names no such organisation is told as usual.
    _call(family, [family.bup])
    assert list(Outbox.objects.values_list("family_account_id", "kind")) == [
        (family.accounts[0].pk, "family.plan_call")
    ]


def test_no_sip_call_notice_to_a_guardian_of_a_child_with_protected_identity(
    family,
    smtp,  # noqa: F811
):
    _opt_in(family.accounts[0], "maria@exempel.se")
    _opt_in(family.accounts[1], "jonas@exempel.se")
    _consent_for_sip(family, [family.bup])
    type(family.child).objects.filter(pk=family.child.pk).update(protected_identity=True)
    family.child.refresh_from_db()

    _call(family, [family.bup])

    assert not Outbox.objects.exists()
    assert sms.outbox_send() == {"sms_sent": 0, "sms_failed": 0}
    assert smtp.messages == []
