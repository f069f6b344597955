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
from samverkan.governance import survey_results
from samverkan.knowledge import statistics as knowledge
from samverkan.meetings import statistics as meetings
from samverkan.plans import statistics as plans

# Fewer than this many (but more than none) is shown as "<5".
SMALL_CELL = 5
COUNT = "count"
SHARE = "share"
# A median number of days; the row's denominator is the number of cases behind it.
DAYS = "days"


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    description: str
    unit: str  # COUNT, SHARE or DAYS
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


def median_days(days: int, cases: int) -> Figure:
    """A median over fewer than five cases is not shown (it would tell about each)."""
    if cases == 0:
        return Figure("–", None)
    if cases < SMALL_CELL:
        return Figure("<5", None, True)
    return Figure(f"{days} d", float(days))


def figure(definition: Definition, numerator: int, denominator: int | None) -> Figure:
    if definition.unit == DAYS:
        return median_days(numerator, denominator or 0)
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
register(
    Definition(
        code="concerns.receipt_and_handler_within_a_day",
        name="Orosanmälningar med bekräftelse och namngiven handläggare inom ett dygn",
        description=(
            "Andel av orosanmälningarna som kom in under månaden där anmälaren fick en "
            "bekräftelse och en handläggare utsågs inom 24 timmar."
        ),
        unit=SHARE,
        source="Orosanmälningar",
        compute=concerns.receipt_and_handler_within_a_day,
    )
)
register(
    Definition(
        code="concerns.median_days_to_first_feedback",
        name="Dagar till första återkopplingen (median)",
        description=(
            "För orosanmälningar som kom in under månaden och har fått återkoppling: "
            "mediantiden i dagar från att anmälan kom in till den första återkopplingen "
            "till anmälaren. Visas inte när färre än fem anmälningar ligger bakom."
        ),
        unit=DAYS,
        source="Orosanmälningar",
        compute=concerns.median_days_to_first_feedback,
    )
)
register(
    Definition(
        code="concerns.investigations_within_four_months",
        name="Utredningar klara inom fyra månader",
        description=(
            "Andel av de utredningar som avslutades under månaden som blev klara inom fyra "
            "månader (122 dagar) från att de inleddes. Förlängningar räknas inte bort."
        ),
        unit=SHARE,
        source="Orosanmälningar",
        compute=concerns.investigations_within_four_months,
    )
)
register(
    Definition(
        code="plans.followed_up_on_time",
        name="SIP följda upp i tid",
        description=(
            "Andel av de uppföljningsdatum som inföll under månaden (och har passerat) där "
            "nästa uppföljning hölls senast det datumet."
        ),
        unit=SHARE,
        source="SIP",
        compute=plans.followed_up_on_time,
    )
)
register(
    Definition(
        code="plans.child_words_recorded",
        name="SIP med barnets egna ord",
        description=(
            "Andel av de SIP som påbörjades under månaden där barnets egna ord finns med: vad "
            "som är viktigt för barnet, eller barnets ord i planen."
        ),
        unit=SHARE,
        source="SIP",
        compute=plans.child_words_recorded,
    )
)
register(
    Definition(
        code="meetings.attendance",
        name="Närvaro vid samverkansmöten",
        description=(
            "Andel av de inbjudna verksamheterna som var närvarande vid möten som hölls "
            "under månaden, efter sorts verksamhet."
        ),
        unit=SHARE,
        source="Samverkansforum",
        compute=meetings.attendance_by_organisation_type,
        group_labels=_org_types,
    )
)
register(
    Definition(
        code="meetings.escalation_decisions",
        name="Beslut i eskaleringstrappan efter nivå",
        description=(
            "Antal beslut som togs i ett steg av eskaleringstrappan under månaden, efter "
            "nivån på forumet som tog beslutet."
        ),
        unit=COUNT,
        source="Samverkansforum",
        compute=meetings.escalation_decisions_by_level,
        group_labels=lambda: {**dict(meetings.LEVELS), meetings.NO_FORUM: "Utan forum"},
    )
)
register(
    Definition(
        code="knowledge.events",
        name="Gemensamma utbildningar och mötesplatser",
        description=(
            "Antal gemensamma utbildningar, metoddagar, seminarier och mötesplatser som "
            "hölls under månaden (inställda räknas inte), efter slag."
        ),
        unit=COUNT,
        source="Kunskapsstöd",
        compute=knowledge.events_per_month,
        group_labels=lambda: dict(knowledge.EVENT_KINDS),
    )
)
register(
    Definition(
        code="governance.evaluation_results",
        name="Positiva utvärderingar",
        description=(
            "Andel av svaren på enkäter och utvärderingar under månaden där minst hälften av "
            "svaren på frågorna med ja/nej eller skala var positiva, efter den svarandes "
            "sorts verksamhet."
        ),
        unit=SHARE,
        source="Enkäter och utvärderingar",
        compute=survey_results.positive_per_month,
        group_labels=_org_types,
    )
)
