"""The concerns app's configuration: settings.SAMVERKAN["CONCERN_*"], with defaults
here so that an installation only sets what differs."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # Working days within which an oral report must be completed in writing.
    "CONCERN_WRITTEN_WORKING_DAYS": 2,
    # Count Midsummer Eve, Christmas Eve and New Year's Eve as non-working days.
    "CONCERN_EVES_OFF": True,
    # Calendar days for the preliminary assessment, months for the investigation.
    "CONCERN_PRELIMINARY_DAYS": 14,
    "CONCERN_INVESTIGATION_MONTHS": 4,
    # Days within which a professional reporter is given feedback (the law is moving
    # toward a fixed limit; until then the municipality's own promise).
    "CONCERN_FEEDBACK_DAYS": 14,
    # "Due soon" on the intake dashboard: this many days before the deadline.
    "CONCERN_DUE_SOON_DAYS": 3,
    # Several reports about one child from different reporters within this window.
    "CONCERN_DUPLICATE_WINDOW_DAYS": 30,
    # Remind both sides to evaluate the cooperation this many weeks after closure.
    "CONCERN_EVALUATION_WEEKS": 3,
    # Social services' intake unit and the age bands that route a report onwards.
    "CONCERN_INTAKE_UNIT": "Mottagningen",
    "CONCERN_ROUTING": [
        {"min_age": 0, "max_age": 12, "unit": "Familjecentralen 0–12"},
        {"min_age": 13, "max_age": 18, "unit": "Ungdoms- och vuxencentralen 13–18"},
    ],
    # The municipality's list of harmless feedback (codes from data/feedback.yaml with
    # ground "harmless") that may pass to a reporter without consent. None: all of them.
    "CONCERN_FEEDBACK_HARMLESS": None,
    # The contact function notified when its served organisation files a report.
    "CONCERN_CONTACT_FUNCTION": "Kontaktsocialsekreterare",
    # Legal references shown with grounds and deadlines (kept out of the logic).
    "CONCERN_LAW": {
        "duty_to_report": "SoL (2001:453) 14 kap. 1 §, SoL (2025:400) 19 kap. 1 §, "
        "OSL 10 kap. 28 §",
        "feedback": "Östermalmsrapporten 6.1; OSL 26 kap. 1 § (harmlösa eller redan "
        "kända uppgifter)",
        # Verify against the current text of the law before relying on it.
        "feedback_statutory": "OSL 26 kap. 9 a § (till en anmälningsskyldig anmälare: att "
        "utredning inletts, inte inleds eller redan pågår)",
        "preliminary": "SoL (2001:453) 11 kap. 1 a §, SoL (2025:400) 20 kap. 2 §",
        "investigation": "SoL (2001:453) 11 kap. 2 §",
        "guardians": "OSL 12 kap. 3 §",
    },
}


def get(key: str):
    return settings.SAMVERKAN.get(key, DEFAULTS[key])


def law(key: str) -> str:
    return {**DEFAULTS["CONCERN_LAW"], **settings.SAMVERKAN.get("CONCERN_LAW", {})}[key]
