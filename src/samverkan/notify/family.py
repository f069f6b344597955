"""Telling the family that something waits for them in the family portal (decision
0339): an e-mail or SMS with a fixed text and a link to the portal, nothing more.

The portal sits above every feature app, so the features cannot call it. They say what
happened here instead (``item_ready``: a consent prepared for the family's signature,
a SIP call, a follow-up due), in the transaction of the change; the portal registers
from its AppConfig the handler that decides who in the family would see the item in
the portal and has asked to be told (``register``), and the function that gives their
addresses when the worker sends (``register_addresses``). The messages go through the
same outbox as staff SMS (``SmsMessage``, notify.sms): the same rate limits, retries
and one audit row per attempt."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Channel, SmsMessage

# The fixed text: no child, no organisation, no kind of matter (decision 0339).
TEXT = (
    "Det finns något nytt för dig i Samverkans e-tjänst för familjer. "
    "Logga in med e-legitimation: {link}"
)
SUBJECT = "Nytt i Samverkans e-tjänst för familjer"

CONSENT_PREPARED = "family.consent_prepared"
PLAN_CALL = "family.plan_call"
FOLLOW_UP_DUE = "family.follow_up_due"

_handlers: list[Callable] = []
_addresses: list[Callable] = []


def register(handler: Callable) -> None:
    """``handler(kind=..., child=..., item=...)`` is called for each item ready."""
    if handler not in _handlers:
        _handlers.append(handler)


def register_addresses(resolver: Callable) -> None:
    """``resolver(account_ids) -> {account_id: (email, sms_number)}``, read at sending."""
    if resolver not in _addresses:
        _addresses.append(resolver)


def item_ready(*, kind: str, child, item) -> None:
    """Something the family may act on in the portal was made (in the transaction of
    the change: a change that rolls back queues nothing)."""
    for handler in _handlers:
        handler(kind=kind, child=child, item=item)


def addresses(account_ids) -> dict[int, tuple[str, str]]:
    found: dict[int, tuple[str, str]] = {}
    for resolver in _addresses:
        found |= resolver(set(account_ids))
    return found


def text() -> str:
    return TEXT.format(link=f"{settings.SAMVERKAN_BASE_URL}{reverse('portal:home')}")


def queue(account_channels: dict[int, list[str]], kind: str, *, now=None) -> int:
    """Queue a message on each channel a family member chose (account id -> channels),
    unless one was queued for them within ``MIN_INTERVAL_MINUTES`` (the staff SMS
    throttle: at most one notice per person in that time, whatever its channel). SMS
    only while a gateway is configured."""
    from . import sms

    now = now or timezone.now()
    wanted = {
        account: [c for c in channels if c == Channel.EMAIL or sms.enabled()]
        for account, channels in account_channels.items()
    }
    wanted = {account: channels for account, channels in wanted.items() if channels}
    if not wanted:
        return 0
    since = now - datetime.timedelta(minutes=settings.SAMVERKAN_SMS["MIN_INTERVAL_MINUTES"])
    recent = set(
        SmsMessage.objects.filter(
            family_account_id__in=list(wanted), created_at__gte=since
        ).values_list("family_account_id", flat=True)
    )
    rows = [
        SmsMessage(family_account_id=account, channel=channel, kind=kind, next_attempt_at=now)
        for account in sorted(set(wanted) - recent)
        for channel in sorted(wanted[account])
    ]
    SmsMessage.objects.bulk_create(rows)
    return len(rows)
