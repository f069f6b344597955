"""Writes for reports of concern. Keyword-only, one transaction each, each writing its
audit row (with the legal ground) in that transaction; e-mail goes out on commit.

A submitted report is never changed: everything that happens afterwards is a new
``Entry`` (the database refuses UPDATE on reports and entries), and the moving parts of
social services' handling (handler, deadlines, decisions) live on ``Handling``.
"""

from __future__ import annotations

import datetime
import logging
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core import bounds, i18n, signals
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.directory import selectors as directory
from samverkan.knowledge import services as knowledge_services
from samverkan.notify import mail
from samverkan.people import identity
from samverkan.people import selectors as people
from samverkan.people import services as people_services

from . import conf, deadlines, intake_order, legal
from . import feedback as catalogue
from . import inbox as report_inbox
from .models import (
    Channel,
    Entry,
    EntryKind,
    Evaluation,
    GuardiansInformed,
    Handling,
    Meeting,
    Outcome,
    PreliminaryDecision,
    Report,
    Source,
    Urgency,
)
from .policies import SOCIAL_SERVICES, is_receiver, is_reporting_side

log = logging.getLogger(__name__)

# Organisations whose staff report as professionals (anmälningsskyldiga).
REPORTING_TYPES = {"skola", "forskola", "elevhalsa", "bup", "barnhalsovard", "vardcentral"}
REPORTER_ENTRY_KINDS = {EntryKind.ADDITION, EntryKind.CORRECTION, EntryKind.QUESTION}
MAX_TEXT = 8000

# The evaluation after closure: yes/no questions (Östermalm appendix 6 and 7), per side.
EVALUATION_QUESTIONS = [
    ("receipt", gettext_lazy("Fick anmälaren bekräftelse på att anmälan kommit in?")),
    (
        "handler_known",
        gettext_lazy("Visste anmälaren vem som handlade ärendet och hur hen nåddes?"),
    ),
    ("feedback", gettext_lazy("Fick anmälaren återkoppling under ärendets gång?")),
    ("cooperation", gettext_lazy("Fungerade samarbetet kring barnet under ärendet?")),
    ("new_report", gettext_lazy("Vet anmälaren när en ny anmälan ska göras?")),
]
ANSWERS = {"ja", "delvis", "nej"}
# As the survey of the evaluations after closed cases counts them (governance).
CASE_ANSWER_VALUES = {"nej": 1, "delvis": 2, "ja": 3}


# --- helpers -------------------------------------------------------------------------


TAG_TARGET = "concerns.report"  # factor tags (knowledge.tagging)


def _stored_label(choice) -> str:
    """A choice's label for a text that is stored (notices): in Swedish, the product's
    language, whatever the acting user's interface language is."""
    return i18n.stored(choice.label)


def _text(value: str, field: str, label: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(gettext("Skriv %(label)s.") % {"label": label}, field=field)
    if len(value) > MAX_TEXT:
        raise ValidationFailed(
            gettext("%(capitalize)s får vara högst %(MAX_TEXT)s tecken.")
            % {"capitalize": label.capitalize(), "MAX_TEXT": MAX_TEXT},
            field=field,
        )
    return value


def _bounded(value: str | None, field: str, max_length: int = bounds.TEXT_NAME) -> str:
    """A short text trimmed and within its bound (refused at the field, never cut)."""
    return bounds.check_text((value or "").strip(), max_length=max_length, field=field)


def _choice(value: str, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(message, field=field)
    return value


def _new_reference(now: datetime.datetime) -> str:
    for _ in range(5):
        reference = f"OA-{now:%y}-{secrets.token_hex(3).upper()}"
        if not Report.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not draw a unique report reference")


def _audit(actor, action, report: Report, ground: Ground | None, **details) -> None:
    audit.event_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        resource_type="concerns.report",
        resource_id=str(report.public_id),
        subject_id=str(report.child.public_id) if report.child_id else "",
        ground=ground,
        details=details,
    )


def _entry(report, kind, actor=None, *, text="", to_reporter=False, **fields) -> Entry:
    return Entry.objects.create(
        report=report,
        kind=kind,
        text=text,
        to_reporter=to_reporter,
        author_id=actor.user_id if actor is not None else None,
        author_name=actor.label if actor is not None and actor.is_authenticated else "",
        author_organisation_name=actor.organisation_name if actor is not None else "",
        created_at=timezone.now(),
        **fields,
    )


def _notify(recipients: list[str], path: str) -> None:
    """E-mail without personal data ("Du har en ny händelse i Samverkan" and a link),
    after commit, through notify.mail: the notice in the product is the record."""
    mail.notification_send(recipients=recipients, path=path)


def _receiving_organisation(principal_id: int | None):
    """Social services of the reporter's municipality (principal), else the first."""
    candidates = list(directory.organisation_list().filter(org_type=SOCIAL_SERVICES))
    if not candidates:
        raise ValidationFailed(gettext("Det finns ingen socialtjänst registrerad att anmäla till."))
    same = [o for o in candidates if o.principal_id == principal_id]
    return (same or candidates)[0]


def _route(organisation, child, *, born: datetime.date | None = None) -> object | None:
    """The unit a report goes to: by the child's age band (from the register, or from
    the birth date in a reported personnummer), else the intake unit."""
    units = {u.name: u for u in organisation.units.all()}
    born = child.date_of_birth if child is not None else born
    if born is not None:
        age = identity.age_on(born)
        for rule in conf.get("CONCERN_ROUTING"):
            if rule["min_age"] <= age <= rule["max_age"] and rule["unit"] in units:
                return units[rule["unit"]]
    return units.get(conf.get("CONCERN_INTAKE_UNIT"))


def _notify_contact_function(report: Report) -> None:
    """Tell the reporting organisation's contact social worker (a function, not a
    person) that a report from 'their' organisation has come in."""
    if report.reporter_organisation_id is None:
        return
    title = conf.get("CONCERN_CONTACT_FUNCTION")
    for cf in directory.contact_functions_for(report.reporter_organisation_id):
        if (
            cf.served_organisation_id == report.reporter_organisation_id
            and cf.provider_organisation_id == report.receiving_organisation_id
            and cf.title == title
            and cf.current
        ):
            # To the function, not the person: whoever holds it now (and next) sees it.
            report_inbox.contact_deliver(report, cf.pk)


def _new_handling(report: Report, *, written_due=None) -> Handling:
    arrived = timezone.localdate(report.received_at)
    handling = Handling(
        report=report,
        preliminary_due=deadlines.preliminary_due(arrived, conf.get("CONCERN_PRELIMINARY_DAYS")),
        written_due=written_due,
    )
    intake_order.keep(handling, report)
    handling.save(force_insert=True)
    report_inbox.arrived(report, handling)
    return handling


def _receipt(report: Report) -> None:
    _entry(
        report,
        EntryKind.RECEIPT,
        text=(
            f"Anmälan {report.reference} har kommit in till socialtjänsten "
            f"{timezone.localtime(report.received_at):%Y-%m-%d %H:%M}."
        ),
        to_reporter=True,
    )


def _pending_oral(*, child, reporter_organisation_id: int, receiving_organisation_id: int):
    """The oldest oral report from this organisation about this child still waiting
    for its written version."""
    return (
        Report.objects.select_related("handling")
        .filter(
            channel=Channel.ORAL,
            child=child,
            reporter_organisation_id=reporter_organisation_id,
            receiving_organisation_id=receiving_organisation_id,
            handling__written_received_at__isnull=True,
        )
        .order_by("received_at")
        .first()
    )


def _complete_oral(oral: Report, written: Report) -> None:
    handling = Handling.objects.select_for_update().get(report=oral)
    handling.written_received_at = written.received_at
    handling.version += 1
    kept = intake_order.keep(handling, oral)
    handling.save(update_fields=["written_received_at", *kept, "version", "updated_at"])
    _entry(
        oral,
        EntryKind.WRITTEN_RECEIVED,
        text=f"Den skriftliga anmälan har kommit in ({written.reference}).",
        to_reporter=True,
    )
    report_inbox.written_done(oral)


# --- making a report -------------------------------------------------------------------


def _reported_child(actor: Actor, personal_number: str, first_name: str, last_name: str):
    """The child a professional reports by personnummer: the one in their own register,
    or, if their organisation does not know the child, the number and the name they
    give (which travel with the report to social services under the duty to report).
    Returns (child or None, the number, first name, last name)."""
    number = identity.parse(personal_number)  # a format error names the field
    child = people.child_find_for_registration(actor, number)
    if child is not None:
        return child, number, "", ""
    first = (first_name or "").strip()
    last = (last_name or "").strip()
    if not first or not last:
        raise ValidationFailed(
            gettext(
                "Barnet finns inte i din verksamhets register. Skriv barnets förnamn och "
                "efternamn, så följer de med anmälan till socialtjänsten."
            ),
            field="child_first_name" if not first else "child_last_name",
        )
    if len(first) > 100 or len(last) > 100:
        raise ValidationFailed(
            gettext("Barnets namn får vara högst 100 tecken."), field="child_first_name"
        )
    return None, number, first, last


@transaction.atomic
def report_submit(
    *,
    actor: Actor,
    child=None,
    personal_number: str = "",
    child_first_name: str = "",
    child_last_name: str = "",
    worry: str,
    observations: str = "",
    child_words: str = "",
    urgency: str = Urgency.NORMAL,
    guardians_informed: str = GuardiansInformed.UNKNOWN,
    do_not_inform_guardians: bool = False,
    do_not_inform_reason: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    factor_codes: list[str] | None = None,
) -> Report:
    """A professional files a written report. It reaches social services' intake at
    once, on the duty to report. The child is ``child`` (one the organisation may see)
    or given by ``personal_number``: a child the organisation does not know is reported
    with the personnummer and the name (``child_first_name``, ``child_last_name``), and
    social services' intake identifies the child (``report_identify_child``).
    ``factor_codes`` tags the report with risk and protective factors."""
    if actor.organisation_type not in REPORTING_TYPES or not actor.has_perm(Permission.PEOPLE_VIEW):
        raise PermissionDenied(
            gettext(
                "Anmälan görs här av personal i skola, förskola, elevhälsa och hälso- och sjukvård."
            )
        )
    number, reported_first, reported_last = None, "", ""
    if child is None:
        child, number, reported_first, reported_last = _reported_child(
            actor, personal_number, child_first_name, child_last_name
        )
    if child is not None and not policy.decide(actor, Action.READ, child):
        raise NotFound(gettext("Barnet finns inte eller så har du inte behörighet."))
    worry = _text(worry, "worry", gettext("vad du är orolig för"), required=True)
    observations = _text(observations, "observations", gettext("vad du har sett och hört"))
    child_words = _text(child_words, "child_words", "barnets egna ord")
    urgency = _choice(urgency, Urgency, "urgency", gettext("Välj hur brådskande anmälan är."))
    guardians_informed = _choice(
        guardians_informed,
        GuardiansInformed,
        "guardians_informed",
        gettext("Välj om vårdnadshavarna vet."),
    )
    do_not_inform_reason = _text(do_not_inform_reason, "do_not_inform_reason", gettext("skälet"))
    if do_not_inform_guardians and not do_not_inform_reason:
        raise ValidationFailed(
            gettext("Skriv varför vårdnadshavarna inte får veta att anmälan görs."),
            field="do_not_inform_reason",
        )
    if do_not_inform_guardians and guardians_informed == GuardiansInformed.YES:
        raise ValidationFailed(
            gettext("Du har angett både att vårdnadshavarna vet och att de inte får veta."),
            field="guardians_informed",
        )
    phone = _bounded(reporter_phone, "reporter_phone", bounds.TEXT_SHORT)
    email = _bounded(reporter_email, "reporter_email", bounds.TEXT_EMAIL)
    if not phone and not email:
        raise ValidationFailed(
            gettext("Ange hur socialtjänsten når dig (telefon eller e-post)."),
            field="reporter_phone",
        )
    receiver = _receiving_organisation(actor.principal_id)
    oral = (
        _pending_oral(
            child=child,
            reporter_organisation_id=actor.organisation_id,
            receiving_organisation_id=receiver.pk,
        )
        if child is not None
        else None
    )
    now = timezone.now()
    report = Report.objects.create(
        reference=_new_reference(now),
        source=Source.PROFESSIONAL,
        channel=Channel.WRITTEN,
        child=child,
        reported_personal_number=number.number if child is None else "",
        reported_first_name=reported_first,
        reported_last_name=reported_last,
        reporter_organisation_id=actor.organisation_id,
        reporter_user_id=actor.user_id,
        reporter_name=actor.display_name,
        reporter_function=actor.function_name,
        reporter_phone=phone,
        reporter_email=email,
        receiving_organisation=receiver,
        routed_unit=_route(receiver, child, born=number.birth_date if number else None),
        worry=worry,
        observations=observations,
        child_words=child_words,
        urgency=urgency,
        guardians_informed=guardians_informed,
        do_not_inform_guardians=do_not_inform_guardians,
        do_not_inform_reason=do_not_inform_reason if do_not_inform_guardians else "",
        completes=oral,
        received_at=now,
    )
    if child is None:
        # Nothing is known about the child in the register yet: the report itself, under
        # the duty to report, is what passes. Intake identifies the child.
        ground = legal.duty_to_report_ground(report)
    else:
        decision = passing.decide(
            viewer_organisation_id=actor.organisation_id,
            child=child,
            from_organisation_id=actor.organisation_id,
            to_organisation_id=receiver.pk,
            category=legal.REPORT_CATEGORY,
            purpose=legal.REPORT_PURPOSE,
            at=now,
        )
        if not decision.allowed:  # the path is registered by this app; never expected
            raise PermissionDenied(decision.reason)
        ground = decision.ground
    _new_handling(report)
    _receipt(report)
    if oral is not None:
        _complete_oral(oral, report)
    if child is not None:
        people_services.involvement_open_for_report(
            actor=actor,
            child=child,
            organisation_id=receiver.pk,
            unit_id=report.routed_unit_id,
            ground=ground,
            note=f"Anmälan {report.reference} från {actor.organisation_name}.",
        )
    _notify_contact_function(report)
    _audit(
        actor,
        Action.CREATE,
        report,
        ground,
        to_organisation=receiver.name,
        completes=oral.reference if oral else "",
        child_in_register=child is not None,
    )
    if factor_codes and child is not None:
        knowledge_services.factor_tags_set(
            actor=actor,
            target_type=TAG_TARGET,
            target_id=report.public_id,
            child_id=child.public_id,
            factor_codes=factor_codes,
        )
    _notify([email], reverse("concerns:mine"))
    return report


@transaction.atomic
def report_submit_public(
    *,
    child_details: str,
    worry: str,
    observations: str = "",
    child_words: str = "",
    urgency: str = Urgency.NORMAL,
    guardians_informed: str = GuardiansInformed.UNKNOWN,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
) -> Report:
    """A private person reports, anonymously if they wish, through the public form."""
    child_details = _text(
        child_details, "child_details", gettext("vilket barn det gäller"), required=True
    )
    worry = _text(worry, "worry", gettext("vad du är orolig för"), required=True)
    observations = _text(observations, "observations", gettext("vad du har sett och hört"))
    child_words = _text(child_words, "child_words", "barnets egna ord")
    urgency = _choice(urgency, Urgency, "urgency", gettext("Välj hur brådskande anmälan är."))
    guardians_informed = _choice(
        guardians_informed,
        GuardiansInformed,
        "guardians_informed",
        gettext("Välj om vårdnadshavarna vet."),
    )
    receiver = _receiving_organisation(None)
    now = timezone.now()
    report = Report.objects.create(
        reference=_new_reference(now),
        source=Source.PRIVATE,
        channel=Channel.WRITTEN,
        child_details=child_details,
        reporter_name=_bounded(reporter_name, "reporter_name", bounds.TEXT_NAME),
        reporter_phone=_bounded(reporter_phone, "reporter_phone", bounds.TEXT_SHORT),
        reporter_email=_bounded(reporter_email, "reporter_email", bounds.TEXT_EMAIL),
        receiving_organisation=receiver,
        routed_unit=_route(receiver, None),
        worry=worry,
        observations=observations,
        child_words=child_words,
        urgency=urgency,
        guardians_informed=guardians_informed,
        received_at=now,
    )
    _new_handling(report)
    _receipt(report)
    _audit(None, Action.CREATE, report, legal.private_report_ground(report), public_form=True)
    return report


@transaction.atomic
def report_register_oral(
    *,
    actor: Actor,
    personal_number: str,
    first_name: str,
    last_name: str,
    reporter_organisation_id: int,
    reporter_name: str,
    reporter_function: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    worry: str,
    observations: str = "",
    child_words: str = "",
    urgency: str = Urgency.ACUTE,
    guardians_informed: str = GuardiansInformed.UNKNOWN,
    do_not_inform_guardians: bool = False,
    do_not_inform_reason: str = "",
) -> Report:
    """Social services' intake registers an urgent oral report (by telephone). The
    written report is then expected within the configured number of working days."""
    if actor.organisation_type != SOCIAL_SERVICES or not actor.has_perm(Permission.PEOPLE_REGISTER):
        raise PermissionDenied(
            gettext("Bara socialtjänstens mottagning registrerar muntliga anmälningar.")
        )
    organisations = directory.organisations_by_ids([reporter_organisation_id])
    reporter_org = organisations.get(reporter_organisation_id)
    if reporter_org is None or reporter_org.org_type not in REPORTING_TYPES:
        raise ValidationFailed(
            gettext("Välj den verksamhet som anmälaren arbetar i."), field="reporter_org"
        )
    reporter_name = _text(reporter_name, "reporter_name", gettext("anmälarens namn"), required=True)
    worry = _text(worry, "worry", gettext("vad anmälaren är orolig för"), required=True)
    urgency = _choice(urgency, Urgency, "urgency", gettext("Välj hur brådskande anmälan är."))
    guardians_informed = _choice(
        guardians_informed,
        GuardiansInformed,
        "guardians_informed",
        gettext("Välj om vårdnadshavarna vet."),
    )
    do_not_inform_reason = _text(do_not_inform_reason, "do_not_inform_reason", gettext("skälet"))
    if do_not_inform_guardians and not do_not_inform_reason:
        raise ValidationFailed(
            gettext("Skriv varför vårdnadshavarna inte får veta att anmälan görs."),
            field="do_not_inform_reason",
        )
    number = identity.parse(personal_number)
    child = people.child_find_for_registration(actor, number)
    receiver_units = next(o for o in directory.organisation_list() if o.pk == actor.organisation_id)
    if child is None:
        child, _ = people_services.child_register(
            actor=actor,
            personal_number=personal_number,
            first_name=first_name,
            last_name=last_name,
            context="report",
        )
    routed_unit = _route(receiver_units, child)
    now = timezone.now()
    report = Report.objects.create(
        reference=_new_reference(now),
        source=Source.PROFESSIONAL,
        channel=Channel.ORAL,
        child=child,
        reporter_organisation=reporter_org,
        reporter_name=reporter_name,
        reporter_function=_bounded(reporter_function, "reporter_function", bounds.TEXT_NAME),
        reporter_phone=_bounded(reporter_phone, "reporter_phone", bounds.TEXT_SHORT),
        reporter_email=_bounded(reporter_email, "reporter_email", bounds.TEXT_EMAIL),
        receiving_organisation_id=actor.organisation_id,
        routed_unit=routed_unit,
        worry=worry,
        observations=_text(observations, "observations", "vad anmälaren har sett"),
        child_words=_text(child_words, "child_words", "barnets egna ord"),
        urgency=urgency,
        guardians_informed=guardians_informed,
        do_not_inform_guardians=do_not_inform_guardians,
        do_not_inform_reason=do_not_inform_reason if do_not_inform_guardians else "",
        received_at=now,
        received_by_id=actor.user_id,
    )
    ground = legal.duty_to_report_ground(report)
    _new_handling(
        report,
        written_due=deadlines.add_working_days(
            timezone.localdate(now),
            conf.get("CONCERN_WRITTEN_WORKING_DAYS"),
            eves_off=conf.get("CONCERN_EVES_OFF"),
        ),
    )
    _receipt(report)
    people_services.involvement_open_for_report(
        actor=actor,
        child=child,
        organisation_id=actor.organisation_id,
        unit_id=routed_unit.pk if routed_unit else None,
        ground=ground,
        note=f"Muntlig anmälan {report.reference} från {reporter_org.name}.",
    )
    _notify_contact_function(report)
    _audit(actor, Action.CREATE, report, ground, channel="oral", reporter=reporter_org.name)
    return report


# --- handling in social services -------------------------------------------------------


def _for_receiver(actor: Actor, report: Report) -> tuple[Handling, policy.Decision]:
    decision = policy.decide(actor, Action.CHANGE, report)
    if not decision.allowed or not is_receiver(actor, report):
        raise NotFound(gettext("Anmälan finns inte eller så har du inte behörighet."))
    handling = Handling.objects.select_for_update().get(report=report)
    handling.report = report  # the same row: its order is kept from it on each save
    return handling, decision


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


def _open(handling: Handling) -> None:
    if handling.closed_at is not None:
        raise ValidationFailed(gettext("Ärendet är avslutat."))


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


# --- feedback and questions ------------------------------------------------------------


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


# --- meeting, evaluation ---------------------------------------------------------------


@transaction.atomic
def meeting_book(
    *,
    actor: Actor,
    report: Report,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    agenda: str = "",
    family_invited: bool = True,
) -> Meeting:
    """Book a three-party meeting (family, reporter, social worker). It needs the
    family's consent for the purpose "trepartssamtal"; never when guardians must not
    be told about the report."""
    handling, _ = _for_receiver(actor, report)
    _open(handling)
    if report.do_not_inform_guardians:
        raise ValidationFailed(
            gettext(
                "Vårdnadshavarna får inte veta om anmälan, så ett trepartssamtal kan inte bokas."
            )
        )
    if report.reporter_organisation_id is None or report.child_id is None:
        raise ValidationFailed(gettext("Trepartssamtal bokas med en anmälande verksamhet."))
    decision = passing.decide(
        child=report.child,
        from_organisation_id=report.receiving_organisation_id,
        to_organisation_id=report.reporter_organisation_id,
        category=legal.REPORT_CATEGORY,
        purpose="trepartssamtal",
        viewer_organisation_id=actor.organisation_id,
    )
    if not decision.allowed:
        raise PermissionDenied(decision.reason, code="no_ground")
    place = _bounded(_text(place, "place", gettext("var mötet hålls"), required=True), "place")
    if ends_at <= starts_at:
        raise ValidationFailed(gettext("Mötet måste sluta efter att det börjar."), field="ends_at")
    if starts_at < timezone.now() - datetime.timedelta(hours=1):
        raise ValidationFailed(gettext("Mötet kan inte bokas bakåt i tiden."), field="starts_at")
    meeting = Meeting.objects.create(
        report=report,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        agenda=_text(agenda, "agenda", "dagordningen"),
        family_invited=family_invited,
        booked_by_id=actor.user_id,
        booked_by_name=actor.label,
    )
    _entry(
        report,
        EntryKind.NOTE,
        actor,
        text=f"Trepartssamtal bokat {timezone.localtime(starts_at):%Y-%m-%d %H:%M}, {place}.",
        to_reporter=True,
    )
    report_inbox.meeting_deliver(report, meeting)
    _audit(actor, Action.CREATE, report, decision.ground, meeting=str(meeting.public_id))
    return meeting


@transaction.atomic
def evaluation_submit(
    *, actor: Actor, report: Report, answers: dict[str, str], comment: str = ""
) -> Evaluation:
    """After closure each side (reporting organisation, social services) evaluates the
    cooperation once; the answers are kept for follow-up."""
    decision = policy.decide(actor, Action.CREATE, report)
    if not decision.allowed:
        raise NotFound(gettext("Anmälan finns inte eller så har du inte behörighet."))
    closed = Handling.objects.filter(report=report, closed_at__isnull=False).exists()
    if not closed:
        raise ValidationFailed(gettext("Samarbetet utvärderas när ärendet är avslutat."))
    keys = {key for key, _ in EVALUATION_QUESTIONS}
    if set(answers) != keys or not set(answers.values()) <= ANSWERS:
        raise ValidationFailed(
            gettext("Svara ja, delvis eller nej på varje fråga."), field="answers"
        )
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                report=report,
                organisation_id=actor.organisation_id,
                organisation_type=actor.organisation_type,
                answers=answers,
                comment=_text(comment, "comment", "kommentaren"),
                answered_by_id=actor.user_id,
                created_at=timezone.now(),
            )
            if actor.organisation_id == report.receiving_organisation_id:
                # The intake's evaluation deadline is met: off the stored order (0361).
                Handling.objects.filter(report=report).update(intake_due=None)
    except IntegrityError as exc:
        raise ValidationFailed(gettext("Din verksamhet har redan utvärderat ärendet.")) from exc
    report_inbox.evaluated(report, actor.organisation_id, actor.user_id)
    signals.evaluation_submitted.send(
        sender=Evaluation,
        survey="arende",
        user_id=actor.user_id,
        occasion=f"case:{report.public_id}",
        organisation_type=actor.organisation_type,
        answers={key: CASE_ANSWER_VALUES[value] for key, value in answers.items()},
        comment=evaluation.comment,
    )
    _audit(actor, Action.CREATE, report, decision.ground, evaluation=True)
    return evaluation


# --- the periodic sweep ----------------------------------------------------------------


def concerns_sweep() -> dict[str, int]:
    """The deadlines of open matters are inbox items with clocks (concerns.inbox), which
    the worker reminds and escalates (notify.clocks). This gives every open matter the
    items its state calls for that it does not have yet (matters from before the inbox,
    or a delivery lost); an item is delivered once, so a re-run adds nothing."""
    return {"delivered": report_inbox.clocks_ensure()}
