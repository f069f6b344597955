"""Reads of children, always through the access policy, always audited. What the
actor may not see raises NotFound, exactly as if it did not exist."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IsNull
from django.utils.translation import gettext as _

from samverkan.access import grounds, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.subjects import Subject
from samverkan.core import bounds, paging
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.core.prepared import PreparedQuery

from . import custody_reads, identity, names, population
from .models import (
    Child,
    Custody,
    CustodyEvent,
    CustodyType,
    Enrolment,
    Guardian,
    Involvement,
    InvolvementContext,
)
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
    # The history of the organisation's record of the guardians, when read with them
    # (custody_reads, decision 0366); None: not read.
    custody_events: list[CustodyEvent] | None = None

    @property
    def open_involvement(self) -> Involvement | None:
        return next((i for i in self.own_involvements if i.ended_at is None), None)


def _visible_children(actor: Actor, action: str = Action.READ) -> QuerySet[Child]:
    return policy.visible(actor, action, Child.objects.all())


MIN_NAME_QUERY = 2


def visible_child_ids(actor: Actor, child_ids, action: str = Action.READ) -> set[int]:
    """Which of ``child_ids`` the actor may ``action`` now: one query (the policy's
    condition). The caller audits what it then shows."""
    return set(
        _visible_children(actor, action).filter(pk__in=list(child_ids)).values_list("pk", flat=True)
    )


def may_register_children(actor: Actor) -> bool:
    """Whether the actor's function registers children (the registration form)."""
    return actor.has_perm(Permission.PEOPLE_REGISTER)


def may_record_protected_need(actor: Actor) -> bool:
    """Whether the actor's function records the need of address and school for a child
    with protected identity (with ``may_change_child``)."""
    return actor.has_perm(Permission.PEOPLE_PROTECTED)


def may_change_child(actor: Actor, view: ChildView) -> bool:
    """Whether the actor may change the child's record: what the people rule for
    ``change`` asks (an open matter of the actor's organisation, already loaded in the
    view, and a function that registers), without asking the database again."""
    return bool(view.open_involvement) and actor.has_perm(Permission.PEOPLE_REGISTER)


def _prefix(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``, with an index on both databases: PostgreSQL
    uses the pattern index for LIKE; SQLite a range of its plain (byte-ordered) index."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})


def _name_key(text: str) -> str:
    key = names.search_key(text)
    if len(key.replace(" ", "")) < MIN_NAME_QUERY:
        raise ValidationFailed(
            _("Skriv minst %(MIN_NAME_QUERY)s bokstäver av namnet, eller ett personnummer.")
            % {"MIN_NAME_QUERY": MIN_NAME_QUERY},
            field="q",
        )
    return key


def _name_page(qs: QuerySet[Child], text: str, number: int, size: int) -> paging.Page:
    """Prefix of the first or the last name, spelled forgivingly (people.names); on
    PostgreSQL also names within typing distance (trigram word similarity). Prefix
    matches come first, then the rest, each in Swedish alphabetical order.

    On PostgreSQL the prefix matches (btree) are read first: when they alone fill the
    page and begin the next, that is the page, and the trigram index is not read
    (decision 0354). Otherwise the page goes on with the similar names that are not
    prefix matches, in the same order as one query ranking both would give."""
    key = _name_key(text)
    prefix = _prefix("name_key", key) | _prefix("name_key_last", key)
    if connection.vendor != "postgresql":
        return paging.page_of(qs.filter(prefix).order_by("sort_key", "pk"), number, size)
    number = paging.page_number(number)
    first = paging.page_of(qs.filter(prefix).order_by("sort_key", "pk"), number, size)
    if first.has_next:
        return first
    similar = Q(RawSQL('%s <%% "people_child"."name_key"', [key], output_field=BooleanField()))
    if first.items or number == 1:
        # Every prefix match up to this page's end is known: the rest of the page is
        # the first similar names that are not prefix matches.
        rest = list(
            qs.filter(similar & ~prefix).order_by("sort_key", "pk")[: size + 1 - len(first)]
        )
        items = first.items + rest
        return paging.Page(items=items[:size], number=number, size=size, has_next=len(items) > size)
    # A later page with no prefix match on it: how many came before is not known here.
    ranked = (
        qs.filter(prefix | similar)
        .alias(rank=Case(When(prefix, then=Value(0)), default=Value(1)))
        .order_by("rank", "sort_key", "pk")
    )
    return paging.page_of(ranked, number, size)


def _audit_page(actor: Actor, page: paging.Page, *, action: str, reason: str) -> None:
    """One audit row for the page (decision 0092), naming each child shown and the
    ground it was shown on: the organisation's own matter, or the rule that allowed
    it (e.g. a consent) for the few shown on another ground."""
    others = policy.decide_each(actor, action, [c for c in page.items if not c.own_matter])
    items = []
    for child in page.items:
        if child.own_matter:
            ground = grounds.own_matter("", actor.organisation_name)
        else:
            ground = others[child.pk].ground
        items.append(audit.ListItem(str(child.public_id), str(child.public_id), ground))
    audit.list_record(
        actor=actor,
        action=action,
        resource_type="people.child",
        items=items,
        reason=reason,
        details={"page": page.number},
    )


def _with_own_matter(qs: QuerySet[Child], actor: Actor) -> QuerySet[Child]:
    """Whether the actor's organisation has (or had) a matter with each child: a
    scalar subquery (``… LIMIT 1) IS NOT NULL``), which PostgreSQL asks per row shown
    on the involvements' ``(child, organisation)`` index, where an ``EXISTS`` may be
    run as a hash of the organisation's every matter (decision 0354)."""
    one = (
        Involvement.objects.filter(child_id=OuterRef("pk"), organisation_id=actor.organisation_id)
        .order_by()
        .values(one=Value(1))[:1]
    )
    return qs.annotate(own_matter=IsNull(Subquery(one), False))


def child_search(
    actor: Actor, *, query: str = "", page: int = 1, size: int = paging.PAGE_SIZE
) -> paging.Page:
    """Children the actor may see matching a personnummer or samordningsnummer (10 or
    12 digits, with or without dash or plus: exact, on the unique index) or a name
    (prefix of first or last name, forgiving spelling, Swedish order), one page at a
    time. Never tells whether a child is known elsewhere."""
    query = bounds.check_text(query, max_length=bounds.TEXT_PERSON_NAME, field="q").strip()
    visible = policy.visible(actor, Action.SEARCH, Child.objects.all(), probe=True)
    qs = _with_own_matter(visible, actor)
    if any(ch.isdigit() for ch in query):
        number = identity.parse(query).number
        result = paging.page_of(qs.filter(personal_number=number).order_by("pk"), page, size)
    else:
        result = _name_page(qs, query, page, size)
    _audit_page(actor, result, action=Action.SEARCH, reason="Sökträff")
    return result


def child_list(actor: Actor, *, page: int = 1, size: int = paging.PAGE_SIZE) -> paging.Page:
    """The children the actor's organisation has an open matter with, in Swedish
    alphabetical order, one page at a time."""
    if not actor.has_perm(Permission.PEOPLE_VIEW):
        return paging.page_of([], 1, size)
    open_matter = Involvement.objects.filter(
        child_id=OuterRef("pk"), organisation_id=actor.organisation_id, ended_at__isnull=True
    )
    qs = (
        _visible_children(actor)
        .filter(Exists(open_matter))
        .annotate(own_matter=Value(True))
        .order_by("sort_key", "pk")
    )
    result = paging.page_of(qs, page, size)
    _audit_page(actor, result, action=Action.READ, reason="Lista över barn")
    return result


def child_choices(actor: Actor, *, limit: int = 200) -> list[Child]:
    """Children to choose from in a form (e.g. a meeting's agenda item): the first
    ``limit`` of the actor's open matters, in Swedish order, read as one list page."""
    return child_list(actor, size=limit).items


def child_find_for_registration(actor: Actor, number: identity.IdentityNumber) -> Child | None:
    """Search-before-create: the child if the actor's organisation already knows it,
    otherwise None, whether or not any other organisation knows the child."""
    return _visible_children(actor).filter(personal_number=number.number).first()


def _load_child(public_id) -> Child:
    try:
        return Child.objects.get(public_id=public_id)
    except (Child.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Barnet finns inte eller så har du inte behörighet.")) from exc


# Built and compiled once per process (decision 0370).
_CHILD_WITH_MATTERS = PreparedQuery(
    Involvement,
    lambda public_id: (
        Involvement.objects.filter(child__public_id=public_id)
        .select_related("child", "unit", "started_by", "organisation")
        .order_by("started_at", "pk")
    ),
    lambda: (Child._meta.get_field("public_id"),),
)


_ENROLMENTS = PreparedQuery(
    Enrolment,
    lambda child_id: Enrolment.objects.filter(child_id=child_id).select_related("organisation"),
    lambda: (Enrolment._meta.get_field("child").target_field,),
)
_OWN_ENROLMENTS = PreparedQuery(
    Enrolment,
    lambda child_id, organisation_id: Enrolment.objects.filter(
        child_id=child_id, organisation_id=organisation_id
    ).select_related("organisation"),
    lambda: (
        Enrolment._meta.get_field("child").target_field,
        Enrolment._meta.get_field("organisation").target_field,
    ),
)


def _child_with_matters(public_id) -> Child:
    """The child and every matter of it in one query (the matters joined with their
    child); the child alone when it has no matter (decision 0354)."""
    try:
        matters = _CHILD_WITH_MATTERS.run(public_id)
    except (ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Barnet finns inte eller så har du inte behörighet.")) from exc
    if not matters:
        child = _load_child(public_id)
    else:
        child = matters[0].child
        for matter in matters:
            matter.child = child  # one instance, as the decision and the panel expect
    remember_involvements(child, matters)
    return child


def child_get(
    actor: Actor,
    public_id,
    *,
    action: str = Action.READ,
    with_matters: bool = False,
    with_custody_history: bool = False,
) -> ChildView:
    """One child as the actor may see it; NotFound when there is no ground.
    ``with_matters`` (a page that reads): every matter of the child is loaded at once
    and kept on the instance (``remember_involvements``), so that the decision, the
    actor's own matters and the consent panel's facts are one query, not three
    (decision 0315), read with the child itself (decision 0354). Nothing of another
    organisation's matters is shown from here. ``with_custody_history`` (the
    overview): the history of the organisation's record of the guardians is read with
    them (``view.custody_events``, decision 0366)."""
    child = _child_with_matters(public_id) if with_matters else _load_child(public_id)
    decision = policy.decide(actor, action, child)
    own_matter = decision.allowed and decision.ground.code == grounds.OWN_MATTER
    involvements = _own_involvements(actor, child) if own_matter else []
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
        raise NotFound(_("Barnet finns inte eller så har du inte behörighet."))
    policy.remember(actor, action, child, decision)
    # Guardians as the actor's own organisation has recorded them; under another
    # ground (e.g. a consent) the family is shown on that ground's own pages.
    # A page that reads (the overview) gets the history of the record with the
    # guardians, in the same query (decision 0366).
    joined = (
        custody_reads.current_with_history(actor.organisation_id, child)
        if own_matter and with_custody_history
        else None
    )
    custody_events = joined[1] if joined else None
    custodies = (
        joined[0]
        if joined
        else list(
            Custody.objects.filter(
                child=child, guardian__organisation_id=actor.organisation_id, ended_at__isnull=True
            )
            .select_related("guardian")
            .order_by("created_at")
        )
        if own_matter
        else []
    )
    if not own_matter:
        enrolments = []
    elif not shows_protected:
        # The school always knows its own pupil.
        enrolments = _OWN_ENROLMENTS.run(child.pk, actor.organisation_id)
    else:
        enrolments = _ENROLMENTS.run(child.pk)
    return ChildView(
        child=child,
        age=identity.age_on(child.date_of_birth),
        decision=decision,
        own_involvements=involvements,
        custodies=custodies,
        enrolments=enrolments,
        shows_protected_details=shows_protected,
        hidden=hidden,
        own_matter=own_matter,
        custody_events=custody_events,
    )


def population_register_name() -> str:
    """The configured population register's name, or "" when there is none."""
    register = population.configured()
    return register.name if register else ""


def population_lookup(actor: Actor, child: Child) -> population.RegisteredChild | None:
    """The child's guardians as the population register names them (None when no
    register is configured or it does not know the child), for an actor allowed to
    change the child. The lookup is audited on the child."""
    register = population.configured()
    if register is None:
        return None
    decision = policy.decide(actor, Action.CHANGE, child)
    if not decision:
        raise NotFound(_("Barnet finns inte eller så har du inte behörighet."))
    person = register.lookup(child.personal_number)
    policy.record(
        actor,
        Action.READ,
        child,
        decision,
        subject_id=str(child.public_id),
        details={"population_register": register.name, "found": person is not None},
    )
    return person


def child_for_change(actor: Actor, public_id) -> Child:
    """The child, if the actor may change it (open involvement + register permission);
    NotFound otherwise. The change itself is audited by the service that makes it."""
    child = _load_child(public_id)
    if not policy.decide(actor, Action.CHANGE, child):
        raise NotFound(_("Barnet finns inte eller så har du inte behörighet."))
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


def subject_labels(subject_ids: list[str]) -> dict[str, Subject]:
    valid = []
    for subject_id in subject_ids:
        try:
            valid.append(str(uuid.UUID(subject_id)))
        except ValueError:
            continue
    return {str(c.public_id): _subject(c) for c in Child.objects.filter(public_id__in=valid)}


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
    qs = Custody.objects.filter(child=child, ended_at__isnull=True).select_related("guardian")
    if organisation_id is not None:
        qs = qs.filter(guardian__organisation_id=organisation_id)
    return list(qs.order_by("pk"))


def system_involvements(child: Child, *, with_organisation: bool = False) -> list[Involvement]:
    related = ("unit", "organisation") if with_organisation else ("unit",)
    return list(
        Involvement.objects.filter(child=child).select_related(*related).order_by("started_at")
    )


def _own_involvements(actor: Actor, child: Child) -> list[Involvement]:
    """The actor's organisation's matters with the child, open ones first (newest
    first), then ended ones by when they ended."""
    loaded = getattr(child, "_involvements_loaded", None)
    if loaded is None:
        return list(
            Involvement.objects.filter(child=child, organisation_id=actor.organisation_id)
            .select_related("unit", "started_by")
            .order_by(F("ended_at").asc(nulls_first=True), "-started_at")
        )
    own = [i for i in loaded if i.organisation_id == actor.organisation_id]
    own.sort(key=lambda i: i.started_at, reverse=True)
    own.sort(key=lambda i: (i.ended_at is not None, i.ended_at or 0))
    return own


def remember_involvements(child: Child, involvements: list[Involvement]) -> None:
    """Keep the child's matters, just loaded in full, on this child instance for the
    rest of the request: the child rules then find the actor's own matter among them
    instead of asking again (``policies.own_involvement``). Only this instance carries
    them; the next request, or another copy of the child, asks the database."""
    child._involvements_loaded = list(involvements)


def system_children_with_involvement(organisation_id: int) -> QuerySet[Child]:
    return Child.objects.filter(involvements__organisation_id=organisation_id).distinct()


def involvement_context_label(code: str) -> str:
    return InvolvementContext(code).label if code in InvolvementContext.values else code


def custody_type_choices() -> list[tuple[str, str]]:
    return list(CustodyType.choices)


def involvement_context_choices() -> list[tuple[str, str]]:
    return list(InvolvementContext.choices)


def system_custodies_many(children) -> dict[int, list[Custody]]:
    result: dict[int, list[Custody]] = {}
    for custody in (
        Custody.objects.filter(child__in=children, ended_at__isnull=True)
        .select_related("guardian")
        .order_by("pk")
    ):
        result.setdefault(custody.child_id, []).append(custody)
    return result


def system_involvements_many(children) -> dict[int, list[Involvement]]:
    result: dict[int, list[Involvement]] = {}
    for involvement in Involvement.objects.filter(child__in=children).order_by("started_at"):
        result.setdefault(involvement.child_id, []).append(involvement)
    return result


def names_visible_to(actor: Actor) -> tuple[set[str], set[str]]:
    """First names and surnames of the children the actor may see on any ground (own
    matter, enrolment, consent), and of the guardians the actor's organisation has
    recorded for them — for checking that an anonymised text names none of them.

    Only names the actor could already look up, so the check never tells whether a
    name is registered anywhere else. Never shown to anyone; no audit row, as no
    personal data is disclosed."""
    children = _visible_children(actor)
    first: set[str] = set()
    last: set[str] = set()
    for given, family in children.values_list("first_name", "last_name"):
        first.add(given)
        last.add(family)
    guardians = Guardian.objects.filter(
        organisation_id=actor.organisation_id, custodies__child__in=children
    ).values_list("first_name", "last_name")
    for given, family in guardians:
        first.add(given)
        last.add(family)
    return {n for n in first if n.strip()}, {n for n in last if n.strip()}
