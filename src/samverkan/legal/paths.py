"""The legal path a recorded judgement opens (``DisclosureDecision`` with the outcome
"lämna ut"): asked by ``consent.sharing.decide_sharing`` like every other named path.
A ground that needs a human judgement is never applied without such a record; the
catalogue is asked again at the moment of the read (the ground must still be in force)
by the caller."""

from __future__ import annotations

from samverkan.access import policy

from . import grounds
from .models import DisclosureDecision, Outcome


def recorded_decision(question) -> policy.Decision | None:
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
