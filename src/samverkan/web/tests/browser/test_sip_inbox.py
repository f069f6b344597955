"""Nothing between organisations is silent (issue 15): karin (kurator, Elevhälsan) calls
social services and BUP to a SIP for Melwin; sofia (the contact social worker for
Elevhälsan) and lena (BUP) find the call in their inbox and get an e-mail without the
child's name, captured by a real SMTP server on loopback; lena acknowledges from her
inbox. Social services does not: with time advanced past the configured days, the
worker (`samverkan worker`, started by `samverkan demo`) sends a reminder and then
escalates the call to social services' manager function (erik, enhetschef)."""

from __future__ import annotations

import email
import email.policy
import re
import subprocess
import time

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from .server import DemoServer, _samverkan, free_port

pytestmark = pytest.mark.browser

WAIT = 90  # seconds: the worker's scheduler looks every 15 s


class Mailbox:
    def __init__(self):
        self.messages: list[tuple[str, email.message.Message]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        for to in envelope.rcpt_tos:
            self.messages.append((to, message))
        return "250 OK"

    def to(self, address: str, subject: str | None = None) -> list[email.message.Message]:
        return [
            m
            for t, m in self.messages
            if t == address and (subject is None or m["Subject"] == subject)
        ]


@pytest.fixture(scope="module")
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture(scope="module")
def app(demo_template, mailbox):
    """The demo server with its worker, sending e-mail to the loopback SMTP server."""
    server = DemoServer(
        demo_template,
        "sip_inbox",
        worker=True,
        env={
            "SAMVERKAN_SMTP_HOST": "127.0.0.1",
            "SAMVERKAN_SMTP_PORT": str(mailbox.port),
            "SAMVERKAN_MAIL_FROM": "Samverkan <noreply@exempelkommun.example>",
            "SAMVERKAN_SIP_ACK_DAYS": "3",
            "SAMVERKAN_ESCALATE_AFTER_DAYS": "2",
        },
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _advance(app, plan_id: str, *, days_past_due: float) -> None:
    """Advance time for the call's clock: its due time moves that far into the past,
    and the worker's clock schedule becomes due now."""
    code = (
        "import datetime\n"
        "from django.apps import apps\n"
        "from django.utils import timezone\n"
        "from django_q.models import Schedule\n"
        "Item = apps.get_model('notify', 'InboxItem')\n"
        f"Item.objects.filter(kind='plans.call', ref_id='{plan_id}', escalation_of=None)"
        f".update(due_at=timezone.now() - datetime.timedelta(days={days_past_due}))\n"
        "Schedule.objects.filter(func='samverkan.web.tasks.inbox_clocks')"
        ".update(next_run=timezone.now())\n"
    )
    subprocess.run(  # noqa: S603 - our own command line
        _samverkan("shell", "-c", code), env=app.env, check=True, capture_output=True, timeout=120
    )


def _wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(1)
    raise AssertionError(f"waited {WAIT} s for {what}")


def test_a_sip_call_reaches_the_inboxes_reminds_and_escalates(page_as, mailbox, app):
    sofia_mail, lena_mail = "sofia@exempelkommun.example", "lena@exempelkommun.example"
    karin = page_as("karin")
    karin.goto("/barn/")
    karin.get_by_label("Sök på personnummer eller namn").fill("Melwin")
    karin.get_by_role("button", name="Sök").click()
    karin.get_by_role("link", name=re.compile("Melwin")).first.click()
    karin.get_by_role("link", name="Starta en SIP").click()
    called = karin.get_by_role("group", name=re.compile("Vilka verksamheter kallas"))
    called.get_by_label("BUP").check()
    called.get_by_label("Socialtjänsten barn och familj").check()
    karin.get_by_label("Syfte med mötet").fill("Samordna stödet i skolan och hemma")
    karin.get_by_label("Frågan som mötet ska besvara").fill("Vad behöver Melwin för att orka?")
    karin.get_by_role("button", name="Starta och kalla").click()
    karin.wait_for_url(re.compile(r"/sip/[0-9a-f-]{36}/$"))
    plan_id = re.search(r"/sip/([0-9a-f-]{36})/", karin.url).group(1)

    title = re.compile(r"Kallelse till SIP för Melwin .* från Elevhälsan Frejaskolan")
    for username in ("sofia", "lena"):
        page = page_as(username)
        page.get_by_role("link", name=re.compile("^Inkorg")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Inkorg")
        expect(page.get_by_role("link", name=title).first).to_be_visible()
        if username == "lena":
            lena = page
    # Both were told by e-mail: the kind and a link, not the child.
    for address in (sofia_mail, lena_mail):
        messages = _wait_for(lambda a=address: mailbox.to(a), f"e-mail to {address}")
        text = messages[-1].get_content()
        assert "Kallelse till SIP att bekräfta" in text and "/inkorg/" in text
        assert "Melwin" not in text and "Melwin" not in messages[-1]["Subject"]

    # lena acknowledges from her inbox; the call leaves it.
    item = lena.get_by_role("listitem").filter(has=lena.get_by_role("link", name=title)).first
    item.get_by_role("button", name="Bekräfta kallelsen").click()
    expect(lena.get_by_role("link", name=title)).to_have_count(0)

    # Social services has not acknowledged: past the three days the worker reminds sofia.
    before = len(mailbox.to(sofia_mail))
    _advance(app, plan_id, days_past_due=0.1)
    _wait_for(lambda: len(mailbox.to(sofia_mail)) > before, "the reminder to sofia")
    assert len(mailbox.to(lena_mail)) == 1  # BUP acknowledged: no reminder
    sofia = page_as("sofia")
    sofia.goto("/inkorg/")
    expect(
        sofia.get_by_role("listitem").filter(has=sofia.get_by_role("link", name=title)).first
    ).to_contain_text("Försenad")

    # Two more days: the call escalates, once, to social services' manager function.
    _advance(app, plan_id, days_past_due=2.1)
    erik = page_as("erik")

    def escalated():
        erik.goto("/inkorg/")
        return erik.get_by_role("link", name=title).count() > 0

    _wait_for(escalated, "the escalation to erik")
    expect(
        erik.get_by_role("listitem").filter(has=erik.get_by_role("link", name=title)).first
    ).to_contain_text("Eskalerad till dig som chef")
    escalation_mail = _wait_for(lambda: mailbox.to("erik@exempelkommun.example"), "e-mail to erik")
    assert "Melwin" not in escalation_mail[-1].get_content()
