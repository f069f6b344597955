"""What the writes of plans share: the refusal for a missing consent, the audit row,
bounded texts, a new immutable version and the latest content, and the plan locked for
a change (``services`` lists the writes by flow)."""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core import bounds
from samverkan.core.errors import PermissionDenied, ValidationFailed

from . import content as plan_content
from .models import (
    Plan,
    PlanVersion,
)
from .selectors import OrganisationCheck


class ConsentMissing(PermissionDenied):
    """Starting or calling refused: no consent for SIP covers some organisation."""

    def __init__(self, checks: list[OrganisationCheck]):
        self.checks = checks
        missing = [c for c in checks if not c.ok]
        text = " ".join(f"{c.organisation.name}: {c.decision.reason}" for c in missing)
        super().__init__(
            gettext(
                "Det finns inget gällande samtycke för SIP som omfattar alla kallade "
                "verksamheter. %(text)s"
            )
            % {"text": text},
            code="consent_missing",
            field="called",
        )


def _audit(actor: Actor | None, action: str, plan: Plan, ground: Ground | None, **details):
    audit.event_record(
        actor=actor,
        action=action,
        resource_type="plans.plan",
        resource_id=str(plan.public_id),
        subject_id=str(plan.child.public_id),
        ground=ground,
        details=details,
    )


def _clean(value: str) -> str:
    return (value or "").replace("\x00", "").strip()


def _text(value: str, *, field: str, max_length: int | None = None, label: str = "") -> str:
    """Trimmed text without NUL characters (PostgreSQL refuses them), within length."""
    value = _clean(value)
    if max_length is not None and len(value) > max_length:
        raise ValidationFailed(
            gettext("%(value)s får vara högst %(max_length)s tecken.")
            % {"value": label or gettext("Texten"), "max_length": max_length},
            field=field,
        )
    return value


def _new_version(plan: Plan, actor: Actor | None, data: dict, comment: str = "") -> PlanVersion:
    plan.version += 1
    return PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        content=data,
        created_at=timezone.now(),
        author_name=actor.label if actor else "",
        author_organisation_name=actor.organisation_name if actor else "",
        comment=_text(
            comment, field="comment", max_length=bounds.TEXT_LABEL, label=gettext("Kommentaren")
        ),
    )


def latest_content(plan: Plan) -> dict:
    row = PlanVersion.objects.filter(plan=plan, number=plan.version).first()
    return dict(row.content) if row else plan_content.empty()


def _for_change(actor: Actor, plan: Plan) -> policy.Decision:
    decision = policy.decide(actor, Action.CHANGE, plan)
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("child").get(pk=plan.pk)


def _same_content(new: dict, old: dict) -> bool:
    """Whether a save would repeat the latest version (JSON round trip: what is stored
    is compared with what would be stored)."""
    return json.loads(json.dumps(new)) == json.loads(json.dumps({**plan_content.empty(), **old}))
