"""Reads of forums, meetings and escalations, through the access policy and audited.

An identified agenda item is decided again at every read: consent.sharing is asked
whether the item may pass from the author's organisation to the reader's, for the
purpose samverkansträff, now. Allowed reads are recorded as disclosures under the
consent (consent.services.disclosure_record, which writes the audit row naming the
consent); refused reads show only that the item exists, and are logged as denied."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import pipeline, policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.consent import services as consent_services
from samverkan.consent import sharing
from samverkan.core.errors import NotFound
from samverkan.directory import selectors as directory

from . import policies, services
from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    CalendarToken,
    Escalation,
    EscalationStep,
    Forum,
    ForumOrganisation,
    ItemKind,
    Level,
    Meeting,
    MeetingStatus,
)

NOT_SHOWN = gettext_lazy("Ärendet kan inte visas")


def may_set_up_forum(actor: Actor) -> bool:
    """Whether the actor may set up a forum: an administrator of their organisation
    (forums hold no personal data; members are functions)."""
    return actor.has_perm("directory.manage")


def _forums_qs():
    return Forum.objects.select_related(
        "convener_organisation", "convener_function"
    ).prefetch_related(
        Prefetch("members", queryset=_members_qs()),
        "functions",
    )


def _members_qs():
    return ForumOrganisation.objects.select_related("organisation").order_by("organisation__name")


def forum_levels() -> dict[str, str]:
    """The levels a forum can be at (code: label), lowest last as in the ladder."""
    return {level.value: level.label for level in Level}


def forum_list(actor: Actor) -> list[Forum]:
    """Every active forum (a forum's description is not personal data)."""
    return list(policy.visible(actor, Action.READ, _forums_qs().filter(is_active=True)))


def forum_get(actor: Actor, public_id) -> Forum:
    try:
        forum = _forums_qs().get(public_id=public_id)
    except (Forum.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(gettext("Forumet finns inte.")) from exc
    if not policy.decide(actor, Action.READ, forum):
        raise NotFound(gettext("Forumet finns inte."))
    return forum


def participation(actor: Actor, forum: Forum) -> policy.Decision:
    return policies.participation(actor, forum)


def is_convener(actor: Actor, forum: Forum) -> bool:
    return policies.is_convener(actor, forum)


def forum_meetings(actor: Actor, forum: Forum) -> list[Meeting]:
    """The forum's meetings, if the actor takes part in it (else none)."""
    if not participation(actor, forum):
        return []
    return list(forum.meetings.order_by("starts_at"))


@dataclass
class FollowUp:
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    ad_hoc: int = 0
    actions_due: int = 0
    actions_on_time: int = 0
    actions_open_overdue: int = 0
    evaluations: int = 0
    answers: list[tuple[str, float | None, int]] = field(default_factory=list)
    # Share of yes answers over all questions, per kind of organisation (skola, bup, ...).
    by_org_type: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.actions_on_time / self.actions_due) if self.actions_due else None


def forum_followup(forum: Forum, *, today: datetime.date | None = None) -> FollowUp:
    """Meetings held vs planned up to today, action items done on time, and the
    evaluation answers (share of yes: 3 or 4 on the scale). Counts only: no personal data."""
    today = today or timezone.localdate()
    now = timezone.now()
    result = FollowUp()
    for from_cadence, status in forum.meetings.filter(starts_at__lte=now).values_list(
        "from_cadence", "status"
    ):
        result.planned += from_cadence
        result.ad_hoc += not from_cadence
        result.held += status == MeetingStatus.HELD
        result.cancelled += status == MeetingStatus.CANCELLED
    for status, due, done_on in forum.actions.exclude(status=ActionStatus.CANCELLED).values_list(
        "status", "due_date", "done_on"
    ):
        if status == ActionStatus.DONE or due < today:
            result.actions_due += 1
            if status == ActionStatus.DONE and done_on <= due:
                result.actions_on_time += 1
            if status == ActionStatus.OPEN:
                result.actions_open_overdue += 1
    evaluated = forum.meetings.exclude(evaluations__isnull=True).values_list(
        "evaluations__answers", "evaluations__organisation__org_type"
    )
    rows = [answers for answers, _ in evaluated]
    per_type: dict[str, list[int]] = {}
    for answers, org_type in evaluated:
        per_type.setdefault(org_type, []).extend(answers.values())
    labels = directory.organisation_type_labels()
    result.by_org_type = [
        (labels.get(t, t), round(100 * sum(v >= 3 for v in vs) / len(vs)), len(vs))
        for t, vs in sorted(per_type.items())
        if vs
    ]
    result.evaluations = len(rows)
    for code, question in services.EVALUATION_QUESTIONS:
        values = [r[code] for r in rows if code in r]
        yes = sum(1 for v in values if v >= 3)
        result.answers.append(
            (question, round(100 * yes / len(values)) if values else None, len(values))
        )
    return result


@dataclass
class ItemView:
    item: AgendaItem
    visible: bool
    reason: str = ""

    @property
    def is_identified(self) -> bool:
        return self.item.kind == ItemKind.IDENTIFIED


@dataclass
class MeetingView:
    meeting: Meeting
    decision: policy.Decision
    may_convene: bool
    attendances: list[Attendance]
    items: list[ItemView]
    actions: list[ActionItem]
    carried_over: list[ActionItem]
    corrections: list
    evaluated: bool


def _meetings_qs():
    return Meeting.objects.select_related(
        "forum__convener_organisation", "forum__convener_function"
    ).prefetch_related("forum__functions")


def meeting_for_change(public_id) -> Meeting:
    """The meeting record for a service call (the service decides access)."""
    try:
        return _meetings_qs().get(public_id=public_id)
    except (Meeting.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(gettext("Mötet finns inte eller så har du inte behörighet.")) from exc


def _with_facts(items: list[AgendaItem]) -> None:
    """The sharing facts once per child, for the rule that decides each item."""
    facts: dict[int, sharing.ChildFacts] = {}
    for item in items:
        if item.child_id not in facts:
            facts[item.child_id] = sharing.ChildFacts.load(item.child)
        item._sharing_facts = facts[item.child_id]


def _item_views(actor: Actor, items: list[AgendaItem]) -> list[ItemView]:
    """Identified items through the disclosure pipeline (decided per read, audited in
    one insert; what passed on a ground is added to the consent's timeline);
    anonymised items are no personal data and are shown as they are."""
    identified = [i for i in items if i.kind == ItemKind.IDENTIFIED]
    results = {
        r.resource.pk: r
        for r in pipeline.disclose(
            actor,
            Action.READ,
            identified,
            subject=lambda item: str(item.child.public_id),
            reason="Punkt på samverkansträff",
            prepare=_with_facts,
        )
    }
    consent_services.disclosures_add(
        actor=actor,
        passed=[
            consent_services.Passed(
                child=item.child,
                decision=results[item.pk].decision,
                from_organisation_id=item.author_organisation_id,
                category=item.category,
                purpose=services.PURPOSE,
                what=f"Punkt på samverkansträff: {item.title}",
            )
            for item in identified
            if results[item.pk].shown
        ],
    )
    views = []
    for item in items:
        result = results.get(item.pk)
        if result is None or result.shown:
            views.append(ItemView(item, True))
        else:
            views.append(ItemView(item, False, result.explanation))
    return views


def meeting_get(actor: Actor, public_id) -> MeetingView:
    """The meeting page: attendance, agenda (identified items decided per read),
    minutes, decisions, action items (with those carried over), corrections."""
    meeting = meeting_for_change(public_id)
    decision = pipeline.disclose_one(actor, Action.READ, meeting).decision
    items = list(
        meeting.items.select_related("child", "author_organisation").order_by("created_at", "pk")
    )
    actions = ActionItem.objects.select_related(
        "responsible_organisation", "responsible_function", "meeting"
    )
    return MeetingView(
        meeting=meeting,
        decision=decision,
        may_convene=policies.is_convener(actor, meeting.forum),
        attendances=list(meeting.attendances.select_related("organisation")),
        items=_item_views(actor, items),
        actions=list(actions.filter(meeting=meeting)),
        carried_over=list(
            actions.filter(
                forum_id=meeting.forum_id,
                status=ActionStatus.OPEN,
                meeting__starts_at__lt=meeting.starts_at,
            )
        ),
        corrections=list(meeting.corrections.all()),
        evaluated=meeting.evaluations.filter(user_id=actor.user_id).exists(),
    )


def action_for_change(public_id) -> ActionItem:
    try:
        return ActionItem.objects.select_related(
            "meeting__forum__convener_organisation", "meeting__forum__convener_function"
        ).get(public_id=public_id)
    except (ActionItem.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(gettext("Åtgärden finns inte.")) from exc


def item_for_change(public_id) -> AgendaItem:
    try:
        return AgendaItem.objects.select_related(
            "child", "meeting__forum__convener_organisation", "meeting__forum__convener_function"
        ).get(public_id=public_id)
    except (AgendaItem.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(gettext("Punkten finns inte.")) from exc


def upcoming_meetings(actor: Actor, *, limit: int = 10) -> list[Meeting]:
    now = timezone.now() - datetime.timedelta(hours=12)
    qs = policy.visible(actor, Action.READ, Meeting.objects.filter(starts_at__gte=now))
    return list(qs.select_related("forum").order_by("starts_at")[:limit])


def my_actions(actor: Actor) -> list[ActionItem]:
    """Open action items for the actor's function (or name) in the actor's
    organisation, in forums the actor takes part in."""
    if not actor.has_membership:
        return []
    mine = Q(responsible_function__code=actor.function_code) | Q(
        responsible_person__iexact=actor.display_name
    )
    meetings = policy.visible(actor, Action.READ, Meeting.objects.all())
    return list(
        ActionItem.objects.filter(
            mine,
            status=ActionStatus.OPEN,
            responsible_organisation_id=actor.organisation_id,
            meeting__in=meetings,
        )
        .select_related("forum", "meeting", "responsible_function")
        .order_by("due_date")
    )


# Escalations -------------------------------------------------------------------------


def _escalations_qs():
    return Escalation.objects.select_related(
        "raised_by_organisation", "counterpart_organisation", "child"
    ).prefetch_related(
        Prefetch(
            "steps",
            queryset=EscalationStep.objects.select_related("owner_organisation", "forum"),
        )
    )


def escalation_list(actor: Actor) -> list[Escalation]:
    """Escalations the actor's organisation is a party to or owns a step of. The list
    shows titles only; each one opened is an audited read."""
    return list(policy.visible(actor, Action.READ, _escalations_qs()))


def escalation_get(actor: Actor, public_id) -> Escalation:
    try:
        escalation = _escalations_qs().get(public_id=public_id)
    except (Escalation.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(gettext("Eskaleringen finns inte eller så har du inte behörighet.")) from exc
    pipeline.disclose_one(
        actor,
        Action.READ,
        escalation,
        subject=str(escalation.child.public_id) if escalation.child_id else "",
    )
    return escalation


def overdue_steps(actor: Actor, *, today: datetime.date | None = None) -> list[EscalationStep]:
    """Undecided escalation steps past their deadline that the actor's organisation
    owns."""
    if not actor.has_perm("people.view"):
        return []
    today = today or timezone.localdate()
    return list(
        EscalationStep.objects.filter(
            owner_organisation_id=actor.organisation_id,
            decided_at__isnull=True,
            deadline__lt=today,
        )
        .select_related("escalation")
        .order_by("deadline")
    )


def step_for_change(escalation: Escalation, position: int) -> EscalationStep:
    for step in escalation.steps.all():
        if step.position == position:
            return step
    raise NotFound(gettext("Steget finns inte."))


# Calendar ----------------------------------------------------------------------------


def calendar_token_active(actor: Actor) -> CalendarToken | None:
    return CalendarToken.objects.filter(user_id=actor.user_id, revoked_at__isnull=True).first()


def actor_for_feed(secret: str) -> Actor | None:
    """The actor a calendar feed secret stands for; None when unknown or revoked, or
    when the membership it was made in has ended."""
    token = CalendarToken.objects.filter(
        token_hash=services.token_hash(secret or ""), revoked_at__isnull=True
    ).first()
    if token is None:
        return None
    membership = directory.active_memberships(token.user_id).filter(pk=token.membership_id).first()
    return directory.actor_from_membership(membership) if membership else None


def feed_meetings(actor: Actor, forum_public_id=None) -> tuple[list[Meeting], Forum | None]:
    """Meetings for a calendar feed: the actor's forums, or one forum. Times and
    places only, never agenda items."""
    since = timezone.now() - datetime.timedelta(days=60)
    qs = policy.visible(actor, Action.READ, Meeting.objects.filter(starts_at__gte=since))
    forum = None
    if forum_public_id is not None:
        forum = forum_get(actor, forum_public_id)
        if not participation(actor, forum):
            raise NotFound(gettext("Forumet finns inte."))
        qs = qs.filter(forum=forum)
    meetings = list(qs.select_related("forum").order_by("starts_at"))
    audit.event_record(
        actor=actor,
        action=Action.EXPORT,
        resource_type="meetings.forum" if forum else "meetings.calendar",
        resource_id=str(forum.public_id) if forum else "",
        ground=policies.participation(actor, forum).ground
        if forum
        else audit.Ground(code=policies.FORUM_MEMBER, label=gettext_lazy("Egna forums möten")),
        details={"meetings": len(meetings)},
    )
    return meetings, forum
