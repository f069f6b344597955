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


def register(*, lookup: Callable[[str], Subject | None], label: Callable[[str], Subject | None]):
    global _lookup, _label
    _lookup, _label = lookup, label


def lookup(personal_number: str) -> Subject | None:
    """Find a person by personnummer. Raises the owner's validation error on a bad
    number."""
    return _lookup(personal_number) if _lookup else None


def label(subject_id: str) -> Subject | None:
    return _label(subject_id) if _label and subject_id else None
