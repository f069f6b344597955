"""The registry of indicator definitions: what each computed indicator counts, in
words a reader can check, and the function (in the app that owns the data) that counts
it. Every figure leaves here as an aggregate per month and group, with small cells
suppressed (``suppress``); nothing links to a child.

A definition's ``compute(start, end)`` returns rows ``(month, group, numerator,
denominator)`` for the half-open period ``[start, end)``; ``denominator`` is None for
counts and the base of a share otherwise.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from samverkan.concerns import statistics as concerns
from samverkan.consent import statistics as consent
from samverkan.directory import selectors as directory
from samverkan.knowledge import statistics as knowledge
from samverkan.meetings import statistics as meetings
from samverkan.plans import statistics as plans

# Fewer than this many (but more than none) is shown as "<5".
SMALL_CELL = 5
COUNT = "count"
SHARE = "share"


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    description: str
    unit: str  # COUNT or SHARE
    source: str
    compute: Callable[[datetime.date, datetime.date], list[tuple]]
    group_labels: Callable[[], dict[str, str]] = dict


_REGISTRY: dict[str, Definition] = {}


def register(definition: Definition) -> None:
    _REGISTRY[definition.code] = definition


def get(code: str) -> Definition | None:
    return _REGISTRY.get(code)


def all_definitions() -> list[Definition]:
    return sorted(_REGISTRY.values(), key=lambda d: d.name)


def choices() -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in all_definitions()]


@dataclass(frozen=True)
class Figure:
    """One figure as shown: ``text`` is what a reader sees ("<5", "12", "83 %");
    ``value`` is the number behind it, or None when suppressed or without a base."""

    text: str
    value: float | None
    suppressed: bool = False


# A figure hidden so that a suppressed one cannot be worked out from it (a row total
# where exactly one group is "<5": the total minus the others would give it away).
HIDDEN = Figure("dold", None, True)


def suppress(count: int) -> Figure:
    """A count: 1 to 4 are shown as "<5" (a small group can point out a child)."""
    if 0 < count < SMALL_CELL:
        return Figure("<5", None, True)
    return Figure(str(count), float(count))


def share(numerator: int, denominator: int) -> Figure:
    """A share in per cent. Not shown when the base is under five, nor when the part or
    the rest is 1 to 4 (either would tell about very few cases)."""
    if denominator == 0:
        return Figure("–", None)
    rest = denominator - numerator
    if denominator < SMALL_CELL or 0 < numerator < SMALL_CELL or 0 < rest < SMALL_CELL:
        return Figure("<5", None, True)
    percent = round(100 * numerator / denominator)
    return Figure(f"{percent} %", float(percent))


def figure(definition: Definition, numerator: int, denominator: int | None) -> Figure:
    if definition.unit == SHARE:
        return share(numerator, denominator or 0)
    return suppress(numerator)


def _org_types() -> dict[str, str]:
    return {**directory.organisation_type_labels(), concerns.PRIVATE: "Enskild person"}


def _levels() -> dict[str, str]:
    return dict(meetings.LEVELS)


register(
    Definition(
        code="concerns.reports_by_reporter_type",
        name="Orosanmälningar per månad efter anmälarens verksamhet",
        description=(
            "Antal orosanmälningar som kommit in under månaden, uppdelat på vilken sorts "
            "verksamhet anmälaren arbetar i. En skriftlig komplettering av en muntlig "
            "anmälan räknas inte en gång till."
        ),
        unit=COUNT,
        source="Orosanmälningar",
        compute=concerns.reports_per_month_by_reporter_type,
        group_labels=_org_types,
    )
)
register(
    Definition(
        code="concerns.preliminary_within_14_days",
        name="Förhandsbedömningar beslutade inom 14 dagar",
        description=(
            "Andel av de förhandsbedömningar som beslutades under månaden där beslutet "
            "kom inom 14 dagar från att anmälan kom in (socialtjänstlagen)."
        ),
        unit=SHARE,
        source="Orosanmälningar",
        compute=concerns.preliminary_within_deadline,
    )
)
register(
    Definition(
        code="plans.started",
        name="Påbörjade SIP",
        description="Antal samordnade individuella planer som påbörjades (kallelse gick ut).",
        unit=COUNT,
        source="SIP",
        compute=plans.started_per_month,
    )
)
register(
    Definition(
        code="plans.with_coordinator",
        name="SIP med namngiven samordnare",
        description="Andel av de SIP som påbörjades under månaden som har en samordnare.",
        unit=SHARE,
        source="SIP",
        compute=plans.with_coordinator,
    )
)
register(
    Definition(
        code="consent.events",
        name="Samtycken givna, återkallade och upphörda",
        description=(
            "Antal samtycken som skrevs under, återkallades eller upphörde (gick ut eller "
            "täckte inte längre ett ärende som bytt karaktär) under månaden."
        ),
        unit=COUNT,
        source="Samtycken",
        compute=consent.events_per_month,
        group_labels=lambda: {"given": "Givna", "revoked": "Återkallade", "lapsed": "Upphörda"},
    )
)
register(
    Definition(
        code="meetings.held",
        name="Genomförda samverkansmöten",
        description="Antal möten i samverkansforum som hölls under månaden, efter forumets nivå.",
        unit=COUNT,
        source="Samverkansforum",
        compute=meetings.held_per_month,
        group_labels=_levels,
    )
)
register(
    Definition(
        code="meetings.escalations",
        name="Eskalerade gråzonsärenden",
        description=(
            "Antal ärenden om oklart ansvar (gråzon) som togs upp i eskaleringstrappan under "
            "månaden, efter om de fortfarande pågår eller har avgjorts."
        ),
        unit=COUNT,
        source="Samverkansforum",
        compute=meetings.escalations_opened_per_month,
        group_labels=lambda: dict(meetings.ESCALATION_STATUSES),
    )
)
register(
    Definition(
        code="knowledge.training_participants",
        name="Deltagare i gemensam utbildning",
        description=(
            "Antal anmälda deltagare (ej avbokade) vid gemensamma utbildningar, metoddagar "
            "och mötesplatser som hölls under månaden, efter deltagarens verksamhet."
        ),
        unit=COUNT,
        source="Kunskapsstöd",
        compute=knowledge.participants_per_month,
        group_labels=_org_types,
    )
)
