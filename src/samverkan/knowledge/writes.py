"""What the writes to the shared knowledge share: who may manage it, the checks of the
manager and the member, and the audit row (``services`` lists the writes by flow)."""

from __future__ import annotations

from django.utils.translation import gettext

from samverkan.access import grounds
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.core.errors import PermissionDenied

MANAGE = Permission.DIRECTORY_MANAGE


def may_manage(actor: Actor | None) -> bool:
    """The system (``None``) or an administrator may change shared content."""
    return actor is None or actor.has_perm(MANAGE)


def may_manage_actor(actor: Actor | None) -> bool:
    """For pages: only a logged-in administrator (never "the system")."""
    return actor is not None and actor.has_perm(MANAGE)


def _require_manager(actor: Actor | None) -> None:
    if not may_manage(actor):
        raise PermissionDenied(
            gettext("Du har inte behörighet att ändra det gemensamma kunskapsstödet.")
        )


def _require_member(actor: Actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_membership:
        raise PermissionDenied(gettext("Du måste vara inloggad i en roll."))


def _audit(actor, action, resource_type, resource_id, *, subject_id="", ground=None, **details):
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id),
        subject_id=str(subject_id or ""),
        ground=ground if ground is not None else (grounds.administration() if actor else None),
        details=details,
    )
