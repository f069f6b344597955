"""Registering a child (search before create) and enrolling a child in a school or
preschool."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import grounds, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.core.unique import get_or_create_once
from samverkan.directory import selectors as directory

from . import changes, contexts, identity, names
from .models import (
    Child,
    Enrolment,
    Involvement,
    NumberKind,
)
from .writes import SCHOOL_TYPES, _audit_child, _clean_name


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
