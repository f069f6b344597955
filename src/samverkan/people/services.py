"""Writes to the children register. One transaction each, audited with the ground."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from samverkan.access import grounds, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.directory import selectors as directory

from . import changes, identity, names
from .models import (
    Child,
    Custody,
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
        raise ValidationFailed(f"Ange {label}.", field=field)
    if len(value) > 100:
        raise ValidationFailed(f"{label.capitalize()} får vara högst 100 tecken.", field=field)
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
        raise PermissionDenied("Din funktion får inte registrera barn.")
    number = identity.parse(personal_number)
    first_name = _clean_name(first_name, "first_name", "förnamn")
    last_name = _clean_name(last_name, "last_name", "efternamn")
    if context not in InvolvementContext.values:
        raise ValidationFailed("Välj varför verksamheten har kontakt med barnet.", field="context")
    if unit_id is not None and not directory.unit_belongs_to(unit_id, actor.organisation_id):
        raise ValidationFailed("Enheten hör inte till din organisation.", field="unit")
    if postal_code and not (
        postal_code.replace(" ", "").isdigit() and len(postal_code.replace(" ", "")) == 5
    ):
        raise ValidationFailed("Postnumret ska ha fem siffror.", field="postal_code")

    child = Child.objects.select_for_update().filter(personal_number=number.number).first()
    created = child is None
    if created:
        child = Child.objects.create(
            personal_number=number.number,
            number_kind=(
                NumberKind.SAMORDNINGSNUMMER
                if number.kind == identity.SAMORDNINGSNUMMER
                else NumberKind.PERSONNUMMER
            ),
            first_name=first_name,
            last_name=last_name,
            date_of_birth=number.birth_date,
            **names.keys(first_name, last_name),
            protected_identity=protected_identity,
            street_address=street_address.strip(),
            postal_code=postal_code.replace(" ", ""),
            city=city.strip(),
        )
    elif Involvement.objects.filter(
        child=child, organisation_id=actor.organisation_id, ended_at__isnull=True
    ).exists():
        raise ValidationFailed(
            "Barnet är redan registrerat i din verksamhet.", field="personal_number"
        )
    else:
        # Identity data comes from the population register; a later registration can
        # add a protection flag but never weaken one or overwrite another's data.
        if protected_identity and not child.protected_identity:
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
            "Barnet är redan registrerat i din verksamhet.", field="personal_number"
        ) from exc
    changes.children_changed([child.pk])
    ground = grounds.own_matter(str(involvement.public_id), actor.organisation_name)
    _audit_child(actor, Action.CREATE, child, ground, resource=involvement, context=context)
    return child, involvement


def _custody_rules(child: Child, organisation_id: int, custody_type: str, adding: int = 1) -> None:
    """Checked against the organisation's own record of the family."""
    current = list(Custody.objects.filter(child=child, guardian__organisation_id=organisation_id))
    if custody_type not in CustodyType.values:
        raise ValidationFailed("Välj typ av vårdnad.", field="custody_type")
    if len(current) + adding > 2:
        raise ValidationFailed("Ett barn kan ha högst två vårdnadshavare.", field="custody_type")
    if custody_type == CustodyType.SOLE and current:
        raise ValidationFailed(
            "Ensam vårdnad kan inte registreras när barnet redan har en vårdnadshavare.",
            field="custody_type",
        )
    if any(c.custody_type == CustodyType.SOLE for c in current):
        raise ValidationFailed(
            "Barnet har en vårdnadshavare med ensam vårdnad.", field="custody_type"
        )
    if custody_type == CustodyType.JOINT and any(
        c.custody_type != CustodyType.JOINT for c in current
    ):
        raise ValidationFailed("Vårdnadsformen måste vara densamma för båda.", field="custody_type")


@transaction.atomic
def guardian_add(*, actor: Actor, child: Child, data: GuardianInput) -> Custody:
    decision = policy.decide(actor, Action.CHANGE, child)
    if not decision:
        raise NotFound("Barnet finns inte eller så har du inte behörighet.")
    first_name = _clean_name(data.first_name, "first_name", "vårdnadshavarens förnamn")
    last_name = _clean_name(data.last_name, "last_name", "vårdnadshavarens efternamn")
    Child.objects.select_for_update().filter(pk=child.pk).first()
    _custody_rules(child, actor.organisation_id, data.custody_type)
    guardian = None
    if data.personal_number.strip():
        number = identity.parse(data.personal_number)
        if identity.age_on(number.birth_date) < 18:
            raise ValidationFailed(
                "En vårdnadshavare måste vara vuxen. Kontrollera personnumret.",
                field="personal_number",
            )
        guardian = Guardian.objects.filter(
            organisation_id=actor.organisation_id, personal_number=number.number
        ).first()
        if guardian is None:
            guardian = Guardian.objects.create(
                organisation_id=actor.organisation_id,
                first_name=first_name,
                last_name=last_name,
                personal_number=number.number,
                phone=data.phone.strip(),
                email=data.email.strip(),
            )
    else:
        guardian = Guardian.objects.create(
            organisation_id=actor.organisation_id,
            first_name=first_name,
            last_name=last_name,
            phone=data.phone.strip(),
            email=data.email.strip(),
        )
    if Custody.objects.filter(child=child, guardian=guardian).exists():
        raise ValidationFailed("Personen är redan registrerad som vårdnadshavare.")
    custody = Custody.objects.create(child=child, guardian=guardian, custody_type=data.custody_type)
    changes.children_changed([child.pk])
    _audit_child(
        actor, Action.CHANGE, child, decision.ground, guardian_added=str(guardian.public_id)
    )
    return custody


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
        raise NotFound("Barnet finns inte eller så har du inte behörighet.")
    if actor.organisation_type not in SCHOOL_TYPES:
        raise PermissionDenied("Bara en skola eller förskola kan skriva in ett barn.")
    today = timezone.localdate()
    start_date = start_date or today
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
        raise NotFound("Ärendet finns inte eller är redan avslutat.") from exc
    if not actor.has_perm(Permission.PEOPLE_REGISTER):
        raise PermissionDenied("Din funktion får inte ändra verksamhetens ärenden.")
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
            "Din funktion får inte ta del av uppgifter om barn med skyddade personuppgifter."
        )
    need = need.strip()
    if len(need) < 10:
        raise ValidationFailed("Beskriv behovet med minst några ord.", field="need")
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
    if context not in InvolvementContext.values:
        raise ValidationFailed("Välj vad ärendet gäller nu.", field="context")
    if context == involvement.context:
        raise ValidationFailed("Ärendet har redan den karaktären.", field="context")
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
        raise ValidationFailed("Enheten hör inte till den mottagande organisationen.")
    now = timezone.now()
    involvement = (
        Involvement.objects.select_for_update()
        .filter(child=child, organisation_id=organisation_id, ended_at__isnull=True)
        .first()
    )
    if involvement is None:
        involvement = Involvement.objects.create(
            child=child,
            organisation_id=organisation_id,
            unit_id=unit_id,
            context=InvolvementContext.REPORT,
            context_since=now,
            note=note.strip(),
            started_at=now,
            started_by_id=actor.user_id,
        )
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
