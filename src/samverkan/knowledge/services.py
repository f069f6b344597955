"""Writes to the shared knowledge. Each function is one transaction with its audit row.

Shared content (actors, concepts, factors, methods, checklist suggestions) is edited by
administrators (``directory.manage``, see docs/decisions/0010-*); every edit bumps the
entry's version, refuses a stale write and leaves an ``EntryVersion``. A user's own
checklist is theirs alone. ``actor=None`` means the system (migrations, demo loader).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import grounds
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, StaleWrite, ValidationFailed
from samverkan.core.summaries import summarise
from samverkan.core.unique import create_or_refuse
from samverkan.directory import selectors as directory

from . import kinds, loader, tagging, text
from .models import (
    Checklist,
    ChecklistItem,
    ChecklistSuggestion,
    CompetenceItemStatus,
    CompetencePlan,
    CompetencePlanItem,
    EntryVersion,
    Event,
    EventInvitation,
    EventKind,
    EventRegistration,
    Factor,
    FactorDomain,
    FactorKind,
    FactorTag,
    SearchDocument,
)

MANAGE = Permission.DIRECTORY_MANAGE
MAX_CHECKLIST_ITEMS = 100


def may_manage(actor: Actor | None) -> bool:
    """The system (``None``) or an administrator may change shared content."""
    return actor is None or actor.has_perm(MANAGE)


def may_manage_actor(actor: Actor | None) -> bool:
    """For pages: only a logged-in administrator (never "the system")."""
    return actor is not None and actor.has_perm(MANAGE)


def _require_manager(actor: Actor | None) -> None:
    if not may_manage(actor):
        raise PermissionDenied(
            gettext("Du har inte behörighet att ändra det gemensamma kunskapsstödet.")
        )


def _require_member(actor: Actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_membership:
        raise PermissionDenied(gettext("Du måste vara inloggad i en roll."))


def _audit(actor, action, resource_type, resource_id, *, subject_id="", ground=None, **details):
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id),
        subject_id=str(subject_id or ""),
        ground=ground if ground is not None else (grounds.administration() if actor else None),
        details=details,
    )


def _model(kind: kinds.Kind):
    return apps.get_model("knowledge", kind.model_name)


def _kind(kind_code: str) -> kinds.Kind:
    try:
        return kinds.KINDS[kind_code]
    except KeyError as exc:
        raise NotFound() from exc


# Shared content ------------------------------------------------------------------------
def _clean_entry_data(kind: kinds.Kind, data: dict) -> dict:
    cleaned = {}
    for spec in kind.fields:
        if spec.name not in data:
            continue
        value = data[spec.name]
        if spec.name == "is_active":
            cleaned[spec.name] = bool(value)
            continue
        value = (value or "").strip().replace("\r\n", "\n")
        if spec.required and not value:
            raise ValidationFailed(
                gettext("Fyll i %(value)s.") % {"value": spec.label.lower()}, field=spec.name
            )
        cleaned[spec.name] = value
    if kind is kinds.FACTOR:
        if "domain" in cleaned and cleaned["domain"] not in FactorDomain.values:
            raise ValidationFailed(gettext("Välj ett område."), field="domain")
        if "kind" in cleaned and cleaned["kind"] not in FactorKind.values:
            raise ValidationFailed(gettext("Välj risk- eller skyddsfaktor."), field="kind")
    if kind is kinds.ACTOR and cleaned.get("directory_type", "") not in dict(kinds.DIRECTORY_TYPES):
        raise ValidationFailed(gettext("Okänd organisationstyp."), field="directory_type")
    return cleaned


def _author(actor: Actor | None) -> dict:
    if actor is None:
        return {"author_name": loader.LOADER_NAME}
    return {
        "author_user_id": actor.user_id,
        "author_name": actor.label,
        "author_organisation": actor.organisation_name,
    }


def _search_refresh(kind: kinds.Kind, obj) -> None:
    SearchDocument.objects.update_or_create(
        entry_type=kind.code, entry_id=obj.public_id, defaults=kinds.search_values(kind, obj)
    )


@transaction.atomic
def entry_update(
    *,
    actor: Actor | None,
    kind_code: str,
    entry_id: UUID | str,
    data: dict,
    expected_version: int,
    comment: str = "",
):
    """Change a content entry. Refuses a stale write (somebody saved since the form was
    opened) and a save that changes nothing; records a version with the changed
    fields."""
    _require_manager(actor)
    kind = _kind(kind_code)
    Model = _model(kind)
    try:
        obj = Model.objects.select_for_update().get(public_id=entry_id)
    except (Model.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    if obj.version != expected_version:
        raise StaleWrite(
            gettext(
                "Någon annan har sparat en ändring sedan du öppnade sidan. Läs den nya versionen "
                "och gör om din ändring."
            )
        )
    cleaned = _clean_entry_data(kind, data)
    changed = [name for name, value in cleaned.items() if getattr(obj, name) != value]
    if not changed:
        raise ValidationFailed(gettext("Inget har ändrats."))
    if (
        kind is kinds.CONCEPT
        and "term" in changed
        and Model.objects.filter(term__iexact=cleaned["term"]).exclude(pk=obj.pk).exists()
    ):
        raise ValidationFailed(gettext("Begreppet finns redan."), field="term")
    for name in changed:
        setattr(obj, name, cleaned[name])
    obj.version += 1
    obj.save()
    EntryVersion.objects.create(
        entry_type=kind.code,
        entry_id=obj.public_id,
        number=obj.version,
        data=kinds.snapshot(kind, obj),
        changed_fields=changed,
        comment=bounds.check_text(comment.strip(), max_length=bounds.TEXT_LINE, field="comment"),
        created_at=timezone.now(),
        **_author(actor),
    )
    _search_refresh(kind, obj)
    _audit(
        actor, Action.CHANGE, kind.resource_type, obj.public_id, fields=changed, version=obj.version
    )
    return obj


def _unique_code(Model, title: str) -> str:
    base = slugify(text.fold(title))[:70] or "post"
    code, n = base, 2
    while Model.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def entry_create(*, actor: Actor | None, kind_code: str, data: dict, comment: str = ""):
    _require_manager(actor)
    kind = _kind(kind_code)
    Model = _model(kind)
    cleaned = _clean_entry_data(kind, data)
    for spec in kind.fields:
        if spec.required and not cleaned.get(spec.name):
            raise ValidationFailed(
                gettext("Fyll i %(value)s.") % {"value": spec.label.lower()}, field=spec.name
            )
    if kind is kinds.CONCEPT and Model.objects.filter(term__iexact=cleaned["term"]).exists():
        raise ValidationFailed(gettext("Begreppet finns redan."), field="term")
    last = Model.objects.order_by("-position").values_list("position", flat=True).first() or 0
    with create_or_refuse("Posten finns redan.", field=kind.title_field):
        obj = Model.objects.create(
            code=_unique_code(Model, cleaned[kind.title_field]), position=last + 10, **cleaned
        )
    EntryVersion.objects.create(
        entry_type=kind.code,
        entry_id=obj.public_id,
        number=1,
        data=kinds.snapshot(kind, obj),
        changed_fields=[],
        comment=bounds.check_text(comment.strip(), max_length=bounds.TEXT_LINE, field="comment")
        or "Skapad.",
        created_at=timezone.now(),
        **_author(actor),
    )
    _search_refresh(kind, obj)
    _audit(actor, Action.CREATE, kind.resource_type, obj.public_id, code=obj.code)
    return obj


@transaction.atomic
def catalogue_sync(*, actor: Actor | None = None) -> dict[str, int]:
    """Add catalogue entries that a newer release brings (never changes existing)."""
    _require_manager(actor)
    added = loader.catalogue_load()
    if any(added.values()):
        _audit(actor, Action.CREATE, "knowledge.catalogue", "grundkatalog", added=added)
    return added


# Factor tags -----------------------------------------------------------------------------
@transaction.atomic
def factor_tags_set(
    *,
    actor: Actor,
    target_type: str,
    target_id: UUID | str,
    child_id: UUID | str,
    factor_codes: Iterable[str],
) -> list[FactorTag]:
    """Make the factors tagged on one record exactly ``factor_codes``. The target type's
    registered ``authorize`` decides and gives the ground; the change is audited on
    the child."""
    _require_member(actor)
    target = tagging.target_type(target_type)
    try:
        target_id, child_id = UUID(str(target_id)), UUID(str(child_id))
    except ValueError as exc:
        raise NotFound() from exc
    ground = target.authorize(actor, target_id, child_id)
    codes = {c.strip() for c in factor_codes if c and c.strip()}
    factors = {f.code: f for f in Factor.objects.filter(code__in=codes, is_active=True)}
    unknown = sorted(codes - factors.keys())
    if unknown:
        raise ValidationFailed(
            gettext("Okänd risk- eller skyddsfaktor: %(join)s.") % {"join": ", ".join(unknown)}
        )
    current = {
        tag.factor.code: tag
        for tag in FactorTag.objects.select_for_update()
        .filter(target_type=target_type, target_id=target_id)
        .select_related("factor")
    }
    if any(tag.child_id != child_id for tag in current.values()):
        raise ValidationFailed(gettext("Uppgiften gäller ett annat barn."))
    removed = sorted(current.keys() - codes)
    added = sorted(codes - current.keys())
    FactorTag.objects.filter(pk__in=[current[c].pk for c in removed]).delete()
    now = timezone.now()
    FactorTag.objects.bulk_create(
        [
            FactorTag(
                target_type=target_type,
                target_id=target_id,
                child_id=child_id,
                factor=factors[code],
                organisation_id=actor.organisation_id,
                created_by_id=actor.user_id,
                created_at=now,
            )
            for code in added
        ]
    )
    if added or removed:
        _audit(
            actor,
            Action.CHANGE,
            "knowledge.factortag",
            f"{target_type}:{target_id}",
            subject_id=child_id,
            ground=ground,
            added=added,
            removed=removed,
        )
    return list(
        FactorTag.objects.filter(target_type=target_type, target_id=target_id).select_related(
            "factor"
        )
    )


# Personal checklist ------------------------------------------------------------------------
def _own_checklist(actor: Actor, *, lock: bool = False) -> Checklist:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(gettext("Du måste vara inloggad."))
    checklist, _ = Checklist.objects.get_or_create(owner_id=actor.user_id)
    if lock:
        Checklist.objects.select_for_update().filter(pk=checklist.pk).first()
    return checklist


def _own_item(actor: Actor, item_id) -> ChecklistItem:
    try:
        return ChecklistItem.objects.select_related("checklist").get(
            public_id=item_id, checklist__owner_id=actor.user_id
        )
    except (ChecklistItem.DoesNotExist, ValueError) as exc:
        raise NotFound(gettext("Punkten finns inte i din checklista.")) from exc


def _audit_own(actor, action, checklist, **details):
    audit.event_record(
        actor=actor,
        action=action,
        resource_type="knowledge.checklist",
        resource_id=str(checklist.public_id),
        ground=Ground(code=grounds.SELF, label=gettext_lazy("Egen checklista")),
        details=details,
    )


@transaction.atomic
def checklist_suggestions_choose(*, actor: Actor, codes: Iterable[str]) -> Checklist:
    """Keep exactly the chosen suggestions on the actor's checklist (own items stay)."""
    checklist = _own_checklist(actor, lock=True)
    codes = set(codes)
    suggestions = {
        s.code: s for s in ChecklistSuggestion.objects.filter(code__in=codes, is_active=True)
    }
    if codes - suggestions.keys():
        raise ValidationFailed(gettext("Ett av förslagen finns inte längre. Ladda om sidan."))
    items = list(checklist.items.filter(suggestion__isnull=False).select_related("suggestion"))
    have = {item.suggestion.code for item in items}
    removed = [item for item in items if item.suggestion.code not in codes]
    ChecklistItem.objects.filter(pk__in=[i.pk for i in removed]).delete()
    for code in sorted(codes - have, key=lambda c: suggestions[c].position):
        ChecklistItem.objects.create(
            checklist=checklist, suggestion=suggestions[code], position=suggestions[code].position
        )
    _audit_own(
        actor,
        Action.CHANGE,
        checklist,
        added=sorted(codes - have),
        removed=sorted(i.suggestion.code for i in removed),
    )
    return checklist


@transaction.atomic
def checklist_item_add(*, actor: Actor, text: str) -> ChecklistItem:
    checklist = _own_checklist(actor, lock=True)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(gettext("Skriv vad du vill göra."), field="text")
    if len(text) > 300:
        raise ValidationFailed(gettext("Punkten får vara högst 300 tecken."), field="text")
    if checklist.items.count() >= MAX_CHECKLIST_ITEMS:
        raise ValidationFailed(gettext("Checklistan är full. Ta bort något först."))
    last = checklist.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = ChecklistItem.objects.create(
        checklist=checklist, text=text, position=max(last, 1000) + 1
    )
    _audit_own(actor, Action.CREATE, checklist, item=str(item.public_id))
    return item


@transaction.atomic
def checklist_item_mark(*, actor: Actor, item_id, done: bool) -> ChecklistItem:
    item = _own_item(actor, item_id)
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at", "updated_at"])
    _audit_own(actor, Action.CHANGE, item.checklist, item=str(item.public_id), done=done)
    return item


@transaction.atomic
def checklist_item_remove(*, actor: Actor, item_id) -> None:
    item = _own_item(actor, item_id)
    checklist = item.checklist
    item.delete()
    _audit_own(actor, Action.DELETE, checklist, item=str(item_id))


# Events (mötesplatser and shared training) -------------------------------------------------
def _clean_event(
    *, title, kind, starts_at, ends_at, capacity, evaluation_url, location, description, programme
) -> dict:
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(gettext("Ange en rubrik."), field="title")
    if kind not in EventKind.values:
        raise ValidationFailed(gettext("Välj typ av tillfälle."), field="kind")
    if starts_at is None or ends_at is None:
        raise ValidationFailed(gettext("Ange när tillfället börjar och slutar."), field="starts_at")
    if ends_at < starts_at:
        raise ValidationFailed(gettext("Sluttiden kan inte vara före starttiden."), field="ends_at")
    if capacity is not None and capacity < 1:
        raise ValidationFailed(gettext("Antalet platser måste vara minst 1."), field="capacity")
    return {
        "title": title,
        "kind": kind,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
        "evaluation_url": (evaluation_url or "").strip(),
        "location": (location or "").strip(),
        "description": (description or "").strip(),
        "programme": (programme or "").strip(),
    }


def _event_search_refresh(event: Event) -> None:
    with translation.override(settings.LANGUAGE_CODE):  # the index is in Swedish
        kind = event.get_kind_display()
    full = f"{event.title} {kind} {event.description} {event.programme}"
    SearchDocument.objects.update_or_create(
        entry_type=kinds.EVENT_TYPE,
        entry_id=event.public_id,
        defaults={
            "code": str(event.public_id),
            "title": event.title,
            "summary": summarise(event.description, 600).short,
            "title_roots": text.index_text(event.title),
            "roots": text.index_text(full),
            "roots_folded": text.index_text_folded(full),
        },
    )


def _set_invitations(event: Event, organisation_ids: Iterable[int]) -> list[int]:
    wanted = {int(i) for i in organisation_ids}
    for org_id in wanted:
        if not directory.organisation_exists(org_id):
            raise ValidationFailed(gettext("En av de inbjudna organisationerna finns inte."))
    current = set(event.invitations.values_list("organisation_id", flat=True))
    event.invitations.filter(organisation_id__in=current - wanted).delete()
    EventInvitation.objects.bulk_create(
        [EventInvitation(event=event, organisation_id=o) for o in sorted(wanted - current)]
    )
    return sorted(wanted)


@transaction.atomic
def event_create(
    *,
    actor: Actor,
    title: str,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    invited_organisation_ids: Iterable[int] = (),
    location: str = "",
    description: str = "",
    programme: str = "",
    capacity: int | None = None,
    evaluation_url: str = "",
    organiser_id: int | None = None,
) -> Event:
    """An administrator arranges an event on behalf of their own organisation."""
    _require_manager(actor)
    organiser_id = actor.organisation_id if actor is not None else organiser_id
    if organiser_id is None:
        raise ValidationFailed(gettext("Ange vilken organisation som arrangerar."))
    fields = _clean_event(
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        evaluation_url=evaluation_url,
        location=location,
        description=description,
        programme=programme,
    )
    event = Event.objects.create(organiser_id=organiser_id, **fields)
    invited = _set_invitations(event, invited_organisation_ids)
    _event_search_refresh(event)
    _audit(actor, Action.CREATE, "knowledge.event", event.public_id, invited=invited)
    return event


def _organised_event(actor: Actor | None, event_id, *, lock=False) -> Event:
    qs = Event.objects.select_for_update() if lock else Event.objects
    try:
        event = qs.get(public_id=event_id)
    except (Event.DoesNotExist, ValueError) as exc:
        raise NotFound(gettext("Tillfället finns inte.")) from exc
    _require_manager(actor)
    if actor is not None and event.organiser_id != actor.organisation_id:
        raise PermissionDenied(
            gettext("Bara den arrangerande organisationen kan ändra tillfället.")
        )
    return event


@transaction.atomic
def event_update(
    *,
    actor: Actor,
    event_id,
    expected_version: int,
    invited_organisation_ids: Iterable[int],
    **fields,
) -> Event:
    event = _organised_event(actor, event_id, lock=True)
    if event.version != expected_version:
        raise StaleWrite(
            gettext("Någon annan har ändrat tillfället. Ladda om sidan och försök igen.")
        )
    cleaned = _clean_event(**fields)
    changed = [k for k, v in cleaned.items() if getattr(event, k) != v]
    for key in changed:
        setattr(event, key, cleaned[key])
    event.version += 1
    event.save()
    invited = _set_invitations(event, invited_organisation_ids)
    _event_search_refresh(event)
    _audit(
        actor, Action.CHANGE, "knowledge.event", event.public_id, fields=changed, invited=invited
    )
    return event


@transaction.atomic
def event_cancel(*, actor: Actor, event_id) -> Event:
    event = _organised_event(actor, event_id, lock=True)
    if event.cancelled_at is None:
        event.cancelled_at = timezone.now()
        event.version += 1
        event.save(update_fields=["cancelled_at", "version", "updated_at"])
        _audit(actor, Action.CHANGE, "knowledge.event", event.public_id, cancelled=True)
    return event


def _registrable_event(actor: Actor, event_id) -> Event:
    try:
        event = Event.objects.select_for_update().get(public_id=event_id)
    except (Event.DoesNotExist, ValueError) as exc:
        raise NotFound(gettext("Tillfället finns inte.")) from exc
    if event.cancelled_at is not None:
        raise ValidationFailed(gettext("Tillfället är inställt."))
    if event.ends_at < timezone.now():
        raise ValidationFailed(gettext("Tillfället har redan varit."))
    return event


@transaction.atomic
def event_register(*, actor: Actor, event_id) -> EventRegistration:
    """Register the actor. Only staff of invited organisations (or the organiser) may
    come; the capacity is respected."""
    _require_member(actor)
    event = _registrable_event(actor, event_id)
    invited = set(event.invitations.values_list("organisation_id", flat=True))
    if invited and actor.organisation_id not in invited | {event.organiser_id}:
        raise PermissionDenied(
            gettext("%(organisation_name)s är inte inbjuden till tillfället.")
            % {"organisation_name": actor.organisation_name}
        )
    registration = EventRegistration.objects.filter(event=event, user_id=actor.user_id).first()
    if registration and registration.cancelled_at is None:
        raise ValidationFailed(gettext("Du är redan anmäld."))
    if event.capacity is not None:
        taken = event.registrations.filter(cancelled_at__isnull=True).count()
        if taken >= event.capacity:
            raise ValidationFailed(gettext("Tillfället är fullt."))
    if registration:
        registration.cancelled_at = None
        registration.organisation_id = actor.organisation_id
        registration.function_name = actor.function_name
        registration.save(
            update_fields=["cancelled_at", "organisation", "function_name", "updated_at"]
        )
    else:
        try:
            with transaction.atomic():
                registration = EventRegistration.objects.create(
                    event=event,
                    user_id=actor.user_id,
                    organisation_id=actor.organisation_id,
                    function_name=actor.function_name,
                )
        except IntegrityError as exc:
            raise ValidationFailed(gettext("Du är redan anmäld.")) from exc
    _audit(
        actor,
        Action.CREATE,
        "knowledge.eventregistration",
        registration.public_id,
        ground=Ground(code=grounds.SELF, label=gettext_lazy("Egen anmälan")),
        event=str(event.public_id),
    )
    return registration


@transaction.atomic
def event_unregister(*, actor: Actor, event_id) -> None:
    _require_member(actor)
    event = _registrable_event(actor, event_id)
    registration = EventRegistration.objects.filter(
        event=event, user_id=actor.user_id, cancelled_at__isnull=True
    ).first()
    if registration is None:
        raise ValidationFailed(gettext("Du är inte anmäld."))
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["cancelled_at", "updated_at"])
    _audit(
        actor,
        Action.CHANGE,
        "knowledge.eventregistration",
        registration.public_id,
        ground=Ground(code=grounds.SELF, label=gettext_lazy("Egen anmälan")),
        cancelled=True,
    )


@transaction.atomic
def event_attendance_record(*, actor: Actor, event_id, attended_ids: Iterable) -> int:
    """The organiser records who came (registration public ids). Everyone else
    registered is recorded as absent."""
    event = _organised_event(actor, event_id, lock=True)
    if event.starts_at > timezone.now():
        raise ValidationFailed(gettext("Närvaro kan registreras först när tillfället har börjat."))
    attended = {str(i) for i in attended_ids}
    registrations = list(event.registrations.filter(cancelled_at__isnull=True))
    for registration in registrations:
        registration.attended = str(registration.public_id) in attended
    EventRegistration.objects.bulk_update(registrations, ["attended"])
    count = sum(1 for r in registrations if r.attended)
    _audit(actor, Action.CHANGE, "knowledge.event", event.public_id, attendance=count)
    return count


# Competence plans --------------------------------------------------------------------------
def _own_plan(actor: Actor | None, plan_id, *, lock=False) -> CompetencePlan:
    qs = CompetencePlan.objects.select_for_update() if lock else CompetencePlan.objects
    try:
        plan = qs.get(public_id=plan_id)
    except (CompetencePlan.DoesNotExist, ValueError) as exc:
        raise NotFound(gettext("Planen finns inte.")) from exc
    _require_manager(actor)
    if actor is not None and plan.organisation_id != actor.organisation_id:
        raise PermissionDenied(gettext("Du kan bara ändra din egen organisations kompetensplan."))
    return plan


@transaction.atomic
def competence_plan_create(
    *, actor: Actor | None, period: str, goal: str = "", organisation_id: int | None = None
) -> CompetencePlan:
    _require_manager(actor)
    organisation_id = actor.organisation_id if actor is not None else organisation_id
    period = (period or "").strip()
    if not period:
        raise ValidationFailed(gettext("Ange vilken period planen gäller."), field="period")
    if CompetencePlan.objects.filter(organisation_id=organisation_id, period=period).exists():
        raise ValidationFailed(gettext("Det finns redan en plan för perioden."), field="period")
    with create_or_refuse(gettext("Det finns redan en plan för perioden."), field="period"):
        plan = CompetencePlan.objects.create(
            organisation_id=organisation_id, period=period, goal=(goal or "").strip()
        )
    _audit(actor, Action.CREATE, "knowledge.competenceplan", plan.public_id, period=period)
    return plan


@transaction.atomic
def competence_item_add(
    *,
    actor: Actor | None,
    plan_id,
    topic: str,
    target_group: str = "",
    due: datetime.date | None = None,
    event_id=None,
) -> CompetencePlanItem:
    plan = _own_plan(actor, plan_id, lock=True)
    topic = (topic or "").strip()
    if not topic:
        raise ValidationFailed(gettext("Ange vad kompetensinsatsen gäller."), field="topic")
    event = None
    if event_id:
        event = Event.objects.filter(public_id=event_id).first()
        if event is None:
            raise ValidationFailed(gettext("Tillfället finns inte."), field="event")
    item = CompetencePlanItem.objects.create(
        plan=plan, topic=topic, target_group=(target_group or "").strip(), due=due, event=event
    )
    _audit(actor, Action.CHANGE, "knowledge.competenceplan", plan.public_id, added=topic)
    return item


@transaction.atomic
def competence_item_status_set(*, actor: Actor | None, item_id, status: str) -> CompetencePlanItem:
    try:
        item = CompetencePlanItem.objects.select_related("plan").get(public_id=item_id)
    except (CompetencePlanItem.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    _own_plan(actor, item.plan.public_id)
    if status not in CompetenceItemStatus.values:
        raise ValidationFailed(gettext("Välj en status."), field="status")
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    _audit(
        actor,
        Action.CHANGE,
        "knowledge.competenceplan",
        item.plan.public_id,
        item=str(item.public_id),
        status=status,
    )
    return item


def factor_tags_remove_for_retention(*, target_type: str, target_ids: Iterable[UUID | str]) -> int:
    """Remove every tag on records that are being thinned under a retention rule
    (retention.services). Called inside the retention run's transaction, which writes
    the audit rows for the records removed; no actor (the rule is the ground)."""
    ids = [UUID(str(i)) for i in target_ids]
    deleted, _ = FactorTag.objects.filter(target_type=target_type, target_id__in=ids).delete()
    return deleted
