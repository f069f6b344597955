"""The legal path a recorded judgement opens (``DisclosureDecision`` with the outcome
"lämna ut"): asked by ``consent.sharing.decide_sharing`` like every other named path.
A ground that needs a human judgement is never applied without such a record; the
catalogue is asked again at the moment of the read (the ground must still be in force)
by the caller."""

from __future__ import annotations

from django.core.cache import cache

from samverkan.access import policy

from . import grounds
from .models import DisclosureDecision, Outcome

_ANY = "legal:decisions:{}"


def forget(child_id: int) -> None:
    cache.delete(_ANY.format(child_id))


def _has_any(child_id: int) -> bool:
    """Whether any decision to disclose exists for the child (cached; most children
    have none, and a page asks about many pairs)."""
    key = _ANY.format(child_id)
    found = cache.get(key)
    if found is None:
        found = DisclosureDecision.objects.filter(
            child_id=child_id, outcome=Outcome.DISCLOSE
        ).exists()
        cache.set(key, found, 3600)
    return found


def recorded_decision(question) -> policy.Decision | None:
    if not _has_any(question.child.pk):
        return None
    decision = (
        DisclosureDecision.objects.filter(
            child=question.child,
            from_organisation_id=question.from_organisation_id,
            to_organisation_id=question.to_organisation_id,
            category=question.category,
            outcome=Outcome.DISCLOSE,
            decided_at__lte=question.at,
        )
        .filter(valid_until__gt=question.at)
        .order_by("-decided_at")
        .first()
    )
    if decision is None:
        return None
    ground = grounds.audit_ground(
        decision.ground_code,
        str(decision.public_id),
        note=f"beslut {decision.short_id}",
    )
    return policy.allow(ground)
