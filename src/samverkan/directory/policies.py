"""Who may administer what in the directory. Deny by default: only a function with
``directory.system`` (systemadministratör) administers huvudmän, organisations and their
local administrators; a function with ``directory.manage`` (administratör) administers
its own organisation's units, functions, staff and contact functions. Nobody deletes:
accounts and memberships end, because the audit log refers to them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.core.errors import PermissionDenied

SYSTEM = Permission.DIRECTORY_SYSTEM.value
MANAGE = Permission.DIRECTORY_MANAGE.value
# Functions that carry these may be given only by a system administrator.
RESERVED = frozenset({SYSTEM, MANAGE})


def is_system_admin(actor: Actor | None) -> bool:
    return actor is not None and actor.has_perm(SYSTEM)


def may_administer(actor: Actor | None, organisation_id: int | None) -> bool:
    """The actor administers this organisation: as system administrator, or as the
    organisation's own (local) administrator."""
    if actor is None:
        return False
    if is_system_admin(actor):
        return True
    return actor.has_perm(MANAGE) and organisation_id == actor.organisation_id


def administers_anything(actor: Actor | None) -> bool:
    """The actor reaches the administration pages: a system or a local administrator."""
    return actor is not None and (is_system_admin(actor) or actor.has_perm(MANAGE))


def may_assign_contact_function(actor: Actor | None, provider_organisation_id: int) -> bool:
    """A contact function gets a new holder from its providing organisation's own
    administrator (a role of that organisation, no personal data about children)."""
    return (
        actor is not None
        and actor.has_perm(MANAGE)
        and actor.organisation_id == provider_organisation_id
    )


def require_system(actor: Actor | None) -> None:
    """``actor=None`` is the system itself (migrations, `samverkan setup`, the demo)."""
    if actor is not None and not is_system_admin(actor):
        raise PermissionDenied(gettext_lazy("Bara en systemadministratör kan göra detta."))


def require_organisation(actor: Actor | None, organisation_id: int) -> None:
    if actor is not None and not may_administer(actor, organisation_id):
        raise PermissionDenied(gettext_lazy("Du kan bara administrera din egen organisation."))


def require_may_give(actor: Actor | None, permissions) -> None:
    """Administrator functions are given by a system administrator only."""
    reserved = RESERVED.intersection(permissions or ())
    if actor is not None and reserved and not is_system_admin(actor):
        raise PermissionDenied(
            gettext_lazy(
                "Bara en systemadministratör kan utse administratörer. "
                "Kontakta systemadministratören."
            )
        )
