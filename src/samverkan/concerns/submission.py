"""Making a report: a professional's report (written, or the written version of an oral
one), a member of the public's report, and an oral report that social services register;
each is routed to its unit and given its handling, receipt and deadlines."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.directory import selectors as directory
from samverkan.knowledge import services as knowledge_services
from samverkan.people import identity
from samverkan.people import selectors as people
from samverkan.people import services as people_services

from . import conf, deadlines, intake_order, legal
from . import inbox as report_inbox
from .models import (
    Channel,
    EntryKind,
    GuardiansInformed,
    Handling,
    Report,
    Source,
    Urgency,
)
from .policies import SOCIAL_SERVICES
from .writes import _audit, _bounded, _choice, _entry, _notify, _text

# Organisations whose staff report as professionals (anmälningsskyldiga).
REPORTING_TYPES = {"skola", "forskola", "elevhalsa", "bup", "barnhalsovard", "vardcentral"}
TAG_TARGET = "concerns.report"  # factor tags (knowledge.tagging)


def _new_reference(now: datetime.datetime) -> str:
    for _ in range(5):
        reference = f"OA-{now:%y}-{secrets.token_hex(3).upper()}"
        if not Report.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not draw a unique report reference")


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


def _urgency_and_guardians(urgency: str, guardians_informed: str) -> tuple[str, str]:
    """The two answers every report gives: how urgent it is, and whether the guardians
    know about it."""
    return (
        _choice(urgency, Urgency, "urgency", gettext("Välj hur brådskande anmälan är.")),
        _choice(
            guardians_informed,
            GuardiansInformed,
            "guardians_informed",
            gettext("Välj om vårdnadshavarna vet."),
        ),
    )


def _do_not_inform_reason(do_not_inform_guardians: bool, reason: str) -> str:
    """Why the guardians must not be told: required when they must not."""
    reason = _text(reason, "do_not_inform_reason", gettext("skälet"))
    if do_not_inform_guardians and not reason:
        raise ValidationFailed(
            gettext("Skriv varför vårdnadshavarna inte får veta att anmälan görs."),
            field="do_not_inform_reason",
        )
    return reason


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
    urgency, guardians_informed = _urgency_and_guardians(urgency, guardians_informed)
    do_not_inform_reason = _do_not_inform_reason(do_not_inform_guardians, do_not_inform_reason)
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
    urgency, guardians_informed = _urgency_and_guardians(urgency, guardians_informed)
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
    urgency, guardians_informed = _urgency_and_guardians(urgency, guardians_informed)
    do_not_inform_reason = _do_not_inform_reason(do_not_inform_guardians, do_not_inform_reason)
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
