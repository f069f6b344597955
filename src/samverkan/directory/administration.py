"""Writes of the administration pages (and of the bulk import and `samverkan setup`):
huvudmän, organisations, units, functions, staff accounts and contact functions.

Each function is one transaction with its audit row (ground: administration), checks
the actor with ``policies`` (deny by default) and validates its input against
``core.bounds``. Nothing is deleted: organisations, units and functions are deactivated,
staff accounts end; the audit log keeps referring to them."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from stdnum.se import orgnr

from samverkan.access import grounds
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, ValidationFailed

from . import identity, policies
from .models import (
    ContactFunction,
    ContactFunctionAssignment,
    Function,
    Membership,
    Organisation,
    OrganisationType,
    Principal,
    PrincipalKind,
    StaffIdentity,
    Unit,
)

User = get_user_model()


def _audit(actor, action, resource_type: str, resource_id, **details) -> None:
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id),
        ground=grounds.administration(),
        details=details,
    )


def _name(value: str, field: str, what: str) -> str:
    value = bounds.check_text((value or "").strip(), max_length=bounds.TEXT_NAME, field=field)
    if not value:
        raise ValidationFailed(gettext("Ange %(what)s.") % {"what": what}, field=field)
    return value


def _choice(value: str, choices, field: str, what: str) -> str:
    if value not in {c.value for c in choices}:
        raise ValidationFailed(
            gettext("Okänd %(what)s: %(value)s.") % {"what": what, "value": value}, field=field
        )
    return value


def _organisation_number(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not orgnr.is_valid(value):
        raise ValidationFailed(
            gettext("Organisationsnumret är inte giltigt."), field="organisation_number"
        )
    return orgnr.format(value)


def _changed(obj, values: dict) -> dict:
    """Set the values that differ; return {field: [old, new]} for the audit row."""
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [
                str(old) if old is not None else "",
                str(new) if new is not None else "",
            ]
            setattr(obj, name, new)
    return changes


# Huvudmän ----------------------------------------------------------------------------


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
        "name": _name(name, "name", "huvudmannens namn"),
        "kind": _choice(kind, PrincipalKind, "kind", "typ av huvudman"),
        "organisation_number": _organisation_number(organisation_number),
    }
    clash = Principal.objects.filter(name__iexact=values["name"])
    if principal is not None:
        clash = clash.exclude(pk=principal.pk)
    if clash.exists():
        raise ValidationFailed(
            gettext("Det finns redan en huvudman som heter %(value)s.") % {"value": values["name"]},
            field="name",
        )
    if principal is None:
        principal = Principal.objects.create(**values)
        _audit(
            actor, Action.CREATE, "directory.principal", principal.public_id, name=principal.name
        )
        return principal
    changes = _changed(principal, values)
    if changes:
        principal.version += 1
        principal.save()
        _audit(actor, Action.CHANGE, "directory.principal", principal.public_id, changes=changes)
    return principal


# Organisations -----------------------------------------------------------------------


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
        "name": _name(name, "name", "organisationens namn"),
        "org_type": _choice(org_type, OrganisationType, "org_type", "typ av organisation"),
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
    if clash.exists():
        raise ValidationFailed(
            gettext("%(name)s har redan en organisation som heter %(value)s.")
            % {"name": principal.name, "value": values["name"]},
            field="name",
        )
    if organisation is None:
        organisation = Organisation.objects.create(**values)
        _audit(
            actor,
            Action.CREATE,
            "directory.organisation",
            organisation.public_id,
            name=organisation.name,
            org_type=organisation.org_type,
            password_login=organisation.password_login,
        )
        return organisation
    changes = _changed(organisation, values)
    if changes:
        organisation.version += 1
        organisation.save()
        _audit(
            actor, Action.CHANGE, "directory.organisation", organisation.public_id, changes=changes
        )
    return organisation


# Units -------------------------------------------------------------------------------


def _age(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(gettext("Åldern ska vara ett heltal."), field=field) from exc
    return bounds.check_int(value, low=0, high=25, field=field)


@transaction.atomic
def unit_save(
    *,
    actor: Actor | None,
    organisation: Organisation,
    unit: Unit | None = None,
    name: str,
    description: str = "",
    min_age=None,
    max_age=None,
    is_active: bool = True,
) -> Unit:
    policies.require_organisation(actor, organisation.pk)
    if unit is not None and unit.organisation_id != organisation.pk:
        raise NotFound(gettext("Enheten finns inte."))
    values = {
        "name": _name(name, "name", "enhetens namn"),
        "description": bounds.check_text(
            description, max_length=bounds.TEXT_PARAGRAPH, field="description"
        ),
        "min_age": _age(min_age, "min_age"),
        "max_age": _age(max_age, "max_age"),
        "is_active": bool(is_active),
    }
    low, high = values["min_age"], values["max_age"]
    if low is not None and high is not None and low > high:
        raise ValidationFailed(
            gettext("Lägsta ålder kan inte vara högre än högsta ålder."), field="min_age"
        )
    clash = Unit.objects.filter(organisation=organisation, name__iexact=values["name"])
    if unit is not None:
        clash = clash.exclude(pk=unit.pk)
    if clash.exists():
        raise ValidationFailed(
            gettext("%(name)s har redan en enhet som heter %(value)s.")
            % {"name": organisation.name, "value": values["name"]},
            field="name",
        )
    if unit is None:
        unit = Unit.objects.create(organisation=organisation, **values)
        _audit(actor, Action.CREATE, "directory.unit", unit.public_id, name=unit.name)
        return unit
    changes = _changed(unit, values)
    if changes:
        unit.version += 1
        unit.save()
        _audit(actor, Action.CHANGE, "directory.unit", unit.public_id, changes=changes)
    return unit


# Functions ---------------------------------------------------------------------------

ASSIGNABLE_PERMISSIONS = [p for p in Permission if p.value not in policies.RESERVED]


@transaction.atomic
def function_save(
    *,
    actor: Actor | None,
    organisation: Organisation,
    function: Function | None = None,
    name: str,
    description: str = "",
    permissions: list[str] | tuple[str, ...] = (),
    is_active: bool = True,
) -> Function:
    """A function of the organisation's own (the standard functions are shared and not
    changed here). Its permissions are chosen from the list; administrator rights are
    not among them."""
    policies.require_organisation(actor, organisation.pk)
    if function is not None and function.organisation_id != organisation.pk:
        raise NotFound(gettext("Funktionen finns inte."))
    allowed = {p.value for p in ASSIGNABLE_PERMISSIONS}
    unknown = [p for p in permissions if p not in allowed]
    if unknown:
        raise ValidationFailed(
            gettext("Behörigheten kan inte ges till en egen funktion."), field="permissions"
        )
    values = {
        "name": _name(name, "name", "funktionens namn")[:100],
        "description": bounds.check_text(
            description, max_length=bounds.TEXT_PARAGRAPH, field="description"
        ),
        "permissions": sorted(set(permissions)),
        "is_active": bool(is_active),
    }
    clash = Function.objects.filter(name__iexact=values["name"]).filter(
        Q(organisation__isnull=True) | Q(organisation=organisation)
    )
    if function is not None:
        clash = clash.exclude(pk=function.pk)
    if clash.exists():
        raise ValidationFailed(
            gettext("Det finns redan en funktion som heter %(value)s.") % {"value": values["name"]},
            field="name",
        )
    if function is None:
        base = f"{slugify(organisation.name)[:20]}-{slugify(values['name'])[:24]}".strip("-")
        code, n = base, 1
        while Function.objects.filter(code=code).exists():
            n += 1
            code = f"{base[:45]}-{n}"
        function = Function.objects.create(organisation=organisation, code=code, **values)
        _audit(
            actor,
            Action.CREATE,
            "directory.function",
            function.code,
            name=function.name,
            permissions=function.permissions,
        )
        return function
    changes = _changed(function, values)
    if changes:
        function.save()
        _audit(actor, Action.CHANGE, "directory.function", function.code, changes=changes)
    return function


def function_for(organisation: Organisation, value) -> Function:
    """A function by code or name that the organisation may use: a standard one or its
    own, and active."""
    if isinstance(value, Function):
        function = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValidationFailed(gettext("Ange funktion."), field="function")
        function = (
            Function.objects.filter(Q(code__iexact=text) | Q(name__iexact=text))
            .filter(Q(organisation__isnull=True) | Q(organisation=organisation))
            .first()
        )
        if function is None:
            raise ValidationFailed(
                gettext("Funktionen %(text)s finns inte.") % {"text": text}, field="function"
            )
    if function.organisation_id not in (None, organisation.pk) or not function.is_active:
        raise ValidationFailed(
            gettext("Funktionen %(name)s kan inte användas här.") % {"name": function.name},
            field="function",
        )
    return function


def unit_for(organisation: Organisation, value) -> Unit | None:
    if value in (None, ""):
        return None
    if isinstance(value, Unit):
        unit = value
    else:
        unit = Unit.objects.filter(
            organisation=organisation, name__iexact=str(value).strip()
        ).first()
        if unit is None:
            raise ValidationFailed(
                gettext("Enheten %(value)s finns inte i %(name)s.")
                % {"value": value, "name": organisation.name},
                field="unit",
            )
    if unit.organisation_id != organisation.pk or not unit.is_active:
        raise ValidationFailed(gettext("Enheten hör inte till organisationen."), field="unit")
    return unit


# Staff -------------------------------------------------------------------------------


def _identity_values(personnummer: str, hsa_id: str, user=None) -> dict:
    values = {
        "personnummer": identity.normalise_personnummer(personnummer) or None,
        "hsa_id": identity.normalise_hsa_id(hsa_id) or None,
    }
    for field, value in values.items():
        if value is None:
            continue
        clash = StaffIdentity.objects.filter(**{field: value})
        if user is not None:
            clash = clash.exclude(user=user)
        if clash.exists():
            what = "personnumret" if field == "personnummer" else "HSA-id:t"
            raise ValidationFailed(
                gettext("Det finns redan ett personalkonto med %(what)s.") % {"what": what},
                field=field,
            )
    return values


def _username(value: str, first_name: str, last_name: str) -> str:
    value = (value or "").strip().lower()
    if not value:
        base = slugify(f"{first_name}.{last_name}".replace(".", " ")).replace("-", ".")[:140]
        value, n = base or "personal", 1
        while User.objects.filter(username__iexact=value).exists():
            n += 1
            value = f"{base}{n}"
    if len(value) > 150 or not all(c.isalnum() or c in "@.+-_" for c in value):
        raise ValidationFailed(
            gettext("Användarnamnet får bara innehålla bokstäver, siffror och @ . + - _."),
            field="username",
        )
    return value


@transaction.atomic
def staff_account_create(
    *,
    actor: Actor | None,
    organisation: Organisation,
    function,
    first_name: str,
    last_name: str,
    username: str = "",
    email: str = "",
    personnummer: str = "",
    hsa_id: str = "",
    unit=None,
    valid_from: datetime.date | None = None,
) -> Membership:
    """A new staff account working in ``organisation``: the person (name, e-mail), how
    their e-legitimation identifies them (personnummer and/or HSA-id) and their first
    membership (function, unit). No password: they log in with e-legitimation, or an
    administrator sets a password where the organisation uses password login."""
    policies.require_organisation(actor, organisation.pk)
    function = function_for(organisation, function)
    policies.require_may_give(actor, function.permissions)
    unit = unit_for(organisation, unit)
    first_name = _name(first_name, "first_name", gettext("förnamn"))[:150]
    last_name = _name(last_name, "last_name", "efternamn")[:150]
    email = bounds.check_text((email or "").strip(), max_length=bounds.TEXT_EMAIL, field="email")
    identity_values = _identity_values(personnummer, hsa_id)
    if not any(identity_values.values()) and not organisation.password_login:
        raise ValidationFailed(
            gettext(
                "Ange personnummer eller HSA-id, så att personen kan logga in med e-legitimation."
            ),
            field="personnummer",
        )
    username = _username(username, first_name, last_name)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            gettext("Användarnamnet %(username)s är upptaget.") % {"username": username},
            field="username",
        )
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_unusable_password()
    user.save()
    StaffIdentity.objects.create(user=user, **identity_values)
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        unit=unit,
        function=function,
        valid_from=valid_from or timezone.localdate(),
    )
    _audit(
        actor,
        Action.CREATE,
        "auth.user",
        user.pk,
        username=username,
        organisation=organisation.name,
        function=function.code,
        unit=unit.name if unit else "",
        identified_by=[k for k, v in identity_values.items() if v],
    )
    return membership


@transaction.atomic
def staff_account_update(
    *,
    actor: Actor | None,
    membership: Membership,
    first_name: str,
    last_name: str,
    email: str = "",
    personnummer: str = "",
    hsa_id: str = "",
    function=None,
    unit=None,
) -> Membership:
    """Change a staff member's details, function (byt funktion) or unit (flytta)."""
    organisation = membership.organisation
    policies.require_organisation(actor, organisation.pk)
    policies.require_may_give(actor, membership.function.permissions)
    user = membership.user
    user_changes = _changed(
        user,
        {
            "first_name": _name(first_name, "first_name", gettext("förnamn"))[:150],
            "last_name": _name(last_name, "last_name", "efternamn")[:150],
            "email": bounds.check_text(
                (email or "").strip(), max_length=bounds.TEXT_EMAIL, field="email"
            ),
        },
    )
    if user_changes:
        user.save()
    staff_identity, _ = StaffIdentity.objects.get_or_create(user=user)
    identity_changes = _changed(staff_identity, _identity_values(personnummer, hsa_id, user))
    if identity_changes:
        staff_identity.save()
        # Which identifiers changed, never the numbers themselves.
        identity_changes = {k: ["…", "…"] for k in identity_changes}
    new_function = function_for(organisation, function) if function else membership.function
    policies.require_may_give(actor, new_function.permissions)
    membership_changes = _changed(
        membership,
        {"function": new_function, "unit": unit_for(organisation, unit)},
    )
    if membership_changes:
        membership.version += 1
        membership.save()
    changes = {**user_changes, **identity_changes, **membership_changes}
    if changes:
        _audit(actor, Action.CHANGE, "directory.membership", membership.public_id, changes=changes)
    return membership


@transaction.atomic
def staff_account_deactivate(*, actor: Actor | None, membership: Membership) -> Membership:
    """End a staff member's work in the organisation (never a deletion): the membership
    ends today, contact functions they hold in it end, and when they work nowhere else
    any more the account can no longer log in."""
    organisation = membership.organisation
    policies.require_organisation(actor, organisation.pk)
    policies.require_may_give(actor, membership.function.permissions)
    if actor is not None and membership.user_id == actor.user_id:
        raise ValidationFailed(gettext("Du kan inte avsluta ditt eget konto."))
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    if membership.valid_until is not None and membership.valid_until < today:
        raise ValidationFailed(gettext("Personen arbetar redan inte kvar här."))
    membership.valid_until = max(yesterday, membership.valid_from)
    if membership.valid_from > yesterday:
        # Started today (or later): it never took effect.
        membership.valid_from = membership.valid_until = yesterday
    membership.version += 1
    membership.save()
    ended = ContactFunctionAssignment.objects.filter(
        membership=membership, ended_at__isnull=True
    ).update(ended_at=timezone.now())
    user = membership.user
    still_working = (
        Membership.objects.filter(user=user, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exists()
    )
    if not still_working and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    _audit(
        actor,
        Action.CHANGE,
        "directory.membership",
        membership.public_id,
        ended=str(membership.valid_until),
        account_closed=not still_working,
        contact_functions_ended=ended,
    )
    return membership


# Contact functions -------------------------------------------------------------------


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
        "title": _name(title, "title", "kontaktfunktionens namn"),
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
    if clash.exists():
        raise ValidationFailed(
            gettext("%(name)s har redan en kontaktfunktion som heter %(value)s.")
            % {"name": served_organisation.name, "value": values["title"]},
            field="title",
        )
    if contact_function is None:
        contact_function = ContactFunction.objects.create(
            provider_organisation=provider_organisation, **values
        )
        _audit(
            actor,
            Action.CREATE,
            "directory.contactfunction",
            contact_function.public_id,
            title=contact_function.title,
        )
        return contact_function
    changes = _changed(contact_function, values)
    if changes:
        contact_function.version += 1
        contact_function.save()
        _audit(
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
    _audit(
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
    _audit(
        actor,
        Action.CHANGE,
        "directory.contactfunction",
        contact_function.public_id,
        previous_holder=current.membership.user.get_username(),
        to_date=str(to_date),
    )


# First run ---------------------------------------------------------------------------


@transaction.atomic
def first_system_administrator(
    *,
    principal_name: str,
    principal_kind: str,
    organisation_name: str,
    org_type: str,
    first_name: str,
    last_name: str,
    username: str,
    email: str = "",
    personnummer: str = "",
    hsa_id: str = "",
    password: str = "",
) -> Membership:
    """`samverkan setup`: on an empty directory, the first huvudman, organisation and
    system administrator. Refused once any organisation exists."""
    if Organisation.objects.exists() or Membership.objects.exists():
        raise ValidationFailed(
            gettext(
                "Samverkan är redan installerat: det finns organisationer. Logga in som "
                "systemadministratör och fortsätt på sidorna för administration."
            )
        )
    principal = principal_save(actor=None, name=principal_name, kind=principal_kind)
    organisation = organisation_save(
        actor=None,
        principal=principal,
        name=organisation_name,
        org_type=org_type,
        password_login=bool(password),
    )
    membership = staff_account_create(
        actor=None,
        organisation=organisation,
        function="systemadministrator",
        first_name=first_name,
        last_name=last_name,
        username=username,
        email=email,
        personnummer=personnummer,
        hsa_id=hsa_id,
    )
    if password:
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        try:
            validate_password(password, membership.user)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from exc
        membership.user.set_password(password)
        membership.user.save(update_fields=["password"])
    return membership


@transaction.atomic
def staff_password_reset(*, actor: Actor | None, membership: Membership) -> str:
    """A new random password for a staff member of an organisation that uses password
    login, shown once to the administrator (who hands it over by their own routine).
    The person then also enrols two-factor login where required."""
    organisation = membership.organisation
    policies.require_organisation(actor, organisation.pk)
    policies.require_may_give(actor, membership.function.permissions)
    if not organisation.password_login:
        raise ValidationFailed(
            gettext("%(name)s loggar in med e-legitimation; lösenord används inte.")
            % {"name": organisation.name}
        )
    password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    user = membership.user
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit(actor, Action.CHANGE, "auth.user", user.pk, password_reset=True)
    return password
