"""Writes to the directory. Each function is one transaction with its audit row."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.se import orgnr

from samverkan.access import grounds
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.core.unique import create_or_refuse

from . import policies
from .models import (
    ApiToken,
    ContactFunction,
    ContactFunctionAssignment,
    Function,
    Membership,
    Organisation,
    Principal,
    Unit,
)

# A public prefix that marks our tokens, not a secret.
TOKEN_PREFIX = "sv_"  # noqa: S105  # nosec B105


def _system_or_manager(actor: Actor | None, organisation_id: int | None = None) -> None:
    """``actor=None`` means the system itself (migrations, demo loader, CLI run by the
    operator). Otherwise the actor must administer the organisation concerned; without
    an organisation (huvudmän, new organisations, accounts) a system administrator."""
    if actor is None:
        return
    if not actor.has_perm("directory.manage") and not policies.is_system_admin(actor):
        raise PermissionDenied(_("Du har inte behörighet att administrera katalogen."))
    if organisation_id is None:
        policies.require_system(actor)
    else:
        policies.require_organisation(actor, organisation_id)


def _audit(actor, action, obj, **details):
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=obj._meta.label_lower,
        resource_id=str(getattr(obj, "public_id", obj.pk)),
        ground=grounds.administration() if actor else None,
        details=details,
    )


@transaction.atomic
def principal_create(*, actor: Actor | None, name: str, kind: str, organisation_number: str = ""):
    _system_or_manager(actor)
    if organisation_number:
        if not orgnr.is_valid(organisation_number):
            raise ValidationFailed(
                _("Organisationsnumret är inte giltigt."), field="organisation_number"
            )
        organisation_number = orgnr.format(organisation_number)
    principal = Principal.objects.create(
        name=name.strip(), kind=kind, organisation_number=organisation_number
    )
    _audit(actor, Action.CREATE, principal, name=principal.name)
    return principal


@transaction.atomic
def organisation_create(
    *, actor: Actor | None, principal: Principal, name: str, org_type: str, **fields
) -> Organisation:
    _system_or_manager(actor)
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Ange organisationens namn."), field="name")
    if Organisation.objects.filter(principal=principal, name__iexact=name).exists():
        raise ValidationFailed(
            _("%(name)s har redan en organisation som heter %(name2)s.")
            % {"name": principal.name, "name2": name}
        )
    fields.setdefault("password_login", settings.SAMVERKAN["PASSWORD_LOGIN_DEFAULT"])
    with create_or_refuse(f"{principal.name} har redan en organisation som heter {name}."):
        organisation = Organisation.objects.create(
            principal=principal, name=name, org_type=org_type, **fields
        )
    _audit(actor, Action.CREATE, organisation, name=name)
    return organisation


@transaction.atomic
def unit_create(
    *,
    actor: Actor | None,
    organisation: Organisation,
    name: str,
    description: str = "",
    min_age: int | None = None,
    max_age: int | None = None,
) -> Unit:
    _system_or_manager(actor, organisation.pk)
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ValidationFailed(_("Lägsta ålder kan inte vara högre än högsta ålder."))
    unit = Unit.objects.create(
        organisation=organisation,
        name=name.strip(),
        description=description,
        min_age=min_age,
        max_age=max_age,
    )
    _audit(actor, Action.CREATE, unit, name=unit.name)
    return unit


@transaction.atomic
def staff_create(
    *,
    actor: Actor | None,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str | None = None,
):
    _system_or_manager(actor)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            _("Användarnamnet %(username)s är upptaget.") % {"username": username}, field="username"
        )
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    with create_or_refuse(f"Användarnamnet {username} är upptaget.", field="username"):
        user.save()
    audit.event_record(
        actor=actor,
        action=Action.CREATE,
        resource_type="auth.user",
        resource_id=str(user.pk),
        ground=grounds.administration() if actor else None,
        details={"username": username},
    )
    return user


@transaction.atomic
def membership_create(
    *,
    actor: Actor | None,
    user,
    organisation: Organisation,
    function: Function | str,
    unit: Unit | None = None,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Membership:
    _system_or_manager(actor, organisation.pk)
    if isinstance(function, str):
        try:
            function = Function.objects.get(code=function)
        except Function.DoesNotExist as exc:
            raise ValidationFailed(
                _("Funktionen %(function)s finns inte.") % {"function": function}, field="function"
            ) from exc
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationFailed(_("Enheten hör inte till organisationen."), field="unit")
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        raise ValidationFailed(_("Slutdatum kan inte vara före startdatum."), field="valid_until")
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        unit=unit,
        function=function,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    _audit(
        actor,
        Action.CREATE,
        membership,
        user=user.get_username(),
        organisation=organisation.name,
        function=function.code,
    )
    return membership


@transaction.atomic
def contact_function_create(
    *,
    actor: Actor | None,
    served_organisation: Organisation,
    provider_organisation: Organisation,
    title: str,
    description: str = "",
    phone: str = "",
    email: str = "",
) -> ContactFunction:
    _system_or_manager(actor, provider_organisation.pk)
    contact_function = ContactFunction.objects.create(
        served_organisation=served_organisation,
        provider_organisation=provider_organisation,
        title=title.strip(),
        description=description,
        phone=phone,
        email=email,
    )
    _audit(actor, Action.CREATE, contact_function, title=contact_function.title)
    return contact_function


@transaction.atomic
def contact_function_assign(
    *, actor: Actor | None, contact_function: ContactFunction, membership: Membership
) -> ContactFunctionAssignment:
    """Hand a contact function to a new holder. The previous holder's period is closed,
    never erased, so the history shows who held it when."""
    _system_or_manager(actor, contact_function.provider_organisation_id)
    if membership.organisation_id != contact_function.provider_organisation_id:
        raise ValidationFailed(
            _("Den nya innehavaren måste arbeta i %(name)s.")
            % {"name": contact_function.provider_organisation.name},
            field="membership",
        )
    # Lock the contact function row so two administrators cannot both assign.
    ContactFunction.objects.select_for_update().filter(pk=contact_function.pk).first()
    now = timezone.now()
    current = contact_function.assignments.filter(ended_at__isnull=True).first()
    if current is not None:
        if current.membership_id == membership.pk:
            raise ValidationFailed(_("Personen har redan den här kontaktfunktionen."))
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    assignment = ContactFunctionAssignment.objects.create(
        contact_function=contact_function,
        membership=membership,
        started_at=now,
        assigned_by_id=actor.user_id if actor else None,
    )
    _audit(
        actor,
        Action.CHANGE,
        contact_function,
        new_holder=membership.user.get_username(),
        previous_holder=current.membership.user.get_username() if current else "",
    )
    return assignment


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(
    *,
    actor: Actor | None,
    membership: Membership,
    name: str = "integration",
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a bearer token acting as ``membership``. Returns the token text, which is
    not stored and cannot be shown again."""
    _system_or_manager(actor, membership.organisation_id)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        membership=membership,
        name=name,
        prefix=token[:10],
        token_hash=_hash_token(token),
        expires_at=expires_at,
    )
    _audit(actor, Action.CREATE, api_token, user=membership.user.get_username(), name=name)
    return api_token, token


def token_authenticate(token: str) -> Membership | None:
    """The membership a bearer token acts as, or None if the token is unknown, revoked
    or expired. Records the time of use."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    api_token = (
        ApiToken.objects.select_related(
            "membership__user",
            "membership__organisation",
            "membership__unit",
            "membership__function",
        )
        .filter(token_hash=_hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if api_token is None or (api_token.expires_at and api_token.expires_at <= now):
        return None
    membership = api_token.membership
    today = timezone.localdate()
    if membership.valid_from > today or (membership.valid_until and membership.valid_until < today):
        return None
    if not membership.user.is_active:
        return None
    # Only write when it changes meaningfully, to keep reads cheap.
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return membership


@transaction.atomic
def token_revoke(*, actor: Actor | None, api_token: ApiToken) -> None:
    _system_or_manager(actor, api_token.membership.organisation_id)
    ApiToken.objects.filter(pk=api_token.pk).update(revoked_at=timezone.now())
    _audit(actor, Action.CHANGE, api_token, revoked=True)
