"""Risk and protective factors tagged on other apps' records (``tagging`` says which):
setting a record's tags, and removing them when the record is culled."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound, ValidationFailed

from . import tagging
from .models import (
    Factor,
    FactorTag,
)
from .writes import _audit, _require_member


@transaction.atomic
def factor_tags_set(
    *,
    actor: Actor,
    target_type: str,
    target_id: UUID | str,
    child_id: UUID | str,
    factor_codes: Iterable[str],
) -> list[FactorTag]:
    """Make the factors tagged on one record exactly ``factor_codes``. The target type's
    registered ``authorize`` decides and gives the ground; the change is audited on
    the child."""
    _require_member(actor)
    target = tagging.target_type(target_type)
    try:
        target_id, child_id = UUID(str(target_id)), UUID(str(child_id))
    except ValueError as exc:
        raise NotFound() from exc
    ground = target.authorize(actor, target_id, child_id)
    codes = {c.strip() for c in factor_codes if c and c.strip()}
    factors = {f.code: f for f in Factor.objects.filter(code__in=codes, is_active=True)}
    unknown = sorted(codes - factors.keys())
    if unknown:
        raise ValidationFailed(
            gettext("Okänd risk- eller skyddsfaktor: %(join)s.") % {"join": ", ".join(unknown)}
        )
    current = {
        tag.factor.code: tag
        for tag in FactorTag.objects.select_for_update()
        .filter(target_type=target_type, target_id=target_id)
        .select_related("factor")
    }
    if any(tag.child_id != child_id for tag in current.values()):
        raise ValidationFailed(gettext("Uppgiften gäller ett annat barn."))
    removed = sorted(current.keys() - codes)
    added = sorted(codes - current.keys())
    FactorTag.objects.filter(pk__in=[current[c].pk for c in removed]).delete()
    now = timezone.now()
    FactorTag.objects.bulk_create(
        [
            FactorTag(
                target_type=target_type,
                target_id=target_id,
                child_id=child_id,
                factor=factors[code],
                organisation_id=actor.organisation_id,
                created_by_id=actor.user_id,
                created_at=now,
            )
            for code in added
        ]
    )
    if added or removed:
        _audit(
            actor,
            Action.CHANGE,
            "knowledge.factortag",
            f"{target_type}:{target_id}",
            subject_id=child_id,
            ground=ground,
            added=added,
            removed=removed,
        )
    return list(
        FactorTag.objects.filter(target_type=target_type, target_id=target_id).select_related(
            "factor"
        )
    )


def factor_tags_remove_for_retention(*, target_type: str, target_ids: Iterable[UUID | str]) -> int:
    """Remove every tag on records that are being thinned under a retention rule
    (retention.services). Called inside the retention run's transaction, which writes
    the audit rows for the records removed; no actor (the rule is the ground)."""
    ids = [UUID(str(i)) for i in target_ids]
    deleted, _ = FactorTag.objects.filter(target_type=target_type, target_id__in=ids).delete()
    return deleted
