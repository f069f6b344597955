"""A user's own checklist, theirs alone: choosing from the suggestions, adding, marking
and removing items."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import grounds
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed

from .models import (
    Checklist,
    ChecklistItem,
    ChecklistSuggestion,
)

MAX_CHECKLIST_ITEMS = 100


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
