"""Refusals that reveal nothing about a record: a page or an action the viewer's
function may not use (docs/security.md, "Refusals: 403 or 404").

These answer 403 with the reason ("Din funktion (Lärare) ger inte tillgång till
loggkontroll."): that loggkontroll or the register of children exists is no secret.
A record the viewer has no ground to see is not refused here: its selector answers
NotFound (404), exactly like a record that does not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def refuse(actor, what: str) -> PermissionDenied:
    function = getattr(actor, "function_name", "") or ""
    if function:
        message = _("Din funktion (%(function)s) ger inte tillgång till %(what)s.") % {
            "function": function,
            "what": what,
        }
    else:
        message = _("Du har inte tillgång till %(what)s.") % {"what": what}
    return PermissionDenied(message)


def require_perm(actor, permission: str, what: str) -> None:
    """403 unless the actor's function has ``permission``; ``what`` names the page or
    action in Swedish ("loggkontroll", "registret över barn")."""
    if not actor.has_perm(permission):
        raise refuse(actor, what)
