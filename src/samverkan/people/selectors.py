"""Reads of children, always through the access policy, always audited. What the
actor may not see raises NotFound, exactly as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet

from samverkan.access import grounds, policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.subjects import Subject
from samverkan.core.errors import NotFound

from . import identity
from .models import Child, Custody, Enrolment, Guardian, Involvement, InvolvementContext
from .policies import may_see_protected_details


@dataclass
class ChildView:
    """What one actor may see of one child."""

    child: Child
    age: int
    decision: policy.Decision
    own_involvements: list[Involvement]
    custodies: list[Custody]
    enrolments: list[Enrolment]
    shows_protected_details: bool
    hidden: list[str] = field(default_factory=list)
    own_matter: bool = True

    @property
    def open_involvement(self) -> Involvement | None:
        return next((i for i in self.own_involvements if i.ended_at is None), None)


def _visible_children(actor: Actor) -> QuerySet[Child]:
    return policy.visible(actor, Action.READ, Child.objects.all())


def _record_list_reads(actor: Actor, children: list[Child], *, action: str, reason: str) -> None:
    audit.events_record(
        [
            {
                "actor": actor,
                "action": action,
                "resource_type": "people.child",
                "resource_id": str(child.public_id),
                "subject_id": str(child.public_id),
                "ground": grounds.own_matter("", actor.organisation_name),
                "reason": reason,
            }
            for child in children
        ]
    )


def child_search(actor: Actor, *, query: str = "", limit: int = 50) -> list[Child]:
    """Children the actor's organisation has a matter with, matching a personnummer
    (exact) or a name. Never tells whether a child is known elsewhere."""
    query = (query or "").strip()
    qs = _visible_children(actor)
    if query and any(ch.isdigit() for ch in query):
        qs = qs.filter(personal_number=identity.parse(query).number)
    elif query:
        for word in query.split():
            qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    children = list(qs.order_by("last_name", "first_name")[:limit])
    if query:
        _record_list_reads(actor, children, action=Action.SEARCH, reason="Sökträff")
    return children


def child_list(actor: Actor, *, limit: int = 200) -> list[Child]:
    """The children the actor's organisation has an open matter with."""
    qs = _visible_children(actor).filter(
        involvements__organisation_id=actor.organisation_id, involvements__ended_at__isnull=True
    )
    children = list(qs.distinct().order_by("last_name", "first_name")[:limit])
    _record_list_reads(actor, children, action=Action.READ, reason="Lista över barn")
    return children


def child_find_for_registration(actor: Actor, number: identity.IdentityNumber) -> Child | None:
    """Search-before-create: the child if the actor's organisation already knows it,
    otherwise None, whether or not any other organisation knows the child."""
    return _visible_children(actor).filter(personal_number=number.number).first()


def _load_child(public_id) -> Child:
    try:
        return Child.objects.get(public_id=public_id)
    except (Child.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound("Barnet finns inte eller så har du inte behörighet.") from exc


def child_get(actor: Actor, public_id, *, action: str = Action.READ) -> ChildView:
    """One child as the actor may see it; NotFound when there is no ground."""
    child = _load_child(public_id)
    decision = policy.decide(actor, action, child)
    own_matter = decision.allowed and decision.ground.code == grounds.OWN_MATTER
    involvements = (
        list(
            Involvement.objects.filter(child=child, organisation_id=actor.organisation_id)
            .select_related("unit", "started_by")
            .order_by("ended_at", "-started_at")
        )
        if own_matter
        else []
    )
    # Address and school are the organisation's own knowledge; under another ground
    # (e.g. a consent) only the basic identity and the guardians pass.
    shows_protected = own_matter and may_see_protected_details(
        actor, child, next((i for i in involvements if i.ended_at is None), None)
    )
    hidden = [] if shows_protected else ["address", "school"]
    policy.record(
        actor,
        action,
        child,
        decision,
        subject_id=str(child.public_id),
        details={"hidden": hidden} if hidden and decision.allowed else None,
    )
    if not decision.allowed:
        raise NotFound("Barnet finns inte eller så har du inte behörighet.")
    # Guardians as the actor's own organisation has recorded them; under another
    # ground (e.g. a consent) the family is shown on that ground's own pages.
    custodies = (
        list(
            Custody.objects.filter(child=child, guardian__organisation_id=actor.organisation_id)
            .select_related("guardian")
            .order_by("created_at")
        )
        if own_matter
        else []
    )
    enrolments = Enrolment.objects.filter(child=child).select_related("organisation")
    if not own_matter:
        enrolments = enrolments.none()
    elif not shows_protected:
        # The school always knows its own pupil.
        enrolments = enrolments.filter(organisation_id=actor.organisation_id)
    return ChildView(
        child=child,
        age=identity.age_on(child.date_of_birth),
        decision=decision,
        own_involvements=involvements,
        custodies=custodies,
        enrolments=list(enrolments),
        shows_protected_details=shows_protected,
        hidden=hidden,
        own_matter=own_matter,
    )


def child_for_change(actor: Actor, public_id) -> Child:
    """The child, if the actor may change it (open involvement + register permission);
    NotFound otherwise. The change itself is audited by the service that makes it."""
    child = _load_child(public_id)
    if not policy.decide(actor, Action.CHANGE, child):
        raise NotFound("Barnet finns inte eller så har du inte behörighet.")
    return child


def involvements_prefetch(actor: Actor) -> Prefetch:
    return Prefetch(
        "involvements",
        queryset=Involvement.objects.filter(organisation_id=actor.organisation_id),
        to_attr="own_involvements",
    )


def subject_lookup(personal_number: str) -> Subject | None:
    """For loggkontroll: the child with this number, as an audit subject."""
    number = identity.parse(personal_number)
    child = Child.objects.filter(personal_number=number.number).first()
    return _subject(child) if child else None


def subject_label(subject_id: str) -> Subject | None:
    try:
        child = Child.objects.filter(public_id=subject_id).first()
    except DjangoValidationError:
        return None
    return _subject(child) if child else None


def _subject(child: Child) -> Subject:
    return Subject(
        id=str(child.public_id), label=f"{child.full_name}, {child.personal_number_display}"
    )


# Internal reads for other apps' rules (e.g. the consent app deciding whether a consent
# still covers). They apply no policy and write no audit row: never show their result
# to a user without an access decision.


def system_child(public_id) -> Child | None:
    try:
        return Child.objects.filter(public_id=public_id).first()
    except DjangoValidationError:
        return None


def system_children_locked(child_ids) -> list[Child]:
    """The children, locked for the rest of the transaction (PostgreSQL; SQLite
    serialises writers anyway), so that facts derived from them by another app are
    recomputed one transaction at a time."""
    return list(Child.objects.select_for_update().filter(pk__in=child_ids).order_by("pk"))


def system_children(child_ids) -> list[Child]:
    return list(Child.objects.filter(pk__in=child_ids).order_by("pk"))


def system_custodies(child: Child, organisation_id: int | None = None) -> list[Custody]:
    """The child's guardians as recorded by ``organisation_id`` (by every organisation
    when None — for rules that then pick per organisation themselves)."""
    qs = Custody.objects.filter(child=child).select_related("guardian")
    if organisation_id is not None:
        qs = qs.filter(guardian__organisation_id=organisation_id)
    return list(qs.order_by("pk"))


def system_involvements(child: Child) -> list[Involvement]:
    return list(
        Involvement.objects.filter(child=child).select_related("unit").order_by("started_at")
    )


def system_children_with_involvement(organisation_id: int) -> QuerySet[Child]:
    return Child.objects.filter(involvements__organisation_id=organisation_id).distinct()


def involvement_context_label(code: str) -> str:
    return InvolvementContext(code).label if code in InvolvementContext.values else code


def involvement_context_choices() -> list[tuple[str, str]]:
    return list(InvolvementContext.choices)


def system_custodies_many(children) -> dict[int, list[Custody]]:
    result: dict[int, list[Custody]] = {}
    for custody in (
        Custody.objects.filter(child__in=children).select_related("guardian").order_by("pk")
    ):
        result.setdefault(custody.child_id, []).append(custody)
    return result


def system_involvements_many(children) -> dict[int, list[Involvement]]:
    result: dict[int, list[Involvement]] = {}
    for involvement in Involvement.objects.filter(child__in=children).order_by("started_at"):
        result.setdefault(involvement.child_id, []).append(involvement)
    return result


def system_names_known_to(organisation_id: int) -> set[str]:
    """First, last and full names of the children the organisation works with (matter
    or enrolment) and of the guardians it has recorded — for checking that an
    anonymised text does not name them. Never shown to a user."""
    names: set[str] = set()
    for first, last in (
        Child.objects.filter(
            Q(involvements__organisation_id=organisation_id)
            | Q(enrolments__organisation_id=organisation_id)
        )
        .values_list("first_name", "last_name")
        .distinct()
    ):
        names.update({first, last, f"{first} {last}"})
    for first, last in Guardian.objects.filter(organisation_id=organisation_id).values_list(
        "first_name", "last_name"
    ):
        names.update({first, last, f"{first} {last}"})
    return {n for n in names if n.strip()}
