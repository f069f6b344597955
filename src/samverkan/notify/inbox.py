"""What an inbox item says, decided when it is read.

The app that owns a record registers each kind of item it sends (from its
``AppConfig.ready()``): a label without personal data (used in e-mail) and a
``resolve(actor, items)`` that, for the reader, asks the access policy about each
referenced record and returns a ``Shown`` (the text derived now, for this reader, and
the link) or ``None`` (withheld: the item is not shown and not counted). A kind nobody
registered is withheld: deny by default."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.audit.services import Ground


@dataclass(frozen=True)
class Shown:
    title: str
    url: str
    subject_id: str = ""
    ground: Ground | None = None
    # An action the reader may take from the inbox (a POST to the owning app's view).
    action_url: str = ""
    action_label: str = ""


Resolver = Callable[[Actor, list], dict[int, Shown | None]]


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # no personal data: shown in e-mail and as the item's heading
    resolve: Resolver


_kinds: dict[str, Kind] = {}


def register(code: str, *, label: str, resolve: Resolver) -> None:
    """``label`` must be marked for translation (``gettext_lazy``): it is read in the
    reader's language, on the inbox page and in e-mail."""
    if not isinstance(label, Promise):
        raise ImproperlyConfigured(
            f"inbox kind {code!r}: its label {label!r} is not marked for translation (gettext_lazy)"
        )
    _kinds[code] = Kind(code=code, label=label, resolve=resolve)


def kind(code: str) -> Kind | None:
    return _kinds.get(code)


def label(code: str) -> str:
    found = _kinds.get(code)
    return str(found.label) if found else gettext("Händelse")


def resolve(actor: Actor, items: Iterable) -> dict[int, Shown | None]:
    """Each item's ``Shown`` for ``actor``, or ``None``; one call per kind."""
    by_kind: dict[str, list] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    result: dict[int, Shown | None] = {}
    for code, group in by_kind.items():
        found = _kinds.get(code)
        shown = found.resolve(actor, group) if found else {}
        for item in group:
            result[item.pk] = shown.get(item.pk)
    return result


# --- addresses (see models.InboxItem) ---------------------------------------------------


def person(user_id: int, organisation_id: int) -> str:
    return f"u:{user_id}:{organisation_id}"


def function(organisation_id: int, code: str, unit_id: int | None = None) -> str:
    return f"f:{organisation_id}:{unit_id or '-'}:{code}"


def contact_function(contact_function_id: int) -> str:
    return f"c:{contact_function_id}"


def organisation(organisation_id: int) -> str:
    """Everyone working in the organisation now (each reader re-checked when reading)."""
    return f"o:{organisation_id}"


def addresses_of(actor: Actor, contact_function_ids: Iterable[int] = ()) -> list[str]:
    """Every address that reaches ``actor`` in the role they act in now."""
    if not actor.has_membership:
        return []
    found = [
        person(actor.user_id, actor.organisation_id),
        function(actor.organisation_id, actor.function_code),
        organisation(actor.organisation_id),
    ]
    if actor.unit_id:
        found.append(function(actor.organisation_id, actor.function_code, actor.unit_id))
    found += [contact_function(c) for c in contact_function_ids]
    return found
