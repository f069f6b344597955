"""Access rules for forums, meetings and escalations.

- A forum's own description (name, purpose, members by organisation and function,
  cadence) is not personal data: every member of staff may read it.
- A meeting (agenda, minutes, action items) is for the forum's members: staff of a
  member or attending organisation whose function is one of the forum's member
  functions (or the convener function). Not for administrators or auditors as such —
  auditors follow the meetings through loggkontroll.
- The convener (convener organisation + convener function) books meetings, records
  attendance, writes and approves the minutes and appends corrections.
- An escalation is for the two organisations in the disagreement and the owners of its
  steps.
- An identified agenda item is not decided here: selectors ask consent.sharing for every
  read (from the author's organisation to the reader's).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core.i18n import lazy_format

from .models import Attendance, Escalation, EscalationStep, Forum, ForumOrganisation, Meeting

_READS = {Action.READ, Action.SEARCH, Action.PRINT, Action.EXPORT}
FORUM_MEMBER = "forum_member"
FORUM_CONVENER = "forum_convener"
FORUM_DESCRIPTION = "forum_description"
ESCALATION_PARTY = "escalation_party"


def _member_ground(forum: Forum) -> Ground:
    return Ground(
        code=FORUM_MEMBER,
        label=lazy_format(gettext_lazy("Deltagare i %(name)s"), name=forum.name),
        reference=str(forum.public_id),
    )


def is_convener(actor: Actor, forum: Forum) -> bool:
    return (
        actor.has_membership
        and actor.organisation_id == forum.convener_organisation_id
        and actor.function_code == forum.convener_function.code
    )


def _member_organisation(actor: Actor, forum: Forum, meeting: Meeting | None = None) -> bool:
    if ForumOrganisation.objects.filter(
        forum=forum, organisation_id=actor.organisation_id
    ).exists():
        return True
    return (
        meeting is not None
        and meeting.pk is not None
        and (
            Attendance.objects.filter(
                meeting=meeting, organisation_id=actor.organisation_id
            ).exists()
        )
    )


def _member_function(actor: Actor, forum: Forum) -> bool:
    codes = {f.code for f in forum.functions.all()} | {forum.convener_function.code}
    return actor.function_code in codes


def participation(actor: Actor, forum: Forum, meeting: Meeting | None = None) -> policy.Decision:
    """May the actor take part in the forum (read its meetings, add items and actions)?"""
    if is_convener(actor, forum):
        return policy.allow(
            Ground(
                code=FORUM_CONVENER,
                label=lazy_format(gettext_lazy("Sammankallande för %(name)s"), name=forum.name),
                reference=str(forum.public_id),
            )
        )
    if not _member_organisation(actor, forum, meeting):
        return policy.deny(
            lazy_format(
                gettext_lazy("%(organisation_name)s är inte med i %(name)s."),
                organisation_name=actor.organisation_name,
                name=forum.name,
            )
        )
    if not _member_function(actor, forum):
        return policy.deny(
            lazy_format(
                gettext_lazy(
                    "Funktionen %(function_name)s är inte medlem i %(name)s; forumets "
                    "medlemmar är funktioner, inte personer."
                ),
                function_name=actor.function_name,
                name=forum.name,
            )
        )
    return policy.allow(_member_ground(forum))


def decide_forum(actor: Actor, action: str, forum: Forum) -> policy.Decision:
    if action in _READS:
        return policy.allow(
            Ground(
                code=FORUM_DESCRIPTION,
                label=gettext_lazy("Forumets beskrivning (inga personuppgifter)"),
            )
        )
    if action in {Action.CREATE, Action.CHANGE}:
        if (
            actor.has_perm(Permission.DIRECTORY_MANAGE)
            and actor.organisation_id == forum.convener_organisation_id
        ):
            return policy.allow(
                Ground(
                    code="administration", label=gettext_lazy("Administration av egen organisation")
                )
            )
        return (
            participation(actor, forum)
            if action == Action.CHANGE
            else policy.deny(
                gettext_lazy(
                    "Bara en administratör i den sammankallande verksamheten kan inrätta forum."
                )
            )
        )
    return policy.deny(gettext_lazy("Åtgärden är inte tillåten för forum."))


def _reads_meetings(actor: Actor, action: str) -> bool:
    return action in _READS


@policy.applies_when(_reads_meetings)
def scope_forums(actor: Actor, action: str, queryset: QuerySet) -> QuerySet:
    return queryset


def decide_meeting(actor: Actor, action: str, meeting: Meeting) -> policy.Decision:
    forum = meeting.forum
    if action in _READS or action == Action.CREATE:
        return participation(actor, forum, meeting)
    if action == Action.CHANGE:
        if is_convener(actor, forum):
            return participation(actor, forum, meeting)
        return policy.deny(
            lazy_format(
                gettext_lazy("Bara sammankallande (%(name)s) kan ändra mötet."),
                name=forum.convener_function.name,
            )
        )
    return policy.deny(gettext_lazy("Åtgärden är inte tillåten för möten."))


@policy.applies_when(_reads_meetings)
def scope_meetings(actor: Actor, action: str, queryset: QuerySet) -> QuerySet:
    convener = Q(
        forum__convener_organisation_id=actor.organisation_id,
        forum__convener_function__code=actor.function_code,
    )
    member = Q(forum__functions__code=actor.function_code) & (
        Q(forum__members__organisation_id=actor.organisation_id)
        | Q(attendances__organisation_id=actor.organisation_id)
    )
    return queryset.filter(pk__in=Meeting.objects.filter(convener | member).values("pk"))


def _escalation_parties(escalation: Escalation) -> set[int]:
    owners = set(
        EscalationStep.objects.filter(escalation=escalation).values_list(
            "owner_organisation_id", flat=True
        )
    )
    return {escalation.raised_by_organisation_id, escalation.counterpart_organisation_id} | owners


def decide_escalation(actor: Actor, action: str, escalation: Escalation) -> policy.Decision:
    if action not in _READS | {Action.CREATE, Action.CHANGE}:
        return policy.deny(gettext_lazy("Åtgärden är inte tillåten för eskaleringar."))
    if not actor.has_perm(Permission.PEOPLE_VIEW):
        return policy.deny(
            lazy_format(
                gettext_lazy("Funktionen %(function_name)s hanterar inte eskaleringar."),
                function_name=actor.function_name,
            )
        )
    if escalation.pk is None or actor.organisation_id in _escalation_parties(escalation):
        return policy.allow(
            Ground(
                code=ESCALATION_PARTY,
                label=gettext_lazy("Part i eller ansvarig för eskaleringen"),
                reference=str(escalation.public_id),
            )
        )
    return policy.deny(
        lazy_format(
            gettext_lazy("%(organisation_name)s är inte part i eskaleringen."),
            organisation_name=actor.organisation_name,
        )
    )


def _reads_escalations(actor: Actor, action: str) -> bool:
    return action in _READS and actor.has_perm(Permission.PEOPLE_VIEW)


@policy.applies_when(_reads_escalations)
def scope_escalations(actor: Actor, action: str, queryset: QuerySet) -> QuerySet:
    org = actor.organisation_id
    return queryset.filter(
        Q(raised_by_organisation_id=org)
        | Q(counterpart_organisation_id=org)
        | Q(pk__in=EscalationStep.objects.filter(owner_organisation_id=org).values("escalation"))
    )


ANONYMISED = Ground(
    code="anonymised",
    label="Avidentifierad punkt (ingen uppgift om ett enskilt barn)",
)
ITEM_PURPOSE = "samverkanstraff"  # meetings.services.PURPOSE


def decide_item(actor: Actor, action: str, item) -> policy.Decision:
    """An agenda item on a meeting the actor may read (the caller has decided the
    meeting): an anonymised item is no personal data; an identified one passes from
    its author's organisation to the actor's only on a sharing ground asked now."""
    if action != Action.READ:
        return policy.deny("Åtgärden är inte tillåten för en punkt.")
    if item.kind != "identified":
        return policy.allow(ANONYMISED)
    return passing.decide(
        viewer_organisation_id=actor.organisation_id,
        child=item.child,
        from_organisation_id=item.author_organisation_id,
        to_organisation_id=actor.organisation_id,
        category=item.category,
        purpose=ITEM_PURPOSE,
        facts=getattr(item, "_sharing_facts", None),
    )


def register() -> None:
    policy.register("meetings.agendaitem", decide=decide_item)
    policy.register("meetings.forum", decide=decide_forum, scope=scope_forums)
    policy.register("meetings.meeting", decide=decide_meeting, scope=scope_meetings)
    policy.register("meetings.escalation", decide=decide_escalation, scope=scope_escalations)
