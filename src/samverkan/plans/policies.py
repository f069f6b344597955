"""Access rules for plans.

A plan is joint information from several organisations about one child. It may be read
(and changed) by staff with ``people.view`` in an organisation taking part:

- the organisation that started the plan holds it as its own documentation;
- every other participant only while a consent covers "insatser" passing from the
  holding organisation to it for the purpose SIP, asked at read time through
  ``access.passing.decide``; the consent is the ground in the audit row.

After a revocation or expiry a participant still learns that a plan existed (it was
called to it), never its content (``plan_existence``). Nobody else learns anything.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core.i18n import lazy_format

from .models import OtherPlan, Plan, PlanOrganisation, PlanStatus

SHARING_CATEGORY = "insatser"
SHARING_PURPOSE = "sip"
PLAN_HOLDER = "plan_holder"
_ACTIONS = {Action.READ, Action.PRINT, Action.EXPORT, Action.CHANGE}


def holder_ground(plan: Plan, organisation_name: str) -> Ground:
    return Ground(
        code=PLAN_HOLDER,
        label=lazy_format(
            gettext_lazy(
                "Verksamhetens egen dokumentation av SIP %(short_id)s (%(organisation_name)s)"
            ),
            short_id=plan.short_id,
            organisation_name=organisation_name,
        ),
        reference=str(plan.public_id),
    )


def participant_ids(plan: Plan) -> set[int]:
    return {p.organisation_id for p in plan.organisations.all()}


def is_participant(actor: Actor, plan: Plan) -> bool:
    return actor.has_perm(Permission.PEOPLE_VIEW) and actor.organisation_id in participant_ids(plan)


def sharing_decision(actor: Actor, plan: Plan, *, facts=None) -> policy.Decision:
    return passing.decide(
        viewer_organisation_id=actor.organisation_id,
        child=plan.child,
        from_organisation_id=plan.started_by_organisation_id,
        to_organisation_id=actor.organisation_id,
        category=SHARING_CATEGORY,
        purpose=SHARING_PURPOSE,
        at=timezone.now(),
        facts=facts,
    )


def decide_plan(actor: Actor, action: str, plan: Plan) -> policy.Decision:
    if action not in _ACTIONS:
        return policy.deny(gettext_lazy("Åtgärden är inte tillåten för en SIP."))
    if not actor.has_perm(Permission.PEOPLE_VIEW):
        return policy.deny(
            lazy_format(
                gettext_lazy("Funktionen %(function_name)s ger inte åtkomst till planer."),
                function_name=actor.function_name,
            )
        )
    if actor.organisation_id not in participant_ids(plan):
        return policy.deny(
            lazy_format(
                gettext_lazy("%(organisation_name)s deltar inte i planen."),
                organisation_name=actor.organisation_name,
            )
        )
    if action == Action.CHANGE and plan.status == PlanStatus.CLOSED:
        return policy.deny(gettext_lazy("Planen är avslutad och kan inte ändras."))
    if actor.organisation_id == plan.started_by_organisation_id:
        return policy.allow(holder_ground(plan, actor.organisation_name))
    decision = sharing_decision(actor, plan, facts=getattr(plan, "_sharing_facts", None))
    if decision.allowed:
        return decision
    return policy.deny(
        lazy_format(
            gettext_lazy("Planens innehåll kan inte visas: %(reason)s"), reason=decision.reason
        )
    )


def _takes_part(actor: Actor, action: str) -> bool:
    return action in _ACTIONS and actor.has_perm(Permission.PEOPLE_VIEW)


@policy.applies_when(_takes_part)
def scope_plans(actor: Actor, action: str, queryset: QuerySet) -> QuerySet:
    """Candidates only: plans the actor's organisation takes part in. Each plan shown
    is then decided one by one (the consent is asked at read time)."""
    return queryset.filter(
        pk__in=PlanOrganisation.objects.filter(organisation_id=actor.organisation_id).values(
            "plan_id"
        )
    )


def decide_other_plan(actor: Actor, action: str, other: OtherPlan) -> policy.Decision:
    if action not in {Action.READ, Action.CHANGE} or not actor.has_perm(Permission.PEOPLE_VIEW):
        return policy.deny("")
    if actor.organisation_id == other.organisation_id:
        return policy.allow(
            Ground(
                code="own_plan",
                label=lazy_format(
                    gettext_lazy("Verksamhetens egen plan (%(organisation_name)s)"),
                    organisation_name=actor.organisation_name,
                ),
            )
        )
    if action != Action.READ:
        return policy.deny(gettext_lazy("Bara verksamheten som äger planen kan ändra den."))
    return passing.decide(
        viewer_organisation_id=actor.organisation_id,
        child=other.child,
        from_organisation_id=other.organisation_id,
        to_organisation_id=actor.organisation_id,
        category=SHARING_CATEGORY,
        purpose=SHARING_PURPOSE,
        facts=getattr(other, "_sharing_facts", None),
    )


def register() -> None:
    policy.register(Plan, decide=decide_plan, scope=scope_plans)
    policy.register(OtherPlan, decide=decide_other_plan)
