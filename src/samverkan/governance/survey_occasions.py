"""Surveys the strategy group binds to an occasion: after a forum meeting is held (in
forums of chosen levels) or after a matter of a report of concern is closed, optionally
only for people of chosen organisation types.

``meetings`` and ``concerns`` sit below ``governance`` and send
``core.signals.occasion_ended`` with the people who took part (the same people their
built-in evaluations ask: the forum's function holders in the organisations that
attended, and the convener; the handler and the professional reporter). Here, in the same
transaction, each open survey bound to such an occasion invites each of them once
(``SurveyInvitation``, unique per survey, person and occasion, so an occasion reported
twice invites nobody twice) and puts the invitation in their inbox, addressed to the
person in the organisation they took part for. The answer is anonymous like every
other (surveys.answer_submit with the invitation) and closes the inbox item.

An invitation shows in the inbox only while its survey is open and unanswered by the
person; what it says is derived when it is read (notify.inbox).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import signals
from samverkan.core.errors import NotFound
from samverkan.notify import inbox
from samverkan.notify import services as notify

from . import policies, surveys
from .survey_models import (
    Survey,
    SurveyAudience,
    SurveyInvitation,
    SurveyParticipation,
    SurveyStatus,
)

AUDIENCE = {"meeting": SurveyAudience.AFTER_MEETING, "case": SurveyAudience.AFTER_CASE}


def bound_surveys(trigger: str, forum_level: str = "") -> list[Survey]:
    """The open surveys of the strategy group's making bound to this kind of occasion."""
    found = Survey.objects.filter(
        system_code="", audience=AUDIENCE[trigger], status=SurveyStatus.OPEN
    ).exclude(closes_on__lt=timezone.localdate())
    if trigger == "meeting":
        return [s for s in found if forum_level in s.forum_levels]
    return list(found)


def _asked(survey: Survey, respondent: signals.Respondent) -> bool:
    return not survey.org_types or respondent.organisation_type in survey.org_types


def invite(
    *, trigger: str, occasion: str, label: str, forum_level: str, respondents
) -> list[SurveyInvitation]:
    """Invite the occasion's people to each survey bound to it, once; returns the
    invitations made now (none for people invited before)."""
    made, items = [], []
    label = label[:250]
    for survey in bound_surveys(trigger, forum_level):
        new, seen = [], set()
        for respondent in respondents:
            if respondent.user_id in seen or not _asked(survey, respondent):
                continue
            seen.add(respondent.user_id)
            try:
                with transaction.atomic():
                    invitation = SurveyInvitation.objects.create(
                        survey=survey,
                        user_id=respondent.user_id,
                        organisation_id=respondent.organisation_id,
                        organisation_type=respondent.organisation_type,
                        occasion=occasion,
                        label=label,
                    )
            except IntegrityError:
                continue  # invited for this occasion before
            new.append(invitation)
            items.append(
                notify.inbox_deliver(
                    kind=surveys.INVITATION_KIND,
                    organisation_id=respondent.organisation_id,
                    user_id=respondent.user_id,
                    ref_id=str(invitation.public_id),
                    send_mail=False,
                )
            )
        if new:
            audit.event_record(
                actor=None,
                action=Action.CREATE,
                resource_type="governance.survey",
                resource_id=str(survey.public_id),
                details={"occasion": occasion, "invited": len(new)},
            )
        made += new
    notify.mail_items([i for i in items if i is not None])
    return made


@receiver(signals.occasion_ended, dispatch_uid="governance.survey_occasion")
def occasion_ended(sender, *, trigger, occasion, label, forum_level, respondents, **kwargs):
    invite(
        trigger=trigger,
        occasion=occasion,
        label=label,
        forum_level=forum_level,
        respondents=respondents,
    )


# Reading --------------------------------------------------------------------------------
def invitation_get(actor: Actor, public_id) -> SurveyInvitation:
    """The actor's own invitation (anyone else's: not found)."""
    invitation = (
        SurveyInvitation.objects.filter(public_id=public_id, user_id=actor.user_id)
        .select_related("survey")
        .first()
    )
    if invitation is None:
        raise NotFound(gettext("Inbjudan finns inte."))
    return invitation


def _unanswered(actor: Actor, invitations) -> list[SurveyInvitation]:
    invitations = list(
        invitations.filter(survey__status=SurveyStatus.OPEN, survey__system_code="")
        .exclude(survey__closes_on__lt=timezone.localdate())
        .select_related("survey")
        .order_by("-created_at")
    )
    answered = set(
        SurveyParticipation.objects.filter(
            user_id=actor.user_id,
            survey_id__in={i.survey_id for i in invitations},
            occasion__in={i.occasion for i in invitations},
        ).values_list("survey_id", "occasion")
    )
    return [i for i in invitations if (i.survey_id, i.occasion) not in answered]


def pending(actor: Actor, *, limit: int = 50) -> list[SurveyInvitation]:
    """The actor's invitations to open surveys that they have not answered yet (the
    newest ``limit``)."""
    if not actor.has_membership:
        return []
    mine = SurveyInvitation.objects.filter(user_id=actor.user_id)
    return _unanswered(actor, mine)[:limit]


def _resolve(actor: Actor, items) -> dict[int, inbox.Shown | None]:
    waiting = {
        str(i.public_id): i
        for i in _unanswered(
            actor,
            SurveyInvitation.objects.filter(
                user_id=actor.user_id, public_id__in={i.ref_id for i in items}
            ),
        )
    }
    result: dict[int, inbox.Shown | None] = {}
    for item in items:
        invitation = waiting.get(item.ref_id)
        if invitation is None or item.organisation_id != actor.organisation_id:
            result[item.pk] = None
            continue
        result[item.pk] = inbox.Shown(
            title=gettext("Svara på enkäten %(title)s efter %(occasion)s")
            % {"title": invitation.survey.title, "occasion": invitation.label},
            url=reverse("strategy:survey_invitation", args=[invitation.public_id]),
            ground=policies.SURVEY_RESPONDENT,
        )
    return result


def _resolve_open(actor: Actor, items) -> dict[int, inbox.Shown | None]:
    """An opened survey, for each reader while they may answer it (not after)."""
    found = {
        str(s.public_id): s
        for s in Survey.objects.filter(
            public_id__in={i.ref_id for i in items}, system_code=""
        ).select_related("forum__convener_function")
    }
    result: dict[int, inbox.Shown | None] = {}
    for item in items:
        survey = found.get(item.ref_id)
        if survey is None or surveys.may_answer(actor, survey):
            result[item.pk] = None
            continue
        result[item.pk] = inbox.Shown(
            title=gettext("Svara på enkäten %(title)s") % {"title": survey.title},
            url=reverse("strategy:survey_answer", args=[survey.public_id]),
            ground=policies.SURVEY_RESPONDENT,
        )
    return result


def register() -> None:
    inbox.register(
        surveys.INVITATION_KIND, label=gettext_lazy("Enkät att svara på"), resolve=_resolve
    )
    inbox.register(
        surveys.OPEN_KIND, label=gettext_lazy("Enkät att svara på"), resolve=_resolve_open
    )
