"""The two facts of an organisation the catalogue asks about: its type (school, social
services, police, ...) and whether its principal is an authority. Read through the
directory's selectors and cached (Django's cache), since every cross-organisation
decision asks; a change of an organisation drops its entry (``forget``, on save)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from samverkan.directory import selectors as directory

_KEY = "legal:organisation:{}"
_TIMEOUT = 3600


@dataclass(frozen=True)
class Kind:
    org_type: str
    principal_kind: str


def kinds(*organisation_ids: int) -> dict[int, Kind]:
    keys = {pk: _KEY.format(pk) for pk in organisation_ids}
    found = cache.get_many(list(keys.values()))
    result = {pk: Kind(*found[key]) for pk, key in keys.items() if key in found}
    missing = [pk for pk in organisation_ids if pk not in result]
    if missing:
        # Every organisation at once: they are few (a municipality's and a region's
        # services), and a page asks about several pairs.
        fresh = {}
        for organisation in directory.organisations_all():
            kind = Kind(organisation.org_type, organisation.principal.kind)
            fresh[_KEY.format(organisation.pk)] = (kind.org_type, kind.principal_kind)
            if organisation.pk in keys:
                result[organisation.pk] = kind
        cache.set_many(fresh, _TIMEOUT)
    return result


def forget(sender=None, instance=None, **kwargs) -> None:
    if instance is not None:
        cache.delete(_KEY.format(instance.pk))


def forget_principal(sender=None, instance=None, **kwargs) -> None:
    if instance is not None:
        cache.delete_many(
            [_KEY.format(pk) for pk in instance.organisations.values_list("pk", flat=True)]
        )
