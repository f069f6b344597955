"""Secrecy flags for log extracts given to a child or a guardian.

The audit app cannot know which log rows would reveal something secret: a report of
concern the guardians must not be told about (the concerns app), a child with
protected identity (the people app). Those apps register a flagger here from their
``AppConfig.ready()`` (the same inversion as ``subjects.register``).

A flagger gets the child's subject id, the organisation whose log is extracted and the
rows, and returns notes for the reviewer: row id -> why the row may have to be withheld.
It may only use what that organisation itself knows (its own reports, its own matter),
so a note never tells the reviewer about another organisation's matter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Flagger = Callable[[str, int, Sequence], dict[int, str]]

_flaggers: list[Flagger] = []


def register(flagger: Flagger) -> None:
    if flagger not in _flaggers:
        _flaggers.append(flagger)


def flags(subject_id: str, organisation_id: int, rows: Sequence) -> dict[str, list[str]]:
    """Row id (as text, as stored in JSON) -> every note the flaggers gave the row."""
    found: dict[str, list[str]] = {}
    for flagger in _flaggers:
        for row_id, note in flagger(subject_id, organisation_id, rows).items():
            found.setdefault(str(row_id), []).append(note)
    return found
