"""An organisation's units: created and changed by its local administrator, made
inactive rather than deleted; ``unit_for`` finds one by name for a form or a file row."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.core.unique import create_or_refuse

from .. import policies
from ..models import Organisation, Unit
from .common import apply_changes, record, required_name


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
        "name": required_name(name, "name", "enhetens namn"),
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
    taken = gettext("%(name)s har redan en enhet som heter %(value)s.") % {
        "name": organisation.name,
        "value": values["name"],
    }
    if clash.exists():
        raise ValidationFailed(taken, field="name")
    if unit is None:
        with create_or_refuse(taken, field="name"):  # a concurrent request took the name
            unit = Unit.objects.create(organisation=organisation, **values)
        record(actor, Action.CREATE, "directory.unit", unit.public_id, name=unit.name)
        return unit
    changes = apply_changes(unit, values)
    if changes:
        unit.version += 1
        with create_or_refuse(taken, field="name"):
            unit.save()
        record(actor, Action.CHANGE, "directory.unit", unit.public_id, changes=changes)
    return unit


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
