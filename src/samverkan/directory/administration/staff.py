"""Staff accounts: create (with how e-legitimation identifies the person), change
details, function (byt funktion) or unit (flytta), end the work in an organisation
(never a deletion: the audit log refers to the account), and a new password where the
organisation chose password login."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import DomainError, ValidationFailed
from samverkan.core.unique import is_unique_violation

from .. import identity, policies
from ..models import ContactFunctionAssignment, Membership, Organisation, StaffIdentity
from .common import apply_changes, record, required_name
from .functions import function_for
from .units import unit_for

User = get_user_model()


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


def _username_taken(username: str) -> ValidationFailed:
    return ValidationFailed(
        gettext("Användarnamnet %(username)s är upptaget.") % {"username": username},
        field="username",
    )


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
    first_name = required_name(
        first_name, "first_name", gettext("förnamn"), max_length=bounds.TEXT_USERNAME
    )
    last_name = required_name(
        last_name, "last_name", gettext("efternamn"), max_length=bounds.TEXT_USERNAME
    )
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
        raise _username_taken(username)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_unusable_password()
    try:
        # The unique user name, personnummer and HSA-id are the truth: two administrators
        # (or an import in two tabs) adding the same person at once pass the checks above
        # together, and the second insert conflicts (decision 0356). In a savepoint, so
        # that an import goes on with its next row.
        with transaction.atomic():
            user.save()
            StaffIdentity.objects.create(user=user, **identity_values)
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        _identity_values(personnummer, hsa_id)  # the other's account, now committed
        raise _username_taken(username) from exc
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        unit=unit,
        function=function,
        valid_from=valid_from or timezone.localdate(),
    )
    record(
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


def _staff_changes(actor, membership, present_function, **fields):
    """The changes an update would make, set on the objects but not saved; None when
    there are none. Checks the actor's right to give the functions only then."""
    organisation = membership.organisation
    user = membership.user
    first_name, last_name, email = fields["first_name"], fields["last_name"], fields["email"]
    personnummer, hsa_id = fields["personnummer"], fields["hsa_id"]
    function, unit = fields["function"], fields["unit"]
    user_changes = apply_changes(
        user,
        {
            "first_name": required_name(
                first_name, "first_name", gettext("förnamn"), max_length=bounds.TEXT_USERNAME
            ),
            "last_name": required_name(
                last_name, "last_name", gettext("efternamn"), max_length=bounds.TEXT_USERNAME
            ),
            "email": bounds.check_text(
                (email or "").strip(), max_length=bounds.TEXT_EMAIL, field="email"
            ),
        },
    )
    staff_identity = StaffIdentity.objects.filter(user=user).first() or StaffIdentity(user=user)
    identity_changes = apply_changes(staff_identity, _identity_values(personnummer, hsa_id, user))
    new_function = function_for(organisation, function) if function else present_function
    membership_changes = apply_changes(
        membership,
        {"function": new_function, "unit": unit_for(organisation, unit)},
    )
    if not (user_changes or identity_changes or membership_changes):
        return None
    policies.require_may_give(actor, present_function.permissions)
    policies.require_may_give(actor, new_function.permissions)
    return user_changes, staff_identity, identity_changes, membership_changes


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
    """Change a staff member's details, function (byt funktion) or unit (flytta). Only
    someone who may give both the present and the new function's rights changes
    anything; the same values again (an exported file imported back) are no change and
    need no such right."""
    policies.require_organisation(actor, membership.organisation_id)
    fields = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "personnummer": personnummer,
        "hsa_id": hsa_id,
        "function": function,
        "unit": unit,
    }
    present_function = membership.function
    user = membership.user
    try:
        changes = _staff_changes(actor, membership, present_function, **fields)
    except DomainError:
        # Nothing was saved; the caller's objects show the stored values again.
        user.refresh_from_db()
        membership.refresh_from_db()
        raise
    if changes is None:
        return membership
    user_changes, staff_identity, identity_changes, membership_changes = changes
    if user_changes:
        user.save()
    if identity_changes:
        staff_identity.save()
        # Which identifiers changed, never the numbers themselves.
        identity_changes = {k: ["…", "…"] for k in identity_changes}
    if membership_changes:
        membership.version += 1
        membership.save()
    changes = {**user_changes, **identity_changes, **membership_changes}
    record(actor, Action.CHANGE, "directory.membership", membership.public_id, changes=changes)
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
    record(
        actor,
        Action.CHANGE,
        "directory.membership",
        membership.public_id,
        ended=str(membership.valid_until),
        account_closed=not still_working,
        contact_functions_ended=ended,
    )
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
    record(actor, Action.CHANGE, "auth.user", user.pk, password_reset=True)
    return password
