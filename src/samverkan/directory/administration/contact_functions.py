"""Contact functions ("function, not person"): the providing organisation's local
administrator names them and says who holds them from when to when; a new holder ends
the previous holding, and the history is never erased."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.core.unique import create_or_refuse

from .. import policies
from ..models import ContactFunction, ContactFunctionAssignment, Membership, Organisation
from .common import apply_changes, record, required_name


@transaction.atomic
def contact_function_save(
    *,
    actor: Actor | None,
    provider_organisation: Organisation,
    served_organisation: Organisation,
    contact_function: ContactFunction | None = None,
    title: str,
    description: str = "",
    phone: str = "",
    email: str = "",
) -> ContactFunction:
    policies.require_organisation(actor, provider_organisation.pk)
    values = {
        "served_organisation": served_organisation,
        "title": required_name(title, "title", "kontaktfunktionens namn"),
        "description": bounds.check_text(
            description, max_length=bounds.TEXT_PARAGRAPH, field="description"
        ),
        "phone": bounds.check_text(phone.strip(), max_length=bounds.TEXT_SHORT, field="phone"),
        "email": bounds.check_text(email.strip(), max_length=bounds.TEXT_EMAIL, field="email"),
    }
    clash = ContactFunction.objects.filter(
        served_organisation=served_organisation, title__iexact=values["title"]
    )
    if contact_function is not None:
        if contact_function.provider_organisation_id != provider_organisation.pk:
            raise NotFound(gettext("Kontaktfunktionen finns inte."))
        clash = clash.exclude(pk=contact_function.pk)
    taken = gettext("%(name)s har redan en kontaktfunktion som heter %(value)s.") % {
        "name": served_organisation.name,
        "value": values["title"],
    }
    if clash.exists():
        raise ValidationFailed(taken, field="title")
    if contact_function is None:
        with create_or_refuse(taken, field="title"):  # a concurrent request took the name
            contact_function = ContactFunction.objects.create(
                provider_organisation=provider_organisation, **values
            )
        record(
            actor,
            Action.CREATE,
            "directory.contactfunction",
            contact_function.public_id,
            title=contact_function.title,
        )
        return contact_function
    changes = apply_changes(contact_function, values)
    if changes:
        contact_function.version += 1
        with create_or_refuse(taken, field="title"):
            contact_function.save()
        record(
            actor,
            Action.CHANGE,
            "directory.contactfunction",
            contact_function.public_id,
            changes=changes,
        )
    return contact_function


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic
def contact_function_hand_over(
    *,
    actor: Actor | None,
    contact_function: ContactFunction,
    membership: Membership,
    from_date: datetime.date,
) -> ContactFunctionAssignment:
    """Give the contact function to a new holder from a date (today or earlier); the
    previous holder's period ends then. History is never erased."""
    policies.require_organisation(actor, contact_function.provider_organisation_id)
    from_date = bounds.check_date(from_date, window=bounds.PLANNED, field="from_date")
    if from_date > timezone.localdate():
        raise ValidationFailed(gettext("Startdatum kan inte ligga i framtiden."), field="from_date")
    if membership.organisation_id != contact_function.provider_organisation_id:
        raise ValidationFailed(
            gettext("Den nya innehavaren måste arbeta i %(name)s.")
            % {"name": contact_function.provider_organisation.name},
            field="membership",
        )
    ContactFunction.objects.select_for_update().filter(pk=contact_function.pk).first()
    start = _start_of(from_date)
    current = contact_function.assignments.filter(ended_at__isnull=True).first()
    if current is not None:
        if current.membership_id == membership.pk:
            raise ValidationFailed(gettext("Personen har redan den här kontaktfunktionen."))
        if start <= current.started_at:
            raise ValidationFailed(
                gettext("Startdatum måste vara efter att nuvarande innehavare började."),
                field="from_date",
            )
        current.ended_at = start
        current.save(update_fields=["ended_at"])
    assignment = ContactFunctionAssignment.objects.create(
        contact_function=contact_function,
        membership=membership,
        started_at=start,
        assigned_by_id=actor.user_id if actor else None,
    )
    record(
        actor,
        Action.CHANGE,
        "directory.contactfunction",
        contact_function.public_id,
        new_holder=membership.user.get_username(),
        previous_holder=current.membership.user.get_username() if current else "",
        from_date=str(from_date),
    )
    return assignment


@transaction.atomic
def contact_function_vacate(
    *, actor: Actor | None, contact_function: ContactFunction, to_date: datetime.date
) -> None:
    """The current holder's period ends on a date (today or earlier); the function is
    vacant until someone is given it."""
    policies.require_organisation(actor, contact_function.provider_organisation_id)
    to_date = bounds.check_date(to_date, window=bounds.PLANNED, field="to_date")
    if to_date > timezone.localdate():
        raise ValidationFailed(gettext("Slutdatum kan inte ligga i framtiden."), field="to_date")
    current = contact_function.assignments.filter(ended_at__isnull=True).first()
    if current is None:
        raise ValidationFailed(gettext("Kontaktfunktionen har ingen innehavare."))
    end = _start_of(to_date + datetime.timedelta(days=1))
    if end <= current.started_at:
        raise ValidationFailed(gettext("Slutdatum kan inte vara före startdatum."), field="to_date")
    current.ended_at = min(end, timezone.now())
    current.save(update_fields=["ended_at"])
    record(
        actor,
        Action.CHANGE,
        "directory.contactfunction",
        contact_function.public_id,
        previous_holder=current.membership.user.get_username(),
        to_date=str(to_date),
    )
