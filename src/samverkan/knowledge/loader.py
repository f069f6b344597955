"""Loading the catalogue (data/catalogue.yaml) into the database. Used by migration 0002 with
historical models, and by ``services.catalogue_sync`` (``samverkan knowledge_sync``)
when a later release adds entries. Only codes that are missing are added; an entry an
administrator has edited or retired is never touched."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from . import catalogue, kinds

LOADER_NAME = "Samverkan (grundinnehåll)"


def catalogue_load(get_model: Callable | None = None, using: str = "default") -> dict[str, int]:
    """Add every catalogue entry whose code is missing. Returns how many were added per
    kind. ``get_model`` is ``apps.get_model`` in a migration; the live registry
    otherwise. ``using`` is the database written (in a migration, the one migrated)."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    Version = get_model("knowledge", "EntryVersion")
    SearchDocument = get_model("knowledge", "SearchDocument")
    now = timezone.now()
    added: dict[str, int] = {}
    for kind_code, rows in catalogue.ENTRIES.items():
        kind = kinds.KINDS[kind_code]
        Model = get_model("knowledge", kind.model_name)
        existing = set(Model.objects.using(using).values_list("code", flat=True))
        count = 0
        for position, row in enumerate(rows, start=1):
            if row["code"] in existing:
                continue
            obj = Model.objects.using(using).create(position=position * 10, **row)
            Version.objects.using(using).create(
                entry_type=kind.code,
                entry_id=obj.public_id,
                number=1,
                data=kinds.snapshot(kind, obj),
                changed_fields=[],
                comment="Inläst från grundkatalogen.",
                created_at=now,
                author_name=LOADER_NAME,
            )
            SearchDocument.objects.using(using).create(
                entry_type=kind.code, entry_id=obj.public_id, **kinds.search_values(kind, obj)
            )
            count += 1
        added[kind_code] = count
    return added
