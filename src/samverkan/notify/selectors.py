"""Reads of the inbox: the items addressed to the reader in the role they act in now,
each re-checked by the owning app for this reader (notify.inbox.resolve). A page of
items writes one audit row naming every record and child shown (decision 0092)."""

from __future__ import annotations

from dataclasses import dataclass

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import paging
from samverkan.directory import selectors as directory

from . import inbox
from .models import InboxItem

# The header's count looks at most this many open items (and says "99+" beyond).
COUNT_LIMIT = 100


@dataclass(frozen=True)
class Row:
    item: InboxItem
    shown: inbox.Shown
    label: str

    @property
    def overdue(self) -> bool:
        return self.item.reminded_at is not None and self.item.done_at is None


def _mine(actor: Actor):
    addresses = inbox.addresses_of(actor, directory.contact_function_ids_held(actor.membership_id))
    return InboxItem.objects.filter(address__in=addresses)


def inbox_page(actor: Actor, *, page: int = 1, done: bool = False) -> paging.Page:
    """One page of the reader's open (or, with ``done``, finished) items. Items whose
    record the reader may no longer see are left out of the page."""
    rows = _mine(actor).filter(done_at__isnull=not done).order_by("-created_at", "-pk")
    result = paging.page_of(rows, page)
    shown = inbox.resolve(actor, result.items)
    result.items = [
        Row(item=item, shown=shown[item.pk], label=inbox.label(item.kind))
        for item in result.items
        if shown.get(item.pk) is not None
    ]
    audit.list_record(
        actor=actor,
        action=Action.READ,
        resource_type="notify.inboxitem",
        items=[
            audit.ListItem(
                resource_id=str(row.item.public_id),
                subject_id=row.shown.subject_id,
                ground=row.shown.ground,
            )
            for row in result.items
            if row.shown.subject_id
        ],
        reason="Inkorgen",
    )
    return result


def open_count(actor: Actor, *, since=None) -> int:
    """How many open items the reader has now (re-checked, as on the inbox page), or
    of those that arrived after ``since``."""
    if not actor.has_membership:
        return 0
    mine = _mine(actor).filter(done_at__isnull=True)
    if since is not None:
        mine = mine.filter(created_at__gt=since)
    items = list(mine.order_by("-created_at")[:COUNT_LIMIT])
    shown = inbox.resolve(actor, items)
    return sum(1 for item in items if shown.get(item.pk) is not None)
