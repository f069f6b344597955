"""Writes to the children register. One transaction each, audited with the ground."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import grounds, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.core.unique import create_or_refuse, get_or_create_once
from samverkan.directory import selectors as directory

from . import changes, contexts, identity, names, population
from .models import (
    Child,
    Custody,
    CustodyEvent,
    CustodyEventKind,
    CustodySource,
    CustodyType,
    Enrolment,
    Guardian,
    Involvement,
    InvolvementContext,
    NumberKind,
)

SCHOOL_TYPES = {"skola", "forskola"}


@dataclass(frozen=True)
class GuardianInput:
    first_name: str
    last_name: str
    custody_type: str
    personal_number: str = ""
    phone: str = ""
    email: str = ""


def _audit_child(actor, action, child, ground, resource=None, **details):
    resource = resource or child
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=resource._meta.label_lower,
        resource_id=str(resource.public_id),
        subject_id=str(child.public_id),
        ground=ground,
        details=details,
    )


def _clean_name(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("Ange %(label)s.") % {"label": label}, field=field)
    if len(value) > 100:
        raise ValidationFailed(
            _("%(capitalize)s får vara högst 100 tecken.") % {"capitalize": label.capitalize()},
            field=field,
        )
    return value


@transaction.atomic
def child_register(
    *,
    actor: Actor,
    personal_number: str,
    first_name: str,
    last_name: str,
    context: str,
    unit_id: int | None = None,
    note: str = "",
    protected_identity: bool = False,
    street_address: str = "",
    postal_code: str = "",
    city: str = "",
) -> tuple[Child, Involvement]:
    """Register that the actor's organisation works with a child.

    If the child is already in the register (because another organisation works with
    it) only a new involvement is added, and the answer is the same as for a new
    child: the caller cannot learn whether anyone else knows the child.
    """
    if not actor.has_perm(Permission.PEOPLE_REGISTER):
        raise PermissionDenied(_("Din funktion får inte registrera barn."))
    number = identity.parse(personal_number)
    try:  # a child or young person: under 21 and born (core.bounds.BIRTH_OF_CHILD)
        bounds.check_date(number.birth_date, window=bounds.BIRTH_OF_CHILD)
    except ValidationFailed as exc:
        raise ValidationFailed(
            _(
                "Personnumret hör till någon som inte är barn eller ung (under 21 år). "
                "Kontrollera numret."
            ),
            field="personal_number",
        ) from exc
    first_name = _clean_name(first_name, "first_name", _("förnamn"))
    last_name = _clean_name(last_name, "last_name", _("efternamn"))
    contexts.ensure_allowed(
        actor.organisation_type,
        context,
        message=_("Välj varför verksamheten har kontakt med barnet."),
    )
    if unit_id is not None and not directory.unit_belongs_to(unit_id, actor.organisation_id):
        raise ValidationFailed(_("Enheten hör inte till din organisation."), field="unit")
    if postal_code and not (
        postal_code.replace(" ", "").isdigit() and len(postal_code.replace(" ", "")) == 5
    ):
        raise ValidationFailed(_("Postnumret ska ha fem siffror."), field="postal_code")

    # Two organisations registering the same new child at once: one inserts, the other
    # finds that child (the unique personal number is the truth, core.unique).
    child, created = get_or_create_once(
        Child,
        personal_number=number.number,
        defaults={
            "number_kind": (
                NumberKind.SAMORDNINGSNUMMER
                if number.kind == identity.SAMORDNINGSNUMMER
                else NumberKind.PERSONNUMMER
            ),
            "first_name": first_name,
            "last_name": last_name,
            "date_of_birth": number.birth_date,
            **names.keys(first_name, last_name),
            "protected_identity": protected_identity,
            "street_address": street_address.strip(),
            "postal_code": postal_code.replace(" ", ""),
            "city": city.strip(),
        },
    )
    if (
        not created
        and Involvement.objects.filter(
            child=child, organisation_id=actor.organisation_id, ended_at__isnull=True
        ).exists()
    ):
        raise ValidationFailed(
            _("Barnet är redan registrerat i din verksamhet."), field="personal_number"
        )
    # Identity data comes from the population register; a later registration can add a
    # protection flag but never weaken one or overwrite another's data.
    if not created and protected_identity and not child.protected_identity:
        child.protected_identity = True
        child.save(update_fields=["protected_identity", "updated_at"])
    try:
        with transaction.atomic():
            now = timezone.now()
            involvement = Involvement.objects.create(
                child=child,
                organisation_id=actor.organisation_id,
                unit_id=unit_id,
                context=context,
                context_since=now,
                note=note.strip(),
                started_at=now,
                started_by_id=actor.user_id,
            )
    except IntegrityError as exc:  # a concurrent registration won the race
        raise ValidationFailed(
            _("Barnet är redan registrerat i din verksamhet."), field="personal_number"
        ) from exc
    changes.children_changed([child.pk])
    ground = grounds.own_matter(str(involvement.public_id), actor.organisation_name)
    _audit_child(actor, Action.CREATE, child, ground, resource=involvement, context=context)
    return child, involvement


def _current_custodies(child: Child, organisation_id: int):
    return Custody.objects.filter(
        child=child, guardian__organisation_id=organisation_id, ended_at__isnull=True
    )


def _custody_rules(
    child: Child,
    organisation_id: int,
    custody_type: str,
    adding: int = 1,
    excluding: Custody | None = None,
) -> None:
    """Checked against the organisation's own current record of the family
    (``excluding`` a custody that is being corrected)."""
    current = _current_custodies(child, organisation_id)
    if excluding is not None:
        current = current.exclude(pk=excluding.pk)
    current = list(current)
    if custody_type not in CustodyType.values:
        raise ValidationFailed(_("Välj typ av vårdnad."), field="custody_type")
    if len(current) + adding > 2:
        raise ValidationFailed(
            _(
                "Ett barn kan ha högst två vårdnadshavare. Är någon av dem fel registrerad: "
                "rätta uppgifterna, avsluta vårdnaden eller ersätt vårdnadshavaren."
            ),
            field="custody_type",
        )
    if custody_type == CustodyType.SOLE and current:
        raise ValidationFailed(
            _("Ensam vårdnad kan inte registreras när barnet redan har en vårdnadshavare."),
            field="custody_type",
        )
    if any(c.custody_type == CustodyType.SOLE for c in current):
        raise ValidationFailed(
            _("Barnet har en vårdnadshavare med ensam vårdnad."), field="custody_type"
        )
    if custody_type == CustodyType.JOINT and any(
        c.custody_type != CustodyType.JOINT for c in current
    ):
        raise ValidationFailed(
            _("Vårdnadsformen måste vara densamma för båda."), field="custody_type"
        )


def _guardian_number(raw: str) -> str:
    """A guardian's personnummer, normalised; a guardian must be an adult."""
    if not (raw or "").strip():
        return ""
    number = identity.parse(raw)
    if identity.age_on(number.birth_date) < 18:
        raise ValidationFailed(
            _("En vårdnadshavare måste vara vuxen. Kontrollera personnumret."),
            field="personal_number",
        )
    return number.number


def _custody_event(custody: Custody, kind: str, actor: Actor, *, changes=None, reason=""):
    CustodyEvent.objects.create(
        custody=custody,
        kind=kind,
        changes=changes or {},
        reason=reason[: bounds.TEXT_LINE],
        actor_name=actor.label if actor else "",
        occurred_at=timezone.now(),
    )


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Skriv varför %(what)s.") % {"what": what}, field="reason")
    return bounds.check_text(reason, max_length=bounds.TEXT_LINE, field="reason")


def _add_custody(actor: Actor, child: Child, data: GuardianInput, *, source: str) -> Custody:
    if source not in CustodySource.values:
        raise ValueError(f"unknown custody source {source!r}")
    first_name = _clean_name(data.first_name, "first_name", _("vårdnadshavarens förnamn"))
    last_name = _clean_name(data.last_name, "last_name", _("vårdnadshavarens efternamn"))
    _custody_rules(child, actor.organisation_id, data.custody_type)
    number = _guardian_number(data.personal_number)
    details = {
        "first_name": first_name,
        "last_name": last_name,
        "phone": bounds.check_text(data.phone.strip(), max_length=bounds.TEXT_SHORT, field="phone"),
        "email": bounds.check_text(data.email.strip(), max_length=bounds.TEXT_EMAIL, field="email"),
    }
    if number:  # one record per number and organisation (guardian_number_once_per_organisation)
        guardian, _created = get_or_create_once(
            Guardian,
            organisation_id=actor.organisation_id,
            personal_number=number,
            defaults=details,
        )
    else:
        guardian = Guardian.objects.create(
            organisation_id=actor.organisation_id, personal_number="", **details
        )
    if _current_custodies(child, actor.organisation_id).filter(guardian=guardian).exists():
        raise ValidationFailed(
            _("Personen är redan registrerad som vårdnadshavare."), field="personal_number"
        )
    custody = Custody.objects.create(
        child=child, guardian=guardian, custody_type=data.custody_type, source=source
    )
    _custody_event(custody, CustodyEventKind.ADDED, actor)
    changes.children_changed([child.pk])
    return custody


@transaction.atomic
def guardian_add(
    *,
    actor: Actor,
    child: Child,
    data: GuardianInput,
    source: str = CustodySource.MANUAL,
) -> Custody:
    """Record a guardian of the child in the actor's organisation's own record."""
    decision = policy.decide(actor, Action.CHANGE, child)
    if not decision:
        raise NotFound(_("Barnet finns inte eller så har du inte behörighet."))
    Child.objects.select_for_update().filter(pk=child.pk).first()
    custody = _add_custody(actor, child, data, source=source)
    _audit_child(
        actor,
        Action.CHANGE,
        child,
        decision.ground,
        guardian_added=str(custody.guardian.public_id),
        source=source,
    )
    return custody


def _own_custody(actor: Actor, child: Child, guardian_public_id) -> tuple[Custody, object]:
    """The actor's organisation's current custody record for the guardian, locked."""
    decision = policy.decide(actor, Action.CHANGE, child)
    if not decision:
        raise NotFound(_("Barnet finns inte eller så har du inte behörighet."))
    try:
        custody = (
            Custody.objects.select_for_update()
            .select_related("guardian")
            .get(
                child=child,
                guardian__public_id=guardian_public_id,
                guardian__organisation_id=actor.organisation_id,
                ended_at__isnull=True,
            )
        )
    except (Custody.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Vårdnadshavaren finns inte i din verksamhets register.")) from exc
    return custody, decision


_CORRECTABLE = ("first_name", "last_name", "personal_number", "phone", "email")


@transaction.atomic
def guardian_correct(
    *, actor: Actor, child: Child, guardian_public_id, data: GuardianInput, reason: str
) -> Custody:
    """Correct the organisation's record of a guardian (a misspelt name, a wrong
    personnummer, the form of custody). Each field's value before and after is kept in
    the history; the audit row names the fields."""
    custody, decision = _own_custody(actor, child, guardian_public_id)
    reason = _reason(reason, _("uppgifterna rättas"))
    guardian = custody.guardian
    after = {
        "first_name": _clean_name(data.first_name, "first_name", _("vårdnadshavarens förnamn")),
        "last_name": _clean_name(data.last_name, "last_name", _("vårdnadshavarens efternamn")),
        "personal_number": _guardian_number(data.personal_number),
        "phone": bounds.check_text(data.phone.strip(), max_length=bounds.TEXT_SHORT, field="phone"),
        "email": bounds.check_text(data.email.strip(), max_length=bounds.TEXT_EMAIL, field="email"),
    }
    if (
        after["personal_number"]
        and after["personal_number"] != guardian.personal_number
        and Guardian.objects.filter(
            organisation_id=actor.organisation_id, personal_number=after["personal_number"]
        ).exists()
    ):
        raise ValidationFailed(
            _(
                "Din verksamhet har redan en vårdnadshavare med det personnumret. Ersätt "
                "vårdnadshavaren i stället för att rätta."
            ),
            field="personal_number",
        )
    changes = {
        name: [getattr(guardian, name), value]
        for name, value in after.items()
        if getattr(guardian, name) != value
    }
    if data.custody_type != custody.custody_type:
        _custody_rules(child, actor.organisation_id, data.custody_type, excluding=custody)
        changes["custody_type"] = [custody.custody_type, data.custody_type]
    if not changes:
        raise ValidationFailed(_("Inget att rätta – uppgifterna är oförändrade."))
    for name in _CORRECTABLE:
        setattr(guardian, name, after[name])
    with create_or_refuse(
        "Din verksamhet har redan en vårdnadshavare med det personnumret. Ersätt "
        "vårdnadshavaren i stället för att rätta.",
        field="personal_number",
    ):
        guardian.save(update_fields=[*_CORRECTABLE, "updated_at"])
    if "custody_type" in changes:
        custody.custody_type = data.custody_type
        custody.save(update_fields=["custody_type"])
    _custody_event(custody, CustodyEventKind.CORRECTED, actor, changes=changes, reason=reason)
    _audit_child(
        actor,
        Action.CHANGE,
        child,
        decision.ground,
        guardian_corrected=str(guardian.public_id),
        fields=sorted(changes),
    )
    return custody


@transaction.atomic
def custody_end(*, actor: Actor, child: Child, guardian_public_id, reason: str) -> Custody:
    """End the organisation's record that a person has custody (custody changed, or it
    was recorded by mistake). The record stays, with the reason, in the history."""
    custody, decision = _own_custody(actor, child, guardian_public_id)
    custody.end_reason = _reason(reason, _("vårdnaden avslutas"))
    custody.ended_at = timezone.now()
    custody.save(update_fields=["ended_at", "end_reason"])
    changes.children_changed([child.pk])
    _custody_event(custody, CustodyEventKind.ENDED, actor, reason=custody.end_reason)
    _audit_child(
        actor,
        Action.CHANGE,
        child,
        decision.ground,
        custody_ended=str(custody.guardian.public_id),
    )
    return custody


@transaction.atomic
def guardian_replace(
    *, actor: Actor, child: Child, guardian_public_id, data: GuardianInput, reason: str
) -> Custody:
    """Replace a guardian in the organisation's record with another person (the wrong
    person was recorded, or custody passed to someone else): the old custody ends, the
    new one is added, both in the history, in one step — so "at most two" never stands
    in the way of putting the record right."""
    custody, decision = _own_custody(actor, child, guardian_public_id)
    reason = _reason(reason, _("vårdnadshavaren ersätts"))
    custody.ended_at = timezone.now()
    custody.end_reason = reason
    custody.save(update_fields=["ended_at", "end_reason"])
    changes.children_changed([child.pk])
    new_name = f"{data.first_name.strip()} {data.last_name.strip()}"
    _custody_event(
        custody,
        CustodyEventKind.REPLACED,
        actor,
        changes={"guardian": [custody.guardian.full_name, new_name]},
        reason=reason,
    )
    new = _add_custody(actor, child, data, source=CustodySource.MANUAL)
    _audit_child(
        actor,
        Action.CHANGE,
        child,
        decision.ground,
        custody_ended=str(custody.guardian.public_id),
        guardian_added=str(new.guardian.public_id),
    )
    return new


@transaction.atomic
def guardians_from_register(*, actor: Actor, child: Child) -> list[Custody]:
    """Record the child's guardians as the population register names them, in the
    actor's organisation's own record: those it lacks are added (source: the
    register). A guardian the organisation recorded who is not in the register is
    named in the refusal if it stands in the way (correct, end or replace it first)."""
    decision = policy.decide(actor, Action.CHANGE, child)
    if not decision:
        raise NotFound(_("Barnet finns inte eller så har du inte behörighet."))
    register = population.configured()
    if register is None:
        raise ValidationFailed(_("Samverkan är inte kopplat till folkbokföringen."))
    person = register.lookup(child.personal_number)
    if person is None or not person.guardians:
        raise ValidationFailed(_("Folkbokföringen anger inga vårdnadshavare för barnet."))
    Child.objects.select_for_update().filter(pk=child.pk).first()
    current = list(_current_custodies(child, actor.organisation_id).select_related("guardian"))
    known = {c.guardian.personal_number for c in current}
    missing = [g for g in person.guardians if g.personal_number not in known]
    listed = {g.personal_number for g in person.guardians}
    others = [c for c in current if c.guardian.personal_number not in listed]
    if missing and others:
        names = _(" och ").join(c.guardian.full_name for c in others)
        raise ValidationFailed(
            _(
                "%(names)s är inte vårdnadshavare enligt folkbokföringen. Rätta, "
                "avsluta eller ersätt den registreringen först."
            )
            % {"names": names}
        )
    added = [
        _add_custody(
            actor,
            child,
            GuardianInput(
                first_name=g.first_name,
                last_name=g.last_name,
                personal_number=g.personal_number,
                custody_type=person.custody_type,
            ),
            source=CustodySource.POPULATION_REGISTER,
        )
        for g in missing
    ]
    _audit_child(
        actor,
        Action.CHANGE,
        child,
        decision.ground,
        source=CustodySource.POPULATION_REGISTER,
        register=register.name,
        guardians_added=[str(c.guardian.public_id) for c in added],
    )
    return added


@transaction.atomic
def enrolment_add(
    *,
    actor: Actor,
    child: Child,
    school_year: str = "",
    class_name: str = "",
    start_date: datetime.date | None = None,
) -> Enrolment:
    """A school or preschool records that the child is its pupil."""
    decision = policy.decide(actor, Action.CHANGE, child)
    if not decision:
        raise NotFound(_("Barnet finns inte eller så har du inte behörighet."))
    if actor.organisation_type not in SCHOOL_TYPES:
        raise PermissionDenied(_("Bara en skola eller förskola kan skriva in ett barn."))
    today = timezone.localdate()
    start_date = start_date or today
    # The child's row is locked: two enrolments at once (two tabs, two schools) find
    # the open enrolment one after the other, so a child has one open enrolment.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    open_enrolments = Enrolment.objects.filter(child=child, end_date__isnull=True)
    for other in open_enrolments.exclude(organisation_id=actor.organisation_id):
        # Moving school: the earlier placement ends the day before.
        other.end_date = max(other.start_date, start_date - datetime.timedelta(days=1))
        other.save(update_fields=["end_date", "updated_at"])
    enrolment = open_enrolments.filter(organisation_id=actor.organisation_id).first()
    if enrolment:
        enrolment.school_year = school_year.strip()
        enrolment.class_name = class_name.strip()
        enrolment.save(update_fields=["school_year", "class_name", "updated_at"])
    else:
        enrolment = Enrolment.objects.create(
            child=child,
            organisation_id=actor.organisation_id,
            school_year=school_year.strip(),
            class_name=class_name.strip(),
            start_date=start_date,
        )
    _audit_child(actor, Action.CHANGE, child, decision.ground, resource=enrolment)
    return enrolment


def _own_open_involvement(actor: Actor, involvement_public_id) -> Involvement:
    try:
        involvement = Involvement.objects.select_related("child").get(
            public_id=involvement_public_id,
            organisation_id=actor.organisation_id,
            ended_at__isnull=True,
        )
    except (Involvement.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Ärendet finns inte eller är redan avslutat.")) from exc
    if not actor.has_perm(Permission.PEOPLE_REGISTER):
        raise PermissionDenied(_("Din funktion får inte ändra verksamhetens ärenden."))
    return involvement


@transaction.atomic
def involvement_end(*, actor: Actor, involvement_public_id, reason: str = "") -> Involvement:
    involvement = _own_open_involvement(actor, involvement_public_id)
    involvement.ended_at = timezone.now()
    if reason.strip():
        involvement.note = (involvement.note + "\n\nAvslutat: " + reason.strip()).strip()
    involvement.save(update_fields=["ended_at", "note", "updated_at"])
    changes.children_changed([involvement.child_id])
    ground = grounds.own_matter(str(involvement.public_id), actor.organisation_name)
    _audit_child(actor, Action.CHANGE, involvement.child, ground, resource=involvement, ended=True)
    return involvement


@transaction.atomic
def involvement_record_protected_need(
    *, actor: Actor, involvement_public_id, need: str
) -> Involvement:
    """Record why this organisation needs the address and school of a child with
    protected identity. Only functions with ``people.protected`` may do it."""
    involvement = _own_open_involvement(actor, involvement_public_id)
    if not actor.has_perm(Permission.PEOPLE_PROTECTED):
        raise PermissionDenied(
            _("Din funktion får inte ta del av uppgifter om barn med skyddade personuppgifter.")
        )
    need = need.strip()
    if len(need) < 10:
        raise ValidationFailed(_("Beskriv behovet med minst några ord."), field="need")
    involvement.protected_details_need = need
    involvement.save(update_fields=["protected_details_need", "updated_at"])
    ground = grounds.own_matter(str(involvement.public_id), actor.organisation_name)
    _audit_child(
        actor, Action.CHANGE, involvement.child, ground, resource=involvement, need_recorded=True
    )
    return involvement


@transaction.atomic
def involvement_change_context(
    *, actor: Actor, involvement_public_id, context: str, reason: str = ""
) -> Involvement:
    """The matter changes character, e.g. voluntary support becomes a report or an
    investigation. Consents given for the earlier character stop covering the matter
    (the consent app reads ``context`` and ``context_since`` at every decision)."""
    involvement = _own_open_involvement(actor, involvement_public_id)
    contexts.ensure_allowed(
        actor.organisation_type, context, message=_("Välj vad ärendet gäller nu.")
    )
    if context == involvement.context:
        raise ValidationFailed(_("Ärendet har redan den karaktären."), field="context")
    previous = involvement.context
    involvement.context = context
    involvement.context_since = timezone.now()
    if reason.strip():
        label = InvolvementContext(context).label
        involvement.note = (
            involvement.note + f"\n\nÄndrat till {label}: " + reason.strip()
        ).strip()
    involvement.save(update_fields=["context", "context_since", "note", "updated_at"])
    changes.children_changed([involvement.child_id])
    ground = grounds.own_matter(str(involvement.public_id), actor.organisation_name)
    _audit_child(
        actor,
        Action.CHANGE,
        involvement.child,
        ground,
        resource=involvement,
        context_from=previous,
        context_to=context,
    )
    return involvement


@transaction.atomic
def involvement_open_for_report(
    *,
    actor: Actor,
    child: Child,
    organisation_id: int,
    ground,
    unit_id: int | None = None,
    note: str = "",
) -> Involvement:
    """A report of concern reached ``organisation_id`` (social services): that
    organisation now has its own matter with the child, of the character "report".
    An open matter of another character (e.g. voluntary support) changes character, so
    consents given for voluntary support stop covering it (consent.rules). The actor is
    whoever made the report arrive; ``ground`` (e.g. the duty to report) is audited."""
    if unit_id is not None and not directory.unit_belongs_to(unit_id, organisation_id):
        raise ValidationFailed(_("Enheten hör inte till den mottagande organisationen."))
    contexts.ensure_allowed(
        directory.organisation_by_pk(organisation_id).org_type,
        InvolvementContext.REPORT,
        message=_("Anmälan kan inte tas emot här."),
    )
    now = timezone.now()
    # The constraint involvement_one_open_per_org is the truth: of concurrent reports
    # about the child, one opens the matter and the others find it (core.unique).
    involvement, created = get_or_create_once(
        Involvement,
        child=child,
        organisation_id=organisation_id,
        ended_at=None,
        defaults={
            "unit_id": unit_id,
            "context": InvolvementContext.REPORT,
            "context_since": now,
            "note": note.strip(),
            "started_at": now,
            "started_by_id": actor.user_id,
        },
    )
    if created:
        changes.children_changed([child.pk])
        _audit_child(
            actor, Action.CREATE, child, ground, resource=involvement, context=involvement.context
        )
    elif involvement.context not in {InvolvementContext.REPORT, InvolvementContext.INVESTIGATION}:
        previous = involvement.context
        involvement.context = InvolvementContext.REPORT
        involvement.context_since = now
        if note.strip():
            involvement.note = (involvement.note + "\n\n" + note.strip()).strip()
        involvement.save(update_fields=["context", "context_since", "note", "updated_at"])
        changes.children_changed([child.pk])
        _audit_child(
            actor,
            Action.CHANGE,
            child,
            ground,
            resource=involvement,
            context_from=previous,
            context_to=involvement.context,
        )
    return involvement


@transaction.atomic
def involvement_set_context_for_investigation(
    *, actor: Actor, child: Child, organisation_id: int, ground
) -> Involvement | None:
    """Social services opened an investigation after a report: its open matter takes
    the character "investigation"."""
    involvement = (
        Involvement.objects.select_for_update()
        .filter(child=child, organisation_id=organisation_id, ended_at__isnull=True)
        .first()
    )
    if involvement is None or involvement.context == InvolvementContext.INVESTIGATION:
        return involvement
    contexts.ensure_allowed(
        directory.organisation_by_pk(organisation_id).org_type,
        InvolvementContext.INVESTIGATION,
        message="Utredning kan inte inledas här.",
    )
    previous = involvement.context
    involvement.context = InvolvementContext.INVESTIGATION
    involvement.context_since = timezone.now()
    involvement.save(update_fields=["context", "context_since", "updated_at"])
    changes.children_changed([child.pk])
    _audit_child(
        actor,
        Action.CHANGE,
        child,
        ground,
        resource=involvement,
        context_from=previous,
        context_to=involvement.context,
    )
    return involvement


@transaction.atomic
def involvement_move(
    *,
    actor: Actor,
    child: Child,
    from_organisation_id: int,
    context: str,
    ground,
    note: str,
    start_date: datetime.date | None = None,
) -> Involvement:
    """A handover about the child was received (the handover app): the actor's
    organisation opens its own matter with the child (of character ``context``; "" keeps
    the sending matter's), a school or preschool also enrols the child (which ends the
    earlier placement), and the sending organisation's open matter ends with a note of
    where it went. ``ground`` (the handover's) is audited on each change."""
    sending = (
        Involvement.objects.select_for_update()
        .filter(child=child, organisation_id=from_organisation_id, ended_at__isnull=True)
        .first()
    )
    context = context or (sending.context if sending else "")
    contexts.ensure_allowed(
        actor.organisation_type, context, message=_("Ärendet kan inte tas emot här.")
    )
    now = timezone.now()
    involvement, created = get_or_create_once(
        Involvement,
        child=child,
        organisation_id=actor.organisation_id,
        ended_at=None,
        defaults={
            "context": context,
            "context_since": now,
            "note": note.strip(),
            "started_at": now,
            "started_by_id": actor.user_id,
        },
    )
    if created:
        _audit_child(actor, Action.CREATE, child, ground, resource=involvement, context=context)
    if actor.organisation_type in SCHOOL_TYPES:
        start = start_date or timezone.localdate()
        for other in Enrolment.objects.filter(child=child, end_date__isnull=True).exclude(
            organisation_id=actor.organisation_id
        ):
            other.end_date = max(other.start_date, start - datetime.timedelta(days=1))
            other.save(update_fields=["end_date", "updated_at"])
        if not Enrolment.objects.filter(
            child=child, organisation_id=actor.organisation_id, end_date__isnull=True
        ).exists():
            enrolment = Enrolment.objects.create(
                child=child, organisation_id=actor.organisation_id, start_date=start
            )
            _audit_child(actor, Action.CREATE, child, ground, resource=enrolment)
    if sending is not None:
        sending.ended_at = now
        sending.note = (sending.note + "\n\nAvslutat: " + note.strip()).strip()
        sending.save(update_fields=["ended_at", "note", "updated_at"])
        _audit_child(actor, Action.CHANGE, child, ground, resource=sending, ended=True)
    changes.children_changed([child.pk])
    return involvement
