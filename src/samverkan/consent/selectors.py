"""Reads of consents and the actor map, filtered by the policy and audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import DateTimeField, Exists, IntegerField, OuterRef, Prefetch, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import explain as explanations
from samverkan.access import pipeline, policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import paging
from samverkan.core.errors import NotFound
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people

from . import rules, sharing
from .models import (
    Consent,
    ConsentContext,
    ConsentEvent,
    ConsentGiver,
    ConsentParty,
    Disclosure,
    EventKind,
    GiverKind,
    InformationCategory,
)
from .policies import ACTOR_MAP_CATEGORY


@dataclass
class ConsentView:
    consent: Consent
    coverage: rules.Coverage
    parties: list  # Organisation
    decision: policy.Decision
    viewer_organisation_id: int | None = None

    @property
    def status(self) -> str:
        """The badge, for the viewer's organisation (``sharing.status``)."""
        return sharing.status(self.consent, self.coverage, self.viewer_organisation_id)

    @property
    def explanation(self) -> str:
        """Whether and why the consent covers, for the viewer's organisation: who
        revoked or that a matter changed character only to those whose records hold
        it (``sharing.explain``)."""
        return sharing.explain(self.consent, self.coverage, self.viewer_organisation_id)

    @property
    def holds_details(self) -> bool:
        """The viewer's organisation registered the consent: it holds the guardians'
        signatures, revocations and notes."""
        return self.viewer_organisation_id == self.consent.registered_by_organisation_id

    @property
    def history(self) -> list[HistoryEntry]:
        """The consent's events as the viewer's organisation may read them."""
        return history_for(self.consent, self.coverage, self.viewer_organisation_id)

    @property
    def guardian_givers(self):
        return [g for g in self.consent.givers.all() if g.kind == GiverKind.GUARDIAN]


def _consents_qs(*, renewals: bool = True):
    """The consents with what a page shows of them, in a fixed number of queries: the
    parties with their organisations (one query), and after the consents are read
    (``_loaded``) the categories and purposes (one query, decision 0342) and the givers
    and events (one query, decision 0354). ``renewals=False`` for the child's panel,
    which does not show them."""
    return Consent.objects.select_related(
        "child", "registered_by_organisation", "registered_by", "renews"
    ).prefetch_related(
        Prefetch("party_links", queryset=ConsentParty.objects.select_related("organisation")),
        *(["renewals"] if renewals else []),
    )


def _loaded(consents: list[Consent]) -> list[Consent]:
    sharing.load_scope(consents)
    _load_givers_and_events(consents)
    return consents


# One row layout for both tables: (table, id, consent, kind, guardian, name or actor's
# name, given or occurred at, method or actor's organisation, revoked at, note or text).
_GIVER_COLUMNS = ("id", "consent_id", "kind", "guardian_id", "name", "given_at", "method")
_EVENT_COLUMNS = ("id", "consent_id", "kind", "occurred_at", "actor_name")


def _load_givers_and_events(consents: list[Consent]) -> None:
    """The givers and the events of ``consents`` in one query (a ``UNION ALL`` of the
    two tables in one row layout), kept as each consent's prefetched ``givers`` (in the
    model's order) and ``events`` (in the order they happened). Replaces two prefetch
    queries (decision 0354)."""
    if not consents:
        return
    ids = [c.pk for c in consents]
    givers = ConsentGiver.objects.filter(consent_id__in=ids).values_list(
        Value(0, output_field=IntegerField()),
        *_GIVER_COLUMNS,
        "revoked_at",
        "revocation_note",
    )
    events = ConsentEvent.objects.filter(consent_id__in=ids).values_list(
        Value(1, output_field=IntegerField()),
        "id",
        "consent_id",
        "kind",
        Value(None, output_field=IntegerField()),
        "actor_name",
        "occurred_at",
        "actor_organisation_name",
        Value(None, output_field=DateTimeField()),
        "text",
    )
    db = givers.db
    found: dict[tuple[int, int], list] = {}
    for (
        table,
        pk,
        consent_id,
        kind,
        guardian_id,
        name,
        at,
        method,
        revoked_at,
        text,
    ) in givers.order_by().union(events.order_by(), all=True):
        if table == 0:
            row = ConsentGiver.from_db(
                db,
                [*_GIVER_COLUMNS, "revoked_at", "revocation_note"],
                [pk, consent_id, kind, guardian_id, name, at, method, revoked_at, text],
            )
        else:
            row = ConsentEvent.from_db(
                db,
                [*_EVENT_COLUMNS, "actor_organisation_name", "text"],
                [pk, consent_id, kind, at, name, method, text],
            )
        found.setdefault((table, consent_id), []).append(row)
    for consent in consents:
        for table, relation, order in (
            (0, "givers", lambda g: (g.kind, g.name, g.pk)),
            (1, "events", lambda e: (e.occurred_at, e.pk)),
        ):
            rows = sorted(found.get((table, consent.pk), []), key=order)
            for row in rows:
                row.consent = consent  # the same instance, no query back
            qs = getattr(consent, relation).all()
            qs._result_cache = rows
            qs._prefetch_done = True
            consent._prefetched_objects_cache = getattr(consent, "_prefetched_objects_cache", {})
            consent._prefetched_objects_cache[relation] = qs


@dataclass(frozen=True)
class HistoryEntry:
    occurred_at: datetime.datetime
    label: str
    text: str
    actor_name: str


_NEUTRAL_KIND = {EventKind.CONTEXT_LAPSED: "Täcker inte längre"}


def history_for(consent: Consent, coverage: rules.Coverage, viewer_organisation_id) -> list:
    """The history of a consent for the viewer's organisation. The organisation that
    registered it sees every entry as recorded; another party sees what happened to
    the consent, not why: no revocation notes, and a lapse because a matter changed
    character only as "no longer covers" unless the matter is its own."""
    holder = viewer_organisation_id == consent.registered_by_organisation_id
    entries = []
    for event in consent.events.all():
        label, text = event.get_kind_display(), event.text
        if event.kind == EventKind.CONTEXT_LAPSED and (
            viewer_organisation_id not in coverage.changed_by
        ):
            label = _NEUTRAL_KIND[EventKind.CONTEXT_LAPSED]
            text = explanations.consent_not_valid(
                explanations.consent_label(consent.short_id), ended=True
            )
        elif event.kind == EventKind.REVOKED and not holder:
            text = ""
        entries.append(HistoryEntry(event.occurred_at, label, text, event.actor_name))
    return entries


def _view(actor, consent, facts, decision) -> ConsentView:
    return ConsentView(
        consent=consent,
        coverage=sharing.coverage(consent, facts, timezone.now()),
        parties=[p.organisation for p in consent.party_links.all()],
        decision=decision,
        viewer_organisation_id=actor.organisation_id,
    )


def consents_for_child(
    actor: Actor, child, facts: sharing.ChildFacts | None = None
) -> list[ConsentView]:
    """The child's consents that name the actor's organisation, through the disclosure
    pipeline: narrowed in SQL, decided (once per child for the child's part), one audit
    row per consent shown in one insert. A consent the actor may not read is left out
    (its existence is the child's data too). ``facts``: the child's facts already
    loaded with ``child_facts`` (the consents are then narrowed by id, not read again)."""
    if facts is None:
        candidates = _loaded(
            list(_consents_qs().filter(child=child).order_by("-created_at", "-pk"))
        )
    elif facts.visible_to is actor:
        # child_facts(child, actor) asked the policy's SQL condition beside each row.
        candidates = [c for c in facts.consents if c._visible_to_actor]
    else:
        visible = set(
            policy.visible(actor, Action.READ, Consent.objects.filter(child=child)).values_list(
                "pk", flat=True
            )
        )
        candidates = [c for c in facts.consents if c.pk in visible]
    results = pipeline.disclose(
        actor, Action.READ, candidates, subject=lambda consent: str(child.public_id)
    )
    shown = [r for r in results if r.shown]
    if not shown:
        return []
    shown_facts = sharing.ChildFacts(
        child=child,
        custodies=facts.custodies if facts else people.system_custodies(child),
        involvements=facts.involvements if facts else people.system_involvements(child),
        consents=[r.resource for r in shown],
    )
    return [_view(actor, r.resource, shown_facts, r.decision) for r in shown]


def child_facts(child, actor: Actor | None = None) -> sharing.ChildFacts:
    """Everything the consent panel shows and decides from, for one child, in a fixed
    number of queries: guardians, matters (with their organisations) and every consent
    of the child with its givers, parties, scope, events and renewals. Nothing here has
    been shown yet: pass it to ``consents_for_child`` and ``actor_map``, which decide and
    audit. With ``actor``, each consent also carries whether the policy's SQL condition
    lets the actor read it (the same ``policy.visible``, asked in the same query instead
    of a second one; decision 0315)."""
    qs = _consents_qs(renewals=False).filter(child=child).order_by("-created_at", "-pk")
    if actor is not None:
        visible = policy.visible(actor, Action.READ, Consent.objects.filter(pk=OuterRef("pk")))
        qs = qs.annotate(_visible_to_actor=Exists(visible))
    consents = _loaded(list(qs))
    for consent in consents:
        consent.child = child  # the same instance, not one copy per consent
    involvements = getattr(child, "_involvements_loaded", None)
    if involvements is None:  # not loaded with the child (people.child_get)
        involvements = people.system_involvements(child, with_organisation=True)
        # The actor's own matters are among them: the child rules decide from these
        # instead of asking again (people.policies.own_involvement).
        people.remember_involvements(child, involvements)
    return sharing.ChildFacts(
        child=child,
        custodies=people.system_custodies(child),
        involvements=involvements,
        consents=consents,
        visible_to=actor,
    )


def consent_get(actor: Actor, public_id, *, action: str = Action.READ) -> ConsentView:
    try:
        consent = _loaded([_consents_qs().get(public_id=public_id)])[0]
    except (Consent.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Samtycket finns inte eller så har du inte behörighet.")) from exc
    decision = pipeline.disclose_one(
        actor, action, consent, subject=str(consent.child.public_id)
    ).decision
    facts = sharing.ChildFacts.load(consent.child)
    return _view(actor, consent, facts, decision)


def disclosures_for(consent: Consent, *, page: int = 1) -> paging.Page:
    """What was shared under a consent, page by page, newest first (the caller has
    already been allowed to read the consent)."""
    return paging.page_of(
        Disclosure.objects.filter(consent=consent)
        .select_related("from_organisation", "to_organisation", "category", "purpose")
        .order_by("-occurred_at", "-pk"),
        page,
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


def actor_map(actor: Actor, child, facts: sharing.ChildFacts | None = None) -> list[ActorMapEntry]:
    """Which organisations were involved before, are involved now and may be involved
    later (the three questions of Socialstyrelsen's Melwin module). Each matter goes
    through the disclosure pipeline (the consent app's rule for ``people.involvement``):
    the actor's own organisation always; another organisation only where "insatser" may
    pass from it to the actor's organisation now. The page is one audit row naming every
    matter shown with its ground, and every other organisation shown is a recorded
    disclosure on the consent's timeline. ``facts``: the child's facts already loaded
    (``child_facts``)."""
    facts = facts or sharing.ChildFacts.load(child)
    now = timezone.now()
    involvements = list(facts.involvements)
    for involvement in involvements:
        involvement.child = child  # no query per matter
        involvement._sharing_facts = facts
    # The organisations came with the matters and the consents' parties (one query
    # each, in child_facts); only facts loaded otherwise need a lookup.
    organisations = {}
    for involvement in involvements:
        if "organisation" in involvement._state.fields_cache:
            organisations[involvement.organisation_id] = involvement.organisation
    for consent in facts.consents:
        for link in consent.party_links.all():
            organisations[link.organisation_id] = link.organisation
    missing = {i.organisation_id for i in involvements} - organisations.keys()
    if missing:
        organisations.update(directory.organisations_by_ids(missing))
    facts.organisation_names.update({pk: org.name for pk, org in organisations.items()})
    results = pipeline.disclose(
        actor,
        Action.READ,
        involvements,
        subject=lambda _i: str(child.public_id),
        reason="Aktörskarta",
        one_row={"view": "actor_map"},
    )
    entries: list[ActorMapEntry] = []
    passed: dict[int, policy.Decision] = {}
    for result in results:
        if not result.shown:
            continue
        involvement = result.resource
        org_id = involvement.organisation_id
        own = org_id == actor.organisation_id
        if not own:
            passed.setdefault(org_id, result.decision)
        entries.append(
            ActorMapEntry(
                organisation=organisations[org_id],
                period="before" if involvement.ended_at else "now",
                context_label=str(people.involvement_context_label(involvement.context)),
                since=involvement.started_at,
                until=involvement.ended_at,
                ground_label=str(result.ground.label),
                own=own,
            )
        )
    # "Later": parties of a consent that covers now (and names the actor's
    # organisation) that have no matter with the child yet. The consent itself is the
    # actor's to read (it names the actor's organisation): nothing of another
    # organisation's records passes.
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
    _record_actor_map(actor, child, passed, facts.consents)
    order = {"now": 0, "before": 1, "later": 2}
    entries.sort(key=lambda e: (order[e.period], not e.own, e.organisation.name))
    return entries


def _record_actor_map(actor, child, passed: dict[int, policy.Decision], consents) -> None:
    """Each other organisation whose matter the map showed, on the consent's timeline
    (the pipeline wrote the audit row)."""
    from . import services

    services.disclosures_add(
        actor=actor,
        passed=[
            services.Passed(
                child=child,
                decision=decision,
                from_organisation_id=org_id,
                category=ACTOR_MAP_CATEGORY,
                purpose=None,
                what="Aktörskarta: verksamhetens kontakt med barnet",
            )
            for org_id, decision in passed.items()
        ],
        consents=consents,
    )


def own_custodies(actor: Actor, child) -> list:
    """The guardians as the actor's own organisation recorded them, for a new consent.
    Only for an actor who may change the child (an open matter of its own); everybody
    else gets none."""
    if not policy.decide(actor, Action.CHANGE, child):
        return []
    return people.system_custodies(child, actor.organisation_id)


def consent_custodies(view: ConsentView) -> list:
    """The guardians of a consent as the organisation that registered it recorded them
    (whose signatures count), for a consent the viewer has been allowed to read
    (``consent_get`` decided and audited the read)."""
    if not view.decision.allowed:
        return []
    consent = view.consent
    return people.system_custodies(consent.child, consent.registered_by_organisation_id)


def may_change(actor: Actor, view: ConsentView) -> bool:
    """Whether the actor may sign, revoke or otherwise change the consent (the policy's
    rule for consents, as the services will decide)."""
    return bool(policy.decide(actor, Action.CHANGE, view.consent))


def may_register_for(actor: Actor, child) -> bool:
    """Whether the actor may register (or renew) a consent for ``child``: a function
    that may register, in an organisation with an open matter about the child. Links
    to the consent form are shown only then; the form itself refuses everybody else."""
    return actor.has_perm("people.register") and bool(policy.decide(actor, Action.CHANGE, child))


def context_for_new_consent(actor: Actor, child, renews: ConsentView | None = None) -> str:
    """The context a new consent is given in, from the matter as it is now: a report or
    an investigation (the actor's own open matter, or the one that made the renewed
    consent lapse) gives "report_investigation", otherwise "voluntary"."""
    if (
        renews is not None
        and renews.coverage.context_lapsed
        and actor.organisation_id in renews.coverage.changed_by
    ):
        # Only the organisation whose matter changed character may be told so; another
        # party's renewal starts from its own matter like any new consent.
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


def category_names() -> dict[str, str]:
    """The information categories' names by code (stored in Swedish; a template
    translates them with ``{% translate %}``)."""
    return dict(InformationCategory.objects.values_list("code", "name"))
