"""Access rules for children (registered with the access app).

A member of organisation O with the function permission ``people.view`` may read a
child when O has an involvement with the child (own organisation's matter). Changes
need ``people.register`` and an open involvement. Later features add other grounds
(consent, duty to report) through their own policies; nothing else is allowed.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from samverkan.access import grounds, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core.i18n import lazy_format

from . import population
from .identity import age_on
from .models import Child, Custody, Involvement

_READ_ACTIONS = {Action.READ, Action.PRINT, Action.EXPORT, Action.SEARCH}
_WRITE_ACTIONS = {Action.CHANGE, Action.CREATE}


def own_involvement(actor: Actor, child: Child, *, open_only: bool = False) -> Involvement | None:
    loaded = getattr(child, "_involvements_loaded", None)
    if loaded is not None:  # selectors.remember_involvements: every matter, just loaded
        own = [
            i
            for i in loaded
            if i.organisation_id == actor.organisation_id
            and not (open_only and i.ended_at is not None)
        ]
        # The same order as the query below: open matters first (newest first), then
        # ended ones by when they ended.
        own.sort(key=lambda i: i.started_at, reverse=True)
        own.sort(key=lambda i: (i.ended_at is not None, i.ended_at or 0))
        return own[0] if own else None
    qs = Involvement.objects.filter(child=child, organisation_id=actor.organisation_id)
    if open_only:
        qs = qs.filter(ended_at__isnull=True)
    # Open matters first on every database (PostgreSQL sorts NULL last by default).
    return qs.order_by(F("ended_at").asc(nulls_first=True), "-started_at").first()


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


def _reads_children(actor: Actor, action: str) -> bool:
    return action in _READ_ACTIONS and actor.has_perm(Permission.PEOPLE_VIEW)


@policy.applies_when(_reads_children)
def children_condition(actor: Actor, action: str) -> Q | None:
    return own_matter_condition(actor.organisation_id)


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
    register_family()


# The family portal (decision 0200) -------------------------------------------------------

GUARDIAN = "guardian"
SELF = "self"


def family_own_access_age() -> int:
    return settings.SAMVERKAN["PORTAL_OWN_ACCESS_AGE"]


def _family_ground(code: str) -> Ground:
    if code == SELF:
        return Ground(code=SELF, label=gettext_lazy("Den unges egna uppgifter"))
    return Ground(code=GUARDIAN, label=gettext_lazy("Vårdnadshavare med vårdnad om barnet"))


def family_custodies(actor: Actor):
    """The current custody records that name the family member: by their personnummer,
    or as a guardian record staff linked their foreign eID to (decision 0310)."""
    match = Q(pk__in=[])
    if actor.family_personal_number:
        match |= Q(guardian__personal_number=actor.family_personal_number)
    if actor.family_guardian_ids:
        match |= Q(guardian_id__in=actor.family_guardian_ids)
    return Custody.objects.filter(match, ended_at__isnull=True)


def _is_self(actor: Actor, child: Child) -> bool:
    number = actor.family_personal_number
    return bool(number) and child.personal_number == number


def family_relation(actor: Actor, child: Child) -> str | None:
    """How the family member relates to the child: ``"self"`` (the young person, from
    the portal's age), ``"guardian"`` (a current custody by personnummer or by a linked
    foreign eID; when the population register knows the child, it must confirm a
    custody held by personnummer), or None. A young person never reaches their own
    record by a foreign eID alone: a child's identity is the population register's."""
    if _is_self(actor, child):
        return SELF if age_on(child.date_of_birth) >= family_own_access_age() else None
    custodies = list(family_custodies(actor).filter(child=child).select_related("guardian"))
    if not custodies:
        return None
    register_ = population.configured()
    registered = register_.lookup(child.personal_number) if register_ else None
    if registered is None:
        return GUARDIAN
    listed = {g.personal_number for g in registered.guardians}
    for custody in custodies:
        number = custody.guardian.personal_number
        # A guardian with no Swedish number is not in the register's list by number;
        # the staff's check of their identity in person is what links them (0310).
        if number in listed or (not number and custody.guardian_id in actor.family_guardian_ids):
            return GUARDIAN
    return None


def decide_child_for_family(actor: Actor, action: str, child: Child) -> policy.Decision:
    if action not in _READ_ACTIONS and action not in _WRITE_ACTIONS:
        return policy.deny(gettext_lazy("Åtgärden är inte tillåten."))
    relation = family_relation(actor, child)
    if relation is None:
        if _is_self(actor, child):
            return policy.deny(
                lazy_format(
                    gettext_lazy("Du kan själv se dina uppgifter här från %(age)s års ålder."),
                    age=family_own_access_age(),
                )
            )
        return policy.deny(gettext_lazy("Du är inte registrerad som vårdnadshavare för barnet."))
    return policy.allow(_family_ground(relation))


def identified_family_member(actor: Actor, action: str) -> bool:
    """A family member the portal's rules can match: by personnummer or by the guardian
    records staff linked to a foreign eID."""
    return bool(actor.family_personal_number or actor.family_guardian_ids)


@policy.applies_when(identified_family_member)
def family_children_condition(actor: Actor, action: str) -> Q | None:
    """The children the family member may see: those in their custody (any
    organisation's current record names them) and themself from the portal's age."""
    condition = Q(Exists(family_custodies(actor).filter(child_id=OuterRef("pk"))))
    if not actor.family_personal_number:
        return condition
    born_before = timezone.localdate()
    try:
        born_before = born_before.replace(year=born_before.year - family_own_access_age())
    except ValueError:  # 29 February
        born_before = born_before.replace(
            month=2, day=28, year=born_before.year - family_own_access_age()
        )
    return condition | Q(
        personal_number=actor.family_personal_number, date_of_birth__lte=born_before
    )


def register_family() -> None:
    policy.register_family(
        Child, decide=decide_child_for_family, condition=family_children_condition
    )
