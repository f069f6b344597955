"""E-mail notifications: the one path every e-mail of the product takes.

A notification never carries personal data about a child: its subject and text are
fixed ("Du har en ny händelse i Samverkan") and it holds only a link into the product,
where the pages (and their access checks and audit rows) show the rest. Each recipient
gets a message of their own, so nobody sees who else was told. Sent over SMTP with the
settings from the environment (SAMVERKAN_SMTP_*, docs/operations.md), after the
transaction that caused it has committed; a failure is logged, never raised: the record
in the product is what counts, the e-mail is a courtesy."""

from __future__ import annotations

import structlog
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string

log = structlog.get_logger(__name__)

SUBJECT = "Du har en ny händelse i Samverkan"


def _link(path: str) -> str:
    if not path.startswith("/") or "?" in path:
        # Only a path inside the product, never a query string (which could carry text).
        path = "/"
    return f"{settings.SAMVERKAN_BASE_URL}{path}"


def notification_send_now(
    *, recipients: list[str], path: str = "/", kind_label: str = "", count: int = 1
) -> int:
    """Send the notification to each address now. Returns how many were sent.
    ``kind_label`` names the kind of event (a fixed label such as "Kallelse till SIP",
    never text from a record); ``count`` > 1 makes it a digest of that many events."""
    addresses = sorted({r.strip() for r in recipients if r and r.strip()})
    if not addresses:
        return 0
    body = render_to_string(
        "notify/notification.txt",
        {
            "link": _link(path),
            "municipality": settings.SAMVERKAN["MUNICIPALITY_NAME"],
            "kind_label": kind_label,
            "count": count,
        },
    )
    sent = 0
    try:
        with get_connection() as connection:
            for address in addresses:
                message = EmailMessage(
                    subject=SUBJECT,
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[address],
                    connection=connection,
                    headers={"Auto-Submitted": "auto-generated"},
                )
                sent += message.send()
    except Exception as exc:  # the product's own record stands; the e-mail is a courtesy
        log.warning("mail_failed", error=type(exc).__name__, sent=sent, of=len(addresses))
        return sent
    log.info("mail_sent", count=sent)
    return sent


def notification_send(*, recipients: list[str], path: str = "/", kind_label: str = "") -> None:
    """Send the notification once the current transaction commits (nothing is sent
    for a change that rolled back)."""
    recipients = [r for r in recipients if r]
    if recipients:
        transaction.on_commit(
            lambda: notification_send_now(recipients=recipients, path=path, kind_label=kind_label)
        )


INVITATION_SUBJECT = "Kallelse till möte i Samverkan"
CANCEL_SUBJECT = "Inställt möte i Samverkan"


def invitation_send_now(*, recipients: list[str], ics_for, path: str, cancel: bool = False) -> int:
    """Send each address its own calendar invitation (``ics_for(address)`` gives the
    iCalendar bytes, METHOD:REQUEST or CANCEL) with the fixed text and a link. The
    invitation names the meeting and the organisations, never the child."""
    addresses = sorted({r.strip() for r in recipients if r and r.strip()})
    method = "CANCEL" if cancel else "REQUEST"
    body = render_to_string(
        "notify/invitation.txt",
        {
            "link": _link(path),
            "municipality": settings.SAMVERKAN["MUNICIPALITY_NAME"],
            "cancel": cancel,
        },
    )
    sent = 0
    try:
        with get_connection() as connection:
            for address in addresses:
                message = EmailMessage(
                    subject=CANCEL_SUBJECT if cancel else INVITATION_SUBJECT,
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[address],
                    connection=connection,
                    headers={"Auto-Submitted": "auto-generated"},
                )
                message.attach(
                    "kallelse.ics",
                    ics_for(address),
                    f"text/calendar; method={method}; charset=utf-8",
                )
                sent += message.send()
    except Exception as exc:  # the product's own record stands; the e-mail is a courtesy
        log.warning("mail_failed", error=type(exc).__name__, sent=sent, of=len(addresses))
        return sent
    log.info("invitation_sent", count=sent, method=method)
    return sent


def invitation_send(*, recipients: list[str], ics_for, path: str, cancel: bool = False) -> None:
    """``invitation_send_now`` once the current transaction commits."""
    recipients = [r for r in recipients if r]
    if recipients:
        transaction.on_commit(
            lambda: invitation_send_now(
                recipients=recipients, ics_for=ics_for, path=path, cancel=cancel
            )
        )


def family_notice_send(*, address: str, subject: str, body: str) -> None:
    """One notice to a family member (decision 0339), sent by the outbox worker, which
    retries on failure: unlike the courtesy e-mail above, a failure is raised."""
    with get_connection() as connection:
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=connection,
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
