"""Writes of plans. Each function is one transaction and writes its audit row with the
legal ground in that transaction. The content of a plan is never edited in place:
every save and every follow-up adds an immutable ``PlanVersion``; a save based on an
older version is refused (``StaleWrite``), so nothing anybody wrote is lost."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, StaleWrite, ValidationFailed
from samverkan.directory import selectors as directory
from samverkan.knowledge import services as knowledge
from samverkan.notify import family as notify_family

from . import content as plan_content
from . import inbox as plan_inbox
from .models import (
    EffortAssessment,
    EffortStatus,
    FollowUp,
    InvitedActor,
    OtherPlan,
    OtherPlanKind,
    Plan,
    PlanOrganisation,
    PlanStatus,
    PlanVersion,
    Reminder,
)
from .selectors import REMINDER_DAYS, OrganisationCheck, start_checks

TARGET_TYPE = "plans.plan"
UNCHANGED = gettext_lazy("Inget att spara – planen är oförändrad.")


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


def _for_change(actor: Actor, plan: Plan) -> policy.Decision:
    decision = policy.decide(actor, Action.CHANGE, plan)
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("child").get(pk=plan.pk)


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


@dataclass(frozen=True)
class EffortInput:
    title: str
    organisation_id: int
    responsible: str
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    status: str = EffortStatus.NOT_STARTED
    key: str = ""


class PlanIncomplete(ValidationFailed):
    """A save would leave the plan without something the law requires it to show
    (``content.REQUIRED``). ``missing`` holds every (field, message) pair."""

    def __init__(self, missing: list[tuple[str, str]]):
        self.missing = missing
        super().__init__(
            gettext("Planen är inte komplett. ") + " ".join(str(text) for _, text in missing),
            field=missing[0][0],
            code="incomplete",
        )


def _coordinator(user_id: int | None, participants: set[int]):
    """The coordinator's membership: staff of one of the participating organisations,
    in a function that may work with plans (the coordinator must be able to open the
    plan they coordinate; an auditor or administrator cannot)."""
    if user_id is None:
        return None
    for org_id in sorted(participants):
        for membership in directory.memberships_of_organisation(org_id):
            if (
                membership.user_id == user_id
                and membership.user.is_active
                and Permission.PEOPLE_VIEW in membership.function.permissions
            ):
                return membership
    raise ValidationFailed(
        gettext(
            "Samordnaren ska arbeta i en av de deltagande verksamheterna, i en funktion som "
            "arbetar med planer (inte till exempel granskare eller administratör)."
        ),
        field="coordinator",
    )


def _stale(plan: Plan, expected_version: int) -> None:
    if plan.version != expected_version:
        raise StaleWrite(
            gettext(
                "Någon annan har sparat planen (version %(version)s) sedan du öppnade "
                "version %(expected_version)s. Dina ändringar är inte sparade men finns "
                "kvar i formuläret: jämför med den nya versionen och spara igen."
            )
            % {"version": plan.version, "expected_version": expected_version},
            code="stale",
        )


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def inputs_from_content(data: dict) -> dict:
    """The latest version as the keyword arguments of ``plan_save`` (for PATCH)."""
    return {
        "needs": list(data.get("needs", [])),
        "long_term_goal": data.get("long_term_goal", ""),
        "short_term_goals": list(data.get("short_term_goals", [])),
        "efforts": [
            EffortInput(
                title=e["title"],
                organisation_id=e["organisation_id"],
                responsible=e["responsible"],
                starts_on=_date(e.get("starts_on", "")),
                ends_on=_date(e.get("ends_on", "")),
                status=e["status"],
                key=e["key"],
            )
            for e in data.get("efforts", [])
        ],
        "others_do": data.get("others_do", ""),
        "responsible_organisation_id": data.get("responsible_organisation_id"),
        "coordinator_user_id": data.get("coordinator_user_id"),
        "participants": data.get("participants", ""),
        "disagreements": data.get("disagreements", ""),
        "follow_up_on": _date(data.get("follow_up_on", "")),
        "child_words": data.get("child_words", ""),
    }


PATCHABLE = frozenset(inputs_from_content({}))


@transaction.atomic
def plan_save(
    *,
    actor: Actor,
    plan: Plan,
    expected_version: int,
    needs: list[str],
    long_term_goal: str,
    short_term_goals: list[str],
    efforts: list[EffortInput],
    others_do: str = "",
    responsible_organisation_id: int | None = None,
    coordinator_user_id: int | None = None,
    participants: str = "",
    disagreements: str = "",
    follow_up_on: datetime.date | None = None,
    child_words: str = "",
    factor_codes: list[str] | None = None,
    comment: str = "",
) -> Plan:
    """Save the whole plan as a new version. ``expected_version`` is the version the
    user opened; if somebody saved since, nothing is written and ``StaleWrite`` is
    raised. The plan must show everything ``content.REQUIRED`` names, else
    ``PlanIncomplete``. When nothing differs from the latest version no version is
    made: the plan comes back with its version number unchanged."""
    decision = _for_change(actor, plan)
    plan = _locked(plan)
    _stale(plan, expected_version)
    return _save(
        actor,
        plan,
        decision,
        needs=needs,
        long_term_goal=long_term_goal,
        short_term_goals=short_term_goals,
        efforts=efforts,
        others_do=others_do,
        responsible_organisation_id=responsible_organisation_id,
        coordinator_user_id=coordinator_user_id,
        participants=participants,
        disagreements=disagreements,
        follow_up_on=follow_up_on,
        child_words=child_words,
        factor_codes=factor_codes,
        comment=comment,
    )


@transaction.atomic
def plan_patch(
    *, actor: Actor, plan: Plan, expected_version: int, changes: dict, comment: str = ""
) -> Plan:
    """Change some parts of the plan (PATCH): what ``changes`` names replaces the same
    part of the latest version (a list, such as ``efforts``, as a whole); the rest is
    kept. The result must be a complete plan, exactly as for ``plan_save``."""
    unknown = set(changes) - PATCHABLE
    if unknown:
        raise ValidationFailed(
            gettext("Okänt fält: %(join)s.") % {"join": ", ".join(sorted(unknown))}
        )
    decision = _for_change(actor, plan)
    plan = _locked(plan)
    _stale(plan, expected_version)
    inputs = inputs_from_content(latest_content(plan))
    inputs.update(changes)
    return _save(actor, plan, decision, **inputs, comment=comment)


def _save(
    actor: Actor,
    plan: Plan,
    decision: policy.Decision,
    *,
    needs: list[str],
    long_term_goal: str,
    short_term_goals: list[str],
    efforts: list[EffortInput],
    others_do: str,
    responsible_organisation_id: int | None,
    coordinator_user_id: int | None,
    participants: str,
    disagreements: str,
    follow_up_on: datetime.date | None,
    child_words: str,
    factor_codes: list[str] | None = None,
    comment: str = "",
) -> Plan:
    """The version the inputs make, checked; ``plan`` is locked and not stale."""
    participants_ids = {p.organisation_id for p in plan.organisations.all()}
    organisations = directory.organisations_by_ids(participants_ids)
    if responsible_organisation_id is not None and (
        responsible_organisation_id not in participants_ids
    ):
        raise ValidationFailed(
            gettext("Huvudansvaret ska ligga på en av de deltagande verksamheterna."),
            field="responsible_organisation",
        )
    if (
        follow_up_on is not None
        and follow_up_on < timezone.localdate()
        and follow_up_on != plan.follow_up_on
    ):
        raise ValidationFailed(
            gettext("Uppföljningen kan inte ligga bakåt i tiden."), field="follow_up_on"
        )
    membership = _coordinator(coordinator_user_id, participants_ids)
    latest = latest_content(plan)
    previous = {e["key"]: e for e in latest.get("efforts", [])}
    effort_rows = []
    for e in efforts:
        if not _clean(e.title):
            continue
        label = gettext("Insatsens rubrik och ansvarig")
        _text(e.title, field="efforts", max_length=bounds.TEXT_LABEL, label=label)
        _text(e.responsible, field="efforts", max_length=bounds.TEXT_LABEL, label=label)
        if e.organisation_id not in participants_ids:
            raise ValidationFailed(
                gettext("Insatsen ”%(title)s” ska ha en deltagande verksamhet som ansvarig.")
                % {"title": e.title},
                field="efforts",
            )
        if not _clean(e.responsible):
            raise ValidationFailed(
                gettext("Ange namngiven ansvarig person eller funktion för ”%(title)s”.")
                % {"title": e.title},
                field="efforts",
            )
        if e.starts_on and e.ends_on and e.ends_on < e.starts_on:
            raise ValidationFailed(
                gettext("Tidsramen för ”%(title)s” slutar före start.") % {"title": e.title},
                field="efforts",
            )
        if e.status not in EffortStatus.values:
            raise ValidationFailed(gettext("Okänd status för en insats."), field="efforts")
        effort_rows.append(
            plan_content.effort(
                title=e.title,
                organisation_id=e.organisation_id,
                organisation_name=organisations[e.organisation_id].name,
                responsible=e.responsible,
                starts_on=e.starts_on,
                ends_on=e.ends_on,
                status=e.status,
                key=e.key if e.key in previous else "",
            )
        )
    data = plan_content.empty()
    data.update(
        {
            "needs": plan_content.lines(needs),
            "long_term_goal": _clean(long_term_goal),
            "short_term_goals": plan_content.lines(short_term_goals),
            "efforts": effort_rows,
            "others_do": _clean(others_do),
            "responsible_organisation_id": responsible_organisation_id,
            "responsible_organisation_name": organisations[responsible_organisation_id].name
            if responsible_organisation_id
            else "",
            "coordinator_user_id": coordinator_user_id,
            "coordinator_name": (
                f"{membership.user.get_full_name()}, {membership.function.name}, "
                f"{organisations[membership.organisation_id].name}"
            )
            if membership
            else "",
            "coordinator_organisation_id": membership.organisation_id if membership else None,
            "participants": _clean(participants),
            "disagreements": _clean(disagreements),
            "follow_up_on": follow_up_on.isoformat() if follow_up_on else "",
            "child_words": _clean(child_words),
        }
    )
    missing = plan_content.missing(data)
    if missing:
        raise PlanIncomplete(missing)
    if factor_codes is not None:
        knowledge.factor_tags_set(
            actor=actor,
            target_type=TARGET_TYPE,
            target_id=plan.public_id,
            child_id=plan.child.public_id,
            factor_codes=factor_codes,
        )
    if _same_content(data, latest):
        return plan  # nothing to save: no new version
    version = _new_version(plan, actor, data, comment)
    plan.long_term_goal = data["long_term_goal"]
    plan.coordinator_id = coordinator_user_id
    plan.coordinator_organisation_id = data["coordinator_organisation_id"]
    plan.follow_up_on = follow_up_on
    first_meeting = plan.status == PlanStatus.CALLED
    if first_meeting:
        plan.status = PlanStatus.ACTIVE
    plan.save()
    if first_meeting:
        plan_inbox.first_meeting_held(plan, actor.user_id)
    plan_inbox.efforts_deliver(
        plan,
        effort_rows,
        {p.organisation_id: p.unit_id for p in plan.organisations.all()},
        actor.organisation_id,
    )
    _audit(actor, Action.CHANGE, plan, decision.ground, version=version.number)
    return plan


def _same_content(new: dict, old: dict) -> bool:
    """Whether a save would repeat the latest version (JSON round trip: what is stored
    is compared with what would be stored)."""
    return json.loads(json.dumps(new)) == json.loads(json.dumps({**plan_content.empty(), **old}))


@dataclass(frozen=True)
class AssessmentInput:
    effort_key: str
    status: str
    effect: str = ""


@transaction.atomic
def followup_record(
    *,
    actor: Actor,
    plan: Plan,
    held_on: datetime.date,
    assessments: list[AssessmentInput],
    note: str = "",
    next_follow_up_on: datetime.date | None = None,
) -> FollowUp:
    """A follow-up meeting: each effort assessed (done, ongoing, not started, and its
    effect). When the efforts' statuses or the next follow-up date change they go into
    a new version; a follow-up that records nothing at all (no change, no note, no
    effect) is refused with ``UNCHANGED``."""
    decision = _for_change(actor, plan)
    plan = _locked(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationFailed(gettext("Planen är inte upprättad än – upprätta den först."))
    if held_on > timezone.localdate():
        raise ValidationFailed(
            gettext("Uppföljningen kan inte ligga i framtiden."), field="held_on"
        )
    if next_follow_up_on is not None and next_follow_up_on <= held_on:
        raise ValidationFailed(
            gettext("Nästa uppföljning ska ligga efter den här."), field="next_follow_up_on"
        )
    latest = latest_content(plan)
    data = json.loads(json.dumps(latest))
    efforts = {e["key"]: e for e in data.get("efforts", [])}
    given = {a.effort_key: a for a in assessments}
    if set(given) != set(efforts):
        raise ValidationFailed(gettext("Bedöm varje insats i planen."), field="assessments")
    for a in assessments:
        if a.status not in EffortStatus.values:
            raise ValidationFailed(gettext("Välj status för varje insats."), field="assessments")
        efforts[a.effort_key]["status"] = a.status
    if next_follow_up_on is not None:
        data["follow_up_on"] = next_follow_up_on.isoformat()
    content_changed = not _same_content(data, latest)
    if not (content_changed or _clean(note) or any(_clean(a.effect) for a in assessments)):
        raise ValidationFailed(UNCHANGED, code="unchanged")
    if content_changed:
        _new_version(
            plan,
            actor,
            data,
            gettext("Uppföljning %(held_on)s") % {"held_on": format(held_on, "%Y-%m-%d")},
        )
    if next_follow_up_on is not None:
        plan.follow_up_on = next_follow_up_on
    plan.save()
    follow_up = FollowUp.objects.create(
        plan=plan,
        held_on=held_on,
        note=_clean(note),
        next_follow_up_on=next_follow_up_on,
        recorded_at=timezone.now(),
        recorded_by_name=actor.label,
        version_number=plan.version,
    )
    EffortAssessment.objects.bulk_create(
        [
            EffortAssessment(
                follow_up=follow_up,
                effort_key=a.effort_key,
                effort_title=efforts[a.effort_key]["title"][:300],
                status=a.status,
                effect=_clean(a.effect),
            )
            for a in assessments
        ]
    )
    _audit(actor, Action.CHANGE, plan, decision.ground, follow_up=str(held_on))
    return follow_up


@transaction.atomic
def plan_close(*, actor: Actor, plan: Plan, reason: str) -> Plan:
    decision = _for_change(actor, plan)
    if not _clean(reason):
        raise ValidationFailed(gettext("Skriv varför planen avslutas."), field="reason")
    plan = _locked(plan)
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.closed_reason = _clean(reason)
    plan.save()
    plan_inbox.plan_closed(plan, actor.user_id)
    _audit(actor, Action.CHANGE, plan, decision.ground, closed=True)
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


def plans_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Record a reminder to the coordinator before each follow-up date (once per plan
    and date). The coordinator sees it on the start page."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"reminders": 0}
    due = (
        Plan.objects.filter(
            status=PlanStatus.ACTIVE,
            coordinator__isnull=False,
            follow_up_on__lte=today + datetime.timedelta(days=REMINDER_DAYS),
        )
        .exclude(reminders__follow_up_on=F("follow_up_on"))
        .select_related("child")
    )
    for plan in due:
        try:
            with transaction.atomic():
                Reminder.objects.create(plan=plan, follow_up_on=plan.follow_up_on, created_at=now)
                plan_inbox.follow_up_deliver(plan)
                notify_family.item_ready(
                    kind=notify_family.FOLLOW_UP_DUE, child=plan.child, item=plan
                )
        except IntegrityError:
            continue  # another sweep recorded it first
        counts["reminders"] += 1
    counts["first_meeting_clocks"] = plan_inbox.first_meeting_clocks_ensure()
    return counts
