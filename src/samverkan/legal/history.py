"""The catalogue's history: each version of ``data/grounds.yaml`` the product has used is
kept whole in ``CatalogueVersion`` (recorded after every migration and by
``samverkan legal catalogue record``), so "which rule applied on 2025-11-30?" is answered
with the version adopted on or before that day and the grounds in force on it."""

from __future__ import annotations

import datetime

from django.db import transaction

from . import catalogue
from .models import CatalogueVersion


def record(data: dict | None = None, using: str = "default") -> CatalogueVersion:
    """Store ``data`` (by default the file) as a version, once. A changed file under an
    unchanged version number is refused: a jurist must be able to trust that a version
    names one text."""
    data = data if data is not None else catalogue.read_file()
    parsed = catalogue.parse(data)
    with transaction.atomic(using=using):
        row, created = CatalogueVersion.objects.using(using).get_or_create(
            version=parsed.version,
            defaults={
                "adopted_on": parsed.adopted_on,
                "digest": parsed.digest,
                "data": catalogue._jsonable(data),
            },
        )
    if not created and row.digest != parsed.digest:
        raise ValueError(
            f"Grundkatalogen version {parsed.version} har ändrats utan ny versionsbeteckning."
        )
    return row


def record_after_migrate(**kwargs) -> None:
    record(using=kwargs.get("using") or "default")


def version(name: str) -> catalogue.Catalogue:
    """One stored version, as it was."""
    return catalogue.parse(CatalogueVersion.objects.get(version=name).data)


def as_of(day: datetime.date) -> tuple[catalogue.Catalogue, list[catalogue.Ground]] | None:
    """The catalogue adopted on or before ``day`` (before the first version: the first,
    whose grounds carry their own dates) and its grounds in force that day; None when no
    version was ever recorded."""
    row = (
        CatalogueVersion.objects.filter(adopted_on__lte=day).order_by("-adopted_on").first()
        or CatalogueVersion.objects.order_by("adopted_on").first()
    )
    if row is None:
        return None
    parsed = catalogue.parse(row.data)
    return parsed, parsed.in_force(day)
