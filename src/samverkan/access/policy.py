"""The policy decision point. Every read or write of personal data asks ``decide``;
every list is narrowed by ``visible``. Apps register their rules in their
``policies.py`` (loaded from ``AppConfig.ready``). Anything without a rule is denied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from samverkan.audit import services as audit
from samverkan.audit.models import Action, Outcome
from samverkan.audit.services import Ground
from samverkan.core.errors import NotFound

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


PolicyFn = Callable[[Actor, str, object], Decision]
ScopeFn = Callable[[Actor, str, QuerySet], QuerySet]

_policies: dict[type, PolicyFn] = {}
_scopes: dict[type, ScopeFn] = {}


def register(model: type, *, decide: PolicyFn, scope: ScopeFn | None = None) -> None:
    _policies[model] = decide
    if scope is not None:
        _scopes[model] = scope


def decide(actor: Actor, action: str, resource: object) -> Decision:
    if not actor.is_authenticated:
        return deny("Du måste logga in.")
    if not actor.has_membership:
        return deny("Du har ingen aktiv roll i någon verksamhet.")
    policy = _policies.get(type(resource))
    if policy is None:
        return deny("Ingen regel tillåter detta.")
    return policy(actor, action, resource)


def visible(actor: Actor, action: str, queryset: QuerySet) -> QuerySet:
    """Narrow a queryset to the rows ``actor`` may ``action``. Deny by default."""
    if not actor.is_authenticated or not actor.has_membership:
        return queryset.none()
    scope = _scopes.get(queryset.model)
    if scope is None:
        return queryset.none()
    return scope(actor, action, queryset)


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
    if not decision.allowed and not_found:
        raise NotFound()
    return decision


__all__ = ["Action", "Decision", "allow", "authorize", "decide", "deny", "register", "visible"]
