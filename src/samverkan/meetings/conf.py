"""The meetings app's configuration: settings.SAMVERKAN["MEETINGS_*"], with defaults
here so that an installation only sets what differs."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # The escalation chain for disagreements about responsibility (gråzon): step names
    # and the days each step has before its deadline. A step may name a forum by name;
    # its convener organisation then owns the step.
    "MEETINGS_ESCALATION_CHAIN": [
        {"name": "Eget internt forum", "days": 14, "forum": ""},
        {"name": "Gemensamt samverkansorgan", "days": 21, "forum": ""},
        {"name": "Styrgrupp", "days": 30, "forum": "Strategigruppen barn och unga"},
        {"name": "Politiskt forum", "days": 60, "forum": ""},
    ],
    # How far ahead the sweep generates meetings from each forum's cadence.
    "MEETINGS_GENERATE_DAYS": 120,
    # Remind the responsible this many days before an action item is due.
    "MEETINGS_REMINDER_DAYS": 3,
}


def get(key: str):
    return settings.SAMVERKAN.get(key, DEFAULTS[key])
