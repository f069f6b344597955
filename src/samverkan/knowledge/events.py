"""Events (mötesplatser and shared training): creating, updating and cancelling one,
registering and unregistering, and recording attendance."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import grounds
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core.errors import NotFound, PermissionDenied, StaleWrite, ValidationFailed
from samverkan.core.summaries import summarise
from samverkan.directory import selectors as directory

from . import kinds, text
from .models import (
    Event,
    EventInvitation,
    EventKind,
    EventRegistration,
    SearchDocument,
)
from .writes import _audit, _require_manager, _require_member


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
