"""What every administration write shares: the audit row (ground: administration),
names and choices checked against ``core.bounds``, and the changed fields for the
audit row."""

from __future__ import annotations

from django.utils.translation import gettext
from stdnum.se import orgnr

from samverkan.access import grounds
from samverkan.audit import services as audit
from samverkan.core import bounds
from samverkan.core.errors import ValidationFailed


def record(actor, action, resource_type: str, resource_id, **details) -> None:
    """One audit row of an administration write."""
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id),
        ground=grounds.administration(),
        details=details,
    )


def required_name(value: str, field: str, what: str, max_length: int = bounds.TEXT_NAME) -> str:
    value = bounds.check_text((value or "").strip(), max_length=max_length, field=field)
    if not value:
        raise ValidationFailed(gettext("Ange %(what)s.") % {"what": what}, field=field)
    return value


def known_choice(value: str, choices, field: str, what: str) -> str:
    if value not in {c.value for c in choices}:
        raise ValidationFailed(
            gettext("Okänd %(what)s: %(value)s.") % {"what": what, "value": value}, field=field
        )
    return value


def valid_organisation_number(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not orgnr.is_valid(value):
        raise ValidationFailed(
            gettext("Organisationsnumret är inte giltigt."), field="organisation_number"
        )
    return orgnr.format(value)


def apply_changes(obj, values: dict) -> dict:
    """Set the values that differ; return {field: [old, new]} for the audit row."""
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [
                str(old) if old is not None else "",
                str(new) if new is not None else "",
            ]
            setattr(obj, name, new)
    return changes
