"""Reads of children for the family portal (decision 0200), through the disclosure
pipeline with the family member as actor; the rules are the people app's family rule
(``policies.decide_child_for_family``).

What a family may see of a child here: the child's name and personnummer, and which
organisations are involved now and were before (their names, the kind of matter, from
when to when) — never a note or anything an organisation wrote. A child with protected
identity (skyddade personuppgifter) shows no address and no organisation: each of them
could tell a guardian from whom the child is protected where the child lives, goes to
school or gets care (OSL 21 kap. 3 §). Organisations that must not be named to the
family (a report of concern marked "do not inform the guardians") are left out by the
caller, which knows them (``hidden``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import pipeline, policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound

from .identity import age_on
from .models import Child, Involvement
from .policies import GUARDIAN, SELF, family_relation


@dataclass(frozen=True)
class FamilyChild:
    child: Child
    relation: str  # "guardian" or "self"

    @property
    def public_id(self):
        return self.child.public_id

    @property
    def name(self) -> str:
        return self.child.full_name

    @property
    def is_self(self) -> bool:
        return self.relation == SELF

    @property
    def age(self) -> int:
        return age_on(self.child.date_of_birth)

    @property
    def protected(self) -> bool:
        return self.child.protected_identity


@dataclass(frozen=True)
class InvolvedOrganisation:
    organisation_id: int
    name: str
    unit_name: str
    context: str
    started_on: datetime.date
    ended_on: datetime.date | None

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


def child_ids(actor: Actor):
    """The ids of the children the family rule could allow (a subquery)."""
    return policy.visible(actor, Action.READ, Child.objects.all()).values("pk")


def children(actor: Actor) -> list[FamilyChild]:
    """The family member's children (and themself from the portal's age), each read
    through the pipeline: one audit row per child, the family member as actor."""
    results = pipeline.disclose(
        actor,
        Action.READ,
        Child.objects.order_by("date_of_birth", "pk"),
        subject=lambda child: str(child.public_id),
        reason="Familjens barn",
    )
    return [
        FamilyChild(r.resource, SELF if r.ground.code == SELF else GUARDIAN)
        for r in results
        if r.shown
    ]


def child_get(actor: Actor, public_id) -> FamilyChild:
    try:
        child = Child.objects.get(public_id=public_id)
    except (Child.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Barnet finns inte.")) from exc
    pipeline.disclose_one(actor, Action.READ, child, subject=str(child.public_id))
    return FamilyChild(child, family_relation(actor, child) or GUARDIAN)


def involved(family_child: FamilyChild, *, hidden=frozenset()) -> list[InvolvedOrganisation]:
    """The organisations involved with the child now and before, as far as the family
    may know (the caller has authorised the read of the child). Nothing for a child
    with protected identity."""
    child = family_child.child
    if child.protected_identity:
        return []
    rows = (
        Involvement.objects.filter(child=child)
        .exclude(organisation_id__in=set(hidden))
        .select_related("organisation", "unit")
        .order_by("ended_at", "-started_at")
    )
    return [
        InvolvedOrganisation(
            organisation_id=row.organisation_id,
            name=row.organisation.name,
            unit_name=row.unit.name if row.unit else "",
            context=row.get_context_display(),
            started_on=timezone.localdate(row.started_at),
            ended_on=timezone.localdate(row.ended_at) if row.ended_at else None,
        )
        for row in rows
    ]


def has_any_child(actor: Actor) -> bool:
    """Whether the family rule gives the person any child (or themself): asked at login,
    before anything is shown, so nothing is read and nothing is audited here."""
    candidates = policy.visible(actor, Action.READ, Child.objects.all())[:20]
    return any(policy.decide(actor, Action.READ, child).allowed for child in candidates)
