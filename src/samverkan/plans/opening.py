"""Starting a SIP: the start (on the consent that covers it), each organisation's
acknowledgement, the preparation; and recording the other plans an organisation has
for the child, which the SIP is fitted to."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.directory import selectors as directory
from samverkan.notify import family as notify_family

from . import content as plan_content
from . import inbox as plan_inbox
from .models import (
    InvitedActor,
    OtherPlan,
    OtherPlanKind,
    Plan,
    PlanOrganisation,
)
from .selectors import start_checks
from .writes import ConsentMissing, _audit, _clean, _for_change, _locked, _new_version, _text


@transaction.atomic
def plan_start(
    *,
    actor: Actor,
    child,
    called_organisation_ids: list[int],
    purpose: str,
    question: str,
    long_term_goal: str = "",
    meeting_at: datetime.datetime | None = None,
    meeting_place: str = "",
    video_link: str = "",
    invited: list[str] | None = None,
) -> Plan:
    """Start a SIP and call the other organisations. Requires a consent for the purpose
    SIP that covers every organisation called; otherwise ``ConsentMissing`` tells, per
    organisation, what is missing."""
    if not actor.has_perm(Permission.PEOPLE_VIEW):
        raise PermissionDenied(gettext("Din funktion får inte starta en SIP."))
    child_decision = policy.decide(actor, Action.READ, child)
    if not child_decision:
        raise NotFound(gettext("Barnet finns inte eller så har du inte behörighet."))
    called = sorted(set(called_organisation_ids) - {actor.organisation_id})
    if not called:
        raise ValidationFailed(
            gettext(
                "Kalla minst en verksamhet till utöver din egen – en SIP görs när flera "
                "verksamheter behöver samordna sina insatser."
            ),
            field="called",
        )
    known = directory.organisations_by_ids(called)
    if len(known) != len(called) or not all(o.is_active for o in known.values()):
        raise ValidationFailed(gettext("En av de valda verksamheterna finns inte."), field="called")
    purpose = _text(
        purpose, field="purpose", max_length=bounds.TEXT_PARAGRAPH, label=gettext("Syftet")
    )
    question = _text(
        question, field="question", max_length=bounds.TEXT_PARAGRAPH, label=gettext("Frågan")
    )
    long_term_goal = _text(long_term_goal, field="long_term_goal", max_length=bounds.TEXT_PARAGRAPH)
    meeting_place = _text(
        meeting_place, field="meeting_place", max_length=bounds.TEXT_LABEL, label=gettext("Platsen")
    )
    video_link = _text(
        video_link, field="video_link", max_length=bounds.TEXT_NAME, label=gettext("Länken")
    )
    if video_link and not video_link.startswith(("https://", "http://")):
        raise ValidationFailed(
            gettext("Länken till videomötet ska börja med https://."), field="video_link"
        )
    if meeting_at is not None and timezone.is_naive(meeting_at):
        meeting_at = timezone.make_aware(meeting_at)
    if not purpose:
        raise ValidationFailed(gettext("Skriv syftet med mötet."), field="purpose")
    if not question:
        raise ValidationFailed(gettext("Skriv frågan som mötet ska besvara."), field="question")
    checks = start_checks(actor, child=child, organisation_ids=called)
    if not all(c.ok for c in checks):
        raise ConsentMissing(checks)
    plan = Plan.objects.create(
        child=child,
        started_by_organisation_id=actor.organisation_id,
        started_by_id=actor.user_id,
        purpose=purpose,
        question=question,
        long_term_goal=long_term_goal,
        meeting_at=meeting_at,
        meeting_place=meeting_place,
        video_link=video_link,
        version=0,
    )
    PlanOrganisation.objects.create(
        plan=plan,
        organisation_id=actor.organisation_id,
        is_starter=True,
        unit_id=actor.unit_id,
        acknowledged_at=timezone.now(),
        acknowledged_by_name=actor.label,
    )
    PlanOrganisation.objects.bulk_create(
        [PlanOrganisation(plan=plan, organisation_id=org_id) for org_id in called]
    )
    InvitedActor.objects.bulk_create(
        [
            InvitedActor(
                plan=plan,
                name=_text(
                    n,
                    field="invited",
                    max_length=bounds.TEXT_LABEL,
                    label=gettext("Namnet på en inbjuden aktör"),
                ),
            )
            for n in invited or []
            if _text(n, field="invited")
        ]
    )
    data = plan_content.empty()
    data["long_term_goal"] = plan.long_term_goal
    _new_version(plan, actor, data, "Kallelse")
    plan.save(update_fields=["version"])
    plan_inbox.call_deliver(plan, called)
    notify_family.item_ready(kind=notify_family.PLAN_CALL, child=plan.child, item=plan)
    _audit(
        actor,
        Action.CREATE,
        plan,
        child_decision.ground,
        called=[known[o].name for o in called],
        consents=sorted({c.decision.ground.label for c in checks}),
    )
    return plan


@transaction.atomic
def plan_acknowledge(
    *, actor: Actor, plan: Plan, unit_id: int | None = None, note: str = ""
) -> PlanOrganisation:
    """A called organisation confirms the call, and may pass it to the right unit of
    its own organisation (e.g. social services' youth unit)."""
    decision = _for_change(actor, plan)
    link = PlanOrganisation.objects.select_for_update().get(
        plan=plan, organisation_id=actor.organisation_id
    )
    if unit_id is not None and not directory.unit_belongs_to(unit_id, actor.organisation_id):
        raise ValidationFailed(gettext("Enheten hör inte till din verksamhet."), field="unit")
    link.acknowledged_at = link.acknowledged_at or timezone.now()
    link.acknowledged_by_name = link.acknowledged_by_name or actor.label
    if unit_id is not None:
        link.unit_id = unit_id
    if _clean(note):
        link.forwarded_note = _clean(note)
    link.save()
    plan_inbox.call_close(plan, actor.organisation_id, actor.user_id)
    if unit_id is not None:
        plan_inbox.passed_deliver(plan, actor.organisation_id, unit_id)
    _audit(actor, Action.CHANGE, plan, decision.ground, acknowledged=True, unit_id=unit_id)
    return link


@transaction.atomic
def plan_prepare(
    *, actor: Actor, plan: Plan, important_to_child: str, important_to_guardians: str
) -> Plan:
    """Record the preparation with the child and the guardians: what is important to
    you? (Mötescirkeln: the person's own question comes first.)"""
    decision = _for_change(actor, plan)
    plan = _locked(plan)
    plan.important_to_child = _clean(important_to_child)
    plan.important_to_guardians = _clean(important_to_guardians)
    plan.prepared_at = timezone.now()
    plan.save(
        update_fields=["important_to_child", "important_to_guardians", "prepared_at", "updated_at"]
    )
    _audit(actor, Action.CHANGE, plan, decision.ground, prepared=True)
    return plan


@transaction.atomic
def other_plan_add(
    *,
    actor: Actor,
    child,
    kind: str,
    purpose: str,
    valid_until: datetime.date | None = None,
) -> OtherPlan:
    """Record another plan the actor's organisation has for the child (åtgärdsprogram,
    vårdplan, genomförandeplan ...), so the SIP participants see how the plans fit."""
    if not actor.has_perm(Permission.PEOPLE_REGISTER):
        raise PermissionDenied(gettext("Din funktion får inte registrera planer."))
    child_decision = policy.decide(actor, Action.CHANGE, child)
    if not child_decision:
        raise NotFound(gettext("Barnet finns inte eller så har du inte behörighet."))
    if kind not in OtherPlanKind.values:
        raise ValidationFailed(gettext("Välj vilken slags plan det är."), field="kind")
    if not _clean(purpose):
        raise ValidationFailed(gettext("Skriv planens syfte."), field="purpose")
    other = OtherPlan.objects.create(
        child=child,
        organisation_id=actor.organisation_id,
        kind=kind,
        purpose=_clean(purpose),
        valid_until=valid_until,
        created_by_name=actor.label,
    )
    audit.event_record(
        actor=actor,
        action=Action.CREATE,
        resource_type="plans.otherplan",
        resource_id=str(other.public_id),
        subject_id=str(child.public_id),
        ground=child_decision.ground,
    )
    return other
