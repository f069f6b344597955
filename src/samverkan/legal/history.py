"""The catalogue's history: every version the product has used is kept whole in
``CatalogueVersion``, so "which rule applied on 2025-11-30?" is answered with the version
adopted on or before that day and the grounds in force on it. A version comes from the
repository's file (recorded after every migration and by ``samverkan legal catalogue
record``) or from a change approved in the product (``editing``, decision 0300); a
version is never changed and never adopted on a past day by the product, so the past
stays as it was.

``in_force(day)`` is the catalogue that applies on ``day``, read once per day and cache
generation (every new version starts a new generation) and parsed once per version."""

from __future__ import annotations

import datetime
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from samverkan.core import request_context

from . import catalogue
from .models import CatalogueChange, CatalogueVersion, ChangeKind, Origin

GENERATION = "legal:catalogue:generation"
_parsed: dict[tuple[str, str], catalogue.Catalogue] = {}


def forget() -> None:
    """A new version exists: every cached answer is asked again."""
    cache.set(GENERATION, uuid.uuid4().hex, None)
    request_context.forget_memo(catalogue.MEMO)


def latest(using: str = "default") -> CatalogueVersion | None:
    """The newest version (possibly adopted on a future day)."""
    return CatalogueVersion.objects.using(using).order_by("-adopted_on", "-recorded_at").first()


def last_from_file(using: str = "default") -> CatalogueVersion | None:
    return (
        CatalogueVersion.objects.using(using)
        .filter(origin=Origin.FILE)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def record(data: dict | None = None, using: str = "default"):
    """Take the repository file (or ``data``) into the history, once. Where the
    municipality has approved edits of its own, a new file version is not put in force:
    it waits as an upgrade for the reviewer (``CatalogueChange`` of kind upgrade;
    decision 0300), which is returned instead of a version. A changed file under an
    unchanged version number is refused: a jurist must be able to trust that a version
    names one text."""
    data = catalogue._jsonable(data if data is not None else catalogue.read_file())
    parsed = catalogue.parse(data)
    with transaction.atomic(using=using):
        upgrade = (
            CatalogueChange.objects.using(using)
            .filter(kind=ChangeKind.UPGRADE, data__version=parsed.version)
            .first()
        )
        if upgrade is not None:
            return upgrade
        row = CatalogueVersion.objects.using(using).filter(version=parsed.version).first()
        if row is not None:
            if row.digest != parsed.digest:
                raise ValueError(
                    f"Grundkatalogen version {parsed.version} har ändrats utan ny "
                    "versionsbeteckning."
                )
            return row
        if CatalogueVersion.objects.using(using).filter(origin=Origin.PRODUCT).exists():
            from . import upgrades

            return upgrades.waiting(data, using=using)
        row = CatalogueVersion.objects.using(using).create(
            version=parsed.version,
            adopted_on=parsed.adopted_on,
            digest=parsed.digest,
            data=data,
            origin=Origin.FILE,
        )
    forget()
    return row


def record_after_migrate(**kwargs) -> None:
    record(using=kwargs.get("using") or "default")


def version(name: str) -> catalogue.Catalogue:
    """One stored version, as it was."""
    return parsed_row(CatalogueVersion.objects.get(version=name))


def parsed_row(row: CatalogueVersion) -> catalogue.Catalogue:
    key = (row.version, row.digest)
    if key not in _parsed:
        _parsed[key] = catalogue.parse(row.data)
    return _parsed[key]


def _row_on(day: datetime.date) -> CatalogueVersion | None:
    return (
        CatalogueVersion.objects.filter(adopted_on__lte=day)
        .order_by("-adopted_on", "-recorded_at")
        .first()
        or CatalogueVersion.objects.order_by("adopted_on", "recorded_at").first()
    )


def as_of(day: datetime.date) -> tuple[catalogue.Catalogue, list[catalogue.Ground]] | None:
    """The catalogue adopted on or before ``day`` (before the first version: the first,
    whose grounds carry their own dates) and its grounds in force that day; None when no
    version was ever recorded."""
    row = _row_on(day)
    if row is None:
        return None
    parsed = parsed_row(row)
    return parsed, parsed.in_force(day)


def in_force(day: datetime.date | None = None) -> catalogue.Catalogue:
    """The catalogue that applies on ``day`` (today by default); the file when no
    version was ever recorded."""
    day = day or timezone.localdate()
    generation = cache.get_or_set(GENERATION, lambda: uuid.uuid4().hex, None)
    key = f"legal:catalogue:{generation}:{day.isoformat()}"
    known = cache.get(key)
    if known is not None and tuple(known) in _parsed:
        return _parsed[tuple(known)]
    row = _row_on(day)
    if row is None:
        return catalogue.from_file()
    cache.set(key, (row.version, row.digest), 3600)
    return parsed_row(row)
