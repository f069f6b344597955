"""Reads of plans, through the access policy, every one audited with its ground.

A participant whose consent no longer covers learns that the plan exists (it was called
to it) but gets none of its content: ``PlanWithheld`` (HTTP 403 with the reason).
Anybody else gets ``NotFound``, exactly as if the plan did not exist."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import passing, pipeline, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.consent import services as consent_services
from samverkan.consent import sharing
from samverkan.core import paging
from samverkan.core.errors import NotFound, PermissionDenied
from samverkan.directory import selectors as directory
from samverkan.knowledge import diff
from samverkan.knowledge import selectors as knowledge

from . import content as plan_content
from . import family as plan_family
from . import meetings as plan_meetings
from . import policies
from .models import FollowUp, OtherPlan, Plan, PlanOrganisation, PlanStatus, PlanVersion

TARGET_TYPE = "plans.plan"
# The coordinator is reminded this many days before a follow-up date.
REMINDER_DAYS = 7


class PlanWithheld(PermissionDenied):
    """The actor's organisation takes part, but no ground lets the content pass now."""

    def __init__(self, plan: Plan, reason: str):
        super().__init__(reason, code="no_ground")
        self.plan = plan


@dataclass(frozen=True)
class OrganisationCheck:
    """Whether the consent lets the plan's information pass to one called
    organisation, and if not, exactly why (the Decision's reason)."""

    organisation: object
    decision: policy.Decision

    @property
    def ok(self) -> bool:
        return self.decision.allowed


def start_checks(actor: Actor, *, child, organisation_ids) -> list[OrganisationCheck]:
    """For each called organisation: may "insatser" about the child pass to it from the
    actor's organisation for the purpose SIP now? Asked through ``access.passing`` at
    call time; a refusal is explained for the calling organisation."""
    organisations = directory.organisations_by_ids(set(organisation_ids))
    decisions = passing.decide_each(
        actor,
        child=child,
        to_organisation_ids=[o for o in organisation_ids if o in organisations],
        category=policies.SHARING_CATEGORY,
        purpose=policies.SHARING_PURPOSE,
    )
    return [
        OrganisationCheck(organisation=organisations[org_id], decision=decision)
        for org_id, decision in decisions.items()
    ]


@dataclass
class PlanView:
    plan: Plan
    decision: policy.Decision
    content: dict
    organisations: list[PlanOrganisation]
    invited: list
    follow_ups: list[FollowUp] = field(default_factory=list)
    factors: list = field(default_factory=list)
    family: object = None  # family.FamilyRecords: what the family wrote in the portal
    # The next follow-up meeting's time and place, and every one set (decision 0336).
    follow_up_meeting: object = None
    follow_up_meetings: list = field(default_factory=list)

    @property
    def efforts(self) -> list[dict]:
        return self.content.get("efforts", [])

    @property
    def follow_up_on(self) -> datetime.date | None:
        value = self.content.get("follow_up_on")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def overdue(self) -> bool:
        return (
            self.plan.status == PlanStatus.ACTIVE
            and self.follow_up_on is not None
            and self.follow_up_on < timezone.localdate()
        )


def _plans_qs():
    return Plan.objects.select_related(
        "child", "started_by_organisation", "coordinator"
    ).prefetch_related(
        Prefetch(
            "organisations",
            queryset=PlanOrganisation.objects.select_related("organisation", "unit"),
        ),
        "invited",
    )


def _load(public_id) -> Plan:
    try:
        return _plans_qs().get(public_id=public_id)
    except (Plan.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Planen finns inte eller så har du inte behörighet.")) from exc


def _record_read(actor: Actor, action: str, plan: Plan, decision: policy.Decision) -> None:
    """The audit row of an allowed read. Content passing from the holding organisation
    to another on a consent is also recorded as a disclosure under that consent."""
    if action == Action.READ and decision.ground.code == sharing.CONSENT:
        consent_services.disclosure_record(
            actor=actor,
            child=plan.child,
            decision=decision,
            from_organisation_id=plan.started_by_organisation_id,
            category=policies.SHARING_CATEGORY,
            purpose=policies.SHARING_PURPOSE,
            what=f"SIP {plan.short_id}, version {plan.version}",
            resource_type="plans.plan",
            resource_id=str(plan.public_id),
        )
        return
    policy.record(actor, action, plan, decision, subject_id=str(plan.child.public_id))


def plan_authorize(actor: Actor, plan: Plan, action: str = Action.READ) -> policy.Decision:
    """Decide and audit one access to ``plan``; raise PlanWithheld or NotFound."""
    decision = policy.decide(actor, action, plan)
    if decision.allowed:
        _record_read(actor, action, plan, decision)
        return decision
    policy.record(actor, action, plan, decision, subject_id=str(plan.child.public_id))
    if action != Action.CHANGE and policies.is_participant(actor, plan):
        raise PlanWithheld(plan, decision.reason)
    if action == Action.CHANGE and policies.is_participant(actor, plan):
        raise PermissionDenied(decision.reason)
    raise NotFound(_("Planen finns inte eller så har du inte behörighet."))


def _content(plan: Plan) -> dict:
    row = PlanVersion.objects.filter(plan=plan, number=plan.version).first()
    return dict(row.content) if row else plan_content.empty()


def plan_get(actor: Actor, public_id, *, action: str = Action.READ) -> PlanView:
    plan = _load(public_id)
    decision = plan_authorize(actor, plan, action)
    follow_ups = list(
        FollowUp.objects.filter(plan=plan).prefetch_related("assessments").order_by("-held_on")
    )
    factors = knowledge.factor_tags_for(
        actor, target_type=TARGET_TYPE, target_ids=[plan.public_id]
    )[plan.public_id]
    return PlanView(
        plan=plan,
        decision=decision,
        content=_content(plan),
        organisations=list(plan.organisations.all()),
        invited=list(plan.invited.all()),
        follow_ups=follow_ups,
        factors=factors,
        family=plan_family.family_records(plan),
        follow_up_meeting=plan_meetings.current(plan),
        follow_up_meetings=plan_meetings.history(plan),
    )


def plan_for_change(actor: Actor, public_id) -> Plan:
    """The plan, if the actor may change it (the service decides again and audits)."""
    plan = _load(public_id)
    decision = policy.decide(actor, Action.CHANGE, plan)
    if decision.allowed:
        return plan
    if policies.is_participant(actor, plan):
        raise PermissionDenied(decision.reason)
    raise NotFound(_("Planen finns inte eller så har du inte behörighet."))


def may_add_other_plan(actor: Actor, child) -> bool:
    """Whether the actor may record another plan the organisation has for the child:
    a function that registers, in an organisation that may change the child's record
    (its own open matter)."""
    return actor.has_perm(Permission.PEOPLE_REGISTER) and bool(
        policy.decide(actor, Action.CHANGE, child)
    )


@dataclass
class PlanSummary:
    plan: Plan
    visible: bool
    reason: str
    ground_label: str
    ground: object = None  # the audit Ground it is shown on (None when withheld)


def _summaries(results) -> list[PlanSummary]:
    return [
        PlanSummary(
            plan=r.resource,
            visible=r.shown,
            reason="" if r.shown else r.explanation,
            ground_label=r.ground.label if r.shown else "",
            ground=r.ground if r.shown else None,
        )
        for r in results
    ]


def plans_for_child(actor: Actor, child) -> list[PlanSummary]:
    """The child's SIPs the actor's organisation takes part in: with content where a
    ground covers now, otherwise only that the plan exists and why nothing more shows
    (for the viewer's own domain). Through the disclosure pipeline: one audit row per
    plan, in one insert."""
    return _summaries(
        pipeline.disclose(
            actor,
            Action.READ,
            _plans_qs().filter(child=child).order_by("-created_at"),
            subject=lambda plan: str(child.public_id),
            reason="Lista över planer",
            prepare=_with_facts,
        )
    )


def _with_facts(plans: list[Plan]) -> list[Plan]:
    """Load the sharing facts (custody, involvements, consents) once per child, not
    once per plan, for lists of plans."""
    facts: dict[int, sharing.ChildFacts] = {}
    for plan in plans:
        if plan.child_id not in facts:
            facts[plan.child_id] = sharing.ChildFacts.load(plan.child)
        plan._sharing_facts = facts[plan.child_id]
    return plans


def plans_for_actor(actor: Actor, *, page: int = 1) -> paging.Page:
    """The SIPs the actor's organisation takes part in, page by page (decision 0092),
    newest first, as for one child: content only where a ground covers now. Through the
    disclosure pipeline. The page's items are ``PlanSummary``s."""
    result = paging.page_of(
        policy.visible(actor, Action.READ, Plan.objects.all())
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True),
        page,
    )
    result.items = _summaries(
        pipeline.disclose(
            actor,
            Action.READ,
            _plans_qs().filter(pk__in=list(result.items)).order_by("-created_at", "-pk"),
            subject=lambda plan: str(plan.child.public_id),
            reason="Lista över planer",
            prepare=_with_facts,
        )
    )
    return result


@dataclass
class VersionInfo:
    number: int
    created_at: datetime.datetime
    author_name: str
    comment: str


def versions(plan: Plan) -> list[VersionInfo]:
    """The versions of a plan the caller has already been allowed to read."""
    return [
        VersionInfo(v.number, v.created_at, v.author_name, v.comment)
        for v in PlanVersion.objects.filter(plan=plan)
        .only("number", "created_at", "author_name", "comment")
        .order_by("-number")
    ]


@dataclass
class FieldChange:
    name: str
    label: str
    segments: list[diff.Segment]


@dataclass
class Comparison:
    view: PlanView
    older: PlanVersion
    newer: PlanVersion
    changes: list[FieldChange]


def version_compare(actor: Actor, public_id, older: int, newer: int) -> Comparison:
    view = plan_get(actor, public_id)
    rows = {
        v.number: v for v in PlanVersion.objects.filter(plan=view.plan, number__in=[older, newer])
    }
    if older not in rows or newer not in rows:
        raise NotFound(_("Versionen finns inte."))
    a, b = rows[older].content, rows[newer].content
    changes = []
    for name, label in plan_content.FIELDS:
        before, after = plan_content.field_text(a, name), plan_content.field_text(b, name)
        if before != after:
            changes.append(FieldChange(name, label, diff.words_diff(before, after)))
    return Comparison(view=view, older=rows[older], newer=rows[newer], changes=changes)


@dataclass
class OtherPlanView:
    other: OtherPlan
    ground_label: str
    own: bool


def other_plans_for_child(actor: Actor, child) -> list[OtherPlanView]:
    """Other plans for the child: the actor's organisation's own, and other
    organisations' where a consent covers "insatser" passing for SIP now. Each other
    organisation's plan shown is a recorded disclosure."""
    others = list(OtherPlan.objects.filter(child=child).select_related("organisation", "child"))
    if not others:
        return []
    facts = sharing.ChildFacts.load(child)
    views = []
    for other in others:
        other._sharing_facts = facts
        decision = policy.decide(actor, Action.READ, other)
        if not decision.allowed:
            continue
        own = other.organisation_id == actor.organisation_id
        if own:
            policy.record(actor, Action.READ, other, decision, subject_id=str(child.public_id))
        else:
            consent_services.disclosure_record(
                actor=actor,
                child=child,
                decision=decision,
                from_organisation_id=other.organisation_id,
                category=policies.SHARING_CATEGORY,
                purpose=policies.SHARING_PURPOSE,
                what=f"Annan plan: {other.get_kind_display()}",
                resource_type="plans.otherplan",
                resource_id=str(other.public_id),
            )
        views.append(OtherPlanView(other=other, ground_label=decision.ground.label, own=own))
    return views


@dataclass
class CoordinatorItem:
    plan: Plan
    follow_up_on: datetime.date
    overdue: bool
    reminded: bool


def coordinator_follow_ups(actor: Actor) -> list[CoordinatorItem]:
    """For the coordinator's start page: plans they coordinate whose follow-up is due
    within the reminder window or overdue. Each shown is an audited read."""
    if not actor.has_membership:
        return []
    today = timezone.localdate()
    plans = _with_facts(
        list(
            policy.visible(
                actor,
                Action.READ,
                Plan.objects.filter(
                    coordinator_id=actor.user_id,
                    status=PlanStatus.ACTIVE,
                    follow_up_on__lte=today + datetime.timedelta(days=REMINDER_DAYS),
                ),
            )
            .select_related("child")
            .prefetch_related("organisations", "reminders")
            .order_by("follow_up_on")[:20]
        )
    )
    items, entries = [], []
    for plan in plans:
        decision = policy.decide(actor, Action.READ, plan)
        if not decision.allowed:
            continue
        items.append(
            CoordinatorItem(
                plan=plan,
                follow_up_on=plan.follow_up_on,
                overdue=plan.follow_up_on < today,
                reminded=any(r.follow_up_on == plan.follow_up_on for r in plan.reminders.all()),
            )
        )
        entries.append(
            {
                "actor": actor,
                "action": Action.READ,
                "resource_type": "plans.plan",
                "resource_id": str(plan.public_id),
                "subject_id": str(plan.child.public_id),
                "ground": decision.ground,
                "reason": "Uppföljningar att samordna",
            }
        )
    audit.events_record(entries)
    return items


def coordinator_choices(plan: Plan) -> list[tuple[int, str]]:
    """Staff of the participating organisations who may work with plans (the
    coordinator is chosen among them at the meeting and must be able to open the plan;
    auditors and administrators are not offered). The same rule as the service's."""
    choices, seen = [], set()
    for link in plan.organisations.all():
        for m in directory.memberships_of_organisation(link.organisation_id):
            if (
                m.user_id in seen
                or not m.user.is_active
                or Permission.PEOPLE_VIEW not in m.function.permissions
            ):
                continue
            seen.add(m.user_id)
            choices.append(
                (
                    m.user_id,
                    f"{m.user.get_full_name()}, {m.function.name} ({link.organisation.name})",
                )
            )
    return choices


def units_of(organisation_id: int) -> list:
    """Units of the actor's own organisation, to pass a call to the right one."""
    organisation = directory.organisations_by_ids([organisation_id]).get(organisation_id)
    return list(organisation.units.filter(is_active=True)) if organisation else []


# For the knowledge app's factor tags on plans (registered in apps.py).
def tag_authorize(actor: Actor, target_id, child_id) -> Ground:
    plan = _load(target_id)
    if str(plan.child.public_id) != str(child_id):
        raise NotFound()
    decision = policy.decide(actor, Action.CHANGE, plan)
    if not decision.allowed:
        raise NotFound()
    return decision.ground


def tag_visible_for_child(actor: Actor, child_id) -> list:
    child_plans = _plans_qs().filter(child__public_id=child_id)
    result, entries = [], []
    for plan in _with_facts(list(policy.visible(actor, Action.READ, child_plans))):
        decision = policy.decide(actor, Action.READ, plan)
        if not decision.allowed:
            continue
        result.append(plan.public_id)
        entries.append(
            {
                "actor": actor,
                "action": Action.READ,
                "resource_type": "plans.plan",
                "resource_id": str(plan.public_id),
                "subject_id": str(child_id),
                "ground": decision.ground,
                "reason": "Risk- och skyddsfaktorer",
            }
        )
    audit.events_record(entries)
    return result
