"""Escalation of a matter up the chain of levels: opening one and recording its steps."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.directory import selectors as directory

from . import conf
from . import inbox as meetings_inbox
from .models import (
    Escalation,
    EscalationStatus,
    EscalationStep,
    Forum,
    ForumOrganisation,
    Level,
)
from .writes import PURPOSE, ConsentMissing, _audit, _require, _require_own_matter, check_anonymised


def _chain() -> list[dict]:
    return conf.get("MEETINGS_ESCALATION_CHAIN")


def _step_owner(escalation: Escalation, position: int) -> tuple[Forum | None, int]:
    spec = _chain()[position]
    forum = Forum.objects.filter(name=spec.get("forum") or "", is_active=True).first()
    if forum is not None:
        return forum, forum.convener_organisation_id
    if position == 0:
        return None, escalation.raised_by_organisation_id
    # A joint body (or the political forum) without a named forum: the broadest forum
    # both organisations are members of at the matching level, else the raising side.
    levels = {1: Level.BASE, 2: Level.UNIT_MANAGER, 3: Level.POLITICAL}
    candidates = (
        Forum.objects.filter(
            is_active=True,
            level=levels.get(position, Level.POLITICAL),
            members__organisation_id=escalation.raised_by_organisation_id,
        )
        .filter(
            pk__in=ForumOrganisation.objects.filter(
                organisation_id=escalation.counterpart_organisation_id
            ).values("forum")
        )
        .prefetch_related("members")
    )
    joint = min(candidates, key=lambda f: (-len(f.members.all()), f.name), default=None)
    if joint is not None:
        return joint, joint.convener_organisation_id
    return None, escalation.raised_by_organisation_id


def _start_step(escalation: Escalation, position: int, now) -> EscalationStep:
    spec = _chain()[position]
    forum, owner = _step_owner(escalation, position)
    step = EscalationStep.objects.create(
        escalation=escalation,
        position=position,
        name=spec["name"],
        forum=forum,
        owner_organisation_id=owner,
        deadline=timezone.localdate(now) + datetime.timedelta(days=int(spec["days"])),
        started_at=now,
    )
    meetings_inbox.step_deliver(escalation, step)
    return step


@transaction.atomic
def escalation_open(
    *,
    actor: Actor,
    title: str,
    description: str,
    counterpart_organisation_id: int,
    child=None,
    category: str = "insatser",
    reviewed: bool = False,
) -> Escalation:
    """Open an escalation of a disagreement about responsibility. Anonymised (the text
    is checked) or about a named child under a consent that covers passing the
    information to the other organisation."""
    if not title.strip() or not description.strip():
        raise ValidationFailed(gettext("Skriv rubrik och beskrivning."), field="title")
    if counterpart_organisation_id == actor.organisation_id:
        raise ValidationFailed(gettext("Välj den andra verksamheten."), field="counterpart")
    if not directory.organisation_exists(counterpart_organisation_id):
        raise ValidationFailed(gettext("Verksamheten finns inte."), field="counterpart")
    escalation = Escalation(
        title=title.strip(),
        description=description.strip(),
        raised_by_organisation_id=actor.organisation_id,
        raised_by_name=actor.label,
        counterpart_organisation_id=counterpart_organisation_id,
    )
    decision = _require(actor, Action.CREATE, escalation)
    subject_id = ""
    if child is None:
        check_anonymised(actor, ("title", title), ("description", description), reviewed=reviewed)
    else:
        if not policy.decide(actor, Action.READ, child):
            raise NotFound(gettext("Barnet finns inte eller så har du inte behörighet."))
        _require_own_matter(actor, child)
        shared = passing.decide(
            child=child,
            from_organisation_id=actor.organisation_id,
            to_organisation_id=counterpart_organisation_id,
            category=category,
            purpose=PURPOSE,
            viewer_organisation_id=actor.organisation_id,
        )
        if not shared:
            raise ConsentMissing([shared.reason])
        escalation.child = child
        escalation.consent_reference = shared.ground.reference
        decision = shared
        subject_id = str(child.public_id)
    now = timezone.now()
    escalation.save()
    _start_step(escalation, 0, now)
    _audit(
        actor,
        Action.CREATE,
        "meetings.escalation",
        escalation,
        decision.ground,
        subject_id=subject_id,
    )
    return escalation


@transaction.atomic
def escalation_step_record(
    *,
    actor: Actor,
    step: EscalationStep,
    positions: str,
    decision: str,
    outcome: str,
) -> EscalationStep:
    """The step's owner records the parties' positions and the decision; ``outcome``
    is "resolved" (the escalation ends) or "escalate" (the next step starts)."""
    escalation = step.escalation
    allowed = _require(actor, Action.CHANGE, escalation)
    if actor.organisation_id != step.owner_organisation_id:
        raise PermissionDenied(gettext("Bara stegets ägare kan registrera beslutet."))
    if step.decided_at is not None:
        raise ValidationFailed(gettext("Steget är redan avgjort."))
    if outcome not in {"resolved", "escalate"}:
        raise ValidationFailed(
            gettext("Välj om frågan är avgjord eller ska lyftas."), field="outcome"
        )
    if not decision.strip():
        raise ValidationFailed(gettext("Skriv beslutet."), field="decision")
    if escalation.child_id is None:
        check_anonymised(actor, ("positions", positions), ("decision", decision))
    now = timezone.now()
    step.positions = positions.strip()
    step.decision = decision.strip()
    step.decided_at = now
    step.save(update_fields=["positions", "decision", "decided_at"])
    meetings_inbox.step_decided(escalation, actor.user_id)
    if outcome == "escalate":
        if step.position + 1 >= len(_chain()):
            raise ValidationFailed(gettext("Det finns inget steg över detta."), field="outcome")
        _start_step(escalation, step.position + 1, now)
    else:
        escalation.status = EscalationStatus.RESOLVED
        escalation.save(update_fields=["status", "updated_at"])
    _audit(
        actor,
        Action.CHANGE,
        "meetings.escalation",
        escalation,
        allowed.ground,
        subject_id=str(escalation.child.public_id) if escalation.child_id else "",
        step=step.position,
        outcome=outcome,
    )
    return step
