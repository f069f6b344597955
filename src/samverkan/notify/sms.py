"""SMS about urgent items (decision 0250): a protection assessment waiting, an item
escalated to a manager. Only to staff who gave a mobile number, only while an SMS
gateway is configured (``settings.SAMVERKAN_SMS``).

The text is fixed ("Du har ett nytt brådskande ärende i Samverkan" and a link to the
inbox): no child, no record, not even the kind of item. A message is queued in the
outbox (``SmsMessage``, in the same transaction as the change that caused it) and sent
by the worker (``outbox_send``, every minute, web/tasks.py): at most ``PER_RUN`` a run,
at most one per person per ``MIN_INTERVAL_MINUTES``, a failure retried after
``RETRY_MINUTES`` (doubling) at most ``MAX_ATTEMPTS`` times. Each attempt is claimed
with a conditional update, so two workers never send one message twice; each send and
each failure is an audit row.

Gateways are adapters with one method, ``send(number, text)``, which raises
``SmsFailed``: ``http`` (a gateway's HTTP API, form fields from/to/message with basic
authentication, as 46elks), ``file`` (the demo: one JSON line per message), or a class
named by its dotted path."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Protocol

import phonenumbers
import requests
import structlog
from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import ValidationFailed

from . import family, mail, receivers
from .models import Channel, MailPreference, SmsMessage

log = structlog.get_logger(__name__)

TEXT = "Du har ett nytt brådskande ärende i Samverkan. Logga in och läs: {link}"


class SmsFailed(Exception):
    """The gateway did not take the message; ``code`` is a short reason for the log."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code[: bounds.TEXT_CODE]


class Gateway(Protocol):
    name: str

    def send(self, number: str, text: str) -> None: ...


class HttpGateway:
    """POSTs ``from``, ``to`` and ``message`` as a form with basic authentication (the
    shape of 46elks' /a1/sms and of several others); any 2xx answer is success."""

    name = "http"

    def __init__(self, config: dict):
        self.url = config["URL"]
        self.auth = (config["USER"], config["PASSWORD"]) if config["USER"] else None
        self.sender = config["SENDER"]
        self.timeout = config["TIMEOUT"]

    def send(self, number: str, text: str) -> None:
        try:
            response = requests.post(
                self.url,
                data={"from": self.sender, "to": number, "message": text},
                auth=self.auth,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise SmsFailed(type(exc).__name__) from exc
        if not 200 <= response.status_code < 300:
            raise SmsFailed(f"http_{response.status_code}")


class FileGateway:
    """Appends each message as a JSON line to a file (the demo: nothing leaves)."""

    name = "file"

    def __init__(self, config: dict):
        self.path = Path(config["FILE"])

    def send(self, number: str, text: str) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                line = {"at": timezone.now().isoformat(), "to": number, "text": text}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise SmsFailed(type(exc).__name__) from exc


_BUILT_IN = {"http": HttpGateway, "file": FileGateway}


def gateway() -> Gateway | None:
    """The configured gateway, or None when SMS is off."""
    config = settings.SAMVERKAN_SMS
    name = config["GATEWAY"]
    if not name:
        return None
    cls = _BUILT_IN.get(name) or import_string(name)
    return cls(config)


def enabled() -> bool:
    return bool(settings.SAMVERKAN_SMS["GATEWAY"])


def text() -> str:
    return TEXT.format(link=f"{settings.SAMVERKAN_BASE_URL}{reverse('notify:inbox')}")


def number_normalise(raw: str) -> str:
    """A mobile number as people type it ("070-123 45 67", "+46 70 123 45 67") in the
    form gateways take ("+46701234567"); "" clears it. Raises ``ValidationFailed``."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    message = gettext("Skriv ett mobilnummer, till exempel 070-123 45 67.")
    if len(raw) > bounds.TEXT_SHORT:
        raise ValidationFailed(message, field="sms_number")
    try:
        number = phonenumbers.parse(raw, "SE")
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed(message, field="sms_number") from exc
    mobile = (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in mobile:
        raise ValidationFailed(message, field="sms_number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def urgent(item) -> bool:
    """Whether an item is worth an SMS: an urgent kind (receivers.json) or an
    escalation to a manager."""
    return bool(item.escalation_of_id) or item.kind in receivers.sms_kinds()


def queue(user_kinds: dict[int, str], *, now: datetime.datetime | None = None) -> int:
    """Queue one SMS for each person (user id -> the kind that caused it) who gave a
    number, unless one was queued for them within ``MIN_INTERVAL_MINUTES``."""
    if not user_kinds or not enabled():
        return 0
    now = now or timezone.now()
    with_number = set(
        MailPreference.objects.filter(user_id__in=list(user_kinds))
        .exclude(sms_number="")
        .values_list("user_id", flat=True)
    )
    since = now - datetime.timedelta(minutes=settings.SAMVERKAN_SMS["MIN_INTERVAL_MINUTES"])
    recent = set(
        SmsMessage.objects.filter(user_id__in=with_number, created_at__gte=since).values_list(
            "user_id", flat=True
        )
    )
    rows = [
        SmsMessage(user_id=user_id, kind=user_kinds[user_id], next_attempt_at=now)
        for user_id in sorted(with_number - recent)
    ]
    SmsMessage.objects.bulk_create(rows)
    return len(rows)


def _audit(message: SmsMessage, gateway_name: str, result: str, error: str = "") -> None:
    if message.family_account_id is not None:
        details = {"family_account_id": message.family_account_id, "channel": message.channel}
    else:
        details = {"user_id": message.user_id}
    details |= {"kind": message.kind, "attempt": message.attempts}
    details |= {"gateway": gateway_name, "result": result}
    if error:
        details["error"] = error
    audit.event_record(
        actor=None,
        action=Action.CREATE,
        resource_type="notify.email" if message.channel == Channel.EMAIL else "notify.sms",
        resource_id=str(message.public_id),
        details=details,
    )


def _claim(message: SmsMessage, now: datetime.datetime) -> bool:
    """Take one attempt of the message (no other worker takes the same one)."""
    config = settings.SAMVERKAN_SMS
    backoff = datetime.timedelta(minutes=config["RETRY_MINUTES"] * 2**message.attempts)
    claimed = SmsMessage.objects.filter(
        pk=message.pk, attempts=message.attempts, sent_at__isnull=True, failed_at__isnull=True
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + backoff)
    message.attempts += 1
    return bool(claimed)


def _addresses(messages: list[SmsMessage]) -> tuple[dict, dict]:
    """Staff numbers by user id; family (e-mail, number) by portal account id."""
    staff = dict(
        MailPreference.objects.filter(
            user_id__in={m.user_id for m in messages if m.user_id}
        ).values_list("user_id", "sms_number")
    )
    accounts = {m.family_account_id for m in messages if m.family_account_id is not None}
    return staff, family.addresses(accounts) if accounts else {}


def _deliver(message: SmsMessage, sender, staff: dict, families: dict) -> str:
    """Send one message; the error code, or "" when it went."""
    if message.family_account_id is not None:
        email, number = families.get(message.family_account_id, ("", ""))
        if message.channel == Channel.EMAIL:
            if not email:
                return "no_address"  # removed after it was queued
            try:
                mail.family_notice_send(address=email, subject=family.SUBJECT, body=family.text())
            except Exception as exc:  # SMTP, socket, TLS: retried like a gateway failure
                return type(exc).__name__[: bounds.TEXT_CODE]
            return ""
        body = family.text()
    else:
        number = staff.get(message.user_id, "")
        body = text()
    if not number:
        return "no_number"  # opted out after it was queued
    try:
        sender.send(number, body)
    except SmsFailed as exc:
        return exc.code
    return ""


def outbox_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send what the outbox owes, at most ``PER_RUN`` messages (the worker's task): SMS
    while a gateway is configured, e-mail to the family always (SMTP)."""
    counts = {"sms_sent": 0, "sms_failed": 0}
    sender = gateway()
    now = now or timezone.now()
    config = settings.SAMVERKAN_SMS
    due = SmsMessage.objects.filter(
        sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
    )
    if sender is None:
        due = due.filter(channel=Channel.EMAIL)
    messages = list(due.order_by("next_attempt_at", "pk")[: config["PER_RUN"]])
    if not messages:
        return counts
    staff, families = _addresses(messages)
    for message in messages:
        if not _claim(message, now):
            continue  # another worker took it
        error = _deliver(message, sender, staff, families)
        name = "smtp" if message.channel == Channel.EMAIL else sender.name
        prefix = "mail" if message.channel == Channel.EMAIL else "sms"
        if not error:
            SmsMessage.objects.filter(pk=message.pk).update(sent_at=now, last_error="")
            _audit(message, name, "sent")
            counts[f"{prefix}_sent"] = counts.get(f"{prefix}_sent", 0) + 1
            continue
        final = error in ("no_number", "no_address") or message.attempts >= config["MAX_ATTEMPTS"]
        SmsMessage.objects.filter(pk=message.pk).update(
            last_error=error, failed_at=now if final else None
        )
        _audit(message, name, "given_up" if final else "failed", error)
        log.warning("outbox_failed", error=error, attempt=message.attempts, final=final)
        counts[f"{prefix}_failed"] = counts.get(f"{prefix}_failed", 0) + 1
    return counts
