"""Reads of the family portal (decision 0200). Everything goes through the people and
consent apps' family reads, which run on the disclosure pipeline with the family member
as actor (one audit row per record shown); this module adds what the family must not
be told: the organisations a report of concern marked "do not inform the guardians"
(``concerns.family``) are named nowhere."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from samverkan.access.actor import Actor
from samverkan.concerns import family as concerns_family
from samverkan.consent import family as consent_family
from samverkan.handover import family as handover_family
from samverkan.people import family as people_family
from samverkan.plans import family as plans_family


@dataclass
class ChildPage:
    child: people_family.FamilyChild
    current: list
    earlier: list
    consents: list
    plans: list
    handovers: list


def _hidden(child) -> frozenset[int]:
    return concerns_family.organisations_not_to_name(child)


def my_children(actor: Actor) -> list[people_family.FamilyChild]:
    return people_family.children(actor)


def child_page(actor: Actor, public_id) -> ChildPage:
    family_child = people_family.child_get(actor, public_id)
    hidden = _hidden(family_child.child)
    involved = people_family.involved(family_child, hidden=hidden)
    return ChildPage(
        child=family_child,
        current=[i for i in involved if i.is_current],
        earlier=[i for i in involved if not i.is_current],
        consents=consent_family.consents_for_family(actor, family_child.child, hidden=hidden),
        plans=plans_family.plans_for_family(actor, family_child.child),
        handovers=handover_family.handovers_for_family(actor, family_child.child),
    )


def consent_page(actor: Actor, public_id) -> consent_family.FamilyConsent:
    return consent_family.consent_for_family(actor, public_id, hidden=_hidden)


def my_receipts(actor: Actor, view) -> list:
    """The family member's own signing acts on the consent (and the one it renewed by
    narrowing), newest first: the receipt with the digest of the text signed. Their
    own records, read after the consent itself was allowed and audited."""
    from .models import SigningAct

    return list(
        SigningAct.objects.filter(account_id=actor.family_id)
        .filter(
            models.Q(consent_public_id=view.public_id) | models.Q(result_public_id=view.public_id)
        )
        .order_by("-occurred_at", "-pk")[:20]
    )
