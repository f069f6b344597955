"""Writes for reports of concern. Keyword-only, one transaction each, each writing its
audit row (with the legal ground) in that transaction; e-mail goes out on commit.

A submitted report is never changed: everything that happens afterwards is a new
``Entry`` (the database refuses UPDATE on reports and entries), and the moving parts of
social services' handling (handler, deadlines, decisions) live on ``Handling``.

The public entry of the writes; one module per flow: ``submission`` (making a report),
``handling`` (social services' handling, closing, the periodic sweep),
``reporter_dialogue`` (feedback to the reporter, the reporter's own entries),
``cooperation`` (the three-party meeting, the evaluation after closure); ``writes``
holds what they share."""

from .cooperation import (
    ANSWERS,
    CASE_ANSWER_VALUES,
    EVALUATION_QUESTIONS,
    evaluation_submit,
    meeting_book,
)
from .handling import (
    EXTENSION_AT_MOST,
    OUTCOMES_AFTER,
    concerns_sweep,
    handling_assign,
    handling_close,
    investigation_extend,
    preliminary_decide,
    preliminary_extend,
    protection_assessment_record,
    report_identify_child,
)
from .reporter_dialogue import (
    REPORTER_ENTRY_KINDS,
    feedback_access,
    feedback_consent,
    feedback_decision,
    feedback_send,
    reporter_entry_add,
)
from .submission import (
    REPORTING_TYPES,
    TAG_TARGET,
    report_register_oral,
    report_submit,
    report_submit_public,
)
from .writes import MAX_TEXT

__all__ = [
    "ANSWERS",
    "CASE_ANSWER_VALUES",
    "EVALUATION_QUESTIONS",
    "EXTENSION_AT_MOST",
    "MAX_TEXT",
    "OUTCOMES_AFTER",
    "REPORTER_ENTRY_KINDS",
    "REPORTING_TYPES",
    "TAG_TARGET",
    "concerns_sweep",
    "evaluation_submit",
    "feedback_access",
    "feedback_consent",
    "feedback_decision",
    "feedback_send",
    "handling_assign",
    "handling_close",
    "investigation_extend",
    "meeting_book",
    "preliminary_decide",
    "preliminary_extend",
    "protection_assessment_record",
    "report_identify_child",
    "report_register_oral",
    "report_submit",
    "report_submit_public",
    "reporter_entry_add",
]
