"""Between social services and the reporter: feedback (what the reporter may be told,
with or without consent, and telling it) and the reporting side's additions,
corrections and questions."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import i18n
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed

from . import feedback as catalogue
from . import inbox as report_inbox
from . import legal
from .models import (
    Entry,
    EntryKind,
    Handling,
    Report,
)
from .policies import is_reporting_side
from .writes import _audit, _entry, _for_receiver, _notify, _text

REPORTER_ENTRY_KINDS = {EntryKind.ADDITION, EntryKind.CORRECTION, EntryKind.QUESTION}


def _from_social_services(report: Report, category: str, purpose: str) -> policy.Decision:
    """A refusal is read by social services' handler (``feedback_send``)."""
    return passing.decide(
        viewer_organisation_id=report.receiving_organisation_id,
        child=report.child,
        from_organisation_id=report.receiving_organisation_id,
        to_organisation_id=report.reporter_organisation_id,
        category=category,
        purpose=purpose,
    )


def feedback_consent(report: Report):
    """For the catalogue: whether a consent covers passing ``category`` from social
    services to the reporting organisation for the purpose "återkoppling" (asked at
    most once per category)."""
    answers: dict[str, bool] = {}

    def covers(category: str) -> bool:
        if report.reporter_organisation_id is None or report.child_id is None:
            return False
        if category not in answers:
            answers[category] = bool(
                _from_social_services(report, category, legal.FEEDBACK_PURPOSE)
            )
        return answers[category]

    return covers


def feedback_access(report: Report) -> catalogue.Access:
    return catalogue.Access(catalogue.harmless_codes(), feedback_consent(report))


def feedback_decision(
    *, report: Report, statement: str = "", category: str = legal.WHITELIST_CATEGORY
) -> policy.Decision:
    """May this feedback pass from social services to the reporting organisation now?
    A statement from the catalogue passes on its own ground: the statutory minimum and
    the municipality's list of harmless statements on their named legal paths, any
    other statement on a consent covering its category for the purpose "återkoppling".
    Free text (no statement) always needs such a consent. Whether the statement is true
    of the matter is checked by ``feedback_send``."""
    if report.reporter_organisation_id is None:
        return policy.deny(
            gettext_lazy(
                "Anmälan kommer från en privatperson; återkoppling lämnas inte genom Samverkan."
            )
        )
    if report.child_id is None:
        return policy.deny(gettext_lazy("Identifiera barnet i anmälan innan återkoppling lämnas."))
    if not statement:
        return _from_social_services(report, category, legal.FEEDBACK_PURPOSE)
    entry = catalogue.statement(statement)
    if entry is None:
        return policy.deny(gettext_lazy("Okänt påstående."))
    ground = feedback_access(report).ground_for(entry)
    if ground == catalogue.STATUTORY:
        return _from_social_services(report, legal.WHITELIST_CATEGORY, legal.STATUTORY_PURPOSE)
    if ground == catalogue.HARMLESS:
        return _from_social_services(report, legal.WHITELIST_CATEGORY, legal.WHITELIST_PURPOSE)
    # Needs a consent: the decision names what is missing when there is none.
    return _from_social_services(report, entry.category, legal.FEEDBACK_PURPOSE)


def feedback_send(
    *,
    actor: Actor,
    report: Report,
    statement: str = "",
    text: str = "",
    category: str = "insatser",
    in_reply_to: Entry | None = None,
) -> Entry:
    """The handling social worker sends feedback (or answers a question): one
    statement from the catalogue that is true of the matter now, or free text when a
    consent allows it. Refused with the exact reason otherwise; the refusal is in the
    audit log."""
    result = _feedback_send(
        actor=actor,
        report=report,
        statement=statement,
        text=text,
        category=category,
        in_reply_to=in_reply_to,
    )
    if isinstance(result, policy.Decision):
        raise PermissionDenied(result.reason, code="no_ground")
    return result


@transaction.atomic
def _feedback_send(
    *,
    actor: Actor,
    report: Report,
    statement: str = "",
    text: str = "",
    category: str = "insatser",
    in_reply_to: Entry | None = None,
) -> Entry | policy.Decision:
    handling, _ = _for_receiver(actor, report)
    if handling.handler_id is None or handling.handler_id != actor.membership_id:
        raise PermissionDenied(gettext("Återkoppling lämnas av den handläggare som har ärendet."))
    if bool(statement) == bool((text or "").strip()):
        raise ValidationFailed(gettext("Välj ett påstående eller skriv en text."), field="text")
    entry_type = None
    if statement:
        entry_type = catalogue.statement(statement)
        if entry_type is None:
            raise ValidationFailed(gettext("Okänt påstående."), field="statement")
        state = catalogue.facts(handling=handling, channel=report.channel)
        if not entry_type.holds(state):
            raise ValidationFailed(catalogue.contradiction(entry_type, state), field="statement")
        category = entry_type.category
    text = _text(text, "text", gettext("återkopplingen"))
    if in_reply_to is not None and (
        in_reply_to.report_id != report.pk or in_reply_to.kind != EntryKind.QUESTION
    ):
        raise ValidationFailed(gettext("Frågan hör inte till anmälan."), field="in_reply_to")
    decision = feedback_decision(report=report, statement=statement, category=category)
    if not decision.allowed:
        audit.event_record(
            actor=actor,
            action=Action.DISCLOSE,
            resource_type="concerns.report",
            resource_id=str(report.public_id),
            subject_id=str(report.child.public_id) if report.child_id else "",
            outcome="denied",
            reason=decision.reason,
            details={"statement": statement, "category": category},
        )
        return decision  # committed with its audit row; the caller raises
    entry = _entry(
        report,
        EntryKind.FEEDBACK,
        actor,
        statement=statement,
        text=entry_type.text if entry_type else text,
        to_reporter=True,
        ground_code=decision.ground.code,
        ground_label=i18n.stored(decision.ground.label),
        ground_reference=decision.ground.reference,
        in_reply_to=in_reply_to,
    )
    audit.event_record(
        actor=actor,
        action=Action.DISCLOSE,
        resource_type="concerns.report",
        resource_id=str(report.public_id),
        subject_id=str(report.child.public_id),
        ground=decision.ground,
        details={
            "to_organisation_id": report.reporter_organisation_id,
            "statement": statement,
            "category": category,
            "entry": str(entry.public_id),
        },
    )
    if not report_inbox.feedback_given(report, entry, actor.user_id):
        # A reporter without an account here (a private person) is told by e-mail only.
        _notify([report.reporter_email], reverse("concerns:mine"))
    return entry


@transaction.atomic
def reporter_entry_add(*, actor: Actor, report: Report, kind: str, text: str) -> Entry:
    """The reporting side adds new information, a correction, or asks the handling
    social worker a question. Appended; the report itself is never changed."""
    decision = policy.decide(actor, Action.CREATE, report)
    if not decision.allowed or not is_reporting_side(actor, report):
        raise NotFound(gettext("Anmälan finns inte eller så har du inte behörighet."))
    if kind not in REPORTER_ENTRY_KINDS:
        raise ValidationFailed(gettext("Välj tillägg, rättelse eller fråga."), field="kind")
    text = _text(text, "text", "texten", required=True)
    entry = _entry(report, kind, actor, text=text, to_reporter=True)
    handling = Handling.objects.select_related("handler").filter(report=report).first()
    if handling is not None and handling.handler_id:
        report_inbox.entry_deliver(report, entry, handling.handler)
    _audit(actor, Action.CREATE, report, decision.ground, entry_kind=kind)
    return entry
