"""The two facts of an organisation the catalogue asks about: its type (school, social
services, police, ...) and whether its principal is an authority. Read through the
directory's selectors and cached (Django's cache), since every cross-organisation
decision asks; a change of an organisation drops its entry (``forget``, on save)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from samverkan.core import request_context
from samverkan.directory import selectors as directory

_KEY = "legal:organisation:{}"
_TIMEOUT = 3600
MEMO = "legal.organisations"


@dataclass(frozen=True)
class Kind:
    org_type: str
    principal_kind: str


def kinds(*organisation_ids: int) -> dict[int, Kind]:
    """Each organisation's kind, from this request's memo, else Django's cache, else the
    directory (decision 0342: a page deciding many times asks the cache once per
    organisation)."""
    memo = request_context.memoised((MEMO,), dict)
    result = {pk: memo[pk] for pk in organisation_ids if pk in memo}
    rest = [pk for pk in organisation_ids if pk not in result]
    if rest:
        fresh = _cached_kinds(rest)
        memo.update(fresh)
        result.update(fresh)
    return result


def _cached_kinds(organisation_ids: list[int]) -> dict[int, Kind]:
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
    request_context.forget_memo(MEMO)
    if instance is not None:
        cache.delete(_KEY.format(instance.pk))


def forget_principal(sender=None, instance=None, **kwargs) -> None:
    request_context.forget_memo(MEMO)
    if instance is not None:
        cache.delete_many(
            [_KEY.format(pk) for pk in instance.organisations.values_list("pk", flat=True)]
        )
