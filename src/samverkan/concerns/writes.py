"""What the writes of reports of concern share: bounded input, the report's entries, its
audit row, the e-mail notice, and the receiver's locked handling (``services`` lists the
writes by flow)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core import bounds, i18n
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.notify import mail

from .models import (
    Entry,
    Handling,
    Report,
)
from .policies import is_receiver

MAX_TEXT = 8000


def _stored_label(choice) -> str:
    """A choice's label for a text that is stored (notices): in Swedish, the product's
    language, whatever the acting user's interface language is."""
    return i18n.stored(choice.label)


def _text(value: str, field: str, label: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(gettext("Skriv %(label)s.") % {"label": label}, field=field)
    if len(value) > MAX_TEXT:
        raise ValidationFailed(
            gettext("%(capitalize)s får vara högst %(MAX_TEXT)s tecken.")
            % {"capitalize": label.capitalize(), "MAX_TEXT": MAX_TEXT},
            field=field,
        )
    return value


def _bounded(value: str | None, field: str, max_length: int = bounds.TEXT_NAME) -> str:
    """A short text trimmed and within its bound (refused at the field, never cut)."""
    return bounds.check_text((value or "").strip(), max_length=max_length, field=field)


def _choice(value: str, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(message, field=field)
    return value


def _audit(actor, action, report: Report, ground: Ground | None, **details) -> None:
    audit.event_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        resource_type="concerns.report",
        resource_id=str(report.public_id),
        subject_id=str(report.child.public_id) if report.child_id else "",
        ground=ground,
        details=details,
    )


def _entry(report, kind, actor=None, *, text="", to_reporter=False, **fields) -> Entry:
    return Entry.objects.create(
        report=report,
        kind=kind,
        text=text,
        to_reporter=to_reporter,
        author_id=actor.user_id if actor is not None else None,
        author_name=actor.label if actor is not None and actor.is_authenticated else "",
        author_organisation_name=actor.organisation_name if actor is not None else "",
        created_at=timezone.now(),
        **fields,
    )


def _notify(recipients: list[str], path: str) -> None:
    """E-mail without personal data ("Du har en ny händelse i Samverkan" and a link),
    after commit, through notify.mail: the notice in the product is the record."""
    mail.notification_send(recipients=recipients, path=path)


def _for_receiver(actor: Actor, report: Report) -> tuple[Handling, policy.Decision]:
    decision = policy.decide(actor, Action.CHANGE, report)
    if not decision.allowed or not is_receiver(actor, report):
        raise NotFound(gettext("Anmälan finns inte eller så har du inte behörighet."))
    handling = Handling.objects.select_for_update().get(report=report)
    handling.report = report  # the same row: its order is kept from it on each save
    return handling, decision


def _open(handling: Handling) -> None:
    if handling.closed_at is not None:
        raise ValidationFailed(gettext("Ärendet är avslutat."))
