"""SMS about urgent items (notify/sms.py, decision 0250), through a real HTTP gateway
on loopback: a small server on 127.0.0.1 that takes the gateway's form POSTs (and can be
told to fail). Who gets an SMS and who must not, the fixed text without personal data,
the opt-in number and its validation, an audit row per attempt, retries with back-off,
the rate limits, and the file adapter the demo uses."""

from __future__ import annotations

import base64
import datetime
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.concerns.tests.factories import report_world
from samverkan.concerns.tests.test_unregistered_child import REPORT, _number
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.notify import services, sms
from samverkan.notify.models import MailPreference, SmsMessage

pytestmark = pytest.mark.django_db


class Gateway:
    """What the loopback gateway received, and how many requests it should fail."""

    def __init__(self):
        self.received: list[dict] = []
        self.auth: list[str] = []
        self.fail_next = 0


@pytest.fixture
def gateway(settings):
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            if state.fail_next:
                state.fail_next -= 1
                self.send_response(503)
                self.end_headers()
                return
            state.received.append(dict(urllib.parse.parse_qsl(body)))
            state.auth.append(self.headers.get("Authorization", ""))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status": "created"}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SAMVERKAN_BASE_URL = "https://samverkan.kommun.example"
    settings.SAMVERKAN_SMS = {
        **settings.SAMVERKAN_SMS,
        "GATEWAY": "http",
        "URL": f"http://127.0.0.1:{server.server_port}/a1/sms",
        "USER": "konto",
        "PASSWORD": "hemligt",
        "SENDER": "Samverkan",
        "PER_RUN": 60,
        "MIN_INTERVAL_MINUTES": 15,
        "RETRY_MINUTES": 2,
        "MAX_ATTEMPTS": 3,
    }
    yield state
    server.shutdown()
    server.server_close()


def _opt_in(membership, number: str) -> None:
    services.sms_number_set(actor=actor_of(membership), number=number)


@pytest.fixture
def intake(gateway):
    """Social services' intake (two people, one opted in), a handler who opted in, and a
    teacher at a school who opted in and reports a child."""
    world = report_world()
    world.colleague = MembershipFactory(code="mottagningssekreterare", organisation=world.social)
    world.handler = MembershipFactory(code="socialsekreterare", organisation=world.social)
    _opt_in(world.intake, "070-123 45 67")
    _opt_in(world.handler, "070-765 43 21")
    _opt_in(world.teacher, "073-111 22 33")
    return world


def _report(world, django_capture_on_commit_callbacks):
    number = _number()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.teacher).post(
            reverse("concerns:new"),
            {
                **REPORT,
                "personal_number": f"{number[:8]}-{number[8:]}",
                "child_first_name": "Nora",
                "child_last_name": "Exempelsdotter",
            },
        )
    assert response.status_code == 302
    return number


def test_a_protection_assessment_reaches_the_intake_by_sms_without_personal_data(
    intake, gateway, django_capture_on_commit_callbacks
):
    number = _report(intake, django_capture_on_commit_callbacks)
    assert sms.outbox_send() == {"sms_sent": 1, "sms_failed": 0}
    # The intake who opted in; not the colleague without a number, not the handler
    # (not the intake), not the reporter.
    assert [m["to"] for m in gateway.received] == ["+46701234567"]
    message = gateway.received[0]
    assert message["from"] == "Samverkan"
    assert message["message"] == (
        "Du har ett nytt brådskande ärende i Samverkan. Logga in och läs: "
        "https://samverkan.kommun.example/inkorg/"
    )
    for secret in ("Nora", "Exempelsdotter", number, number[:8], "vågar"):
        assert secret not in message["message"]
    assert gateway.auth == ["Basic " + base64.b64encode(b"konto:hemligt").decode()]
    # One audit row per send, naming the person and the outcome, not the number.
    row = AuditEvent.objects.filter(resource_type="notify.sms").get()
    assert row.details["result"] == "sent" and row.details["user_id"] == intake.intake.user_id
    assert "+4670" not in json.dumps(row.details)
    assert sms.outbox_send() == {"sms_sent": 0, "sms_failed": 0}  # sent once


def test_an_escalation_reaches_the_manager_by_sms(
    intake, gateway, django_capture_on_commit_callbacks
):
    from samverkan.notify import clocks

    manager = MembershipFactory(code="enhetschef", organisation=intake.social)
    _opt_in(manager, "+46 70 222 33 44")
    _report(intake, django_capture_on_commit_callbacks)
    sms.outbox_send()
    gateway.received.clear()
    # The first SMS was sent days ago (the time is advanced for the clocks).
    SmsMessage.objects.update(created_at=timezone.now() - datetime.timedelta(days=4))
    later = timezone.now() + datetime.timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        clocks.clocks_run(now=later)
    assert sms.outbox_send(now=later)["sms_sent"] == 2
    # The manager (escalated to), and the intake reminded of the overdue assessment;
    # nobody else.
    assert sorted(m["to"] for m in gateway.received) == ["+46701234567", "+46702223344"]


def test_failures_are_retried_with_back_off_and_given_up(
    intake, gateway, django_capture_on_commit_callbacks
):
    gateway.fail_next = 2
    _report(intake, django_capture_on_commit_callbacks)
    now = timezone.now()
    assert sms.outbox_send(now=now) == {"sms_sent": 0, "sms_failed": 1}
    message = SmsMessage.objects.get()
    assert message.attempts == 1 and message.last_error == "http_503"
    assert message.next_attempt_at == now + datetime.timedelta(minutes=2)
    assert sms.outbox_send(now=now + datetime.timedelta(minutes=1))["sms_failed"] == 0  # waits
    assert sms.outbox_send(now=now + datetime.timedelta(minutes=3))["sms_failed"] == 1
    message.refresh_from_db()
    assert message.next_attempt_at == now + datetime.timedelta(minutes=3 + 4)  # doubled
    assert sms.outbox_send(now=now + datetime.timedelta(minutes=8))["sms_sent"] == 1
    results = list(
        AuditEvent.objects.filter(resource_type="notify.sms")
        .order_by("pk")
        .values_list("details__result", flat=True)
    )
    assert results == ["failed", "failed", "sent"]

    # A gateway that stays down: given up after MAX_ATTEMPTS, and audited so.
    gateway.fail_next = 99
    SmsMessage.objects.create(user=intake.handler.user, kind="x", next_attempt_at=now)
    for minutes in (0, 10, 30, 60):
        sms.outbox_send(now=now + datetime.timedelta(minutes=minutes))
    given_up = SmsMessage.objects.get(kind="x")
    assert given_up.attempts == 3 and given_up.failed_at and given_up.sent_at is None
    assert (
        AuditEvent.objects.filter(resource_type="notify.sms", details__result="given_up").count()
        == 1
    )


def test_rate_limits_per_run_and_per_person(intake, gateway, settings):
    settings.SAMVERKAN_SMS = {**settings.SAMVERKAN_SMS, "PER_RUN": 1}
    assert sms.queue({intake.intake.user_id: "a", intake.handler.user_id: "a"}) == 2
    # Within MIN_INTERVAL_MINUTES a person gets no second message queued.
    assert sms.queue({intake.intake.user_id: "b"}) == 0
    assert sms.outbox_send()["sms_sent"] == 1
    assert sms.outbox_send()["sms_sent"] == 1
    assert len(gateway.received) == 2


def test_opting_out_stops_what_is_queued(intake, gateway):
    sms.queue({intake.intake.user_id: "concerns.protection"})
    services.sms_number_set(actor=actor_of(intake.intake), number="")
    assert sms.outbox_send() == {"sms_sent": 0, "sms_failed": 1}
    assert gateway.received == []
    assert SmsMessage.objects.get().last_error == "no_number"


def test_nothing_is_queued_while_sms_is_off(intake, settings):
    settings.SAMVERKAN_SMS = {**settings.SAMVERKAN_SMS, "GATEWAY": ""}
    assert sms.queue({intake.intake.user_id: "concerns.protection"}) == 0
    assert sms.outbox_send() == {"sms_sent": 0, "sms_failed": 0}


def test_the_number_is_chosen_on_the_inbox_page_and_checked(intake):
    client = intake.client(intake.colleague)
    page = client.get(reverse("notify:inbox"))
    assert "Sms om brådskande händelser" in page.text
    response = client.post(reverse("notify:sms"), {"sms_number": "12345"})
    assert response.status_code == 400
    assert "Skriv ett mobilnummer, till exempel 070-123 45 67." in response.text
    assert 'value="12345"' in response.text  # what was typed stays
    assert not MailPreference.objects.filter(user=intake.colleague.user).exclude(sms_number="")
    # A landline is not a mobile number.
    assert client.post(reverse("notify:sms"), {"sms_number": "08-123 456 78"}).status_code == 400
    # A megabyte: a clear error, the page answers, the echo is bounded.
    huge = client.post(reverse("notify:sms"), {"sms_number": "0" * 1_000_000})
    assert huge.status_code == 400 and len(huge.content) < 100_000
    response = client.post(reverse("notify:sms"), {"sms_number": "0701 23 45 99"})
    assert response.status_code == 302
    preference = MailPreference.objects.get(user=intake.colleague.user)
    assert preference.sms_number == "+46701234599"
    row = AuditEvent.objects.filter(
        resource_type="notify.mailpreference", actor_user_id=intake.colleague.user_id
    ).latest("pk")
    assert row.details == {"sms": True}
    client.post(reverse("notify:sms"), {"sms_number": ""})
    preference.refresh_from_db()
    assert preference.sms_number == ""


def test_the_page_has_no_sms_choice_while_sms_is_off(intake, settings):
    settings.SAMVERKAN_SMS = {**settings.SAMVERKAN_SMS, "GATEWAY": ""}
    page = intake.client(intake.colleague).get(reverse("notify:inbox"))
    assert "Sms om brådskande händelser" not in page.text


def test_the_demo_writes_messages_to_a_file(intake, settings, tmp_path):
    path = tmp_path / "sms.log"
    settings.SAMVERKAN_SMS = {**settings.SAMVERKAN_SMS, "GATEWAY": "file", "FILE": str(path)}
    sms.queue({intake.intake.user_id: "concerns.protection"})
    assert sms.outbox_send()["sms_sent"] == 1
    line = json.loads(path.read_text(encoding="utf-8"))
    assert line["to"] == "+46701234567" and line["text"].startswith("Du har ett nytt")
