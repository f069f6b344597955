"""Guardians and custody, as the organisation's own record with its history: adding,
correcting, ending and replacing a guardian, and the guardians from the population
register."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.core.unique import create_or_refuse, get_or_create_once

from . import changes, identity, population
from .models import (
    Child,
    Custody,
    CustodyEvent,
    CustodyEventKind,
    CustodySource,
    CustodyType,
    Guardian,
)
from .writes import _audit_child, _clean_name


@dataclass(frozen=True)
class GuardianInput:
    first_name: str
    last_name: str
    custody_type: str
    personal_number: str = ""
    phone: str = ""
    email: str = ""


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
