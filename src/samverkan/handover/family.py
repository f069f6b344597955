"""Handovers in the family portal (issue 18, decision 0305): the family sees that a
handover was made — from which organisation to which, when, on which ground, which
kinds of records travelled, and whether it was received — as far as the family may
know. Never the packet's texts (the receiving organisation's own documentation), never
the sender's note on why the guardians were not told.

The family rule (``policy.register_family``, the same lines as a plan, decision 0270):
the people app's family rule for the child (a guardian with current custody, the young
person from ``PORTAL_OWN_ACCESS_AGE``), and then denied — with the answer for a
handover that does not exist — for

- a child with protected identity (the receiving school or municipality tells where
  the child is);
- a handover from or to an organisation under do-not-inform (``concerns.family``);
- a handover the sender recorded the guardians are not to be told of (social services,
  where telling them could harm the child).

Reads go through the disclosure pipeline with the family member as actor (one audit
row per handover shown)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.access import pipeline, policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.concerns import family as concerns_family
from samverkan.consent.selectors import category_names
from samverkan.legal import catalogue
from samverkan.people import family as people_family

from .models import GuardianNotice, Handover


@dataclass(frozen=True)
class FamilyHandover:
    from_name: str
    to_name: str
    sent_on: object
    ground: str
    categories: list[str]
    status: str
    status_code: str


def decide_handover_for_family(actor: Actor, action: str, handover: Handover) -> policy.Decision:
    if action != Action.READ:
        return policy.deny(gettext_lazy("Åtgärden är inte tillåten."))
    decision = policy.decide(actor, Action.READ, handover.child)
    if not decision.allowed:
        return decision
    hidden = concerns_family.organisations_not_to_name(handover.child)
    if (
        handover.child.protected_identity
        or handover.guardian_notice == GuardianNotice.WITHHELD
        or {handover.from_organisation_id, handover.to_organisation_id} & set(hidden)
    ):
        return policy.deny(gettext_lazy("Överlämningen finns inte."))
    return decision


def family_handovers_condition(actor: Actor, action: str) -> Q | None:
    if not actor.family_personal_number:
        return None
    return Q(child_id__in=people_family.child_ids(actor))


def _ground_name(code: str) -> str:
    try:
        return catalogue.load().get(code).name
    except KeyError:
        return code


def handovers_for_family(actor: Actor, child) -> list[FamilyHandover]:
    """The child's handovers a family member may know of, newest first, each decided
    and audited through the pipeline."""
    if child.protected_identity:
        return []
    results = pipeline.disclose(
        actor,
        Action.READ,
        Handover.objects.filter(child=child)
        .select_related("child", "from_organisation", "to_organisation")
        .prefetch_related("items", "records")
        .order_by("-sent_at", "-pk"),
        subject=lambda h: str(child.public_id),
        reason="Familjens överlämningar",
    )
    names = category_names()
    return [
        FamilyHandover(
            from_name=h.from_organisation.name,
            to_name=h.to_organisation.name,
            sent_on=h.sent_at,
            ground=_ground_name(h.ground_code),
            categories=_categories(h, names),
            status=h.get_status_display(),
            status_code=h.status,
        )
        for h in (r.resource for r in results if r.shown)
    ]


def _categories(handover, names) -> list[str]:
    """The kinds of records that travelled: the items' and the attached records'
    categories, each once."""
    codes = [i.category for i in handover.items.all()]
    codes += [r.category for r in handover.records.all() if r.category not in codes]
    return [names.get(code, code) for code in dict.fromkeys(codes)]


def register() -> None:
    policy.register_family(
        Handover, decide=decide_handover_for_family, condition=family_handovers_condition
    )
