"""Reads of the shared knowledge. Shared content is open to every logged-in member of
the municipality's collaboration; a checklist only to its owner; factor tags only for
the targets the caller passes in (the caller has already been allowed to see them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.core import paging
from samverkan.core.errors import NotFound
from samverkan.directory import selectors as directory

from . import diff, kinds, tagging, text
from .models import (
    ActorProfile,
    Checklist,
    ChecklistItem,
    ChecklistSuggestion,
    CompetencePlan,
    CompetencePlanItem,
    Concept,
    EntryVersion,
    Event,
    EventInvitation,
    EventRegistration,
    Factor,
    FactorDomain,
    FactorKind,
    FactorTag,
    Method,
    SearchDocument,
)


def _kind(kind_code: str) -> kinds.Kind:
    try:
        return kinds.KINDS[kind_code]
    except KeyError as exc:
        raise NotFound() from exc


def _model(kind: kinds.Kind):
    return apps.get_model("knowledge", kind.model_name)


def entry_url(kind_code: str, code: str) -> str:
    if kind_code == kinds.EVENT_TYPE:
        return reverse("knowledge:event_detail", args=[code])
    return reverse(f"knowledge:{kinds.KINDS[kind_code].url_prefix}_detail", args=[code])


# Shared content ------------------------------------------------------------------------
def entry_get(kind_code: str, code: str):
    kind = _kind(kind_code)
    Model = _model(kind)
    try:
        return Model.objects.get(code=code)
    except Model.DoesNotExist as exc:
        raise NotFound(_("%(label)s finns inte.") % {"label": kind.label}) from exc


def actor_profiles(*, include_inactive: bool = False) -> QuerySet[ActorProfile]:
    qs = ActorProfile.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


def concepts(*, include_inactive: bool = False) -> QuerySet[Concept]:
    qs = Concept.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


def methods(*, include_inactive: bool = False) -> QuerySet[Method]:
    qs = Method.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


def suggestions(*, include_inactive: bool = False) -> QuerySet[ChecklistSuggestion]:
    qs = ChecklistSuggestion.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


@dataclass
class FactorGroup:
    domain: str
    label: str
    risks: list[Factor] = field(default_factory=list)
    protective: list[Factor] = field(default_factory=list)


def factors_grouped(*, include_inactive: bool = False) -> list[FactorGroup]:
    groups = {d: FactorGroup(d, label) for d, label in FactorDomain.choices}
    qs = Factor.objects.all() if include_inactive else Factor.objects.filter(is_active=True)
    for factor in qs.order_by("position", "name"):
        group = groups[factor.domain]
        (group.risks if factor.kind == FactorKind.RISK else group.protective).append(factor)
    return list(groups.values())


_FACTOR_GROUP = {
    FactorKind.RISK: gettext_lazy("%(group)s: riskfaktorer"),
    FactorKind.PROTECTIVE: gettext_lazy("%(group)s: skyddsfaktorer"),
}


def factor_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a tagging form: (group label, [(code, name)])."""
    return [
        (
            _FACTOR_GROUP[k] % {"group": group.label},
            [(f.code, f.name) for f in (group.risks if k == FactorKind.RISK else group.protective)],
        )
        for group in factors_grouped()
        for k in FactorKind.values
    ]


@dataclass
class ConceptIndex:
    """Concepts by lower-case term, abbreviation and code, for the term tag."""

    by_key: dict[str, Concept]

    def find(self, key: str) -> Concept | None:
        return self.by_key.get(text.normalise(key).strip())


def concept_index() -> ConceptIndex:
    by_key: dict[str, Concept] = {}
    for concept in Concept.objects.filter(is_active=True).only(
        "code", "term", "abbreviation", "definition"
    ):
        by_key.setdefault(concept.code, concept)
        by_key.setdefault(text.normalise(concept.term), concept)
        if concept.abbreviation:
            by_key.setdefault(text.normalise(concept.abbreviation), concept)
    return ConceptIndex(by_key)


@dataclass
class OrganisationContacts:
    organisation: object
    contact_functions: list


def actor_contacts(profile: ActorProfile) -> list[OrganisationContacts]:
    """This municipality's organisations of the actor's type, each with the contact
    functions it provides or is served by."""
    if not profile.directory_type:
        return []
    organisations = list(directory.organisation_choices(profile.directory_type))
    return [
        OrganisationContacts(org, list(directory.contact_functions_for(org.pk)))
        for org in organisations
    ]


def actor_profile_for_org_type(org_type: str) -> ActorProfile | None:
    """For later features (SIP, meetings): the mission and duties of the kind of
    organisation being called, to show next to the choice."""
    return ActorProfile.objects.filter(directory_type=org_type, is_active=True).first()


def method_contacts(actor: Actor, method: Method) -> list:
    """The viewer's organisation's contact functions whose title matches the method's."""
    if not method.contact_function or not actor.has_membership:
        return []
    wanted = text.normalise(method.contact_function)
    return [
        cf
        for cf in directory.contact_functions_for(actor.organisation_id)
        if text.normalise(cf.title) == wanted
    ]


# History -----------------------------------------------------------------------------------
@dataclass
class FieldChange:
    name: str
    label: str
    segments: list[diff.Segment]


@dataclass
class VersionView:
    version: EntryVersion
    changes: list[FieldChange]


def entry_history(kind_code: str, obj) -> list[VersionView]:
    """All versions, newest first, each with its word differences from the one
    before."""
    kind = _kind(kind_code)
    versions = list(
        EntryVersion.objects.filter(entry_type=kind.code, entry_id=obj.public_id).order_by("number")
    )
    views: list[VersionView] = []
    previous: dict = {}
    for version in versions:
        changes = []
        for name in version.changed_fields:
            before, after = previous.get(name, ""), version.data.get(name, "")
            if isinstance(after, bool) or isinstance(before, bool):
                before = "Ja" if before else "Nej"
                after = "Ja" if after else "Nej"
            changes.append(
                FieldChange(name, kind.label_of(name), diff.words_diff(str(before), str(after)))
            )
        views.append(VersionView(version, changes))
        previous = version.data
    return list(reversed(views))


# Search --------------------------------------------------------------------------------------
TYPE_LABELS = {code: kind.label for code, kind in kinds.KINDS.items()} | {
    kinds.EVENT_TYPE: gettext_lazy("Mötesplats eller utbildning")
}


@dataclass
class SearchHit:
    entry_type: str
    type_label: str
    title: str
    summary: str
    url: str
    score: int


def search(query: str, *, entry_type: str = "", limit: int = 50) -> list[SearchHit]:
    """Full-text search over all shared knowledge, in Swedish: every query word must
    match (by its root, see text.py). A query typed without å, ä, ö also matches the
    folded text. Works identically on SQLite and PostgreSQL (plain LIKE)."""
    terms = text.query_terms(query)
    if not terms:
        return []
    folded = text.needs_fold(query)
    column = "roots_folded" if folded else "roots"
    qs = SearchDocument.objects.all()
    if entry_type:
        qs = qs.filter(entry_type=entry_type)
    for term in terms:
        if len(term) >= text.PREFIX_MIN:
            qs = qs.filter(**{f"{column}__contains": f" {term}"})
        else:
            qs = qs.filter(**{f"{column}__contains": f" {term} "})
    hits = []
    title_terms = text.query_terms(text.fold(query)) if folded else terms
    for doc in qs[:500]:
        title_roots = text.index_text_folded(doc.title) if folded else doc.title_roots
        score = sum(3 for t in title_terms if text.root_matches(title_roots, t))
        score += sum(1 for t in terms if f" {t} " in getattr(doc, column))
        hits.append(
            SearchHit(
                entry_type=doc.entry_type,
                type_label=TYPE_LABELS.get(doc.entry_type, doc.entry_type),
                title=doc.title,
                summary=doc.summary,
                url=entry_url(doc.entry_type, doc.code),
                score=score,
            )
        )
    hits.sort(key=lambda h: (-h.score, h.title.casefold()))
    return hits[:limit]


# Factor tags -------------------------------------------------------------------------------
@dataclass(frozen=True)
class TagView:
    target_type: str
    target_id: UUID
    factor: Factor
    organisation_name: str
    created_at: object


def _tags(actor: Actor, q: Q) -> list[FactorTag]:
    if not actor.is_authenticated or not actor.has_membership:
        return []
    return list(
        FactorTag.objects.filter(q)
        .select_related("factor", "organisation")
        .order_by("factor__domain", "factor__kind", "factor__position")
    )


def factor_tags_for(
    actor: Actor, *, target_type: str, target_ids: Iterable[UUID | str]
) -> dict[UUID, list[TagView]]:
    """Tags on the given targets only, keyed by target id. The caller passes targets it
    has been allowed to show (and has audited that read); nothing else is returned."""
    ids = [UUID(str(i)) for i in target_ids]
    result: dict[UUID, list[TagView]] = {i: [] for i in ids}
    if not ids:
        return result
    for tag in _tags(actor, Q(target_type=target_type, target_id__in=ids)):
        result[tag.target_id].append(_view(tag))
    return result


def _view(tag: FactorTag) -> TagView:
    return TagView(
        target_type=tag.target_type,
        target_id=tag.target_id,
        factor=tag.factor,
        organisation_name=tag.organisation.name if tag.organisation else "",
        created_at=tag.created_at,
    )


@dataclass
class ChildFactorSummary:
    """Factors noted for one child across the targets the caller may see, grouped by
    domain, for the child overview."""

    groups: list[FactorGroup]
    sources: dict[str, list[str]]  # factor code -> labels of where it was noted

    @property
    def empty(self) -> bool:
        return not any(g.risks or g.protective for g in self.groups)


def factor_tags_for_child(
    actor: Actor, *, child_id: UUID | str, targets: Iterable[tuple[str, UUID | str]]
) -> ChildFactorSummary:
    child_id = UUID(str(child_id))
    by_type: dict[str, list[UUID]] = defaultdict(list)
    for target_type, target_id in targets:
        by_type[target_type].append(UUID(str(target_id)))
    groups = {d: FactorGroup(d, label) for d, label in FactorDomain.choices}
    sources: dict[str, list[str]] = defaultdict(list)
    if by_type:
        q = Q()
        for target_type, ids in by_type.items():
            q |= Q(target_type=target_type, target_id__in=ids)
        seen = set()
        for tag in _tags(actor, q & Q(child_id=child_id)):
            label = tagging.target_label(tag.target_type)
            if label not in sources[tag.factor.code]:
                sources[tag.factor.code].append(label)
            if tag.factor_id in seen:
                continue
            seen.add(tag.factor_id)
            group = groups[tag.factor.domain]
            (group.risks if tag.factor.kind == FactorKind.RISK else group.protective).append(
                tag.factor
            )
    return ChildFactorSummary(list(groups.values()), dict(sources))


def factor_summary_for_child(actor: Actor, *, child_id: UUID | str) -> ChildFactorSummary:
    """Every factor noted for the child on records the actor may see, across all
    features whose target type says which of its records the actor may see (see
    tagging.register_target_type). This is what the child overview shows."""
    child_id = UUID(str(child_id))
    targets = [
        (target.code, target_id)
        for target in tagging.target_types()
        if target.visible_for_child is not None
        for target_id in target.visible_for_child(actor, child_id)
    ]
    return factor_tags_for_child(actor, child_id=child_id, targets=targets)


# Personal checklist ------------------------------------------------------------------------
@dataclass
class ChecklistView:
    items: list[ChecklistItem]
    suggestions: list[ChecklistSuggestion]
    chosen: set[str]

    @property
    def done_count(self) -> int:
        return sum(1 for i in self.items if i.done_at)


def checklist_for(actor: Actor) -> ChecklistView:
    """The actor's own checklist (empty if they have none yet). Nobody else's."""
    items: list[ChecklistItem] = []
    checklist = Checklist.objects.filter(owner_id=actor.user_id).first()
    if checklist is not None:
        items = list(checklist.items.select_related("suggestion").order_by("position", "id"))
    chosen = {i.suggestion.code for i in items if i.suggestion_id}
    return ChecklistView(items=items, suggestions=list(suggestions()), chosen=chosen)


# Events -------------------------------------------------------------------------------------
def _events(actor: Actor) -> QuerySet[Event]:
    mine = EventRegistration.objects.filter(user_id=actor.user_id, cancelled_at__isnull=True)
    return (
        Event.objects.select_related("organiser")
        .prefetch_related(
            Prefetch(
                "invitations", queryset=EventInvitation.objects.select_related("organisation")
            ),
            Prefetch("registrations", queryset=mine, to_attr="my_registrations"),
        )
        .annotate(
            registered_count=Count("registrations", filter=Q(registrations__cancelled_at=None))
        )
    )


def events_upcoming(actor: Actor) -> list[Event]:
    return list(_events(actor).filter(ends_at__gte=timezone.now()).order_by("starts_at"))


def events_past(actor: Actor, *, page: int = 1) -> paging.Page:
    """Past events, newest first, a page at a time (decision 0092)."""
    return paging.page_of(
        _events(actor).filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk"), page
    )


@dataclass
class EventView:
    event: Event
    invited: list
    registrations: list[EventRegistration]
    my_registration: EventRegistration | None
    may_manage: bool
    may_register: bool
    is_past: bool
    has_started: bool

    @property
    def places_left(self) -> int | None:
        if self.event.capacity is None:
            return None
        return max(0, self.event.capacity - len(self.registrations))


def event_get(actor: Actor, public_id) -> EventView:
    try:
        event = Event.objects.select_related("organiser").get(public_id=public_id)
    except (Event.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Tillfället finns inte.")) from exc
    invited = [i.organisation for i in event.invitations.select_related("organisation")]
    may_manage = (
        actor.has_perm(Permission.DIRECTORY_MANAGE) and actor.organisation_id == event.organiser_id
    )
    all_regs = list(
        event.registrations.filter(cancelled_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name")
    )
    mine = next((r for r in all_regs if r.user_id == actor.user_id), None)
    # Names of participants are shown to the organiser; others see counts per
    # organisation only.
    invited_ids = {o.pk for o in invited}
    now = timezone.now()
    may_register = (
        event.cancelled_at is None
        and event.ends_at >= now
        and (not invited_ids or actor.organisation_id in invited_ids | {event.organiser_id})
    )
    return EventView(
        event=event,
        invited=invited,
        registrations=all_regs,
        my_registration=mine,
        may_manage=may_manage,
        may_register=may_register,
        is_past=event.ends_at < now,
        has_started=event.starts_at <= now,
    )


# Competence plans ---------------------------------------------------------------------------
def competence_plans() -> list[CompetencePlan]:
    return list(
        CompetencePlan.objects.select_related("organisation")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=CompetencePlanItem.objects.select_related("event").order_by(
                    "due", "topic"
                ),
            )
        )
        .order_by("organisation__name", "-period")
    )


def competence_plan_get(public_id) -> CompetencePlan:
    try:
        return (
            CompetencePlan.objects.select_related("organisation")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=CompetencePlanItem.objects.select_related("event").order_by(
                        "due", "topic"
                    ),
                )
            )
            .get(public_id=public_id)
        )
    except (CompetencePlan.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Planen finns inte.")) from exc


# Introduction ------------------------------------------------------------------------------
def concepts_by_code(codes: Iterable[str]) -> dict[str, Concept]:
    return {c.code: c for c in Concept.objects.filter(code__in=list(codes), is_active=True)}
