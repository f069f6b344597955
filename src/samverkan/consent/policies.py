"""Access rules added by the consent app.

1. A child's basic data (name, personnummer, guardians) may be read by staff of an
   organisation that is a party to a consent that covers now — the ground is that
   consent.
2. A consent record may be read by staff of the organisation that registered it, and
   of the other organisations it names while they may read the child (own matter, or
   a consent that covers now); changed (signed, revoked, renewed) by those of them
   allowed to register children.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from samverkan.access import grounds, passing, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core.i18n import lazy_format, lazy_join

from . import grants, sharing
from .models import Consent, ConsentParty

_READS = {Action.READ, Action.SEARCH, Action.PRINT, Action.EXPORT}
CONSENT_PARTY = "consent_party"


def decide_child_by_consent(actor: Actor, action: str, child) -> policy.Decision:
    if action not in _READS or not actor.has_perm(Permission.PEOPLE_VIEW):
        return policy.deny("")
    now = timezone.now()
    consent = grants.covering(child.pk, actor.organisation_id, now)
    if consent is not None:
        return policy.allow(sharing.consent_ground(consent))
    if not grants.names_organisation(child.pk, actor.organisation_id):
        return policy.deny("")
    # A consent names the organisation but no grant covers now: the rules engine says
    # why (and is the answer, should the grants have been computed with another age
    # threshold and not yet rebuilt).
    facts = sharing.ChildFacts.load(child)
    reasons = []
    for consent in facts.consents:
        if actor.organisation_id not in {p.organisation_id for p in consent.party_links.all()}:
            continue
        result = sharing.coverage(consent, facts, now)
        if result.covers:
            return policy.allow(sharing.consent_ground(consent), result.full_account)
        reasons.append(sharing.explain(consent, result, actor.organisation_id))
    return policy.deny(lazy_join(" ", reasons))


def decide_children_by_consent(actor: Actor, action: str, children: list) -> dict:
    """The children a consent naming the actor's organisation covers now, each with its
    consent as the ground, in one query (for the audit row of a list page)."""
    if action not in _READS or not actor.has_perm(Permission.PEOPLE_VIEW):
        return {}
    covering = grants.covering_many([c.pk for c in children], actor.organisation_id)
    return {pk: policy.allow(sharing.consent_ground(consent)) for pk, consent in covering.items()}


def _reads(actor: Actor, action: str) -> bool:
    return action in _READS and actor.has_perm(Permission.PEOPLE_VIEW)


@policy.applies_when(_reads)
def children_by_consent_condition(actor: Actor, action: str) -> Q | None:
    """Children a consent naming the actor's organisation covers now: an ``EXISTS`` on
    the sharing grants (decision 0090), evaluated by the database per row."""
    return Q(grants.children_condition(actor.organisation_id))


def _is_holder(actor: Actor, consent: Consent) -> bool:
    return actor.organisation_id == consent.registered_by_organisation_id or (
        actor.organisation_id in {p.organisation_id for p in consent.party_links.all()}
    )


def _decide_consent(actor: Actor, action: str, consent: Consent, child_decision) -> policy.Decision:
    if action in _READS:
        if not actor.has_perm(Permission.PEOPLE_VIEW):
            return policy.deny(
                lazy_format(
                    gettext_lazy("Funktionen %(function_name)s ger inte åtkomst till samtycken."),
                    function_name=actor.function_name,
                )
            )
    elif action in {Action.CHANGE, Action.CREATE}:
        if not actor.has_perm(Permission.PEOPLE_REGISTER):
            return policy.deny(
                lazy_format(
                    gettext_lazy(
                        "Funktionen %(function_name)s får inte registrera eller ändra samtycken."
                    ),
                    function_name=actor.function_name,
                )
            )
    else:
        return policy.deny(gettext_lazy("Åtgärden är inte tillåten för samtycken."))
    if not _is_holder(actor, consent):
        return policy.deny(
            lazy_format(
                gettext_lazy("%(organisation_name)s är inte part i samtycket."),
                organisation_name=actor.organisation_name,
            )
        )
    party_ground = Ground(
        code=CONSENT_PARTY,
        label=lazy_format(gettext_lazy("Part i samtycke %(short_id)s"), short_id=consent.short_id),
        reference=str(consent.public_id),
    )
    if actor.organisation_id == consent.registered_by_organisation_id:
        return policy.allow(party_ground)
    # Another party sees the record (the child's name and views, what was shared) only
    # while it may know about the child at all: its own matter, or a consent that
    # covers now. A revoked, expired or lapsed consent is no ground to read about the
    # child, so the record is then as absent as the child.
    decision = child_decision()
    if not decision.allowed:
        return policy.deny(decision.reason)
    if decision.ground.code == sharing.CONSENT:
        return decision
    return policy.allow(party_ground)


def decide_consent(actor: Actor, action: str, consent: Consent) -> policy.Decision:
    return _decide_consent(
        actor, action, consent, lambda: policy.decide(actor, Action.READ, consent.child)
    )


def decide_consents_of_child(
    actor: Actor, action: str, child, consents: list[Consent]
) -> list[policy.Decision]:
    """``decide_consent`` for each of one child's consents, deciding whether the actor
    may read the child once for the whole list rather than once per consent."""
    decided: list[policy.Decision] = []

    def child_decision() -> policy.Decision:
        if not decided:
            decided.append(policy.decide_once(actor, Action.READ, child))
        return decided[0]

    return [_decide_consent(actor, action, consent, child_decision) for consent in consents]


def decide_consents_many(actor: Actor, action: str, consents: list[Consent]) -> dict:
    """The allowing decisions for several consents, deciding whether the actor may
    read each child once per child (for the disclosure pipeline's lists)."""
    by_child: dict[int, list[Consent]] = {}
    for consent in consents:
        by_child.setdefault(consent.child_id, []).append(consent)
    allowed = {}
    for group in by_child.values():
        decisions = decide_consents_of_child(actor, action, group[0].child, group)
        allowed.update({c.pk: d for c, d in zip(group, decisions, strict=True) if d.allowed})
    return allowed


@policy.applies_when(_reads)
def scope_consents(actor: Actor, action: str, queryset: QuerySet) -> QuerySet:
    return queryset.filter(
        Exists(
            ConsentParty.objects.filter(
                consent_id=OuterRef("pk"), organisation_id=actor.organisation_id
            )
        )
        | Q(registered_by_organisation_id=actor.organisation_id)
    )


# What the actor map tells of another organisation's matter (that it exists, its kind
# and dates) passes as this category.
ACTOR_MAP_CATEGORY = "insatser"


def decide_involvement(actor: Actor, action: str, involvement) -> policy.Decision:
    """The actor map: an organisation's own matter with the child is its own record;
    another organisation's matter is shown only where "insatser" may pass from that
    organisation to the actor's now (``access.passing``), the refusal explained for
    the actor."""
    return decide_involvements(actor, action, [involvement])[involvement.pk]


def decide_involvements(actor: Actor, action: str, involvements: list) -> dict:
    """``decide_involvement`` for several matters, loading each child's facts once and
    asking once per organisation."""
    if action != Action.READ or not actor.has_perm(Permission.PEOPLE_VIEW):
        return {i.pk: policy.deny("") for i in involvements}
    facts: dict[int, object] = {}
    asked: dict[tuple[int, int], policy.Decision] = {}
    decided = {}
    for involvement in involvements:
        org_id = involvement.organisation_id
        if org_id == actor.organisation_id:
            decided[involvement.pk] = policy.allow(
                grounds.own_matter(str(involvement.public_id), actor.organisation_name)
            )
            continue
        key = (involvement.child_id, org_id)
        if key not in asked:
            if involvement.child_id not in facts:
                # The actor map hands in the facts it loaded (``_sharing_facts``).
                facts[involvement.child_id] = getattr(
                    involvement, "_sharing_facts", None
                ) or passing.facts(involvement.child)
            asked[key] = passing.decide(
                viewer_organisation_id=actor.organisation_id,
                child=involvement.child,
                from_organisation_id=org_id,
                to_organisation_id=actor.organisation_id,
                category=ACTOR_MAP_CATEGORY,
                purpose=None,
                facts=facts[involvement.child_id],
            )
        decided[involvement.pk] = asked[key]
    return decided


def register() -> None:
    policy.register(
        "people.involvement", decide=decide_involvement, decide_many=decide_involvements
    )
    policy.register(
        "people.child",
        decide=decide_child_by_consent,
        condition=children_by_consent_condition,
        decide_many=decide_children_by_consent,
    )
    policy.register(
        Consent, decide=decide_consent, scope=scope_consents, decide_many=decide_consents_many
    )
    from . import family

    policy.register_family(
        Consent, decide=family.decide_consent_for_family, condition=family_consents_condition
    )


def family_consents_condition(actor: Actor, action: str) -> Q | None:
    """Consents about a child the family member may see (the people app's family rule
    as a condition on the consent's child)."""
    from samverkan.people import family as people_family

    if action not in _READS:
        return None
    return Q(child_id__in=people_family.child_ids(actor))
