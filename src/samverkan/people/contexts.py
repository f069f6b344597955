"""Which characters a matter may have, per organisation type (``data/matter_contexts.yaml``).

Only social services receives reports and investigates: a school that could give its
own matter the character "Utredning" would lapse every voluntary consent for the child
(consent.rules). The services check ``ensure_allowed`` before a matter is created or
changes character; forms offer ``choices_for`` the actor's organisation type.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured

from samverkan.core.errors import ValidationFailed
from samverkan.directory import selectors as directory

from .models import InvolvementContext

_TABLE = Path(__file__).parent / "data" / "matter_contexts.yaml"


@cache
def table() -> dict[str, tuple[str, ...]]:
    """Organisation type -> the characters its matters may have, in the file's order."""
    with _TABLE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    types = set(directory.organisation_type_labels())
    if set(data) != types:
        raise ImproperlyConfigured(
            f"{_TABLE.name} must list every organisation type exactly: "
            f"missing {sorted(types - set(data))}, unknown {sorted(set(data) - types)}"
        )
    result: dict[str, tuple[str, ...]] = {}
    for org_type, codes in data.items():
        codes = tuple(codes or ())
        unknown = set(codes) - set(InvolvementContext.values)
        if unknown:
            raise ImproperlyConfigured(f"{_TABLE.name}: {org_type} names unknown {unknown}")
        result[org_type] = codes
    return result


def allowed(org_type: str) -> tuple[str, ...]:
    return table().get(org_type, ())


def choices_for(org_type: str) -> list[tuple[str, str]]:
    codes = allowed(org_type)
    return [(code, label) for code, label in InvolvementContext.choices if code in codes]


def ensure_allowed(org_type: str, context: str, *, message: str) -> None:
    """Refuse (in Swedish, on the field ``context``) a character the organisation type
    cannot have; ``message`` is said when the code is not a character at all."""
    if context not in InvolvementContext.values:
        raise ValidationFailed(message, field="context")
    codes = allowed(org_type)
    if context in codes:
        return
    type_label = directory.organisation_type_labels().get(org_type, "Din verksamhet")
    label = InvolvementContext(context).label
    if not codes:
        raise ValidationFailed(
            f"{type_label} kan inte ha ärenden av karaktären ”{label}” och har inga egna "
            "ärenden om barn i Samverkan.",
            field="context",
        )
    offered = ", ".join(f"”{InvolvementContext(c).label}”" for c in codes)
    only_social = all(
        context not in other for kind, other in table().items() if kind != "socialtjanst"
    )
    why = ": bara socialtjänsten tar emot anmälningar och utreder" if only_social else ""
    raise ValidationFailed(
        f"{type_label} kan inte ha ärenden av karaktären ”{label}”{why}. Välj {offered}.",
        field="context",
    )
