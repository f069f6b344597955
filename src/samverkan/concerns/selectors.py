"""Reads of reports of concern: always through the access policy, always audited.
What the actor may not see raises NotFound, exactly as if it did not exist.

Two views of one report: social services (the whole report and its handling) and the
reporting side (their own report, its status, and what was sent back to them).

The public entry of the reads: ``report_lookup`` (one report, the reporting side's and a
child's reports, what their pages offer), ``intake_page`` (the intake dashboard);
``reading`` holds what they share (the views of a report, its deadlines and status)."""

from .intake_page import intake_dashboard, intake_stamp
from .reading import (
    DEADLINE_LABELS,
    INTAKE,
    REPORTER,
    Deadline,
    ReportView,
    is_intake,
    may_report,
    reporter_status,
    status_label,
)
from .report_lookup import (
    Offer,
    evaluation_summary,
    handler_choices,
    meeting_get,
    question_get,
    report_get,
    report_ground,
    reporting_organisation_choices,
    reports_for_child,
    reports_mine,
    statements_offered,
    tag_authorize,
    tag_visible_for_child,
)

__all__ = [
    "DEADLINE_LABELS",
    "INTAKE",
    "REPORTER",
    "Deadline",
    "Offer",
    "ReportView",
    "evaluation_summary",
    "handler_choices",
    "intake_dashboard",
    "intake_stamp",
    "is_intake",
    "may_report",
    "meeting_get",
    "question_get",
    "report_get",
    "report_ground",
    "reporter_status",
    "reporting_organisation_choices",
    "reports_for_child",
    "reports_mine",
    "statements_offered",
    "status_label",
    "tag_authorize",
    "tag_visible_for_child",
]
