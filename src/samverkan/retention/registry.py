"""Record types that can be thinned. The apps that own the records register them from
their ``AppConfig.ready()`` (the retention app never imports them):

    registry.register(registry.RecordType(
        code="concerns.report_not_investigated",
        label="Orosanmälan som inte ledde till utredning",
        candidates=...,  # (cutoff) -> [Candidate]: records whose clock started before cutoff
        archive=...,     # (ids) -> [dict]: the content kept in the archive, JSON-ready
        remove=...,      # (ids) -> int: removes the records and what belongs to them
    ))

A record type is only ever used through a rule of the schedule that names it, and a
rule whose record type is not registered removes nothing (the run reports it).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    resource_id: str  # the record's public id
    subject_id: str  # the child's public id, or ""
    clock: datetime.datetime  # when the retention time started to run


@dataclass(frozen=True)
class RecordType:
    code: str
    label: str
    candidates: Callable[[datetime.datetime], list[Candidate]]
    archive: Callable[[Sequence[str]], list[dict]]
    remove: Callable[[Sequence[str]], int]


_registry: dict[str, RecordType] = {}


def register(record_type: RecordType) -> None:
    _registry[record_type.code] = record_type


def get(code: str) -> RecordType | None:
    return _registry.get(code)


def codes() -> list[str]:
    return sorted(_registry)
