"""The content of a plan version: what the plan shows (old SoL 2 kap. 7 §, HSL 16 kap.
4 §; regional templates add the person's goals, needs, time frames, follow-up date and
participants). Stored as JSON in ``PlanVersion.content`` so every version is complete
and immutable; these helpers clean it and turn it into text for the comparison view."""

from __future__ import annotations

import datetime
import uuid

from django.utils.translation import gettext_lazy

from .models import EffortStatus

FIELDS = [
    ("needs", "Behov"),
    ("long_term_goal", gettext_lazy("Den enskildes långsiktiga mål")),
    ("short_term_goals", gettext_lazy("Kortsiktiga mål")),
    ("efforts", "Insatser"),
    ("others_do", gettext_lazy("Vad andra än kommun och region gör")),
    ("responsible_organisation_name", "Huvudansvar"),
    ("coordinator_name", "Samordnare"),
    ("participants", gettext_lazy("Deltagare på mötet")),
    ("disagreements", "Oenighet"),
    ("follow_up_on", gettext_lazy("Datum för uppföljning")),
    ("child_words", "Barnets egna ord"),
]
LABELS = dict(FIELDS)

# What every saved plan must show (old SoL 2 kap. 7 §, HSL 16 kap. 4 §, new SoL 10 kap.
# 8-9 §§: the efforts, who is responsible for each, who has the overall responsibility,
# a named coordinator; the regional templates add the needs, the person's own goal and
# the follow-up date set when the plan is made). Field name, and what to tell the user.
REQUIRED = [
    ("needs", "Skriv minst ett behov."),
    ("long_term_goal", gettext_lazy("Skriv barnets långsiktiga mål.")),
    (
        "efforts",
        gettext_lazy(
            "Planen ska visa minst en insats med ansvarig verksamhet och ansvarig person."
        ),
    ),
    ("responsible_organisation", gettext_lazy("Välj vilken verksamhet som har huvudansvaret.")),
    ("coordinator", gettext_lazy("Välj en namngiven samordnare.")),
    ("follow_up_on", gettext_lazy("Bestäm datum för uppföljning när planen upprättas.")),
]
_REQUIRED_KEYS = {
    "needs": "needs",
    "long_term_goal": "long_term_goal",
    "efforts": "efforts",
    "responsible_organisation": "responsible_organisation_id",
    "coordinator": "coordinator_user_id",
    "follow_up_on": "follow_up_on",
}


def missing(data: dict) -> list[tuple[str, str]]:
    """What a plan's content lacks of what it must show: (field, message) pairs."""
    return [(name, text) for name, text in REQUIRED if not data.get(_REQUIRED_KEYS[name])]


def empty() -> dict:
    return {
        "needs": [],
        "long_term_goal": "",
        "short_term_goals": [],
        "efforts": [],
        "others_do": "",
        "responsible_organisation_id": None,
        "responsible_organisation_name": "",
        "coordinator_user_id": None,
        "coordinator_name": "",
        "coordinator_organisation_id": None,
        "participants": "",
        "disagreements": "",
        "follow_up_on": "",
        "child_words": "",
    }


def lines(value) -> list[str]:
    items = value if isinstance(value, list | tuple) else str(value or "").splitlines()
    cleaned = (str(i).replace("\x00", "").strip() for i in items)
    return [i for i in cleaned if i]


def effort(
    *,
    title: str,
    organisation_id: int,
    organisation_name: str,
    responsible: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    status: str = EffortStatus.NOT_STARTED,
    key: str = "",
) -> dict:
    return {
        "key": key or uuid.uuid4().hex[:12],
        "title": title.replace("\x00", "").strip(),  # bounded by plans.services
        "organisation_id": organisation_id,
        "organisation_name": organisation_name,
        "responsible": responsible.replace("\x00", "").strip(),
        "starts_on": starts_on.isoformat() if starts_on else "",
        "ends_on": ends_on.isoformat() if ends_on else "",
        "status": status,
    }


def status_label(code: str) -> str:
    return str(EffortStatus(code).label) if code in EffortStatus.values else code


def effort_text(e: dict) -> str:
    period = " – ".join(p for p in (e.get("starts_on"), e.get("ends_on")) if p)
    parts = [e.get("title", ""), e.get("organisation_name", ""), e.get("responsible", "")]
    if period:
        parts.append(period)
    parts.append(status_label(e.get("status", "")))
    return "; ".join(p for p in parts if p)


def field_text(content: dict, name: str) -> str:
    value = content.get(name, "")
    if name == "efforts":
        return "\n".join(effort_text(e) for e in value or [])
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value or "")
