"""Access rules for children (registered with the access app).

A member of organisation O with the function permission ``people.view`` may read a
child when O has an involvement with the child (own organisation's matter). Changes
need ``people.register`` and an open involvement. Later features add other grounds
(consent, duty to report) through their own policies; nothing else is allowed.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from samverkan.access import grounds, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.core.i18n import lazy_format

from .models import Child, Involvement

_READ_ACTIONS = {Action.READ, Action.PRINT, Action.EXPORT, Action.SEARCH}
_WRITE_ACTIONS = {Action.CHANGE, Action.CREATE}


def own_involvement(actor: Actor, child: Child, *, open_only: bool = False) -> Involvement | None:
    qs = Involvement.objects.filter(child=child, organisation_id=actor.organisation_id)
    if open_only:
        qs = qs.filter(ended_at__isnull=True)
    return qs.order_by("ended_at", "-started_at").first()


def decide_child(actor: Actor, action: str, child: Child) -> policy.Decision:
    if action in _READ_ACTIONS:
        if not actor.has_perm(Permission.PEOPLE_VIEW):
            return policy.deny(
                lazy_format(
                    gettext_lazy(
                        "Funktionen %(function_name)s ger inte åtkomst till barns uppgifter."
                    ),
                    function_name=actor.function_name,
                )
            )
        involvement = own_involvement(actor, child)
    elif action in _WRITE_ACTIONS:
        if not actor.has_perm(Permission.PEOPLE_REGISTER):
            return policy.deny(
                lazy_format(
                    gettext_lazy(
                        "Funktionen %(function_name)s får inte registrera eller ändra uppgifter "
                        "om barn."
                    ),
                    function_name=actor.function_name,
                )
            )
        involvement = own_involvement(actor, child, open_only=True)
    else:
        return policy.deny(gettext_lazy("Åtgärden är inte tillåten för barnets grunduppgifter."))
    if involvement is None:
        return policy.deny(
            lazy_format(
                gettext_lazy("%(organisation_name)s har inget ärende om barnet."),
                organisation_name=actor.organisation_name,
            )
        )
    return policy.allow(grounds.own_matter(str(involvement.public_id), actor.organisation_name))


def own_matter_condition(organisation_id: int) -> Q:
    """For ``Child`` querysets: the organisation has (or had) a matter with the child."""
    return Q(
        Exists(Involvement.objects.filter(child_id=OuterRef("pk"), organisation_id=organisation_id))
    )


def children_condition(actor: Actor, action: str) -> Q | None:
    if action in _READ_ACTIONS and actor.has_perm(Permission.PEOPLE_VIEW):
        return own_matter_condition(actor.organisation_id)
    return None


def may_see_protected_details(
    actor: Actor, child: Child, involvement: Involvement | None = None
) -> bool:
    """Address and school of a child with skyddade personuppgifter are shown only to a
    function allowed to see them, in an organisation that has recorded why it needs
    them in its open involvement. Children without protection: always shown to those
    who may read the child."""
    if not child.protected_identity:
        return True
    if not actor.has_perm(Permission.PEOPLE_PROTECTED):
        return False
    involvement = involvement or own_involvement(actor, child, open_only=True)
    return bool(
        involvement and involvement.ended_at is None and involvement.protected_details_need.strip()
    )


def register() -> None:
    policy.register(Child, decide=decide_child, condition=children_condition)
