"""E-mail goes to a real SMTP server on loopback (aiosmtpd), with the settings the
environment gives, and carries no personal data about children."""

from __future__ import annotations

from django.core import mail as django_mail

from samverkan.notify import mail

from .conftest import _free_port


def test_a_notification_reaches_the_smtp_server(smtp):
    sent = mail.notification_send_now(
        recipients=["karin@kommun.example", "sofia@kommun.example", ""], path="/anmalan/mina/"
    )
    assert sent == 2
    assert sorted(to for _, (to,), _ in smtp.messages) == [
        "karin@kommun.example",
        "sofia@kommun.example",
    ]
    sender, _, message = smtp.messages[0]
    assert sender == "noreply@kommun.example"
    assert message["Subject"] == "Du har en ny händelse i Samverkan"
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_content()
    assert "https://samverkan.kommun.example/anmalan/mina/" in body
    # Each recipient gets their own message: nobody sees who else was told.
    assert all(len(message.get_all("To")) == 1 for _, _, message in smtp.messages)


def test_only_a_path_inside_the_product_is_linked(smtp):
    mail.notification_send_now(recipients=["a@kommun.example"], path="/barn/?q=20120315-1234")
    body = smtp.messages[0][2].get_content()
    assert "20120315" not in body
    assert "https://samverkan.kommun.example/\r\n" in body


def test_a_server_that_is_down_is_logged_not_raised(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    assert mail.notification_send_now(recipients=["a@kommun.example"]) == 0


def test_nothing_is_sent_for_a_change_that_rolled_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail.notification_send(recipients=["a@kommun.example"], path="/")
    assert len(callbacks) == 1  # waits for the commit
    assert django_mail.outbox == []


def test_report_of_concern_mail_carries_no_personal_data(
    smtp, world, django_capture_on_commit_callbacks
):
    """The existing e-mail (reports of concern) takes the same path: the receipt and
    the notice to the contact social worker name neither the child nor the report."""
    from samverkan.concerns.tests.conftest import make_report

    child = world.children["noah"]
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(world)
    assert len(smtp.messages) >= 2
    for _, _, message in smtp.messages:
        text = message["Subject"] + message.get_content()
        for secret in (child.first_name, child.last_name, child.personal_number, report.reference):
            assert secret not in text
