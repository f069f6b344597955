"""A real SMTP server on loopback for the notify tests (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages: list[tuple[str, list[str], email.message.Message]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it as the
    SAMVERKAN_SMTP_* variables would."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.DEFAULT_FROM_EMAIL = "Samverkan <noreply@kommun.example>"
    settings.SAMVERKAN_BASE_URL = "https://samverkan.kommun.example"
    yield inbox
    controller.stop()


@pytest.fixture
def sent(db):
    """A school's teacher has reported Nora (a child the school had not registered) to
    social services, which has an intake, a handler-to-be and a colleague."""
    from django.urls import reverse

    from samverkan.concerns.models import Report
    from samverkan.concerns.tests.factories import report_world
    from samverkan.concerns.tests.test_unregistered_child import REPORT, _number
    from samverkan.directory.tests.factories import MembershipFactory

    world = report_world()
    world.handler = MembershipFactory(code="socialsekreterare", organisation=world.social)
    world.colleague = MembershipFactory(code="socialsekreterare", organisation=world.social)
    number = _number()
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
    world.report = Report.objects.select_related("handling").get(reporter_user=world.teacher.user)
    return world
