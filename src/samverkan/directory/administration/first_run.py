"""`samverkan setup`: the first huvudman, organisation and system administrator on an
empty directory."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from samverkan.core.errors import ValidationFailed

from ..models import Membership, Organisation
from .organisations import organisation_save, principal_save
from .staff import staff_account_create


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
        try:
            validate_password(password, membership.user)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from exc
        membership.user.set_password(password)
        membership.user.save(update_fields=["password"])
    return membership
