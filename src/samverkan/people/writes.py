"""What the writes to the children register share: the child's audit row, a name
cleaned and bounded, and the organisation types that enrol children (``services``
lists the writes by flow)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.core.errors import ValidationFailed

SCHOOL_TYPES = {"skola", "forskola"}


def _audit_child(actor, action, child, ground, resource=None, **details):
    resource = resource or child
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=resource._meta.label_lower,
        resource_id=str(resource.public_id),
        subject_id=str(child.public_id),
        ground=ground,
        details=details,
    )


def _clean_name(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("Ange %(label)s.") % {"label": label}, field=field)
    if len(value) > 100:
        raise ValidationFailed(
            _("%(capitalize)s får vara högst 100 tecken.") % {"capitalize": label.capitalize()},
            field=field,
        )
    return value
