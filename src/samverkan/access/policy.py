"""The policy decision point. Every read or write of personal data asks ``decide``;
every list is narrowed by ``visible``. Apps register their rules in their
``policies.py`` (loaded from ``AppConfig.ready``). Anything without a rule is denied.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, Q, QuerySet
from django.utils.translation import gettext_lazy

from samverkan.audit import services as audit
from samverkan.audit.models import Action, Outcome
from samverkan.audit.services import Ground
from samverkan.core.errors import NotFound
from samverkan.core.i18n import lazy_join

from .actor import Actor


@dataclass(frozen=True)
class Decision:
    allowed: bool
    ground: Ground | None
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def deny(reason: str) -> Decision:
    return Decision(False, None, reason)


def allow(ground: Ground, reason: str = "") -> Decision:
    return Decision(True, ground, reason or ground.label)


INSUFFICIENT_ASSURANCE = gettext_lazy(
    "Din inloggning har för låg tillitsnivå för att visa personuppgifter. Logga in med en "
    "e-legitimation med högre tillitsnivå (t.ex. SITHS-kort eller BankID)."
)


PolicyFn = Callable[[Actor, str, object], Decision]
ScopeFn = Callable[[Actor, str, QuerySet], QuerySet]
# A condition on the model's rows (a Q, typically an EXISTS on an indexed table) that
# says which rows the rule allows; None when it allows none.
ConditionFn = Callable[[Actor, str], Q | None]

# Whether a condition or scope could allow the actor any row at all, from the actor and
# the action alone (no query built): see ``applies_when``.
AppliesFn = Callable[[Actor, str], bool]

_policies: dict[str, list[PolicyFn]] = {}
_scopes: dict[str, list[ScopeFn]] = {}
_conditions: dict[str, list[ConditionFn]] = {}
# Decide for many records at once (e.g. one query for a page of a list): returns the
# allowing decisions by primary key; records it leaves out are decided one by one.
ManyFn = Callable[[Actor, str, list], dict]
_many: dict[str, list[ManyFn]] = {}
# Rules for family members in the portal (decision 0200): a separate registry, so that
# no staff rule ever decides for a family member and nothing is open to them unless a
# family rule says so.
_family_policies: dict[str, list[PolicyFn]] = {}
_family_conditions: dict[str, list[ConditionFn]] = {}


def _key(model) -> str:
    """Rules are keyed by the model label ("people.child"), so an app can add a rule
    for another app's records without importing its models."""
    return model if isinstance(model, str) else model._meta.label_lower


def register(
    model,
    *,
    decide: PolicyFn,
    scope: ScopeFn | None = None,
    condition: ConditionFn | None = None,
    decide_many: ManyFn | None = None,
) -> None:
    """Add a rule for ``model``. Several apps may add rules for the same model (e.g.
    the people app allows reads on the organisation's own matter, the consent app on a
    valid consent); an action is allowed when any rule allows it.

    For lists, give either ``condition`` (preferred: a ``Q`` the database evaluates
    per row, so that several rules combine into one query with ``OR``) or ``scope``
    (a function narrowing a queryset)."""
    key = _key(model)
    if decide not in _policies.setdefault(key, []):
        _policies[key].append(decide)
    if scope is not None and scope not in _scopes.setdefault(key, []):
        _scopes[key].append(scope)
    if condition is not None and condition not in _conditions.setdefault(key, []):
        _conditions[key].append(condition)
    if decide_many is not None and decide_many not in _many.setdefault(key, []):
        _many[key].append(decide_many)


def register_family(model, *, decide: PolicyFn, condition: ConditionFn | None = None) -> None:
    """Add a rule that decides for family members (``actor.is_family``) in the portal.
    Staff rules (``register``) are never asked about a family member, and family rules
    never about staff."""
    key = _key(model)
    if decide not in _family_policies.setdefault(key, []):
        _family_policies[key].append(decide)
    if condition is not None and condition not in _family_conditions.setdefault(key, []):
        _family_conditions[key].append(condition)


def _may_decide(actor: Actor) -> bool:
    return actor.is_authenticated and (actor.has_membership or actor.is_family)


def decide_each(actor: Actor, action: str, resources: list) -> dict:
    """``decide`` for several records of one model, by primary key: rules registered
    with ``decide_many`` answer in bulk; what they do not allow is decided one by one
    (so the result, denials and their reasons included, is that of ``decide``)."""
    result: dict = {}
    if resources and actor.is_authenticated and actor.has_membership:
        for many in _many.get(_key(type(resources[0])), []):
            pending = [r for r in resources if r.pk not in result]
            if not pending:
                break
            result.update(many(actor, action, pending))
    for resource in resources:
        if resource.pk not in result:
            result[resource.pk] = decide(actor, action, resource)
    return result


def decide(actor: Actor, action: str, resource: object) -> Decision:
    if not actor.is_authenticated:
        return deny(gettext_lazy("Du måste logga in."))
    if not actor.has_membership and not actor.is_family:
        return deny(gettext_lazy("Du har ingen aktiv roll i någon verksamhet."))
    if not actor.assurance_sufficient:
        return deny(INSUFFICIENT_ASSURANCE)
    registry = _family_policies if actor.is_family else _policies
    rules = registry.get(_key(type(resource)))
    if not rules:
        return deny(gettext_lazy("Ingen regel tillåter detta."))
    denials = []
    for rule in rules:
        decision = rule(actor, action, resource)
        if decision.allowed:
            return decision
        denials.append(decision.reason)
    # The first rule's reason is the primary one (the owning app's); others add why
    # their grounds do not apply either.
    return deny(lazy_join(" ", dict.fromkeys(r for r in denials if r)))


_REMEMBERED = "_samverkan_decisions"


def remember(actor: Actor, action: str, resource, decision: Decision) -> None:
    """Keep a decision just taken on this very instance of ``resource``, so that a rule
    that needs the same decision again while the same page is put together (e.g. whether
    the actor may read the child of each consent on the child's own page) does not ask
    the database twice. Kept on the instance only: the next request loads a new one."""
    resource.__dict__.setdefault(_REMEMBERED, {})[(actor, action)] = decision


def decide_once(actor: Actor, action: str, resource) -> Decision:
    """``decide``, or the decision ``remember``ed on this instance for the same actor and
    action."""
    found = resource.__dict__.get(_REMEMBERED, {}).get((actor, action))
    return found if found is not None else decide(actor, action, resource)


def visible(actor: Actor, action: str, queryset: QuerySet, *, probe: bool = False) -> QuerySet:
    """Narrow a queryset to the rows ``actor`` may ``action``: the union of what each
    registered rule allows. Deny by default.

    ``probe`` (a query that narrows its rows to a few candidates first, e.g. a name
    search): the rules' ``EXISTS`` conditions are asked as one ``EXISTS`` over their
    ``UNION ALL``, which PostgreSQL cannot turn into a hash of every row the rules
    allow; it probes each candidate row on the rules' indexes instead (decision 0354).
    The same rows as without it."""
    if not _may_decide(actor) or not actor.assurance_sufficient:
        return queryset.none()
    key = _key(queryset.model)
    scopes = [] if actor.is_family else _scopes.get(key, [])
    conditions = (_family_conditions if actor.is_family else _conditions).get(key, [])
    if len(scopes) == 1 and not conditions:
        return scopes[0](actor, action, queryset)
    allowed = [q for q in (fn(actor, action) for fn in conditions) if q is not None]
    if probe and not scopes and len(allowed) > 1:
        combined = _exists_union(allowed)
        if combined is not None:
            return queryset.filter(combined)
    allowed += [
        Q(pk__in=scope(actor, action, queryset.model.objects.all()).values("pk"))
        for scope in scopes
    ]
    if not allowed:
        return queryset.none()
    condition = allowed[0]
    for other in allowed[1:]:
        condition |= other
    return queryset.filter(condition)


def _exists_union(conditions: list[Q]) -> Exists | None:
    """``EXISTS (a) OR EXISTS (b) …`` as ``EXISTS (a UNION ALL b …)``: the same rows.
    None when a condition is anything but one plain ``EXISTS``."""
    subqueries = []
    for condition in conditions:
        exists = condition.children[0] if len(condition.children) == 1 else None
        if condition.negated or not isinstance(exists, Exists):
            return None
        inner = exists.query.clone()
        inner.clear_ordering(force=True)
        inner.clear_limits()
        subqueries.append(QuerySet(model=inner.model, query=inner))
    return Exists(subqueries[0].union(*subqueries[1:], all=True))


def applies_when(applies: AppliesFn):
    """Give a condition or a scope its cheap answer to "could this rule allow the actor
    any row?" (decision 0372). The predicate is the rule's own guard: where it says no,
    the decorated condition gives None and the scope ``queryset.none()`` without running
    the body, so lists (``visible``) and ``could_allow`` read the same predicate and
    cannot tell different stories. Where it says yes, the body must give rows: a
    condition that is not None, a scope that is not ``.none()`` (checked for every rule
    over every actor shape by ``access/tests/test_could_allow.py``)."""

    def wrap(fn):
        @functools.wraps(fn)
        def rule(actor: Actor, action: str, *queryset):
            if not applies(actor, action):
                return queryset[0].none() if queryset else None
            return fn(actor, action, *queryset)

        rule.applies = applies
        return rule

    return wrap


def condition_could_allow(fn: ConditionFn, actor: Actor, action: str) -> bool:
    """Whether the condition gives rows for the actor: by its declared predicate, else
    by building it."""
    applies = getattr(fn, "applies", None)
    if applies is not None:
        return applies(actor, action)
    return fn(actor, action) is not None


def scope_could_allow(fn: ScopeFn, actor: Actor, action: str, key: str) -> bool:
    """Whether the scope could give rows for the actor: by its declared predicate, else
    by building it over every row of the model and asking whether it is ``.none()``."""
    applies = getattr(fn, "applies", None)
    if applies is not None:
        return applies(actor, action)
    from django.apps import apps

    everything = apps.get_model(key).objects.all()
    return not fn(actor, action, everything).query.is_empty()


def could_allow(actor: Actor, action: str, model) -> bool:
    """Whether any rule registered for ``model`` could allow ``actor`` to ``action``
    some record of it: a condition that is not None, or a scope that is not empty.
    (For a page that lists such records: show it, or answer as if it did not exist.)
    A rule that declares its predicate (``applies_when``) answers without a query being
    built."""
    if not _may_decide(actor) or not actor.assurance_sufficient:
        return False
    key = _key(model)
    conditions = (_family_conditions if actor.is_family else _conditions).get(key, [])
    if any(condition_could_allow(fn, actor, action) for fn in conditions):
        return True
    scopes = [] if actor.is_family else _scopes.get(key, [])
    return any(scope_could_allow(fn, actor, action, key) for fn in scopes)


def record(
    actor: Actor,
    action: str,
    resource,
    decision: Decision,
    *,
    subject_id: str = "",
    details: dict | None = None,
) -> None:
    """Write the audit row for a decision already taken (allowed or denied)."""
    audit.event_record(
        actor=actor if actor.is_authenticated else None,
        action=action,
        resource_type=resource._meta.label_lower,
        resource_id=str(getattr(resource, "public_id", resource.pk)),
        subject_id=subject_id,
        ground=decision.ground,
        outcome=Outcome.ALLOWED if decision.allowed else Outcome.DENIED,
        reason="" if decision.allowed else decision.reason,
        details=details,
    )


def authorize(
    actor: Actor,
    action: str,
    resource,
    *,
    subject_id: str = "",
    details: dict | None = None,
    not_found: bool = True,
) -> Decision:
    """Decide, write the audit row (allowed or denied, with the ground), and raise
    ``NotFound`` on denial so that the caller cannot tell "forbidden" from "absent"."""
    decision = decide(actor, action, resource)
    record(actor, action, resource, decision, subject_id=subject_id, details=details)
    if not decision.allowed and not_found:
        raise NotFound()
    return decision


__all__ = [
    "Action",
    "Decision",
    "allow",
    "applies_when",
    "authorize",
    "could_allow",
    "decide",
    "decide_each",
    "decide_once",
    "deny",
    "record",
    "register",
    "register_family",
    "remember",
    "visible",
]
