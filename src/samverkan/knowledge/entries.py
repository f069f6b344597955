"""Shared content (actors, concepts, factors, methods, checklist suggestions), edited by
administrators: creating and updating an entry (each edit a new version, a stale write
refused) and syncing the catalogue."""

from __future__ import annotations

from uuid import UUID

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, StaleWrite, ValidationFailed
from samverkan.core.unique import create_or_refuse

from . import kinds, loader, text
from .models import (
    EntryVersion,
    FactorDomain,
    FactorKind,
    SearchDocument,
)
from .writes import _audit, _require_manager


def _model(kind: kinds.Kind):
    return apps.get_model("knowledge", kind.model_name)


def _kind(kind_code: str) -> kinds.Kind:
    try:
        return kinds.KINDS[kind_code]
    except KeyError as exc:
        raise NotFound() from exc


def _clean_entry_data(kind: kinds.Kind, data: dict) -> dict:
    cleaned = {}
    for spec in kind.fields:
        if spec.name not in data:
            continue
        value = data[spec.name]
        if spec.name == "is_active":
            cleaned[spec.name] = bool(value)
            continue
        value = (value or "").strip().replace("\r\n", "\n")
        if spec.required and not value:
            raise ValidationFailed(
                gettext("Fyll i %(value)s.") % {"value": spec.label.lower()}, field=spec.name
            )
        cleaned[spec.name] = value
    if kind is kinds.FACTOR:
        if "domain" in cleaned and cleaned["domain"] not in FactorDomain.values:
            raise ValidationFailed(gettext("Välj ett område."), field="domain")
        if "kind" in cleaned and cleaned["kind"] not in FactorKind.values:
            raise ValidationFailed(gettext("Välj risk- eller skyddsfaktor."), field="kind")
    if kind is kinds.ACTOR and cleaned.get("directory_type", "") not in dict(kinds.DIRECTORY_TYPES):
        raise ValidationFailed(gettext("Okänd organisationstyp."), field="directory_type")
    return cleaned


def _author(actor: Actor | None) -> dict:
    if actor is None:
        return {"author_name": loader.LOADER_NAME}
    return {
        "author_user_id": actor.user_id,
        "author_name": actor.label,
        "author_organisation": actor.organisation_name,
    }


def _search_refresh(kind: kinds.Kind, obj) -> None:
    SearchDocument.objects.update_or_create(
        entry_type=kind.code, entry_id=obj.public_id, defaults=kinds.search_values(kind, obj)
    )


@transaction.atomic
def entry_update(
    *,
    actor: Actor | None,
    kind_code: str,
    entry_id: UUID | str,
    data: dict,
    expected_version: int,
    comment: str = "",
):
    """Change a content entry. Refuses a stale write (somebody saved since the form was
    opened) and a save that changes nothing; records a version with the changed
    fields."""
    _require_manager(actor)
    kind = _kind(kind_code)
    Model = _model(kind)
    try:
        obj = Model.objects.select_for_update().get(public_id=entry_id)
    except (Model.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    if obj.version != expected_version:
        raise StaleWrite(
            gettext(
                "Någon annan har sparat en ändring sedan du öppnade sidan. Läs den nya versionen "
                "och gör om din ändring."
            )
        )
    cleaned = _clean_entry_data(kind, data)
    changed = [name for name, value in cleaned.items() if getattr(obj, name) != value]
    if not changed:
        raise ValidationFailed(gettext("Inget har ändrats."))
    if (
        kind is kinds.CONCEPT
        and "term" in changed
        and Model.objects.filter(term__iexact=cleaned["term"]).exclude(pk=obj.pk).exists()
    ):
        raise ValidationFailed(gettext("Begreppet finns redan."), field="term")
    for name in changed:
        setattr(obj, name, cleaned[name])
    obj.version += 1
    obj.save()
    EntryVersion.objects.create(
        entry_type=kind.code,
        entry_id=obj.public_id,
        number=obj.version,
        data=kinds.snapshot(kind, obj),
        changed_fields=changed,
        comment=bounds.check_text(comment.strip(), max_length=bounds.TEXT_LINE, field="comment"),
        created_at=timezone.now(),
        **_author(actor),
    )
    _search_refresh(kind, obj)
    _audit(
        actor, Action.CHANGE, kind.resource_type, obj.public_id, fields=changed, version=obj.version
    )
    return obj


def _unique_code(Model, title: str) -> str:
    base = slugify(text.fold(title))[:70] or "post"
    code, n = base, 2
    while Model.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def entry_create(*, actor: Actor | None, kind_code: str, data: dict, comment: str = ""):
    _require_manager(actor)
    kind = _kind(kind_code)
    Model = _model(kind)
    cleaned = _clean_entry_data(kind, data)
    for spec in kind.fields:
        if spec.required and not cleaned.get(spec.name):
            raise ValidationFailed(
                gettext("Fyll i %(value)s.") % {"value": spec.label.lower()}, field=spec.name
            )
    if kind is kinds.CONCEPT and Model.objects.filter(term__iexact=cleaned["term"]).exists():
        raise ValidationFailed(gettext("Begreppet finns redan."), field="term")
    last = Model.objects.order_by("-position").values_list("position", flat=True).first() or 0
    with create_or_refuse("Posten finns redan.", field=kind.title_field):
        obj = Model.objects.create(
            code=_unique_code(Model, cleaned[kind.title_field]), position=last + 10, **cleaned
        )
    EntryVersion.objects.create(
        entry_type=kind.code,
        entry_id=obj.public_id,
        number=1,
        data=kinds.snapshot(kind, obj),
        changed_fields=[],
        comment=bounds.check_text(comment.strip(), max_length=bounds.TEXT_LINE, field="comment")
        or "Skapad.",
        created_at=timezone.now(),
        **_author(actor),
    )
    _search_refresh(kind, obj)
    _audit(actor, Action.CREATE, kind.resource_type, obj.public_id, code=obj.code)
    return obj


@transaction.atomic
def catalogue_sync(*, actor: Actor | None = None) -> dict[str, int]:
    """Add catalogue entries that a newer release brings (never changes existing)."""
    _require_manager(actor)
    added = loader.catalogue_load()
    if any(added.values()):
        _audit(actor, Action.CREATE, "knowledge.catalogue", "grundkatalog", added=added)
    return added
