"""An organisation's own functions (the standard functions are shared and not changed
here): a name and permissions chosen from those a local administrator may give;
``function_for`` finds a usable function by code or name."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.core.unique import create_or_refuse

from .. import policies
from ..models import Function, Organisation
from .common import apply_changes, record, required_name

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
        "name": required_name(
            name, "name", gettext("funktionens namn"), max_length=bounds.TEXT_PERSON_NAME
        ),
        "description": bounds.check_text(
            description, max_length=bounds.TEXT_PARAGRAPH, field="description"
        ),
        "permissions": sorted(set(permissions)),
        "is_active": bool(is_active),
    }
    # Functions have no unique name in the database (the standard ones are shared): two
    # requests naming one at once are put in a row by the organisation's row lock.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    clash = Function.objects.filter(name__iexact=values["name"]).filter(
        Q(organisation__isnull=True) | Q(organisation=organisation)
    )
    if function is not None:
        clash = clash.exclude(pk=function.pk)
    taken = gettext("Det finns redan en funktion som heter %(value)s.") % {"value": values["name"]}
    if clash.exists():
        raise ValidationFailed(taken, field="name")
    if function is None:
        base = f"{slugify(organisation.name)[:20]}-{slugify(values['name'])[:24]}".strip("-")
        code, n = base, 1
        while Function.objects.filter(code=code).exists():
            n += 1
            code = f"{base[:45]}-{n}"
        # A concurrent request with the same name made the same code: it has the name.
        with create_or_refuse(taken, field="name"):
            function = Function.objects.create(organisation=organisation, code=code, **values)
        record(
            actor,
            Action.CREATE,
            "directory.function",
            function.code,
            name=function.name,
            permissions=function.permissions,
        )
        return function
    changes = apply_changes(function, values)
    if changes:
        function.save()
        record(actor, Action.CHANGE, "directory.function", function.code, changes=changes)
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
