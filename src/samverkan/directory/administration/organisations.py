"""Huvudmän and organisations: only a system administrator creates and changes them;
an organisation is made inactive, never deleted."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import ValidationFailed
from samverkan.core.unique import create_or_refuse

from .. import policies
from ..models import Organisation, OrganisationType, Principal, PrincipalKind
from .common import apply_changes, known_choice, record, required_name, valid_organisation_number


@transaction.atomic
def principal_save(
    *,
    actor: Actor | None,
    principal: Principal | None = None,
    name: str,
    kind: str,
    organisation_number: str = "",
) -> Principal:
    """Create a huvudman, or change one (``principal`` given)."""
    policies.require_system(actor)
    values = {
        "name": required_name(name, "name", "huvudmannens namn"),
        "kind": known_choice(kind, PrincipalKind, "kind", "typ av huvudman"),
        "organisation_number": valid_organisation_number(organisation_number),
    }
    clash = Principal.objects.filter(name__iexact=values["name"])
    if principal is not None:
        clash = clash.exclude(pk=principal.pk)
    taken = gettext("Det finns redan en huvudman som heter %(value)s.") % {"value": values["name"]}
    if clash.exists():
        raise ValidationFailed(taken, field="name")
    if principal is None:
        with create_or_refuse(taken, field="name"):  # a concurrent request took the name
            principal = Principal.objects.create(**values)
        record(
            actor, Action.CREATE, "directory.principal", principal.public_id, name=principal.name
        )
        return principal
    changes = apply_changes(principal, values)
    if changes:
        principal.version += 1
        with create_or_refuse(taken, field="name"):
            principal.save()
        record(actor, Action.CHANGE, "directory.principal", principal.public_id, changes=changes)
    return principal


@transaction.atomic
def organisation_save(
    *,
    actor: Actor | None,
    organisation: Organisation | None = None,
    principal: Principal,
    name: str,
    org_type: str,
    description: str = "",
    phone: str = "",
    email: str = "",
    password_login: bool = False,
    is_active: bool = True,
) -> Organisation:
    """Create an organisation (with its type as data: skola, förskola, ... polis, annan),
    or change one. Only a system administrator."""
    policies.require_system(actor)
    values = {
        "principal": principal,
        "name": required_name(name, "name", "organisationens namn"),
        "org_type": known_choice(org_type, OrganisationType, "org_type", "typ av organisation"),
        "description": bounds.check_text(
            description, max_length=bounds.TEXT_PARAGRAPH, field="description"
        ),
        "phone": bounds.check_text(phone.strip(), max_length=bounds.TEXT_SHORT, field="phone"),
        "email": bounds.check_text(email.strip(), max_length=bounds.TEXT_EMAIL, field="email"),
        "password_login": bool(password_login),
        "is_active": bool(is_active),
    }
    clash = Organisation.objects.filter(principal=principal, name__iexact=values["name"])
    if organisation is not None:
        clash = clash.exclude(pk=organisation.pk)
    taken = gettext("%(name)s har redan en organisation som heter %(value)s.") % {
        "name": principal.name,
        "value": values["name"],
    }
    if clash.exists():
        raise ValidationFailed(taken, field="name")
    if organisation is None:
        with create_or_refuse(taken, field="name"):  # a concurrent request took the name
            organisation = Organisation.objects.create(**values)
        record(
            actor,
            Action.CREATE,
            "directory.organisation",
            organisation.public_id,
            name=organisation.name,
            org_type=organisation.org_type,
            password_login=organisation.password_login,
        )
        return organisation
    changes = apply_changes(organisation, values)
    if changes:
        organisation.version += 1
        with create_or_refuse(taken, field="name"):
            organisation.save()
        record(
            actor, Action.CHANGE, "directory.organisation", organisation.public_id, changes=changes
        )
    return organisation
