"""Handling in social services: identifying the child, the handler, the protection
assessment, the preliminary assessment and the investigation with their extensions,
closing the matter; and the periodic sweep of the deadlines' inbox items."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.core.errors import ValidationFailed
from samverkan.directory import selectors as directory
from samverkan.people import identity
from samverkan.people import selectors as people
from samverkan.people import services as people_services

from . import conf, deadlines, intake_order
from . import inbox as report_inbox
from .models import (
    EntryKind,
    Evaluation,
    Handling,
    Outcome,
    PreliminaryDecision,
    Report,
)
from .writes import _audit, _choice, _entry, _for_receiver, _notify, _open, _text


@transaction.atomic
def report_identify_child(
    *,
    actor: Actor,
    report: Report,
    personal_number: str,
    first_name: str = "",
    last_name: str = "",
    note: str = "",
) -> Report:
    """Social services' intake identifies the child of a report that has none: an
    anonymous or other private person's report, or a professional's about a child their
    organisation did not know. The child is found in social services' own register or
    registered there (search before create, ADR 0005); social services' matter with the
    child takes the character "report"; the report is linked to the child, once (the
    one change the database allows on a submitted report). From then on the report
    counts in the several-reports alert and shows on the child's overview."""
    handling, decision = _for_receiver(actor, report)
    if report.child_id is not None:
        raise ValidationFailed(
            gettext("Anmälan är redan kopplad till ett barn."), field="personal_number"
        )
    note = _text(note, "note", "anteckningen")
    number = identity.parse(personal_number)
    child = people.child_find_for_registration(actor, number)
    if child is None:
        child, _ = people_services.child_register(
            actor=actor,
            personal_number=number.number,
            first_name=first_name,
            last_name=last_name,
            context="report",
            unit_id=report.routed_unit_id,
            note=f"Anmälan {report.reference}.",
        )
    ground = decision.ground  # the report itself: a private person's, or the duty to report
    people_services.involvement_open_for_report(
        actor=actor,
        child=child,
        organisation_id=report.receiving_organisation_id,
        unit_id=report.routed_unit_id,
        ground=ground,
        note=f"Anmälan {report.reference}.",
    )
    if handling.preliminary_decision == PreliminaryDecision.OPEN:
        people_services.involvement_set_context_for_investigation(
            actor=actor,
            child=child,
            organisation_id=report.receiving_organisation_id,
            ground=ground,
        )
    if not Report.objects.filter(pk=report.pk, child__isnull=True).update(child=child):
        raise ValidationFailed(
            gettext("Anmälan är redan kopplad till ett barn."), field="personal_number"
        )
    report.child = child
    _entry(
        report,
        EntryKind.IDENTIFIED,
        actor,
        text=f"{child.full_name}, {child.personal_number_display}." + (f" {note}" if note else ""),
    )
    _audit(actor, Action.CHANGE, report, ground, identified=True)
    return report


def _save(handling: Handling, *fields: str) -> None:
    """Save the changed fields, and the intake's stored order with them (decision 0361):
    every change to a deadline's inputs goes through here, in its transaction."""
    handling.version += 1
    report = handling.report
    evaluated = (
        handling.closed_at is not None
        and Evaluation.objects.filter(
            report=report, organisation_id=report.receiving_organisation_id
        ).exists()
    )
    kept = intake_order.keep(handling, report, evaluated=evaluated)
    handling.save(update_fields=[*fields, *kept, "version", "updated_at"])


@transaction.atomic
def handling_assign(*, actor: Actor, report: Report, handler_membership_id: int) -> Handling:
    """Name the handling social worker; the reporter is told who it is and how to
    reach them."""
    handling, decision = _for_receiver(actor, report)
    _open(handling)
    membership = next(
        (
            m
            for m in directory.memberships_of_organisation(report.receiving_organisation_id)
            if m.pk == handler_membership_id
            and Permission.PEOPLE_REGISTER in m.function.permissions
        ),
        None,
    )
    if membership is None:
        raise ValidationFailed(gettext("Välj en handläggare i socialtjänsten."), field="handler")
    handling.handler = membership
    handling.assigned_at = timezone.now()
    _save(handling, "handler", "assigned_at")
    user = membership.user
    organisation = directory.organisations_by_ids([report.receiving_organisation_id])[
        report.receiving_organisation_id
    ]
    contact = ", ".join(x for x in [user.email, organisation.phone] if x)
    _entry(
        report,
        EntryKind.ASSIGNED,
        actor,
        text=(
            f"Handläggare: {user.get_full_name()}, {membership.function.name}"
            + (f", {membership.unit.name}" if membership.unit else "")
            + (f". Kontakt: {contact}" if contact else "")
            + "."
        ),
        to_reporter=True,
    )
    # The handler is told through the inbox (and its e-mail); the reporter by e-mail.
    report_inbox.assigned_deliver(report, membership, handling)
    _audit(actor, Action.CHANGE, report, decision.ground, assigned=user.get_username())
    _notify([report.reporter_email], reverse("concerns:mine"))
    return handling


@transaction.atomic
def protection_assessment_record(*, actor: Actor, report: Report, text: str) -> Handling:
    """The immediate protection assessment (skyddsbedömning), due the same day."""
    handling, decision = _for_receiver(actor, report)
    _open(handling)
    text = _text(text, "text", gettext("skyddsbedömningen"), required=True)
    if handling.protection_assessed_at is None:
        handling.protection_assessed_at = timezone.now()
        _save(handling, "protection_assessed_at")
    _entry(report, EntryKind.PROTECTION, actor, text=text)
    report_inbox.protection_done(report, actor.user_id)
    _audit(actor, Action.CHANGE, report, decision.ground, protection_assessment=True)
    return handling


# An extension is for a recorded reason and a limited time: at most a year at a time
# (an extension to 2099 was accepted, issue 13 item 12).
EXTENSION_AT_MOST = datetime.timedelta(days=366)


def _extension_date(value, current: datetime.date, field: str) -> datetime.date:
    if not isinstance(value, datetime.date) or value <= current:
        raise ValidationFailed(
            gettext("Det nya datumet måste vara efter %(current)s.")
            % {"current": format(current, "%Y-%m-%d")},
            field=field,
        )
    latest = current + EXTENSION_AT_MOST
    if value > latest:
        raise ValidationFailed(
            gettext("En förlängning får vara högst ett år i taget: senast %(latest)s.")
            % {"latest": format(latest, "%Y-%m-%d")},
            field=field,
        )
    return value


@transaction.atomic
def preliminary_extend(
    *, actor: Actor, report: Report, new_due: datetime.date, reason: str
) -> Handling:
    """Extend the 14 days only with a recorded (extraordinary) reason."""
    handling, decision = _for_receiver(actor, report)
    _open(handling)
    if handling.preliminary_decision:
        raise ValidationFailed(gettext("Förhandsbedömningen är redan beslutad."))
    reason = _text(reason, "reason", gettext("skälet till förlängningen"), required=True)
    new_due = _extension_date(new_due, handling.preliminary_due, "new_due")
    before = handling.preliminary_due
    handling.preliminary_due = new_due
    _save(handling, "preliminary_due")
    _entry(
        report,
        EntryKind.PRELIMINARY_EXTENDED,
        actor,
        text=reason,
        due_before=before,
        due_after=new_due,
    )
    report_inbox.preliminary_moved(report, new_due)
    _audit(actor, Action.CHANGE, report, decision.ground, preliminary_due=str(new_due))
    return handling


@transaction.atomic
def preliminary_decide(*, actor: Actor, report: Report, decision: str, text: str = "") -> Handling:
    """Decide after the preliminary assessment: open an investigation, do not open one,
    or record that an investigation is already ongoing (no decision needed)."""
    handling, access = _for_receiver(actor, report)
    _open(handling)
    if handling.preliminary_decision:
        raise ValidationFailed(gettext("Förhandsbedömningen är redan beslutad."))
    decision = _choice(decision, PreliminaryDecision, "decision", gettext("Välj beslut."))
    now = timezone.now()
    handling.preliminary_decision = decision
    handling.preliminary_decided_at = now
    fields = ["preliminary_decision", "preliminary_decided_at"]
    if decision == PreliminaryDecision.OPEN:
        today = timezone.localdate(now)
        handling.investigation_started_on = today
        handling.investigation_due = deadlines.investigation_due(
            today, conf.get("CONCERN_INVESTIGATION_MONTHS")
        )
        fields += ["investigation_started_on", "investigation_due"]
        if report.child_id:
            people_services.involvement_set_context_for_investigation(
                actor=actor,
                child=report.child,
                organisation_id=report.receiving_organisation_id,
                ground=access.ground,
            )
    _save(handling, *fields)
    _entry(
        report,
        EntryKind.PRELIMINARY,
        actor,
        text=PreliminaryDecision(decision).label + (f": {text.strip()}" if text.strip() else ""),
    )
    report_inbox.preliminary_done(report, actor.user_id)
    if handling.investigation_due:
        report_inbox.investigation_deliver(report, handling)
    _audit(actor, Action.CHANGE, report, access.ground, preliminary_decision=decision)
    return handling


@transaction.atomic
def investigation_extend(
    *, actor: Actor, report: Report, new_due: datetime.date, reason: str
) -> Handling:
    """Extend the four months only with recorded (special) reasons."""
    handling, decision = _for_receiver(actor, report)
    _open(handling)
    if handling.investigation_due is None:
        raise ValidationFailed(gettext("Någon utredning har inte inletts."))
    reason = _text(reason, "reason", gettext("skälet till förlängningen"), required=True)
    new_due = _extension_date(new_due, handling.investigation_due, "new_due")
    before = handling.investigation_due
    handling.investigation_due = new_due
    _save(handling, "investigation_due")
    _entry(
        report,
        EntryKind.INVESTIGATION_EXTENDED,
        actor,
        text=reason,
        due_before=before,
        due_after=new_due,
    )
    report_inbox.investigation_moved(report, handling, actor.user_id)
    _audit(actor, Action.CHANGE, report, decision.ground, investigation_due=str(new_due))
    return handling


# The closure outcomes that agree with the decision after the preliminary assessment:
# no closure contradicts what the matter has been (and what a reporter was told).
OUTCOMES_AFTER = {
    "": {Outcome.REFERRED},
    PreliminaryDecision.OPEN: {Outcome.NO_INTERVENTION, Outcome.INTERVENTION, Outcome.REFERRED},
    PreliminaryDecision.ONGOING: {
        Outcome.NO_INTERVENTION,
        Outcome.INTERVENTION,
        Outcome.REFERRED,
    },
    PreliminaryDecision.NOT_OPEN: {Outcome.NO_INVESTIGATION, Outcome.REFERRED},
}
_OUTCOME_REFUSAL = {
    "": gettext_lazy("Besluta först efter förhandsbedömningen (eller avsluta som överlämnat)."),
    PreliminaryDecision.OPEN: gettext_lazy(
        "En utredning har inletts: avsluta utredningen med eller utan insats, eller som överlämnad."
    ),
    PreliminaryDecision.ONGOING: gettext_lazy(
        "En utredning pågår: avsluta med eller utan insats, eller som överlämnad."
    ),
    PreliminaryDecision.NOT_OPEN: gettext_lazy(
        "Någon utredning inleddes inte: avsluta utan utredning, eller som överlämnad."
    ),
}


@transaction.atomic
def handling_close(*, actor: Actor, report: Report, outcome: str, text: str = "") -> Handling:
    handling, decision = _for_receiver(actor, report)
    _open(handling)
    outcome = _choice(outcome, Outcome, "outcome", gettext("Välj hur ärendet avslutas."))
    decided = handling.preliminary_decision or ""
    if outcome not in OUTCOMES_AFTER[decided]:
        raise ValidationFailed(_OUTCOME_REFUSAL[decided], field="outcome")
    handling.closed_at = timezone.now()
    handling.outcome = outcome
    _save(handling, "closed_at", "outcome")
    _entry(
        report,
        EntryKind.CLOSED,
        actor,
        text=Outcome(outcome).label + (f": {text.strip()}" if text.strip() else ""),
    )
    report_inbox.closed(report, handling, actor.user_id)
    _audit(actor, Action.CHANGE, report, decision.ground, outcome=outcome)
    return handling


def concerns_sweep() -> dict[str, int]:
    """The deadlines of open matters are inbox items with clocks (concerns.inbox), which
    the worker reminds and escalates (notify.clocks). This gives every open matter the
    items its state calls for that it does not have yet (matters from before the inbox,
    or a delivery lost); an item is delivered once, so a re-run adds nothing."""
    return {"delivered": report_inbox.clocks_ensure()}
