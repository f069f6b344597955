"""The named legal paths this app opens between organisations without consent
(registered with consent.sharing.register_legal_path from ConcernsConfig.ready):

1. **Anmälningsskyldighet** — a report's own content passes from the reporting
   organisation to social services (old SoL 14 kap. 1 §, new SoL (2025:400)
   19 kap. 1 §, OSL 10 kap. 28 §). Asked with ``purpose=REPORT_PURPOSE``.
2. **Återkoppling till anmälare (whitelist)** — the fixed list of harmless or already
   known statements may pass from social services back to the reporting organisation.
   Asked with ``purpose=WHITELIST_PURPOSE``. Anything else (free text) is asked with the
   ordinary purpose "aterkoppling" and needs a consent.
3. **Återkoppling enligt lag** — the statutory minimum a reporter is told on request:
   that an investigation was opened, not opened or is already ongoing. Asked with
   ``purpose=STATUTORY_PURPOSE``. The statements and their grounds are in
   ``data/feedback.yaml`` (``feedback.py``).

All paths apply only when a report from that organisation to that one about that
child exists; the reference of the report goes into the ground. Each path's ground is a
ground of the catalogue (``legal/data/grounds.yaml``): its name, statutes, directions
and dates are read from there, and ``decide_sharing`` refuses the path where the
catalogue does.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from samverkan.access import policy
from samverkan.audit.services import Ground
from samverkan.legal import grounds as legal_grounds

from .models import Report

REPORT_PURPOSE = "orosanmalan"
REPORT_CATEGORY = "social_situation"
WHITELIST_PURPOSE = "aterkoppling_lista"
WHITELIST_CATEGORY = "insatser"
FEEDBACK_PURPOSE = "aterkoppling"
STATUTORY_PURPOSE = "aterkoppling_lag"

DUTY_TO_REPORT = "duty_to_report"
FEEDBACK_WHITELIST = "feedback_whitelist"
FEEDBACK_STATUTORY = "feedback_statutory"
PRIVATE_REPORT = "private_report"


def duty_to_report_ground(report: Report) -> Ground:
    return legal_grounds.audit_ground(DUTY_TO_REPORT, str(report.public_id))


def private_report_ground(report: Report) -> Ground:
    return Ground(
        code=PRIVATE_REPORT,
        label=gettext_lazy("Anmälan från enskild till socialnämnden"),
        reference=str(report.public_id),
    )


def whitelist_ground(report: Report) -> Ground:
    return legal_grounds.audit_ground(FEEDBACK_WHITELIST, str(report.public_id))


def statutory_ground(report: Report) -> Ground:
    return legal_grounds.audit_ground(FEEDBACK_STATUTORY, str(report.public_id))


def _report_between(question, from_id: int, to_id: int) -> Report | None:
    return (
        Report.objects.filter(
            child=question.child,
            reporter_organisation_id=from_id,
            receiving_organisation_id=to_id,
            received_at__lte=question.at,
        )
        .order_by("-received_at")
        .first()
    )


def duty_to_report_path(question) -> policy.Decision | None:
    if question.purpose != REPORT_PURPOSE or question.category != REPORT_CATEGORY:
        return None
    report = _report_between(question, question.from_organisation_id, question.to_organisation_id)
    if report is None:
        return None
    return policy.allow(duty_to_report_ground(report))


def feedback_whitelist_path(question) -> policy.Decision | None:
    if question.purpose != WHITELIST_PURPOSE or question.category != WHITELIST_CATEGORY:
        return None
    report = _report_between(question, question.to_organisation_id, question.from_organisation_id)
    if report is None:
        return None
    return policy.allow(whitelist_ground(report))


def feedback_statutory_path(question) -> policy.Decision | None:
    if question.purpose != STATUTORY_PURPOSE or question.category != WHITELIST_CATEGORY:
        return None
    report = _report_between(question, question.to_organisation_id, question.from_organisation_id)
    if report is None:
        return None
    return policy.allow(statutory_ground(report))
