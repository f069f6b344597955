"""How the audit app finds the person a log row is about, without importing the apps
that own personal data (the people app registers itself here at start-up)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    id: str
    label: str  # e.g. "Melwin Andersson, 20120315-1234"


_lookup: Callable[[str], Subject | None] | None = None
_label: Callable[[str], Subject | None] | None = None
_labels: Callable[[list[str]], dict[str, Subject]] | None = None


def register(
    *,
    lookup: Callable[[str], Subject | None],
    label: Callable[[str], Subject | None],
    labels: Callable[[list[str]], dict[str, Subject]] | None = None,
):
    global _lookup, _label, _labels
    _lookup, _label, _labels = lookup, label, labels


def lookup(personal_number: str) -> Subject | None:
    """Find a person by personnummer. Raises the owner's validation error on a bad
    number."""
    return _lookup(personal_number) if _lookup else None


def label(subject_id: str) -> Subject | None:
    return _label(subject_id) if _label and subject_id else None


def labels(subject_ids) -> dict[str, Subject]:
    """Several subjects at once (one query when the owner registered ``labels``)."""
    ids = sorted({i for i in subject_ids if i})
    if _labels is not None:
        return _labels(ids)
    return {i: found for i in ids if (found := label(i)) is not None}
