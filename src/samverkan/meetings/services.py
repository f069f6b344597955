"""Writes of forums, meetings, agenda items, minutes, action items, evaluations,
escalations and calendar tokens. Each function is one transaction and writes its audit
row with the legal ground it rests on.

The public entry of the writes; one module per flow: ``forums`` (forums, their meetings,
attendance, calendar tokens), ``agenda`` (agenda items and their decisions), ``minutes``
(minutes, action items, the periodic sweep, the evaluation), ``escalation``; ``writes``
holds what they share."""

from .agenda import CATEGORIES, item_add, item_decide
from .escalation import escalation_open, escalation_step_record
from .forums import (
    SYSTEM_GROUND,
    attendance_set,
    calendar_token_create,
    calendar_token_revoke,
    forum_create,
    meeting_book,
    meetings_generate,
    token_hash,
)
from .minutes import (
    EVALUATION_QUESTIONS,
    EVALUATION_SCALE,
    action_add,
    action_set_status,
    actions_remind,
    correction_add,
    evaluation_submit,
    meeting_close,
    meetings_sweep,
    minutes_approve,
    minutes_save,
)
from .writes import (
    PURPOSE,
    ConsentMissing,
    IdentifyingText,
    attending_organisation_ids,
    check_anonymised,
    identified_coverage,
)

__all__ = [
    "CATEGORIES",
    "EVALUATION_QUESTIONS",
    "EVALUATION_SCALE",
    "PURPOSE",
    "SYSTEM_GROUND",
    "ConsentMissing",
    "IdentifyingText",
    "action_add",
    "action_set_status",
    "actions_remind",
    "attendance_set",
    "attending_organisation_ids",
    "calendar_token_create",
    "calendar_token_revoke",
    "check_anonymised",
    "correction_add",
    "escalation_open",
    "escalation_step_record",
    "evaluation_submit",
    "forum_create",
    "identified_coverage",
    "item_add",
    "item_decide",
    "meeting_book",
    "meeting_close",
    "meetings_generate",
    "meetings_sweep",
    "minutes_approve",
    "minutes_save",
    "token_hash",
]
