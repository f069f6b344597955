"""The organisation's guardians of a child and the history of its record of them, in
one query (decision 0366).

The child overview shows both: the current custodies (``ended_at`` empty) and the
history of every custody the organisation recorded for the child (also ended ones),
newest first, at most ``HISTORY_ROWS`` events. They were two queries; here each custody
is joined with its events (a ``FilteredRelation``, so one row per event, or one row for
a custody without events) and the two lists are made from the rows. A family's record
has a handful of events; when the rows exceed ``JOINED_ROWS`` the caller asks the two
queries apart instead, so that the read stays bounded.

``custody_history`` turns the events into the lines the overview shows (what changed,
in Swedish).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import FilteredRelation
from django.utils.translation import gettext_lazy

from samverkan.access.actor import Actor
from samverkan.core.prepared import PreparedQuery

from .models import Custody, CustodyEvent, CustodyType

if TYPE_CHECKING:
    from .selectors import ChildView

HISTORY_ROWS = 100
JOINED_ROWS = 300


# Built and compiled once per process (decision 0370).
_JOINED = PreparedQuery(
    Custody,
    lambda child_id, organisation_id: (
        Custody.objects.filter(child_id=child_id, guardian__organisation_id=organisation_id)
        .annotate(event=FilteredRelation("events"))
        .select_related("guardian", "event")
        .order_by("created_at", "pk")[: JOINED_ROWS + 1]
    ),
    lambda: (
        Custody._meta.get_field("child").target_field,
        Custody._meta.get_field("guardian")
        .related_model._meta.get_field("organisation")
        .target_field,
    ),
)


def current_with_history(organisation_id, child) -> tuple[list[Custody], list[CustodyEvent]] | None:
    """``(current custodies by creation, events newest first)``, the events with their
    custody and guardian loaded; ``None`` when there are more than ``JOINED_ROWS`` rows."""
    rows = _JOINED.run(child.pk, organisation_id)
    if len(rows) > JOINED_ROWS:
        return None
    current, seen, events = [], set(), []
    for row in rows:
        if row.ended_at is None and row.pk not in seen:
            seen.add(row.pk)
            current.append(row)
        # A filtered relation that found no row is not set on the instance at all.
        event = getattr(row, "event", None)
        if event is not None:
            events.append(event)
    events.sort(key=lambda e: (e.occurred_at, e.pk), reverse=True)
    return current, events[:HISTORY_ROWS]


CHANGE_LABELS = {
    "first_name": gettext_lazy("förnamn"),
    "last_name": "efternamn",
    "personal_number": "personnummer",
    "phone": "telefon",
    "email": "e-post",
    "custody_type": gettext_lazy("vårdnad"),
    "guardian": gettext_lazy("vårdnadshavare"),
}


@dataclass
class CustodyHistoryItem:
    event: CustodyEvent
    changes: list[tuple[str, str, str]]  # (label, before, after)


def custody_history(actor: Actor, view: ChildView) -> list[CustodyHistoryItem]:
    """The history of the actor's organisation's record of the child's guardians (also
    ended custodies), for a child the actor has already been allowed to read on its
    own matter (``view``). Other organisations' records are never shown."""
    if not view.own_matter:
        return []
    custody_labels = dict(CustodyType.choices)
    items = []
    events = view.custody_events
    if events is None:
        events = (
            CustodyEvent.objects.filter(
                custody__child=view.child, custody__guardian__organisation_id=actor.organisation_id
            )
            .select_related("custody__guardian")
            .order_by("-occurred_at", "-pk")[:HISTORY_ROWS]
        )
    for event in events:
        changes = []
        for name, (before, after) in event.changes.items():
            if name == "custody_type":
                before, after = custody_labels.get(before, before), custody_labels.get(after, after)
            changes.append((CHANGE_LABELS.get(name, name), before or "–", after or "–"))
        items.append(CustodyHistoryItem(event=event, changes=changes))
    return items
