"""Catalogue grounds as the audit log and the disclosure records store them: the code,
a label with the ground's name and statute, the reference of the record it rests on
(a report, a consent, a recorded decision) and the catalogue's version."""

from __future__ import annotations

from samverkan.audit.services import Ground

from . import catalogue


def audit_ground(code: str, reference: str = "", *, note: str = "") -> Ground:
    """The Ground of catalogue ground ``code`` as it stands in the catalogue in force."""
    current = catalogue.load()
    ground = current.get(code)
    label = f"{ground.name} ({ground.statute_text})"
    if note:
        label = f"{label}, {note}"
    return Ground(code=code, label=label[:300], reference=reference, version=current.version)


def versioned(ground: Ground) -> Ground:
    """``ground`` with the catalogue's version (a feature's own ground of the same code)."""
    if ground.version:
        return ground
    return Ground(
        code=ground.code,
        label=ground.label,
        reference=ground.reference,
        version=catalogue.load().version,
    )
