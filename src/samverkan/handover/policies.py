"""Who may read a handover and each item of its packet.

- The sending organisation (``people.view``): its own documentation of what it sent.
- The receiving organisation: before the receipt only a function that may open matters
  (``people.register``, e.g. rektor, socialsekreterare) sees the packet; after it,
  everyone there with ``people.view``. Each item is decided at the moment of the read:
  a packet on consent through ``access.passing.decide`` (a revoked consent
  withholds it at once), a packet on a ground of the law through the catalogue (in
  force today, in this direction, for this category and the child's age). The header
  (who the child is, from whom) is shown when at least one item or record may be.
  A packet the receiver refused is no longer shown to it.
- Nobody else: not another organisation, not the child's other organisations.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.consent import sharing
from samverkan.core.i18n import lazy_format
from samverkan.legal import catalogue
from samverkan.legal import services as legal

from .models import Handover, HandoverItem, HandoverRecord, Status

OWN_HANDOVER = "handover_sender"
_ACTIONS = {Action.READ, Action.PRINT}


def sender_ground(handover: Handover) -> Ground:
    return Ground(
        code=OWN_HANDOVER,
        label=lazy_format(
            gettext_lazy("Verksamhetens egen dokumentation av överlämning %(short_id)s"),
            short_id=handover.short_id,
        ),
        reference=str(handover.public_id),
    )


def receiver_ground(handover: Handover) -> Ground:
    """The receiving organisation's own record of its answer to a packet addressed to it
    (a refusal): the answer, not the packet's content."""
    return Ground(
        code="handover_receiver",
        label=lazy_format(
            gettext_lazy("Mottagarens svar på överlämning %(short_id)s"),
            short_id=handover.short_id,
        ),
        reference=str(handover.public_id),
    )


def may_send(actor: Actor, view) -> bool:
    """May the actor start a handover from the child ``view`` (people.selectors)? Only
    staff who may open matters, in an organisation with an open matter with the child."""
    return (
        view.own_matter
        and view.open_involvement is not None
        and actor.has_perm(Permission.PEOPLE_REGISTER)
    )


def _receiver_may(actor: Actor, handover: Handover) -> bool:
    if actor.organisation_id != handover.to_organisation_id:
        return False
    if handover.status == Status.RECEIVED:
        return actor.has_perm(Permission.PEOPLE_VIEW)
    if handover.status == Status.REFUSED:  # sent back: the receiver keeps nothing of it
        return False
    return actor.has_perm(Permission.PEOPLE_REGISTER)


def item_decision(handover: Handover, category: str, at=None) -> policy.Decision:
    """May ``category`` of ``handover`` pass to the receiving organisation at ``at``?"""
    at = at or timezone.now()
    if handover.ground_code == sharing.CONSENT:
        return passing.decide(
            viewer_organisation_id=handover.to_organisation_id,
            child=handover.child,
            from_organisation_id=handover.from_organisation_id,
            to_organisation_id=handover.to_organisation_id,
            category=category,
            purpose=None,
            at=at,
        )
    current = catalogue.load()
    try:
        ground = current.get(handover.ground_code)
    except KeyError:
        return policy.deny(gettext_lazy("Grunden finns inte längre i katalogen."))
    verdict = legal.verdict_for(
        ground=ground,
        child=handover.child,
        from_organisation_id=handover.from_organisation_id,
        to_organisation_id=handover.to_organisation_id,
        category=category,
        at=at,
    )
    if not verdict.allowed:
        return policy.deny(verdict.reason)
    return policy.allow(
        Ground(
            code=ground.code,
            label=f"{ground.name} ({ground.statute_text}), överlämning {handover.short_id}"[:300],
            reference=str(handover.public_id),
            version=current.version,
        )
    )


def decide_item(actor: Actor, action: str, item: HandoverItem | HandoverRecord) -> policy.Decision:
    """An item of the packet, or a record attached to it: by its category."""
    handover = item.handover
    if action not in _ACTIONS:
        return policy.deny(gettext_lazy("Åtgärden är inte tillåten för en överlämning."))
    if actor.organisation_id == handover.from_organisation_id and actor.has_perm(
        Permission.PEOPLE_VIEW
    ):
        return policy.allow(sender_ground(handover))
    if not _receiver_may(actor, handover):
        return policy.deny(gettext_lazy("Överlämningen är inte ställd till din funktion."))
    return item_decision(handover, item.category)


def decide_handover(actor: Actor, action: str, handover: Handover) -> policy.Decision:
    if action not in _ACTIONS:
        return policy.deny(gettext_lazy("Åtgärden är inte tillåten för en överlämning."))
    if actor.organisation_id == handover.from_organisation_id and actor.has_perm(
        Permission.PEOPLE_VIEW
    ):
        return policy.allow(sender_ground(handover))
    if not _receiver_may(actor, handover):
        return policy.deny(gettext_lazy("Överlämningen är inte ställd till din funktion."))
    refused = None
    categories = [i.category for i in handover.items.all()]
    categories += [r.category for r in handover.records.all()]
    for category in dict.fromkeys(categories):
        decision = item_decision(handover, category)
        if decision.allowed:
            return decision
        refused = refused or decision
    return refused or policy.deny(gettext_lazy("Överlämningen innehåller inget."))


def register() -> None:
    policy.register(Handover, decide=decide_handover)
    policy.register(HandoverItem, decide=decide_item)
    policy.register(HandoverRecord, decide=decide_item)
