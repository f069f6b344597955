"""The shared chronology of a child: one timeline assembled at read time from what every
organisation recorded about the child (reports, plans, consents, recorded judgements),
without the people app importing those apps. Each feature registers a ``Source`` (from
its ``AppConfig.ready``) that returns the events the actor may see **through that
feature's disclosure path** (``access.pipeline.disclose`` or the policy with its audit
rows): an event appears only under a ground the actor has now, and carries that ground's
label, so the page shows it beside the event. Titles are the product's own words; the
few kinds whose record the viewer may read in full also carry a short ``detail``
(decision 0347)."""

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
    # A short line of the record's own text (a feedback's wording, an evaluation's or a
    # plan version's comment), only where the same decision lets the viewer read it on
    # the record's own page, or the record is its own organisation's (decision 0347).
    detail: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    events: Callable[[Actor, object], list[Event]]
    # Further kinds of event the source returns (key, label), e.g. the steps inside a
    # report, read under the same decision as the report itself.
    more_kinds: tuple[tuple[str, str], ...] = ()

    def gives(self, kind: str) -> bool:
        return kind == self.key or kind in {key for key, _label in self.more_kinds}


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.key] = source


def kinds() -> list[tuple[str, str]]:
    found = [(s.key, str(s.label)) for s in _sources.values()]
    found += [(key, str(label)) for s in _sources.values() for key, label in s.more_kinds]
    return sorted(found)


def assemble(
    actor: Actor, child, *, kind: str = "", organisation: str = ""
) -> tuple[list[Event], list[str]]:
    """The child's events the actor may see, newest first, filtered by kind (a source's
    key) and organisation name; and the names of the organisations in the unfiltered
    timeline (for the filter)."""
    events: list[Event] = []
    for source in _sources.values():
        if kind and not source.gives(kind):
            continue
        events.extend(e for e in source.events(actor, child) if not kind or e.kind == kind)
    names = sorted({e.organisation_name for e in events})
    if organisation:
        events = [e for e in events if e.organisation_name == organisation]
    events.sort(key=lambda e: e.at, reverse=True)
    return events, names
