"""Access rules for reports of concern (registered with the access app).

- **Social services** (the receiving organisation), functions that may register
  (mottagningssekreterare, socialsekreterare, enhetschef): read and handle the whole
  report. The ground is the duty to report (asked of consent.sharing, where this app
  registered the path) or, for a private person's report, the report itself.
- **The reporting side**: the reporter, and staff of the reporting organisation who
  may register (e.g. rektor, kurator; "function, not person"), see their report, its
  status and the feedback that was sent to them — never social services' own notes.
- Everybody else: nothing (404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core.i18n import lazy_format

from . import legal
from .models import Report, Source

REPORTER = "reporter"
SOCIAL_SERVICES = "socialtjanst"
_ACTIONS = {Action.READ, Action.CREATE, Action.CHANGE, Action.PRINT, Action.EXPORT}


def reporter_ground(report: Report) -> Ground:
    return Ground(
        code=REPORTER,
        label=gettext_lazy("Anmälande verksamhet (egen anmälan)"),
        reference=str(report.public_id),
    )


def is_receiver(actor: Actor, report: Report) -> bool:
    return (
        actor.organisation_type == SOCIAL_SERVICES
        and actor.organisation_id == report.receiving_organisation_id
        and actor.has_perm(Permission.PEOPLE_REGISTER)
    )


def is_reporting_side(actor: Actor, report: Report) -> bool:
    return (
        report.reporter_organisation_id is not None
        and actor.organisation_id == report.reporter_organisation_id
        and actor.has_perm(Permission.PEOPLE_VIEW)
        and (
            (report.reporter_user_id is not None and actor.user_id == report.reporter_user_id)
            or actor.has_perm(Permission.PEOPLE_REGISTER)
        )
    )


def decide_report(actor: Actor, action: str, report: Report) -> policy.Decision:
    if action not in _ACTIONS:
        return policy.deny(gettext_lazy("Åtgärden är inte tillåten för anmälningar."))
    if is_receiver(actor, report):
        if report.source == Source.PRIVATE:
            return policy.allow(legal.private_report_ground(report))
        if report.child_id is None:
            # A professional's report about a child their organisation did not know:
            # the report itself passed on the duty to report (its reference is the ground).
            return policy.allow(legal.duty_to_report_ground(report))
        decision = passing.decide(
            viewer_organisation_id=actor.organisation_id,
            child=report.child,
            from_organisation_id=report.reporter_organisation_id,
            to_organisation_id=actor.organisation_id,
            category=legal.REPORT_CATEGORY,
            purpose=legal.REPORT_PURPOSE,
            at=report.received_at,
        )
        if decision.allowed:
            return decision
        return policy.deny(decision.reason)
    if is_reporting_side(actor, report):
        if action == Action.CHANGE:
            return policy.deny(
                gettext_lazy("Anmälaren kan inte ändra en inskickad anmälan; gör ett tillägg.")
            )
        return policy.allow(reporter_ground(report))
    return policy.deny(
        lazy_format(
            gettext_lazy("%(value)s har ingen del i anmälan."),
            value=actor.organisation_name or gettext_lazy("Din roll"),
        )
    )


def decide_reports(actor: Actor, action: str, reports: list[Report]) -> dict:
    """``decide_report`` for a page of a list without a query per report: the report
    itself is the evidence of the duty to report that lets it pass from the reporting
    organisation to social services (``legal.duty_to_report_path`` finds the same
    report), and the reporting side reads its own report. What this does not allow is
    decided one by one (``policy.decide_each``)."""
    if action not in _ACTIONS:
        return {}
    allowed = {}
    for report in reports:
        if is_receiver(actor, report):
            if report.source == Source.PRIVATE:
                allowed[report.pk] = policy.allow(legal.private_report_ground(report))
            elif report.reporter_organisation_id is not None:
                allowed[report.pk] = policy.allow(legal.duty_to_report_ground(report))
        elif is_reporting_side(actor, report) and action != Action.CHANGE:
            allowed[report.pk] = policy.allow(reporter_ground(report))
    return allowed


def _has_a_part(actor: Actor, action: str) -> bool:
    return action in _ACTIONS and (
        actor.has_perm(Permission.PEOPLE_VIEW) or actor.has_perm(Permission.PEOPLE_REGISTER)
    )


@policy.applies_when(_has_a_part)
def scope_reports(actor: Actor, action: str, queryset: QuerySet) -> QuerySet:
    condition = Q(pk__in=[])
    if actor.organisation_type == SOCIAL_SERVICES and actor.has_perm(Permission.PEOPLE_REGISTER):
        condition |= Q(receiving_organisation_id=actor.organisation_id)
    if actor.has_perm(Permission.PEOPLE_REGISTER):
        condition |= Q(reporter_organisation_id=actor.organisation_id)
    elif actor.has_perm(Permission.PEOPLE_VIEW):
        condition |= Q(
            reporter_organisation_id=actor.organisation_id, reporter_user_id=actor.user_id
        )
    return queryset.filter(condition)


def register() -> None:
    policy.register(Report, decide=decide_report, scope=scope_reports, decide_many=decide_reports)
