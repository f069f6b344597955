"""The shared chronology of a child: one timeline assembled at read time from what every
organisation recorded about the child (reports, plans, consents, recorded judgements),
without the people app importing those apps. Each feature registers a ``Source`` (from
its ``AppConfig.ready``) that returns the events the actor may see **through that
feature's disclosure path** (``access.pipeline.disclose`` or the policy with its audit
rows): an event appears only under a ground the actor has now, and carries that ground's
label, so the page shows it beside the event."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from samverkan.access.actor import Actor


@dataclass(frozen=True)
class Event:
    at: datetime.datetime
    kind: str  # the source's key, e.g. "report"
    kind_label: str
    organisation_name: str
    title: str
    ground_label: str
    url: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    events: Callable[[Actor, object], list[Event]]


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.key] = source


def kinds() -> list[tuple[str, str]]:
    return [(s.key, str(s.label)) for s in sorted(_sources.values(), key=lambda s: s.key)]


def assemble(
    actor: Actor, child, *, kind: str = "", organisation: str = ""
) -> tuple[list[Event], list[str]]:
    """The child's events the actor may see, newest first, filtered by kind (a source's
    key) and organisation name; and the names of the organisations in the unfiltered
    timeline (for the filter)."""
    events: list[Event] = []
    for source in _sources.values():
        if kind and source.key != kind:
            continue
        events.extend(source.events(actor, child))
    names = sorted({e.organisation_name for e in events})
    if organisation:
        events = [e for e in events if e.organisation_name == organisation]
    events.sort(key=lambda e: e.at, reverse=True)
    return events, names
