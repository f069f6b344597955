"""Reads of recorded judgements: an organisation sees the decisions it made itself
about a child (its own records), each read audited."""

from __future__ import annotations

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action

from . import catalogue
from .models import DisclosureDecision


def decisions_of_own_organisation(actor: Actor, child_view) -> list[DisclosureDecision]:
    """The decisions the actor's organisation made about the child (empty without an own
    matter: another organisation's judgements are its own records)."""
    if not child_view.own_matter:
        return []
    decisions = list(
        DisclosureDecision.objects.filter(
            child=child_view.child, from_organisation_id=actor.organisation_id
        ).select_related("to_organisation")
    )
    audit.events_record(
        [
            {
                "actor": actor,
                "action": Action.READ,
                "resource_type": "legal.disclosuredecision",
                "resource_id": str(d.public_id),
                "subject_id": str(child_view.child.public_id),
                "ground": child_view.decision.ground,
                "reason": "Utlämnandeprövningar för barnet",
            }
            for d in decisions
        ]
    )
    return decisions


def ground_names() -> dict[str, str]:
    return {g.code: g.name for g in catalogue.load().grounds}
