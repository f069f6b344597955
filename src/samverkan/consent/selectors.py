"""Reads of consents and the actor map, filtered by the policy and audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import grounds, policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people

from . import policies, rules, sharing
from .models import Consent, ConsentContext, ConsentEvent, Disclosure, EventKind, GiverKind

ACTOR_MAP_CATEGORY = "insatser"


@dataclass
class ConsentView:
    consent: Consent
    coverage: rules.Coverage
    parties: list  # Organisation
    decision: policy.Decision

    @property
    def status(self) -> str:
        if self.coverage.covers:
            return _("gäller")
        if any(g.revoked_at for g in self.consent.givers.all()):
            return _("återkallat")
        if self.consent.valid_until < timezone.localdate():
            return _("utgånget")
        if not self.consent.givers.all():
            return _("väntar på underskrift")
        return _("gäller inte")

    @property
    def guardian_givers(self):
        return [g for g in self.consent.givers.all() if g.kind == GiverKind.GUARDIAN]


def _consents_qs():
    return Consent.objects.select_related(
        "child", "registered_by_organisation", "registered_by", "renews"
    ).prefetch_related(
        "givers",
        Prefetch("party_links__organisation"),
        "categories",
        "purposes",
        Prefetch("events", queryset=ConsentEvent.objects.order_by("occurred_at", "pk")),
        "renewals",
    )


def _view(actor, consent, facts, decision) -> ConsentView:
    return ConsentView(
        consent=consent,
        coverage=sharing.coverage(consent, facts, timezone.now()),
        parties=[p.organisation for p in consent.party_links.all()],
        decision=decision,
    )


def consents_for_child(actor: Actor, child) -> list[ConsentView]:
    """The child's consents that name the actor's organisation. Each one shown is an
    audited read."""
    consents = list(
        policy.visible(actor, Action.READ, _consents_qs().filter(child=child)).order_by(
            "-created_at"
        )
    )
    if not consents:
        return []
    facts = sharing.ChildFacts(
        child=child,
        custodies=people.system_custodies(child),
        involvements=people.system_involvements(child),
        consents=consents,
    )
    views = []
    entries = []
    decisions = policies.decide_consents_of_child(actor, Action.READ, child, consents)
    for consent, decision in zip(consents, decisions, strict=True):
        if not decision:
            continue
        views.append(_view(actor, consent, facts, decision))
        entries.append(
            {
                "actor": actor,
                "action": Action.READ,
                "resource_type": "consent.consent",
                "resource_id": str(consent.public_id),
                "subject_id": str(child.public_id),
                "ground": decision.ground,
            }
        )
    audit.events_record(entries)
    return views


def consent_get(actor: Actor, public_id, *, action: str = Action.READ) -> ConsentView:
    try:
        consent = _consents_qs().get(public_id=public_id)
    except (Consent.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Samtycket finns inte eller så har du inte behörighet.")) from exc
    decision = policy.authorize(actor, action, consent, subject_id=str(consent.child.public_id))
    facts = sharing.ChildFacts.load(consent.child)
    return _view(actor, consent, facts, decision)


def disclosures_for(consent: Consent) -> list[Disclosure]:
    """What was shared under a consent (the caller has already been allowed to read
    the consent)."""
    return list(
        Disclosure.objects.filter(consent=consent)
        .select_related("from_organisation", "to_organisation", "category", "purpose")
        .order_by("-occurred_at")[:200]
    )


@dataclass
class ActorMapEntry:
    organisation: object
    period: str  # "before" | "now" | "later"
    context_label: str
    since: object
    until: object
    ground_label: str
    own: bool


PERIOD_LABELS = {
    "before": "Tidigare",
    "now": "Nu",
    "later": "Kan bli aktuell",
}


def actor_map(actor: Actor, child) -> list[ActorMapEntry]:
    """Which organisations were involved before, are involved now and may be involved
    later (the three questions of Socialstyrelsen's Melwin module). The actor's own
    organisation always; others only where a ground covers "insatser" passing to the
    actor's organisation now. Every other organisation shown is a recorded disclosure.
    """
    facts = sharing.ChildFacts.load(child)
    now = timezone.now()
    involvements = facts.involvements
    org_ids = {i.organisation_id for i in involvements}
    for consent in facts.consents:
        org_ids |= {p.organisation_id for p in consent.party_links.all()}
    organisations = directory.organisations_by_ids(org_ids)
    entries: list[ActorMapEntry] = []
    decisions: dict[int, policy.Decision] = {}
    for involvement in involvements:
        org_id = involvement.organisation_id
        own = org_id == actor.organisation_id
        if own:
            ground_label = str(grounds.own_matter("", actor.organisation_name).label)
        else:
            if org_id not in decisions:
                decisions[org_id] = sharing.decide_sharing(
                    child=child,
                    from_organisation_id=org_id,
                    to_organisation_id=actor.organisation_id,
                    category=ACTOR_MAP_CATEGORY,
                    purpose=None,
                    at=now,
                    facts=facts,
                )
            if not decisions[org_id].allowed:
                continue
            ground_label = str(decisions[org_id].ground.label)
        entries.append(
            ActorMapEntry(
                organisation=organisations[org_id],
                period="before" if involvement.ended_at else "now",
                context_label=str(people.involvement_context_label(involvement.context)),
                since=involvement.started_at,
                until=involvement.ended_at,
                ground_label=ground_label,
                own=own,
            )
        )
    # "Later": parties of a consent that covers now (and names the actor's
    # organisation) that have no matter with the child yet.
    involved = {i.organisation_id for i in involvements}
    for consent in facts.consents:
        party_ids = {p.organisation_id for p in consent.party_links.all()}
        if actor.organisation_id not in party_ids:
            continue
        if not sharing.coverage(consent, facts, now).covers:
            continue
        for org_id in sorted(party_ids - involved - {actor.organisation_id}):
            if any(e.organisation.pk == org_id and e.period == "later" for e in entries):
                continue
            entries.append(
                ActorMapEntry(
                    organisation=organisations[org_id],
                    period="later",
                    context_label=_("Part i samtycket"),
                    since=None,
                    until=None,
                    ground_label=str(sharing.consent_ground(consent).label),
                    own=False,
                )
            )
    _record_actor_map(actor, child, decisions)
    order = {"now": 0, "before": 1, "later": 2}
    entries.sort(key=lambda e: (order[e.period], not e.own, e.organisation.name))
    return entries


def _record_actor_map(actor, child, decisions) -> None:
    from . import services

    for org_id, decision in decisions.items():
        if decision.allowed:
            services.disclosure_record(
                actor=actor,
                child=child,
                decision=decision,
                from_organisation_id=org_id,
                category=ACTOR_MAP_CATEGORY,
                purpose=None,
                what="Aktörskarta: verksamhetens kontakt med barnet",
                resource_type="people.involvement",
                resource_id=f"{child.public_id}:{org_id}",
            )


def needing_attention(actor: Actor) -> list[ConsentEvent]:
    """Notices for the actor's organisation: consents that soon expire, have expired or
    must be renewed because a matter changed character (recorded by the sweep)."""
    if not actor.has_perm("people.view"):
        return []
    since = timezone.now() - datetime.timedelta(days=60)
    return list(
        ConsentEvent.objects.filter(
            kind__in=[EventKind.EXPIRY_REMINDER, EventKind.EXPIRED, EventKind.CONTEXT_LAPSED],
            occurred_at__gte=since,
            consent__party_links__organisation_id=actor.organisation_id,
            consent__renewals__isnull=True,
        )
        .select_related("consent__child")
        .distinct()
        .order_by("-occurred_at")[:50]
    )


def may_register_for(actor: Actor, child) -> bool:
    """Whether the actor may register (or renew) a consent for ``child``: a function
    that may register, in an organisation with an open matter about the child. Links
    to the consent form are shown only then; the form itself refuses everybody else."""
    return actor.has_perm("people.register") and bool(policy.decide(actor, Action.CHANGE, child))


def context_for_new_consent(actor: Actor, child, renews: ConsentView | None = None) -> str:
    """The context a new consent is given in, from the matter as it is now: a report or
    an investigation (the actor's own open matter, or the one that made the renewed
    consent lapse) gives "report_investigation", otherwise "voluntary"."""
    if renews is not None and renews.coverage.context_lapsed:
        return ConsentContext.REPORT_INVESTIGATION
    own = [
        i
        for i in people.system_involvements(child)
        if i.organisation_id == actor.organisation_id and i.ended_at is None
    ]
    if any(i.context in rules.REPORT_OR_INVESTIGATION for i in own):
        return ConsentContext.REPORT_INVESTIGATION
    return ConsentContext.VOLUNTARY


def renewal_initial(renews: ConsentView) -> dict:
    """What a renewal form starts from: the scope of the consent it renews (parties,
    categories, purposes, what it must not cover, its form and the child's views),
    never who gave it — the signatures of a new consent are always given anew."""
    consent = renews.consent
    return {
        "parties": [p.organisation_id for p in consent.party_links.all()],
        "categories": [c.code for c in consent.categories.all()],
        "purposes": [p.code for p in consent.purposes.all()],
        "exclusions": consent.exclusions,
        "form": consent.form,
        "child_views": consent.child_views,
    }
