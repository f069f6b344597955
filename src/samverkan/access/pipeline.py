"""The disclosure pipeline: the one read path for personal data.

``disclose(actor, action, objects, subject=...)``

1. **narrow** the candidates in SQL (``policy.visible``) when given a queryset: what
   no rule could allow is dropped, as if it did not exist;
2. **decide** each candidate (``policy.decide_each``: the owning app's rule, then a
   sharing ground such as a consent or a legal path);
3. **audit** every candidate decided, allowed or denied, with its ground, in one bulk
   insert;
4. return **typed results**: ``Shown`` (with the decision and its ground) or
   ``Withheld`` (with an explanation built for the viewer's own domain, see
   ``access.explain``).

A caller that must tell a withheld record apart from an absent one (a SIP participant
learns that the plan exists, not what it says) gives the candidates it may name; every
other caller gives a queryset and sees only what it may know exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from samverkan.audit import services as audit
from samverkan.audit.models import Outcome
from samverkan.core.errors import NotFound

from . import explain, policy
from .actor import Actor


@dataclass(frozen=True)
class Shown:
    resource: object
    decision: policy.Decision
    shown = True

    @property
    def ground(self):
        return self.decision.ground


@dataclass(frozen=True)
class Withheld:
    resource: object
    explanation: str
    shown = False
    ground = None


Result = Shown | Withheld


def _explanation(decision: policy.Decision) -> str:
    """A denial's reason is built for the deciding actor (the rules get the actor and
    gate every fact of another domain through ``explain.for_viewer``); an empty one
    becomes the neutral refusal."""
    return decision.reason or explain.no_ground()


def disclose(
    actor: Actor,
    action: str,
    objects: QuerySet | Iterable,
    *,
    subject: Callable[[object], str] = lambda obj: "",
    reason: str = "",
    details: Callable[[object], dict | None] | None = None,
    prepare: Callable[[list], object] | None = None,
    one_row: dict | None = None,
) -> list[Result]:
    """Narrow, decide, audit in one insert, and return ``Shown``/``Withheld`` per
    object, in the order given. ``subject(obj)``: the public id of the person the
    record is about (the audit row's subject). ``reason``: what the audit row says an
    allowed read was for (e.g. "Lista över planer"). ``prepare(candidates)``: load
    what the rules need for all candidates at once (e.g. the sharing facts per child)
    before they are decided. ``one_row``: the page of a list is audited as one row
    naming every record shown with its own ground (decision 0092; the dict is that row's
    details, e.g. the page number); withheld records still get a row each."""
    if isinstance(objects, QuerySet):
        objects = policy.visible(actor, action, objects)
    candidates = list(objects)
    if not candidates:
        return []
    if prepare is not None:
        prepare(candidates)
    decisions = policy.decide_each(actor, action, candidates)
    results: list[Result] = []
    rows = []
    for obj in candidates:
        decision = decisions[obj.pk]
        rows.append(
            {
                "actor": actor if actor.is_authenticated else None,
                "action": action,
                "resource_type": obj._meta.label_lower,
                "resource_id": str(getattr(obj, "public_id", obj.pk)),
                "subject_id": subject(obj),
                "ground": decision.ground,
                "outcome": Outcome.ALLOWED if decision.allowed else Outcome.DENIED,
                "reason": reason if decision.allowed else _explanation(decision),
                "details": details(obj) if details else None,
            }
        )
        results.append(
            Shown(obj, decision) if decision.allowed else Withheld(obj, _explanation(decision))
        )
    if one_row is not None:
        shown = [(row, r) for row, r in zip(rows, results, strict=True) if r.shown]
        audit.list_record(
            actor=actor if actor.is_authenticated else None,
            action=action,
            resource_type=candidates[0]._meta.label_lower,
            items=[
                audit.ListItem(row["resource_id"], row["subject_id"], row["ground"])
                for row, _ in shown
            ],
            reason=reason,
            details=one_row or None,
        )
        rows = [row for row, r in zip(rows, results, strict=True) if not r.shown]
    audit.events_record(rows)
    return results


def disclose_one(
    actor: Actor,
    action: str,
    obj,
    *,
    subject: str = "",
    details: dict | None = None,
    not_found: bool = True,
) -> Result:
    """One record through the pipeline (decide, audit, a typed result): a page of one
    record. With ``not_found`` a withheld record raises ``NotFound``, so that the caller
    cannot tell "withheld" from "absent"; without it the caller gets the ``Withheld``
    and its explanation for the viewer's domain."""
    (result,) = disclose(
        actor,
        action,
        [obj],
        subject=lambda _obj: subject,
        details=(lambda _obj: details) if details is not None else None,
    )
    if not result.shown and not_found:
        raise NotFound()
    return result


def may_list(actor: Actor, model, action: str = "read") -> bool:
    """Whether any registered rule could let the actor ``action`` some record of
    ``model`` (e.g. whether a list page of plans is for this actor at all). Asks the
    policy's rules, not a permission code: a view that guards personal data calls this,
    never ``has_perm``."""
    if not actor.is_authenticated or not (actor.has_membership or actor.is_family):
        return False
    return policy.could_allow(actor, action, model)


__all__ = ["Result", "Shown", "Withheld", "disclose", "disclose_one", "may_list"]


def read_page(view):
    """Decorator for a view that only reads: the audit rows its decisions write are
    inserted together in one statement when the view returns (decision 0315), each
    row still its own, with its own time, ground and hash."""
    return audit.batched_view(view)
