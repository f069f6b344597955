"""The family's side of a SIP in the family portal (issue 17, decision 0270).

A guardian or the young person (a family ``Actor``, decision 0200) reads the child's
plans — the call, the current version, the follow-ups — and takes part in them:
answers the call to the meeting (comes, cannot come, proposes another time), writes
what is important to them before the meeting, and the young person writes their own
words and goals for the coordinator to take in. Nothing here is a staff rule: the
family rule below is registered with ``policy.register_family`` and decides alone.

What a family member never gets here: a plan that names an organisation that must not
be named to the guardians (``concerns.family``), or any plan of a child with protected
identity (an organisation, a meeting place or a unit could tell where the child is);
risk and protective factors, acknowledgements and forwarding notes of the called
organisations (staff-only). A young person's own words reach the plan's participants,
not the guardians (a young person may have things to say that they do not want to say
in front of them); the coordinator takes them into the plan with the young person.

Every read goes through the disclosure pipeline (one audit row per plan, the family
member as actor); every statement and answer is audited and told to the coordinator
(else the person who started the plan) in their inbox.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.access import pipeline, policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.concerns import family as concerns_family
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.people import family as people_family
from samverkan.people.policies import SELF, family_relation, identified_family_member

from . import inbox as plan_inbox
from . import meetings
from .models import (
    FamilyAuthor,
    FamilyStatement,
    FamilyTopic,
    FollowUp,
    FollowUpMeeting,
    MeetingAnswer,
    MeetingReply,
    Plan,
    PlanOrganisation,
    PlanStatus,
    PlanVersion,
)

_READS = {Action.READ, Action.PRINT}
_CLOSED = gettext_lazy("Planen är avslutad. Kontakta samordnaren om du vill säga något om den.")


# The family rule ----------------------------------------------------------------------


def _texts_of(plan: Plan) -> list[str]:
    """Every text of the plan a family member would read, lower-cased."""
    texts = [plan.purpose, plan.question, plan.meeting_place, plan.long_term_goal]
    texts += [i.name for i in plan.invited.all()]
    texts += [m.place for m in FollowUpMeeting.objects.filter(plan=plan)]
    for version in PlanVersion.objects.filter(plan=plan, number=plan.version):
        texts += [str(v) for v in _flatten(version.content)]
    for follow_up in FollowUp.objects.filter(plan=plan).prefetch_related("assessments"):
        texts.append(follow_up.note)
        texts += [a.effect for a in follow_up.assessments.all()]
    return [t.casefold() for t in texts if t]


def _flatten(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)
    elif value not in (None, ""):
        yield value


def _organisation_ids_in(plan: Plan) -> set[int]:
    ids = {link.organisation_id for link in plan.organisations.all()}
    ids |= {plan.started_by_organisation_id, plan.coordinator_organisation_id}
    for version in PlanVersion.objects.filter(plan=plan, number=plan.version):
        content = version.content
        ids |= {
            content.get("responsible_organisation_id"),
            content.get("coordinator_organisation_id"),
        }
        ids |= {e.get("organisation_id") for e in content.get("efforts", [])}
    return {i for i in ids if i}


def names_hidden_organisation(plan: Plan) -> bool:
    """Whether the plan names, anywhere a family member would read, an organisation
    that must not be named to the guardians: as a participant, in an effort, as the
    responsible one or the coordinator's, or by its name in any text of the plan."""
    hidden = concerns_family.organisations_not_to_name(plan.child)
    if not hidden:
        return False
    if _organisation_ids_in(plan) & hidden:
        return True
    from samverkan.directory import selectors as directory

    names = [o.name.casefold() for o in directory.organisations_by_ids(hidden).values()]
    return any(name and name in text for text in _texts_of(plan) for name in names)


def decide_plan_for_family(actor: Actor, action: str, plan: Plan) -> policy.Decision:
    """A family member may read (and print) the SIPs of a child the people app's family
    rule lets them see, and write to them (``CREATE``: a statement, an answer) while the
    plan is open; never a plan of a child with protected identity, nor one that names
    an organisation the guardians must not be told of."""
    if action not in _READS and action != Action.CREATE:
        return policy.deny(gettext_lazy("Åtgärden är inte tillåten."))
    decision = policy.decide(actor, Action.READ, plan.child)
    if not decision.allowed:
        return decision
    if plan.child.protected_identity or names_hidden_organisation(plan):
        # The same answer as for a plan that does not exist.
        return policy.deny(gettext_lazy("Planen finns inte."))
    if action == Action.CREATE and plan.status == PlanStatus.CLOSED:
        return policy.deny(_CLOSED)
    return decision


@policy.applies_when(identified_family_member)
def family_plans_condition(actor: Actor, action: str) -> Q | None:
    """Candidates: the plans of the children the family rule could allow."""
    return Q(child_id__in=people_family.child_ids(actor))


def register() -> None:
    policy.register_family(Plan, decide=decide_plan_for_family, condition=family_plans_condition)


# Reads --------------------------------------------------------------------------------


def author_ref(actor: Actor) -> str:
    """Who wrote a statement or an answer: the family member's portal account."""
    return f"familj-{actor.family_id}"


@dataclass
class FamilyPlan:
    plan: Plan
    relation: str  # "guardian" or "self"
    content: dict
    organisations: list[PlanOrganisation]
    invited: list
    follow_ups: list[FollowUp]
    statements: dict[str, FamilyStatement] = field(default_factory=dict)  # mine, by topic
    answer: MeetingAnswer | None = None  # mine, for the meeting time shown now
    # The next follow-up meeting (decision 0336), and my answer and words for it.
    follow_up_meeting: FollowUpMeeting | None = None
    follow_up_answer: MeetingAnswer | None = None
    follow_up_statement: FamilyStatement | None = None

    @property
    def public_id(self):
        return self.plan.public_id

    @property
    def short_id(self) -> str:
        return self.plan.short_id

    @property
    def is_self(self) -> bool:
        return self.relation == SELF

    @property
    def is_open(self) -> bool:
        return self.plan.status != PlanStatus.CLOSED

    @property
    def established(self) -> bool:
        return self.plan.status != PlanStatus.CALLED

    @property
    def efforts(self) -> list[dict]:
        return self.content.get("efforts", [])

    @property
    def follow_up_on(self) -> datetime.date | None:
        value = self.content.get("follow_up_on")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def may_answer(self) -> bool:
        return (
            self.is_open
            and self.plan.meeting_at is not None
            and self.plan.meeting_at > timezone.now()
        )

    @property
    def may_answer_follow_up(self) -> bool:
        return self.is_open and self.follow_up_meeting is not None

    @property
    def may_write_own_words(self) -> bool:
        return self.is_open and self.is_self


@dataclass(frozen=True)
class FamilyPlanSummary:
    plan: Plan

    @property
    def public_id(self):
        return self.plan.public_id

    @property
    def short_id(self) -> str:
        return self.plan.short_id


def _plans_qs():
    return Plan.objects.select_related("child", "started_by_organisation").prefetch_related(
        Prefetch(
            "organisations",
            queryset=PlanOrganisation.objects.select_related("organisation", "unit"),
        ),
        "invited",
    )


def plans_for_family(actor: Actor, child) -> list[FamilyPlanSummary]:
    """The child's SIPs for a family member, newest first, through the disclosure
    pipeline: one audit row per plan, the family member as actor."""
    results = pipeline.disclose(
        actor,
        Action.READ,
        _plans_qs().filter(child=child).order_by("-created_at", "-pk"),
        subject=lambda plan: str(child.public_id),
        reason="Familjens planer",
    )
    return [FamilyPlanSummary(r.resource) for r in results if r.shown]


def _load(public_id) -> Plan:
    try:
        return _plans_qs().get(public_id=public_id)
    except (Plan.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Planen finns inte.")) from exc


def _mine(actor: Actor, plan: Plan) -> tuple[dict, MeetingAnswer | None]:
    ref = author_ref(actor)
    statements: dict[str, FamilyStatement] = {}
    for statement in FamilyStatement.objects.filter(
        plan=plan, author_ref=ref, follow_up_meeting__isnull=True
    ):
        statements[statement.topic] = statement  # ordered oldest first: the newest wins
    answer = None
    if plan.meeting_at is not None:
        answer = (
            MeetingAnswer.objects.filter(
                plan=plan,
                author_ref=ref,
                meeting_at=plan.meeting_at,
                follow_up_meeting__isnull=True,
            )
            .order_by("-created_at", "-pk")
            .first()
        )
    return statements, answer


def plan_for_family(actor: Actor, public_id, *, action: str = Action.READ) -> FamilyPlan:
    """One plan as the family reads it: the call, the current version, the follow-ups
    and what the family member wrote. ``NotFound`` as if it did not exist otherwise."""
    plan = _load(public_id)
    pipeline.disclose_one(actor, action, plan, subject=str(plan.child.public_id))
    version = PlanVersion.objects.filter(plan=plan, number=plan.version).first()
    statements, answer = _mine(actor, plan)
    follow_up_meeting = meetings.current(plan)
    ref = author_ref(actor)
    return FamilyPlan(
        plan=plan,
        relation=family_relation(actor, plan.child) or "guardian",
        content=dict(version.content) if version else {},
        organisations=list(plan.organisations.all()),
        invited=list(plan.invited.all()),
        follow_ups=list(
            FollowUp.objects.filter(plan=plan).prefetch_related("assessments").order_by("-held_on")
        ),
        statements=statements,
        answer=answer,
        follow_up_meeting=follow_up_meeting,
        follow_up_answer=follow_up_meeting
        and MeetingAnswer.objects.filter(follow_up_meeting=follow_up_meeting, author_ref=ref)
        .order_by("-created_at", "-pk")
        .first(),
        follow_up_statement=follow_up_meeting
        and FamilyStatement.objects.filter(follow_up_meeting=follow_up_meeting, author_ref=ref)
        .order_by("-created_at", "-pk")
        .first(),
    )


# Writes -------------------------------------------------------------------------------


def _for_writing(actor: Actor, public_id) -> tuple[Plan, policy.Decision]:
    """The plan, locked, if the family member may write to it now: a plan they may not
    read is not found; a closed one says so."""
    plan = _load(public_id)
    decision = policy.decide(actor, Action.CREATE, plan)
    if not decision.allowed:
        policy.record(actor, Action.CREATE, plan, decision, subject_id=str(plan.child.public_id))
        if policy.decide(actor, Action.READ, plan).allowed:
            raise PermissionDenied(decision.reason)
        raise NotFound(_("Planen finns inte."))
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    return plan, decision


def _author_kind(actor: Actor, plan: Plan) -> str:
    return (
        FamilyAuthor.CHILD if family_relation(actor, plan.child) == SELF else FamilyAuthor.GUARDIAN
    )


def _clean(text: str, *, field: str, label: str, required: bool = True) -> str:
    value = str(text or "").replace("\x00", "").strip()
    if required and not value:
        raise ValidationFailed(_("Skriv något i rutan %(label)s.") % {"label": label}, field=field)
    if len(value) > bounds.TEXT_NOTE:
        raise ValidationFailed(
            _("Texten får vara högst %(max)s tecken. Den är %(length)s tecken.")
            % {"max": bounds.TEXT_NOTE, "length": len(value)},
            field=field,
        )
    return value


def _record(actor, plan, decision, **details) -> None:
    audit.event_record(
        actor=actor,
        action=Action.CREATE,
        resource_type="plans.plan",
        resource_id=str(plan.public_id),
        subject_id=str(plan.child.public_id),
        ground=decision.ground,
        details=details,
    )


def _follow_up_meeting(plan: Plan, follow_up: bool, name: str) -> FollowUpMeeting | None:
    """The follow-up meeting written for, or ``None`` for the first meeting."""
    if not follow_up:
        return None
    meeting = meetings.current(plan)
    if meeting is None:
        raise ValidationFailed(
            _("Det finns inget kommande uppföljningsmöte att svara på."), field=name
        )
    return meeting


@transaction.atomic
def statement_add(
    *, actor: Actor, public_id, topic: str, text: str, follow_up: bool = False
) -> FamilyStatement:
    """What is important to the family member before the meeting (a guardian or the
    young person) — the first meeting, or with ``follow_up`` the next follow-up meeting
    — or the young person's own words and goals. The same text again makes nothing
    new."""
    if topic not in FamilyTopic.values or (follow_up and topic != FamilyTopic.IMPORTANT):
        raise ValidationFailed(_("Välj vad du vill skriva om."), field="topic")
    plan, decision = _for_writing(actor, public_id)
    kind = _author_kind(actor, plan)
    if topic == FamilyTopic.OWN_WORDS and kind != FamilyAuthor.CHILD:
        raise PermissionDenied(_("Bara barnet själv kan skriva sina egna ord i planen."))
    value = _clean(text, field="text", label=str(FamilyTopic(topic).label))
    meeting = _follow_up_meeting(plan, follow_up, "text")
    ref = author_ref(actor)
    latest = (
        FamilyStatement.objects.filter(
            plan=plan, author_ref=ref, topic=topic, follow_up_meeting=meeting
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None and latest.text == value:
        return latest
    statement = FamilyStatement.objects.create(
        plan=plan,
        topic=topic,
        author_kind=kind,
        author_ref=ref,
        author_name=actor.display_name[: bounds.TEXT_NAME],
        text=value,
        created_at=timezone.now(),
        follow_up_meeting=meeting,
    )
    _record(
        actor,
        plan,
        decision,
        family_statement=topic,
        author=kind,
        length=len(value),
        follow_up_meeting=meeting.meeting_at.isoformat() if meeting else None,
    )
    kind = plan_inbox.FAMILY_FOLLOW_UP if meeting else plan_inbox.FAMILY_WORDS
    plan_inbox.family_deliver(plan, kind, key=f"s{statement.pk}")
    return statement


@transaction.atomic
def meeting_answer(
    *,
    actor: Actor,
    public_id,
    reply: str,
    proposed_at: datetime.datetime | None = None,
    message: str = "",
    follow_up: bool = False,
) -> MeetingAnswer:
    """The family member's answer to the call to the meeting, for the time shown now:
    the first meeting, or with ``follow_up`` the next follow-up meeting. The same
    answer again makes nothing new."""
    if reply not in MeetingReply.values:
        raise ValidationFailed(_("Välj ett svar."), field="reply")
    plan, decision = _for_writing(actor, public_id)
    now = timezone.now()
    meeting = _follow_up_meeting(plan, follow_up, "reply")
    meeting_at = meeting.meeting_at if meeting else plan.meeting_at
    if meeting_at is None or meeting_at <= now:
        raise ValidationFailed(_("Mötet har ingen kommande tid att svara på."), field="reply")
    if reply == MeetingReply.PROPOSE:
        if proposed_at is None:
            raise ValidationFailed(_("Skriv vilken dag och tid du föreslår."), field="proposed_on")
        if timezone.is_naive(proposed_at):
            proposed_at = timezone.make_aware(proposed_at)
        if proposed_at <= now:
            raise ValidationFailed(_("Föreslå en tid som inte har varit."), field="proposed_on")
        bounds.check_date(proposed_at, window=bounds.PLANNED, field="proposed_on")
    else:
        proposed_at = None
    text = _clean(message, field="message", label=_("Meddelande"), required=False)
    ref = author_ref(actor)
    latest = (
        MeetingAnswer.objects.filter(
            plan=plan, author_ref=ref, meeting_at=meeting_at, follow_up_meeting=meeting
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None and (latest.reply, latest.proposed_at, latest.message) == (
        reply,
        proposed_at,
        text,
    ):
        return latest
    answer = MeetingAnswer.objects.create(
        plan=plan,
        author_kind=_author_kind(actor, plan),
        author_ref=ref,
        author_name=actor.display_name[: bounds.TEXT_NAME],
        meeting_at=meeting_at,
        reply=reply,
        proposed_at=proposed_at,
        message=text,
        created_at=now,
        follow_up_meeting=meeting,
    )
    _record(
        actor,
        plan,
        decision,
        meeting_answer=reply,
        meeting_at=meeting_at.isoformat(),
        follow_up_meeting=bool(meeting),
    )
    kind = plan_inbox.FAMILY_FOLLOW_UP if meeting else plan_inbox.FAMILY_ANSWER
    plan_inbox.family_deliver(plan, kind, key=f"a{answer.pk}")
    return answer


# For the plan's participants (staff) ----------------------------------------------------


@dataclass(frozen=True)
class FamilyRecords:
    statements: list[FamilyStatement]  # the newest per author and topic
    answers: list[MeetingAnswer]  # the newest per author, for the meeting time now
    # For the newest follow-up meeting (decision 0336): the newest per author.
    follow_up_statements: list[FamilyStatement] = field(default_factory=list)
    follow_up_answers: list[MeetingAnswer] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.statements or self.answers or self.follow_up_statements or self.follow_up_answers
        )


def family_records(plan: Plan) -> FamilyRecords:
    """What the family wrote in the portal, for staff who have been allowed to read the
    plan (the caller has decided and audited that read)."""
    statements: dict[tuple[str, str], FamilyStatement] = {}
    for s in FamilyStatement.objects.filter(plan=plan, follow_up_meeting__isnull=True):
        statements[(s.author_ref, s.topic)] = s
    answers: dict[str, MeetingAnswer] = {}
    if plan.meeting_at is not None:
        for a in MeetingAnswer.objects.filter(
            plan=plan, meeting_at=plan.meeting_at, follow_up_meeting__isnull=True
        ):
            answers[a.author_ref] = a
    newest = FollowUpMeeting.objects.filter(plan=plan).order_by("-created_at", "-pk").first()
    follow_up_statements: dict[str, FamilyStatement] = {}
    follow_up_answers: dict[str, MeetingAnswer] = {}
    if newest is not None:
        for s in FamilyStatement.objects.filter(follow_up_meeting=newest):
            follow_up_statements[s.author_ref] = s
        for a in MeetingAnswer.objects.filter(follow_up_meeting=newest):
            follow_up_answers[a.author_ref] = a

    def _newest_first(rows):
        return sorted(rows, key=lambda r: r.created_at, reverse=True)

    return FamilyRecords(
        statements=_newest_first(statements.values()),
        answers=_newest_first(answers.values()),
        follow_up_statements=_newest_first(follow_up_statements.values()),
        follow_up_answers=_newest_first(follow_up_answers.values()),
    )
