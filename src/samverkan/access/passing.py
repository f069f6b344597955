"""May information about a child pass from one organisation to another now?

The question behind every cross-organisation read and every disclosure: a SIP shown to
a called party, an identified meeting item, the actor map, a report of concern, the
feedback to a reporter. It is asked here and nowhere else; the answer is a
``policy.Decision`` whose ground (a consent, a named legal path, a recorded judgement)
goes into the audit row, and whose refusal is **explained for the viewer's own domain**:
every caller names the organisation that will read the reason
(``viewer_organisation_id``), so a refusal never tells a party who revoked a consent or
that another organisation's matter changed character (``access.explain.for_viewer``).

The access app sits below the consent app, so the consent app registers the one answer
(``consent.sharing.decide_sharing``) from its ``ready()``; the gate test
(``web/tests/secrecy/test_gate.py``) keeps every other app from calling it directly.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

from . import policy
from .actor import Actor

_decide: Callable[..., policy.Decision] | None = None
_facts: Callable[[object], object] | None = None


def register(*, decide: Callable[..., policy.Decision], facts: Callable[[object], object]):
    """The consent app's answer (``decide``, keyword arguments as ``decide`` below) and
    how to load what it needs about a child once for several questions (``facts``)."""
    global _decide, _facts
    _decide, _facts = decide, facts


def _decider() -> Callable[..., policy.Decision]:
    if _decide is None:
        raise ImproperlyConfigured(
            "No app registered how sharing between organisations is decided."
        )
    return _decide


def facts(child):
    """What the registered decider needs about ``child``, for several questions."""
    _decider()
    return _facts(child)


def decide(
    *,
    viewer_organisation_id: int | None,
    child,
    from_organisation_id: int,
    to_organisation_id: int,
    category: str,
    purpose: str | None,
    at: datetime.datetime | None = None,
    facts: object | None = None,
) -> policy.Decision:
    """May ``category`` about ``child`` pass from one organisation to the other for
    ``purpose`` at ``at`` (now)? ``viewer_organisation_id``: the organisation whose staff
    will read the refusal (required, so that every caller says who it is)."""
    return _decider()(
        child=child,
        from_organisation_id=from_organisation_id,
        to_organisation_id=to_organisation_id,
        category=category,
        purpose=purpose,
        at=at,
        facts=facts,
        viewer_organisation_id=viewer_organisation_id,
    )


def decide_each(
    actor: Actor,
    *,
    child,
    to_organisation_ids: Iterable[int],
    category: str,
    purpose: str | None,
    at: datetime.datetime | None = None,
) -> dict[int, policy.Decision]:
    """For the actor's own organisation as the sender: may ``category`` pass to each
    of ``to_organisation_ids``? One load of the child's facts; every refusal is
    explained for the actor's organisation. The actor's own organisation is left out
    (nothing passes)."""
    loaded = facts(child)
    return {
        org_id: decide(
            viewer_organisation_id=actor.organisation_id,
            child=child,
            from_organisation_id=actor.organisation_id,
            to_organisation_id=org_id,
            category=category,
            purpose=purpose,
            at=at,
            facts=loaded,
        )
        for org_id in dict.fromkeys(to_organisation_ids)
        if org_id != actor.organisation_id
    }


__all__ = ["decide", "decide_each", "facts", "register"]
