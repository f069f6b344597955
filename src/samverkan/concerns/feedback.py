"""Feedback to a reporter as typed statements from a catalogue (``data/feedback.yaml``).

Each statement has a code, plain-Swedish wording, a ground (``statutory``: the
minimum given on request; ``harmless``: the municipality's list of harmless or
already known facts; ``consent``: anything else) and the matter states in which it
is true. What social services may send, and the status line the reporter sees, are
both derived from the matter's actual state (``facts``), so a statement that
contradicts the matter cannot be sent and a closure outcome reaches a reporter
without consent only in whitelisted words.

The functions here are pure (no database): ``facts`` reads a handling, the rest take
the facts and an ``Access`` saying which grounds the viewer has. The services and
selectors decide consent (``consent.sharing``) and pass the answer in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from . import conf

STATUTORY = "statutory"
HARMLESS = "harmless"
CONSENT = "consent"
REPORTER = "reporter"
GROUNDS = {STATUTORY, HARMLESS, CONSENT, REPORTER}

FACTS = frozenset(
    {
        "received",
        "handler",
        "awaiting_written",
        "assessing",
        "decided",
        "opened",
        "not_opened",
        "ongoing",
        "investigated",
        "open",
        "closed",
        "outcome_no_investigation",
        "outcome_no_intervention",
        "outcome_intervention",
        "outcome_referred",
    }
)
_DECISION_FACTS = {"open": "opened", "not_open": "not_opened", "ongoing": "ongoing"}
_CATALOGUE = Path(__file__).parent / "data" / "feedback.yaml"


@dataclass(frozen=True)
class Statement:
    """One typed statement (or status line) of the catalogue."""

    code: str
    ground: str
    text: str
    when: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()
    category: str = "insatser"

    def holds(self, facts: frozenset[str]) -> bool:
        return self.when <= facts and not (self.unless & facts)


@dataclass(frozen=True)
class Catalogue:
    statements: dict[str, Statement]
    statuses: tuple[Statement, ...]


def _entry(row: dict, where: str) -> Statement:
    unknown = (set(row.get("when", [])) | set(row.get("unless", []))) - FACTS
    if row.get("ground") not in GROUNDS or unknown or not row.get("code") or not row.get("text"):
        raise ImproperlyConfigured(f"{_CATALOGUE.name}: bad {where} entry {row!r}")
    return Statement(
        code=row["code"],
        ground=row["ground"],
        text=row["text"],
        when=frozenset(row.get("when", [])),
        unless=frozenset(row.get("unless", [])),
        category=row.get("category", "insatser"),
    )


@cache
def catalogue() -> Catalogue:
    with _CATALOGUE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    statements = [_entry(row, "statement") for row in data["statements"]]
    statuses = tuple(_entry(row, "status") for row in data["statuses"])
    if any(s.ground == REPORTER for s in statements):
        raise ImproperlyConfigured("A statement sent to the reporter needs a legal ground.")
    if statuses[-1].when or statuses[-1].ground != REPORTER:
        raise ImproperlyConfigured("The last status must always hold for the reporter.")
    return Catalogue({s.code: s for s in statements}, statuses)


def statement(code: str) -> Statement | None:
    return catalogue().statements.get(code)


def harmless_codes() -> frozenset[str]:
    """The municipality's list of harmless statements and statuses (by code)."""
    cat = catalogue()
    every = {s.code for s in [*cat.statements.values(), *cat.statuses] if s.ground == HARMLESS}
    configured = conf.get("CONCERN_FEEDBACK_HARMLESS")
    if configured is None:
        return frozenset(every)
    unknown = set(configured) - every
    if unknown:
        raise ImproperlyConfigured(
            f"CONCERN_FEEDBACK_HARMLESS names codes that are not harmless statements: {unknown}"
        )
    return frozenset(configured)


def facts(*, handling, channel: str = "written") -> frozenset[str]:
    """What is true of a matter now, from social services' handling of the report."""
    found = {"received"}
    if handling.handler_id:
        found.add("handler")
    if channel == "oral" and handling.written_received_at is None:
        found.add("awaiting_written")
    decision = _DECISION_FACTS.get(handling.preliminary_decision or "")
    if decision:
        found |= {"decided", decision}
        if decision in {"opened", "ongoing"}:
            found.add("investigated")
    else:
        found.add("assessing")
    if handling.closed_at is not None:
        found.add("closed")
        if handling.outcome:
            found.add(f"outcome_{handling.outcome}")
    else:
        found.add("open")
    return frozenset(found)


@dataclass(frozen=True)
class Access:
    """Which grounds a reporter's organisation has for one report: the statutory
    minimum and the reporter's own knowledge always; a harmless code while it is on the
    municipality's list; consent when ``consent(category)`` says a consent covers it."""

    harmless: frozenset[str]
    consent: Callable[[str], bool]

    def ground_for(self, entry: Statement) -> str | None:
        """The ground this entry may pass on, or None."""
        if entry.ground in {STATUTORY, REPORTER}:
            return entry.ground
        if entry.ground == HARMLESS and entry.code in self.harmless:
            return HARMLESS
        # A harmless code the municipality left off its list needs a consent too.
        return CONSENT if self.consent(entry.category) else None


def no_consent(_category: str) -> bool:
    return False


def offered(state: frozenset[str]) -> list[Statement]:
    """The statements that are true of the matter now, in catalogue order."""
    return [s for s in catalogue().statements.values() if s.holds(state)]


def reporter_status(state: frozenset[str], access: Access) -> Statement:
    """The status line the reporter sees: the first status that holds and whose ground
    the reporter has (the last one, "Mottagen", always does)."""
    for entry in catalogue().statuses:
        if entry.holds(state) and access.ground_for(entry) is not None:
            return entry
    raise AssertionError("the catalogue ends with a status that always holds")


def contradiction(entry: Statement, state: frozenset[str]) -> str:
    """Why a statement is not true of the matter now, in plain Swedish."""
    return _("”%(text)s” stämmer inte med ärendet just nu (%(value)s) och kan inte skickas.") % {
        "text": entry.text,
        "value": describe(state),
    }


def describe(state: frozenset[str]) -> str:
    """The matter's state in social services' own words (never shown to a reporter)."""
    parts: Iterable[str] = [
        label
        for fact, label in (
            ("opened", "utredning inledd"),
            ("not_opened", "ingen utredning inleds"),
            ("ongoing", _("utredning pågår redan")),
            ("assessing", _("förhandsbedömning pågår")),
            ("outcome_no_investigation", "avslutat utan utredning"),
            ("outcome_no_intervention", "avslutat utan insats"),
            ("outcome_intervention", _("avslutat med insats")),
            ("outcome_referred", _("överlämnat")),
        )
        if fact in state
    ]
    return ", ".join(parts)
