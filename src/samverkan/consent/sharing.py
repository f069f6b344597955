"""The one question the whole product asks: may information of category C about child
X pass from organisation A to organisation B for purpose P now — and on which ground?

Every cross-organisation read (plans, meetings, feedback, the actor map) calls
``decide_sharing`` at read time. The answer is an access Decision whose ground goes
into the audit row; a denial says exactly what is missing, in Swedish.

Grounds, in order: the same organisation (no disclosure at all); a named legal path
registered by the feature that owns it (e.g. the duty to report, the feedback
whitelist); a consent that covers now; a recorded judgement under a ground that needs
one (``legal.paths``). Every ground is a ground of the catalogue
(``legal/data/grounds.yaml``): a path or a consent applies only when the catalogue says
its ground is in force on the day asked, goes in this direction (the police only by a
ground that names it), covers the category and the child's age. The ground's catalogue
version goes with the decision into the audit row and the disclosure record.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import IntegerField, Value
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from samverkan.access import explain as explanations
from samverkan.access import policy
from samverkan.audit.services import Ground
from samverkan.core.i18n import lazy_format, lazy_join
from samverkan.directory import selectors as directory
from samverkan.legal import catalogue as legal_catalogue
from samverkan.legal import grounds as legal_grounds
from samverkan.legal import organisations as legal_organisations
from samverkan.legal import paths as legal_paths
from samverkan.people import identity
from samverkan.people import selectors as people

from . import grants, rules
from .models import Consent, InformationCategory, Purpose

CONSENT = "consent"
SAME_ORGANISATION = "same_organisation"


@dataclass(frozen=True)
class Question:
    child: object  # people.Child
    from_organisation_id: int
    to_organisation_id: int
    category: str  # InformationCategory.code
    purpose: str | None  # Purpose.code; None = any purpose the consent names
    at: datetime.datetime


LegalPath = Callable[[Question], policy.Decision | None]
_legal_paths: list[LegalPath] = []


def register_legal_path(path: LegalPath) -> None:
    """A feature adds a named path the law opens (it returns an allowing Decision
    whose Ground's code is a ground of the catalogue, or None when it does not apply)."""
    if path not in _legal_paths:
        _legal_paths.append(path)


def thresholds() -> rules.Thresholds:
    conf = settings.SAMVERKAN
    return rules.Thresholds(
        child_views_age=conf["CONSENT_CHILD_VIEWS_AGE"],
        child_own_age=conf["CONSENT_CHILD_OWN_AGE"],
    )


def consent_ground(consent: Consent, purpose_name: str | None = None) -> Ground:
    label = explanations.consent_label(consent.short_id)
    if purpose_name:
        label = lazy_format(
            gettext_lazy("%(label)s (%(purpose)s)"), label=label, purpose=purpose_name
        )
    return Ground(
        code=CONSENT,
        label=label,
        reference=str(consent.public_id),
        version=legal_catalogue.load().version,
    )


def consents_for_child(child) -> list[Consent]:
    return list(
        Consent.objects.filter(child=child)
        .prefetch_related("givers", "party_links", "categories", "purposes")
        # Newest first, ties by id: the same order the sharing grants name their
        # ground in (grants.covering*), so both paths give the same ground.
        .order_by("-created_at", "-pk")
    )


@dataclass
class ChildFacts:
    """What the rules need about a child, loaded once per decision batch."""

    child: object
    custodies: list
    involvements: list
    consents: list[Consent]
    # Organisation names for refusals, filled as they are read (or by a caller that
    # has the organisations already): one lookup per organisation per batch.
    organisation_names: dict[int, str] = field(default_factory=dict)
    # The actor whose read condition each consent carries (``_visible_to_actor``), when
    # the consents were loaded with it (``selectors.child_facts``).
    visible_to: object = None

    @classmethod
    def load_many(cls, children, consents: list[Consent]) -> dict[int, ChildFacts]:
        """Facts for several children in a fixed number of queries."""
        children = list(children)
        custodies = people.system_custodies_many(children)
        involvements = people.system_involvements_many(children)
        by_child: dict[int, list[Consent]] = {}
        for consent in consents:
            by_child.setdefault(consent.child_id, []).append(consent)
        return {
            child.pk: cls(
                child=child,
                custodies=custodies.get(child.pk, []),
                involvements=involvements.get(child.pk, []),
                consents=by_child.get(child.pk, []),
            )
            for child in children
        }

    @classmethod
    def load(cls, child) -> ChildFacts:
        return cls(
            child=child,
            custodies=people.system_custodies(child),
            involvements=people.system_involvements(child),
            consents=consents_for_child(child),
        )


def coverage(consent: Consent, facts: ChildFacts, at: datetime.datetime) -> rules.Coverage:
    """Whether ``consent`` covers at ``at``. Custody is checked against the record of
    the organisation that registered the consent (each organisation keeps its own)."""
    return rules.evaluate(
        consent=consent,
        givers=list(consent.givers.all()),
        custodies=[
            c
            for c in facts.custodies
            if c.guardian.organisation_id == consent.registered_by_organisation_id
        ],
        involvements=facts.involvements,
        party_ids={p.organisation_id for p in consent.party_links.all()},
        child=facts.child,
        at=at,
        thresholds=thresholds(),
    )


def explain(consent: Consent, result: rules.Coverage, viewer_organisation_id: int | None) -> str:
    """What the viewer's organisation may be told about whether ``consent`` covers: the
    full account only to the organisations whose records hold its facts (who revoked
    and which guardian is missing: the organisation that registered the consent; that
    a matter changed character: the organisation whose matter it is), a neutral one to
    every other party. Every coverage text shown to anybody goes through here."""
    if result.state in rules.PUBLIC_TO_PARTIES:
        holders = None
    elif result.state == rules.State.CONTEXT_LAPSED:
        holders = result.changed_by
    else:
        holders = {consent.registered_by_organisation_id}
    ended = result.needs_renewal or result.state == rules.State.REVOKED
    return explanations.for_viewer(
        viewer_organisation_id,
        detail=result.full_account,
        holders=holders,
        neutral=explanations.consent_not_valid(
            explanations.consent_label(consent.short_id), ended=ended
        ),
    )


def status(consent: Consent, result: rules.Coverage, viewer_organisation_id: int | None) -> str:
    """The short status of a consent for the viewer's organisation (a badge)."""
    if result.covers:
        return gettext_lazy("gäller")
    if result.state == rules.State.EXPIRED:
        return gettext_lazy("utgånget")
    detail = {
        rules.State.REVOKED: gettext_lazy("återkallat"),
        rules.State.CONTEXT_LAPSED: gettext_lazy("måste förnyas"),
    }.get(result.state, gettext_lazy("gäller inte"))
    if result.state == rules.State.GUARDIAN_MISSING and not any(
        g.given_at for g in consent.givers.all()
    ):
        detail = gettext_lazy("väntar på underskrift")
    return explanations.for_viewer(
        viewer_organisation_id,
        detail=detail,
        holders=result.changed_by
        if result.state == rules.State.CONTEXT_LAPSED
        else {consent.registered_by_organisation_id},
        neutral=gettext_lazy("gäller inte"),
    )


_vocabularies: dict[type, dict[str, object]] = {}


def vocabulary(model, code: str):
    """Categories and purposes by code, cached per process: they are few and change
    rarely. A code not in the cache reloads it, so a newly added one is found at once;
    renamed ones show their new name after a restart."""
    cache = _vocabularies.get(model)
    if cache is None or code not in cache:
        cache = {obj.code: obj for obj in model.objects.all()}
        _vocabularies[model] = cache
    return cache.get(code)


def _vocabulary_by_pk(model, pk: int):
    cache = _vocabularies.get(model)
    if cache is None or pk not in {obj.pk for obj in cache.values()}:
        cache = {obj.code: obj for obj in model.objects.all()}
        _vocabularies[model] = cache
    return next((obj for obj in cache.values() if obj.pk == pk), None)


def load_scope(consents) -> None:
    """The categories and purposes of ``consents`` in one query (the two through tables
    as one ``UNION ALL`` of ids), the rows themselves from the per-process vocabulary
    (decision 0342), kept as each consent's prefetched ``categories`` and ``purposes``
    in the models' order. Replaces two prefetch queries."""
    consents = [c for c in consents if c is not None]
    if not consents:
        return
    ids = [c.pk for c in consents]
    categories = Consent.categories.through.objects.filter(consent_id__in=ids).values_list(
        Value(0, output_field=IntegerField()), "consent_id", "informationcategory_id"
    )
    purposes = Consent.purposes.through.objects.filter(consent_id__in=ids).values_list(
        Value(1, output_field=IntegerField()), "consent_id", "purpose_id"
    )
    found: dict[tuple[int, int], list] = {}
    models = (InformationCategory, Purpose)
    for kind, consent_id, pk in categories.union(purposes, all=True):
        obj = _vocabulary_by_pk(models[kind], pk)
        if obj is not None:
            found.setdefault((kind, consent_id), []).append(obj)
    for consent in consents:
        for kind, name in ((0, "categories"), (1, "purposes")):
            rows = sorted(found.get((kind, consent.pk), []), key=lambda o: (o.sort_order, o.name))
            qs = getattr(consent, name).all()
            qs._result_cache = rows
            qs._prefetch_done = True
            consent._prefetched_objects_cache = getattr(consent, "_prefetched_objects_cache", {})
            consent._prefetched_objects_cache[name] = qs


def _name(organisation_id: int, names: dict[int, str]) -> str:
    if organisation_id not in names:
        names[organisation_id] = directory.organisation_name(organisation_id)
    return names[organisation_id]


# An organisation's name in a refusal, looked up when the refusal is turned into text
# (a caller that only asks whether sharing is allowed never pays for it), once per
# batch of decisions that share their facts (``ChildFacts.organisation_names``).
_org_name = lazy(_name, str)


def _catalogue_check(question: Question):
    """The catalogue's verdict on a ground for this question (in force on the day asked,
    direction, category, the child's age, authorities), as a function of the ground's code."""
    kinds = legal_organisations.kinds(question.from_organisation_id, question.to_organisation_id)
    source, target = kinds[question.from_organisation_id], kinds[question.to_organisation_id]
    age = identity.age_on(question.child.date_of_birth, timezone.localtime(question.at).date())
    current = legal_catalogue.load()

    def permits(code: str) -> legal_catalogue.Verdict:
        return current.permits(
            code,
            from_type=source.org_type,
            to_type=target.org_type,
            category=question.category,
            at=timezone.localtime(question.at),
            age=age,
            from_kind=source.principal_kind,
            to_kind=target.principal_kind,
        )

    return permits


def _recorded_or(question: Question, permits, otherwise):
    """A recorded judgement (``legal.paths``) whose ground the catalogue still permits,
    else ``otherwise``."""
    decision = legal_paths.recorded_decision(question)
    if decision is not None and permits(decision.ground.code).allowed:
        return decision
    return otherwise


def decide_sharing(
    *,
    child,
    from_organisation_id: int,
    to_organisation_id: int,
    category: str,
    purpose: str | None,
    at: datetime.datetime | None = None,
    facts: ChildFacts | None = None,
    viewer_organisation_id: int | None = None,
) -> policy.Decision:
    """``viewer_organisation_id``: whom a refusal is explained to (by default the
    receiving organisation); see ``explain``."""
    at = at or timezone.now()
    viewer = viewer_organisation_id or to_organisation_id
    if from_organisation_id == to_organisation_id:
        return policy.allow(
            Ground(
                code=SAME_ORGANISATION,
                label=gettext_lazy("Inom samma verksamhet (inget utlämnande)"),
            )
        )
    question = Question(child, from_organisation_id, to_organisation_id, category, purpose, at)
    permits = _catalogue_check(question)
    for path in _legal_paths:
        decision = path(question)
        if decision is not None and decision.allowed and permits(decision.ground.code).allowed:
            return policy.allow(legal_grounds.versioned(decision.ground), decision.reason)
    by_consent = permits(CONSENT)
    if not by_consent.allowed:
        return _recorded_or(question, permits, policy.deny(by_consent.reason))
    category_obj = vocabulary(InformationCategory, category)
    purpose_obj = vocabulary(Purpose, purpose) if purpose else None
    if category_obj is None or (purpose and purpose_obj is None):
        return policy.deny(gettext_lazy("Okänd informationskategori eller okänt syfte."))
    if facts is None:
        # One indexed lookup in the sharing grants (decision 0090); the rules engine
        # below runs only to explain a refusal.
        consent = grants.covering_sharing(
            child_id=child.pk,
            from_organisation_id=from_organisation_id,
            to_organisation_id=to_organisation_id,
            category_id=category_obj.pk,
            purpose_id=purpose_obj.pk if purpose_obj else None,
            at=at,
        )
        if consent is not None:
            return policy.allow(consent_ground(consent, purpose_obj.name if purpose_obj else None))
        recorded = _recorded_or(question, permits, None)
        if recorded is not None:
            return recorded
        facts = ChildFacts.load(child)
    candidates = [
        c
        for c in facts.consents
        if {from_organisation_id, to_organisation_id}
        <= {p.organisation_id for p in c.party_links.all()}
    ]
    reasons = []
    for consent in candidates:
        result = coverage(consent, facts, at)
        if not result.covers:
            reasons.append(explain(consent, result, viewer))
            continue
        if category_obj.pk not in {cat.pk for cat in consent.categories.all()}:
            reasons.append(
                lazy_format(
                    gettext_lazy("Samtycke %(short_id)s omfattar inte kategorin %(name)s."),
                    short_id=consent.short_id,
                    name=category_obj.name,
                )
            )
            continue
        if purpose_obj and purpose_obj.pk not in {p.pk for p in consent.purposes.all()}:
            reasons.append(
                lazy_format(
                    gettext_lazy("Samtycke %(short_id)s omfattar inte syftet %(name)s."),
                    short_id=consent.short_id,
                    name=purpose_obj.name,
                )
            )
            continue
        return policy.allow(
            consent_ground(consent, purpose_obj.name if purpose_obj else None),
            result.full_account,
        )
    recorded = _recorded_or(question, permits, None)
    if recorded is not None:
        return recorded
    from_name = _org_name(from_organisation_id, facts.organisation_names)
    to_name = _org_name(to_organisation_id, facts.organisation_names)
    if purpose_obj:
        scope = lazy_format(
            gettext_lazy("kategori %(category)s, syfte %(purpose)s"),
            category=category_obj.name,
            purpose=purpose_obj.name,
        )
    else:
        scope = lazy_format(gettext_lazy("kategori %(category)s"), category=category_obj.name)
    if not reasons:
        return policy.deny(
            lazy_format(
                gettext_lazy(
                    "Samtycke saknas för att lämna uppgifter från %(from_name)s till "
                    "%(to_name)s (%(scope)s). %(next)s"
                ),
                from_name=from_name,
                to_name=to_name,
                scope=scope,
                next=explanations.ASK_FIRST_CONSENT,
            )
        )
    return policy.deny(
        lazy_format(
            gettext_lazy(
                "Uppgifter får inte lämnas från %(from_name)s till %(to_name)s (%(scope)s): "
                "%(reasons)s"
            ),
            from_name=from_name,
            to_name=to_name,
            scope=scope,
            reasons=lazy_join(" ", reasons),
        )
    )
